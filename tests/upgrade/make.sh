#!/usr/bin/env bash
# Makes an upgrade fixture: the databases a given Joule binary writes when it is used, for the upgrade tests
# (checks.rs) to open with today's code. See README.md here.
#
#   tests/upgrade/make.sh BIN OUT
#
# BIN is the joule binary of the release to capture (e.g. /work/baseline/joule-1ba04fc), OUT the folder the
# fixture goes to (e.g. tests/upgrade/1ba04fc). It runs `BIN serve` twice, on a fresh SQLite data folder and
# on a fresh PostgreSQL database (created on the server of JOULE_TEST_DATABASE_URL, dropped afterwards),
# fills each through the CLI, the REST API (curl), joule-sim and the scripted stations of stations.py, stops
# the server cleanly and writes:
#
#   OUT/joule.db, OUT/joule-messages.db   the SQLite data folder (vacuumed copies)
#   OUT/postgres.sql                      pg_dump --inserts --no-owner --no-privileges, loadable without psql
#   OUT/sqlite.env, OUT/postgres.env      what each run drew at random (operator keys, API token secrets
#                                         and their SHA-256), for the tests
#   OUT/README.md                         where the fixture comes from, and its rows per table
#
# FIXTURE_SOURCE (optional) says in the README what BIN was built from, e.g. "commit 1ba04fc".
#
# Needs bash, curl, jq, python3, sqlite3, psql, pg_dump, and joule-sim (SIM, default target/release/joule-sim:
# `cargo build --release -p joule-sim`). Everything listens on 127.0.0.1 only; every wait is bounded.
set -euo pipefail
# Messages go to fd 3, the script's own stderr, also from commands whose stderr is redirected.
exec 3>&2

