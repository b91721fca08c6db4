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
"$here/.venv/bin/python" "$here/interop_v16.py" "$bin"
# The same scenario on PostgreSQL, in a database of its own, when one is configured (CI sets it).
if [ -n "${JOULE_TEST_DATABASE_URL:-}" ]; then
  db="joule_interop_$$_$RANDOM"
  psql "$JOULE_TEST_DATABASE_URL" -qc "CREATE DATABASE $db" >/dev/null
  trap 'psql "$JOULE_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null' EXIT
  JOULE_INTEROP_DATABASE_URL="${JOULE_TEST_DATABASE_URL%/*}/$db" "$here/.venv/bin/python" "$here/interop_v16.py" "$bin"
else
  echo "interop on PostgreSQL skipped: JOULE_TEST_DATABASE_URL not set"
fi
