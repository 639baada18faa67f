#!/usr/bin/env bash
# cloud_http_test.sh CAPS WORKDIR - "caps cloud" over real HTTP: usage errors,
# start on port 0 (the port read from its stderr line), activate, upload plain
# and gzip, 401 without a token, 413 (declared and chunked), 405 with Allow,
# a query for inventory.source:CAPS, SIGTERM, and a restart on the same
# database that still holds everything. Needs curl and python3.
set -uo pipefail
caps=$1 work=$2
rm -rf "$work"
mkdir -p "$work"
pass=0 fail=0 pid=

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
# expect NAME WANT GOT
expect() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$3', want '$2'"; fi; }
# has NAME PATTERN TEXT
has() { if grep -qE -- "$2" <<<"$3"; then ok "$1"; else bad "$1: lacks /$2/ in: $(head -c 300 <<<"$3")"; fi; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

stop_server() {
    if [ -n "$pid" ]; then
        kill -TERM "$pid" 2>/dev/null
        wait "$pid"
        local rc=$?
        pid=
        return $rc
    fi
}
trap 'stop_server >/dev/null 2>&1' EXIT

# start_server LOG: starts caps cloud on port 0 and sets $base from its line.
start_server() {
    local log=$1
    "$caps" cloud --db "$work/cloud.db" --listen 127.0.0.1:0 --activation-key demo-key \
        2>"$log" &
    pid=$!
    for _ in $(seq 1 100); do
        port=$(sed -n 's|^caps cloud: listening on http://127\.0\.0\.1:\([0-9][0-9]*\)$|\1|p' "$log")
        [ -n "$port" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$port" ]; then
        echo "FAIL: no 'listening on' line:"; cat "$log"; exit 1
    fi
    base="http://127.0.0.1:$port/api/v1"
}

# req METHOD PATH [curl args...]: prints "STATUS BODY".
req() {
    local method=$1 path=$2
    shift 2
    curl -s --max-time 20 -o "$work/body" -w '%{http_code}' -X "$method" "$@" "$base$path" \
        >"$work/status"
    echo "$(cat "$work/status") $(cat "$work/body")"
}

# ------------------------------------------------------------ command line
out=$("$caps" cloud --help 2>&1); rc=$?
expect help_exit 0 $rc; has help_text "usage: caps cloud --db FILE --listen ADDR:PORT" "$out"
out=$("$caps" cloud --listen 127.0.0.1:0 2>&1); rc=$?
expect no_db 2 $rc; has no_db_msg "--db FILE is required" "$out"
out=$("$caps" cloud --db "$work/x.db" --listen localhost 2>&1); rc=$?
expect bad_listen 2 $rc; has bad_listen_msg "--listen must be ADDR:PORT \(port 0..65535\), got localhost" "$out"
out=$("$caps" cloud --db "$work/x.db" --listen 127.0.0.1:70000 2>&1); rc=$?
expect bad_port 2 $rc
out=$("$caps" cloud --db "$work/x.db" --listen 127.0.0.1:0 --activation-key k --domain 'bad domain!' 2>&1); rc=$?
expect bad_domain 2 $rc; has bad_domain_msg "^caps cloud: --domain 'bad domain!': .*must be a DNS name" "$out"
out=$("$caps" cloud --db "$work/x.db" --listen 127.0.0.1:0 --domain a.example 2>&1); rc=$?
expect domain_without_key 2 $rc
out=$("$caps" cloud --db "$work/x.db" --listen 127.0.0.1:0 stray 2>&1); rc=$?
expect stray_argument 2 $rc; has stray_msg "unexpected argument stray" "$out"
out=$("$caps" cloud --db "$work/x.db" --listen 127.0.0.1:0 --admin-token-file "$work/none" 2>&1); rc=$?
expect admin_file_missing_exit 2 $rc; has admin_file_missing_text "admin-token-file .*/none: No such file" "$out"
echo "short" >"$work/short.tok"
out=$("$caps" cloud --db "$work/x.db" --listen 127.0.0.1:0 --admin-token-file "$work/short.tok" 2>&1); rc=$?
expect admin_short_exit 2 $rc; has admin_short_text "first line must be 16..255 printable" "$out"
out=$("$caps" cloud --db "$work/nodir/x.db" --listen 127.0.0.1:0 2>&1); rc=$?
expect bad_db 1 $rc; has bad_db_msg "nodir/x.db: sqlite:" "$out"
# An address this host does not have cannot be bound (TEST-NET-1, RFC 5737).
out=$(timeout 10 "$caps" cloud --db "$work/x.db" --listen 192.0.2.1:0 2>&1); rc=$?
expect unbindable 1 $rc; has unbindable_msg "192\.0\.2\.1:0: " "$out"

# ------------------------------------------------------------ first run
start_server "$work/run1.log"
ok "started on port $port"

r=$(req GET /caps/config)
has default_config '^200 .*"name":"example.internal"' "$r"

r=$(req POST /activate -H 'Content-Type: application/json' \
    -d '{"activation_key":"demo-key","hostname":"sensor-1","macs":["02:00:00:00:00:01"]}')
has activate '^201 ' "$r"
agent=$(json 'd["agent_id"]' <"$work/body")
token=$(json 'd["token"]' <"$work/body")
r=$(req POST /activate -d '{"activation_key":"wrong","hostname":"h","macs":["02:00:00:00:00:02"]}')
has activate_bad_key '^403 .*"unknown_activation_key"' "$r"

payload() { # SEQ MAC
    printf '{"version":1,"agent_id":"%s","subnet":"10.9.0.0/24","epoch":1,"seq":%s,"full":true,' "$agent" "$1"
    printf '"built_at":"2026-11-28T03:00:00Z","summary":{"frames":%s},"assets":[{"mac":"%s",' "$1" "$2"
    printf '"ips":["10.9.0.7"],"hostname":"cam-%s","vendor":"Axis","os":null,"device_type":"camera",' "$1"
    printf '"first_seen":"2026-11-28T02:00:00Z","last_seen":"2026-11-28T02:30:00Z",'
    printf '"sources":["mdns"],"randomized_mac":false,"status":"in_scope"}]}'
}
payload 1 00:40:8c:00:00:01 >"$work/p1.json"
payload 2 00:40:8c:00:00:02 | gzip -c >"$work/p2.json.gz"

headers=$(curl -s --max-time 20 -D - -o "$work/body" -X POST -H "Authorization: Bearer $token" \
    --data-binary @"$work/p1.json" "$base/caps/uploads")
has upload_plain '"status":"accepted","assets":1' "$(cat "$work/body")"
has content_type '^[Cc]ontent-[Tt]ype: application/json' "$headers"
r=$(req POST /caps/uploads -H "Authorization: Bearer $token" -H 'Content-Encoding: gzip' \
    --data-binary @"$work/p2.json.gz")
has upload_gzip '^200 .*"accepted"' "$r"
r=$(req POST /caps/uploads -H "Authorization: Bearer $token" --data-binary @"$work/p1.json")
has upload_retry_duplicate '^200 .*"duplicate"' "$r"
r=$(req POST /caps/uploads --data-binary @"$work/p1.json")
has no_token_401 '^401 .*"unauthorized"' "$r"
r=$(req POST /caps/uploads -H "Authorization: Bearer $token" -H 'Content-Encoding: br' \
    --data-binary @"$work/p1.json")
has brotli_415 '^415 .*"unsupported_encoding"' "$r"
head -c 8388609 /dev/zero | tr '\0' ' ' >"$work/huge.json"
r=$(req POST /caps/uploads -H "Authorization: Bearer $token" --data-binary @"$work/huge.json")
has too_large_declared_413 '^413 .*"too_large".*Content-Length' "$r"
r=$(req POST /caps/uploads -H "Authorization: Bearer $token" -H 'Transfer-Encoding: chunked' \
    --data-binary @"$work/huge.json")
has too_large_chunked_413 '^413 .*"too_large"' "$r"
headers=$(curl -s --max-time 20 -D - -o /dev/null -X DELETE "$base/assets")
has method_405 '^HTTP/1\.1 405' "$headers"
has allow_header '^Allow: GET' "$headers"
r=$(req GET /nothing)
has unknown_404 '^404 .*"not_found"' "$r"

r=$(req GET /assets -G --data-urlencode 'q=inventory.source:CAPS and device_type:camera')
has query_caps '^200 .*"count":2' "$r"
has query_sorted '"mac":"00:40:8c:00:00:01".*"mac":"00:40:8c:00:00:02"' "$r"
cp "$work/body" "$work/assets_before.json"
r=$(req GET /assets -G --data-urlencode 'q=managed:true')
has query_managed '^200 .*"mac":"02:00:00:00:00:01".*"count":1' "$r"
r=$(req GET /assets -G --data-urlencode 'q=colour:red')
has query_bad '^400 .*"bad_query"' "$r"
r=$(req GET /assets/00-40-8C-00-00-02)
has asset_one "^200 .*\"caps\":\\{\"agent_id\":\"$agent\"" "$r"
r=$(req GET /agents)
has agents_leader '"tags":\["CAPS Sensor","CAPS Leader"\]' "$r"
r=$(req GET /caps/summary)
has summary '"subnet":"10.9.0.0/24".*"summary":\{"frames":2\}' "$r"

stop_server; rc=$?
expect sigterm_exit 0 $rc
has sigterm_line "^caps cloud: SIGTERM: stopping$" "$(cat "$work/run1.log")"

# ------------------------------------------------------------ restart
start_server "$work/run2.log"
r=$(req GET /assets -G --data-urlencode 'q=inventory.source:CAPS and device_type:camera')
if cmp -s "$work/body" "$work/assets_before.json"; then ok restart_same_assets
else bad "restart_same_assets: $(head -c 300 "$work/body")"; fi
r=$(req POST /caps/uploads -H "Authorization: Bearer $token" --data-binary @"$work/p1.json")
has restart_token_and_log '^200 .*"duplicate"' "$r"
r=$(req POST /activate -d '{"activation_key":"demo-key","hostname":"sensor-2","macs":["02:00:00:00:00:02"]}')
has restart_activate '^201 ' "$r"
kill -INT "$pid"; wait "$pid"; rc=$?; pid=
expect sigint_exit 0 $rc

echo "cloud_http: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
