# SPDX-License-Identifier: GPL-2.0
# e2e-lab: fresh
# e2e-kernels: stock
# e2e-cost: 35
# make lab SCENARIO=ecmp: two directors behind a router's ECMP route, each
# announcing the VIP from BIRD 2 over BGP with BFD. The router's sessions
# spread over both; director 2 dies (BIRD killed, link down) and returns,
# and every one of the 32 sessions goes on with no reset and no lost echo;
# new sessions succeed throughout. Then director's probes to the real
# servers are dropped: drlbd's quorum-down withdraws its route (birdc
# disable), quorum-up announces it again, and the sessions go on.
run_case()
{
	local out d n
	out=$(lab_scenario ecmp)
	grep -qF "the router has both next hops" <<< "$out" ||
		fail "no multipath route: $(grep -A3 'ip route show' <<< "$out" | head -4)"
	grep -qE "nexthop via ${ADDR[director]} .*" <<< "$out" || fail "director not a next hop"
	grep -qE "nexthop via ${ADDR[director2]} .*" <<< "$out" || fail "director2 not a next hop"
	grep -qF "open: 32 sessions" <<< "$out" || fail "sessions did not open: $out"
	for word in one two three four five; do
		grep -qF "say $word: ok 32 of 32, lost 0, reset 0" <<< "$out" ||
			fail "sessions broken at '$word': $(grep "say $word" <<< "$out")"
	done
	expect_eq "new sessions" "$(grep -c 'new: ok 8 of 8' <<< "$out")" 3
	grep -qF "drlbd on director: 3 backends up" <<< "$out" || fail "drlbd's checks: $out"
	grep -qE "quorum lost: the route has ${ADDR[director2]} alone, [0-9.]+ s after" \
		<<< "$out" ||
		fail "director kept its route without healthy backends: $out"
	grep -qE "quorum met: both next hops again" <<< "$out" ||
		fail "director did not announce the route again: $out"
	grep -qE "route converged: ${ADDR[director]} alone, [0-9.]+ s after the failure" <<< "$out" ||
		fail "the route did not lose director2: $(grep 'route' <<< "$out")"
	grep -qE "route converged: both next hops again" <<< "$out" ||
		fail "the route did not get director2 back: $(grep 'route' <<< "$out")"
	# Before the failure both directors had sessions: the router spread them.
	for d in director director2; do
		n=$(sed -n "/connections before the failure/,/Director 2 dies/ s/^ *$d  *\([0-9]*\) connections/\1/p" <<< "$out")
		(( ${n:-0} > 0 )) || fail "$d had no connections before the failure: $out"
	done
}
