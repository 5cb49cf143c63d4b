# The web image used by docker-compose.yml (Debian 12, GDAL and SpatiaLite from Debian).
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
        gdal-bin libsqlite3-mod-spatialite gettext osmium-tool \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . /app
RUN pip install --no-cache-dir . && cartoparty compilemessages --ignore=.venv
EXPOSE 8000
