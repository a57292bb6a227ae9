# SPDX-License-Identifier: GPL-2.0
# e2e-lab: fresh
# e2e-kernels: stock
# director check: passes in the lab, reports ip_forward, fails on a backend
# that is no longer on-link, warns about a VIP that is not local.
run_case()
{
	local out rc h
	lab_up
	lab_service tcp 80
	in_ns director sysctl -qw net.ipv4.ip_forward=0
	in_ns director ping -c1 -W2 "${ADDR[rs1]}" > /dev/null || fail "director cannot ping rs1"

	rc=0
	out=$(drctl director check) || rc=$?
	expect_eq "director check in the lab exits" $rc 0
	[[ $out == *"tcp $VIP:80: VIP configured on eth0"* ]] || fail "VIP not reported: $out"
	for h in rs1 rs2 rs3; do
		[[ $out == *"-> ${ADDR[$h]}: on-link via eth0"* ]] || fail "$h not on-link: $out"
	done
	grep -q -- "-> ${ADDR[rs1]}: .*(resolvable)" <<< "$out" ||
		fail "rs1 answered ping yet is not resolvable: $out"
	[[ $out == *"net.ipv4.ip_forward = 0"* ]] || fail "ip_forward not reported: $out"
	in_ns director sysctl -qw net.ipv4.ip_forward=1
	[[ $(drctl director check) == *"net.ipv4.ip_forward = 1"* ]] ||
		fail "ip_forward=1 not reported"

	# rs2 now reached through a gateway: DR cannot reach it.
	in_ns director ip route add "${ADDR[rs2]}/32" via "${ADDR[rs3]}"
	rc=0
	out=$(drctl director check) || rc=$?
	expect_eq "director check with rs2 behind a gateway exits" $rc 1
	[[ $out == *"-> ${ADDR[rs2]}: not on-link (reached via gateway ${ADDR[rs3]})"* ]] ||
		fail "rs2 not reported as not on-link: $out"
	[[ $out == *"-> ${ADDR[rs1]}: on-link"* ]] || fail "rs1 no longer on-link: $out"
	in_ns director ip route del "${ADDR[rs2]}/32"
	drctl director check > /dev/null || fail "check still fails after the route is gone"

	# The VIP removed from the director: a warning, not a failure.
	in_ns director ip addr del "$VIP/32" dev eth0
	rc=0
	out=$(drctl director check) || rc=$?
	expect_eq "director check without a local VIP exits" $rc 0
	[[ $out == *"warning: tcp $VIP:80: VIP $VIP is on no local interface"* ]] ||
		fail "no warning about the VIP: $out"

	drctl flush
	expect_eq "director check without services" "$(drctl director check | head -1)" \
		"no services configured"
}
