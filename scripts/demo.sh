#!/usr/bin/env bash
# demo.sh BUILD_DIR - the main job. First the simulator: a 1000-host /22 over a
# simulated day (scenarios/default-1000-hosts-day.json) through one sensor
# core, with a summary of discovery over time, accuracy against the truth and
# events/s, and the paths of its outputs. Then a real-packet capture: the
# bundled office subnet (17 devices, built by tests/e2e/mkpcap.c) replayed
# through the core, as a table.
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
