# SPDX-License-Identifier: GPL-2.0
# e2e-kernels: stock 6.12
# e2e-lab: fresh
# e2e-alone: yes
# drlbd's check types and options against real servers, one daemon for
# eight services: http with a wrong status code, a refused connect and a
# silent server (timeout); https against openssl s_server, and with verify
# against its self-signed certificate; dns on a UDP DR service of dnsmasq
# real servers, answering through the VIP while one is down; exec; alpha;
# quorum-down and quorum-up, each run once at the right moment; on-down
# keep lets a session on a dead-marked backend go on, expire ends it.
# Timeouts are generous: under TCG a TLS handshake or a fork of /bin/sh
# can take a second, and beside another guest several (so make check runs
# this case alone). (The kernel side of health is
# 18-backend-health, also on the debug kernel.)
DRLBD=$DRLB_TOP/tools/drlbd/drlbd
LOG=/tmp/drlbd-checks.log
QUORUM=/tmp/drlbd-quorum.log

# healths PROTO PORT: "rs1=H rs2=H rs3=H", the health of VIP:PORT's backends
# as drctl check show has it.
healths()
{
	local -A of=()
	local arrow addr health h
	while read -r arrow addr health _; do
		[ "$arrow" = "->" ] || continue
		for h in rs1 rs2 rs3; do
			[ "${ADDR[$h]}" != "$addr" ] || of[$h]=$health
		done
	done < <(drctl check show "$1" "$VIP:$2")
	echo "rs1=${of[rs1]:-} rs2=${of[rs2]:-} rs3=${of[rs3]:-}"
}
health_is() { [ "$(healths "$1" "$2")" = "$3" ]; }
# healths_are PROTO PORT WANT [WHY]: wait (20 s) until they are WANT.
healths_are()
{
	wait_for 200 health_is "$1" "$2" "$3" ||
		fail "${4:-$1 $2}: healths $(healths "$1" "$2"), want $3"
}
# logged PATTERN [N]: drlbd's log has N (1) lines matching PATTERN.
logged()
{
	expect_eq "log lines '$1'" "$(grep -c -- "$1" $LOG)" "${2:-1}"
}
# dns_answers N: queries for svc.lab A from the client to the VIP, each
# from its own socket (a new flow), with bash's /dev/udp in one process;
# prints how many were answered.
dns_answers()
{
	in_ns client bash -c '
		n=0
		for ((i = 0; i < $1; i++)); do
			exec {q}<> "/dev/udp/$2/53" || continue
			# ID 0x5aa5, RD; one question: svc.lab A IN.
			printf "\x5a\xa5\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03svc\x03lab\x00\x00\x01\x00\x01" >&$q
			read -r -t 2 -N 1 byte <&$q && n=$((n + 1))
			exec {q}<&-
		done
		echo $n' - "$1" "$VIP"
}

start_servers()
{
	local h p
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
		-subj /CN=rs.lab -keyout /tmp/rs-key.pem -out /tmp/rs-cert.pem 2>/dev/null ||
		fail "no certificate"
	for h in rs1 rs2 rs3; do
		echo ok > "/tmp/www-$h/health"
		echo ok > "/tmp/www-$h/alive"
		# One TLS server for each https check: s_server serves one
		# connection at a time.
		for p in 443 8443; do
			in_ns "$h" openssl s_server -quiet -www -accept $p -cert /tmp/rs-cert.pem \
				-key /tmp/rs-key.pem < /dev/null > /dev/null 2>&1 &
		done
		in_ns "$h" dnsmasq -k -C /dev/null -u root --pid-file --no-resolv --no-hosts \
			--address=/svc.lab/10.0.0.100 2> "/tmp/dnsmasq-$h.err" &
	done
	# rs3 accepts on port 81 and never answers; rs1 and rs2 refuse.
	in_ns rs3 socat TCP-LISTEN:81,fork,reuseaddr SYSTEM:"sleep 60" 2>/dev/null &
	for h in rs1 rs2 rs3; do
		wait_for 300 listening "$h" tcp 443 && wait_for 300 listening "$h" tcp 8443 &&
			wait_for 300 listening "$h" udp 53 ||
			fail "servers on $h did not start: $(cat "/tmp/dnsmasq-$h.err")"
	done
	wait_for 300 listening rs3 tcp 81 || fail "silent server on rs3 did not start"
}

