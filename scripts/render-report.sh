#!/usr/bin/env bash
# render-report.sh REPORT.html OUT.png — render a weekly HTML report
# (catalint weekly --format html) in headless Chromium to PNGs, to look at
# it by eye: OUT.png at desktop width (1200 px) and OUT-phone.png at phone
# width (360 px). Not part of CI.
#
# Chromium runs with networking features off and a throwaway profile; the
# report is self-contained, so nothing is fetched. Installs the Debian
# package "chromium" with apt-get when no Chromium is found.
#
# Environment:
#   HEIGHT        desktop page height in px (default 2400)
#   PHONE_HEIGHT  phone page height in px (default 4800)
#   CHROMIUM      the browser binary (default: chromium or chromium-browser)
set -euo pipefail

if [ $# -ne 2 ]; then
	echo "usage: $0 REPORT.html OUT.png" >&2
	exit 2
fi
in=$1
out=$2
[ -f "$in" ] || { echo "$0: $in: no such file" >&2; exit 1; }
case $out in
*.png) ;;
*) echo "$0: $out: the output must end in .png" >&2; exit 2 ;;
esac

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
	browser=$(command -v chromium || command -v chromium-browser || true)
fi
if [ -z "$browser" ]; then
	echo "$0: installing chromium with apt-get" >&2
	sudo_=""
	[ "$(id -u)" -eq 0 ] || sudo_=sudo
	$sudo_ apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
	browser=$(command -v chromium)
fi

abs() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd -P)" "$(basename "$1")"); }
url="file://$(abs "$in")"
out=$(abs "$out")
phone="${out%.png}-phone.png"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

shot() { # shot OUT WIDTH HEIGHT
	"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-extensions --disable-default-apps --hide-scrollbars \
		--user-data-dir="$profile" --screenshot="$1" --window-size="$2,$3" \
		"$url" >/dev/null 2>&1 || true
	[ -s "$1" ] || { echo "$0: Chromium wrote no $1" >&2; exit 1; }
	echo "$1"
}

shot "$out" 1200 "${HEIGHT:-2400}"
shot "$phone" 360 "${PHONE_HEIGHT:-4800}"
