# SPDX-License-Identifier: GPL-2.0
# Bad requests are refused with a clear message and change nothing.
run_case()
{
	lab_up
	in_ns director ip route replace 192.0.2.0/24 via 10.0.0.254
	drctl service add tcp $VIP:80 || fail "service add"
	expect_run 1 "already exists" drctl service add tcp $VIP:80
	expect_run 1 "not on-link" drctl backend add tcp $VIP:80 192.0.2.7
	expect_run 1 "no such service" drctl backend add tcp $VIP:81 "${ADDR[rs1]}"
	expect_run 2 "invalid VIP" drctl service add tcp 10.0.0.300:80
	expect_run 2 "weight" drctl backend add tcp $VIP:80 "${ADDR[rs1]}" weight 65536
	expect_run 2 "DR cannot change the port" drctl backend add tcp $VIP:80 "${ADDR[rs1]}:8080"
	expect_run 2 "sched" drctl service add tcp $VIP:81 sched fifo
	expect_eq "services after refusals" "$(drctl -j service show | json 'len(d)')" 1
	expect_eq "backends after refusals" "$(drctl -j service show | json 'len(d[0]["backends"])')" 0
	drctl backend add tcp $VIP:80 "${ADDR[rs1]}" || fail "valid backend refused"
	expect_run 1 "already exists" drctl backend add tcp $VIP:80 "${ADDR[rs1]}"
	drctl service del tcp $VIP:80 || fail "service del"
	expect_run 1 "no such service" drctl service del tcp $VIP:80
}
