# SPDX-License-Identifier: GPL-2.0
# service set changes the scheduler live: an established session survives,
# new connections follow the new scheduler.
run_case()
{
	local first reply
	lab_up
	start_echo
	lab_service tcp 7 sched rr
	coproc SESSION { in_ns client socat - TCP:$VIP:7; }
	read -r -t 5 first <&"${SESSION[0]}" || fail "no greeting on the session"
	drctl service set tcp $VIP:7 sched sh || fail "service set sched sh"
	expect_eq "scheduler now" "$(drctl -j service show | json 'd[0]["sched"]')" sh
	echo still-here >&"${SESSION[1]}"
	read -r -t 5 reply <&"${SESSION[0]}" || fail "session lost its backend on sched change"
	expect_eq "session echo after sched change" "$reply" still-here
	kill "${SESSION_PID:-}" 2>/dev/null
	return 0
}
