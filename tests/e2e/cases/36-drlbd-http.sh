# SPDX-License-Identifier: GPL-2.0
# e2e-lab: fresh
# e2e-cost: 16
# drlbd checks the backends of a service with an http check and sets their
# health in the kernel: all up after rise x interval; a real server whose
# HTTP server is killed is down within fall x interval + timeout (+ 1 s),
# with a log line saying why, and gets no new connections while the
# others take them; restarted, it is up again within rise x interval +
# timeout (+ 1 s) and back in rotation. drlbd killed leaves the health as
# it is; restarted (as systemd would: READY=1, then watchdog pings), it
# picks it up from the kernel and flaps nothing.
DRLBD=$DRLB_TOP/tools/drlbd/drlbd

# healths: the health of rs1, rs2 and rs3 as drctl check show has it (read
# with builtins: the cases poll it).
healths()
{
	local -A of=()
	local arrow addr health
	while read -r arrow addr health _; do
		[ "$arrow" != "->" ] || of[$addr]=$health
	done < <(drctl check show tcp "$VIP:80")
	echo "${of[${ADDR[rs1]}]:-} ${of[${ADDR[rs2]}]:-} ${of[${ADDR[rs3]}]:-}"
}
health_is() { [ "$(healths)" = "$1" ]; }
# stamped: each line of drlbd's log with the time it came ($EPOCHREALTIME).
stamped() { local l; while IFS= read -r l; do echo "$EPOCHREALTIME $l"; done; }
# took WHAT T0 PATTERN LIMIT: the last log line matching PATTERN came within
# LIMIT seconds of T0; says how long it took.
took()
{
	local t
	t=$(grep -- "$3" "$LOG" | tail -1 | cut -d' ' -f1)
	[ -n "$t" ] || { fail "$1: no '$3' in drlbd's log: $(cat "$LOG")"; return; }
	echo "    # $1 after $(bc <<< "$t - $2") s (at most $4 s)" >&2
	(( $(bc <<< "$t - $2 <= $4") )) || fail "$1 too late"
}
LOG=/tmp/drlbd.log

run_case()
{
	local t0 log=$LOG pid
	lab_up
	start_http
	lab_service tcp 80 sched rr
	drctl check set tcp "$VIP:80" http interval 0.5 timeout 0.25 fall 2 rise 2 ||
		fail "check set"
	in_ns director "$DRLBD" -f 2>&1 | stamped > $log &
	wait_for 100 pgrep -x drlbd || fail "drlbd did not start"
	pid=$(pgrep -x drlbd)
	wait_for 100 health_is "up up up" || fail "not all up: $(healths); $(cat $log)"
	expect_eq "shares, all up" "$(tally 6)" "rs1=2 rs2=2 rs3=2"

	ns_kill rs2
	t0=$EPOCHREALTIME
	wait_for 100 health_is "up down up" || fail "rs2 not down: $(healths)"
	took "rs2 down" "$t0" "tcp $VIP:80 10.0.0.12:80 down: connect refused, 2 of 2" 2.25
	expect_eq "shares, rs2 down" "$(tally 6)" "rs1=3 rs2=0 rs3=3"

	start_http
	t0=$EPOCHREALTIME
	wait_for 100 health_is "up up up" || fail "rs2 not back up: $(healths)"
	took "rs2 up" "$t0" "tcp $VIP:80 10.0.0.12:80 up: status 200, 2 of 2" 2.25
	expect_eq "shares, rs2 back" "$(tally 6)" "rs1=2 rs2=2 rs3=2"

	# Killed: the kernel keeps the health. Restarted: no flap.
	kill -9 $pid
	expect_eq "health with drlbd dead" "$(healths)" "up up up"
	"$DRCTL" -N director monitor > /tmp/drlbd-monitor.txt 2>&1 &
	wait_for 100 eval 'drctl config set udp 300 && grep -q "config set" /tmp/drlbd-monitor.txt' ||
		fail "monitor prints nothing"
	# Started as systemd would (Type=notify, WatchdogSec=1): READY=1 once,
	# then a WATCHDOG=1 every half second from the event loop.
	in_ns director socat -u UNIX-RECV:/tmp/drlbd-notify.sock,unlink-early - > /tmp/drlbd-notify.txt &
	wait_for 50 test -S /tmp/drlbd-notify.sock || fail "no notify socket"
	NOTIFY_SOCKET=/tmp/drlbd-notify.sock WATCHDOG_USEC=1000000 \
		in_ns director "$DRLBD" -f > $log.2 2>&1 &
	wait_for 100 grep -q "running: 1 checked services" $log.2 || fail "drlbd did not start again"
	lab_sleep 2
	expect_eq "READY=1 sent" "$(grep -o READY=1 /tmp/drlbd-notify.txt | wc -l)" 1
	(( $(grep -o WATCHDOG=1 /tmp/drlbd-notify.txt | wc -l) >= 3 )) ||
		fail "watchdog pings in 2 s: $(cat /tmp/drlbd-notify.txt)"
	expect_eq "health changes after the restart" "$(grep -c 'health' /tmp/drlbd-monitor.txt)" 0
	expect_eq "health after the restart" "$(healths)" "up up up"
	grep -qE " (up|down):" $log.2 && fail "drlbd changed health after its restart: $(cat $log.2)"
	return 0
}
