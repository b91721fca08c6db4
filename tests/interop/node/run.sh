#!/usr/bin/env bash
# Interop: the independent npm `ocpp-rpc` client (RPCClient, ocpp1.6, strictMode: its bundled OCPP 1.6 JSON
# schemas check every answer of ours) drives a station through the real `joule` binary. Installs the pinned
# package-lock.json into tests/interop/node/node_modules (ignored), builds nothing itself: pass the binary's
# path as $1 (default target/release/joule).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../../target/release/joule}
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
exec node "$here/interop_v16.mjs" "$bin"
