#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The probe engine against real servers, TAP on stdout.
#
#   probe-run ──tcp, http──▶ servers.py   http (status from a file), silent,
#       │                                  reply (garbage), accept (the 1000)
#       ├──────https───────▶ openssl s_server -www, a self-signed cert made here
#       ├──────dns─────────▶ dnsmasq: ok.test A 127.0.0.9, the rest of .test NXDOMAIN
#       └──────exec────────▶ true, false, sleep, sh
#
# All on 127.0.0.1 and ::1 (the 1000 targets on 127.1.x.y), ports from a
# random base, everything torn down by the trap.
#
# usage: run.sh PROBE_RUN [PROBE_RUN_FAST [ENGINE_TEST]]
#   PROBE_RUN runs every test (built with ASan and UBSan: any report fails
#   the last test); PROBE_RUN_FAST, when given, is also timed on 1000 targets;
#   ENGINE_TEST's TAP (the runtime API, tests/engine-test.c) is taken in first.

set -u
PR=$(realpath "$1")
FAST=${2:+$(realpath "$2")}
ENGINE_TEST=${3:+$(realpath "$3")}
HERE=$(dirname "$(realpath "$0")")
PY=/usr/bin/python3		# not a pyenv shim first on PATH
W=$(mktemp -d /tmp/drlbd-test.XXXXXX)
PIDS=()
T=0
FAILED=0

