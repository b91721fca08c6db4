#!/usr/bin/env bash
# Joule's benchmarks: the real release binary and joule-sim on this machine, over loopback only.
#
#   bench/run.sh [sqlite|postgres] [all|idle|flood|storm]
#
# idle   N_IDLE stations (default 10000) connect at 2000/s, boot, and stay idle; the server's RSS is read
#        before they connect and once all are connected: RSS per idle station.
# flood  N_FLOOD stations (default 200) send MeterValues back to back, one outstanding call each, for
#        FLOOD_SECS (default 30): MeterValues/s committed before the answer, p50/p99 latency.
# storm  N_STORM activated stations (default 10000) all connect and boot at once against a freshly started
#        server (as after a restart): time until every station is Accepted. With STATION_PASSWORD set
#        (16-40 characters), every station has that Basic-auth password (security profile 1).
# commands  N_CMD stations (default 10000) connected and idle; CMD_REQUESTS (default 5000) commands sent through
#        the REST API to stations picked at random, CMD_CONCURRENCY (default 16) at a time, for each of
#        TriggerMessage(Heartbeat), GetConfiguration and ChangeConfiguration: round trip API call -> station ->
#        answer (p50/p99), the configuration's storage included.
# authorize N_AUTH stations (default 200) send Authorize back to back with the operator's token for AUTH_SECS
#        (default 20), one outstanding call each: Authorize/s and latency. Every answer is decided from the token,
#        its driver and groups, and the station's access rules and available times (ACCESS_TIMES, default
#        "mon-sun 00:00-24:00", set on every station, so the window check runs too).
# import N_IMPORT lines (default 49999: the API's limit of 50,000 lines with the header) of id tokens as CSV through the REST API
#        (POST /api/v1/operators/{id}/id-tokens/import): the check (dry run), the import, and the same file
#        again (all unchanged); a driver per two tokens, 20 groups. Seconds per request, from curl.
# sweep  N_SWEEP activated stations (default 10000) connected and idle while offline detection sweeps every
#        5 s (ocpp.offline_check_secs): how long one sweep over all of them takes (from the server's debug log).
#
# The message log is on as by default (7 days); MESSAGE_LOG_DAYS=0 runs without it.
# PostgreSQL: PG_ADMIN_URL (default postgres://postgres@127.0.0.1:5432/test); a database with a random name is
# created for each server start and dropped afterwards. Every run is bounded and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
BACKEND=${1:-sqlite}
WHAT=${2:-all}
N_IDLE=${N_IDLE:-10000}
N_FLOOD=${N_FLOOD:-200}
N_STORM=${N_STORM:-10000}
FLOOD_SECS=${FLOOD_SECS:-30}
N_CMD=${N_CMD:-10000}
N_SWEEP=${N_SWEEP:-10000}
N_IMPORT=${N_IMPORT:-49999}
N_AUTH=${N_AUTH:-200}
AUTH_SECS=${AUTH_SECS:-20}
ACCESS_TIMES=${ACCESS_TIMES:-mon-sun 00:00-24:00}
CMD_REQUESTS=${CMD_REQUESTS:-5000}
CMD_CONCURRENCY=${CMD_CONCURRENCY:-16}
PG_ADMIN_URL=${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/test}
PORT=${PORT:-18181}
OUT=bench-out/$(date -u +%Y%m%dT%H%M%SZ)-$BACKEND
mkdir -p "$OUT"

cargo build --release -q -p joule -p joule-sim
JOULE=${JOULE_BIN:-target/release/joule}  # JOULE_BIN: another build, for comparisons
SIM=target/release/joule-sim
LOAD=target/release/joule-api-load
server_pid=""
pg_db=""

cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$pg_db" ]; then psql "$PG_ADMIN_URL" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true; fi
  server_pid=""; pg_db=""
}
trap cleanup EXIT

rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# Starts a fresh server with an operator, a token and N activated stations; sets KEY and server_pid.
fresh_server() {
  local stations=$1 data="$OUT/data-$RANDOM"
  cleanup
  mkdir -p "$data"
  db_args=(--data-dir "$data" --listen "127.0.0.1:$PORT")
  if [ "$BACKEND" = postgres ]; then
    pg_db="joule_bench_$RANDOM$RANDOM"
    psql "$PG_ADMIN_URL" -qc "CREATE DATABASE $pg_db" >/dev/null
    db_args+=(--database-url "${PG_ADMIN_URL%/*}/$pg_db")
  fi
  export JOULE_LOG=${SERVER_LOG:-warn} JOULE_OCPP__MESSAGE_LOG_DAYS=${MESSAGE_LOG_DAYS:-7}
  KEY=$("$JOULE" "${db_args[@]}" operator create Bench | sed -n 's|.*/ocpp/\([a-z0-9]*\)/$|\1|p' | head -1)
  "$JOULE" "${db_args[@]}" token add BENCH-TAG --operator Bench >/dev/null
  seq -f "SIM-%05g${STATION_PASSWORD:+,$STATION_PASSWORD}" 1 "$stations" > "$data/stations.csv"
  "$JOULE" "${db_args[@]}" station import "$data/stations.csv" --operator Bench --activate >/dev/null
  "$JOULE" "${db_args[@]}" serve >"$data/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "server did not start"; cat "$data/server.log"; exit 1
}

