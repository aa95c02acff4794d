#!/usr/bin/env bash
# Run every test of the course from a fresh checkout:
#   1. make a virtual environment (.venv, or $MSLBP_VENV) unless it exists,
#   2. install the course and its test tools (requirements-dev.txt),
#   3. install Debian's chromium for the browser tests when it is missing (needs root or sudo), and npm's
#      configurable-http-proxy (the JupyterHub test's proxy) into the virtual environment's folder, never the repo,
#   4. run pytest over tests/ and notebooks/ (unit tests, nbval on every notebook, browser tests).
# Extra arguments go to pytest, e.g. `bash scripts/run-tests.sh -m "not browser"`.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${MSLBP_VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
  echo "== making a virtual environment in $VENV"
  "$PYTHON" -m venv "$VENV"
fi
echo "== installing requirements-dev.txt"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

if [ ! -x /usr/bin/chromium ]; then
  echo "== installing Debian's chromium (for the browser tests)"
  if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "chromium is missing and this user cannot install it: run 'apt-get install chromium' as root" >&2
    exit 1
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

CHP_VERSION=5.3.0
CHP_PREFIX="$VENV/node-chp-$CHP_VERSION"
if [ ! -x "$CHP_PREFIX/node_modules/.bin/configurable-http-proxy" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "== installing Debian's npm (for the JupyterHub test's configurable-http-proxy)"
    if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "npm is missing and this user cannot install it: run 'apt-get install npm' as root" >&2
      exit 1
    fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq npm >/dev/null
  fi
  echo "== installing configurable-http-proxy $CHP_VERSION (npm, into $CHP_PREFIX)"
  npm install --prefix "$CHP_PREFIX" --no-audit --no-fund --silent "configurable-http-proxy@$CHP_VERSION"
fi
export MSLBP_CHP="$CHP_PREFIX/node_modules/.bin/configurable-http-proxy"

echo "== running the tests"
exec "$VENV/bin/python" -m pytest "$@"
