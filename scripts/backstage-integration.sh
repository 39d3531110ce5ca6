#!/usr/bin/env bash
# Integration test of the backstage: catalog source (pkg/catalog/backstage)
# against a real Backstage catalog backend: starts one on 127.0.0.1 with the
# catalog files of pkg/catalog/backstage/testdata, runs
# TestIntegrationRealBackstage against it, and stops the backend on exit.
#
#   bash scripts/backstage-integration.sh [extra go test flags]
#
# The backend is ../shared/backstage/start.sh (next to the repository, or
# set CATALINT_SHARED to the shared folder). Its first run installs ~800 npm
# packages into $CATALINT_BACKSTAGE_HOME (about three minutes); later runs
# start in a few seconds. Needs node, npm, curl, a C compiler and Go.
# CATALINT_BACKSTAGE_PORT picks the port (default: a free one).
set -euo pipefail
began=$SECONDS
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

die() { echo "backstage-integration: error: $*" >&2; exit 1; }

# Find shared/backstage/start.sh.
candidates=()
[[ -n ${CATALINT_SHARED:-} ]] && candidates+=("$CATALINT_SHARED")
if top=$(git -C "$root" rev-parse --show-toplevel 2>/dev/null); then candidates+=("$top/../shared"); fi
candidates+=("$root/../shared")
start=
for c in "${candidates[@]}"; do
  if [[ -f $c/backstage/start.sh ]]; then start=$(cd "$c/backstage" && pwd)/start.sh; break; fi
done
[[ -n $start ]] || die "cannot find backstage/start.sh in: ${candidates[*]} (set CATALINT_SHARED to the shared folder)"
for tool in node npm curl go; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done

testdata=pkg/catalog/backstage/testdata
files=("$testdata"/*.yaml)   # registered; more/ is reached through a Location
[[ -f ${files[0]} ]] || die "no catalog files in $testdata"
# Entities the catalog must show before the test starts (start.sh does not
# count Location entities).
expect=$(find "$testdata" -name '*.yaml' -exec cat {} + | grep -E '^kind:' | grep -vcE '^kind:[[:space:]]*Location[[:space:]]*$' || true)
[[ $expect -gt 0 ]] || die "no entities in $testdata"

port=${CATALINT_BACKSTAGE_PORT:-$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
# A Backstage backend does not exit when its port is taken (it logs an
# unhandled EADDRINUSE and keeps running), so start.sh would wait its full
# two minutes: check first.
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  die "port $port on 127.0.0.1 is already in use (set CATALINT_BACKSTAGE_PORT to a free one)"
fi
token=catalint-it-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')

pid=
stop() {
  [[ -n $pid ]] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

echo "== starting the Backstage catalog backend on 127.0.0.1:$port with ${#files[@]} files, waiting for $expect entities" >&2
echo "   ($start; the first run installs its packages, about three minutes)" >&2
url=
read -r url pid < <("$BASH" "$start" --port "$port" --token "$token" --expect "$expect" "${files[@]}" | paste -sd' ') || true
if [[ ! $url =~ ^http:// || ! $pid =~ ^[0-9]+$ ]] || ! kill -0 "$pid" 2>/dev/null; then
  pid=
  die "the Backstage backend did not start (see the messages of start.sh above)"
fi
curl -fsS -o /dev/null -H "Authorization: Bearer $token" "$url/api/catalog/entities/by-query?limit=1&fields=kind" ||
  die "the Backstage backend at $url does not answer"
echo "== backend $url (pid $pid) ready after $((SECONDS - began)) s" >&2

log=$(mktemp)
trap 'stop; rm -f "$log"' EXIT
CATALINT_BACKSTAGE_URL=$url CATALINT_BACKSTAGE_TOKEN=$token \
  go test -count=1 -run Integration -v "$@" ./pkg/catalog/backstage/ ./pkg/cli/ 2>&1 | tee "$log"
grep -q -- '--- PASS: TestIntegrationRealBackstage ' "$log" || die "TestIntegrationRealBackstage did not run and pass"
grep -q -- '--- PASS: TestIntegrationCLIBackstage ' "$log" || die "TestIntegrationCLIBackstage did not run and pass"
stop
# --app-config: one backend per scenario, started with the scenario's app-configs.
CATALINT_BACKSTAGE_START=$start bash scripts/appconfig-integration.sh
echo "== passed in $((SECONDS - began)) s" >&2
