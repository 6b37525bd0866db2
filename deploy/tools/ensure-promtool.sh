#!/usr/bin/env bash
# Print the path of a promtool (Prometheus' config and rule checker), fetching it first when
# there is none. Order: $VIDGEN_PROMTOOL, promtool on PATH, the copy this script extracted
# before, else Debian's `prometheus` package: downloaded with `apt-get download` and only
# /usr/bin/promtool unpacked into the cache (no daemon installed or started, no root needed
# unless the package lists are missing, then `apt-get update` runs as root).
set -euo pipefail

cache="${VIDGEN_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vidgen/bin}"

if [[ -n "${VIDGEN_PROMTOOL:-}" && -x "${VIDGEN_PROMTOOL}" ]]; then
    echo "$VIDGEN_PROMTOOL"; exit 0
fi
if command -v promtool >/dev/null 2>&1; then
    command -v promtool; exit 0
fi
if [[ -x "$cache/promtool" ]]; then
    echo "$cache/promtool"; exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "promtool not found and no apt-get to fetch it: install Prometheus' promtool" \
         "or set VIDGEN_PROMTOOL" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
if ! apt-get download prometheus >&2; then
    if [[ $(id -u) -ne 0 ]]; then
        echo "apt-get download prometheus failed; run 'apt-get update' as root first" >&2
        exit 1
    fi
    apt-get update -qq >&2
    apt-get download prometheus >&2
fi
dpkg-deb -x prometheus_*.deb root
mkdir -p "$cache"
install -m 0755 root/usr/bin/promtool "$cache/promtool"
"$cache/promtool" --version >&2
echo "$cache/promtool"
