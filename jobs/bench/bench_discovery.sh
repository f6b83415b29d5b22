#!/usr/bin/env bash
# Discovery benchmark (issue 8): the browse and search pages and the listing API of a release
# build, on SQLite and on PostgreSQL, with a catalogue of 100,000 things and 1,000,000 clicks
# in the current month (jobs/bench/bench_discovery.rs). wrk on loopback (server and load generator
# share this machine) prints requests/s and the latency percentiles; the p99 is the figure
# the issue's target (< 50 ms) is about. A benchmark, not a test: it asserts nothing.
#
# Usage: jobs/bench/bench_discovery.sh [seconds per run, default 10] [connections, default 1,2,8]
#        [sqlite] [postgres]   (default both)
# Connections are concurrent requests, kept busy: 1 measures how long a page takes, 8 loads
# the two cores of the reference machine past saturation (requests queue behind each other).
# Needs: wrk (apt-get install wrk), PostgreSQL at OBOLE_BENCH_PG_URL
# (default postgres://postgres@127.0.0.1:5432/postgres) and psql.
# OBOLE_BENCH_THINGS and OBOLE_BENCH_CLICKS change the catalogue's size.
set -euo pipefail
cd "$(dirname "$0")/../.."
duration=${1:-10}
connections=${2:-1,2,8}
shift $(( $# > 2 ? 2 : $# ))
backends=("$@")
[ ${#backends[@]} -eq 0 ] && backends=(sqlite postgres)
things=${OBOLE_BENCH_THINGS:-100000}
clicks=${OBOLE_BENCH_CLICKS:-1000000}
admin_url=${OBOLE_BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
command -v wrk >/dev/null || { echo "jobs/bench/bench_discovery.sh: wrk is missing (apt-get install wrk)" >&2; exit 1; }
cargo build --release --locked -q --bins
bin=$PWD/target/release
work=$(mktemp -d)
server=""
pg_db=obole_bench_discovery
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# The 20th of the seeded month: the month's clicks are "this month".
export OBOLE_LOG=error OBOLE_CLOCK=2026-11-20T12:00:00Z OBOLE_AUTO_SETTLE=false

results=()
for backend in "${backends[@]}"; do
  if [ "$backend" = postgres ]; then
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" -c "CREATE DATABASE $pg_db" >/dev/null
    export OBOLE_DATABASE_URL=${admin_url%/*}/$pg_db
  else
    export OBOLE_DATABASE_URL=sqlite://$work/bench.db
  fi
  echo "== $backend: seeding $things things and $clicks clicks"
  "$bin/obole-bench-discovery" seed --things "$things" --clicks "$clicks" --month 2026-11
  p=$(port)
  OBOLE_BIND=127.0.0.1:$p OBOLE_DATA_DIR=$work "$bin/obole" serve &
  server=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$p/healthz" >/dev/null && break; sleep 0.1; done
  for group in browse search api_browse api_search; do
    for c in ${connections//,/ }; do
      threads=$(( c < 2 ? 1 : 2 ))
      # A short warm-up (caches, prepared statements), then the measured run.
      GROUP=$group wrk -t$threads -c"$c" -d2s -s jobs/bench/bench_discovery.lua "http://127.0.0.1:$p" >/dev/null
      GROUP=$group wrk -t$threads -c"$c" -d"${duration}s" --latency -s jobs/bench/bench_discovery.lua \
        "http://127.0.0.1:$p" > "$work/wrk"
      rps=$(awk '/Requests\/sec/ { print $2 }' "$work/wrk")
      p50=$(awk '$1 == "50%" { print $2 }' "$work/wrk")
      p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk")
      errors=$(awk '/Non-2xx/ { print $5 }' "$work/wrk")
      results+=("$(printf "%-10s %-11s %11s %9s %9s %9s %7s" "$backend" "$group" "$c" "$rps" "$p50" "$p99" "${errors:-0}")")
      echo "${results[-1]}"
    done
  done
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  [ "$backend" = postgres ] && psql "$admin_url" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null
done
echo
printf "%-10s %-11s %11s %9s %9s %9s %7s\n" backend requests connections "req/s" p50 p99 non-2xx
printf "%s\n" "${results[@]}"
