#!/usr/bin/env bash
# Everything the test suite needs, from scratch: the package with its test extras, Debian's
# Chromium for the browser tests (Playwright drives /usr/bin/chromium; it downloads no browser
# of its own), and axe-core from npm for the accessibility checks.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --upgrade pip
python3 -m pip install --quiet -e ".[dev]"

# apt_install WHY PACKAGE...: Debian's packages, as root; otherwise say what to install.
apt_install() {
    local why="$1"
    shift
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    else
        echo "install Debian's $* (sudo apt-get install $*) $why" >&2
        exit 1
    fi
}

if [ ! -x /usr/bin/chromium ]; then
    apt_install "for the browser tests" chromium
fi

if [ ! -f tests/.node/node_modules/axe-core/axe.min.js ]; then
    if ! command -v npm >/dev/null; then
        apt_install "for the accessibility tests (axe-core)" nodejs npm
    fi
    npm install --silent --no-audit --no-fund --prefix tests/.node axe-core@4 >/dev/null
fi

# A real PostgreSQL for the event store tests (tests/pgserver.py runs initdb/pg_ctl itself).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt_install "for the event store tests" postgresql
fi