# Stations online, counted through the API's keyset paging (1000 a page); needs TOKEN.
count_online() {
  python3 - "http://127.0.0.1:$PORT" "$TOKEN" <<'PY'
import json, sys, urllib.request
base, token, after, n = sys.argv[1], sys.argv[2], "", 0
while True:
    req = urllib.request.Request(f"{base}/api/v1/stations?online=true&limit=1000{after}", headers={"Authorization": f"Bearer {token}"})
    page = json.load(urllib.request.urlopen(req, timeout=30))
    n += len(page)
    if len(page) < 1000:
        break
    after = "&after=" + page[-1]["id"]
print(n)
PY
}

field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {'d': d}))" "$@"; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr); backend: $BACKEND; message log: ${MESSAGE_LOG_DAYS:-7} days" | tee "$OUT/summary.txt"

if [ "$WHAT" = all ] || [ "$WHAT" = idle ]; then
  fresh_server "$N_IDLE"
  before=$(rss_kib "$server_pid")
  "$SIM" --url "ws://127.0.0.1:$PORT/ocpp/$KEY" --stations "$N_IDLE" --mode idle --connect-rate 2000 \
    --duration 40s --progress-interval 10s --json "$OUT/idle.json" >"$OUT/idle.txt" 2>&1 &
  sim=$!
  # Read the RSS once every station is connected and booted (about 10 s at 2000/s), before the run ends.
  sleep 30
  during=$(rss_kib "$server_pid")
  fds=$(ls "/proc/$server_pid/fd" | wc -l)
  wait "$sim"
  established=$(field "$OUT/idle.json" "d['connections']['peak_connected']")
  per=$(( (during - before) * 1024 / N_IDLE ))
  echo "idle: $established concurrent stations; server RSS ${before} KiB before, ${during} KiB with them ($fds fds): $per bytes per idle station" | tee -a "$OUT/summary.txt"
fi

if [ "$WHAT" = all ] || [ "$WHAT" = flood ]; then
  fresh_server "$N_FLOOD"
  "$SIM" --url "ws://127.0.0.1:$PORT/ocpp/$KEY" --stations "$N_FLOOD" --mode meter-flood --id-tag BENCH-TAG \
    --duration "${FLOOD_SECS}s" --progress-interval 10s --json "$OUT/flood.json" >"$OUT/flood.txt" 2>&1
  echo "flood: $N_FLOOD stations for ${FLOOD_SECS}s: MeterValues $(field "$OUT/flood.json" "d['actions']['MeterValues']['per_second']")/s, latency ms $(field "$OUT/flood.json" "d['actions']['MeterValues']['latency_ms']"), errors $(field "$OUT/flood.json" "d['calls']['errors']"), timeouts $(field "$OUT/flood.json" "d['calls']['timeouts']")" | tee -a "$OUT/summary.txt"
fi

if [ "$WHAT" = all ] || [ "$WHAT" = storm ]; then
  fresh_server "$N_STORM"
  "$SIM" --url "ws://127.0.0.1:$PORT/ocpp/$KEY" --stations "$N_STORM" --mode storm --connect-rate 0 \
    ${STATION_PASSWORD:+--password "$STATION_PASSWORD"} \
    --duration 60s --progress-interval 5s --json "$OUT/storm.json" >"$OUT/storm.txt" 2>&1 || true
  echo "storm: $N_STORM stations at once${STATION_PASSWORD:+ with Basic-auth passwords}: all accepted after $(field "$OUT/storm.json" "d['boots']['time_to_all_accepted_s']") s ($(field "$OUT/storm.json" "d['boots']['stations_accepted']") accepted, connection failures $(field "$OUT/storm.json" "d['connections']['failed']"))" | tee -a "$OUT/summary.txt"
