#!/usr/bin/env bash
# netns_election_v6_test.sh CAPS WORKDIR - the election over IPv6 between two
# live sensors whose interfaces have no IPv4 address: two network namespaces
# joined by a veth pair with IPv6 link-local addresses only (duplicate address
# detection off, so the addresses are usable at once), `caps sense --iface` in
# each with the same site key, adverts every 200 ms to [ff02::4747%IF]:47474.
# Checks, from the sensors' logs: both chose the IPv6 transport; the
# better-priority sensor leads and the other is standby; a SIGTERM of the
# leader hands the lead over with cause "stop" (its priority-0 advert arrived
# over IPv6); the capture drops the IPv6 adverts it sees (counted, no asset);
# an IPv4 --election-group is refused on such an interface, a unicast group
# is a usage error, and an interface with neither address family is refused.
# Durations are not asserted. Skips (77) where namespaces cannot be made.
set -uo pipefail
caps=$1 work=$2
mkdir -p "$work"
rm -f "$work"/*.log

. "$(dirname "$0")/netns_lib.sh"
netns_pair caps_e6
for side in "$ns_a vethA" "$ns_b vethB"; do
    set -- $side
    ip netns exec "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=0" || fail "sysctl ipv6 $1"
    ip netns exec "$1" sysctl -qw "net.ipv6.conf.$2.accept_dad=0" || fail "sysctl dad $1"
    ip -n "$1" link set "$2" up || fail "link up $2"
    ip -n "$1" link set lo up
done
# The kernel gives each side its fe80:: address once the link is up.
for side in "$ns_a vethA" "$ns_b vethB"; do
    set -- $side
    ok=
    for _ in $(seq 1 100); do
        out=$(ip -n "$1" -6 addr show dev "$2" scope link)
        if grep -q "inet6 fe80::" <<<"$out" && ! grep -q tentative <<<"$out"; then
            ok=1; break
        fi
        sleep 0.05
    done
    [ -n "$ok" ] || fail "no usable IPv6 link-local address on $2: $out"
    ip -n "$1" -4 addr show dev "$2" | grep -q "inet " && fail "$2 has an IPv4 address"
done

# An IPv4 group cannot be used on an interface without IPv4: a clear error.
ip netns exec "$ns_a" "$caps" sense --iface vethA --site-key-file "$work/site.key" \
    --election-group 239.255.47.47 >/dev/null 2>"$work/group.log"
rc=$?
[ "$rc" -eq 1 ] || fail "an IPv4 --election-group on vethA exited $rc, not 1"
grep -q "election runs over IPv6: --election-group must be an IPv6 multicast address" \
    "$work/group.log" || fail "no clear error for an IPv4 group on an IPv6-only interface"
echo "ok: an IPv4 --election-group is refused on an interface without IPv4"
# Not a multicast address at all: a usage error naming both families.
"$caps" sense --iface vethA --site-key-file "$work/site.key" --election-group 10.0.0.1 \
    >/dev/null 2>"$work/badgroup.log"
rc=$?
[ "$rc" -eq 2 ] || fail "--election-group 10.0.0.1 exited $rc, not 2"
grep -q "election-group must be an IPv4 (224.0.0.0/4) or IPv6 (ff00::/8) multicast address, got '10.0.0.1'" \
    "$work/badgroup.log" || fail "no clear usage error for a unicast --election-group"
# An interface with neither IPv4 nor IPv6: the clear error, exit 1.
ip -n "$ns_a" link add noipA type veth peer name noipB || fail "second veth pair"
for i in noipA noipB; do
    ip netns exec "$ns_a" sysctl -qw "net.ipv6.conf.$i.disable_ipv6=1" || fail "sysctl $i"
    ip -n "$ns_a" link set "$i" up || fail "link up $i"
done
ip netns exec "$ns_a" "$caps" sense --iface noipA --site-key-file "$work/site.key" \
    >/dev/null 2>"$work/noip.log"
rc=$?
[ "$rc" -eq 1 ] || fail "an interface without addresses exited $rc, not 1"
grep -q "noipA has neither an IPv4 address nor an IPv6 link-local address (fe80::/10): the election needs one" \
    "$work/noip.log" || fail "no clear error for an interface without addresses"
echo "ok: a unicast group and an interface without addresses are refused clearly"

start "$ns_a" vethA 200 "$work/a.log"; pid_a=$started
start "$ns_b" vethB 100 "$work/b.log"; pid_b=$started
for f in a b; do
    wait_log "$work/$f.log" "election over IPv6 (veth[AB] has no IPv4 address): group ff02::4747 port 47474" 10 ||
        fail "sensor $f did not choose the IPv6 transport"
done
wait_log "$work/a.log" "-> leader (start)" 10 || fail "a did not lead"
sleep 1    # 5 advert intervals: b has heard a's claim
[ "$(last_role "$work/b.log")" = standby ] || fail "b is $(last_role "$work/b.log"), not standby"
grep -q -- "-> leader" "$work/b.log" && fail "b led while a was up"
echo "ok: over IPv6, a (priority 200) leads, b (priority 100) is standby"

kill -TERM "$pid_a"
wait "$pid_a"; rc=$?; pid_a=
[ "$rc" -eq 0 ] || fail "a exited $rc after SIGTERM"
# b's IPv6 adverts reached a's capture too: recognised there and kept from the
# core (counted as adverts, no asset made of them).
drop=$(sed -n 's/.*caps sense: vethA: [0-9]* records, \([0-9]*\) assets, [0-9]* malformed, \([0-9]*\) adverts dropped.*/\1 \2/p' "$work/a.log")
set -- $drop
[ "$#" -eq 2 ] || fail "no summary line in a's log"
[ "$1" -eq 0 ] || fail "a made $1 assets of IPv6 adverts"
[ "$2" -gt 0 ] || fail "a's capture recognised no IPv6 advert"
wait_log "$work/b.log" "standby -> leader (stop)" 10 ||
    fail "b did not take over after a's clean stop (cause stop)"
echo "ok: a stopped cleanly, b took over with cause stop"
echo "ok netns_election_v6"
