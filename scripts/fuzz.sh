#!/usr/bin/env bash
# fuzz.sh - runs every libFuzzer target for a bounded time from its seed
# corpus (written from tests/samples by mkcorpus).
#   usage: scripts/fuzz.sh BUILD_DIR SECONDS
set -euo pipefail
build=$1 secs=$2
corpus=$build/corpus
rm -rf "$corpus"
"$build/tests/mkcorpus" "$corpus"
status=0
for f in "$build"/tests/fuzz_*; do
    name=$(basename "$f"); name=${name#fuzz_}
    mkdir -p "$corpus/$name" "$build/artifacts"
    # JSON readers start from the shipped files.
    case $name in
        config) cp data/config.example.json "$corpus/$name/" ;;
        fpdb) cp data/fingerprints.json "$corpus/$name/" ;;
    esac
    echo "fuzz_$name: ${secs}s from $(ls "$corpus/$name" | wc -l) seeds"
    if ! "$f" -max_total_time="$secs" -print_final_stats=0 \
         -artifact_prefix="$build/artifacts/${name}-" "$corpus/$name" >"$build/fuzz_$name.log" 2>&1; then
        echo "fuzz_$name FAILED: see $build/fuzz_$name.log" >&2
        tail -40 "$build/fuzz_$name.log" >&2
        status=1
    else
        grep -E '^#[0-9]+.*DONE' "$build/fuzz_$name.log" | tail -1 || true
    fi
done
exit $status
