#!/usr/bin/env bash
# Interop: the independent Python `ocpp` library (PyPI, v16 ChargePoint) drives a station through the real
# `joule` binary. Installs its tools into tests/interop/.venv (ignored), builds nothing itself: pass the
# binary's path as $1 (default target/release/joule).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../target/release/joule}
if [ ! -x "$here/.venv/bin/python" ]; then
  python3 -m venv "$here/.venv"
fi
"$here/.venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
exec "$here/.venv/bin/python" "$here/interop_v16.py" "$bin"