cleanup() {
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT

BASE=$((20000 + RANDOM % 20000))
P_HTTP=$BASE			# 200, or what $W/http.state says
P_HTTP6=$((BASE + 1))		# on ::1
P_500=$((BASE + 2))		# 500
P_SILENT=$((BASE + 3))
P_GARBAGE=$((BASE + 4))
P_TLS=$((BASE + 5))
P_DNS=$((BASE + 6))
P_CLOSED=$((BASE + 7))		# nothing listens
P_DETECT=$((BASE + 8))
P_Q1=$((BASE + 9))
P_Q2=$((BASE + 10))
P_MANY=$((BASE + 11))
P_SERVFAIL=$((BASE + 12))	# rcode 2, after a NOERROR with the wrong id
P_MANY_HTTP=$((BASE + 13))

pass() {
	T=$((T + 1))
	echo "ok $T - $1"
}

# fail DESCRIPTION [FILE...]: the files' ends go out as TAP comments.
fail() {
	local f

	T=$((T + 1))
	FAILED=$((FAILED + 1))
	echo "not ok $T - $1"
	shift
	for f in "$@"; do
		[ -e "$f" ] && tail -n 15 "$f" | sed "s|^|#   $(basename "$f"): |"
	done
}

# run NAME ARGS...: probe-run ARGS, out and err in $W/NAME.{out,err}.
run() {
	local name=$1

	shift
	"$PR" "$@" >"$W/$name.out" 2>"$W/$name.err"
	echo $? >"$W/$name.rc"
}

has() {
	grep -qE -- "$2" "$W/$1.out"
}

count() {
	grep -cE -- "$2" "$W/$1.out"
}

# expect DESCRIPTION NAME REGEX...: each REGEX is in NAME's output.
expect() {
	local desc=$1 name=$2 re

	shift 2
	for re in "$@"; do
		if ! has "$name" "$re"; then
			fail "$desc" "$W/$name.out" "$W/$name.err"
			echo "#   missing: $re"
			return
		fi
	done
	pass "$desc"
}

spawn() {
	"$@" >/dev/null 2>&1 &
	PIDS+=($!)
}

# Poll for the listener rather than sleep.
wait_port() {
	local proto=$1 port=$2

	for _ in $(seq 100); do
		ss -Hln"$proto" "sport = :$port" | grep -q . && return 0
		sleep 0.05
	done
	echo "# no listener on $proto port $port" >&2
	return 1
}

# wait_line NAME REGEX [SECONDS]: until REGEX shows in NAME's output.
wait_line() {
	local end=$(($(date +%s%N) + ${3:-10} * 1000000000))

	while [ "$(date +%s%N)" -lt "$end" ]; do
		has "$1" "$2" && return 0
		sleep 0.02
	done
	return 1
}

# wait_count NAME REGEX N [SECONDS]: until REGEX is on N lines.
wait_count() {
	local end=$(($(date +%s%N) + ${4:-10} * 1000000000))

	while [ "$(date +%s%N)" -lt "$end" ]; do
		[ "$(count "$1" "$2")" -ge "$3" ] && return 0
		sleep 0.02
	done
	return 1
}

start_servers() {
	echo 500 >"$W/500.state"
	spawn "$PY" "$HERE/servers.py" http 127.0.0.1 "$P_HTTP" "$W/http.state"
	spawn "$PY" "$HERE/servers.py" http ::1 "$P_HTTP6" "$W/http6.state"
	spawn "$PY" "$HERE/servers.py" http 127.0.0.1 "$P_500" "$W/500.state"
	spawn "$PY" "$HERE/servers.py" silent 127.0.0.1 "$P_SILENT"
	spawn "$PY" "$HERE/servers.py" reply 127.0.0.1 "$P_GARBAGE" 'HELLO\r\n'
	spawn "$PY" "$HERE/servers.py" http 127.0.0.1 "$P_Q1" "$W/q1.state"
	spawn "$PY" "$HERE/servers.py" http 127.0.0.1 "$P_Q2" "$W/q2.state"
	spawn "$PY" "$HERE/servers.py" dns ::1 "$P_SERVFAIL" 2
	openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=ok.test \
		-addext subjectAltName=DNS:ok.test \
		-keyout "$W/key.pem" -out "$W/cert.pem" 2>/dev/null
	spawn openssl s_server -quiet -www -accept "127.0.0.1:$P_TLS" \
		-cert "$W/cert.pem" -key "$W/key.pem"
	spawn dnsmasq -k -C /dev/null -p "$P_DNS" --listen-address=127.0.0.1 \
		--bind-interfaces --no-resolv --no-hosts --pid-file= \
		--address=/ok.test/127.0.0.9 --local=/test/
	for p in $P_HTTP $P_500 $P_SILENT $P_GARBAGE $P_Q1 $P_Q2 $P_TLS; do
		wait_port t "$p" || exit 1
	done
	wait_port t "$P_HTTP6" && wait_port u "$P_DNS" && wait_port u "$P_SERVFAIL" || exit 1
}

# The check's words: canonical text and one-line errors.
test_checkconf() {
	local out err ok=1

	out=$("$PR" -c http path /health status 204 interval 1 timeout 0.5 host www.test)
	[ "$out" = "http path /health status 204 host www.test interval 1 timeout 0.5" ] || ok=0
	out=$("$PR" -c interval 5 quorum 2 quorum-down "logger 'quorum lost'" exec /bin/check --db 'a b')
	[ "$out" = "interval 5 quorum 2 quorum-down 'logger '\\''quorum lost'\\''' exec /bin/check --db 'a b'" ] || ok=0
	out=$("$PR" -c tcp interval 2 timeout 1 rise 2 fall 3)
	[ "$out" = tcp ] || ok=0
	out=$("$PR" -c dns qtype AAAA query ok.test port 53 alpha)
	[ "$out" = "dns query ok.test qtype AAAA port 53 alpha" ] || ok=0
	out=$("$PR" -c tcp on-down expire fall 2)
	[ "$out" = "tcp fall 2 on-down expire" ] || ok=0
	out=$("$PR" -c tcp on-down keep)
	[ "$out" = tcp ] || ok=0
	((ok)) && pass "checkconf_formats_canonical_text" ||
		fail "checkconf_formats_canonical_text: got '$out'"

	# What format writes, parse reads back to the same text.
	ok=1
	for c in "https path /x status 301 host a.test sni b.test verify interval 0.25 timeout 0.125" \
		 "exec sh -c 'exit 0'" "dns query . port 5353 rise 1 fall 1 quorum 3"; do
		out=$(eval "\"$PR\" -c $c")
		[ "$(eval "\"$PR\" -c $out")" = "$out" ] || ok=0
	done
	((ok)) && pass "checkconf_text_round_trips" || fail "checkconf_text_round_trips: '$out'"

	ok=1
	while IFS='|' read -r words want; do
		err=$(eval "\"$PR\" -c $words" 2>&1 >/dev/null)
		rc=$?
		if [ $rc -ne 2 ] || [ "$err" != "probe-run: $want" ]; then
			echo "#   $words: rc $rc, '$err'"
			ok=0
		fi
	done <<'EOF'
tcp interval 0|interval: '0' is not a number of seconds from 0.1 to 3600
tcp interval 1 timeout 2|timeout: 2 s is longer than the interval, 1 s: a probe must end before the next one starts
dns sni a.test|sni: not an option of dns checks
tcp rise|rise: missing value
tcp rise 0|rise: '0' is not a number from 1 to 100
http status 99|status: '99' is not a number from 100 to 599
http path health|path: 'health' does not start with '/'
tcp interval 1 interval 2|interval: given twice
tcp udp|'udp' is neither a check type (tcp, http, https, dns, exec) nor an option
tcp http|http: a second check type (already tcp)
interval 3|missing check type (tcp, http, https, dns or exec)
exec|exec: missing COMMAND (exec COMMAND [ARG...])
dns qtype MX|qtype: 'MX' is not A or AAAA
tcp on-down never|on-down: 'never' is not keep or expire
dns query bad..name|query: 'bad..name' is not a DNS name (letters, digits, '-', '_', dots)
tcp quorum-up 'true'|quorum-up: needs quorum N, the number of healthy backends it is about
tcp quorum 1 quorum-up $'echo\nrm'|quorum-up: has a control character
$'tc\np'|'tc?p' is neither a check type (tcp, http, https, dns, exec) nor an option
EOF
	((ok)) && pass "checkconf_errors_say_what_is_wrong" || fail "checkconf_errors_say_what_is_wrong"
}

test_tcp() {
	run tcp -d 1.5 tcp interval 0.3 timeout 0.2 -- "127.0.0.1:$P_HTTP" "[::1]:$P_HTTP6" \
		"127.0.0.1:$P_CLOSED"
	expect "tcp_connect_brings_up_ipv4_and_ipv6" tcp \
		"127.0.0.1:$P_HTTP up: connected, 2 of 2" "\[::1\]:$P_HTTP6 up: connected, 2 of 2"
	expect "tcp_refused_goes_down_after_fall" tcp \
		"127.0.0.1:$P_CLOSED down: connect refused, 3 of 3"
	[ "$(count tcp "$P_CLOSED (up|down)")" = 1 ] && pass "tcp_down_is_reported_once" ||
		fail "tcp_down_is_reported_once" "$W/tcp.out"
}

test_http() {
	run http -d 1.5 http path /health interval 0.3 timeout 0.25 -- "127.0.0.1:$P_HTTP" \
		"127.0.0.1:$P_500" "[::1]:$P_HTTP6" "127.0.0.1:$P_SILENT" "127.0.0.1:$P_GARBAGE"
	expect "http_200_is_up" http "127.0.0.1:$P_HTTP up: status 200, 2 of 2" \
		"\[::1\]:$P_HTTP6 up: status 200, 2 of 2"
	expect "http_500_is_down" http "127.0.0.1:$P_500 down: status 500, want 200, 3 of 3"
	expect "http_silent_server_times_out" http \
		"probe 127.0.0.1:$P_SILENT failed: timeout \(late [0-9.]+ ms, took 25[0-9]\.[0-9]+ ms\)" \
		"127.0.0.1:$P_SILENT down: timeout, 3 of 3"
	expect "http_garbage_is_a_bad_status_line" http "127.0.0.1:$P_GARBAGE down: bad status line"
	if grep -qx "GET /health HTTP/1.1" "$W/http.state.req" &&
	   grep -qx "Host: 127.0.0.1:$P_HTTP" "$W/http.state.req" &&
	   grep -qx "Connection: close" "$W/http.state.req" &&
	   grep -qx "User-Agent: drlbd" "$W/http.state.req" &&
	   grep -qx "Host: \[::1\]:$P_HTTP6" "$W/http6.state.req"; then
		pass "http_request_is_http11_with_host_and_agent"
	else
		fail "http_request_is_http11_with_host_and_agent" "$W/http.state.req" "$W/http6.state.req"
	fi
	run http-host -d 0.5 http host www.test status 500 interval 0.2 timeout 0.1 rise 1 -- \
		"127.0.0.1:$P_500"
	expect "http_status_and_host_are_the_checks" http-host "127.0.0.1:$P_500 up: status 500, 1 of 1"
	grep -qx "Host: www.test" "$W/500.state.req" && pass "http_host_header_is_the_given_name" ||
		fail "http_host_header_is_the_given_name" "$W/500.state.req"
}

test_https() {
	run https -d 1.5 https interval 0.3 timeout 0.25 -- "127.0.0.1:$P_TLS" "127.0.0.1:$P_HTTP"
	expect "https_without_verify_takes_a_self_signed_cert" https \
		"127.0.0.1:$P_TLS up: status 200, 2 of 2"
	expect "https_to_plain_http_fails_the_handshake" https \
		"probe 127.0.0.1:$P_HTTP failed: tls handshake failed: [a-z]"
	run https-verify -d 1.5 https verify sni ok.test interval 0.3 timeout 0.25 -- \
		"127.0.0.1:$P_TLS"
	expect "https_verify_refuses_a_self_signed_cert" https-verify \
		"127.0.0.1:$P_TLS down: certificate verify failed: self-signed certificate, 3 of 3"
	# The "system store" is OpenSSL's default paths, which SSL_CERT_FILE moves.
	SSL_CERT_FILE=$W/cert.pem run https-trusted -d 1.5 https verify sni ok.test interval 0.3 \
		timeout 0.25 -- "127.0.0.1:$P_TLS"
	expect "https_verify_takes_a_trusted_cert_naming_the_sni" https-trusted \
		"127.0.0.1:$P_TLS up: status 200, 2 of 2"
	SSL_CERT_FILE=$W/cert.pem run https-name -d 1.5 https verify host other.test interval 0.3 \
		timeout 0.25 -- "127.0.0.1:$P_TLS"
	expect "https_verify_refuses_a_cert_for_another_name" https-name \
		"127.0.0.1:$P_TLS down: certificate verify failed: hostname mismatch, 3 of 3"
}

test_dns() {
	run dns -d 1.5 dns query ok.test interval 0.3 timeout 0.25 -- "127.0.0.1:$P_DNS" \
		"127.0.0.1:$P_CLOSED"
	expect "dns_noerror_is_up" dns "127.0.0.1:$P_DNS up: rcode NOERROR, 1 answer, 2 of 2"
	expect "dns_icmp_is_port_unreachable" dns "127.0.0.1:$P_CLOSED down: port unreachable, 3 of 3"
	run dns-nx -d 1.5 dns query nope.test qtype AAAA interval 0.3 timeout 0.25 -- \
		"127.0.0.1:$P_DNS"
	expect "dns_nxdomain_is_down" dns-nx "127.0.0.1:$P_DNS down: rcode NXDOMAIN, 3 of 3"
	run dns-servfail -d 1.5 dns query ok.test interval 0.3 timeout 0.25 -- "[::1]:$P_SERVFAIL"
	expect "dns_answer_with_another_id_is_ignored_servfail_is_down" dns-servfail \
		"\[::1\]:$P_SERVFAIL down: rcode SERVFAIL, 3 of 3"
}

test_exec() {
	run exec-true -d 0.8 interval 0.3 timeout 0.25 exec /bin/true -- 127.0.0.1:1
	expect "exec_exit_0_is_up" exec-true "127.0.0.1:1 up: exit 0, 2 of 2"
	run exec-false -d 1.5 interval 0.3 timeout 0.25 exec false -- 127.0.0.1:1
	expect "exec_exit_1_is_down" exec-false "127.0.0.1:1 down: exit 1, 3 of 3"
	run exec-env -d 0.5 -s "tcp 10.0.0.100:80" interval 0.3 timeout 0.25 port 4343 exec sh -c \
		'echo "$DRLB_BACKEND_ADDR $DRLB_BACKEND_PORT $DRLB_SERVICE" >"$0"' "$W/env" -- '[::1]:4242'
	[ "$(cat "$W/env" 2>/dev/null)" = "::1 4343 tcp 10.0.0.100:80" ] &&
		pass "exec_sees_backend_and_service_in_env" ||
		fail "exec_sees_backend_and_service_in_env" "$W/env" "$W/exec-env.err"
	run exec-sig -d 0.5 interval 0.3 timeout 0.25 exec sh -c 'kill -9 $$' -- 127.0.0.1:1
	expect "exec_killed_says_by_which_signal" exec-sig "failed: killed by signal 9"

	# The next probe is an interval (2 s) away: a sleep seen now is one not killed.
	"$PR" -d 5 interval 2 timeout 0.3 exec sleep 7.25 -- 127.0.0.1:1 >"$W/exec-sleep.out" \
		2>"$W/exec-sleep.err" &
	local pid=$!
	if wait_line exec-sleep "failed: timeout \(late [0-9.]+ ms, took 30[0-9]\." 4; then
		sleep 0.1
		pgrep -f "^sleep 7.25" >/dev/null && fail "exec_timeout_kills_and_reaps_the_group" ||
			pass "exec_timeout_kills_and_reaps_the_group"
	else
		fail "exec_timeout_kills_and_reaps_the_group" "$W/exec-sleep.out"
	fi
	kill -TERM $pid
	wait $pid
	[ $? = 0 ] && has exec-sleep "^stats probes" && pass "sigterm_stops_the_loop_cleanly" ||
		fail "sigterm_stops_the_loop_cleanly" "$W/exec-sleep.out" "$W/exec-sleep.err"

	# The only probe is still running when the run ends: freed and killed.
	run exec-inflight -d 2 interval 2 timeout 2 exec sleep 8.75 -- 127.0.0.1:1
	if has exec-inflight "^stats probes 1 ok 0 failed 0" && ! pgrep -f "^sleep 8.75" >/dev/null; then
		pass "shutdown_kills_the_probe_in_flight"
	else
		fail "shutdown_kills_the_probe_in_flight" "$W/exec-inflight.out"
	fi
}

test_health() {
	run alpha -d 0.75 -i unchecked http alpha rise 3 interval 0.2 timeout 0.1 -- "127.0.0.1:$P_HTTP"
	expect "alpha_starts_down_and_one_success_brings_up" alpha \
		"^ +0\.0[0-9]+ 127.0.0.1:$P_HTTP down: alpha, down until a first success, 0 of 1" \
		"127.0.0.1:$P_HTTP up: status 200, 1 of 1"
	run noalpha -d 0.75 -i unchecked http rise 3 interval 0.2 timeout 0.1 -- "127.0.0.1:$P_HTTP"
	expect "unchecked_needs_rise_successes" noalpha "127.0.0.1:$P_HTTP up: status 200, 3 of 3"
	run up-stays -d 0.7 -i up http interval 0.2 timeout 0.1 -- "127.0.0.1:$P_HTTP"
	[ "$(count up-stays "(up|down):")" = 0 ] && [ "$(count up-stays "probe .* ok")" -ge 3 ] &&
		pass "registered_up_and_healthy_is_no_change" || fail "registered_up_and_healthy_is_no_change" \
		"$W/up-stays.out"
	run down-rises -d 0.7 -i down http rise 2 alpha interval 0.2 timeout 0.1 -- "127.0.0.1:$P_HTTP"
	expect "registered_down_with_alpha_needs_one_success" down-rises \
		"127.0.0.1:$P_HTTP up: status 200, 1 of 1"
	run up-falls -d 0.7 -i up tcp fall 2 interval 0.2 timeout 0.1 -- "127.0.0.1:$P_CLOSED"
	expect "registered_up_falls_after_fall_failures" up-falls \
		"127.0.0.1:$P_CLOSED down: connect refused, 2 of 2"
}

# Killed at K, the server is down by K + fall * interval + timeout (+ slack),
# and not before fall failures; back, it is up after exactly rise successes.
INTERVAL_MS=500 TIMEOUT_MS=250 FALL=3 SLACK_MS=500
secs() {
	printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000))
}

