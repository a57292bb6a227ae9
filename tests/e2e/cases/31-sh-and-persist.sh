# SPDX-License-Identifier: GPL-2.0
# sh and persistence both keep one client on one backend; persistence shows
# its affinity entry in the connection table and works in front of rr.
run_case()
{
	local out
	lab_up
	start_http
	lab_service tcp 80 sched sh
	out=$(tally 9)
	[[ $out =~ (^|\ )rs[123]=9( |$) ]] || fail "sh spread one client: $out"

	drctl service set tcp $VIP:80 sched rr persist 60 || fail "service set rr persist 60"
	out=$(tally 9)
	[[ $out =~ (^|\ )rs[123]=9( |$) ]] || fail "persist 60 over rr spread one client: $out"
	expect_eq "affinity entries" \
		"$(drctl -j conn show | json 'len([c for c in d if c["state"] == "persist" and c["cport"] == 0])')" 1
	drctl service set tcp $VIP:80 persist 0 || fail "service set persist 0"
	drctl conn flush || fail "conn flush"
	expect_eq "rr again without persistence" "$(tally 6)" "rs1=2 rs2=2 rs3=2"
}
