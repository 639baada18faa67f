#!/usr/bin/env bash
# cloud_loopback_test.sh CAPS WORKDIR - the sensor and the cloud over real
# HTTP on the loopback: a paced replay uploads every 300 s of capture time
# while the cloud is killed (SIGKILL) and restarted on the same database and
# port; afterwards the cloud's CAPS assets are exactly the sensor's inventory
# (same MACs, none twice, the same first and last seen), the spool is empty,
# and the outage really happened (the sensor logged retries). Then an upload
# without a token gets 401 and leaves the query answer byte-identical.
set -uo pipefail
caps=$1 work=$2
rm -rf "$work"
mkdir -p "$work"
cloud_pid= sensor_pid=
cleanup() {
    for p in $sensor_pid $cloud_pid; do
        kill -KILL "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() {
    echo "FAIL: $*"
    for f in sensor.log cloud.log; do
        [ -f "$work/$f" ] && { echo "--- $f"; tail -15 "$work/$f"; }
    done
    exit 1
}
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
command -v curl >/dev/null || { echo "SKIP: curl not installed"; exit 77; }

# start_cloud LISTEN: starts the cloud, waits for its ready line, sets url.
start_cloud() {
    : >"$work/cloud.log.new"
    "$caps" cloud --db "$work/t.db" --listen "$1" --activation-key K 2>"$work/cloud.log.new" &
    cloud_pid=$!
    for _ in $(seq 1 100); do
        url=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$work/cloud.log.new" | cut -d' ' -f3)
        [ -n "$url" ] && break
        kill -0 "$cloud_pid" 2>/dev/null || break
        sleep 0.1
    done
    cat "$work/cloud.log.new" >>"$work/cloud.log"
    [ -n "$url" ]
}

"$caps" synth --hosts 40 --minutes 40 --seed 7 --out "$work/x.pcap" >/dev/null 2>&1 ||
    fail "caps synth"
url=
start_cloud 127.0.0.1:0 || fail "the cloud did not start"
port=${url##*:}
echo "cloud at $url"

# 40 minutes at 120x: 20 s of replay, an upload every 2.5 s.
"$caps" sense --read "$work/x.pcap" --cloud "$url" --activation-key K --state-dir "$work/S" \
    --upload-interval-s 300 --pace 120 --json "$work/inv.json" 2>"$work/sensor.log" &
sensor_pid=$!
sleep 6
kill -KILL "$cloud_pid"; wait "$cloud_pid" 2>/dev/null; cloud_pid=
echo "cloud killed"
sleep 4
url=
for _ in 1 2 3 4 5; do
    start_cloud "127.0.0.1:$port" && break
    sleep 0.5                       # the port may linger a moment
done
[ -n "$url" ] || fail "the cloud did not restart on port $port"
echo "cloud restarted at $url"
wait "$sensor_pid"
rc=$?
sensor_pid=
[ "$rc" -eq 0 ] || fail "caps sense exited $rc, want 0"
grep -q "retry later" "$work/sensor.log" || fail "no upload failed: the outage was not exercised"
left=$(find "$work/S/spool" -name 'payload-*.json' | wc -l)
[ "$left" -eq 0 ] || fail "$left payload file(s) left in the spool"

q() { curl -sS -G "$url/api/v1/assets" --data-urlencode "q=inventory.source:CAPS"; }
q >"$work/cloud_assets.json" || fail "query failed"
python3 - "$work/inv.json" "$work/cloud_assets.json" <<'PY' || fail "the cloud's assets differ from the sensor's"
import json, sys
inv = json.load(open(sys.argv[1]))["assets"]
cloud = json.load(open(sys.argv[2]))["assets"]
macs_inv = [a["mac"] for a in inv]
macs_cloud = [a["mac"] for a in cloud]
ok = True
if len(macs_cloud) != len(set(macs_cloud)):
    print("duplicated in the cloud:", sorted({m for m in macs_cloud if macs_cloud.count(m) > 1}))
    ok = False
if set(macs_inv) != set(macs_cloud):
    print("lost:", sorted(set(macs_inv) - set(macs_cloud)))
    print("extra:", sorted(set(macs_cloud) - set(macs_inv)))
    ok = False
if len(macs_inv) != len(macs_cloud):
    print(f"count: sensor {len(macs_inv)}, cloud {len(macs_cloud)}")
    ok = False
by_mac = {a["mac"]: a for a in cloud}
for a in inv:
    c = by_mac.get(a["mac"])
    if c and (c["first_seen"], c["last_seen"]) != (a["first_seen"], a["last_seen"]):
        print(f'{a["mac"]}: sensor {a["first_seen"]}..{a["last_seen"]}, '
              f'cloud {c["first_seen"]}..{c["last_seen"]}')
        ok = False
print(f"{len(macs_inv)} assets in the sensor, {len(macs_cloud)} in the cloud")
sys.exit(0 if ok else 1)
PY

# An upload without a token: 401, and the database is unchanged.
status=$(gzip -c "$work/inv.json" | curl -sS -o "$work/unauth.json" -w '%{http_code}' \
         -H 'Content-Type: application/json' -H 'Content-Encoding: gzip' \
         --data-binary @- "$url/api/v1/caps/uploads") || fail "unauthenticated POST failed"
[ "$status" = 401 ] || fail "unauthenticated upload got HTTP $status, want 401"
q >"$work/cloud_assets_after.json" || fail "query failed"
cmp -s "$work/cloud_assets.json" "$work/cloud_assets_after.json" ||
    fail "the query answer changed after an unauthenticated upload"
grep -E "retry later|merged" "$work/sensor.log" | head -3
echo "ok cloud_loopback"
