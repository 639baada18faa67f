#!/usr/bin/env bash
# netns_live_test.sh CAPS WORKDIR - the live sensor on a real interface: two
# network namespaces joined by a veth pair; `caps sense --iface vethB` runs in
# one, tcpreplay plays a `caps synth` capture into vethA in the other, and
# after SIGTERM the live inventory must equal the `caps sense --read` one of
# the same capture. Compared per asset: mac, ips, hostname, vendor, os,
# device_type, sources; first_seen/last_seen are excluded (the live sensor
# stamps frames with the time they arrive, the replay with the file's times).
# Skips (77) when namespaces cannot be made (no root, no CAP_SYS_ADMIN) or
# tcpreplay is missing. Namespaces are removed on every exit path.
set -uo pipefail
caps=$1 work=$2
mkdir -p "$work"
rm -f "$work"/live.json "$work"/read.json "$work"/sensor.log

if ! command -v tcpreplay >/dev/null 2>&1; then
    echo "SKIP: tcpreplay not installed"; exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "SKIP: python3 not installed"; exit 77
fi
ns_a=caps_a_$$ ns_b=caps_b_$$
if ! ip netns add "$ns_a" 2>"$work/netns.err"; then
    echo "SKIP: 'ip netns add' is not permitted here: $(cat "$work/netns.err")"; exit 77
fi
sensor_pid=
cleanup() {
    if [ -n "$sensor_pid" ] && kill -0 "$sensor_pid" 2>/dev/null; then
        kill -KILL "$sensor_pid" 2>/dev/null; wait "$sensor_pid" 2>/dev/null
    fi
    ip netns del "$ns_a" 2>/dev/null
    ip netns del "$ns_b" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 1' INT TERM
fail() { echo "FAIL: $*"; [ -f "$work/sensor.log" ] && tail -20 "$work/sensor.log"; exit 1; }

ip netns add "$ns_b" || fail "ip netns add $ns_b"
ip link add vethA netns "$ns_a" type veth peer name vethB netns "$ns_b" || fail "veth pair"
for side in "$ns_a vethA 10.77.0.1/24" "$ns_b vethB 10.77.0.2/24"; do
    set -- $side
    # No IPv6 on the link: the kernels' own router and listener solicitations
    # would be traffic the capture file does not hold.
    ip netns exec "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1" || fail "sysctl $1"
    ip -n "$1" addr add "$3" dev "$2" || fail "address on $2"
    ip -n "$1" link set "$2" up || fail "link up $2"
    ip -n "$1" link set lo up
done

"$caps" synth --hosts 30 --minutes 20 --seed 11 --out "$work/synth.pcap" >/dev/null ||
    fail "caps synth"
"$caps" sense --read "$work/synth.pcap" --json "$work/read.json" -q 2>/dev/null ||
    fail "caps sense --read"

ip netns exec "$ns_b" "$caps" sense --iface vethB --no-election --json "$work/live.json" \
    2>"$work/sensor.log" &
sensor_pid=$!
for _ in $(seq 1 100); do
    grep -q "capturing on vethB" "$work/sensor.log" 2>/dev/null && break
    kill -0 "$sensor_pid" 2>/dev/null || fail "the sensor exited at start"
    sleep 0.1
done
grep -q "capturing on vethB" "$work/sensor.log" || fail "the sensor did not start capturing"

frames=$(ip netns exec "$ns_a" tcpreplay -i vethA --pps 2000 "$work/synth.pcap" 2>&1 |
         awk '/Actual:/ {print $2; exit}')
[ -n "$frames" ] || fail "tcpreplay sent nothing"
echo "tcpreplay: $frames frames into vethA"
sleep 1
kill -TERM "$sensor_pid"
wait "$sensor_pid"
rc=$?
sensor_pid=
[ "$rc" -eq 0 ] || fail "the sensor exited $rc after SIGTERM, want 0"
[ -s "$work/live.json" ] || fail "no live.json written on SIGTERM"
grep -q "stopping:" "$work/sensor.log" || fail "no clean stop in the log"

python3 - "$work/read.json" "$work/live.json" <<'PY' || fail "inventories differ"
import json, sys
def assets(path):
    doc = json.load(open(path))
    out = {}
    for a in doc["assets"]:
        out[a["mac"]] = {
            "ips": sorted(a["ips"]), "hostname": a["hostname"], "vendor": a["vendor"],
            "os": a["os"], "device_type": a["device_type"], "sources": sorted(a["sources"]),
        }
    return out
read, live = assets(sys.argv[1]), assets(sys.argv[2])
if not read:
    print("the replay found no assets"); sys.exit(1)
bad = 0
for mac in sorted(set(read) | set(live)):
    if read.get(mac) != live.get(mac):
        print(f"{mac}: read {read.get(mac)}\n{' ' * len(mac)}  live {live.get(mac)}")
        bad += 1
print(f"{len(read)} assets read, {len(live)} live, {bad} differ")
sys.exit(1 if bad else 0)
PY
echo "ok netns_live: live inventory equals the replay's"
