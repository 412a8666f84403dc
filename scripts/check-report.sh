#!/usr/bin/env bash
# Runs a short `nntk demo`, opens its report in headless Chromium (Debian's `chromium` package), takes a
# screenshot and checks that the page embeds its SVG plots. Usage: scripts/check-report.sh [out.png]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { echo "install Chromium first: apt-get install -y chromium" >&2; exit 2; }
out_dir=$(mktemp -d)
pnpm -s nntk demo --epochs 1 --out "$out_dir/run" >/dev/null
html="$out_dir/run/report/index.html"
shot="${1:-$out_dir/report.png}"
chromium --headless --no-sandbox --disable-gpu --window-size=1300,1600 --screenshot="$shot" "file://$html" 2>/dev/null
svgs=$(grep -o '<svg' "$html" | wc -l)
[ -s "$shot" ] && [ "$svgs" -ge 4 ] || { echo "report check failed: screenshot $(stat -c %s "$shot" 2>/dev/null || echo missing) bytes, $svgs inline SVGs" >&2; exit 1; }
echo "report ok: $svgs inline SVG plots, screenshot $shot"
