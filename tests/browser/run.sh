#!/usr/bin/env bash
# The book in a real browser: builds the book, serves it on 127.0.0.1 and opens every page in
# headless Chromium (tests/browser/check-book.mjs). Prints one line per page, then
# "N passed, M failed"; exits non-zero on any failure. Screenshots of each page's first
# screen go to target/screenshots/. Works offline once Chromium and node_modules are installed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

if [ ! -x /usr/bin/chromium ]; then
    echo "installing Chromium (Debian package)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi

# npm ci only when node_modules is missing or was installed from another package-lock.json.
lock_sum="$(sha256sum tests/browser/package-lock.json | cut -d' ' -f1)"
stamp=tests/browser/node_modules/.installed-from-lock
if [ "$(cat "$stamp" 2>/dev/null)" != "$lock_sum" ]; then
    (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
    echo "$lock_sum" > "$stamp"
fi

mdbook="$(command -v mdbook || echo "$HOME/.cargo/bin/mdbook")"
if [ ! -x "$mdbook" ]; then
    cargo install mdbook --version 0.5.4 --locked --quiet
fi
if ! build_log="$("$mdbook" build 2>&1)"; then
    echo "$build_log"
    echo "mdbook build failed"
    echo "0 passed, 1 failed"
    exit 1
fi
grep -v ' INFO ' <<<"$build_log" || true

exec node tests/browser/check-book.mjs target/book target/screenshots
