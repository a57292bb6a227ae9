# SPDX-License-Identifier: GPL-2.0
# e2e-xdp: yes
# Deleting a backend drops its connections' packets (counted) and new
# connections are scheduled on the others.
run_case()
{
	local first reply gone
	lab_up
	start_echo
	lab_service tcp 7 sched rr
	coproc SESSION { in_ns client socat - TCP:$VIP:7; }
	read -r -t 5 first <&"${SESSION[0]}" || fail "no greeting on the session"
	[ -n "$first" ] || return 1
	drctl backend del tcp $VIP:7 "${ADDR[$first]}" || fail "backend del"
	echo lost >&"${SESSION[1]}"
	if read -r -t 2 reply <&"${SESSION[0]}"; then
		fail "session to deleted $first still answered '$reply'"
	fi
	gone=$(drctl -j config show | json 'd["stats"]["drop_backend_gone"]')
	(( gone >= 1 )) || fail "drop_backend_gone is $gone"
	new_conns_avoid 4 "$first" deleted
	expect_eq "backends left" "$(drctl -j service show | json 'len(d[0]["backends"])')" 2
	kill "${SESSION_PID:-}" 2>/dev/null
	return 0
}