if [[ $# -ne 2 ]]; then
    sed -n '2,22p' "$0" >&2
    exit 2
fi
BIN=$(realpath "$1")
OUT=$2
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SIM=${SIM:-$ROOT/target/release/joule-sim}
PG_ADMIN=${JOULE_TEST_DATABASE_URL:?set JOULE_TEST_DATABASE_URL to a PostgreSQL account that may create databases, e.g. postgres://postgres@127.0.0.1:5432/test}
for tool in curl jq python3 sqlite3 psql pg_dump; do
    command -v "$tool" >/dev/null || { echo "make.sh: $tool is needed" >&2; exit 1; }
done
[[ -x $BIN ]] || { echo "make.sh: $BIN is not executable" >&2; exit 1; }
[[ -x $SIM ]] || { echo "make.sh: no joule-sim at $SIM (cargo build --release -p joule-sim, or set SIM)" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/joule-fixture.XXXXXX")
PIDS=()
PG_DB=""
cleanup() {
    local status=$?
    if [[ $status -ne 0 ]]; then
        for log in "$WORK"/serve-*.log; do [[ -f $log ]] && { echo "--- $log" >&3; tail -n 20 "$log" >&3; }; done
    fi
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    if [[ -n $PG_DB ]]; then
        psql -q "$PG_ADMIN" -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

say() { printf '== %s\n' "$*" >&3; }
die() { printf 'make.sh: %s\n' "$*" >&3; exit 1; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The passwords of the accounts the fixture holds (the tests log in with them).
ADMIN_PW="fixture admin password"
STAFF_PW="fixture staff password"
OWNER_PW="fixture owner password"
INSTALLER_PW="fixture installer password"
DRIVER_PW="fixture driver password"
LEAVER_PW="fixture leaver password"
FX2_PASSWORD="fixture-station-password-2"
OP="Fixture Charging"

# One run of the server, filled; $1 is the backend (sqlite or postgres), the rest the database flags.
fill() {
    local backend=$1
    shift
    DB=("$@")
    PORT=$(free_port)
    BASE="http://127.0.0.1:$PORT"
    LOG="$WORK/serve-$backend.log"
    ENV_OUT="$WORK/$backend.env"
    : >"$ENV_OUT"

    say "$backend: serve on 127.0.0.1:$PORT"
    JOULE_LOG=warn "$BIN" "${DB[@]}" --listen "127.0.0.1:$PORT" serve >"$LOG" 2>&1 &
    SERVER=$!
    PIDS+=("$SERVER")
    for _ in $(seq 300); do
        curl -s -o /dev/null "$BASE/api/v1/openapi.json" && break
        kill -0 "$SERVER" 2>/dev/null || { cat "$LOG" >&3; die "serve exited"; }
        sleep 0.1
    done
    curl -s -o /dev/null "$BASE/api/v1/openapi.json" || die "serve did not answer within 30 s"

    # --- operators, API tokens, accounts (CLI) ---
    local key other_key
    key=$(J operator create "$OP" | sed -n 's#^OCPP URL: .*/ocpp/\([^/]*\)/$#\1#p')
    other_key=$(J operator create "Other Operator" | sed -n 's#^OCPP URL: .*/ocpp/\([^/]*\)/$#\1#p')
    [[ -n $key && -n $other_key ]] || die "no operator key printed"
    OCPP="ws://127.0.0.1:$PORT/ocpp/$key"
    TOKEN=$(J api-token create --operator "$OP" --role admin --name fixture-admin --json | jq -r .secret)
    local viewer other_token viewer_id
    viewer=$(J api-token create --operator "$OP" --role viewer --name fixture-viewer --json)
    viewer_id=$(jq -r .id <<<"$viewer")
    J api-token revoke --operator "$OP" "$viewer_id" >/dev/null
    other_token=$(J api-token create --operator "Other Operator" --role operator --name other-operator --json | jq -r .secret)
    # The admin token sees its own operator only.
    OPID=$(api GET /operators | jq -r '.[0].id')
    {
        echo "OPERATOR_KEY=$key"
        echo "OTHER_OPERATOR_KEY=$other_key"
        echo "ADMIN_TOKEN=$TOKEN"
        echo "ADMIN_TOKEN_SHA256=$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)"
        echo "VIEWER_TOKEN_SHA256=$(jq -r .secret <<<"$viewer" | tr -d '\n' | sha256sum | cut -d' ' -f1)"
        echo "OTHER_TOKEN_SHA256=$(printf %s "$other_token" | sha256sum | cut -d' ' -f1)"
    } >>"$ENV_OUT"

    printf '%s\n' "$ADMIN_PW" | J account create --email admin@fixture.example --name "Fixture Admin" --role platform-admin >/dev/null
    printf '%s\n' "$STAFF_PW" | J account create --email staff@fixture.example --name "Fixture Staff" --role operator-staff --operator "$OP" >/dev/null
    printf '%s\n' "$INSTALLER_PW" | J account create --email installer@fixture.example --name "Fixture Installer" --role installer --operator "$OP" --approve >/dev/null
    printf '%s\n' "$DRIVER_PW" | J account create --email driver@fixture.example --name "Ann Example" --role driver --operator "$OP" >/dev/null
    J operator settings set "$OP" --service-level-days 3 --offline-after-minutes 30 >/dev/null

    # --- people through the API: an owner registers and is confirmed; staff add and disable an account ---
    local staff owner installer owner_id leaver_id
    staff=$(login staff@fixture.example "$STAFF_PW")
    echo "STAFF_LOGIN_SHA256=$(printf %s "$staff" | sha256sum | cut -d' ' -f1)" >>"$ENV_OUT"
    owner_id=$(api_anon POST /register "$(jq -nc --arg pw "$OWNER_PW" --argjson op "$OPID" '{operator_id: $op, email: "owner@fixture.example",
        name: "Fixture Owner AG", password: $pw, owner_kind: "company", company_number: "CHE-123.456.789"}')" | jq -r .id)
    AS=$staff api POST "/accounts/$owner_id/approve" >/dev/null
    leaver_id=$(AS=$staff api POST /accounts "$(jq -nc --arg pw "$LEAVER_PW" '{email: "leaver@fixture.example",
        name: "Former Staff", role: "operator-staff", password: $pw}')" | jq -r .id)
    AS=$staff api PUT "/accounts/$leaver_id/disabled" '{"disabled": true}' >/dev/null
    owner=$(login owner@fixture.example "$OWNER_PW")
    installer=$(login installer@fixture.example "$INSTALLER_PW")

    # --- id tokens, drivers, groups (CLI, remote CLI and API) ---
    J token add TAG-A --operator "$OP" >/dev/null
    J token add TAG-B --operator "$OP" --parent TAG-A --expires 2099-12-31 >/dev/null
    J token add TAG-BLOCKED --operator "$OP" --blocked >/dev/null
    J token add TAG-EXPIRED --operator "$OP" --expires 2020-01-01 >/dev/null
    api POST /id-tokens '{"tag": "TAG-API", "parent": "TAG-A", "expires_at": "2030-06-30T12:00:00Z"}' >/dev/null
    J token add TAG-A --operator "Other Operator" >/dev/null
    R driver add "Ann Example" --email ann@example.com >/dev/null
    R driver add "Bob Example" >/dev/null
    local ann bob residents staff_group driver_account
    ann=$(api GET /operators/$OPID/drivers | jq -r '.[] | select(.name == "Ann Example") | .id')
    bob=$(api GET /operators/$OPID/drivers | jq -r '.[] | select(.name == "Bob Example") | .id')
    driver_account=$(api GET /accounts | jq -r '.[] | select(.email == "driver@fixture.example") | .id')
    api PUT "/operators/$OPID/drivers/$ann" "$(jq -nc --argjson a "$driver_account" '{name: "Ann Example", email: "ann@example.com", account_id: $a}')" >/dev/null
    R group add residents >/dev/null
    residents=$(api GET /operators/$OPID/groups | jq -r '.[] | select(.name == "residents") | .id')
    staff_group=$(api POST /operators/$OPID/groups '{"name": "staff"}' | jq -r .id)
    R group join residents ann@example.com >/dev/null
    api PUT "/operators/$OPID/groups/$staff_group/members/$bob" >/dev/null
    R driver link ann@example.com TAG-A >/dev/null
    api PUT "/operators/$OPID/drivers/$bob/tokens/TAG-B" >/dev/null
    api_csv POST /operators/$OPID/id-tokens/import "$(printf '%s\n' \
        'id_tag,driver_name,driver_email,groups,expires_at,blocked,parent' \
        'TAG-IMP-1,Carol Import,carol@example.com,imported;residents,,false,' \
        'TAG-IMP-2,Carol Import,carol@example.com,,2031-01-01T00:00:00Z,true,TAG-IMP-1')" >/dev/null

    # --- billing: settings, three tariffs (one with two versions), assignments ---
    R billing settings --currency CHF --vat-rate 8.1 --time-zone Europe/Zurich --free-below-wh 200 --free-below-secs 120 >/dev/null
    local standard residents_tariff fast
    standard=$(api POST /tariffs '{"name": "Standard", "valid_from": "2026-01-01T00:00:00Z", "tariff": {"start_fee": "1.00",
        "elements": [{"price_components": [{"type": "ENERGY", "price": "0.30"}]}]}}' | jq -r .id)
    api PUT "/tariffs/$standard" '{"name": "Standard", "valid_from": "2027-01-01T00:00:00Z", "tariff": {"start_fee": "1.00",
        "elements": [{"price_components": [{"type": "ENERGY", "price": "0.35"}]}]}}' >/dev/null
    residents_tariff=$(api POST /tariffs '{"name": "Residents", "valid_from": "2026-01-01T00:00:00Z", "tariff": {"start_fee": "0.50",
        "elements": [{"price_components": [{"type": "ENERGY", "price": "0.20"}]}]}}' | jq -r .id)
    fast=$(api POST /tariffs '{"name": "Fast", "valid_from": "2026-01-01T00:00:00Z", "tariff": {
        "elements": [{"price_components": [{"type": "ENERGY", "price": "0.50"}]}]}}' | jq -r .id)
    api PUT /tariff-assignments "$(jq -nc --argjson t "$standard" '{tariff_id: $t}')" >/dev/null
    api PUT /tariff-assignments "$(jq -nc --argjson t "$residents_tariff" --argjson g "$residents" '{tariff_id: $t, group: $g}')" >/dev/null

    # --- stations (CLI) and their access rules (API) ---
    J station register FX-1 --operator "$OP" --activate >/dev/null
    api PUT /tariff-assignments "$(jq -nc --argjson t "$fast" '{tariff_id: $t, station: "FX-1", connector: 2}')" >/dev/null
    J station register FX-2 --operator "$OP" --activate --password "$FX2_PASSWORD" >/dev/null
    J station register FX-3 --operator "$OP" >/dev/null
    J station register FX-5 --operator "$OP" >/dev/null
    J station register FX-6 --operator "$OP" >/dev/null
    printf '%s\n' 'station_id,password,free_vend' 'FX-7,,false' 'FX-8,,true' >"$WORK/stations.csv"
    J station import "$WORK/stations.csv" --operator "$OP" --activate >/dev/null
    J station register FX-SIM-00001 --operator "$OP" --activate >/dev/null
    J station register OB-1 --operator "Other Operator" >/dev/null
    api PUT /stations/FX-2/access "$(jq -nc --argjson ann "$ann" --argjson g "$staff_group" \
        '{mode: "limited", authorization_required: true, drivers: [$ann], groups: [$g]}')" >/dev/null
    api PUT /stations/FX-8/access "$(jq -nc --argjson g "$residents" '{mode: "public", authorization_required: false,
        available_times: "mon-fri 07:00-19:00; 2026-12-25 closed", time_zone: "Europe/Zurich",
        group_times: [{group_id: $g, times: "sat 08:00-12:00"}],
        connectors: [{connector_id: 2, mode: "private"}]}')" >/dev/null

    # --- the scripted stations: sessions, meter values, statuses, an unknown stop, events ---
    python3 "$HERE/stations.py" "$OCPP" fx1 >>"$WORK/stations-$backend.txt"
    python3 "$HERE/stations.py" "$OCPP" refused FX-2 "not-the-password-of-fx-2"
    python3 "$HERE/stations.py" "$OCPP" fx2 >>"$WORK/stations-$backend.txt"
    python3 "$HERE/stations.py" "$OCPP" pending FX-4
    python3 "$HERE/stations.py" "$OCPP" pending FX-5
    # Completed sessions are priced after their stop is answered (all but the last started: FX-2's, running).
    for tx in $(sed -n 's/.* transaction \([0-9]*\)$/\1/p' "$WORK/stations-$backend.txt" | sed '$d'); do
        wait_for "cost of session $tx" api_quiet GET "/sessions/$tx/cost"
    done

    # --- onboarding: activation requests (approved, rejected, in review), a sticker, a claim, pinpointing ---
    local req
    req=$(AS=$owner api POST /activation-requests "$(request_form FX-3 C-1001)" | jq -r .id)
    AS=$staff api POST "/activation-requests/$req/review" >/dev/null
    AS=$staff api POST "/activation-requests/$req/approve" >/dev/null
    req=$(AS=$owner api POST /activation-requests "$(request_form FX-6 C-1002)" | jq -r .id)
    AS=$staff api POST "/activation-requests/$req/reject" '{"reason": "The address is outside our service area."}' >/dev/null
    req=$(AS=$owner api POST /activation-requests "$(request_form FX-5 C-1003)" | jq -r .id)
    AS=$staff api POST "/activation-requests/$req/review" >/dev/null
    local note
    note=$(AS=$owner api GET /notifications | jq -r '.[-1].id')
    AS=$owner api POST "/notifications/$note/read" >/dev/null
    local code
    code=$(AS=$staff api POST /stations/FX-3/activation-codes '{"mac": "AA:BB:CC:00:00:03"}' | jq -r .code)
    AS=$staff api POST /stickers '{"stations": [{"station_id": "FX-5", "mac": "AA:BB:CC:00:00:05"}]}' >/dev/null
    AS=$installer api POST /claims "$(jq -nc --arg c "$code" '{mac: "AA:BB:CC:00:00:03", code: $c}')" >/dev/null
    AS=$installer api PUT /stations/FX-3/installation '{"gps": {"lat": 47.3769, "lon": 8.5417, "accuracy_m": 4.5},
        "vendor": "Fixture Works", "model": "FX-22", "serial_number": "FXS-0003",
        "address": {"street": "Bahnhofstrasse", "house_number": "1", "postal_code": "8001", "city": "Zürich", "country": "CH"},
        "time_zone": "Europe/Zurich", "parking_spot": "P3", "directions": "Level -1, next to the lift"}' >/dev/null
    python3 -c 'import struct, sys, zlib
