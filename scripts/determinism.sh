#!/usr/bin/env bash
# determinism.sh BUILD_DIR... - the determinism contract across builds: the
# same scenario and seed give byte-identical result.json, inventory.json,
# timeline.csv and lan.pcap from every build given (dev -O0, asan, release
# -O3), and caps synth gives the same pcap. Prints one line per check and
# "N passed, N failed"; exits 1 on any difference.
set -uo pipefail
[ $# -ge 2 ] || { echo "usage: $0 BUILD_DIR BUILD_DIR..." >&2; exit 2; }
work=$(mktemp -d /tmp/caps-determinism-XXXXXX)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
scenarios=(scenarios/small-office-2h.json scenarios/lossy-link.json scenarios/agent-faults.json
           scenarios/election-partition-heal.json scenarios/election-lossy.json
           scenarios/cloud-lost-acks.json scenarios/election-cloud-fenced.json)
for sc in "${scenarios[@]}"; do
    name=$(basename "$sc" .json)
    first=""
    for b in "$@"; do
        out=$work/$(basename "$b")/$name
        if ! "$b/cli/caps" sim "$sc" --out "$out" --pcap -q >/dev/null 2>"$work/err"; then
            # An assertion failure is the scenario test's business; outputs still compare.
            [ -f "$out/result.json" ] || { echo "FAIL $name: $b: $(cat "$work/err")"; fail=$((fail + 1)); continue; }
        fi
        if [ -z "$first" ]; then first=$out; continue; fi
        files="result.json inventory.json timeline.csv lan.pcap"
        [ -f "$first/cloud.json" ] && files="$files cloud.json"
        for f in $files; do
            if cmp -s "$first/$f" "$out/$f"; then
                pass=$((pass + 1))
            else
                echo "FAIL $name/$f differs between $(dirname "$first") and $(dirname "$out")"
                fail=$((fail + 1))
            fi
        done
    done
    echo "checked $name across $# builds"
done
first=""
for b in "$@"; do
    "$b/cli/caps" synth --hosts 120 --minutes 60 --seed 9 --out "$work/$(basename "$b").pcap" >/dev/null
    if [ -z "$first" ]; then first=$work/$(basename "$b").pcap; continue; fi
    if cmp -s "$first" "$work/$(basename "$b").pcap"; then pass=$((pass + 1)); else
        echo "FAIL synth pcap differs: $first vs $b"; fail=$((fail + 1)); fi
done
echo "determinism: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
