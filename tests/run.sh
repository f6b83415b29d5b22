#!/usr/bin/env bash
# Runs the whole test suite on SQLite and on PostgreSQL.
#
# Installs and starts what the tests need, idempotently: the build's C libraries, PostgreSQL
# (started if installed but stopped, installed if missing), headless Chromium and chromedriver,
# maildev (an SMTP server with an HTTP API), oauth2-mock-server (an OAuth2 provider),
# localstripe (a Stripe-compatible API), each test starting its own of these three, and
# Schemathesis (checks the API against its OpenAPI document, tests/integration/api_schemathesis.rs).
# When CI is set, a peer that cannot be provided fails the run instead of skipping tests.
#
# Usage: tests/run.sh [cargo test filter…]
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }
warn() { printf 'tests/run.sh: warning: %s\n' "$*" >&2; }
fail() { printf 'tests/run.sh: %s\n' "$*" >&2; exit 1; }
missing_peer() {
  if [ -n "${CI:-}" ]; then fail "$1 (CI is set: a missing peer is a failure)"; fi
  warn "$1; the tests that need it are skipped"
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

apt_updated=""
# Installs the Debian packages of the list that are not installed yet.
apt_install() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || return 1
  log "Installing ${missing[*]}"
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq || return 1; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Polls a URL for at most $2 tenths of a second.
wait_for_http() {
  local url=$1 tries=$2 i
  for ((i = 0; i < tries; i++)); do
    python3 - "$url" <<'PY' && return 0
import sys, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=1)
except Exception:
    sys.exit(1)
PY
    sleep 0.1
  done
  return 1
}

# --- Build prerequisites ------------------------------------------------------------------
apt_install libpq-dev libssl-dev pkg-config gcc || warn "could not install libpq-dev, libssl-dev, pkg-config, gcc"

# --- PostgreSQL ---------------------------------------------------------------------------
pg_url="${OBOLE_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_answers() { psql "$pg_url" -Atqc 'SELECT 1' >/dev/null 2>&1; }

