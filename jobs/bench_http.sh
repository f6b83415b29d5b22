#!/usr/bin/env bash
# HTTP benchmark: a release build of obole on SQLite and on PostgreSQL, loaded by wrk on
# loopback (server and load generator share this machine). Prints requests/s, p99 and the
# count of non-2xx answers per endpoint, beside an in-memory asset measured in the same run
# as the ceiling. A benchmark, not a test: it asserts nothing.
#
# Usage: jobs/bench_http.sh [seconds per run, default 10] [connections, default 64]
# Needs: wrk (apt-get install wrk), PostgreSQL at OBOLE_BENCH_PG_URL
# (default postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
connections=${2:-64}
readers=${OBOLE_BENCH_READERS:-4000}
admin_url=${OBOLE_BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
command -v wrk >/dev/null || { echo "jobs/bench_http.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }
cargo build --release --locked -q --bins
bin=$PWD/target/release/obole
seed=$PWD/target/release/obole-bench-seed
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Prints "requests/s p99 non-2xx" for one wrk run.
measure() {
  wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { p99 = $2 }
    /Non-2xx/ { errors = $5 }
    END { printf "%12s %10s %9s\n", rps, p99, errors + 0 }'
}

run_backend() {
  local name=$1 url=$2 p base
  OBOLE_DATABASE_URL=$url OBOLE_LOG=error "$seed" --readers "$readers" --things 100 --lua "$work/seed.lua" >/dev/null
  p=$(port)
  OBOLE_DATABASE_URL=$url OBOLE_DATA_DIR=$work/$name OBOLE_BIND=127.0.0.1:$p OBOLE_LOG=error "$bin" &
  server=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$p/healthz" >/dev/null && break; sleep 0.1; done
  base="http://127.0.0.1:$p"
  local token thing
  token=$(sed -n '2p' "$work/seed.lua" | tr -d ' ",')
  thing=$(sed -n 's/^things = { \([0-9]*\).*/\1/p' "$work/seed.lua")
  printf '%-11s %-40s' "$name" "GET /assets/favicon.svg (ceiling)"; measure "$base/assets/favicon.svg"
  printf '%-11s %-40s' "$name" "GET /t/{id}/badge.svg";             measure "$base/t/$thing/badge.svg"
  printf '%-11s %-40s' "$name" "GET /api/v1/me (bearer + balances)";  measure -H "Authorization: Bearer $token" "$base/api/v1/me"
  printf '%-11s %-40s' "$name" "POST /api/v1/things/{id}/click";      SEED=$work/seed.lua THREADS=2 measure -s jobs/bench_click.lua "$base"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
}

echo "wrk -t2 -c$connections -d${duration}s on $(nproc) cores, $readers readers x 100 things, $(date -u +%Y-%m-%d)"
printf '%-11s %-40s %12s %10s %9s\n' backend endpoint "requests/s" p99 non-2xx
run_backend SQLite "$work/bench.sqlite3"
db=obole_bench_$$
psql "$admin_url" -qc "CREATE DATABASE $db" >/dev/null
run_backend PostgreSQL "${admin_url%/*}/$db"
psql "$admin_url" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
