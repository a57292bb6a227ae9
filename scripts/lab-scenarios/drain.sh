# SPDX-License-Identifier: GPL-2.0
# drain: weight 0 on a backend mid-run: its open session keeps working, new
# connections go to the others, and once the session ends it can go.

# drained_idle ADDR: the backend ADDR has no active connection left.
drained_idle()
{
	[ "$(drctl -j service show |
		json "[b['active'] for b in d[0]['backends'] if b['address'] == '$1'][0]")" = 0 ]
}

scenario()
{
	local i who drained
	lab_prologue echo
	say "Director: rr over the echo service on port 7"
	lab_service tcp 7 sched rr
	say "Three long sessions from the client (socat to $VIP:7):"
	for i in 1 2 3; do
		session_open "$i"
		echo "  session $i -> ${SESSION_WHO[$i]}"
	done
	drained=${SESSION_WHO[2]}
	say "Draining $drained (weight 0) while session 2 is open:"
	show drctl backend set tcp $VIP:7 "${ADDR[$drained]}" weight 0
	show drctl -n service show
	say "Six new connections — none goes to $drained:"
	i=0
	while read -r who; do
		i=$((i + 1))
		[ "$who" != none ] || who=FAILED
		printf '  new connection %d -> %s\n' "$i" "$who"
	done < <(tcp_greet 6)
	say "Session 2 still talks to $drained:"
	printf '  session 2 sent "still-here", got back "%s"\n' "$(session_say 2 still-here)"
	say "Sessions end; $drained has no active connection left and can go:"
	for i in 1 2 3; do
		session_close "$i"
	done
	wait_for 50 drained_idle "${ADDR[$drained]}"
	show drctl -n service show
	show drctl backend del tcp $VIP:7 "${ADDR[$drained]}"
	legend
}
