#!/usr/bin/env bash
# corpus_test.sh CAPS PCAP_DIR WORKDIR - caps over a directory of real captures.
#
# For every *.pcap, *.pcapng and *.cap in PCAP_DIR (sorted): caps must read it
# with no sanitizer report (CI builds caps with the asan preset) and exit 0,
# and the devices tshark sees in it - ARP senders, DHCP clients and servers,
# NetBIOS, SSDP and mDNS senders - must be in the inventory, with the DHCP host
# names and mDNS names tshark sees (corpus_check.py holds the rules). Malformed
# frame counts of caps and tshark are printed side by side, for information.
# A capture whose link type caps does not read is skipped. Exits 0 when no file
# failed, 1 otherwise, 77 (skipped) without a directory, captures or tshark.
set -uo pipefail
caps=${1:?usage: corpus_test.sh CAPS PCAP_DIR WORKDIR}
dir=${2:-}
work=${3:?usage: corpus_test.sh CAPS PCAP_DIR WORKDIR}
here=$(cd "$(dirname "$0")" && pwd)

if [ -z "$dir" ] || [ ! -d "$dir" ]; then
    [ -n "$dir" ] && echo "corpus: $dir is not a directory"
    echo "skipped: no capture directory given (configure with -DCAPS_PCAP_DIR=DIR or make test PCAP_DIR=DIR)"
    exit 77
fi
if ! command -v tshark >/dev/null 2>&1; then
    echo "skipped: tshark is not installed (Debian: apt-get install tshark)"
    exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "skipped: python3 is not installed"
    exit 77
fi

shopt -s nullglob nocaseglob
export LC_ALL=C
found=("$dir"/*.pcap "$dir"/*.pcapng "$dir"/*.cap)
files=()
if [ ${#found[@]} -gt 0 ]; then
    while IFS= read -r -d '' f; do files+=("$f"); done < <(printf '%s\0' "${found[@]}" | sort -z -u)
fi
if [ ${#files[@]} -eq 0 ]; then
    echo "skipped: no *.pcap, *.pcapng or *.cap files in $dir"
    exit 77
fi
mkdir -p "$work" || exit 1

# Any sanitizer report ends caps with a non-zero exit.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}halt_on_error=1"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}halt_on_error=1:print_stacktrace=1"
sanitizer='runtime error|AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer'

# What tshark sees: the sensed protocols (it dissects them by the UDP ports caps
# uses: dhcp 67/68, nbns 137, nbdgm 138, ssdp 1900, mdns 5353), in frames it
# decodes cleanly. caps counts IP fragments and does not reassemble them, so
# reassembled datagrams are left out.
protocols='(arp or dhcp or nbns or nbdgm or ssdp or mdns)'
clean='not _ws.malformed and not _ws.expert.severity == error'
filter="$protocols and $clean and not ip.fragments and not ipv6.fragments"
fields=(frame.number frame.protocols eth.src sll.src.eth ip.src ipv6.src
        arp.opcode arp.proto.type arp.src.hw_mac
        dhcp.type dhcp.hw.type dhcp.hw.len dhcp.hw.mac_addr
        dhcp.option.type dhcp.option.length dhcp.option.value
        dhcp.option.hostname dhcp.fqdn.name
        nbns.name nbns.netbios_name nbdgm.source_name browser.server
        dns.resp.name dns.resp.type dns.resp.ttl dns.a dns.aaaa)
field_args=()
for f in "${fields[@]}"; do field_args+=(-e "$f"); done

pass=0 fail=0 skip=0
for path in "${files[@]}"; do
    name=$(basename "$path")
    out="$work/$name"
    rm -f "$out.json"
    "$caps" sense --read "$path" --json "$out.json" -q 2>"$out.caps.err"
    rc=$?
    if grep -qE "$sanitizer" "$out.caps.err"; then
        echo "FAIL $name: sanitizer report from caps (exit $rc):"
        grep -m 5 -E "$sanitizer" "$out.caps.err" | sed 's/^/    /'
        fail=$((fail + 1)); continue
    fi
    if [ "$rc" -ne 0 ] && grep -q "link type .* is not supported" "$out.caps.err"; then
        echo "skipped $name: $(grep -m 1 -o 'link type .* is not supported' "$out.caps.err")"
        skip=$((skip + 1)); continue
    fi
    if [ "$rc" -ne 0 ] || [ ! -s "$out.json" ]; then
        echo "FAIL $name: caps exit $rc: $(head -c 300 "$out.caps.err")"
        fail=$((fail + 1)); continue
    fi
    # tshark warns on stderr ('Running as user "root"...'): ignored.
    tshark -n -r "$path" -Y "$filter" -T fields -E header=y -E occurrence=a \
        -E aggregator='|' -E separator=/t "${field_args[@]}" >"$out.fields.tsv" 2>/dev/null
    trc=$?
    tshark -n -r "$path" -Y "$protocols and not ($clean)" -T fields -e frame.number \
        >"$out.malformed.txt" 2>/dev/null
    if [ ! -s "$out.fields.tsv" ]; then
        echo "FAIL $name: tshark cannot read it (exit $trc)"
        fail=$((fail + 1)); continue
    fi
    if python3 "$here/corpus_check.py" --name "$name" --inventory "$out.json" \
        --fields "$out.fields.tsv" --malformed "$out.malformed.txt"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
    fi
done

echo "(malformed counts are information, not a failure: caps may be stricter or laxer than tshark)"
echo "$pass passed, $fail failed"
if [ $((pass + fail)) -eq 0 ]; then
    echo "skipped: caps reads none of the $skip captures in $dir"
    exit 77
fi
[ "$fail" -eq 0 ]
