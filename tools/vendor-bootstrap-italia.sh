#!/usr/bin/env bash
# Refreshes the files of Bootstrap Italia (BSD-3-Clause) and Titillium Web (SIL OFL 1.1) that
# the citizens' site ships in every release: the stylesheet, the four font files it uses and
# the icons the templates inline (a release ships the stylesheet purged: tools/purge-css.mjs).
# They are committed under assets/ so that a run needs no network and no npm; run this script,
# with npm, only to move to another version.
set -euo pipefail
VERSION="${1:-2.18.3}"
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "bootstrap-italia@$VERSION" >/dev/null && tar xzf "bootstrap-italia-$VERSION.tgz")
dist="$work/package/dist"
rm -rf assets/bootstrap-italia assets/fonts assets/icons
mkdir -p assets/bootstrap-italia assets/fonts/titillium-web assets/icons
cp "$dist/css/bootstrap-italia.min.css" assets/bootstrap-italia/
cp "$work/package/LICENSE" assets/bootstrap-italia/LICENSE
echo "bootstrap-italia $VERSION (npm), dist/css/bootstrap-italia.min.css" > assets/bootstrap-italia/VERSION
for weight in regular italic 600 700; do
    cp "$dist/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-$weight.woff2" assets/fonts/titillium-web/
done
cp "$dist/fonts/Titillium_Web/OFL.txt" assets/fonts/titillium-web/ 2>/dev/null \
    || cp "$dist/fonts/Lora/OFL.txt" assets/fonts/titillium-web/OFL.txt
# Each icon the templates use, as a standalone symbol: inlined where used, because an
# external sprite does not render from file://.
for icon in it-download it-external-link it-mail it-chevron-right it-info-circle; do
    python3 - "$dist/svg/sprites.svg" "$icon" > "assets/icons/$icon.svg" <<'PY'
import re, sys
sprite = open(sys.argv[1], encoding="utf-8").read()
match = re.search(r'<symbol id="%s"([^>]*)>(.*?)</symbol>' % re.escape(sys.argv[2]), sprite, re.S)
if not match:
    sys.exit("icon %s not found" % sys.argv[2])
view_box = re.search(r'viewBox="([^"]+)"', match.group(1)).group(1)
print('<svg xmlns="http://www.w3.org/2000/svg" viewBox="%s">%s</svg>' % (view_box, match.group(2).strip()))
PY
done
# The release ships the stylesheet purged to what the templates use: refresh it as well.
echo "now run \`make css\` to rewrite assets/bootstrap-italia/bootstrap-italia.purged.min.css"
