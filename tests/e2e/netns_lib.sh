# netns_lib.sh - sourced by the tests that run live election sensors in
# network namespaces; the caller sets caps (the binary) and work (a directory).
#   netns_pair PREFIX  makes namespaces $ns_a and $ns_b joined by a veth pair
#                      vethA / vethB (down, no addresses) and a site key in
#                      $work/site.key; exits 77 (skip) where namespaces are not
#                      permitted. On exit the sensors $pid_a and $pid_b are
#                      killed and the namespaces removed.
#   fail MSG           prints MSG and the tail of every $work/*.log, exits 1.
#   start NS IFACE PRIORITY LOG   a sensor with 200 ms adverts; its pid in $started.
#   wait_log FILE PATTERN SECONDS 0 once PATTERN is in FILE.
#   last_role FILE     the role of the sensor's latest "election:" log line.

pid_a= pid_b=

netns_cleanup() {
    for p in $pid_a $pid_b; do
        kill -KILL "$p" 2>/dev/null && wait "$p" 2>/dev/null
    done
    ip netns del "$ns_a" 2>/dev/null
    ip netns del "$ns_b" 2>/dev/null
}

fail() {
    echo "FAIL: $*"
    for f in "$work"/*.log; do [ -f "$f" ] && { echo "-- $f"; tail -15 "$f"; }; done
    exit 1
}

netns_pair() {
    ns_a=${1}a_$$ ns_b=${1}b_$$
    if ! ip netns add "$ns_a" 2>"$work/netns.err"; then
        echo "SKIP: 'ip netns add' is not permitted here: $(cat "$work/netns.err")"; exit 77
    fi
    trap netns_cleanup EXIT
    trap 'exit 1' INT TERM
    ip netns add "$ns_b" || fail "ip netns add $ns_b"
    ip link add vethA netns "$ns_a" type veth peer name vethB netns "$ns_b" || fail "veth pair"
    head -c 32 /dev/urandom >"$work/site.key" || fail "site key"
}

start() {
    ip netns exec "$1" "$caps" sense --iface "$2" --site-key-file "$work/site.key" \
        --priority "$3" --advert-interval-ms 200 >/dev/null 2>"$4" &
    started=$!
}

wait_log() {
    for _ in $(seq 1 $(($3 * 20))); do
        grep -q -- "$2" "$1" 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}

last_role() {
    grep "election: " "$1" | tail -1 | sed -n 's/.*election: [a-z]* -> \([a-z]*\).*/\1/p'
}
