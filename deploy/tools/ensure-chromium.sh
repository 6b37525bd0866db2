#!/usr/bin/env bash
# Print the path of a Chromium for the browser tests (Playwright drives it headless),
# installing Debian's `chromium` package first when there is none. Order: $VIDGEN_CHROMIUM,
# chromium / chromium-browser on PATH, else `apt-get install chromium` (needs root; runs
# `apt-get update` first when the package lists are missing or stale).
set -euo pipefail

if [[ -n "${VIDGEN_CHROMIUM:-}" && -x "${VIDGEN_CHROMIUM}" ]]; then
    echo "$VIDGEN_CHROMIUM"; exit 0
fi
for name in chromium chromium-browser; do
    if command -v "$name" >/dev/null 2>&1; then
        command -v "$name"; exit 0
    fi
done
if ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium not found and no apt-get to install it: install Chromium" \
         "or set VIDGEN_CHROMIUM to its binary" >&2
    exit 1
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "chromium not found; installing it needs root: 'apt-get install chromium'" \
         "(or set VIDGEN_CHROMIUM)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -qq chromium >&2; then
    apt-get update -qq >&2
    apt-get install -y -qq chromium >&2
fi
if ! command -v chromium; then
    echo "the chromium package is installed but no chromium is on PATH; set VIDGEN_CHROMIUM" >&2
    exit 1
fi
