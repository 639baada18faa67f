#!/usr/bin/env bash
# demo.sh BUILD_DIR - the main job. First the simulator: a 1000-host /22 over a
# simulated day (scenarios/default-1000-hosts-day.json) through one sensor
# core, with a summary of discovery over time, accuracy against the truth and
# events/s, and the paths of its outputs. Then a real-packet capture: the
# bundled office subnet (17 devices, built by tests/e2e/mkpcap.c) replayed
# through the core, as a table. Last, the same capture uploaded to the bundled
# mock cloud (caps cloud on a free loopback port) and the cloud queried.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build/release}
caps=$build/cli/caps
out=$build/demo
mkdir -p "$out"

echo "== caps sim scenarios/default-1000-hosts-day.json --out $out/sim"
"$caps" sim "$root/scenarios/default-1000-hosts-day.json" --out "$out/sim"
echo
echo "replay with another seed: $caps sim scenarios/default-1000-hosts-day.json --seed N"
echo "all scenarios:            ls $root/scenarios (format: scenarios/README.md)"
echo

"$build/tests/e2e/e2e_mkpcap" "$out/office.pcap"
echo "== caps sense --read $out/office.pcap"
"$caps" sense --read "$out/office.pcap" -q
echo
echo "replay any capture: $caps sense --read FILE.pcap [--json OUT.json]"
echo

# The cloud: the bundled mock cloud on a free loopback port, the same capture
# replayed with uploads, then the cloud asked what it holds.
rm -rf "$out/cloud.db" "$out/cloud.db-wal" "$out/cloud.db-shm" "$out/state"
"$caps" cloud --db "$out/cloud.db" --listen 127.0.0.1:0 --activation-key demo-key \
    2>"$out/cloud.log" &
cloud_pid=$!
trap 'kill "$cloud_pid" 2>/dev/null || true' EXIT
url=""
for _ in $(seq 100); do
    url=$(sed -n 's/^caps cloud: listening on \(http:[^ ]*\).*/\1/p' "$out/cloud.log")
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { echo "demo: caps cloud did not start:" >&2; cat "$out/cloud.log" >&2; exit 1; }
echo "== caps cloud --db $out/cloud.db --listen 127.0.0.1:0 --activation-key demo-key  ($url)"
echo "== caps sense --read $out/office.pcap --cloud $url --activation-key demo-key"
"$caps" sense --read "$out/office.pcap" --cloud "$url" --activation-key demo-key \
    --state-dir "$out/state" --json "$out/office-cloud.json" -q
for q in "inventory.source:CAPS" "inventory.source:CAPS and managed:false" \
         "inventory.source:CAPS and os.family:windows"; do
    n=$(curl -fsS -G "$url/api/v1/assets" --data-urlencode "q=$q" |
        sed -n 's/.*"count": *\([0-9]*\).*/\1/p')
    printf '  %-45s %s assets\n' "$q" "$n"
done
echo "query it yourself: curl -G $url/api/v1/assets --data-urlencode 'q=inventory.source:CAPS'"
kill -TERM "$cloud_pid"
wait "$cloud_pid" || true
trap - EXIT