fi
if [ "$WHAT" = all ] || [ "$WHAT" = commands ]; then
  fresh_server "$N_CMD"
  TOKEN=$("$JOULE" "${db_args[@]}" api-token create --operator Bench --role operator --name bench --json \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
  "$SIM" --url "ws://127.0.0.1:$PORT/ocpp/$KEY" --stations "$N_CMD" --mode idle --connect-rate 2000 \
    --duration 300s --progress-interval 30s --json "$OUT/commands-sim.json" >"$OUT/commands-sim.txt" 2>&1 &
  sim=$!
  # Every station connected and booted (about N_CMD/2000 s), then the commands.
  sleep $(( N_CMD / 2000 + 10 ))
  online=$(count_online)
  for command in trigger get-configuration change-configuration; do
    JOULE_TOKEN=$TOKEN "$LOAD" --api "http://127.0.0.1:$PORT" --stations "$N_CMD" --requests "$CMD_REQUESTS" \
      --concurrency "$CMD_CONCURRENCY" --command "$command" --json "$OUT/commands-$command.json" \
      >"$OUT/commands-$command.txt" 2>&1 || true
    echo "commands: $command through the API, $online of $N_CMD stations online, $CMD_CONCURRENCY at a time: $(head -1 "$OUT/commands-$command.txt")" | tee -a "$OUT/summary.txt"
  done
  echo "commands: $(count_online) stations still online after the commands" | tee -a "$OUT/summary.txt"
  kill "$sim" 2>/dev/null || true; wait "$sim" 2>/dev/null || true
fi
if [ "$WHAT" = all ] || [ "$WHAT" = sweep ]; then
  SERVER_LOG="warn,joule_server::offline=debug" JOULE_OCPP__OFFLINE_CHECK_SECS=5 fresh_server "$N_SWEEP"
  "$SIM" --url "ws://127.0.0.1:$PORT/ocpp/$KEY" --stations "$N_SWEEP" --mode idle --connect-rate 2000 \
    --duration 60s --progress-interval 30s --json "$OUT/sweep-sim.json" >"$OUT/sweep-sim.txt" 2>&1
  # The sweeps once every station is connected (the last 30 s of the run).
  python3 - "$N_SWEEP" "$OUT" <<'PY' | tee -a "$OUT/summary.txt"
import glob, re, statistics, sys
n, out = int(sys.argv[1]), sys.argv[2]
log = open(sorted(glob.glob(f"{out}/data-*/server.log"))[-1]).read()
sweeps = [(int(c), float(ms)) for c, ms in re.findall(r"offline sweep done checked=(\d+) .*? ms=([0-9.]+)", log)]
full = [ms for c, ms in sweeps if c == n]
if not full:
    print(f"sweep: no sweep over all {n} stations found ({len(sweeps)} sweeps logged)")
else:
    print(f"sweep: {len(full)} sweeps over {n} connected stations: median {statistics.median(full):.1f} ms, max {max(full):.1f} ms")
PY
fi
if [ "$WHAT" = all ] || [ "$WHAT" = authorize ]; then
  fresh_server "$N_AUTH"
  TOKEN=$("$JOULE" "${db_args[@]}" api-token create --operator Bench --role admin --name bench --json \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
  for i in $(seq -f "SIM-%05g" 1 "$N_AUTH"); do
    curl -sS -o /dev/null -X PUT -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \
      --data "{\"mode\": \"public\", \"authorization_required\": true, \"available_times\": \"$ACCESS_TIMES\"}" \
      "http://127.0.0.1:$PORT/api/v1/stations/$i/access"
  done
  "$SIM" --url "ws://127.0.0.1:$PORT/ocpp/$KEY" --stations "$N_AUTH" --mode authorize-flood --id-tag BENCH-TAG \
    --duration "${AUTH_SECS}s" --progress-interval 10s --json "$OUT/authorize.json" >"$OUT/authorize.txt" 2>&1
  echo "authorize: $N_AUTH stations for ${AUTH_SECS}s: Authorize $(field "$OUT/authorize.json" "d['actions']['Authorize']['per_second']")/s, latency ms $(field "$OUT/authorize.json" "d['actions']['Authorize']['latency_ms']"), rejected $(field "$OUT/authorize.json" "d.get('authorize_rejected', d.get('transactions', {}).get('authorize_rejected', '?'))"), errors $(field "$OUT/authorize.json" "d['calls']['errors']"), timeouts $(field "$OUT/authorize.json" "d['calls']['timeouts']")" | tee -a "$OUT/summary.txt"
fi
if [ "$WHAT" = all ] || [ "$WHAT" = import ]; then
  fresh_server 1
  TOKEN=$("$JOULE" "${db_args[@]}" api-token create --operator Bench --role admin --name bench --json \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
  OP=$(curl -sS -H "authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/api/v1/operators" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
  python3 - "$N_IMPORT" >"$OUT/tokens.csv" <<'PY'
import sys
n = int(sys.argv[1])
print("id_tag,driver_name,driver_email,groups,expires_at,blocked,parent")
for i in range(n):
    d = i // 2
    expires = "2027-12-31T23:00:00Z" if i % 3 == 0 else ""
    print(f"CARD-{i:08d},Driver {d:06d},driver{d}@bench.example,Group {d % 20:02d},{expires},{'true' if i % 50 == 0 else 'false'},FLEET-{d % 7}")
PY
  for pass in check import again; do
    query=""; [ "$pass" = check ] && query="?dry_run=true"
    curl -sS -o "$OUT/import-$pass.json" -w '%{http_code} %{time_total}\n' -X POST \
      -H "authorization: Bearer $TOKEN" -H 'content-type: text/csv' --data-binary @"$OUT/tokens.csv" \
      --max-time 600 "http://127.0.0.1:$PORT/api/v1/operators/$OP/id-tokens/import$query" >"$OUT/import-$pass.txt"
    read -r code secs <"$OUT/import-$pass.txt"
    counts=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["counts"]; print(", ".join(f"{k} {v}" for k,v in c.items()))' "$OUT/import-$pass.json" 2>/dev/null || echo "no report")
    echo "import: $pass of $N_IMPORT lines: HTTP $code in ${secs} s ($counts)" | tee -a "$OUT/summary.txt"
  done
fi
echo "details: $OUT"
