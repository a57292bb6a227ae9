# SPDX-License-Identifier: GPL-2.0
# e2e-kernels: stock
# save, flush, restore: save prints the very same file again.
run_case()
{
	local f=/tmp/drlb-saved.conf h
	lab_up
	drctl save | grep '^config set' > /tmp/drlb-config0
	drctl config set tcp 600 tcpfin 60 udp 45 conn-max 5000 || fail "config set"
	drctl config set seed 00112233445566778899aabbccddeeff fleet on || fail "config set seed, fleet"
	drctl service add tcp $VIP:80 sched rr persist 30 || fail "service add tcp"
	drctl service add udp $VIP:53 sched wrr persist 0 || fail "service add udp"
	for h in rs1 rs2 rs3; do
		drctl backend add tcp $VIP:80 "${ADDR[$h]}" || fail "backend add tcp $h"
	done
	drctl backend add udp $VIP:53 "${ADDR[rs1]}" weight 5 || fail "backend add udp rs1"
	drctl backend add udp $VIP:53 "${ADDR[rs3]}" weight 0 || fail "backend add udp rs3"
	drctl save > $f || fail "save"
	grep -q "^config set tcp 600 tcpfin 60 .*udp 45 conn-max 5000 service-max 4096 backend-max 4096 seed 00112233445566778899aabbccddeeff fleet on$" $f ||
		fail "save has no config set line: $(cat $f)"
	grep -q "^service add tcp $VIP:80 sched rr persist 30$" $f ||
		fail "save lost the tcp service: $(cat $f)"
	grep -q "^backend add udp $VIP:53 ${ADDR[rs1]} weight 5$" $f ||
		fail "save lost the udp weight: $(cat $f)"
	expect_eq "saved lines" "$(wc -l < $f)" 8

	drctl flush || fail "flush"
	# The site seed and fleet membership come back with the file, as another
	# director would get them.
	drctl config set seed 00000000000000000000000000000000 fleet off ||
		fail "config set seed 0, fleet off"
	expect_eq "services after flush" "$(drctl -j service show | json 'len(d)')" 0
	expect_eq "save after flush" "$(drctl save | grep -vc '^config set')" 0

	drctl restore < $f || fail "restore"
	drctl save | diff -u $f - >&2 || fail "save after restore differs from the saved file"
	expect_eq "udp weights after restore" \
		"$(drctl -j service show udp $VIP:53 | json '[b["weight"] for b in d[0]["backends"]]')" \
		"[5, 0]"
	expect_eq "seed after restore" "$(drctl -j config show | json 'd["seed"]')" \
		00112233445566778899aabbccddeeff
	expect_eq "fleet after restore" "$(drctl -j config show | json 'd["fleet"]')" True
	drctl -b /tmp/drlb-config0 || fail "config not put back"
	drctl config set fleet off || fail "fleet not put back"
}
