#!/usr/bin/env bash
# throughput.sh - how fast "caps sense --read" replays a capture, against the bare
# read speed of tcpdump (the floor) and against prads (the peer), issue 2.
#   usage: bench/throughput.sh BUILD_DIR [PACKETS]    (BENCH_TIMER=loop: no hyperfine)
# Builds a seeded capture once into BUILD_DIR/bench/ (default 2,000,000 packets of a
# 1000-host subnet), times each tool as the median wall time of 5 runs after one
# warm-up, prints a table and writes BUILD_DIR/bench/throughput.json. It measures and
# reports; a missed target is not a failure. Exit 0 when it measured caps, 1 when it
# could not (no capture generator, caps missing or failing), 2 on a usage error.
set -euo pipefail
export LC_ALL=C

usage() {
    echo "usage: bench/throughput.sh BUILD_DIR [PACKETS]   (PACKETS default 2000000)" >&2
    exit 2
}
[ $# -ge 1 ] && [ $# -le 2 ] || usage
[ -d "$1" ] || { echo "throughput.sh: $1: no such build directory" >&2; exit 2; }
build=$(cd "$1" && pwd)
packets=${2:-2000000}
[[ $packets =~ ^[1-9][0-9]{0,9}$ ]] || { echo "throughput.sh: PACKETS must be a positive integer, got '$packets'" >&2; exit 2; }

hosts=1000
seed=1
runs=5
# Issue 2's "Done when", as ratios of median wall times.
floor_time_ratio_max=1.30   # caps time / tcpdump time: within 30 % of the bare read
prads_speedup_min=2.00      # prads time / caps time: at least twice as fast

mkcapture=$build/bench/bench_mkcapture
caps=$build/cli/caps
outdir=$build/bench
capture=$outdir/capture-${packets}p-${hosts}h-s${seed}.pcap
json=$outdir/throughput.json
tmp=$(mktemp -d "${TMPDIR:-/tmp}/caps-throughput.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# ---- the capture -------------------------------------------------------------
if [ ! -x "$mkcapture" ]; then
    echo "throughput.sh: $mkcapture not built (cmake --build BUILD_DIR --target bench_mkcapture)" >&2
    exit 1
fi
mkdir -p "$outdir"
if [ ! -s "$capture" ] || [ "$mkcapture" -nt "$capture" ]; then
    echo "building $capture ..."
    "$mkcapture" --packets "$packets" --hosts "$hosts" --seed "$seed" --out "$capture"
fi
capture_bytes=$(stat -c %s "$capture")
load_before=$(awk '{print $1}' /proc/loadavg 2>/dev/null || true)

# ---- timing ------------------------------------------------------------------
timer="bash time loop"
if [ "${BENCH_TIMER:-}" != loop ] && command -v hyperfine >/dev/null 2>&1; then
    timer="hyperfine $(hyperfine --version | awk '{print $2}')"
fi

# measure NAME CMD...: one checked run, which is also the warm-up (it brings the
# file into the page cache), then the median, min and max wall seconds of $runs
# runs and their mean CPU seconds (user + system). Sets m_median m_min m_max m_cpu
# m_note.
measure() {
    local name=$1
    shift
    m_median="" m_min="" m_max="" m_cpu="" m_note=""
    local rc=0
    "$@" >"$tmp/$name.out" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ]; then
        m_note="exit $rc: $(tail -n 3 "$tmp/$name.out" | tr '\n' ' ')"
        return 1
    fi
    if [ "$timer" != "bash time loop" ]; then
        local cmdline
        cmdline=$(printf '%q ' "$@")
        if ! hyperfine --shell bash --warmup 0 --runs "$runs" --style none --command-name "$name" \
                --export-csv "$tmp/$name.csv" "$cmdline" >"$tmp/$name.hf" 2>&1; then
            m_note="hyperfine: $(tail -n 3 "$tmp/$name.hf" | tr '\n' ' ')"
            return 1
        fi
        # command,mean,stddev,median,user,system,min,max
        read -r m_median m_min m_max m_cpu < <(awk -F, \
            'NR == 2 {printf "%.6f %.6f %.6f %.6f\n", $4, $7, $8, $5 + $6}' "$tmp/$name.csv")
    else
        # bash's time keyword: wall, user and system seconds of the child
        local i rc TIMEFORMAT='%3R %3U %3S'
        : >"$tmp/$name.times"
        for ((i = 1; i <= runs; i++)); do
            rc=0
            { time "$@" >/dev/null 2>&1; } 2>"$tmp/$name.t" || rc=$?
            [ "$rc" -eq 0 ] || { m_note="exit $rc on run $i"; return 1; }
            cat "$tmp/$name.t" >>"$tmp/$name.times"
        done
        read -r m_median m_min m_max m_cpu < <(sort -n "$tmp/$name.times" | awk \
            '{t[NR] = $1; c += $2 + $3} END {printf "%.6f %.6f %.6f %.6f\n", t[int((NR + 1) / 2)], t[1], t[NR], c / NR}')
    fi
}

names=(tcpdump caps prads prads-arp)
declare -A med mn mx cpus note cmdtext

run_tool() {
    local name=$1
    shift
    cmdtext[$name]="$*"
    if [[ $1 == */* ]] && [ ! -x "$1" ]; then
        note[$name]="not built: $1"
        return
    fi
    if ! command -v "$1" >/dev/null 2>&1; then
        note[$name]="not installed (scripts/deps.sh test installs it)"
        return
    fi
    echo "timing $name: $*"
    if measure "$name" "$@"; then
        med[$name]=$m_median mn[$name]=$m_min mx[$name]=$m_max cpus[$name]=$m_cpu
    else
        note[$name]=$m_note
    fi
}

run_tool tcpdump tcpdump -r "$capture" -w /dev/null
run_tool caps "$caps" sense --read "$capture" --json /dev/null -q
# prads reads the file and exits (it daemonizes only with -D); -l puts its asset
# log in a temp dir instead of /var/log, -q silences the terminal. It reads the
# stock /etc/prads/prads.conf and fingerprints; no -c is needed.
run_tool prads prads -r "$capture" -l "$tmp/prads-asset.log" -q
# Context, not a target: prads with every detector cleared but ARP/MAC (-X, then
# M). Its default spends most of its time matching service regexes against
# payloads; this row shows its cost without them, while it detects far less.
run_tool prads-arp prads -r "$capture" -l "$tmp/prads-arp-asset.log" -q -XM

caps_summary=""
if [ -x "$caps" ]; then
    caps_summary=$("$caps" sense --read "$capture" --json "$tmp/inventory.json" 2>&1 | tail -n 1) || true
fi

# ---- report ------------------------------------------------------------------
ratio() {   # ratio A B: A / B with 2 decimals, empty when either is missing
    [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}' || true
}
pps() {
    [ -n "$1" ] && awk -v n="$packets" -v t="$1" 'BEGIN {printf "%.0f", n / t}' || true
}
or_na() { [ -n "$1" ] && printf '%s' "$1" || printf 'n/a'; }
json_num() { [ -n "$1" ] && printf '%s' "$1" || printf 'null'; }
json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
verdict() {   # verdict VALUE OP LIMIT: MET, NOT MET, or UNKNOWN without a value
    [ -z "$1" ] && { printf 'UNKNOWN'; return; }
    awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN {ok = op == "<=" ? v <= l : v >= l; printf ok ? "MET" : "NOT MET"}'
}
met_json() { case $1 in MET) printf true ;; "NOT MET") printf false ;; *) printf null ;; esac; }

cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
cores=$(nproc)
# Each tool is single-threaded: a wall time well above its CPU time means it
# waited for a CPU (or the disk), and its wall figures are inflated.
waited=""
for n in "${names[@]}"; do
    if [ -n "${med[$n]:-}" ] && awk -v w="${med[$n]}" -v c="${cpus[$n]}" 'BEGIN {exit !(w > 1.2 * c)}'; then
        waited+=" $n"
    fi
done

echo
echo "capture: $capture"
echo "         $packets packets, $capture_bytes bytes, $hosts hosts, seed $seed"
echo "timer:   $timer: median wall time of $runs runs after 1 warm-up, mean CPU (user+sys)"
echo "host:    ${cpu:-unknown cpu}, $cores cores, load average ${load_before:-unknown} before the runs"
[ -n "$caps_summary" ] && echo "caps:    $caps_summary"
echo
fmt='%-10s %9s %15s %8s %11s %11s %9s %11s\n'
printf "$fmt" tool "median s" "min..max s" "cpu s" "packets/s" "vs tcpdump" "vs prads" "cpu vs"
printf "$fmt" "" "(wall)" "(wall)" "" "(wall)" "(time x)" "(speed x)" "tcpdump"
for n in "${names[@]}"; do
    if [ -n "${med[$n]:-}" ]; then
        printf "$fmt" "$n" "$(printf '%.3f' "${med[$n]}")" \
            "$(printf '%.3f..%.3f' "${mn[$n]}" "${mx[$n]}")" "$(printf '%.3f' "${cpus[$n]}")" \
            "$(pps "${med[$n]}")" \
            "$(or_na "$(ratio "${med[$n]}" "${med[tcpdump]:-}")")" \
            "$(or_na "$(ratio "${med[prads]:-}" "${med[$n]}")")" \
            "$(or_na "$(ratio "${cpus[$n]}" "${cpus[tcpdump]:-}")")"
    else
        printf '%-10s %s\n' "$n" "not measured: ${note[$n]:-}"
    fi
done

floor_ratio=$(ratio "${med[caps]:-}" "${med[tcpdump]:-}")
prads_speedup=$(ratio "${med[prads]:-}" "${med[caps]:-}")
floor_cpu_ratio=$(ratio "${cpus[caps]:-}" "${cpus[tcpdump]:-}")
prads_cpu_speedup=$(ratio "${cpus[prads]:-}" "${cpus[caps]:-}")
floor_met=$(verdict "$floor_ratio" "<=" "$floor_time_ratio_max")
prads_met=$(verdict "$prads_speedup" ">=" "$prads_speedup_min")
echo
echo "targets (issue 2), on median wall time:"
echo "  caps / tcpdump <= $floor_time_ratio_max (within 30 % of the bare read): $(or_na "$floor_ratio")  $floor_met   (CPU time: $(or_na "$floor_cpu_ratio"))"
echo "  prads / caps   >= $prads_speedup_min (at least twice as fast as prads): $(or_na "$prads_speedup")  $prads_met   (CPU time: $(or_na "$prads_cpu_speedup"))"
arp_speedup=$(ratio "${med[prads-arp]:-}" "${med[caps]:-}")
[ -n "$arp_speedup" ] && echo "  context: prads-arp / caps = $arp_speedup (prads with ARP/MAC detection only; not a target)"
if [ -n "$waited" ]; then
    echo "note: wall time exceeded CPU time by over 20 % for:$waited. The machine was busy;"
    echo "      wall figures are inflated and the CPU-time ratios are the steadier ones. Rerun when idle."
fi

{
    printf '{\n'
    printf '  "benchmark": "throughput",\n'
    printf '  "capture": {"path": %s, "packets": %s, "bytes": %s, "hosts": %s, "seed": %s},\n' \
        "$(json_str "$capture")" "$packets" "$capture_bytes" "$hosts" "$seed"
    printf '  "timer": %s,\n  "runs": %s,\n  "warmup_runs": 1,\n' "$(json_str "$timer")" "$runs"
    printf '  "cpu": %s,\n  "cores": %s,\n  "load_average_1m_before": %s,\n' \
        "$(json_str "${cpu:-unknown}")" "$cores" "$(json_num "$load_before")"
    printf '  "waited_for_cpu": [%s],\n' "$(for n in $waited; do printf '%s"%s"' "${c:-}" "$n"; c=", "; done)"
    printf '  "tools": [\n'
    sep=""
    for n in "${names[@]}"; do
        printf '%s    {"name": %s, "command": %s, "median_s": %s, "min_s": %s, "max_s": %s, ' \
            "$sep" "$(json_str "$n")" "$(json_str "${cmdtext[$n]:-}")" "$(json_num "${med[$n]:-}")" \
            "$(json_num "${mn[$n]:-}")" "$(json_num "${mx[$n]:-}")"
        printf '"cpu_s": %s, "packets_per_s": %s, "time_vs_tcpdump": %s, "speedup_vs_prads": %s, ' \
            "$(json_num "${cpus[$n]:-}")" "$(json_num "$(pps "${med[$n]:-}")")" \
            "$(json_num "$(ratio "${med[$n]:-}" "${med[tcpdump]:-}")")" \
            "$(json_num "$(ratio "${med[prads]:-}" "${med[$n]:-}")")"
        printf '"cpu_vs_tcpdump": %s, "note": %s}' \
            "$(json_num "$(ratio "${cpus[$n]:-}" "${cpus[tcpdump]:-}")")" \
            "$( [ -n "${note[$n]:-}" ] && json_str "${note[$n]}" || printf null)"
        sep=$',\n'
    done
    printf '\n  ],\n'
    printf '  "targets": {\n'
    printf '    "caps_time_vs_tcpdump": {"measured": %s, "max": %s, "met": %s, "cpu_measured": %s},\n' \
        "$(json_num "$floor_ratio")" "$floor_time_ratio_max" "$(met_json "$floor_met")" \
        "$(json_num "$floor_cpu_ratio")"
    printf '    "caps_speedup_vs_prads": {"measured": %s, "min": %s, "met": %s, "cpu_measured": %s},\n' \
        "$(json_num "$prads_speedup")" "$prads_speedup_min" "$(met_json "$prads_met")" \
        "$(json_num "$prads_cpu_speedup")"
    printf '    "context_caps_speedup_vs_prads_arp_only": %s\n' "$(json_num "$arp_speedup")"
    printf '  }\n}\n'
} >"$json"
echo
echo "wrote $json"

[ -n "${med[caps]:-}" ] || { echo "throughput.sh: caps was not measured: ${note[caps]:-}" >&2; exit 1; }
exit 0
