#!/usr/bin/env bash
# Regenerates the dashboard's vendored charting library from npm:
# server/assets/uPlot.iife.min.js and uPlot.min.css, which edgestash-server
# embeds with include_str! (no CDN at run time).
#
#   ./scripts/vendor-uplot.sh            # the pinned version
#   UPLOT_VERSION=1.6.32 ./scripts/vendor-uplot.sh
#
# uPlot (https://github.com/leeoniya/uPlot) is MIT-licensed; its licence is
# copied next to the files as uPlot.LICENSE.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${UPLOT_VERSION:-1.6.32}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "uplot@${version}" >/dev/null && tar xzf "uplot-${version}.tgz")
cp "$work/package/dist/uPlot.iife.min.js" server/assets/uPlot.iife.min.js
cp "$work/package/dist/uPlot.min.css" server/assets/uPlot.min.css
cp "$work/package/LICENSE" server/assets/uPlot.LICENSE
echo "$version" > server/assets/uPlot.VERSION
echo "vendored uPlot $version into server/assets/"
