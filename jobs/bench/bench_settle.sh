#!/usr/bin/env bash
# Settlement benchmark (issue 5): a synthetic closed month on SQLite and on PostgreSQL, settled
# by a release build of `obole settle`, beside the floor measured in the same run: one ordered
# read of the month's clicks (a plain scan through the same driver on SQLite, `COPY … TO STDOUT`
# on PostgreSQL). Prints the duration, the peak memory (maximum resident set size, from
# /usr/bin/time) and the ratio to the floor. A benchmark, not a test: it asserts nothing.
#
# Usage: jobs/bench/bench_settle.sh [--readers N] [--clicks N] [--creators N] [--unclaimed PERCENT]
#        [--runs N] [--compare DIR] [--bin DIR] [sqlite] [postgres]
# Defaults: 1,000,000 readers, 20,000,000 clicks, 200,000 creators, 10 % of the things
# unclaimed (their shares held), both databases, one run.
# --runs N settles N fresh copies of the one seeded month (PostgreSQL: a database made from
# it as a template; SQLite: a copy of the file) and prints the median. --compare DIR also
# settles each copy with DIR/obole, another build (say a release build of the commit before a
# change, in its own worktree), alternating which goes first, and prints the ratio of the
# medians: a before/after on the same data, whose run-to-run noise (a second or more on
# PostgreSQL, between seedings) would otherwise hide a few per cent. --bin DIR seeds and
# settles with DIR's obole and obole-bench-settle instead of this tree's release build: with
# the build before a migration as --bin and the new one as --compare, the month is seeded
# without the migration, which the new build applies to each copy it settles.
# Needs: /usr/bin/time (apt-get install time), PostgreSQL at OBOLE_BENCH_PG_URL
# (default postgres://postgres@127.0.0.1:5432/postgres) and psql. The generated databases
# take about 5 GB at full size (OBOLE_BENCH_DIR, default a temporary directory).
set -euo pipefail
cd "$(dirname "$0")/../.."
readers=1000000 clicks=20000000 creators=200000 unclaimed=10 runs=1 compare="" bin_dir="" backends=()
while [ $# -gt 0 ]; do
  case $1 in
    --readers) readers=$2; shift 2 ;;
    --clicks) clicks=$2; shift 2 ;;
    --creators) creators=$2; shift 2 ;;
    --unclaimed) unclaimed=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --compare) compare=$(cd "$2" && pwd); shift 2 ;;
    --bin) bin_dir=$(cd "$2" && pwd); shift 2 ;;
    sqlite|postgres) backends+=("$1"); shift ;;
    *) echo "jobs/bench/bench_settle.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ ${#backends[@]} -eq 0 ] && backends=(sqlite postgres)
