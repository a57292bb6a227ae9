# SPDX-License-Identifier: GPL-2.0
# e2e-xdp: yes
# A full connection table does not drop new flows: they go the stateless
# Maglev way, and the counters say so.
run_case()
{
	local full stateless
	lab_up
	start_http
	drctl config set conn-max 2 || fail "config set conn-max 2"
	drctl config set tcpfin 600 || fail "config set tcpfin"
	lab_service tcp 80 sched mh
	out=$(tally 8)
	[[ $out != *none* ]] || fail "requests failed with a full table: $out"
	expect_eq "table bounded" "$(drctl -j config show | json 'd["conn_count"]')" 2
	full=$(drctl -j config show | json 'd["stats"]["drop_table_full"]')
	stateless=$(drctl -j config show | json 'd["stats"]["stateless"]')
	(( full >= 6 )) || fail "table-full events: $full"
	(( stateless >= 6 )) || fail "stateless decisions: $stateless"
}
