#!/usr/bin/env bash
# Times `catalint check --only schema --format json` over a generated catalog
# tree and prints entities, files, wall time, entities/second and peak RSS.
#
#   bash scripts/bench-check.sh [ENTITIES]      # default 20000
#
# Environment: PER_FILE (average entities per file, default 8), SEED
# (default 1), INVALID (fraction of broken entities, default 0.02), RUNS
# (timed runs, default 1; each is reported), KEEP=1 keeps the temp folder,
# EXTERNAL_DEFS=1 writes API definitions as files read through $text,
# STYLE=pyyaml writes the tree as PyYAML does (gencatalog -style; default
# block), BASELINE=PATH times another catalint binary too (e.g. one built
# from main), and YAMLV3=1 times yaml.v3's bare parse of the tree's YAML
# files (scripts/yamlparse, on all cores), and BACKSTAGE=1 times
# Backstage's own parse and validators over the same files under Node
# (scripts/backstage-validate.js; needs the packages
# ../shared/backstage/start.sh installs). Each run times every command
# once, one after the other, so that a noisy machine moves them alike.
# PROFILE=DIR writes a CPU profile of each catalint run to
# DIR/catalint-STYLE-RUN.prof (go tool pprof).
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
if [ "${YAMLV3:-0}" = 1 ]; then go build -o "$tmp/yamlparse" ./scripts/yamlparse; fi

tree="$tmp/tree"
"$tmp/gencatalog" -out "$tree" -entities "$entities" -per-file "$per_file" -seed "$seed" -invalid "$invalid" -style "${STYLE:-block}" ${EXTERNAL_DEFS:+-external-definitions} -summary-json >"$tmp/summary.json"
files="$(find "$tree" -name catalog-info.yaml -type f | wc -l | tr -d ' ')"
bytes="$(sed -n 's/.*"bytes":\([0-9]*\).*/\1/p' "$tmp/summary.json")"
invalid_n="$(sed -n 's/.*"invalid":\([0-9]*\).*/\1/p' "$tmp/summary.json")"

have_time=0
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
  have_time=1
fi

printf 'catalint %s\n' "$("$tmp/catalint" --version 2>/dev/null || echo '(no --version)')"
printf 'tree:      %s entities (%s deliberately invalid), %s files, %s bytes, style %s\n' "$entities" "${invalid_n:-?}" "$files" "$bytes" "${STYLE:-block}"
printf 'command:   catalint check --only schema --format json DIR > /dev/null\n'
printf 'cpus:      %s\n' "$(nproc 2>/dev/null || echo '?')"

status=0
# timed NAME BINARY: one timed run of BINARY check --only schema.
timed() {
  local name="$1" bin="$2" rc=0 wall user sys rss_kb
  local prof=""
  if [ -n "${PROFILE:-}" ] && [ "$name" = catalint ]; then
    mkdir -p "$PROFILE"
    prof="$PROFILE/catalint-${STYLE:-block}-$run.prof"
  fi
  if [ "$have_time" = 1 ]; then
    CATALINT_CPUPROFILE="$prof" /usr/bin/time -v -o "$tmp/time.txt" \
      "$bin" check --only schema --format json "$tree" >/dev/null 2>"$tmp/stderr.txt" || rc=$?
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
    { time CATALINT_CPUPROFILE="$prof" "$bin" check --only schema --format json "$tree" >/dev/null 2>"$tmp/stderr.txt" || rc=$?; } 2>"$tmp/time.txt"
    read -r wall user sys <"$tmp/time.txt"
    rss_kb=""
  fi
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    echo "run $run ($name): catalint failed with exit code $rc" >&2
    sed -n '1,20p' "$tmp/stderr.txt" >&2
    status=1
    return
  fi
  rate="$(awk -v n="$entities" -v t="$wall" 'BEGIN { if (t > 0) printf "%.0f", n / t; else print "inf" }')"
  echo "$wall" >>"$tmp/walls-$name.txt"
  printf 'run %s %-9s exit %s, wall %ss (user %ss, sys %ss), %s entities/s' "$run" "$name:" "$rc" "$wall" "$user" "$sys" "$rate"
  if [ -n "$rss_kb" ]; then
    printf ', peak RSS %s KiB (%s MiB)\n' "$rss_kb" "$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')"
  else
    printf ', peak RSS unknown (no /usr/bin/time)\n'
  fi
}
names="catalint"
for run in $(seq 1 "$runs"); do
  timed catalint "$tmp/catalint"
  if [ -n "${BASELINE:-}" ]; then
    timed baseline "$BASELINE"
    names="catalint baseline"
  fi
  if [ "${BACKSTAGE:-0}" = 1 ]; then
    out="$(node scripts/backstage-validate.js "$tree")"
    wall="$(sed -n 's/.*wall \([0-9.]*\)s.*/\1/p' <<<"$out")"
    echo "$wall" >>"$tmp/walls-backstage.txt"
    printf 'run %s %-9s %s\n' "$run" "backstage:" "$out"
  fi
  if [ "${YAMLV3:-0}" = 1 ]; then
    out="$("$tmp/yamlparse" "$tree")"
    wall="$(sed -n 's/.*wall \([0-9.]*\)s.*/\1/p' <<<"$out")"
    echo "$wall" >>"$tmp/walls-yaml.v3.txt"
    printf 'run %s %-9s %s\n' "$run" "yaml.v3:" "$out"
  fi
done
if [ "${YAMLV3:-0}" = 1 ]; then names="$names yaml.v3"; fi
if [ "${BACKSTAGE:-0}" = 1 ]; then names="$names backstage"; fi
# Several runs: the minimum and the median, which a noisy machine moves
# least.
if [ "$runs" -gt 1 ]; then
  for name in $names; do
    [ -s "$tmp/walls-$name.txt" ] || continue
    sort -n "$tmp/walls-$name.txt" | awk -v n="$entities" -v name="$name" '{ w[NR] = $1 } END {
      m = (NR % 2) ? w[(NR + 1) / 2] : (w[NR / 2] + w[NR / 2 + 1]) / 2
      printf "summary:   %-9s %d runs, wall min %.3fs, median %.3fs; %.0f entities/s at the median\n", name, NR, w[1], m, n / m }'
  done
  # Ratios of the medians: how many times catalint's wall time each
  # other command takes.
  median() { sort -n "$1" | awk '{ w[NR] = $1 } END { print (NR % 2) ? w[(NR + 1) / 2] : (w[NR / 2] + w[NR / 2 + 1]) / 2 }'; }
  if [ -s "$tmp/walls-catalint.txt" ]; then
    c="$(median "$tmp/walls-catalint.txt")"
    for name in $names; do
      [ "$name" != catalint ] && [ -s "$tmp/walls-$name.txt" ] || continue
      awk -v c="$c" -v o="$(median "$tmp/walls-$name.txt")" -v name="$name" \
        'BEGIN { if (c > 0) printf "ratio:     %-9s median / catalint median = %.2f\n", name, o / c }'
    done
  fi
fi
exit "$status"
