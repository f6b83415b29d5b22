#!/usr/bin/env bash
# Mail benchmark (issue 24): a month's statements sent to a local SMTP sink. A synthetic month
# is seeded (obole-bench-settle seed) and settled (`obole settle`); then `obole serve` runs
# with OBOLE_SMTP_URL pointing at a sink that only counts (jobs/bench/mail_sink.py, aiosmtpd
# 1.4.6), and its mail worker queues the month's statements (one per reader charged, one per
# creator paid) and sends them. Prints how many were sent and the messages per second, from
# the first message's arrival to the last. A benchmark, not a test: it asserts nothing.
#
# Usage: jobs/bench/bench_mail.sh [--readers N] [--clicks N] [--creators N] [--debug]
#        [--bin DIR] [sqlite] [postgres]
# Defaults: 100,000 readers, 2,000,000 clicks, 20,000 creators (about 120,000 statements),
# both databases, a release build (--debug: the debug build, for checking the script only;
# --bin DIR: DIR's obole and obole-bench-settle, built elsewhere, such as an earlier commit's).
# OBOLE_MAIL_SENDERS (default 4) sets the sender threads.
# Needs: python3 with venv (aiosmtpd goes into tests/.venv), PostgreSQL at OBOLE_BENCH_PG_URL
# (default postgres://postgres@127.0.0.1:5432/postgres) and psql.
set -euo pipefail
cd "$(dirname "$0")/../.."
readers=100000 clicks=2000000 creators=20000 profile=release backends=() bin_dir=
while [ $# -gt 0 ]; do
  case $1 in
    --readers) readers=$2; shift 2 ;;
    --clicks) clicks=$2; shift 2 ;;
    --creators) creators=$2; shift 2 ;;
    --debug) profile=debug; shift ;;
    --bin) bin_dir=$(cd "$2" && pwd); shift 2 ;;
    sqlite|postgres) backends+=("$1"); shift ;;
    *) echo "jobs/bench/bench_mail.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ ${#backends[@]} -eq 0 ] && backends=(sqlite postgres)
admin_url=${OBOLE_BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
venv=tests/.venv
[ -x $venv/bin/python ] || python3 -m venv $venv
$venv/bin/python -c "import aiosmtpd" 2>/dev/null || $venv/bin/pip install -q aiosmtpd==1.4.6
if [ -n "$bin_dir" ]; then
  bin=$bin_dir profile=given
elif [ $profile = release ]; then
  cargo build --release --locked -q --bins
  bin=$PWD/target/$profile
else
  cargo build --locked -q --bins
  bin=$PWD/target/$profile
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/obole-bench-mail.XXXXXX")
pg_db=obole_bench_mail
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
month=2026-10
export OBOLE_LOG=warn OBOLE_CLOCK=2026-11-02T08:00:00Z OBOLE_AUTO_SETTLE=false
free_port() { $venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

results=()
for backend in "${backends[@]}"; do
  if [ "$backend" = postgres ]; then
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" -c "CREATE DATABASE $pg_db" >/dev/null
    url=${admin_url%/*}/$pg_db
  else
    rm -f "$work"/bench.db*
    url=sqlite://$work/bench.db
  fi
  export OBOLE_DATABASE_URL=$url
  echo "== $backend: seeding $readers readers, $clicks clicks, $creators creators"
  "$bin/obole-bench-settle" seed --readers "$readers" --clicks "$clicks" --creators "$creators" --month $month
  "$bin/obole" settle --month $month | grep -v duration
  smtp_port=$(free_port)
  rm -f "$work/status"
  $venv/bin/python jobs/bench/mail_sink.py "$smtp_port" "$work/status" &
  sink=$!; pids+=("$sink")
  until [ -s "$work/status" ]; do sleep 0.2; done
  rm -rf "$work/data"; : > "$work/serve.log"
  NO_COLOR=1 OBOLE_LOG=info OBOLE_SMTP_URL=smtp://127.0.0.1:$smtp_port OBOLE_BIND=127.0.0.1:$(free_port) \
    OBOLE_DATA_DIR=$work/data "$bin/obole" serve > "$work/serve.log" 2>&1 &
  serve=$!; pids+=("$serve")
  started=$(date +%s.%N)
  # The worker queues the month's statements at its first pass, and logs how many.
  until queued=$(sed 's/\x1b\[[0-9;]*m//g' "$work/serve.log" | grep -m1 'statement mails queued' | grep -oE 'count=[0-9]+' | cut -d= -f2) && [ -n "$queued" ]; do
    kill -0 "$serve" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
    sleep 0.2
  done
  echo "queued: $queued statements"
  while read -r count first last < "$work/status" && [ "$count" -lt "$queued" ]; do
    kill -0 "$serve" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
    sleep 1
  done
  read -r count first last < "$work/status"
  kill "$serve" "$sink"; wait "$serve" "$sink" 2>/dev/null || true; pids=()
  seconds=$(awk -v a="$first" -v b="$last" 'BEGIN { printf "%.2f", b - a }')
  total=$(awk -v a="$started" -v b="$last" 'BEGIN { printf "%.2f", b - a }')
  rate=$(awk -v n="$count" -v s="$seconds" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
  echo "sent: $count in $seconds s ($rate messages/s); $total s from the server's start"
  results+=("$(printf "%-10s %8s %9s %10s %9s %8s" "$backend" "$profile" "$count" "$seconds" "$total" "$rate")")
  [ "$backend" != postgres ] || psql "$admin_url" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null
done
echo
printf "%-10s %8s %9s %10s %9s %8s\n" backend build messages "send s" "total s" "msg/s"
printf "%s\n" "${results[@]}"
