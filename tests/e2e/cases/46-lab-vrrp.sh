# SPDX-License-Identifier: GPL-2.0
# e2e-lab: fresh
# e2e-kernels: stock
# e2e-cost: 35
# make lab SCENARIO=vrrp: keepalived's VRRP (only a vrrp_instance) makes
# director the master; it dies, director2 takes the VIP with gratuitous
# ARP, and every one of the 32 sessions goes on with no reset and no lost
# echo through director2's stateless Maglev path; new sessions succeed.
# Before that, drlbd's quorum on director (its probes dropped) lowers its
# VRRP priority through track_file: director2 takes the VIP, and gives it
# back when the probes pass again; the sessions go on each time.
run_case()
{
	local out
	out=$(lab_scenario vrrp)
	grep -qF "director is the VRRP master: it holds $VIP" <<< "$out" || fail "no VRRP master: $out"
	grep -qF "open: 32 sessions" <<< "$out" || fail "sessions did not open: $out"
	grep -qE "ARP entry for $VIP: ${MAC[director]} \(director\)" <<< "$out" ||
		fail "the client does not reach director: $(grep 'ARP entry' <<< "$out")"
	grep -qE "director2 is the VRRP master, [0-9.]+ s after the failure" <<< "$out" ||
		fail "director2 did not take over: $out"
	grep -qE "failover: the client's ARP entry for $VIP points at director2 [0-9.]+ s after" <<< "$out" ||
		fail "the client's ARP entry did not move: $(grep 'ARP entry' <<< "$out")"
	grep -qE "quorum lost: director2 holds $VIP, the client's ARP entry moved" <<< "$out" ||
		fail "quorum lost, no VRRP move: $out"
	grep -qE "quorum met: director holds $VIP again" <<< "$out" ||
		fail "quorum met, no VRRP move back: $out"
	for word in one quorum-lost quorum-met two; do
		grep -qF "say $word: ok 32 of 32, lost 0, reset 0" <<< "$out" ||
			fail "sessions broken at '$word': $(grep "say $word" <<< "$out")"
	done
	grep -qF "new: ok 8 of 8" <<< "$out" || fail "new sessions failed after the failover"
	# The sessions reached director2 mid-stream: it placed them by Maglev.
	(( $(sed -n 's/^ *director2  *\([0-9]*\) connections/\1/p' <<< "$out" | tail -1) >= 40 )) ||
		fail "director2 did not take the sessions: $out"
}
