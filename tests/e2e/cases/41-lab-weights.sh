# SPDX-License-Identifier: GPL-2.0
# e2e-kernels: stock
# make lab SCENARIO=weights: wrr 3:2:1 answers 6:4:2, then 1:1:1 set live 2:2:2.
run_case()
{
	local out
	out=$(lab_scenario weights)
	expect_eq "shares" "$(grep '^  answered:' <<< "$out" | xargs)" \
		"answered: rs1=6 rs2=4 rs3=2 answered: rs1=2 rs2=2 rs3=2"
	expect_eq "weights shown" "$(awk '/^  -> 10\.0\.0\.1[123] / {print $3}' <<< "$out" | xargs)" "1 1 1"
}
