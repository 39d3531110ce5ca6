#!/usr/bin/env bash
# The release commit, which makes a pin pin:
#
#   scripts/release-commit.sh v1.2.3      make the release commit and its tag
#   scripts/release-commit.sh --check v1.2.3   (the release workflow) fail
#                                          unless the checked-out action.yml
#                                          names v1.2.3
#
# The first form, run in a clean checkout of the commit to release (usually
# main), makes a commit on top of it, on no branch, whose action.yml names
# the release (CATALINT_RELEASE: "v1.2.3"), and the annotated tag v1.2.3 on
# that commit. Push the tag (git push origin v1.2.3): the release workflow
# builds the archives from that very commit, publishes and attests them, and
# moves the major tag (v1) to it. So @v1.2.3, @v1 and @<that commit's SHA>
# all run the binary built from the commit they name, and every other commit
# (main included) names no release and builds catalint from its source.
set -euo pipefail
cd "$(dirname "$0")/.."

check=false
if [ "${1:-}" = --check ]; then check=true; shift; fi
tag="${1:-}"
if ! [[ "$tag" =~ ^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  echo "usage: $0 [--check] vMAJOR.MINOR.PATCH[-PRERELEASE] (got '${tag}')" >&2
  exit 2
fi

# The one line of action.yml that names the release.
pattern='^        CATALINT_RELEASE: "[^"]*"$'
if [ "$(grep -c "$pattern" action.yml)" != 1 ]; then
  echo "$0: action.yml has no single line CATALINT_RELEASE: \"…\" (in the version step's env) to name the release in" >&2
  exit 3
fi
named=$(sed -n "s/$pattern/&/p" action.yml | sed 's/.*"\(.*\)"/\1/')

if $check; then
  if [ "$named" != "$tag" ]; then
    echo "$0: the tag $tag is on a commit whose action.yml names release '${named}', so the action at that tag would not run the $tag binary. Make release tags with scripts/release-commit.sh $tag." >&2
    exit 1
  fi
  echo "action.yml names $tag"
  exit 0
fi

if ! git diff --quiet HEAD || ! git diff --cached --quiet; then
  echo "$0: the checkout has uncommitted changes; release a clean commit" >&2
  exit 2
fi
if git rev-parse -q --verify "refs/tags/$tag" >/dev/null; then
  echo "$0: the tag $tag already exists" >&2
  exit 2
fi
base=$(git rev-parse HEAD)
back=$(git symbolic-ref -q --short HEAD || git rev-parse HEAD)
git switch -q --detach
sed -i "s/$pattern/        CATALINT_RELEASE: \"$tag\"/" action.yml
git commit -q -m "Release $tag: action.yml names the release it runs" action.yml
git tag -a "$tag" -m "catalint $tag"
git switch -q "$back" 2>/dev/null || git switch -q --detach "$back"
echo "tagged $tag: $(git rev-parse "$tag^{commit}") (on top of $base, on no branch)"
echo "publish it: git push origin $tag"