def chunk(kind, data):
    return struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data))
rows = b"".join(b"\x00" + bytes([200, 120, 40]) * 4 for _ in range(3))
sys.stdout.buffer.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack("!IIBBBBB", 4, 3, 8, 2, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))' >"$WORK/photo.png"
    curl -sS --fail-with-body --max-time 30 -X PUT -H "Authorization: Bearer $installer" -H 'content-type: image/png' \
        --data-binary "@$WORK/photo.png" "$BASE/api/v1/stations/FX-3/installation/photo" >/dev/null
    AS=$staff api PUT /operators/$OPID/models '{"vendor": "Fixture Works", "model": "FX-22", "min_firmware": "1.4.0"}' >/dev/null
    AS=$staff api PUT /operators/$OPID/models '{"vendor": "Fixture Works", "model": "FX-11"}' >/dev/null
    AS=$staff api POST /stations/FX-3/installation/lock >/dev/null

    # FX-3 comes online, reports its MAC, runs the test session it is sent, and is verified.
    python3 "$HERE/stations.py" "$OCPP" fx3 >"$WORK/fx3-$backend.txt" &
    local fx3=$!
    PIDS+=("$fx3")
    wait_for "FX-3 online" grep -q "FX-3 ready" "$WORK/fx3-$backend.txt"
    AS=$staff api POST /stations/FX-3/configuration/refresh >/dev/null
    AS=$installer api POST /stations/FX-3/test-session '{"connector_id": 1}' >/dev/null
    wait_for "FX-3's test session" grep -q "FX-3 connector 1" "$WORK/fx3-$backend.txt"
    wait_for "FX-3 verifiable" verified FX-3 "$installer"
    AS=$installer api POST /stations/FX-3/verify >/dev/null
    kill -TERM "$fx3"
    wait "$fx3" || true

    # --- a station played by joule-sim: defaults applied, commands, configuration, local list, a remote session ---
    J operator defaults set "$OP" MeterValueSampleInterval=60 ClockAlignedDataInterval=900 >/dev/null
    timeout 120 "$SIM" --url "$OCPP" --stations 1 --id-prefix FX-SIM- --mode idle --connectors 2 \
        --meter-interval 2s --duration 90s --no-reconnect --progress-interval 0 >"$WORK/sim-$backend.txt" 2>&1 &
    local sim=$!
    PIDS+=("$sim")
    wait_for "FX-SIM-00001's defaults" defaults_done FX-SIM-00001
    api POST /stations/FX-SIM-00001/configuration/refresh >/dev/null
    api PUT /stations/FX-SIM-00001/configuration/HeartbeatInterval '{"value": "120"}' >/dev/null
    api POST /stations/FX-SIM-00001/trigger '{"message": "StatusNotification", "connector_id": 1}' >/dev/null
    api POST /stations/FX-SIM-00001/commands '{"action": "DataTransfer", "payload": {"vendorId": "FixtureWorks", "messageId": "Ping"}}' >/dev/null
    api POST /stations/FX-SIM-00001/clear-cache >/dev/null
    # The station's first sync after its boot may still run (409 meanwhile): sync once it is done.
    wait_for "a local-list sync of FX-SIM-00001" api_quiet POST /stations/FX-SIM-00001/local-list/sync
    local sim_tx
    sim_tx=$(api POST /stations/FX-SIM-00001/remote-start '{"id_tag": "TAG-A", "connector_id": 1}' | jq -r .transaction_id)
    [[ $sim_tx =~ ^[0-9]+$ ]] || die "the remote start on FX-SIM-00001 gave no transaction"
    wait_for "meter values of session $sim_tx" sim_metered "$sim_tx"
    api POST /stations/FX-SIM-00001/remote-stop "$(jq -nc --argjson t "$sim_tx" '{transaction_id: $t}')" >/dev/null
    wait_for "session $sim_tx stopped" sim_stopped "$sim_tx"
    wait_for "cost of session $sim_tx" api_quiet GET "/sessions/$sim_tx/cost"
    kill -TERM "$sim"
    wait "$sim" || true
    wait_for "FX-SIM-00001 offline" offline FX-SIM-00001
    # A command to a station that is not connected: refused, and in the history as offline.
    api_quiet POST /stations/FX-SIM-00001/reset '{"type": "Soft"}' && die "a reset of an offline station succeeded"

    # --- a forgotten password (the link is mailed to the outbox, its hash kept) ---
    api_anon POST /password-reset '{"email": "installer@fixture.example"}' >/dev/null

    # --- handover, cloud provisioning ---
    R backend add "Neighbour CSMS" --ocpp-url ws://neighbour.example/ocpp >/dev/null
    api PUT "/operators/$OPID/provisioning-profiles/Fixture%20Works" '{"method": "configuration-key", "key": "CentralSystemUrl", "reset": "soft", "append_station_id": true}' >/dev/null
    local handover
    handover=$(api POST /stations/FX-7/handover '{"backend": "Neighbour CSMS"}' | jq -r .id)
    api POST "/stations/FX-7/handovers/$handover/confirm" >/dev/null
    # FX-9 connects unknown and waits, unclaimed, until it is assigned to Joule.
    python3 "$HERE/stations.py" "$OCPP" pending FX-9 stay >"$WORK/fx9-$backend.txt" &
    local fx9=$!
    PIDS+=("$fx9")
    wait_for "FX-9 online" grep -q "FX-9 ready" "$WORK/fx9-$backend.txt"
    api POST /stations/FX-9/assignment '{"backend": "joule", "purchased_from": "Fixture Shop"}' >/dev/null
    kill -TERM "$fx9"
    wait "$fx9" || true

    # The message log is written in batches every half second, and a password-reset link after the answer
    # (the answer does not tell whether the address has an account): let both land before the stop.
    sleep 2
    say "$backend: stop the server"
    kill -TERM "$SERVER"
    wait "$SERVER" || true
    grep -E ' (ERROR|WARN) ' "$LOG" >&2 || true
}

