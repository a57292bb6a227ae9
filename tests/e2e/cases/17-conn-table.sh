# SPDX-License-Identifier: GPL-2.0
# The connection table shows each client connection with its backend and
# state; conn flush empties it; timeouts follow config set.
run_case()
{
	local n
	lab_up
	start_http
	lab_service tcp 80
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
