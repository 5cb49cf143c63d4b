#!/usr/bin/env bash
# Install what Cartoparty needs on Debian/Ubuntu: system packages, a virtualenv built from
# Debian's python3 (its sqlite3 can load SpatiaLite), the package and its test extras,
# compiled translations. Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(gdal-bin libsqlite3-mod-spatialite osmium-tool gettext python3-venv python3-dev chromium)
if [[ -n "${WITH_POSTGIS:-}" ]]; then APT_PACKAGES+=(postgresql-15-postgis-3); fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    echo "Installing system packages: ${missing[*]}"
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

PYTHON=/usr/bin/python3
if [[ ! -x .venv/bin/python ]]; then
    echo "Creating .venv from $PYTHON ($($PYTHON --version))"
    $PYTHON -m venv .venv
fi
stamp=.venv/.install-stamp
if [[ ! -f $stamp || pyproject.toml -nt $stamp ]]; then
    .venv/bin/pip install -q --upgrade pip
    .venv/bin/pip install -q -e ".[test]"
    touch "$stamp"
fi
# Front-end files (preset icons; axe-core for the browser tests): npm, never a CDN.
if ! command -v npm >/dev/null; then
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm
fi
if [[ ! -d node_modules || package-lock.json -nt node_modules ]]; then
    npm ci --no-audit --no-fund --silent && touch node_modules
fi
.venv/bin/cartoparty compilemessages --ignore=.venv --ignore=data -v0
