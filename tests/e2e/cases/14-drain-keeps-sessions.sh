# SPDX-License-Identifier: GPL-2.0
# e2e-xdp: yes
# Weight 0 drains: an open session to the drained server keeps working,
# new connections go elsewhere.
run_case()
{
	local first reply
	lab_up
	start_echo
	lab_service tcp 7 sched rr
	coproc SESSION { in_ns client socat - TCP:$VIP:7; }
	read -r -t 5 first <&"${SESSION[0]}" || fail "no greeting on the session"
	[ -n "$first" ] || return 1
	drctl backend set tcp $VIP:7 "${ADDR[$first]}" weight 0 || fail "backend set weight 0"
	new_conns_avoid 6 "$first" drained
	echo still-here >&"${SESSION[1]}"
	read -r -t 5 reply <&"${SESSION[0]}" || fail "drained session got no reply"
	expect_eq "drained session echo" "$reply" still-here
	kill "${SESSION_PID:-}" 2>/dev/null
	return 0
}
