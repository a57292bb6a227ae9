# SPDX-License-Identifier: GPL-2.0
# e2e-lab: fresh
# e2e-kernels: stock
# make lab SCENARIO=arp: with default ARP settings every real server answers
# for the VIP; after drctl realserver setup only the director does.
run_case()
{
	local out
	out=$(lab_scenario arp)
	expect_eq "who answers ARP" "$(sed -n 's/^  reply from \([a-z0-9]*\) .*/\1/p' <<< "$out" | xargs)" \
		"director rs1 rs2 rs3 director"
	grep -q "arp_ignore is 0" <<< "$out" || fail "realserver check did not name arp_ignore"
}
