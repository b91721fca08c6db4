#!/usr/bin/env bash
# End-to-end tests of the web portal in a real headless Chromium (Debian's `chromium`, driven by the pinned
# `playwright-core` from npm; never a downloaded browser) against the `joule` binary given as $1 (default
# target/release/joule). Installs package-lock.json into tests/e2e/node_modules (ignored) and Chromium with
# apt-get when it is missing. Screenshots land in tests/e2e/screenshots/ (ignored).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../target/release/joule}
if [ ! -x /usr/bin/chromium ]; then
  echo "e2e: installing Debian's chromium"
  (apt-get install -y chromium >/dev/null 2>&1) || (apt-get update >/dev/null && apt-get install -y chromium >/dev/null)
fi
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
exec node "$here/e2e.mjs" "$bin"
