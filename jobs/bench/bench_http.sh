#!/usr/bin/env bash
# HTTP benchmark: a release build of obole on SQLite and on PostgreSQL, loaded by wrk on
# loopback (server and load generator share this machine). Prints requests/s, p99 and the
# count of non-2xx answers per endpoint, beside an in-memory asset measured in the same run
# as the ceiling. A benchmark, not a test: it asserts nothing.
#
# Every click run starts from a freshly seeded database, in two states: "opening", where every
# reader's first click of the month (which reserves the budget in the ledger) falls in the
# run, all 4,000 of them in its first seconds, as on the first day of a month at its worst;
# and "steady", where the month's budgets are already reserved, as on the other days.
# Clicks are measured at several concurrencies: wrk keeps that many requests in flight, and
# more of them means more throughput and a longer wait.
#
# Usage: jobs/bench/bench_http.sh [seconds per run, default 10] [connections, default 64]
# Needs: wrk (apt-get install wrk), PostgreSQL at OBOLE_BENCH_PG_URL
# (default postgres://postgres@127.0.0.1:5432/postgres).
# OBOLE_BENCH_CLICK_CONNECTIONS overrides the click concurrencies (default "16 20 24 64").
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10}
connections=${2:-64}
click_connections=${OBOLE_BENCH_CLICK_CONNECTIONS:-16 20 24 64}
readers=${OBOLE_BENCH_READERS:-4000}
things=${OBOLE_BENCH_THINGS:-250}
admin_url=${OBOLE_BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
command -v wrk >/dev/null || { echo "jobs/bench/bench_http.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }
cargo build --release --locked -q --bins
bin=$PWD/target/release/obole
seed=$PWD/target/release/obole-bench-seed
work=$(mktemp -d)
server=""
pg_db=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  [ -n "$pg_db" ] && psql "$admin_url" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Prints "requests/s p99 non-2xx" for one wrk run.
measure() {
  local c=$1
  shift
  wrk -t2 -c"$c" -d"${duration}s" --latency "$@" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { p99 = $2 }
    /Non-2xx/ { errors = $5 }
    END { printf "%12s %10s %9s\n", rps, p99, errors + 0 }'
}

# Stops the server, makes a fresh seeded database of `backend` (more seeding options after
# it), starts the server on it and sets `base`.
fresh_server() {
  local backend=$1 url p
  shift
  if [ -n "$server" ]; then kill "$server"; wait "$server" 2>/dev/null || true; server=""; fi
  if [ "$backend" = PostgreSQL ]; then
    [ -n "$pg_db" ] && psql "$admin_url" -qc "DROP DATABASE $pg_db WITH (FORCE)" >/dev/null
    pg_db=obole_bench_$$
    psql "$admin_url" -qc "CREATE DATABASE $pg_db" >/dev/null
    url="${admin_url%/*}/$pg_db"
  else
    rm -rf "$work/sqlite"
    mkdir -p "$work/sqlite"
    url="$work/sqlite/bench.sqlite3"
  fi
  OBOLE_DATABASE_URL=$url OBOLE_LOG=error "$seed" --readers "$readers" --things "$things" --lua "$work/seed.lua" "$@" >/dev/null
  p=$(port)
  OBOLE_DATABASE_URL=$url OBOLE_DATA_DIR=$work/data OBOLE_BIND=127.0.0.1:$p OBOLE_LOG=error "$bin" &
  server=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$p/healthz" >/dev/null && break; sleep 0.1; done
  base="http://127.0.0.1:$p"
}

run_backend() {
  local name=$1 token thing c
  fresh_server "$name"
  token=$(sed -n '2p' "$work/seed.lua" | tr -d ' ",')
  thing=$(sed -n 's/^things = { \([0-9]*\).*/\1/p' "$work/seed.lua")
  printf '%-11s %-40s' "$name" "GET /assets/favicon.svg (ceiling) c$connections"; measure "$connections" "$base/assets/favicon.svg"
  printf '%-11s %-40s' "$name" "GET /t/{id}/badge.svg c$connections";             measure "$connections" "$base/t/$thing/badge.svg"
  printf '%-11s %-40s' "$name" "GET /api/v1/me (bearer + balances) c$connections";  measure "$connections" -H "Authorization: Bearer $token" "$base/api/v1/me"
  for c in $click_connections; do
    fresh_server "$name"
    printf '%-11s %-40s' "$name" "POST …/click, opening, c$c"
    SEED=$work/seed.lua THREADS=2 measure "$c" -s jobs/bench/bench_click.lua "$base"
    fresh_server "$name" --reserve
    printf '%-11s %-40s' "$name" "POST …/click, steady, c$c"
    SEED=$work/seed.lua THREADS=2 measure "$c" -s jobs/bench/bench_click.lua "$base"
  done
}

echo "wrk -t2 -d${duration}s on $(nproc) cores, $readers readers x $things things, $(date -u +%Y-%m-%d)"
printf '%-11s %-40s %12s %10s %9s\n' backend "endpoint and connections" "requests/s" p99 non-2xx
run_backend SQLite
run_backend PostgreSQL
