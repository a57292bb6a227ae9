# SPDX-License-Identifier: GPL-2.0
# e2e-xdp: yes
# e2e-cost: 13
# A UDP service: datagrams from different client ports spread by rr.
run_case()
{
	lab_up
	start_echo
	lab_service udp 7 sched rr
	expect_eq "udp answers" "$(udp_echo 3 | sort | xargs)" "rs1 rs2 rs3"
	expect_eq "udp conns in table" \
		"$(drctl -j conn show | json 'len([c for c in d if c["protocol"] == "udp"])')" 3
}
