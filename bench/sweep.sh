#!/usr/bin/env bash
# sweep.sh - the election under seeded random crashes over many seeds:
# scenarios/election-random-crashes.json (20 agents, 24 h, 120 s adverts, every agent
# crashing twice a day on average and restarting after 5..60 min, each agent's crash
# schedule drawn from its own stream under the seed) through `caps sim --seed N`.
#   usage: bench/sweep.sh BUILD_DIR [--seeds N] [--jobs J]   (N default 1000, J nproc)
# Prints the passes and failures, the median / p99 / max of takeover_gap_max_us,
# leaders_max_concurrent_s, no_standby_s, no_standby_max_s, the number of takeovers
# and the cloud's audit (uploads, new leaders' first uploads and the share that were
# full snapshots, assets lost or missing in the cloud, the fullest spool),
# the failing seeds with the command that replays each, and writes
# BUILD_DIR/bench/sweep.json. Exit 0 when it measured (failing seeds included), 1 when
# caps is missing or a run could not complete, 2 on a usage error.
set -euo pipefail
export LC_ALL=C

usage() {
    echo "usage: bench/sweep.sh BUILD_DIR [--seeds N] [--jobs J]   (N default 1000)" >&2
    exit 2
}
[ $# -ge 1 ] || usage
[ -d "$1" ] || { echo "sweep.sh: $1: no such build directory" >&2; exit 2; }
build=$(cd "$1" && pwd)
shift
seeds=1000
jobs=$(nproc 2>/dev/null || echo 1)
while [ $# -gt 0 ]; do
    case $1 in
    --seeds) [ $# -ge 2 ] || usage; seeds=$2; shift 2 ;;
    --jobs) [ $# -ge 2 ] || usage; jobs=$2; shift 2 ;;
    *) usage ;;
    esac
done
[[ $seeds =~ ^[1-9][0-9]{0,5}$ ]] || { echo "sweep.sh: --seeds must be 1..999999, got '$seeds'" >&2; exit 2; }
[[ $jobs =~ ^[1-9][0-9]{0,2}$ ]] || { echo "sweep.sh: --jobs must be 1..999, got '$jobs'" >&2; exit 2; }

caps=$build/cli/caps
[ -x "$caps" ] || { echo "sweep.sh: $caps not built" >&2; exit 1; }
here=$(cd "$(dirname "$0")/.." && pwd)
scen=$here/scenarios/election-random-crashes.json
work=$build/bench/sweep
rm -rf "$work"
mkdir -p "$work"

python3 - "$caps" "$scen" "$work" "$seeds" "$jobs" "$build/bench/sweep.json" <<'PY'
import concurrent.futures as cf, json, subprocess, sys
caps, scen, work, seeds, jobs, out = sys.argv[1:7]
seeds, jobs = int(seeds), int(jobs)

def run(seed):
    d = "%s/seed-%d" % (work, seed)
    p = subprocess.run([caps, "sim", scen, "--seed", str(seed), "--out", d, "-q"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if p.returncode not in (0, 1):
        return seed, None, p.stderr.strip()
    r = json.load(open(d + "/result.json"))
    subprocess.run(["rm", "-rf", d], check=False)
    return seed, r, ""

rows = {}
with cf.ThreadPoolExecutor(max_workers=jobs) as ex:
    for seed, r, e in ex.map(run, range(1, seeds + 1)):
        if r is None:
            sys.stderr.write("sweep.sh: caps sim --seed %d failed: %s\n" % (seed, e))
            sys.exit(1)
        rows[seed] = r

metrics = ["takeover_gap_max_us", "leaders_max_concurrent_s", "no_standby_s",
           "no_standby_max_s", "takeovers", "uploads", "leader_first_uploads",
           "leader_first_upload_full_share", "cloud_assets_lost", "cloud_assets_missing",
           "spool_files_max"]
def dist(vals):
    v = sorted(vals)
    if not v:
        return {"n": 0, "median": None, "p99": None, "max": None}
    pct = lambda p: v[min(len(v) - 1, int(p / 100.0 * len(v)))]
    return {"n": len(v), "median": pct(50), "p99": pct(99), "max": v[-1]}
dists = {}
for m in metrics:
    vals = [rows[s]["metrics"][m] for s in rows]
    if m in ("takeover_gap_max_us", "leader_first_upload_full_share"):
        vals = [x for x in vals if x >= 0]      # -1: no takeover (or none uploaded) in that run
    dists[m] = dist(vals)
failing = []
for s in sorted(rows):
    r = rows[s]
    if not r["pass"]:
        failing.append({"seed": s,
                        "failed": [a["name"] for a in r["assertions"] if not a["pass"]],
                        "replay": "%s sim %s --seed %d" % (caps, scen, s)})
passes = seeds - len(failing)
print("scenario %s, %d seeds: %d pass, %d fail" % (scen, seeds, passes, len(failing)))
print("%-32s %6s %14s %14s %14s" % ("metric", "runs", "median", "p99", "max"))
for m in metrics:
    d = dists[m]
    f = lambda x: "-" if x is None else ("%.6g" % x)
    print("%-32s %6d %14s %14s %14s" % (m, d["n"], f(d["median"]), f(d["p99"]), f(d["max"])))
for f in failing:
    print("FAIL seed %d (%s): %s" % (f["seed"], ", ".join(f["failed"]), f["replay"]))
json.dump({"benchmark": "sweep", "scenario": scen, "seeds": seeds, "passes": passes,
           "failures": len(failing), "distributions": dists, "failing": failing},
          open(out, "w"), indent=1)
PY
