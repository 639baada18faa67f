#!/usr/bin/env bash
# memory.sh BUILD_DIR - memory per asset: what the core is sized to (bench_memory:
# the arena caps_sensor_init is given, the only memory the core uses), and for
# context what a whole caps sense process holds (peak RSS over the 1000-host
# capture minus that over an empty one, per asset found; this includes the
# JSON document the CLI builds). Reports, never judges beyond printing
# whether the 1 KiB-per-asset target of the core is met.
set -euo pipefail
build=${1:-build/release}
out=$build/bench
mkdir -p "$out"
"$build/bench/bench_memory" 1000 4096 > "$out/memory_static.json"
echo "== core sizing (bytes)"
cat "$out/memory_static.json"

cap=$out/memory-1000h.pcap
[ -f "$cap" ] || "$build/bench/bench_mkcapture" --packets 200000 --hosts 1000 --seed 7 --out "$cap" >/dev/null
empty=$out/memory-empty.pcap
[ -f "$empty" ] || "$build/bench/bench_mkcapture" --packets 1 --hosts 1 --seed 7 --out "$empty" >/dev/null
rss() {   # peak RSS in KiB of: caps sense --read FILE --assets-max 1000
    /usr/bin/time -f '%M' "$build/cli/caps" sense --read "$1" --assets-max 1000 \
        --json /dev/null -q 2>&1 >/dev/null | tail -1
}
full=() base=()
for i in 1 2 3 4 5; do full+=("$(rss "$cap")"); base+=("$(rss "$empty")"); done
med() { printf '%s\n' "$@" | sort -n | sed -n 3p; }
full_kib=$(med "${full[@]}") base_kib=$(med "${base[@]}")
assets=$("$build/cli/caps" sense --read "$cap" --assets-max 1000 --json - -q | grep -c '"mac"')
per=$(( (full_kib - base_kib) * 1024 / assets ))
static_per=$(sed -n 's/.*"assets_max": 1000, [^}]*"total_bytes_per_asset": \([0-9.]*\).*/\1/p' "$out/memory_static.json")
echo "== run: peak RSS median of 5 (KiB): 1000-host capture $full_kib, empty capture $base_kib, assets $assets"
echo "   process bytes per asset (RSS delta / assets): $per  -- the whole caps sense process:"
echo "     the core's arena is the same in both runs (sized from assets_max at start), so the"
echo "     delta is the cJSON inventory document with its evidence and the capture reading"
echo "   core bytes per asset at assets_max 1000 (arena + sensor / 1000): $static_per"
verdict=met; awk "BEGIN{exit !($static_per <= 1024)}" || verdict="NOT MET"
echo "   target <= 1024 bytes per asset (core sizing): $verdict"
cat > "$out/memory.json" <<EOJ
{"benchmark": "memory", "assets": $assets, "rss_kib_full": $full_kib, "rss_kib_empty": $base_kib,
 "run_bytes_per_asset": $per, "core_bytes_per_asset_at_1000": $static_per, "target_bytes_per_asset": 1024}
EOJ
