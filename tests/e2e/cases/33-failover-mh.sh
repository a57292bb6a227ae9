# SPDX-License-Identifier: GPL-2.0
# e2e-xdp: yes
# Failover without state: the connection table is flushed in the middle of
# a TCP session, as on a standby director taking over. Under mh the rest of
# the stream is placed by Maglev on the same backend and the session goes
# on; the decision is counted as stateless.
run_case()
{
	local first reply stateless
	lab_up
	start_echo
	lab_service tcp 7 sched mh
	coproc SESSION { in_ns client socat - TCP:$VIP:7; }
	read -r -t 5 first <&"${SESSION[0]}" || fail "no greeting on the session"
	[ -n "$first" ] || return 1
	echo before >&"${SESSION[1]}"
	read -r -t 5 reply <&"${SESSION[0]}" || fail "no echo before the flush"
	expect_eq "echo before the flush" "$reply" before
	drctl conn flush || fail "conn flush"
	echo after-flush >&"${SESSION[1]}"
	read -r -t 10 reply <&"${SESSION[0]}" || fail "session broken by the flush"
	expect_eq "echo after the flush" "$reply" after-flush
	stateless=$(drctl -j config show | json 'd["stats"]["stateless"]')
	(( stateless >= 1 )) || fail "no stateless decision counted ($stateless)"
	expect_eq "session back in the table, same backend" \
		"$(drctl -j conn show | json '" ".join(c["backend"] for c in d if c["vport"] == 7)')" \
		"${ADDR[$first]}"
	kill "${SESSION_PID:-}" 2>/dev/null
	return 0
}
