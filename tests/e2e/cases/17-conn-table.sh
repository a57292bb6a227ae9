# SPDX-License-Identifier: GPL-2.0
# e2e-xdp: yes
# The connection table shows each client connection with its backend and
# state; conn flush empties it; timeouts follow config set. Raising
# conn-max past what the buckets were sized for moves the table into a
# bigger one, and an open session keeps its backend through it.
buckets() { in_ns director sed -n '1s/.* buckets //p' /proc/net/drlb; }

run_case()
{
	local n who
	lab_up
	start_http
	start_echo
	# Before the first service, which makes the table.
	drctl config set conn-max 4096 || fail "config set conn-max 4096"
	lab_service tcp 80
	lab_service tcp 7 sched rr
	session_open 1
	who=${SESSION_WHO[1]}
	expect_eq "buckets for conn-max 4096" "$(buckets)" 2048
	drctl config set conn-max 1000000 || fail "config set conn-max 1000000"
	expect_eq "buckets for conn-max 1000000" "$(buckets)" 524288
	expect_eq "session after the resize" "$(session_say 1 resized)" resized
	expect_eq "the session's backend" \
		"$(drctl -j conn show | json '[c["backend"] for c in d if c["vport"] == 7][0]')" \
		"${ADDR[$who]}"
	drctl config set conn-max 4096 || fail "config set conn-max 4096 again"
	expect_eq "buckets after lowering conn-max" "$(buckets)" 524288
	session_close 1
	drctl conn flush || fail "conn flush"
	tally 3 > /dev/null
	n=$(drctl -j conn show | json 'len(d)')
	expect_eq "connections listed" "$n" 3
	expect_eq "backends of the connections" \
		"$(drctl -j conn show | json '" ".join(sorted(c["backend"] for c in d))')" \
		"10.0.0.11 10.0.0.12 10.0.0.13"
	expect_eq "conn_count" "$(drctl -j config show | json 'd["conn_count"]')" 3
	drctl config set tcpfin 30 udp 60 || fail "config set"
	expect_eq "tcpfin after set" "$(drctl -j config show | json 'd["tcpfin"]')" 30
	expect_eq "udp after set" "$(drctl -j config show | json 'd["udp"]')" 60
	drctl conn flush || fail "conn flush"
	expect_eq "connections after flush" "$(drctl -j conn show | json 'len(d)')" 0
	expect_eq "service survives flush" "$(tally 3)" "rs1=1 rs2=1 rs3=1"
}
