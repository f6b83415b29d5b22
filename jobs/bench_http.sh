#!/usr/bin/env bash
# HTTP throughput baseline: a release build of obole on SQLite and on PostgreSQL, loaded by wrk
# on loopback (server and load generator share this machine). Prints requests/s and p99 per
# endpoint. A benchmark, not a test: it asserts nothing.
#
# Usage: jobs/bench_http.sh [seconds per run, default 10] [connections, default 64]
# Needs: wrk (apt-get install wrk), PostgreSQL at OBOLE_BENCH_PG_URL
# (default postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-64}
admin_url=${OBOLE_BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
command -v wrk >/dev/null || { echo "jobs/bench_http.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }
cargo build --release --locked -q
bin=$PWD/target/release/obole
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Prints "requests/s p99" for one wrk run.
measure() {
  wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { p99 = $2 }
    END { printf "%12s %10s\n", rps, p99 }'
}

run_backend() {
  local name=$1 url=$2 p
  p=$(port)
  OBOLE_DATABASE_URL=$url OBOLE_DATA_DIR=$work/$name OBOLE_BIND=127.0.0.1:$p OBOLE_LOG=error "$bin" &
  server=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$p/healthz" >/dev/null && break; sleep 0.1; done
  local base="http://127.0.0.1:$p"
  curl -sf -X POST "$base/api/v1/accounts" -d '{"email":"bench@example.org","password":"correct horse"}' >/dev/null
  local token
  token=$(curl -sf -X POST "$base/api/v1/tokens" -d '{"email":"bench@example.org","password":"correct horse"}' |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
  printf '%-11s %-38s' "$name" "GET /assets/favicon.svg (ceiling)"; measure "$base/assets/favicon.svg"
  printf '%-11s %-38s' "$name" "GET /healthz (one query)";          measure "$base/healthz"
  printf '%-11s %-38s' "$name" "GET /api/v1/me (bearer + balances)"; measure -H "Authorization: Bearer $token" "$base/api/v1/me"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
}

echo "wrk -t2 -c$connections -d${duration}s on $(nproc) cores, $(date -u +%Y-%m-%d)"
printf '%-11s %-38s %12s %10s\n' backend endpoint "requests/s" p99
run_backend SQLite "$work/bench.sqlite3"
db=obole_bench_$$
psql "$admin_url" -qc "CREATE DATABASE $db" >/dev/null
run_backend PostgreSQL "${admin_url%/*}/$db"
psql "$admin_url" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
