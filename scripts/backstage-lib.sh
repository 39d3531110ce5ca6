# Shared by the scripts that start the real Backstage catalog backend
# (backstage-integration.sh, backstage-modules-integration.sh); sourced with
# $root set to the repository and die() defined.

# find_start sets $start to ../shared/backstage/start.sh (next to the
# repository, or under $CATALINT_SHARED) and checks the tools it needs.
find_start() {
  local candidates=() top c
  [[ -n ${CATALINT_SHARED:-} ]] && candidates+=("$CATALINT_SHARED")
  if top=$(git -C "$root" rev-parse --show-toplevel 2>/dev/null); then candidates+=("$top/../shared"); fi
  candidates+=("$root/../shared")
  start=
  for c in "${candidates[@]}"; do
    if [[ -f $c/backstage/start.sh ]]; then start=$(cd "$c/backstage" && pwd)/start.sh; break; fi
  done
  [[ -n $start ]] || die "cannot find backstage/start.sh in: ${candidates[*]} (set CATALINT_SHARED to the shared folder)"
  local tool
  for tool in node npm curl go; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
  done
}

# freeport prints a free TCP port on 127.0.0.1.
freeport() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# port_free dies when something listens on the port: a Backstage backend
# does not exit when its port is taken, so start.sh would wait two minutes.
port_free() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    die "port $1 on 127.0.0.1 is already in use (pick a free one)"
  fi
}
