"""Cartoparty settings: the only settings module, read from the environment.

Every variable read here is listed and explained in ``.env.example`` (a test checks it).
Production differs from the laptop default only by environment variables.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

import web.native_libraries  # noqa: F401 — before any SpatiaLite connection (see the module)
from web.secrets import secret_key_in

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DATA_DIR = Path(env.str("CARTOPARTY_DATA_DIR", default=str(BASE_DIR / "data")))

DEBUG = env.bool("DEBUG", default=False)
# A secret published anywhere (an old default, an example) is refused outside DEBUG. Unset: a
# random key generated once and kept in the data folder (one machine; several machines must
# share one SECRET_KEY).
PUBLISHED_SECRET_KEYS = {
    "dev-only-insecure-key-change-me-in-production-0123456789abcdef", "change-me", "secret"}
SECRET_KEY = env.str("SECRET_KEY", default="")
if SECRET_KEY in PUBLISHED_SECRET_KEYS and not DEBUG:
    raise ImproperlyConfigured(
        "SECRET_KEY is a published example value: set a long random one (or unset it to have "
        "one generated in CARTOPARTY_DATA_DIR).")
if not SECRET_KEY:
    SECRET_KEY = secret_key_in(DATA_DIR)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Absolute base used in links we hand out (follow links, join links) when no request is there.
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_gis",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "axes",
    "csp",
    "mapping",
    "layers",
    "exports",
    "web",
    "web.desk",
    "web.ogcapi",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "web.urls"
WSGI_APPLICATION = "web.wsgi.application"
ASGI_APPLICATION = "web.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.basemap",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# DATABASE_URL unset: the embedded SpatiaLite file. DATABASE_URL=postgis://…: PostGIS.
DATABASES = {
    "default": env.db(
        "DATABASE_URL", default=f"spatialite:///{DATA_DIR / 'cartoparty.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"].endswith("spatialite"):
    # Measured (docs/platform.md): WAL + IMMEDIATE transactions remove "database is locked"
    # failures under concurrent read-then-write transactions.
    # Write transactions queue at a gate instead of polling for SQLite's lock
    # (web/spatialite/base.py).
    DATABASES["default"]["ENGINE"] = "web.spatialite"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections: a new connection costs 14 ms on SpatiaLite (loading mod_spatialite)
# and about 10 ms on PostGIS, per request; reusing them gave 1.7× (SpatiaLite) and 2.2×
# (PostGIS) the write throughput. Health checks drop a connection the server closed.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=600)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SPATIAL_BACKEND = "postgis" if "postgis" in DATABASES["default"]["ENGINE"] else "spatialite"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages ------------------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "web" / "locale", BASE_DIR / "web" / "api" / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(DATA_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Front-end files installed by npm (package.json, scripts/bootstrap.sh), never committed.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    (prefix, NODE_MODULES / folder)
    for prefix, folder in [("vendor/maki", "@mapbox/maki/icons"), ("vendor/temaki", "temaki/icons"),
                           ("vendor/maplibre-gl", "maplibre-gl/dist")]
    if (NODE_MODULES / folder).is_dir()
]

# --- Server (cartoparty serve) ---------------------------------------------------------------
# Threads of each worker process that run synchronous requests; each keeps its own database
# connection (see web/asgi.py).
SERVER_THREADS = env.int("SERVER_THREADS", default=8)
# Worker processes; 0: two per core, between 2 and 8.
SERVER_WORKERS = env.int("WEB_CONCURRENCY", default=0)

# --- HTTP API -------------------------------------------------------------------------------
# Bodies larger than this are refused with 413 before they are parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("API_MAX_BODY_BYTES", default=1_000_000)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "web.api.authentication.ContributorTokenAuthentication",
        "web.api.authentication.UserTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PARSER_CLASSES": ["web.api.parsers.StrictJSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "web.api.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "web.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "join": env.str("THROTTLE_JOIN", default="1000/hour"),
        "contribute": env.str("THROTTLE_CONTRIBUTE", default="600/hour"),
    },
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

# Lists come in pages: this many items unless ?limit= asks for fewer or more (up to the max).
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=1000)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=10000)
# Rendered list items each web process keeps (web/api/items.py; ≈ 0.6 kB each).
API_ITEM_CACHE_SIZE = env.int("API_ITEM_CACHE_SIZE", default=100_000)
# Failed token authentications an address may make in an hour before it is refused.
TOKEN_FAILURES_PER_HOUR = env.int("TOKEN_FAILURES_PER_HOUR", default=60)

# --- Shared cache: rate limits, lockouts ----------------------------------------------------
# Never process memory: limits must hold across worker processes, machines and restarts.
# Unset REDIS_URL: a table of the database (created by migrate). redis://host:6379/0: Redis.
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {"default": {
    "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
    "KEY_PREFIX": "cartoparty"} if REDIS_URL else {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cartoparty_cache",
    "OPTIONS": {"MAX_ENTRIES": 200_000, "CULL_FREQUENCY": 4}}}

SPECTACULAR_SETTINGS = {
    "TITLE": "Cartoparty API",
    "DESCRIPTION": (
        "Carto-parties: tagged map features and perceived-nuisance reports. "
        "GeoJSON (RFC 7946, WGS84 lon/lat) in and out."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "web.api.openapi.document_stream"],
    # The GeoJSON components of web/api/openapi.py share field names with different choices.
    "ENUM_NAME_OVERRIDES": {
        "GeoJSONFeatureTypeEnum": "web.api.openapi.FEATURE_TYPE",
        "GeoJSONCollectionTypeEnum": "web.api.openapi.COLLECTION_TYPE",
        "GeometryTypeEnum": "web.api.openapi.GEOMETRY_TYPES",
    },
}

# --- Cartoparty -----------------------------------------------------------------------------
# A contribution may lie this far outside its event's zone (GPS error, a bench on the border).
ZONE_TOLERANCE_M = env.float("ZONE_TOLERANCE_M", default=50.0)
# A nuisance report is a place, not a territory: lines and polygons are kept short.
REPORT_MAX_EXTENT_M = env.float("REPORT_MAX_EXTENT_M", default=500.0)
# The most vertices one submitted geometry may carry.
GEOMETRY_MAX_VERTICES = env.int("GEOMETRY_MAX_VERTICES", default=5000)
# Version of the contribution terms a participant accepts (stored with each consent).
TERMS_VERSION = env.str("TERMS_VERSION", default="2026-11")

# Participants join and contribute from this long before an event starts until this long
# after it ends (phones that kept contributions offline send them); then their tokens stop.
EVENT_OPENS_EARLY_MINUTES = env.int("EVENT_OPENS_EARLY_MINUTES", default=60)
EVENT_GRACE_HOURS = env.int("EVENT_GRACE_HOURS", default=24)

# Representativity analytics: every public or exported count of people below this is
# suppressed, and declared profiles are only ever shown in groups of at least this many.
REPRESENTATIVITY_K = env.int("REPRESENTATIVITY_K", default=5)
if REPRESENTATIVITY_K < 2:
    msg = "REPRESENTATIVITY_K must be at least 2 (1 would suppress nothing)."
    raise ValueError(msg)

# --- Organisers' desk (web/desk) -------------------------------------------------------------
LOGIN_URL = "desk:login"
LOGIN_REDIRECT_URL = "desk:home"
LOGOUT_REDIRECT_URL = "desk:home"
# How long a team keeps a grid square it took before the square is free again, in minutes.
GRID_LOCK_MINUTES = env.float("GRID_LOCK_MINUTES", default=45.0)
# Live view (server-sent events): how often the stream polls the database, and how long one
# response lasts before the browser reconnects (it resumes from its Last-Event-ID).
LIVE_POLL_SECONDS = env.float("LIVE_POLL_SECONDS", default=1.0)
LIVE_STREAM_SECONDS = env.float("LIVE_STREAM_SECONDS", default=300.0)
# Open live streams one server process serves at most (each costs a socket and a coroutine);
# more get 503 with Retry-After, and the browser retries.
LIVE_MAX_STREAMS = env.int("LIVE_MAX_STREAMS", default=2000)

# Base map. Maps draw the event's own base map (vector tiles built from its OSM extract,
# served under /tiles/): no other server is needed. An external raster tile server is an
# option: BASEMAP_USE_EXTERNAL=true draws BASEMAP_TILE_URL instead; it is also drawn for an
# event with no OSM context yet (set BASEMAP_TILE_URL="" for a plain background then).
BASEMAP_USE_EXTERNAL = env.bool("BASEMAP_USE_EXTERNAL", default=False)
# Tiles a participant's phone stores when joining, so the map draws with no network (the
# finest zooms are left out first past this count; MapLibre enlarges the finest one kept).
BASEMAP_OFFLINE_MAX_TILES = env.int("BASEMAP_OFFLINE_MAX_TILES", default=1500)
BASEMAP_TILE_URL = env.str(
    "BASEMAP_TILE_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
BASEMAP_ATTRIBUTION = env.str(
    "BASEMAP_ATTRIBUTION",
    default=('&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
             "contributors"),
)
# Maps (officer view, widget, citizen map) draw a layer (features, reports) from the data's
# vector tiles instead of GeoJSON once it holds more items than this (web/desk/map_sources.py).
MAP_TILES_ABOVE = env.int("MAP_TILES_ABOVE", default=2000)

# Street network of an event's overlay report: event slug → .osm file of its zone (relative
# to the repository or absolute), read offline by layers.osm_context. The Chambéry demo's.
OVERLAY_STREETS_OSM = env.dict("OVERLAY_STREETS_OSM", default={
    "chambery-centre": "mapping/data/demo/chambery_centre_2021.osm"})

# OSM extracts (import_osm, the base map): refused past these limits, so an import can never
# run the server out of memory or disk. Bytes are counted once decompressed (.gz, .bz2).
OSM_MAX_BYTES = env.int("OSM_MAX_BYTES", default=1 << 30)
OSM_MAX_ELEMENTS = env.int("OSM_MAX_ELEMENTS", default=20_000_000)

# The admin's map widgets (django-leaflet) draw the geometry alone, on a plain background:
# they cannot read our vector tiles, and an external server is only asked when allowed.
LEAFLET_CONFIG = {
    "TILES": [("OpenStreetMap", BASEMAP_TILE_URL, {"attribution": BASEMAP_ATTRIBUTION})]
    if BASEMAP_USE_EXTERNAL and BASEMAP_TILE_URL else [],
    "DEFAULT_CENTER": (45.566, 5.920),
    "DEFAULT_ZOOM": 15,
    "RESET_VIEW": False,
}

# --- Security -------------------------------------------------------------------------------
# HTTPS=true in production: cookies over TLS only, HTTP redirected to HTTPS, HSTS.
HTTPS = env.bool("HTTPS", default=False)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env.bool(
    "BEHIND_TLS_PROXY", default=False
) else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy on every page: no inline script, no foreign origin. What a
# contribution holds can then never run as script, even where a page forgot to escape it.
# An external base map (an option, never a need) is the only foreign origin allowed.
_tile_origin = [f"{urlsplit(BASEMAP_TILE_URL).scheme}://{urlsplit(BASEMAP_TILE_URL).netloc}"] \
    if BASEMAP_TILE_URL.startswith(("https://", "http://")) else []
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": [],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:", *_tile_origin],
        "font-src": ["'self'"],
        "connect-src": ["'self'", *_tile_origin],
        "worker-src": ["'self'", "blob:"],
        "child-src": ["'self'", "blob:"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    },
}

# Organisers' and admins' passwords (django-axes): after LOGIN_FAILURE_LIMIT failures for one
# user name from one address, that pair is locked out for LOGIN_LOCKOUT_MINUTES. Attempts are
# kept in the database: the lock holds across processes and restarts.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("LOGIN_LOCKOUT_MINUTES", default=15.0) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("NUM_PROXIES", default=0) or None
AXES_LOCKOUT_TEMPLATE = "desk/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
SPECTACULAR_SETTINGS.update(
    {"SWAGGER_UI_DIST": "SIDECAR", "SWAGGER_UI_FAVICON_HREF": "SIDECAR", "REDOC_DIST": "SIDECAR"}
)

# GDAL 3.6 (Debian 12) cannot block network access from spatial references; we never parse
# a user-supplied spatial reference (GeoJSON is WGS84 by definition), so the check is moot.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]
if SPATIAL_BACKEND == "spatialite" and "DATABASE_URL" not in env.ENVIRON:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
