# SPDX-License-Identifier: GPL-2.0
# e2e-xdp: yes
# wrr 3:1:0: nine, three and none of twelve requests.
run_case()
{
	lab_up
	start_http
	drctl service add tcp $VIP:80 sched wrr || fail "service add"
	drctl backend add tcp $VIP:80 "${ADDR[rs1]}" weight 3 || fail "backend add rs1"
	drctl backend add tcp $VIP:80 "${ADDR[rs2]}" weight 1 || fail "backend add rs2"
	drctl backend add tcp $VIP:80 "${ADDR[rs3]}" weight 0 || fail "backend add rs3"
	expect_eq "wrr 3:1:0 shares" "$(tally 12)" "rs1=9 rs2=3 rs3=0"
}
