# SPDX-License-Identifier: GPL-2.0
# e2e-xdp: yes
# rr: twelve requests land four on each real server, and the counters agree.
run_case()
{
	local h
	lab_up
	start_http
	lab_service tcp 80 sched rr
	expect_eq "rr shares" "$(tally 12)" "rs1=4 rs2=4 rs3=4"
	for h in rs1 rs2 rs3; do
		expect_eq "conns counted for $h" \
			"$(drctl -j -s service show | json "[b['stats']['conns'] for b in d[0]['backends'] if b['address'] == '${ADDR[$h]}'][0]")" 4
	done
}
