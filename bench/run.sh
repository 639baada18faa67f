#!/usr/bin/env bash
# run.sh - runs every benchmark in bench/ against one build; what 'make bench' calls.
#   usage: bench/run.sh BUILD_DIR
# Each bench/<name>.sh takes BUILD_DIR, prints its report and writes
# BUILD_DIR/bench/<name>.json. Benchmarks measure, they do not judge: a missed
# target is reported, not failed. Exit 1 when a benchmark could not measure.
set -uo pipefail

[ $# -eq 1 ] || { echo "usage: bench/run.sh BUILD_DIR" >&2; exit 2; }
[ -d "$1" ] || { echo "bench/run.sh: $1: no such build directory" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
benches=(throughput)   # in the order they run; each is bench/<name>.sh

status=0
for b in "${benches[@]}"; do
    echo "==== bench: $b"
    if ! "$here/$b.sh" "$1"; then
        echo "==== bench: $b could not measure" >&2
        status=1
    fi
    echo
done
exit $status
