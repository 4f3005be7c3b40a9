#!/usr/bin/env bash
# Regenerates the dashboard's vendored charting library from npm:
# assets/dashboard/uPlot.iife.min.js and uPlot.min.css, which the library (edgestash::metrics::dashboard)
# embeds with include_str! for edgestash-server and the Worker (no CDN at run time).
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
cp "$work/package/dist/uPlot.iife.min.js" assets/dashboard/uPlot.iife.min.js
cp "$work/package/dist/uPlot.min.css" assets/dashboard/uPlot.min.css
cp "$work/package/LICENSE" assets/dashboard/uPlot.LICENSE
echo "$version" > assets/dashboard/uPlot.VERSION
echo "vendored uPlot $version into assets/dashboard/"
