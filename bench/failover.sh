#!/usr/bin/env bash
# failover.sh - how long the site is without a leader when the leader crashes, issue
# "Several sensors on one subnet": scenarios/election-crash-two.json (two agents, the
# leader crashes at minute 10) over N seeds, with 1 s adverts and with 120 s adverts
# (the reference default), through `caps sim --seed`.
#   usage: bench/failover.sh BUILD_DIR [--seeds N]      (N default 200)
# Prints the median / p99 / max takeover gap (result.json takeovers[].gap_us, the
# time from the crash to the standby's claim) and the assertion failures per
# interval, beside the VRRPv3 figures (RFC 5798: 3 intervals + skew after a crash,
# 3.0-3.6 s at 1 s adverts; about the skew, ~0.6 s, after a clean stop), and writes
# BUILD_DIR/bench/failover.json. Exit 0 when it measured, 1 when caps is missing or
# a run could not complete, 2 on a usage error.
set -euo pipefail
export LC_ALL=C

usage() {
    echo "usage: bench/failover.sh BUILD_DIR [--seeds N]   (N default 200)" >&2
    exit 2
}
[ $# -ge 1 ] || usage
[ -d "$1" ] || { echo "failover.sh: $1: no such build directory" >&2; exit 2; }
build=$(cd "$1" && pwd)
shift
seeds=200
while [ $# -gt 0 ]; do
    case $1 in
    --seeds) [ $# -ge 2 ] || usage; seeds=$2; shift 2 ;;
    *) usage ;;
    esac
done
[[ $seeds =~ ^[1-9][0-9]{0,5}$ ]] || { echo "failover.sh: --seeds must be 1..999999, got '$seeds'" >&2; exit 2; }

caps=$build/cli/caps
[ -x "$caps" ] || { echo "failover.sh: $caps not built" >&2; exit 1; }
here=$(cd "$(dirname "$0")/.." && pwd)
base=$here/scenarios/election-crash-two.json
work=$build/bench/failover
mkdir -p "$work"

# Per interval and seed: the scenario at that interval, the crash moved by a
# seed-dependent fraction u of an interval (golden-ratio sequence), so the crash
# falls at every phase of the advert cycle as it would in the field; the run
# lasts long enough for the listen period (3 intervals) and the takeover, and the
# gap bound of the assertion scales with the interval.
summary=$work/summary.txt
python3 - "$caps" "$base" "$work" "$seeds" >"$summary" <<'PY'
import json, math, subprocess, sys
caps, base, work, seeds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
for iv in (1.0, 120.0):
    gaps, fails = [], 0
    for seed in range(1, seeds + 1):
        d = json.load(open(base))
        u = math.modf(seed * 0.6180339887498949)[0]
        crash_min = max(10.0, 4 * iv / 60 + 1) + u * iv / 60
        d["election"]["advert_interval_seconds"] = iv
        d["faults"][0]["at_minute"] = round(crash_min, 6)
        d["duration_minutes"] = math.ceil(max(d["duration_minutes"], crash_min + 6 * iv / 60 + 1))
        for a in d["assertions"]:
            if a["metric"] == "takeover_gap_max_us":
                a["threshold"] = 3.7e6 * iv
        scen = "%s/crash-%gs.json" % (work, iv)
        json.dump(d, open(scen, "w"), indent=1)
        out = "%s/run-%gs" % (work, iv)
        rc = subprocess.run([caps, "sim", scen, "--seed", str(seed), "--out", out, "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if rc.returncode not in (0, 1):
            sys.stderr.write("failover.sh: caps sim %s --seed %d failed: %s" % (scen, seed, rc.stderr))
            sys.exit(1)
        if rc.returncode == 1:
            fails += 1
            sys.stderr.write("  %gs seed %d: an assertion failed (crash at minute %.6f)\n"
                             % (iv, seed, crash_min))
        r = json.load(open(out + "/result.json"))
        gaps += [t["gap_us"] for t in r["takeovers"] if t["cause"] == "crash"]
    g = sorted(gaps)
    pct = lambda p: g[min(len(g) - 1, int(p / 100.0 * len(g)))] / 1e6 if g else float("nan")
    print("%g %d %d %d %.3f %.3f %.3f %.3f" % (iv, seeds, len(g), fails, pct(50), pct(99),
          g[-1] / 1e6 if g else float("nan"), g[0] / 1e6 if g else float("nan")))
PY

printf '%-10s %6s %10s %9s %9s %9s %9s %9s\n' advert seeds takeovers failed median_s p99_s max_s min_s
while read -r iv n t f med p99 mx mn; do
    printf '%-10s %6s %10s %9s %9s %9s %9s %9s\n' "${iv}s" "$n" "$t" "$f" "$med" "$p99" "$mx" "$mn"
done <"$summary"
echo "VRRPv3 (RFC 5798) at 1 s adverts: 3.0-3.6 s after a crash (3 intervals + skew from the"
echo "last advert), ~0.6 s after a clean stop (priority 0: the skew)."
python3 - "$summary" "$build/bench/failover.json" <<'PY'
import json, sys
rows = []
for line in open(sys.argv[1]):
    iv, n, t, f, med, p99, mx, mn = line.split()
    rows.append({"advert_interval_s": float(iv), "seeds": int(n), "takeovers": int(t),
                 "assertion_failures": int(f), "gap_median_s": float(med),
                 "gap_p99_s": float(p99), "gap_max_s": float(mx), "gap_min_s": float(mn)})
json.dump({"benchmark": "failover", "rows": rows,
           "vrrp3_crash_gap_s": [3.0, 3.6], "vrrp3_stop_gap_s": 0.6},
          open(sys.argv[2], "w"), indent=1)
PY
