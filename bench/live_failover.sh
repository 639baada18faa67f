#!/usr/bin/env bash
# live_failover.sh - failover between two live sensors on a real link: two
# network namespaces joined by a veth pair, `caps sense --iface` in each with
# the same site key and 1 s adverts (the VRRPv3 comparison of bench/failover.sh,
# but through the kernel, the multicast socket and the sensor's event loop).
# Per run: a (priority 200) leads, b (priority 100) is standby; then a is
# stopped with SIGTERM (clean stop) or SIGKILL (crash) and the time from the
# signal to b's "-> leader" log line is the failover time.
#   usage: bench/live_failover.sh BUILD_DIR [--runs N]   (N default 5; root, iproute2)
# Prints median / min / max per kind and writes BUILD_DIR/bench/live_failover.json.
# Exit 0 when it measured, 1 when it could not (no namespaces, caps missing), 2 usage.
set -uo pipefail
export LC_ALL=C

usage() { echo "usage: bench/live_failover.sh BUILD_DIR [--runs N]" >&2; exit 2; }
[ $# -ge 1 ] || usage
[ -d "$1" ] || { echo "live_failover.sh: $1: no such build directory" >&2; exit 2; }
build=$(cd "$1" && pwd)
shift
runs=5
while [ $# -gt 0 ]; do
    case $1 in
    --runs) [ $# -ge 2 ] || usage; runs=$2; shift 2 ;;
    *) usage ;;
    esac
done
[[ $runs =~ ^[1-9][0-9]{0,2}$ ]] || { echo "live_failover.sh: --runs must be 1..999, got '$runs'" >&2; exit 2; }
caps=$build/cli/caps
[ -x "$caps" ] || { echo "live_failover.sh: $caps not built" >&2; exit 1; }
work=$build/bench/live_failover
rm -rf "$work"
mkdir -p "$work"

ns_a=caps_fa_$$ ns_b=caps_fb_$$
if ! ip netns add "$ns_a" 2>"$work/netns.err"; then
    echo "live_failover.sh: cannot make network namespaces: $(cat "$work/netns.err")" >&2
    exit 1
fi
pid_a= pid_b=
stop_all() {
    for p in $pid_a $pid_b; do kill -KILL "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    pid_a= pid_b=
}
cleanup() { stop_all; ip netns del "$ns_a" 2>/dev/null; ip netns del "$ns_b" 2>/dev/null; }
trap cleanup EXIT
trap 'exit 1' HUP INT PIPE TERM
ip netns add "$ns_b" || exit 1
ip link add vethA netns "$ns_a" type veth peer name vethB netns "$ns_b" || exit 1
for side in "$ns_a vethA 10.79.0.1/24" "$ns_b vethB 10.79.0.2/24"; do
    set -- $side
    ip netns exec "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
    ip -n "$1" addr add "$3" dev "$2" && ip -n "$1" link set "$2" up && ip -n "$1" link set lo up ||
        exit 1
done
head -c 32 /dev/urandom >"$work/site.key"

start() {   # NS IFACE PRIORITY LOG -> $started
    ip netns exec "$1" "$caps" sense --iface "$2" --site-key-file "$work/site.key" \
        --priority "$3" --advert-interval-ms 1000 >/dev/null 2>"$4" &
    started=$!
}
wait_log() {   # FILE PATTERN SECONDS
    for _ in $(seq 1 $(($3 * 100))); do
        grep -q -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.01
    done
    return 1
}
# ms since the epoch of the log line matching PATTERN in FILE (its RFC 3339 stamp).
log_ms() {
    local stamp
    stamp=$(grep -- "$2" "$1" | head -1 | cut -d' ' -f1)
    [ -n "$stamp" ] || return 1
    echo $(( $(date -d "${stamp%.*}Z" +%s) * 1000 + 10#$(echo "${stamp##*.}" | tr -dc 0-9) ))
}

results=$work/results.txt
: >"$results"
for kind in stop crash; do
    signal=TERM; [ $kind = crash ] && signal=KILL
    for i in $(seq 1 "$runs"); do
        start "$ns_a" vethA 200 "$work/a.log"; pid_a=$started
        start "$ns_b" vethB 100 "$work/b.log"; pid_b=$started
        if ! wait_log "$work/a.log" "-> leader" 15; then
            echo "live_failover.sh: run $kind $i: a never led" >&2; exit 1
        fi
        sleep 3    # b hears a's claim and settles as standby
        t0=$(( $(date +%s%N) / 1000000 ))
        kill -"$signal" "$pid_a"; wait "$pid_a" 2>/dev/null; pid_a=
        if ! wait_log "$work/b.log" "standby -> leader ($kind)" 15; then
            echo "live_failover.sh: run $kind $i: b did not take over (cause $kind)" >&2
            tail -5 "$work/b.log" >&2; exit 1
        fi
        t1=$(log_ms "$work/b.log" "standby -> leader ($kind)") || exit 1
        echo "$kind $((t1 - t0))" >>"$results"
        stop_all
    done
done

python3 - "$results" "$runs" "$build/bench/live_failover.json" <<'PY'
import json, statistics, sys
path, runs, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = {}
for line in open(path):
    kind, ms = line.split()
    rows.setdefault(kind, []).append(int(ms))
ref = {"stop": "VRRPv3 (RFC 9568) with 1 s adverts: skew time, 0.61 s for priority 100",
       "crash": "VRRPv3 with 1 s adverts: 3 intervals + skew, 3.61 s for priority 100"}
print("live failover, two sensors on a veth pair, 1 s adverts, %d runs each" % runs)
print("%-6s %10s %10s %10s   %s" % ("kind", "median ms", "min ms", "max ms", "reference"))
doc = {"benchmark": "live_failover", "advert_interval_ms": 1000, "runs": runs, "kinds": {}}
for kind in ("stop", "crash"):
    v = sorted(rows.get(kind, []))
    if not v:
        continue
    med = statistics.median(v)
    print("%-6s %10.0f %10d %10d   %s" % (kind, med, v[0], v[-1], ref[kind]))
    doc["kinds"][kind] = {"median_ms": med, "min_ms": v[0], "max_ms": v[-1], "ms": v}
json.dump(doc, open(out, "w"), indent=1)
print("wrote %s" % out)
PY