# --- helpers of fill (they use DB, BASE, TOKEN, AS) ---
J() { JOULE_LOG=warn "$BIN" "${DB[@]}" "$@"; }
R() { JOULE_LOG=warn JOULE_URL="$BASE" JOULE_TOKEN="$TOKEN" "$BIN" "${DB[@]}" "$@"; }
# api METHOD PATH [JSON]: as the admin API token, or as the bearer in AS; fails on an error status.
api() {
    local args=(-sS --fail-with-body --max-time 60 -X "$1" -H "Authorization: Bearer ${AS:-$TOKEN}")
    [[ $# -ge 3 ]] && args+=(-H 'content-type: application/json' --data "$3")
    local out
    out=$(curl "${args[@]}" "$BASE/api/v1$2") || { printf '%s\n' "$out" >&3; die "$1 $2 failed"; }
    printf '%s' "$out"
}
api_quiet() {
    local args=(-s -o /dev/null --fail --max-time 60 -X "$1" -H "Authorization: Bearer ${AS:-$TOKEN}")
    [[ $# -ge 3 ]] && args+=(-H 'content-type: application/json' --data "$3")
    curl "${args[@]}" "$BASE/api/v1$2"
}
api_anon() {
    local out
    out=$(curl -sS --fail-with-body --max-time 60 -X "$1" -H 'content-type: application/json' --data "$3" \
        "$BASE/api/v1$2") || { printf '%s\n' "$out" >&3; die "$1 $2 failed"; }
    printf '%s' "$out"
}
api_csv() {
    local out
    out=$(curl -sS --fail-with-body --max-time 60 -X "$1" -H "Authorization: Bearer $TOKEN" -H 'content-type: text/csv' \
        --data-binary "$3" "$BASE/api/v1$2") || { printf '%s\n' "$out" >&3; die "$1 $2 failed"; }
    printf '%s' "$out"
}
login() {
    api_anon POST /login "$(jq -nc --arg e "$1" --arg p "$2" '{email: $e, password: $p}')" | jq -r .token
}
request_form() {
    jq -nc --arg s "$1" --arg c "$2" '{customer_number: $c, charge_points: [{number: "1", station_id: $s, connector_count: 2}],
        controller_number: "CTRL-7", installation_type: "home", features: ["rfid-reader"],
        address: {street: "Seestrasse", house_number: "12", postal_code: "8002", city: "Zürich", country: "CH"},
        network: "lan", notes: "Fixture request"}'
}
# wait_for WHAT COMMAND...: runs COMMAND until it succeeds, at most 60 s.
wait_for() {
    local what=$1
    shift
    for _ in $(seq 300); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    die "gave up waiting for $what"
}
# Predicates for wait_for: they read, and never end the script.
get() { curl -s --fail --max-time 60 -H "Authorization: Bearer ${AS:-$TOKEN}" "$BASE/api/v1$1"; }
verified() { AS=$2 get "/stations/$1/verification" | jq -e '.all_green' >/dev/null; }
defaults_done() { get "/stations/$1/defaults" | jq -e 'length >= 2' >/dev/null; }
sim_metered() { get "/sessions/$1" | jq -e '.meter_values | length >= 2' >/dev/null; }
sim_stopped() { get "/sessions/$1" | jq -e '.stopped_at != null' >/dev/null; }
offline() { get "/stations/$1" | jq -e '.online == false' >/dev/null; }

# --- SQLite ---
fill sqlite --data-dir "$WORK/sqlite"
# Stations cannot be suspended through today's CLI or API (the state exists for operators' tools to come):
# FX-8 is suspended the way Store::set_station_state would, with the server stopped.
sqlite3 "$WORK/sqlite/joule.db" "UPDATE stations SET state = 'suspended' WHERE id = 'FX-8'"
mkdir -p "$OUT"
for db in joule.db joule-messages.db; do
    rm -f "$OUT/$db"
    sqlite3 "$WORK/sqlite/$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    sqlite3 "$WORK/sqlite/$db" "VACUUM INTO '$OUT/$db'"
done
cp "$WORK/sqlite.env" "$OUT/sqlite.env"

# --- PostgreSQL ---
PG_DB="joule_fixture_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
psql -q "$PG_ADMIN" -c "CREATE DATABASE $PG_DB" >/dev/null
PG_URL=$(python3 -c 'import sys; from urllib.parse import urlsplit, urlunsplit
u = urlsplit(sys.argv[1]); print(urlunsplit(u._replace(path="/" + sys.argv[2])))' "$PG_ADMIN" "$PG_DB")
fill postgres --data-dir "$WORK/postgres" --database-url "$PG_URL"
psql -q "$PG_URL" -c "UPDATE stations SET state = 'suspended' WHERE id = 'FX-8'" >/dev/null
# pg_dump 15.14 and later write psql's \restrict and \unrestrict around the dump; the tests load it without
# psql, so they go (they guard psql against a hostile dump; this one is ours).
pg_dump --inserts --no-owner --no-privileges "$PG_URL" | grep -v '^\\\(un\)\?restrict ' >"$OUT/postgres.sql"
cp "$WORK/postgres.env" "$OUT/postgres.env"

# --- the fixture's README: where it comes from, and how many rows of each kind it holds ---
{
    echo "# Upgrade fixture: $(basename "$OUT")"
    echo
    echo "Written by \`tests/upgrade/make.sh\` (see ../README.md for what it does and how the tests use it) with"
    echo
    echo "- binary: \`$BIN\` ($("$BIN" --version)), sha256 \`$(sha256sum "$BIN" | cut -d' ' -f1)\`"
    [[ -n ${FIXTURE_SOURCE:-} ]] && echo "- built from: $FIXTURE_SOURCE"
    echo "- on $(date -u +%Y-%m-%d) (UTC), with $("$SIM" --version) and $(pg_dump --version)"
    echo
    echo "Files: \`joule.db\` and \`joule-messages.db\` (the SQLite data folder, vacuumed), \`postgres.sql\` (\`pg_dump --inserts"
    echo "--no-owner --no-privileges\`, without psql's \\restrict lines), \`sqlite.env\` and \`postgres.env\` (what each run drew at"
    echo "random: operator keys, API token secrets and SHA-256 hashes, a login's hash)."
    echo
    echo "Rows per table:"
    echo
    echo "| table | SQLite | PostgreSQL |"
    echo "|---|---:|---:|"
    for table in $(sqlite3 "$OUT/joule.db" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name") message_log; do
        if [[ $table == message_log ]]; then
            s=$(sqlite3 "$OUT/joule-messages.db" "SELECT COUNT(*) FROM message_log")
        else
            s=$(sqlite3 "$OUT/joule.db" "SELECT COUNT(*) FROM \"$table\"")
        fi
        p=$(psql -qtA "$PG_URL" -c "SELECT COUNT(*) FROM \"$table\"" 2>/dev/null || echo -)
        echo "| $table | $s | $p |"
    done
} >"$OUT/README.md"
say "done: $OUT"
ls -l "$OUT" >&3
