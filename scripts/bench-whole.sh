#!/usr/bin/env bash
# Times whole-catalog runs: `catalint check --format json` (every default
# rule, the API definitions parsed) and `catalint report --format json
# --drift=false` over a generated tree, and prints wall time and peak RSS of
# each, with the medians over the runs.
#
#   bash scripts/bench-whole.sh [ENTITIES]      # default 20000
#
# Environment: RUNS (timed runs, default 5), PER_FILE (default 8), SEED
# (default 1), INVALID (default 0.02), APIS (number of API entities, each
# with an OpenAPI definition; default 18% of ENTITIES), INLINE_DEFS=1 writes the API
# definitions inline (default: files read through $text, as
# gencatalog -external-definitions writes them), TREE=DIR uses a tree
# already generated there, KEEP=1 keeps the temp folder, and BASELINE=PATH
# times another catalint binary too (e.g. one built from main), run for run
# interleaved with this one so that a noisy machine moves both alike.
# With BASELINE, the JSON output of both binaries is compared (check's and
# report's, the report's generation time left out) and the script fails
# when they differ.
#
# check exits 1 because the tree holds deliberately invalid entities; exit
# codes 0 and 1 count as success, anything else fails the script.
set -euo pipefail

entities="${1:-20000}"
runs="${RUNS:-5}"
case "$entities" in
  '' | *[!0-9]*) echo "usage: bash scripts/bench-whole.sh [ENTITIES]" >&2; exit 2 ;;
esac

cd "$(dirname "${BASH_SOURCE[0]}")/.."

tmp="$(mktemp -d "${TMPDIR:-/tmp}/catalint-whole.XXXXXX")"
if [ "${KEEP:-0}" = 1 ]; then
  echo "keeping $tmp" >&2
else
  trap 'rm -rf "$tmp"' EXIT
fi

if ! [ -x /usr/bin/time ] || ! /usr/bin/time -v true >/dev/null 2>&1; then
  echo "bench-whole.sh needs GNU time at /usr/bin/time (apt-get install time)" >&2
  exit 2
fi

echo "building catalint and gencatalog..." >&2
go build -o "$tmp/catalint" ./cmd/catalint
tree="${TREE:-}"
if [ -z "$tree" ]; then
  go build -o "$tmp/gencatalog" ./scripts/gencatalog
  tree="$tmp/tree"
  ext="-external-definitions"
  if [ "${INLINE_DEFS:-0}" = 1 ]; then ext=""; fi
  "$tmp/gencatalog" -out "$tree" -entities "$entities" -per-file "${PER_FILE:-8}" -seed "${SEED:-1}" -invalid "${INVALID:-0.02}" -apis "${APIS:--1}" $ext -summary-json >"$tmp/summary.json"
fi
files="$(find "$tree" -name catalog-info.yaml -type f | wc -l | tr -d ' ')"
defs="$(find "$tree" -type f ! -name catalog-info.yaml | wc -l | tr -d ' ')"
printf 'tree:      %s (%s catalog files, %s other files: API definitions)\n' "$tree" "$files" "$defs"
printf 'cpus:      %s\n' "$(nproc 2>/dev/null || echo '?')"

status=0
# timed NAME BINARY CMD OUT: one timed run of BINARY CMD over the tree, its
# stdout to OUT.
timed() {
  local name="$1" bin="$2" what="$3" out="$4"
  local rc=0 wall rss_kb user sys
  local -a args
  case "$what" in
    check) args=(check --format json "$tree") ;;
    report) args=(report --format json --drift=false "$tree") ;;
  esac
  /usr/bin/time -v -o "$tmp/time.txt" env GITHUB_TOKEN= "$bin" "${args[@]}" >"$out" 2>"$tmp/stderr.txt" || rc=$?
  if grep -q 'terminated by signal' "$tmp/time.txt"; then rc=128; fi
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    echo "run $run ($name $what): exit code $rc" >&2
    sed -n '1,20p' "$tmp/stderr.txt" >&2
    status=1
    return
  fi
  wall="$(awk -F': ' '/Elapsed \(wall clock\) time/ {
    n = split($2, p, ":"); s = 0
    for (i = 1; i <= n; i++) s = s * 60 + p[i]
    printf "%.3f", s }' "$tmp/time.txt")"
  rss_kb="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time.txt")"
  user="$(awk -F': ' '/User time \(seconds\)/ {print $2}' "$tmp/time.txt")"
  sys="$(awk -F': ' '/System time \(seconds\)/ {print $2}' "$tmp/time.txt")"
  echo "$wall" >>"$tmp/wall-$name-$what.txt"
  echo "$rss_kb" >>"$tmp/rss-$name-$what.txt"
  awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f\n", u + s }' >>"$tmp/cpu-$name-$what.txt"
  printf 'run %s %-8s %-6s exit %s, wall %6.2fs (user %ss, sys %ss), peak RSS %4d MiB\n' "$run" "$name" "$what" "$rc" "$wall" "$user" "$sys" "$((rss_kb / 1024))"
}

# same WHAT: the two binaries' outputs of the last run, compared.
same() {
  local what="$1"
  local a="$tmp/out-catalint-$what.json" b="$tmp/out-baseline-$what.json"
  if [ "$what" = report ]; then
    # The report says when it was made.
    sed -i 's/"generatedAt": *"[^"]*"/"generatedAt":""/g; s/"date": *"[^"]*"/"date":""/g' "$a" "$b"
  fi
  if cmp -s "$a" "$b"; then
    printf 'same:      %s JSON output identical (%s bytes)\n' "$what" "$(wc -c <"$a" | tr -d ' ')"
  else
    printf 'DIFFERENT: %s JSON output differs from the baseline (kept in %s)\n' "$what" "$tmp" >&2
    KEEP=1
    trap - EXIT
    status=1
  fi
}

names="catalint"
if [ -n "${BASELINE:-}" ]; then names="catalint baseline"; fi
for run in $(seq 1 "$runs"); do
  for what in check report; do
    timed catalint "$tmp/catalint" "$what" "$tmp/out-catalint-$what.json"
    if [ -n "${BASELINE:-}" ]; then
      timed baseline "$BASELINE" "$what" "$tmp/out-baseline-$what.json"
    fi
  done
done
if [ -n "${BASELINE:-}" ]; then
  same check
  same report
fi
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for what in check report; do
  for name in $names; do
    [ -s "$tmp/wall-$name-$what.txt" ] || continue
    printf 'median:    %-8s %-6s wall %.2fs, CPU (user+sys) %.2fs, peak RSS %d MiB (%d runs)\n' "$name" "$what" \
      "$(median "$tmp/wall-$name-$what.txt")" "$(median "$tmp/cpu-$name-$what.txt")" "$(($(median "$tmp/rss-$name-$what.txt" | cut -d. -f1) / 1024))" "$(wc -l <"$tmp/wall-$name-$what.txt" | tr -d ' ')"
  done
done
exit "$status"
