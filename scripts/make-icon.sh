#!/usr/bin/env bash
# Renders the marketplace icon media/icon.png (128x128) from the activity-bar icon media/arxiv-icon.svg:
# its strokes in white on a rounded arXiv-red square. Needs Debian's librsvg2-bin (rsvg-convert).
# Run it again after changing arxiv-icon.svg and commit both files.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v rsvg-convert >/dev/null || { echo "rsvg-convert is missing: apt-get install librsvg2-bin" >&2; exit 1; }
# The drawing: every <path> of the 24x24 source icon, unchanged.
paths=$(grep -o '<path [^>]*/>' media/arxiv-icon.svg)
tmp=$(mktemp --suffix=.svg)
trap 'rm -f "$tmp"' EXIT
cat > "$tmp" <<SVG
<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 24 24">
  <rect x="0.5" y="0.5" width="23" height="23" rx="4.5" fill="#b31b1b"/>
  <g transform="translate(12 12) scale(0.8) translate(-12.25 -12)" fill="none" stroke="#ffffff" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">
$paths
  </g>
</svg>
SVG
rsvg-convert --width 128 --height 128 --format png --output media/icon.png "$tmp"
echo "wrote media/icon.png"
