#!/usr/bin/env bash
# cloud.sh - the mock cloud's ingest and query: in-process through cloud_handle,
# over HTTP through "caps cloud" and curl, and against the SQLite floor.
#   usage: bench/cloud.sh BUILD_DIR
# bench_cloud builds one full upload of 1000 real asset objects (a caps core fed
# a synthesized subnet) and times, per run on a fresh database file in
# BUILD_DIR/bench: the first full upload, a repeat (all merges), a duplicate, two
# queries, and the same 1000 rows inserted into a bare table in one transaction
# with synchronous=FULL. Then "caps cloud --listen 127.0.0.1:0" is timed with curl
# on the same payload, plain and gzip, and the queries. Median, min and max of 5
# runs after one warm-up; prints a table and writes BUILD_DIR/bench/cloud.json.
# It measures and reports; a missed target is not a failure. Exit 0 when the
# in-process part was measured, 1 when it could not be, 2 on a usage error.
set -euo pipefail
export LC_ALL=C

usage() {
    echo "usage: bench/cloud.sh BUILD_DIR" >&2
    exit 2
}
[ $# -eq 1 ] || usage
[ -d "$1" ] || { echo "cloud.sh: $1: no such build directory" >&2; exit 2; }
build=$(cd "$1" && pwd)

runs=5
assets=1000
key=bench-key
full_ms_max=1000    # a 1000-asset full upload ingested in-process under 1 s
query_ms_max=100    # a query over 1000 assets under 100 ms

driver=$build/bench/bench_cloud
caps=$build/cli/caps
outdir=$build/bench
json=$outdir/cloud.json
httpdb=$outdir/cloud-http.db
tmp=$(mktemp -d "${TMPDIR:-/tmp}/caps-cloud-bench.XXXXXX")
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -f "$httpdb" "$httpdb-wal" "$httpdb-shm"
    rm -rf "$tmp"
}
trap cleanup EXIT
# A signal becomes an exit, so the EXIT trap stops the server and removes files.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

[ -x "$driver" ] || { echo "cloud.sh: $driver not built (cmake --build BUILD_DIR --target bench_cloud)" >&2; exit 1; }
mkdir -p "$outdir"
load_before=$(awk '{print $1}' /proc/loadavg 2>/dev/null || true)

# ---- in-process and the floor ------------------------------------------------
echo "in-process: $driver --dir $outdir --runs $runs --assets $assets"
if ! "$driver" --dir "$outdir" --runs "$runs" --assets "$assets" --template "$tmp/payload.tpl" \
        >"$tmp/inproc.txt" 2>"$tmp/inproc.err"; then
    echo "cloud.sh: bench_cloud failed: $(tail -n 3 "$tmp/inproc.err" | tr '\n' ' ')" >&2
    exit 1
fi
info() { awk -v k="$1" '$1 == "info" && $2 == k {print $3}' "$tmp/inproc.txt"; }
payload_bytes=$(info payload_bytes)
windows_count=$(info query_windows_count)
cp "$tmp/inproc.txt" "$tmp/runs.txt"

# ---- HTTP --------------------------------------------------------------------
http_note=""
payload_gzip_bytes=""
if [ ! -x "$caps" ]; then
    http_note="not built: $caps"
elif ! command -v curl >/dev/null 2>&1; then
    http_note="curl not installed"
elif ! command -v gzip >/dev/null 2>&1; then
    http_note="gzip not installed"
fi

