#!/usr/bin/env bash
# The pre-commit hook (.pre-commit-hooks.yaml), run by the real pre-commit
# from this checkout (pre-commit try-repo) on a test repository's staged
# files, as .ci/run runs it. Needs pre-commit (Debian's package), git, Go.
# Checks: the hook builds; a broken catalog file is blocked whatever its
# name (catalog/systems.yaml, a Location target); a good one passes; other
# staged YAML is ignored; a commit with no catalog file passes; and says
# how long a second run (the hook built already) takes.
set -euo pipefail
cd "$(dirname "$0")/.."
checkout=$PWD
command -v pre-commit >/dev/null || { echo "pre-commit is not installed (apt-get install pre-commit)" >&2; exit 3; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PRE_COMMIT_HOME="$tmp/pre-commit-home" # its own hook environments
# pre-commit installs a Go hook with GOPATH in its environment folder, so
# each try-repo (a new environment every time) would download every module
# again: share the machine's module cache instead (GOMODCACHE wins over
# GOPATH). What is built is the same.
export GOMODCACHE="$(go env GOMODCACHE)"
export GIT_AUTHOR_NAME=catalint-ci GIT_AUTHOR_EMAIL=ci@example.invalid GIT_COMMITTER_NAME=catalint-ci GIT_COMMITTER_EMAIL=ci@example.invalid
pass=0 fail=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

repo="$tmp/shop"
mkdir -p "$repo"
cd "$repo"
git init -q -b main
component='apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: shop
  description: The shop
spec:
  type: service
  lifecycle: production
  owner: team-a
  system: shop'
printf '%s\n' "$component" > catalog-info.yaml
git add catalog-info.yaml && git commit -q -m base

# try-repo runs the hook on the staged files.
hook() { # NAME: runs the hook, keeps its output in $tmp/NAME.log, returns its exit code
  local start=$SECONDS rc=0
  pre-commit try-repo "$checkout" catalint --verbose > "$tmp/$1.log" 2>&1 || rc=$?
  echo "  ($1: pre-commit exit $rc in $((SECONDS - start)) s)"
  return $rc
}

echo "== first run: pre-commit builds the hook (go install) and checks a staged good file and other YAML"
mkdir -p catalog .github/workflows charts
printf 'apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: shop\n  description: The shop\nspec:\n  owner: team-a\n' > catalog/systems.yaml
# Other YAML, which is no catalog file and would be full of errors as one.
printf 'name: ci\non: [push]\njobs: {}\n' > .github/workflows/ci.yml
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: Shop_Service!\n' > charts/deploy.yaml
git add -A
start=$SECONDS
if hook first; then ok "good catalog files and other YAML pass"; else bad "good files failed"; cat "$tmp/first.log"; fi
first=$((SECONDS - start))
grep -q "0 errors, 0 warnings, 1 notice in 1 file (1 document)" "$tmp/first.log" && ! grep -qE "deploy.yaml|ci.yml:" "$tmp/first.log" && ok "only the catalog file was checked (other YAML ignored)" || { bad "other staged YAML was checked"; cat "$tmp/first.log"; }
git commit -q -m good

echo "== a broken catalog file named catalog/systems.yaml is blocked"
sed -i 's/  owner: team-a/  owner: [team-a]/' catalog/systems.yaml
git add catalog/systems.yaml
if hook broken; then bad "a broken catalog/systems.yaml passed"; cat "$tmp/broken.log"; else
  grep -q "catalog/systems.yaml:7:10: error: spec.owner must be a string" "$tmp/broken.log" && ok "broken catalog/systems.yaml blocked with its position" ||
    { bad "blocked without the message"; cat "$tmp/broken.log"; }
fi
git reset -q && git checkout -q -- catalog/systems.yaml

echo "== as a user runs it: .pre-commit-config.yaml naming the hook's repository; later runs reuse the built hook"
rev=$(git -C "$checkout" rev-parse HEAD)
printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: catalint\n' "$checkout" "$rev" > .pre-commit-config.yaml
git add .pre-commit-config.yaml && git commit -q -m "pre-commit config"
run_hook() { # NAME: pre-commit run on the staged files, output in $tmp/NAME.log
  local start=$SECONDS rc=0
  pre-commit run --verbose > "$tmp/$1.log" 2>&1 || rc=$?
  echo "  ($1: pre-commit exit $rc in $((SECONDS - start)) s)"
  return $rc
}
start=$SECONDS
run_hook install || { bad "pre-commit run with nothing staged failed"; cat "$tmp/install.log"; }
install=$((SECONDS - start))

sed -i 's/  owner: team-a/  owner: [team-a]/' catalog/systems.yaml
git add catalog/systems.yaml
start=$SECONDS
if run_hook second; then bad "pre-commit run passed a broken catalog/systems.yaml"; cat "$tmp/second.log"; else
  grep -q "catalog/systems.yaml:7:10: error" "$tmp/second.log" && ok "pre-commit run blocks the broken file" || { bad "blocked without the message"; cat "$tmp/second.log"; }
fi
second=$((SECONDS - start))
git reset -q && git checkout -q -- catalog/systems.yaml

echo "== a broken Location target with a name of its own is blocked"
printf 'apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: more\nspec:\n  targets: [./teams.yml]\n' > more.yaml
printf 'apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: Team A!\nspec:\n  type: team\n  children: []\n' > teams.yml
git add more.yaml teams.yml
if run_hook target; then bad "a broken teams.yml passed"; cat "$tmp/target.log"; else
  grep -q "teams.yml:4:9: error" "$tmp/target.log" && ok "broken teams.yml blocked" || { bad "blocked without the message"; cat "$tmp/target.log"; }
fi
git reset -q && rm -f more.yaml teams.yml

echo "== a commit with only other YAML passes"
printf 'replicas: 3\n' > charts/values.yaml
git add charts/values.yaml
if run_hook other; then ok "only other YAML staged: passes"; else bad "other YAML alone failed"; cat "$tmp/other.log"; fi

echo "pre-commit hook: a try-repo run (builds the hook each time) ${first} s; pre-commit run: first (builds the hook) ${install} s, second ${second} s"
echo "pre-commit: $pass passed, $fail failed"
[ "$fail" = 0 ]
