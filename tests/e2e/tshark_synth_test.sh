#!/bin/sh
# tshark_synth_test.sh CAPS WORKDIR - Wireshark's dissectors must read every
# frame of a synthesized subnet without a malformed packet or an expert error
# (severity "error"); warnings are counted and reported, not fatal (mDNS
# probes and announcements are retransmissions by design, RFC 6762 8).
# Also checks that `caps synth` is deterministic (same args, same bytes).
# Exit 77 (skipped) when tshark is missing.
set -u
caps=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
profiles="$here/../../data/profiles.json"
if ! command -v tshark >/dev/null 2>&1; then
    echo "SKIP: tshark not installed (apt-get install tshark)"
    exit 77
fi
rm -rf "$work" && mkdir -p "$work" || exit 1
args="--hosts 200 --minutes 120 --seed 7 --churn 2 --profiles $profiles"
"$caps" synth $args --out "$work/a.pcap" || { echo "FAIL: caps synth exited $?"; exit 1; }
"$caps" synth $args --out "$work/b.pcap" || { echo "FAIL: caps synth (second run) exited $?"; exit 1; }
cmp -s "$work/a.pcap" "$work/b.pcap" || { echo "FAIL: two runs with the same arguments differ (pcap)"; exit 1; }
cmp -s "$work/a.truth.json" "$work/b.truth.json" || { echo "FAIL: two runs differ (truth)"; exit 1; }

frames=$(tshark -r "$work/a.pcap" -T fields -e frame.number 2>/dev/null | wc -l)
[ "$frames" -gt 1000 ] || { echo "FAIL: only $frames frames"; exit 1; }
# PI_ERROR is 0x00800000, PI_WARN 0x00600000 (epan/proto.h).
tshark -r "$work/a.pcap" -o udp.check_checksum:TRUE -o ip.check_checksum:TRUE \
    -Y '_ws.malformed || _ws.expert.severity >= 0x00800000 || ip.checksum.status == 0 || udp.checksum.status == 0' \
    >"$work/errors.txt" 2>"$work/tshark.err"
bad=$(wc -l <"$work/errors.txt")
warn=$(tshark -r "$work/a.pcap" -Y '_ws.expert.severity == 0x00600000' 2>/dev/null | wc -l)
echo "frames: $frames, malformed/error/bad checksum: $bad, frames with warnings: $warn"
tshark -r "$work/a.pcap" -q -z expert,warn 2>/dev/null | grep -v retransmission | head -20
if [ "$bad" -ne 0 ]; then
    echo "FAIL: frames Wireshark calls malformed or in error:"
    head -20 "$work/errors.txt"
    exit 1
fi
echo "PASS"
