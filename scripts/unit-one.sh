#!/usr/bin/env bash
# unit-one.sh - builds and runs the Check suites of some core modules alone,
# with ASan+UBSan, outside CMake, so one decoder can be worked on while the
# rest of the tree is in flux.
#   usage: scripts/unit-one.sh NAME [NAME...]   e.g. scripts/unit-one.sh dhcp
# For each NAME it compiles core/src/NAME.c (when present), tests/core/test_NAME.c
# and tests/samples/NAME_samples.c (when present), plus error.c and text.c.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 NAME [NAME...]" >&2; exit 2; }
out=$(mktemp -d /tmp/caps-unit-XXXXXX)
srcs=(core/src/error.c core/src/text.c tests/core/runner.c)
decls="" list="" sdecls="" slist=""
for n in "$@"; do
    [ -f "core/src/$n.c" ] && srcs+=("core/src/$n.c")
    srcs+=("tests/core/test_$n.c")
    decls+="Suite *suite_$n(void);"$'\n'
    list+="    suite_$n,"$'\n'
    if [ -f "tests/samples/${n}_samples.c" ]; then
        srcs+=("tests/samples/${n}_samples.c")
        sdecls+="extern const struct caps_sample_set caps_samples_$n;"$'\n'
        slist+="    &caps_samples_$n,"$'\n'
    fi
done
for extra in ${UNIT_EXTRA:-}; do srcs+=("$extra"); done
cat > "$out/suites.c" <<EOS
#include <stddef.h>
#include <check.h>
#include "testutil.h"
$decls
suite_fn *const caps_core_suites[] = {
$list    NULL,
};
EOS
cat > "$out/registry.c" <<EOS
#include "sample.h"
$sdecls
const struct caps_sample_set *const caps_sample_sets[] = {
$slist    NULL,
};
EOS
${CC:-gcc} -std=c17 -g -O1 -Wall -Wextra -Wpedantic -Wshadow -Wconversion \
    -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla -Werror \
    -fsanitize=address,undefined -fno-sanitize-recover=all \
    -Icore/include -Icore/src -Itests/core -Itests/samples \
    "${srcs[@]}" "$out/suites.c" "$out/registry.c" \
    $(pkg-config --cflags --libs check) -o "$out/test"
CK_FORK=no "$out/test"