ensure_postgres() {
  apt_install postgresql-client || true
  pg_answers && return 0
  if [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    apt_install postgresql || return 1
  fi
  local version i
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  log "Starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  for ((i = 0; i < 60; i++)); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.5; done
  pg_answers && return 0
  # A freshly installed Debian cluster wants a password over TCP: give the postgres role a
  # test-only one (loopback connections only).
  if [ -z "${OBOLE_TEST_PG_URL:-}" ]; then
    as_postgres psql -qc "ALTER ROLE postgres PASSWORD 'obole-test'" >/dev/null 2>&1 || return 1
    pg_url="postgres://postgres:obole-test@127.0.0.1:5432/postgres"
    pg_answers
  else
    return 1
  fi
}

postgres_ready=""
if ensure_postgres; then
  postgres_ready=1
else
  missing_peer "PostgreSQL is not reachable at $pg_url"
fi

# --- Headless Chromium and chromedriver -----------------------------------------------------
chromedriver_pid=""
cleanup() { if [ -n "$chromedriver_pid" ]; then kill "$chromedriver_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

if apt_install chromium chromium-driver && command -v chromedriver >/dev/null; then
  port=$(free_port)
  mkdir -p target
  chromedriver --port="$port" --allowed-ips=127.0.0.1 >target/chromedriver.log 2>&1 &
  chromedriver_pid=$!
  if wait_for_http "http://127.0.0.1:$port/status" 100; then
    export OBOLE_TEST_WEBDRIVER="http://127.0.0.1:$port"
    OBOLE_TEST_CHROMIUM=$(command -v chromium)
    export OBOLE_TEST_CHROMIUM
  else
    missing_peer "chromedriver did not answer (see target/chromedriver.log)"
  fi
else
  missing_peer "Chromium and chromedriver could not be installed"
fi

# --- A real SMTP server: maildev 2.2.1 (npm, pinned by tests/tools/package-lock.json) ---------
# Each mail test starts its own maildev on ports of its own; this only installs it. The same
# folder holds axe-core 4, which the browser tests inject into pages to check accessibility.
ensure_maildev() {
  local bin=tests/tools/node_modules/.bin/maildev axe=tests/tools/node_modules/axe-core/axe.min.js
  if [ ! -x "$bin" ] || [ ! -f "$axe" ]; then
    command -v npm >/dev/null || apt_install nodejs npm || return 1
    log "Installing maildev and axe-core (tests/tools)"
    (cd tests/tools && npm ci --no-audit --no-fund --loglevel=error) || return 1
  fi
  [ -x "$bin" ] && [ -f "$axe" ] || return 1
  OBOLE_TEST_MAILDEV="$(pwd)/$bin"
  OBOLE_TEST_AXE="$(pwd)/$axe"
  export OBOLE_TEST_MAILDEV OBOLE_TEST_AXE
}
ensure_maildev || missing_peer "maildev and axe-core could not be installed (npm)"
# The TLS mail test makes its certificate with the openssl command.
command -v openssl >/dev/null || apt_install openssl || missing_peer "the openssl command could not be installed (apt)"

# --- An OAuth2 provider: oauth2-mock-server 8.2.3 (same npm folder), behind a small script ----
if [ -f tests/tools/node_modules/oauth2-mock-server/package.json ] && command -v node >/dev/null; then
  OBOLE_TEST_OAUTH_PROVIDER="$(pwd)/tests/tools/oauth-provider.mjs"
  export OBOLE_TEST_OAUTH_PROVIDER
else
  missing_peer "oauth2-mock-server could not be installed (npm)"
fi

# --- A Stripe-compatible API: localstripe 1.15.10 (PyPI), in tests/.venv ---------------------
ensure_localstripe() {
  local venv=tests/.venv
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$venv"; } || return 1
  fi
  if ! "$venv/bin/python" -c 'import localstripe' 2>/dev/null; then
    log "Installing localstripe (tests/.venv)"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/tools/requirements.txt || return 1
  fi
  OBOLE_TEST_LOCALSTRIPE="$(pwd)/$venv/bin/python"
  export OBOLE_TEST_LOCALSTRIPE
}
ensure_localstripe || missing_peer "localstripe could not be installed (pip)"

# --- Schemathesis 4.32.5 (PyPI, pinned by tests/tools/requirements-schemathesis.txt), same venv ---
ensure_schemathesis() {
  local venv=tests/.venv
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv" || return 1
  if ! "$venv/bin/python" -c 'import schemathesis' 2>/dev/null || [ ! -x "$venv/bin/st" ]; then
    log "Installing Schemathesis (tests/.venv)"
    "$venv/bin/pip" install --quiet --disable-pip-version-check \
      -r tests/tools/requirements-schemathesis.txt || return 1
  fi
  OBOLE_TEST_SCHEMATHESIS="$(pwd)/$venv/bin/st"
  export OBOLE_TEST_SCHEMATHESIS
}
ensure_schemathesis || missing_peer "Schemathesis could not be installed (pip)"

# --- The SEPA schema: pain.001.001.03.xsd from PyPI's sepaxml 2.7.0 wheel, and xmllint -------
ensure_sepa_schema() {
  command -v xmllint >/dev/null || apt_install libxml2-utils || return 1
  local dir=tests/.venv/sepaxml schema=tests/.venv/sepaxml/pain.001.001.03.xsd
  if [ ! -f "$schema" ]; then
    log "Fetching the pain.001.001.03 schema (sepaxml 2.7.0 wheel)"
    mkdir -p "$dir"
    # The venv's pip (localstripe's, above); Debian's python3 has none of its own.
    tests/.venv/bin/pip download --quiet --disable-pip-version-check --no-deps \
      sepaxml==2.7.0 -d "$dir" || return 1
    python3 - "$dir" <<'PY' || return 1
import glob, sys, zipfile
folder = sys.argv[1]
wheel = zipfile.ZipFile(glob.glob(folder + "/sepaxml-2.7.0-*.whl")[0])
with open(folder + "/pain.001.001.03.xsd", "wb") as out:
    out.write(wheel.read("sepaxml/schemas/pain.001.001.03.xsd"))
PY
  fi
  OBOLE_TEST_XMLLINT="$(command -v xmllint)"
  OBOLE_TEST_SEPA_XSD="$(pwd)/$schema"
  export OBOLE_TEST_XMLLINT OBOLE_TEST_SEPA_XSD
}
ensure_sepa_schema || missing_peer "xmllint or the SEPA schema could not be installed (apt, pip)"

# --- The suite, once per database -----------------------------------------------------------
ran=()
log "Building the tests"
cargo build --locked --all-targets

log "Test suite on SQLite (unit tests and integration tests)"
OBOLE_TEST_DB=sqlite cargo test --locked --all-targets -- "$@"
ran+=("SQLite")

if [ -n "$postgres_ready" ]; then
  log "Test suite on PostgreSQL (integration tests)"
  OBOLE_TEST_DB=postgres OBOLE_TEST_PG_URL="$pg_url" cargo test --locked --test integration -- "$@"
  ran+=("PostgreSQL")
fi

# The Debian package, built from the binary above, installed and removed (about 15 s; the first
# run also compiles cargo-deb, about 5 minutes).
if [ -n "${CI:-}" ] || [ -n "${OBOLE_TEST_PACKAGE:-}" ]; then
  log "Debian package (tests/package.sh)"
  tests/package.sh
fi

log "The suite passed on: ${ran[*]}"
if [ ${#ran[@]} -lt 2 ]; then
  warn "the suite did not run on both databases"
  [ -n "${CI:-}" ] && exit 1
fi
exit 0
