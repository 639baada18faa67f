#!/usr/bin/env bash
# netns_election_test.sh CAPS WORKDIR - the election between two live sensors:
# two network namespaces joined by a veth pair, `caps sense --iface` in each
# with the same site key, adverts every 200 ms over the real UDP multicast
# socket. Checks, from the sensors' logs: the better-priority sensor leads and
# the other is standby; a SIGTERM of the leader hands the lead over with cause
# "stop" (its priority-0 advert arrived, no 3-interval timeout); the first
# sensor, restarted, does not preempt and becomes standby; a SIGKILL of the
# leader makes it take over with cause "crash". Durations are not asserted
# (timing belongs in bench/). Skips (77) where namespaces cannot be made.
set -uo pipefail
caps=$1 work=$2
mkdir -p "$work"
rm -f "$work"/a*.log "$work"/b.log

. "$(dirname "$0")/netns_lib.sh"
netns_pair caps_e
for side in "$ns_a vethA 10.78.0.1/24" "$ns_b vethB 10.78.0.2/24"; do
    set -- $side
    ip netns exec "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1" || fail "sysctl $1"
    ip -n "$1" addr add "$3" dev "$2" || fail "address on $2"
    ip -n "$1" link set "$2" up || fail "link up $2"
    ip -n "$1" link set lo up
done

start "$ns_a" vethA 200 "$work/a1.log"; pid_a=$started
start "$ns_b" vethB 100 "$work/b.log"; pid_b=$started
wait_log "$work/a1.log" "-> leader (start)" 10 || fail "a did not lead"
sleep 1    # 5 advert intervals: b has heard a's claim
[ "$(last_role "$work/b.log")" = standby ] || fail "b is $(last_role "$work/b.log"), not standby"
grep -q -- "-> leader" "$work/b.log" && fail "b led while a was up"
echo "ok: a (priority 200) leads, b (priority 100) is standby"

kill -TERM "$pid_a"
wait "$pid_a"; rc=$?; pid_a=
[ "$rc" -eq 0 ] || fail "a exited $rc after SIGTERM"
wait_log "$work/b.log" "standby -> leader (stop)" 10 ||
    fail "b did not take over after a's clean stop (cause stop)"
echo "ok: a stopped cleanly, b took over with cause stop"

start "$ns_a" vethA 200 "$work/a2.log"; pid_a=$started
wait_log "$work/a2.log" "-> standby" 10 || fail "restarted a did not become standby"
sleep 2    # past a's listen (3 intervals + skew): it would have claimed by now
[ "$(last_role "$work/a2.log")" = standby ] || fail "restarted a is $(last_role "$work/a2.log")"
grep -q -- "-> leader" "$work/a2.log" && fail "restarted a preempted b without --preempt"
echo "ok: a restarted as standby (no preemption)"

kill -KILL "$pid_b"; wait "$pid_b" 2>/dev/null; pid_b=
wait_log "$work/a2.log" "standby -> leader (crash)" 10 ||
    fail "a did not take over after b crashed (cause crash)"
echo "ok: b crashed, a took over with cause crash"
echo "ok netns_election"