run_case()
{
	local first reply want p t=(interval 2 timeout 1.9 fall 2 rise 2)
	lab_up
	start_http
	start_echo
	start_servers
	rm -f $QUORUM /tmp/drlbd-exec-*
	touch /tmp/drlbd-exec-10.0.0.11 /tmp/drlbd-exec-10.0.0.12
	lab_service tcp 80 sched rr
	lab_service tcp 7 sched rr
	lab_service tcp 81
	lab_service tcp 443
	lab_service tcp 8443
	lab_service udp 53 sched rr
	lab_service tcp 9
	lab_service tcp 10
	drctl -b - <<-END || fail "check set"
	check set tcp $VIP:80 http path /health ${t[*]} quorum 2 quorum-up 'echo up >> $QUORUM' quorum-down 'echo down >> $QUORUM'
	check set tcp $VIP:7 http path /alive port 80 ${t[*]}
	check set tcp $VIP:81 http ${t[*]}
	check set tcp $VIP:443 https sni rs.lab interval 2 timeout 1.9 fall 2 rise 2
	check set tcp $VIP:8443 https verify interval 2 timeout 1.9 fall 2 rise 2
	check set udp $VIP:53 dns query svc.lab ${t[*]}
	check set tcp $VIP:9 interval 2 timeout 1.9 fall 1 rise 1 exec /bin/sh -c 'test -e /tmp/drlbd-exec-\$DRLB_BACKEND_ADDR'
	check set tcp $VIP:10 tcp port 7 alpha interval 2 timeout 1.9 rise 3
	END
	in_ns director "$DRLBD" -f > $LOG 2>&1 &
	wait_for 100 grep -q "running: 8 checked services" $LOG ||
		fail "drlbd did not start: $(cat $LOG)"

	say "alpha: down until a first success, then up at once"
	healths_are tcp 10 "rs1=up rs2=up rs3=up" alpha
	logged "tcp $VIP:10 10.0.0.1[123]:7 down: alpha, down until a first success, 0 of 1" 3
	logged "tcp $VIP:10 10.0.0.1[123]:7 up: connected, 1 of 1" 3

	say "http: a wrong status, a refused connect, a silent server"
	healths_are tcp 80 "rs1=up rs2=up rs3=up" http
	healths_are tcp 81 "rs1=down rs2=down rs3=down" silent
	logged "tcp $VIP:81 10.0.0.11:81 down: connect refused, 2 of 2"
	logged "tcp $VIP:81 10.0.0.13:81 down: timeout, 2 of 2"

	say "https: s_server's page; verify refuses its self-signed certificate"
	healths_are tcp 443 "rs1=up rs2=up rs3=up" https
	healths_are tcp 8443 "rs1=down rs2=down rs3=down" "https verify"
	logged "tcp $VIP:8443 10.0.0.11:8443 down: certificate verify failed: self-signed certificate, 2 of 2"

	say "exec: exit 0 is healthy; the backend's address in the environment"
	healths_are tcp 9 "rs1=up rs2=up rs3=down" exec
	logged "tcp $VIP:9 10.0.0.13:9 down: exit 1, 1 of 1"
	touch /tmp/drlbd-exec-10.0.0.13
	healths_are tcp 9 "rs1=up rs2=up rs3=up" "exec, rs3 allowed"

	say "dns: dnsmasq on rs3 killed, down; the VIP answers from the others"
	healths_are udp 53 "rs1=up rs2=up rs3=up" dns
	expect_eq "queries answered through the VIP" "$(dns_answers 6)" 6
	ns_pids rs3
	for p in "${NS_PIDS[@]}"; do
		[ "$(< "/proc/$p/comm")" != dnsmasq ] || kill "$p"
	done 2>/dev/null
	healths_are udp 53 "rs1=up rs2=up rs3=down" "dns, rs3 killed"
	logged "udp $VIP:53 10.0.0.13:53 down: port unreachable, 2 of 2"
	expect_eq "queries answered with rs3 down" "$(dns_answers 6)" 6

	say "quorum 2: lost once, met once"
	rm "/tmp/www-rs1/health"
	healths_are tcp 80 "rs1=down rs2=up rs3=up" "rs1 unhealthy"
	logged "tcp $VIP:80 10.0.0.11:80 down: status 404, want 200, 2 of 2"
	[ ! -e $QUORUM ] || fail "a quorum command ran with 2 of 3 up: $(cat $QUORUM)"
	rm "/tmp/www-rs2/health"
	healths_are tcp 80 "rs1=down rs2=down rs3=up" "rs2 unhealthy"
	wait_for 50 grep -q down $QUORUM || fail "quorum-down did not run"
	logged "tcp $VIP:80: quorum lost, 1 healthy of 2 needed"
	echo ok > "/tmp/www-rs1/health"
	echo ok > "/tmp/www-rs2/health"
	healths_are tcp 80 "rs1=up rs2=up rs3=up" "rs1 rs2 healthy again"
	wait_for 50 grep -q up $QUORUM || fail "quorum-up did not run"
	expect_eq "quorum commands, in order" "$(echo $(cat $QUORUM))" "down up"

	say "on-down keep: a session on a backend marked down goes on"
	healths_are tcp 7 "rs1=up rs2=up rs3=up" echo
	coproc SESSION { in_ns client socat - TCP:$VIP:7; }
	read -r -t 5 first <&"${SESSION[0]}" || fail "no greeting on the session"
	rm "/tmp/www-$first/alive"
	want="rs1=up rs2=up rs3=up"
	healths_are tcp 7 "${want/$first=up/$first=down}" "$first unhealthy"
	echo still >&"${SESSION[1]}"
	read -r -t 3 reply <&"${SESSION[0]}"
	expect_eq "keep: the session on $first" "$reply" still
	new_conns_avoid 3 "$first" down
	kill "$SESSION_PID" 2>/dev/null
	wait "$SESSION_PID" 2>/dev/null
	echo ok > "/tmp/www-$first/alive"
	healths_are tcp 7 "rs1=up rs2=up rs3=up" "$first healthy again"

	say "on-down expire: that session ends"
	drctl check set tcp $VIP:7 http path /alive port 80 on-down expire "${t[@]}" ||
		fail "check set on-down expire"
	coproc SESSION { in_ns client socat - TCP:$VIP:7; }
	read -r -t 5 first <&"${SESSION[0]}" || fail "no greeting on the session"
	rm "/tmp/www-$first/alive"
	want="rs1=up rs2=up rs3=up"
	healths_are tcp 7 "${want/$first=up/$first=down}" "$first unhealthy"
	echo lost >&"${SESSION[1]}"
	if read -r -t 3 reply <&"${SESSION[0]}"; then
		fail "expire: the session on $first still answered '$reply'"
	fi
	kill "${SESSION_PID:-}" 2>/dev/null
	[ "$CASE_FAILED" = 0 ] || sed 's/^/    # drlbd: /' $LOG >&2
	return 0
}