test_detection() {
	local start killed down_at up_at name=detect ok
	local most=$((FALL * INTERVAL_MS + TIMEOUT_MS + SLACK_MS)) least=$(((FALL - 1) * INTERVAL_MS))

	spawn "$PY" "$HERE/servers.py" http 127.0.0.1 "$P_DETECT" "$W/detect.state"
	local server=$!
	wait_port t "$P_DETECT" || return
	start=$(date +%s%N)
	"$PR" -d 15 http interval "$(secs $INTERVAL_MS)" timeout "$(secs $TIMEOUT_MS)" rise 2 \
		fall $FALL -- "127.0.0.1:$P_DETECT" \
		>"$W/$name.out" 2>"$W/$name.err" &
	local pid=$!
	wait_line $name "up: status 200, 2 of 2" 4 || { fail "killed_server_is_down_in_time" \
		"$W/$name.out"; kill $pid; return; }
	kill $server
	wait $server 2>/dev/null
	killed=$(($(date +%s%N) - start))
	wait_line $name "down: connect refused, 3 of 3" 6
	spawn "$PY" "$HERE/servers.py" http 127.0.0.1 "$P_DETECT" "$W/detect.state"
	wait_count $name "up: status 200, 2 of 2" 2 6
	kill -TERM $pid
	wait $pid
	down_at=$(awk '/down: connect refused, 3 of 3/ { printf "%d\n", $1 * 1000; exit }' "$W/$name.out")
	ok=0
	if [ -n "$down_at" ]; then
		local took=$((down_at - killed / 1000000))
		echo "# killed at $((killed / 1000000)) ms, down $took ms later ($least to $most ms)"
		((took <= most && took >= least)) && ok=1
	fi
	((ok)) && pass "killed_server_is_down_in_time" || fail "killed_server_is_down_in_time" \
		"$W/$name.out"
	up_at=$(awk '/down: connect refused/ { d = 1 } d && / up: status 200, 2 of 2/ { print; exit }' \
		"$W/$name.out")
	ok=$(awk '/down: connect refused/ { d = 1; next } d && /probe .* ok:/ { n++ }
		  d && / up: / { print n; exit }' "$W/$name.out")
	[ -n "$up_at" ] && [ "$ok" = 2 ] && pass "restarted_server_is_up_after_rise_successes" ||
		fail "restarted_server_is_up_after_rise_successes" "$W/$name.out"
}

# Commands run once per crossing, not at the start, with the count in the env.
test_quorum() {
	local name=quorum pid q='quorum tcp 10.0.0.100:80'

	"$PR" -d 15 http rise 1 fall 1 interval 0.2 timeout 0.15 quorum 2 \
		quorum-up "echo up \$DRLB_HEALTHY >>$W/quorum.log" \
		quorum-down "echo down \$DRLB_HEALTHY >>$W/quorum.log" -- \
		"127.0.0.1:$P_Q1" "127.0.0.1:$P_Q2" >"$W/$name.out" 2>"$W/$name.err" &
	pid=$!
	wait_line $name "probe 127.0.0.1:$P_Q2 ok" 3 && wait_line $name "probe 127.0.0.1:$P_Q1 ok" 3
	echo 500 >"$W/q2.state"
	wait_line $name "$q lost: 1 healthy" 3
	echo 500 >"$W/q1.state"
	wait_line $name "127.0.0.1:$P_Q1 down" 3
	echo 200 >"$W/q1.state"
	echo 200 >"$W/q2.state"
	wait_line $name "$q met: 2 healthy" 3
	sleep 0.3
	kill -TERM $pid
	wait $pid
	sleep 0.1	# the commands are not waited for
	if [ "$(cat "$W/quorum.log" 2>/dev/null)" = "$(printf 'down 1\nup 2')" ] &&
	   [ "$(count $name "quorum")" = 2 ]; then
		pass "quorum_commands_run_once_per_crossing"
	else
		fail "quorum_commands_run_once_per_crossing" "$W/quorum.log" "$W/$name.out"
	fi
}

# Fixed schedule: probe k of a target starts at its first + k intervals,
# measured from outside (a result's time less its duration), as the engine's
# own lateness is against its own idea of the schedule.
test_drift() {
	# The silent one takes its whole timeout: a schedule counted from the
	# end of the last probe would lose half a second a probe there.
	run drift -d 10.5 http interval 1 timeout 0.5 -- "127.0.0.1:$P_HTTP" "[::1]:$P_HTTP6" \
		"127.0.0.1:$P_500" "127.0.0.1:$P_SILENT"
	local verdict
	verdict=$("$PY" - "$W/drift.out" <<'EOF'
import re, sys
starts, took = {}, {}
for line in open(sys.argv[1]):
    m = re.match(r" *([0-9.]+) probe (\S+) \w+: .*took ([0-9.]+) ms\)", line)
    if m:
        starts.setdefault(m[2], []).append(float(m[1]) - float(m[3]) / 1000)
        took.setdefault(m[2], []).append(float(m[3]) / 1000)
worst, step, bad = 0.0, 0.0, []
for name, s in starts.items():
    worst = max([worst] + [abs(t - s[0] - k) for k, t in enumerate(s)])
    # A fixed schedule's steps are the interval give or take one start's
    # lateness; a drifting one's are all longer, so their median is too.
    steps = sorted(b - a for a, b in zip(s, s[1:]))
    step = max(step, abs(steps[len(steps) // 2] - 1))
    # the probes whose result is in by the end (the silent one's take 0.5 s)
    end = 10.5 - sorted(took[name])[len(s) // 2]
    want = int(end - s[0]) + 1
    if len(s) != want and abs((end - s[0]) % 1) > 0.01:
        bad.append("%s: %d probes, want %d" % (name, len(s), want))
ok = len(starts) == 4 and worst < 0.1 and step < 0.001 and not bad
print("ok" if ok else "bad", "targets %d off_schedule_max_ms %.3f median_step_error_ms %.3f %s" %
      (len(starts), worst * 1000, step * 1000, " ".join(bad)))
EOF
)
	echo "# $verdict; $(grep ^stats "$W/drift.out")"
	[ "${verdict%% *}" = ok ] && pass "interval_1_does_not_drift_in_10s" ||
		fail "interval_1_does_not_drift_in_10s" "$W/drift.out"
	local late=$(awk '/^stats/ { for (i = 1; i < NF; i++) if ($i == "late_max_ms") print $(i + 1) }' \
		"$W/drift.out")
	awk -v l="$late" 'BEGIN { exit !(l != "" && l < 100) }' &&
		pass "interval_1_probes_start_less_than_100ms_late" ||
		fail "interval_1_probes_start_less_than_100ms_late" "$W/drift.out"
}

# 1000 targets (127.1.x.y, one listener on the wildcard) at interval 1:
# every one up, no probe failed, none missed its slot. How late the
# probes start (late_max_ms, printed) is a figure of make bench's, whose
# target is 100 ms: timed here, beside make check's guests, it once came
# out over that for no fault of drlbd's.
test_thousand() {
	local bin=$1 name=$2 type=$3 port=$4 targets=() i want

	for ((i = 0; i < 1000; i++)); do
		targets+=("127.1.$((i / 250)).$((i % 250 + 1)):$port")
	done
	"$bin" -q -d 4 "$type" interval 1 timeout 0.5 -- "${targets[@]}" >"$W/$name.out" \
		2>"$W/$name.err"
	echo $? >"$W/$name.rc"
	local stats=$(grep ^stats "$W/$name.out")
	echo "# $name: $stats"
	want=" up: connected, 2 of 2"
	[ "$type" = http ] && want=" up: status 200, 2 of 2"
	if [ "$(cat "$W/$name.rc")" = 0 ] && [ "$(count "$name" "$want")" = 1000 ] &&
	   echo "$stats" | grep -qE "failed 0 missed 0 "; then
		pass "thousand_${type}_targets_at_interval_1_all_up_none_missed ($name)"
	else
		fail "thousand_${type}_targets_at_interval_1_all_up_none_missed ($name)" \
			"$W/$name.out" "$W/$name.err"
	fi
}

test_sanitizers() {
	local reports

	reports=$(grep -lE "AddressSanitizer|LeakSanitizer|runtime error:" "$W"/*.err 2>/dev/null)
	[ -z "$reports" ] && pass "no_sanitizer_report_in_any_run" ||
		fail "no_sanitizer_report_in_any_run" $reports
}

# Its own TAP, numbered into ours.
test_engine() {
	local status name

	"$ENGINE_TEST" >"$W/engine-test.out" 2>"$W/engine-test.err"
	echo $? >"$W/engine-test.rc"
	while read -r status name; do
		case $status in
		ok) pass "${name#* - }" ;;
		not) fail "${name#ok * - }" "$W/engine-test.err" ;;
		esac
	done <"$W/engine-test.out"
	[ "$(cat "$W/engine-test.rc")" = 0 ] && has engine-test "^1\.\.[1-9]" &&
		pass "engine_test_ran_to_its_end" || fail "engine_test_ran_to_its_end" "$W/engine-test.err"
}

[ -n "$ENGINE_TEST" ] && test_engine
start_servers
test_checkconf
test_tcp
test_http
test_https
test_dns
test_exec
test_health
test_detection
test_quorum
test_drift
spawn "$PY" "$HERE/servers.py" accept 0.0.0.0 "$P_MANY"
spawn "$PY" "$HERE/servers.py" http-many 0.0.0.0 "$P_MANY_HTTP"
wait_port t "$P_MANY" && wait_port t "$P_MANY_HTTP" || exit 1
test_thousand "$PR" thousand-tcp tcp "$P_MANY"
test_thousand "$PR" thousand-http http "$P_MANY_HTTP"
[ -n "$FAST" ] && test_thousand "$FAST" thousand-http-fast http "$P_MANY_HTTP"
test_sanitizers

echo "1..$T"
echo "# $((T - FAILED)) of $T passed"
((FAILED == 0))
