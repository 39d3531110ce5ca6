#!/usr/bin/env bash
# Integration test of Backstage's opt-in catalog modules (backstage.modules,
# --backstage-module): starts two real Backstage catalog backends on
# 127.0.0.1, one with the ai-model module (start.sh --module ai-model) and
# one without, runs TestIntegrationAIModel (pkg/lint), which compares
# catalint's verdict on each entity of pkg/lint/testdata/ai-model with both,
# and stops the backends on exit. scripts/backstage-integration.sh runs it.
#
#   bash scripts/backstage-modules-integration.sh [extra go test flags]
#
# Finds ../shared/backstage/start.sh as backstage-integration.sh does (or set
# CATALINT_SHARED). CATALINT_BACKSTAGE_MODULES_PORTS="P1 P2" picks the ports
# (default: two free ones).
set -euo pipefail
began=$SECONDS
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

die() { echo "backstage-modules-integration: error: $*" >&2; exit 1; }

. "$root/scripts/backstage-lib.sh"
find_start

read -r port_on port_off <<<"${CATALINT_BACKSTAGE_MODULES_PORTS:-$(freeport) $(freeport)}"
[[ $port_on != "$port_off" ]] || port_off=$(freeport)
port_free "$port_on"
port_free "$port_off"
token=catalint-it-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
# The verdicts come from POST /api/catalog/validate-entity, so the
# backends need no catalog files: one small file of ours to wait for.
seed=$(mktemp -d)
printf 'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: seed}\nspec: {type: team, children: []}\n' > "$seed/seed.yaml"

pids=()
stop() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || continue
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$seed"
}
trap stop EXIT
trap 'exit 130' INT TERM

launch() { # port [start.sh flags]: prints the URL, records the pid
  local port=$1 url pid; shift
  read -r url pid < <("$BASH" "$start" --port "$port" --token "$token" --expect 1 "$@" "$seed/seed.yaml" | paste -sd' ') || true
  if [[ ! $url =~ ^http:// || ! $pid =~ ^[0-9]+$ ]]; then die "the Backstage backend ($*) did not start (see the messages of start.sh above)"; fi
  pids+=("$pid")
  REPLY=$url
}
echo "== starting two Backstage catalog backends: with --module ai-model on $port_on, default on $port_off" >&2
launch "$port_on" --module ai-model; on=$REPLY
launch "$port_off"; off=$REPLY
echo "== backends ready after $((SECONDS - began)) s" >&2

log=$(mktemp)
trap 'stop; rm -f "$log"' EXIT
CATALINT_BACKSTAGE_AIMODEL_URL=$on CATALINT_BACKSTAGE_DEFAULT_URL=$off CATALINT_BACKSTAGE_TOKEN=$token \
  go test -count=1 -run TestIntegrationAIModel -v "$@" ./pkg/lint/ 2>&1 | tee "$log"
grep -q -- '--- PASS: TestIntegrationAIModel ' "$log" || die "TestIntegrationAIModel did not run and pass"
echo "== passed in $((SECONDS - began)) s" >&2
