#!/usr/bin/env bash
# Times `catalint check --only schema --format json` over a generated catalog
# tree and prints entities, files, wall time, entities/second and peak RSS.
#
#   bash scripts/bench-check.sh [ENTITIES]      # default 20000
#
# Environment: PER_FILE (average entities per file, default 8), SEED
# (default 1), INVALID (fraction of broken entities, default 0.02), RUNS
# (timed runs, default 1; each is reported), KEEP=1 keeps the temp folder,
# EXTERNAL_DEFS=1 writes API definitions as files read through $text.
#
# catalint exits 1 because the tree holds deliberately invalid entities;
# exit codes 0 and 1 count as success, anything else fails the script.
set -euo pipefail

entities="${1:-20000}"
per_file="${PER_FILE:-8}"
seed="${SEED:-1}"
invalid="${INVALID:-0.02}"
runs="${RUNS:-1}"

case "$entities" in
  '' | *[!0-9]*) echo "usage: bash scripts/bench-check.sh [ENTITIES]" >&2; exit 2 ;;
esac

cd "$(dirname "${BASH_SOURCE[0]}")/.."

tmp="$(mktemp -d "${TMPDIR:-/tmp}/catalint-bench.XXXXXX")"
if [ "${KEEP:-0}" = 1 ]; then
  echo "keeping $tmp" >&2
else
  trap 'rm -rf "$tmp"' EXIT
fi

echo "building catalint and gencatalog..." >&2
go build -o "$tmp/catalint" ./cmd/catalint
go build -o "$tmp/gencatalog" ./scripts/gencatalog

tree="$tmp/tree"
"$tmp/gencatalog" -out "$tree" -entities "$entities" -per-file "$per_file" -seed "$seed" -invalid "$invalid" ${EXTERNAL_DEFS:+-external-definitions} -summary-json >"$tmp/summary.json"
files="$(find "$tree" -name catalog-info.yaml -type f | wc -l | tr -d ' ')"
bytes="$(sed -n 's/.*"bytes":\([0-9]*\).*/\1/p' "$tmp/summary.json")"
invalid_n="$(sed -n 's/.*"invalid":\([0-9]*\).*/\1/p' "$tmp/summary.json")"

have_time=0
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
  have_time=1
fi

printf 'catalint %s\n' "$("$tmp/catalint" --version 2>/dev/null || echo '(no --version)')"
printf 'tree:      %s entities (%s deliberately invalid), %s files, %s bytes\n' "$entities" "${invalid_n:-?}" "$files" "$bytes"
printf 'command:   catalint check --only schema --format json DIR > /dev/null\n'
printf 'cpus:      %s\n' "$(nproc 2>/dev/null || echo '?')"

status=0
for run in $(seq 1 "$runs"); do
  rc=0
  if [ "$have_time" = 1 ]; then
    /usr/bin/time -v -o "$tmp/time.txt" \
      "$tmp/catalint" check --only schema --format json "$tree" >/dev/null 2>"$tmp/stderr.txt" || rc=$?
    wall="$(awk -F': ' '/Elapsed \(wall clock\) time/ {
      n = split($2, p, ":"); s = 0
      for (i = 1; i <= n; i++) s = s * 60 + p[i]
      printf "%.3f", s }' "$tmp/time.txt")"
    rss_kb="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")"
    user="$(awk -F': ' '/User time \(seconds\)/ {print $2}' "$tmp/time.txt")"
    sys="$(awk -F': ' '/System time \(seconds\)/ {print $2}' "$tmp/time.txt")"
    # /usr/bin/time reports a signal as "Command terminated by signal N".
    if grep -q 'terminated by signal' "$tmp/time.txt"; then rc=128; fi
  else
    TIMEFORMAT='%R %U %S'
    { time "$tmp/catalint" check --only schema --format json "$tree" >/dev/null 2>"$tmp/stderr.txt" || rc=$?; } 2>"$tmp/time.txt"
    read -r wall user sys <"$tmp/time.txt"
    rss_kb=""
  fi
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    echo "run $run: catalint failed with exit code $rc" >&2
    sed -n '1,20p' "$tmp/stderr.txt" >&2
    status=1
    continue
  fi
  rate="$(awk -v n="$entities" -v t="$wall" 'BEGIN { if (t > 0) printf "%.0f", n / t; else print "inf" }')"
  echo "$wall" >>"$tmp/walls.txt"
  printf 'run %s:     exit %s, wall %ss (user %ss, sys %ss), %s entities/s' "$run" "$rc" "$wall" "$user" "$sys" "$rate"
  if [ -n "$rss_kb" ]; then
    printf ', peak RSS %s KiB (%s MiB)\n' "$rss_kb" "$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')"
  else
    printf ', peak RSS unknown (no /usr/bin/time)\n'
  fi
done
# Several runs: the minimum and the median, which a noisy machine moves
# least.
if [ "$runs" -gt 1 ] && [ -s "$tmp/walls.txt" ]; then
  sort -n "$tmp/walls.txt" | awk -v n="$entities" '{ w[NR] = $1 } END {
    m = (NR % 2) ? w[(NR + 1) / 2] : (w[NR / 2] + w[NR / 2 + 1]) / 2
    printf "summary:   %d runs, wall min %.3fs, median %.3fs; %.0f entities/s at the median\n", NR, w[1], m, n / m }'
fi
exit "$status"
