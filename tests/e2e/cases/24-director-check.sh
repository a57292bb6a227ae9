# SPDX-License-Identifier: GPL-2.0
# e2e-lab: fresh
# e2e-kernels: stock
# director check: passes in the lab, reports ip_forward, fails on a backend
# that is no longer on-link, warns about a VIP that is not local; in a fleet
# (config set fleet on), warns about a scheduler other than mh and names the
# table digest to compare with the other directors.
run_case()
{
	local out rc h digest
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

	# A fleet: rr places new flows unlike the other directors; mh does not.
	drctl config set fleet on || fail "config set fleet on"
	[[ $(drctl config show) == *"Fleet       on: one director of several"* ]] ||
		fail "config show does not say fleet on"
	expect_run 2 "invalid fleet 'maybe' (on: one director of several" drctl config set fleet maybe
	out=$(drctl director check) || fail "director check in a fleet fails: $out"
	[[ $out == *"warning: tcp $VIP:80: scheduler rr in a fleet: flows that move to another director mid-stream go where Maglev places them"* ]] ||
		fail "no warning about rr in a fleet: $out"
	digest=$(drctl -j service show | json 'd[0]["digest"]')
	[[ $digest =~ ^[0-9a-f]{8}$ ]] || fail "digest '$digest'"
	[[ $out == *"tcp $VIP:80: table digest $digest: the same on every director"* ]] ||
		fail "the digest $digest is not in director check: $out"
	drctl service set tcp $VIP:80 sched mh || fail "service set sched mh"
	out=$(drctl director check) || fail "director check in a fleet fails: $out"
	[[ $out != *"in a fleet: flows"* ]] || fail "still a warning with mh: $out"
	drctl config set fleet off || fail "config set fleet off"
	[[ $(drctl director check) != *"table digest"* ]] || fail "fleet checks with fleet off"

	drctl flush
	expect_eq "director check without services" "$(drctl director check | head -1)" \
		"no services configured"
}
