#!/usr/bin/env bash
# run.sh - runs every benchmark in bench/ against one build; what 'make bench' calls.
#   usage: bench/run.sh BUILD_DIR
# Runs every bench/<name>.sh; each takes BUILD_DIR, prints its report and writes
# its figures under BUILD_DIR/bench/. Benchmarks measure, they do not judge: a missed
# target is reported, not failed. Exit 1 when a benchmark could not measure.
set -uo pipefail

[ $# -eq 1 ] || { echo "usage: bench/run.sh BUILD_DIR" >&2; exit 2; }
[ -d "$1" ] || { echo "bench/run.sh: $1: no such build directory" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)

# Every bench/<name>.sh but this one, in name order (LC_ALL=C glob sort).
export LC_ALL=C
status=0
for script in "$here"/*.sh; do
    b=$(basename "$script" .sh)
    [ "$b" = run ] && continue
    echo "==== bench: $b"
    if ! "$script" "$1"; then
        echo "==== bench: $b could not measure" >&2
        status=1
    fi
    echo
done
exit $status
