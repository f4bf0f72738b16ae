#!/usr/bin/env bash
# Refreshes the book's local copy of MathJax (book/mathjax/) from the npm package, so that the
# book typesets its formulas without any network: the combined TeX-to-CommonHTML component with
# every TeX extension built in (tex-chtml-full.js), its web fonts, and the Apache-2.0 licence.
# The copy is committed; run this only to change the MathJax version. Usage: vendor-mathjax.sh [VERSION]
set -euo pipefail
version="${1:-3.2.2}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "mathjax@$version" >/dev/null && tar xzf mathjax-*.tgz)
dest="$root/book/mathjax"
rm -rf "$dest"
mkdir -p "$dest/output/chtml/fonts/woff-v2"
cp "$tmp/package/LICENSE" "$dest/LICENSE"
cp "$tmp/package/es5/tex-chtml-full.js" "$dest/"
cp "$tmp/package/es5/output/chtml/fonts/woff-v2/"*.woff "$dest/output/chtml/fonts/woff-v2/"
echo "book/mathjax now holds MathJax $version ($(du -sh "$dest" | cut -f1)); update the version in theme/head.hbs"
