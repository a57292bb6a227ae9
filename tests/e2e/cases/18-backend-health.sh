# SPDX-License-Identifier: GPL-2.0
# A backend's health, as drlbd sets it: down takes no new connections
# (rr gives its share to the others) while its weight stays and an open
# session to it goes on; up brings it back. drctl service show has the
# health column and "health" in JSON; drctl monitor prints each change as
# it happens, as a command line and with -j as JSON. With on-down expire
# (a stored check), down ends the backend's connections at once.
mon_has() { grep -qF -- "$2" "$1"; }

run_case()
{
	local who addr mon=/tmp/monitor.txt monj=/tmp/monitor.json
	lab_up
	start_http
	start_echo
	lab_service tcp 80 sched rr
	lab_service tcp 7 sched rr
	"$DRCTL" -N director monitor > $mon 2>&1 &
	"$DRCTL" -N director -j monitor > $monj 2>&1 &
	# Listening once a change shows up in both.
	wait_for 100 eval 'drctl config set udp 300 && mon_has $mon "config set" &&
		mon_has $monj "config set"' || fail "the monitors print no events"
	session_open 1
	who=${SESSION_WHO[1]} addr=${ADDR[${SESSION_WHO[1]}]}
	for port in 80 7; do
		drctl backend set tcp "$VIP:$port" "$addr" health down \
			reason "connect refused, 3 of 3" || fail "backend set health down"
	done
	expect_eq "health in JSON" "$(drctl -j service show | json \
		"[b['health'] for s in d if s['port'] == 80 for b in s['backends'] if b['address'] == '$addr'][0]")" down
	expect_eq "weight kept" "$(drctl -j service show | json \
		"[b['weight'] for s in d if s['port'] == 80 for b in s['backends'] if b['address'] == '$addr'][0]")" 1
	drctl service show | grep -qE "^  -> $addr +1 .* down" || fail "no 'down' in the plain table"
	expect_eq "new connections with $who down" "$(tally 6 | tr ' ' '\n' | grep -c "^$who=0$")" 1
	expect_eq "the open session to $who" "$(session_say 1 still-there)" still-there
	wait_for 50 mon_has $mon "backend set tcp $VIP:80 $addr weight 1 health down: connect refused, 3 of 3" ||
		fail "monitor: no health down line (got: $(tail -3 $mon))"
	wait_for 50 mon_has $monj '"event":"backend set"' || fail "monitor -j: no backend set"
	expect_eq "monitor -j: the down event" "$(grep '"health":"down"' $monj | head -1 | json \
		'd["backend"] + " " + d["reason"]')" "$addr connect refused, 3 of 3"
	for port in 80 7; do
		drctl backend set tcp "$VIP:$port" "$addr" health up || fail "backend set health up"
	done
	expect_eq "new connections with $who up" "$(tally 6)" "rs1=2 rs2=2 rs3=2"
	session_close 1
	wait_for 50 mon_has $mon "backend set tcp $VIP:80 $addr weight 1 health up" ||
		fail "monitor: no health up line"
	# on-down expire, from the check the module keeps: the down backend's
	# connections end at once, and their next packets are placed afresh
	# (on another backend, whose RST ends the session).
	drctl check set tcp "$VIP:7" tcp on-down expire || fail "check set on-down expire"
	session_open 2
	who=${SESSION_WHO[2]} addr=${ADDR[${SESSION_WHO[2]}]}
	drctl backend set tcp "$VIP:7" "$addr" health down reason "timeout, 3 of 3" ||
		fail "backend set health down (expire)"
	expect_eq "connections to $who after expire" "$(drctl -j conn show | json \
		"len([c for c in d if c['backend'] == '$addr' and c['vport'] == 7])")" 0
	echo lost >&"${SESSION_FD[2]}"
	wait_for 50 gone "${SESSION_PID[2]}" || fail "expire: the session to $who went on"
	session_close 2
	drctl service del tcp "$VIP:7"
	wait_for 50 mon_has $mon "service del tcp $VIP:7" || fail "monitor: no service del line"
	expect_run 2 "health is set on a backend that exists" \
		drctl backend add tcp "$VIP:80" 10.0.0.99 health up
	expect_run 2 "invalid health 'sideways' (up or down)" \
		drctl backend set tcp "$VIP:80" "$addr" health sideways
	expect_run 2 "'reason' goes with 'health up|down'" \
		drctl backend set tcp "$VIP:80" "$addr" weight 2 reason because
	return 0
}