admin_url=${OBOLE_BENCH_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}
[ -z "$compare" ] || [ -x "$compare/obole" ] || { echo "jobs/bench/bench_settle.sh: $compare/obole is missing" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "jobs/bench/bench_settle.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
if [ -n "$bin_dir" ]; then
  bin=$bin_dir
else
  cargo build --release --locked -q --bins
  bin=$PWD/target/release
fi
work=$(mktemp -d "${OBOLE_BENCH_DIR:-${TMPDIR:-/tmp}}/obole-bench-settle.XXXXXX")
pg_db=obole_bench_settle
cleanup() {
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" -c "DROP DATABASE IF EXISTS ${pg_db}_run WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
month=2026-10
export OBOLE_LOG=warn OBOLE_CLOCK=2026-11-02T08:00:00Z OBOLE_AUTO_SETTLE=false

now() { date +%s.%N; }

results=()
for backend in "${backends[@]}"; do
  if [ "$backend" = postgres ]; then
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" -c "CREATE DATABASE $pg_db" >/dev/null
    url=${admin_url%/*}/$pg_db
  else
    url=sqlite://$work/bench.db
  fi
  export OBOLE_DATABASE_URL=$url
  echo "== $backend: seeding $readers readers, $clicks clicks, $creators creators"
  "$bin/obole-bench-settle" seed --readers "$readers" --clicks "$clicks" --creators "$creators" --unclaimed "$unclaimed" --month $month | tee "$work/seed"
  generated=$(awk '/ clicks in / { print $(NF - 3) }' "$work/seed")
  # The floor, twice: the first read warms the cache, the second is the figure.
  for _ in 1 2; do
    if [ "$backend" = postgres ]; then
      start=$(now)
      psql "$url" -qc "COPY (SELECT reader_id, thing_id FROM clicks WHERE month = '$month' ORDER BY reader_id, thing_id) TO STDOUT" >/dev/null
      floor=$(awk -v end="$(now)" -v start="$start" 'BEGIN { printf "%.3f", end - start }')
    else
      floor=$("$bin/obole-bench-settle" floor --month $month | sed -E 's/.* in ([0-9.]+) s.*/\1/')
    fi
  done
  echo "floor: $floor s"
  dry_started=$(now)
  "$bin/obole" settle --month $month --dry-run | grep -v duration
  echo "dry run: $(awk -v end="$(now)" -v start="$dry_started" 'BEGIN { printf "%.2f", end - start }') s"
  # One settlement of a fresh copy of the seeded month by $1/obole; its seconds and peak KiB
  # go to $work/time.
  settle_copy() {
    if [ "$backend" = postgres ]; then
      psql "$admin_url" -qc "DROP DATABASE IF EXISTS ${pg_db}_run WITH (FORCE)" \
        -c "CREATE DATABASE ${pg_db}_run TEMPLATE $pg_db STRATEGY FILE_COPY" -c CHECKPOINT >/dev/null
      run_url=${admin_url%/*}/${pg_db}_run
    else
      rm -f "$work"/run.db*
      # No process has it open: the file and its write-ahead log, if any, are the month.
      cp "$work/bench.db" "$work/run.db"
      [ ! -e "$work/bench.db-wal" ] || cp "$work/bench.db-wal" "$work/run.db-wal"
      run_url=sqlite://$work/run.db
    fi
    sync
    OBOLE_DATABASE_URL=$run_url OBOLE_LOG=info /usr/bin/time -f "%e %M" -o "$work/time" "$1/obole" settle --month $month
  }
  median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
  this=() other=() peak_kib=0
  for ((run = 1; run <= runs; run++)); do
    order=("$bin")
    [ -z "$compare" ] || { if ((run % 2)); then order=("$bin" "$compare"); else order=("$compare" "$bin"); fi; }
    for build in "${order[@]}"; do
      settle_copy "$build" > "$work/settle.log" 2>&1 || { cat "$work/settle.log"; exit 1; }
      read -r seconds kib < "$work/time"
      if [ "$build" = "$bin" ]; then
        this+=("$seconds"); peak_kib=$((kib > peak_kib ? kib : peak_kib)); label="this build"
        [ "$run" -gt 1 ] || grep -v duration "$work/settle.log"
      else
        other+=("$seconds"); label=$compare
      fi
      echo "run $run, $label: $seconds s, peak $((kib / 1024)) MiB"
    done
  done
  seconds=$(printf "%s\n" "${this[@]}" | median)
  peak_mib=$((peak_kib / 1024))
  ratio=$(awk -v s="$seconds" -v f="$floor" 'BEGIN { printf "%.2f", s / f }')
  results+=("$(printf "%-10s %9s %10s %8s %9s %9s %6s× %9s" "$backend" "$readers" "$generated" "$creators" "$floor" "$seconds" "$ratio" "$peak_mib")")
  if [ -n "$compare" ]; then
    before=$(printf "%s\n" "${other[@]}" | median)
    results+=("$(printf "%-10s compared: %s median %s s, this build %s s: %+.1f %%" "$backend" "$compare" "$before" "$seconds" "$(awk -v a="$seconds" -v b="$before" 'BEGIN { print (a / b - 1) * 100 }')")")
  fi
  if [ "$backend" = postgres ]; then
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS ${pg_db}_run WITH (FORCE)" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null
  else
    rm -f "$work"/bench.db*
  fi
done
echo
printf "%-10s %9s %10s %8s %9s %9s %7s %9s\n" backend readers clicks creators "floor s" "settle s" ratio "peak MiB"
printf "%s\n" "${results[@]}"
