#!/usr/bin/env bash
# Integration test of --app-config against a real Backstage catalog backend:
# for each scenario of TestIntegrationAppConfig (pkg/cli), copies
# pkg/appconfig/testdata/repo to a temporary repository, starts the backend
# with the scenario's app-configs, and holds catalint's verdict (the
# entities it finds valid) to what the backend ingests.
#
#   bash scripts/appconfig-integration.sh
#
# scripts/backstage-integration.sh runs it (and so .ci/run). The backend
# runs in its own folder, not in the repository's packages/backend, so the
# copies it reads have each file target made absolute exactly as the
# backend's path.resolve would make it from packages/backend ("../../x"
# becomes "REPO/x"); catalint reads the app-configs as written.
# Needs node, npm, curl and Go; CATALINT_BACKSTAGE_PORT picks the port
# (default: a free one); CATALINT_SHARED the shared folder.
set -euo pipefail
began=$SECONDS
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
die() { echo "appconfig-integration: error: $*" >&2; exit 1; }

start=${CATALINT_BACKSTAGE_START:-}
if [[ -z $start ]]; then
  for c in ${CATALINT_SHARED:-} "$root/../shared" "$(git rev-parse --show-toplevel 2>/dev/null || echo "$root")/../shared"; do
    if [[ -f $c/backstage/start.sh ]]; then start=$(cd "$c/backstage" && pwd)/start.sh; break; fi
  done
fi
[[ -n $start && -f $start ]] || die "cannot find backstage/start.sh (set CATALINT_SHARED to the shared folder)"

tmp=$(mktemp -d)
pid=
stop() {
  if [[ -n $pid ]] && kill "$pid" 2>/dev/null; then
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  pid=
}
trap 'stop; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

for scenario in rules defaults; do
  case $scenario in
    rules) configs=(app-config.yaml) ;;
    defaults) configs=(app-config.yaml app-config.defaults.yaml) ;;
  esac
  repo=$tmp/$scenario/repo
  mkdir -p "$tmp/$scenario"
  cp -R pkg/appconfig/testdata/repo "$repo"
  git -C "$repo" init -q
  args=()
  for c in "${configs[@]}"; do
    sed "s#\\.\\./\\.\\./#$repo/#g" "$repo/$c" > "$tmp/$scenario/backend-$c"
    args+=(--config "$tmp/$scenario/backend-$c")
  done
  port=${CATALINT_BACKSTAGE_PORT:-$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port on 127.0.0.1 is already in use (set CATALINT_BACKSTAGE_PORT to a free one)"
  fi
  token=catalint-ac-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
  echo "== scenario $scenario: Backstage on 127.0.0.1:$port with ${configs[*]}" >&2
  url=
  read -r url pid < <("$BASH" "$start" --port "$port" --token "$token" --expect 1 "${args[@]}" | paste -sd' ') || true
  if [[ ! $url =~ ^http:// || ! ${pid:-} =~ ^[0-9]+$ ]]; then
    pid=
    die "the Backstage backend did not start for scenario $scenario (see the messages of start.sh above)"
  fi
  log=$tmp/$scenario/test.log
  CATALINT_APPCONFIG_URL=$url CATALINT_APPCONFIG_TOKEN=$token CATALINT_APPCONFIG_REPO=$repo CATALINT_APPCONFIG_SCENARIO=$scenario \
    go test -count=1 -run 'TestIntegrationAppConfig$' -v ./pkg/cli/ 2>&1 | tee "$log"
  grep -q -- '--- PASS: TestIntegrationAppConfig ' "$log" || die "TestIntegrationAppConfig did not pass for scenario $scenario"
  stop
done
echo "== app-config scenarios passed in $((SECONDS - began)) s" >&2
