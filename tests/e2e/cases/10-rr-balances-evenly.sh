# SPDX-License-Identifier: GPL-2.0
# e2e-xdp: yes
# rr: twelve requests land four on each real server, and the counters agree.
run_case()
{
	lab_up
	start_http
	lab_service tcp 80 sched rr
	expect_eq "rr shares" "$(tally 12)" "rs1=4 rs2=4 rs3=4"
	expect_eq "conns counted for rs1 rs2 rs3" "$(drctl -j -s service show |
		json "' '.join(str(b['stats']['conns']) for b in d[0]['backends'])")" "4 4 4"
}
