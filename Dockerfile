# The web image used by docker-compose.yml (Debian 12, GDAL and SpatiaLite from Debian).
# Front-end libraries come from npm at build time (never a CDN at run time).
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
        gdal-bin libsqlite3-mod-spatialite gettext osmium-tool \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . /app
COPY --from=assets /app/node_modules /app/node_modules
# Editable: settings find node_modules/ and the demo data beside the code (BASE_DIR = /app).
RUN pip install --no-cache-dir -e . && cartoparty compilemessages --ignore=node_modules
EXPOSE 8000
CMD ["cartoparty", "serve", "0.0.0.0:8000", "--no-qr"]