# server_start: caps cloud on a fresh database, a free port; sets base.
server_start() {
    rm -f "$httpdb" "$httpdb-wal" "$httpdb-shm"
    # The child truncates its log only once it runs: remove the last run's
    # first, so its line (and port) is never read for this one.
    rm -f "$tmp/server.log"
    "$caps" cloud --db "$httpdb" --listen 127.0.0.1:0 --activation-key "$key" \
        2>"$tmp/server.log" &
    server_pid=$!
    local i line
    for ((i = 0; i < 100; i++)); do
        line=$(grep -m1 'listening on http://' "$tmp/server.log" 2>/dev/null || true)
        [ -n "$line" ] && break
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.05
    done
    base=${line##*listening on }
    [[ $base =~ ^http://127\.0\.0\.1:[0-9]+$ ]] || {
        http_note="caps cloud did not listen: $(tail -n 2 "$tmp/server.log" | tr '\n' ' ')"
        return 1
    }
}
server_stop() {
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
}

# timed NAME RUN WANT CURL-ARGS...: one request; checks the HTTP status (WANT)
# and appends "run NAME RUN SECONDS" (curl's time_total) when RUN > 0.
timed() {
    local name=$1 run=$2 want=$3
    shift 3
    local out code secs
    out=$(curl -sS --max-time 30 -o "$tmp/answer.json" -w '%{http_code} %{time_total}' -H 'Expect:' \
            "$@" 2>"$tmp/curl.err") || {
        http_note="$name: curl failed: $(head -c 200 "$tmp/curl.err")"
        return 1
    }
    read -r code secs <<<"$out"
    if [ "$code" != "$want" ]; then
        http_note="$name: answered $code, $want expected: $(head -c 200 "$tmp/answer.json")"
        return 1
    fi
    if [ "$run" -gt 0 ]; then
        echo "run $name $run $secs" >>"$tmp/runs.txt"
    fi
}
answer_has() { grep -q -- "$1" "$tmp/answer.json"; }

http_run() {   # http_run RUN: one run on a fresh server; 0 is the warm-up
    local r=$1 id token
    server_start || return 1
    timed http_activate 0 201 -X POST -H 'Content-Type: application/json' \
        --data-binary "{\"activation_key\":\"$key\",\"hostname\":\"bench\",\"macs\":[\"02:00:00:00:00:01\"]}" \
        "$base/api/v1/activate" || return 1
    id=$(sed -n 's/.*"agent_id": *"\([^"]*\)".*/\1/p' "$tmp/answer.json")
    token=$(sed -n 's/.*"token": *"\([^"]*\)".*/\1/p' "$tmp/answer.json")
    [ -n "$id" ] && [ -n "$token" ] || { http_note="activation answer without agent_id or token"; return 1; }
    # The template's header comes first on its single line: the first match is it.
    local s
    for s in 1 2 3; do
        sed "s/@AGENT_ID@/$id/; s/@SEQ@/$s/" "$tmp/payload.tpl" >"$tmp/p$s.json"
    done
    gzip -c -6 "$tmp/p3.json" >"$tmp/p3.json.gz"
    payload_gzip_bytes=$(stat -c %s "$tmp/p3.json.gz")
    local up=("$base/api/v1/caps/uploads" -X POST -H "Authorization: Bearer $token"
              -H 'Content-Type: application/json')
    timed http_full "$r" 200 "${up[@]}" --data-binary "@$tmp/p1.json" || return 1
    answer_has '"accepted"' || { http_note="first upload not accepted"; return 1; }
    timed http_repeat "$r" 200 "${up[@]}" --data-binary "@$tmp/p2.json" || return 1
    answer_has '"accepted"' || { http_note="repeat upload not accepted"; return 1; }
    timed http_repeat_gzip "$r" 200 "${up[@]}" -H 'Content-Encoding: gzip' \
        --data-binary "@$tmp/p3.json.gz" || return 1
    answer_has '"accepted"' || { http_note="gzip upload not accepted"; return 1; }
    timed http_query_source "$r" 200 -G "$base/api/v1/assets" \
        --data-urlencode 'q=inventory.source:CAPS' || return 1
    timed http_query_windows "$r" 200 -G "$base/api/v1/assets" \
        --data-urlencode 'q=os.family:windows and managed:false' || return 1
    server_stop
}

if [ -z "$http_note" ]; then
    echo "HTTP: $caps cloud --listen 127.0.0.1:0, curl"
    for ((r = 0; r <= runs; r++)); do
        if ! http_run "$r"; then
            server_stop
            break
        fi
    done
fi
rm -f "$httpdb" "$httpdb-wal" "$httpdb-shm"

# ---- report ------------------------------------------------------------------
declare -A med mn mx
names=(inproc_full inproc_repeat inproc_duplicate inproc_query_source inproc_query_windows
       floor_insert http_full http_repeat http_repeat_gzip http_query_source http_query_windows)
# median, min, max in milliseconds of each name's runs
while read -r n m lo hi; do
    med[$n]=$m mn[$n]=$lo mx[$n]=$hi
done < <(awk '$1 == "run" {print $2, $4}' "$tmp/runs.txt" | sort -k1,1 -k2,2g | awk '
    function flush() { if (k) printf "%s %.3f %.3f %.3f\n", name, v[int((k + 1) / 2)] * 1000, v[1] * 1000, v[k] * 1000 }
    $1 != name { flush(); name = $1; k = 0 }
    { v[++k] = $2 }
    END { flush() }')
# A name measured in some runs only (the HTTP part stopped early) is not reported.
for n in "${names[@]}"; do
    c=$(awk -v n="$n" '$1 == "run" && $2 == n' "$tmp/runs.txt" | wc -l)
    [ "$c" -eq "$runs" ] || unset "med[$n]" "mn[$n]" "mx[$n]"
done

ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", a / b}' || true; }
per_s() { [ -n "$1" ] && awk -v n="$assets" -v ms="$1" 'BEGIN {printf "%.0f", n / (ms / 1000)}' || true; }
or_na() { [ -n "$1" ] && printf '%s' "$1" || printf 'n/a'; }
json_num() { [ -n "$1" ] && printf '%s' "$1" || printf 'null'; }
json_str() { local s=${1//\\/\\\\}; s=${s//\"/\\\"}; printf '"%s"' "$s"; }
verdict() {   # verdict VALUE LIMIT: MET when VALUE < LIMIT, UNKNOWN without a value
    [ -z "$1" ] && { printf 'UNKNOWN'; return; }
    awk -v v="$1" -v l="$2" 'BEGIN {printf v < l ? "MET" : "NOT MET"}'
}
met_json() { case $1 in MET) printf true ;; "NOT MET") printf false ;; *) printf null ;; esac; }

declare -A label merges
label[inproc_full]="first full upload (1000 new)"; merges[inproc_full]=1
label[inproc_repeat]="repeat upload (1000 merges)"; merges[inproc_repeat]=1
label[inproc_duplicate]="duplicate (same key)"
label[inproc_query_source]="query inventory.source:CAPS"
label[inproc_query_windows]="query os.family:windows and managed:false"
label[floor_insert]="1000 rows, 1 transaction, sync FULL"; merges[floor_insert]=1
label[http_full]="first upload, plain (1000 new)"; merges[http_full]=1
label[http_repeat]="repeat upload, plain (merges)"; merges[http_repeat]=1
label[http_repeat_gzip]="repeat upload, gzip (merges)"; merges[http_repeat_gzip]=1
label[http_query_source]="query inventory.source:CAPS"
label[http_query_windows]="query os.family:windows and managed:false"

row() {
    local n=$1
    if [ -n "${med[$n]:-}" ]; then
        printf '  %-42s %9s %19s %10s\n' "${label[$n]}" "${med[$n]}" "${mn[$n]}..${mx[$n]}" \
            "$( [ -n "${merges[$n]:-}" ] && per_s "${med[$n]}" || printf -- '-')"
    else
        printf '  %-42s not measured\n' "${label[$n]}"
    fi
}

cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
cores=$(nproc)
echo
echo "payload: $assets assets from a caps core fed a synthesized subnet, $payload_bytes bytes" \
     "($(or_na "$payload_gzip_bytes") gzip -6)"
echo "timing:  median of $runs runs after 1 warm-up, a fresh database per run;"
echo "         in-process: CLOCK_MONOTONIC around cloud_handle; HTTP: curl's time_total"
echo "host:    ${cpu:-unknown cpu}, $cores cores, load average ${load_before:-unknown} before the runs"
echo
printf '  %-42s %9s %19s %10s\n' "request" "median ms" "min..max ms" "assets/s"
echo "in-process (cloud_handle; SQLite WAL, synchronous=FULL)"
for n in inproc_full inproc_repeat inproc_duplicate inproc_query_source inproc_query_windows; do row "$n"; done
echo "HTTP (caps cloud on 127.0.0.1, curl)"
if [ -n "$http_note" ]; then
    echo "  not measured: $http_note"
else
    for n in http_full http_repeat http_repeat_gzip http_query_source http_query_windows; do row "$n"; done
fi
echo "floor (bare SQLite table, same rows: mac, asset JSON)"
row floor_insert
echo
full_vs_floor=$(ratio "${med[inproc_full]:-}" "${med[floor_insert]:-}")
repeat_vs_floor=$(ratio "${med[inproc_repeat]:-}" "${med[floor_insert]:-}")
http_vs_inproc=$(ratio "${med[http_full]:-}" "${med[inproc_full]:-}")
echo "ratios: first upload / floor = $(or_na "$full_vs_floor") x, repeat upload / floor = $(or_na "$repeat_vs_floor") x," \
     "HTTP first upload / in-process = $(or_na "$http_vs_inproc") x"
echo "        (os.family:windows and managed:false matched $(or_na "$windows_count") assets)"
full_met=$(verdict "${med[inproc_full]:-}" "$full_ms_max")
qs_met=$(verdict "${med[inproc_query_source]:-}" "$query_ms_max")
qw_met=$(verdict "${med[inproc_query_windows]:-}" "$query_ms_max")
echo
echo "targets, in-process medians:"
echo "  1000-asset full upload < $full_ms_max ms: $(or_na "${med[inproc_full]:-}") ms  $full_met"
echo "  query inventory.source:CAPS over 1000 assets < $query_ms_max ms: $(or_na "${med[inproc_query_source]:-}") ms  $qs_met"
echo "  query os.family:windows and managed:false < $query_ms_max ms: $(or_na "${med[inproc_query_windows]:-}") ms  $qw_met"

{
    printf '{\n  "benchmark": "cloud",\n'
    printf '  "assets": %s,\n  "payload_bytes": %s,\n  "payload_gzip_bytes": %s,\n' \
        "$assets" "$(json_num "$payload_bytes")" "$(json_num "$payload_gzip_bytes")"
    printf '  "payload": "full upload built by codec_upload_build from a caps core fed traffic_subnet frames",\n'
    printf '  "timer": "in-process: CLOCK_MONOTONIC around cloud_handle; http: curl time_total",\n'
    printf '  "runs": %s,\n  "warmup_runs": 1,\n' "$runs"
    printf '  "cpu": %s,\n  "cores": %s,\n  "load_average_1m_before": %s,\n' \
        "$(json_str "${cpu:-unknown}")" "$cores" "$(json_num "$load_before")"
    printf '  "query_windows_count": %s,\n' "$(json_num "$windows_count")"
    printf '  "http_note": %s,\n' "$( [ -n "$http_note" ] && json_str "$http_note" || printf null)"
    printf '  "measures": {\n'
    sep=""
    for n in "${names[@]}"; do
        printf '%s    "%s": {"what": %s, "median_ms": %s, "min_ms": %s, "max_ms": %s, "assets_per_s": %s}' \
            "$sep" "$n" "$(json_str "${label[$n]}")" "$(json_num "${med[$n]:-}")" \
            "$(json_num "${mn[$n]:-}")" "$(json_num "${mx[$n]:-}")" \
            "$(json_num "$( [ -n "${merges[$n]:-}" ] && per_s "${med[$n]:-}")")"
        sep=$',\n'
    done
    printf '\n  },\n'
    printf '  "ratios": {"full_vs_floor": %s, "repeat_vs_floor": %s, "http_full_vs_inproc_full": %s},\n' \
        "$(json_num "$full_vs_floor")" "$(json_num "$repeat_vs_floor")" "$(json_num "$http_vs_inproc")"
    printf '  "targets": {\n'
    printf '    "full_upload_ms": {"measured": %s, "max": %s, "met": %s},\n' \
        "$(json_num "${med[inproc_full]:-}")" "$full_ms_max" "$(met_json "$full_met")"
    printf '    "query_source_ms": {"measured": %s, "max": %s, "met": %s},\n' \
        "$(json_num "${med[inproc_query_source]:-}")" "$query_ms_max" "$(met_json "$qs_met")"
    printf '    "query_windows_ms": {"measured": %s, "max": %s, "met": %s}\n' \
        "$(json_num "${med[inproc_query_windows]:-}")" "$query_ms_max" "$(met_json "$qw_met")"
    printf '  }\n}\n'
} >"$json"
echo
echo "wrote $json"
exit 0
