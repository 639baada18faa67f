#!/usr/bin/env bash
# cli_test.sh CAPS MKPCAP WORKDIR - the caps command line: help, usage errors,
# and clear errors for missing, non-pcap and damaged captures that name the
# file and the record, while what was read before the damage is reported.
set -uo pipefail
caps=$1 mkpcap=$2 work=$3
mkdir -p "$work"
pass=0 fail=0

# check NAME WANT_RC GREP_PATTERN -- COMMAND...: runs COMMAND, wants its exit
# code and a line of its stderr+stdout matching the pattern.
check() {
    local name=$1 want=$2 pattern=$3
    shift 4
    local out rc
    out=$("$@" 2>&1)
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL $name: exit $rc, want $want"; echo "$out" | head -5; fail=$((fail + 1)); return
    fi
    if [ -n "$pattern" ] && ! grep -qE -- "$pattern" <<<"$out"; then
        echo "FAIL $name: output lacks /$pattern/"; echo "$out" | head -5; fail=$((fail + 1)); return
    fi
    echo "ok   $name"; pass=$((pass + 1))
}

"$mkpcap" "$work/good.pcap" || { echo "FAIL: cannot build capture"; exit 1; }
size=$(stat -c %s "$work/good.pcap")

check help 0 "usage: caps sense" -- "$caps" sense --help
check top_help 0 "subcommands" -- "$caps" --help
check no_subcommand 2 "usage: caps" -- "$caps"
check unknown_subcommand 2 "unknown subcommand 'frobnicate'" -- "$caps" frobnicate
check no_read 2 "--read FILE is required" -- "$caps" sense
check bad_option 2 "usage: caps sense" -- "$caps" sense --read x --bogus
check bad_assets_max 2 "--assets-max must be 1\.\.[0-9]+, got '0'" -- "$caps" sense --read x --assets-max 0
check stray_argument 2 "unexpected argument 'extra'" -- "$caps" sense --read x extra
check missing_file 1 "$work/nope.pcap: No such file or directory" -- "$caps" sense --read "$work/nope.pcap"
printf 'this is not a capture\n' > "$work/text.pcap"
check not_pcap 1 "text.pcap: not a pcap or pcapng capture" -- "$caps" sense --read "$work/text.pcap"
: > "$work/empty.pcap"
check empty_file 1 "empty.pcap: not a pcap or pcapng capture" -- "$caps" sense --read "$work/empty.pcap"

# Cut the capture in the middle of its last record: the error names the
# record, and the inventory of every earlier record is still written.
records=$("$caps" sense --read "$work/good.pcap" --json /dev/null 2>&1 | sed -n 's/.*: \([0-9]*\) records.*/\1/p')
head -c $((size - 20)) "$work/good.pcap" > "$work/cut.pcap"
check truncated_record 1 "cut.pcap: record $records: truncated" -- \
    "$caps" sense --read "$work/cut.pcap" --json "$work/cut.json"
good_assets=$("$caps" sense --read "$work/good.pcap" --json - -q | grep -c '"mac"')
cut_assets=$(grep -c '"mac"' "$work/cut.json" 2>/dev/null || echo 0)
if [ "$cut_assets" -ge $((good_assets - 1)) ] && [ "$cut_assets" -gt 0 ]; then
    echo "ok   truncated_keeps_inventory ($cut_assets of $good_assets assets)"; pass=$((pass + 1))
else
    echo "FAIL truncated_keeps_inventory: $cut_assets assets after the cut, $good_assets before"; fail=$((fail + 1))
fi
check unwritable_json 1 "cannot write" -- "$caps" sense --read "$work/good.pcap" --json /nonexistent/dir/x.json -q
check json_stdout 0 '"assets"' -- "$caps" sense --read "$work/good.pcap" --json - -q
check table_stdout 0 "^MAC +IP +HOSTNAME +VENDOR +OS +TYPE" -- "$caps" sense --read "$work/good.pcap" -q

# A local fingerprint file: its rules take precedence; its errors are placed.
cat > "$work/local.json" <<'EOJ'
{"format": "caps-fingerprints/1", "rules": [
  {"id": "local-debian-nas", "kind": "hostname", "match": "debian-nas", "device_type": "nas",
   "score": 0.9, "note": "our NAS naming convention"}
]}
EOJ
check local_fingerprints 0 '"device_type":[[:space:]]*"nas"' -- \
    "$caps" sense --read "$work/good.pcap" --fingerprints-local "$work/local.json" --json - -q
cat > "$work/badlocal.json" <<'EOJ'
{"format": "caps-fingerprints/1", "rules": [
  {"id": "x", "kind": "dhcp_prm", "match": "1,3", "os": "linux", "score": 0.5}
]}
EOJ
check bad_local_fingerprints 1 "badlocal.json:2:23: rules\[0\]\.kind: unknown kind" -- \
    "$caps" sense --read "$work/good.pcap" --fingerprints-local "$work/badlocal.json" -q
check missing_local_fingerprints 1 "nope.json: No such file or directory" -- \
    "$caps" sense --read "$work/good.pcap" --fingerprints-local "$work/nope.json" -q

# A configuration: excluded devices leave the inventory and are counted.
cat > "$work/site.json" <<'EOJ'
{"upload_interval_minutes": 30, "min_peers": 2,
 "domains": [{"name": "corp.example.com", "include": ["192.168.1.0/24"]}],
 "exclude": {"ips": ["192.168.1.1-192.168.1.20"], "macs": ["3c:d9:2b:3c:2a:f4"]}}
EOJ
"$caps" sense --read "$work/good.pcap" --config "$work/site.json" --json "$work/site_inv.json" -q
if grep -q '"excluded":[[:space:]]*[1-9]' "$work/site_inv.json" && ! grep -q '3c:d9:2b:3c:2a:f4' "$work/site_inv.json" \
   && ! grep -q '"192.168.1.10"' "$work/site_inv.json"; then
    echo "ok   config_excludes"; pass=$((pass + 1))
else
    echo "FAIL config_excludes: excluded devices listed or not counted"; fail=$((fail + 1))
fi
check config_off_premises 0 "matches no configured domain: off premises" -- \
    "$caps" sense --read "$work/good.pcap" --config "$work/site.json" --dns-suffix home.example.net --json /dev/null
printf '{"upload_interval_minutes": 5, "domains": [{"name": "corp.example.com"}]}\n' > "$work/bad_site.json"
check config_invalid 1 'bad_site.json:1:29: .*upload_interval_minutes.*15\.\.1440.*5' -- \
    "$caps" sense --read "$work/good.pcap" --config "$work/bad_site.json" -q

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
