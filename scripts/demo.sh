#!/usr/bin/env bash
# demo.sh BUILD_DIR - the main job: writes the bundled office-subnet capture
# (17 devices sending real DHCP, ARP, NetBIOS, SSDP and mDNS packets, built
# by tests/e2e/mkpcap.c), replays it through one sensor core and prints the
# inventory, then says where the JSON is.
set -euo pipefail
build=${1:-build/release}
out=$build/demo
mkdir -p "$out"
"$build/tests/e2e/e2e_mkpcap" "$out/office.pcap"
echo "== caps sense --read $out/office.pcap"
"$build/cli/caps" sense --read "$out/office.pcap" --json "$out/inventory.json" -q
"$build/cli/caps" sense --read "$out/office.pcap"
echo
echo "capture:   $out/office.pcap"
echo "inventory: $out/inventory.json"
echo "replay any capture: $build/cli/caps sense --read FILE.pcap [--json OUT.json]"
