#!/usr/bin/env bash
# The action, run end to end (issue 14), as .ci/run runs it:
#
# 1. a release of the checkout's last commit, made the way a maintainer
#    makes one (scripts/release-commit.sh v1.2.3 in a clone: a commit whose
#    action.yml names v1.2.3, tagged), built by the pinned GoReleaser with
#    the release configuration, publishing skipped: the dry run of the
#    release build. Only linux/amd64 is built (the full matrix is six
#    targets, about a minute and a half each on this 2-core machine when
#    nothing is cached; GoReleaser's check covers the rest of the config);
# 2. nektos/act (pinned) runs action.yml and .github/workflows/catalog.yml
#    on this host against it: go test ./test/action (see its doc comment).
#
# Needs git, curl, Go; installs act with go install. RUN=REGEXP narrows the
# go test -run pattern (default TestAction: every case), e.g.
# RUN='TestAction/app-config' while working on one input.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$(go env GOPATH)/bin:$PATH"

ACT_VERSION=v0.2.89
if ! act --version 2>/dev/null | grep -q "${ACT_VERSION#v}"; then
  start=$SECONDS
  GOFLAGS= go install "github.com/nektos/act@${ACT_VERSION}"
  echo "installed act ${ACT_VERSION} in $((SECONDS - start)) s"
fi
command -v goreleaser >/dev/null || { echo "goreleaser is not installed (.ci/run installs it)" >&2; exit 3; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export GIT_AUTHOR_NAME=catalint-ci GIT_AUTHOR_EMAIL=ci@example.invalid GIT_COMMITTER_NAME=catalint-ci GIT_COMMITTER_EMAIL=ci@example.invalid

echo "== release commit and tag (scripts/release-commit.sh v1.2.3, in a clone)"
git clone -q . "$tmp/release"
(cd "$tmp/release" && bash scripts/release-commit.sh v1.2.3 && git switch -q --detach v1.2.3 && bash scripts/release-commit.sh --check v1.2.3)
if (cd "$tmp/release" && git switch -q --detach "v1.2.3~1" && bash scripts/release-commit.sh --check v1.2.3 2>/dev/null); then
  echo "release-commit.sh --check passed on a commit that names no release" >&2; exit 1
fi
git -C "$tmp/release" switch -q --detach v1.2.3

echo "== release build (goreleaser release, publishing skipped; linux/amd64 only)"
sed -e 's/^    goos: \[linux, darwin, windows\]$/    goos: [linux]/' -e 's/^    goarch: \[amd64, arm64\]$/    goarch: [amd64]/' \
  "$tmp/release/.goreleaser.yaml" > "$tmp/goreleaser-ci.yaml"
[ "$(diff "$tmp/release/.goreleaser.yaml" "$tmp/goreleaser-ci.yaml" | grep -c '^>')" = 2 ] ||
  { echo "cannot narrow .goreleaser.yaml's goos/goarch lines to linux/amd64 for the dry run" >&2; exit 1; }
start=$SECONDS
(cd "$tmp/release" && goreleaser release --clean --config "$tmp/goreleaser-ci.yaml" --skip=publish,announce,docker > "$tmp/goreleaser.log" 2>&1) ||
  { cat "$tmp/goreleaser.log"; exit 1; }
echo "release build: $((SECONDS - start)) s; artefacts:"
ls -1 "$tmp/release/dist" | grep -E '\.(tar\.gz|zip)$|^checksums\.txt$'
cat "$tmp/release/dist/checksums.txt"
tar -tzf "$tmp/release/dist/catalint_1.2.3_linux_amd64.tar.gz" | sort | tr '\n' ' '; echo
got=$(tar -xzOf "$tmp/release/dist/catalint_1.2.3_linux_amd64.tar.gz" catalint > "$tmp/catalint" && chmod +x "$tmp/catalint" && "$tmp/catalint" version)
[ "$got" = "catalint 1.2.3" ] || { echo "the release binary says '$got', want 'catalint 1.2.3'" >&2; exit 1; }

echo "== the action and the workflow to copy, run by act $ACT_VERSION"
CATALINT_E2E_ACT="$(command -v act)" CATALINT_E2E_RELEASE="$tmp/release" \
  go test -count=1 -v -run "${RUN:-TestAction}" ./test/action/
