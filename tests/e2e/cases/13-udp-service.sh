# SPDX-License-Identifier: GPL-2.0
# e2e-xdp: yes
# e2e-cost: 13
# A UDP service: datagrams from different client ports spread by rr.
run_case()
{
	local i who out=""
	lab_up
	start_echo
	lab_service udp 7 sched rr
	for i in 1 2 3; do
		who=$(in_ns client bash -c "echo hi | socat -t3 -T3 - UDP:$VIP:7,sourceport=$((5000 + i))")
		out="$out $who"
	done
	expect_eq "udp answers" "$(echo $out | tr ' ' '\n' | sort | xargs)" "rs1 rs2 rs3"
	expect_eq "udp conns in table" \
		"$(drctl -j conn show | json 'len([c for c in d if c["protocol"] == "udp"])')" 3
}
