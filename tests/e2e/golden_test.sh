#!/usr/bin/env bash
# golden_test.sh CAPS MKPCAP GOLDEN WORKDIR - the end-to-end inventory of the
# e2e capture must equal the golden file byte for byte. A missing golden
# fails; UPDATE_GOLDEN=1 rewrites it for review in git diff.
set -euo pipefail
caps=$1 mkpcap=$2 golden=$3 work=$4
mkdir -p "$work"
"$mkpcap" "$work/e2e.pcap"
"$caps" sense --read "$work/e2e.pcap" --json "$work/inventory.json" -q
if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$work/inventory.json" "$golden"
    echo "golden rewritten: $golden"
    exit 0
fi
if [ ! -f "$golden" ]; then
    echo "golden file missing: $golden (run with UPDATE_GOLDEN=1 and review)" >&2
    exit 1
fi
if ! diff -u "$golden" "$work/inventory.json"; then
    echo "inventory differs from $golden (UPDATE_GOLDEN=1 rewrites it for review)" >&2
    exit 1
fi
echo "golden inventory matches: $(grep -c '"mac"' "$golden") assets"
