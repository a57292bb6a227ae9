# SPDX-License-Identifier: GPL-2.0
# e2e-kernels: stock debug
# A director namespace deleted under traffic: director2 holds a second VIP
# with a service and tracked connections while spoofed SYNs flow to it; its
# namespace is deleted in the middle. The module then still serves the
# first director and unloads cleanly. On the debug kernel: no splat, and
# kmemleak finds nothing of the deleted namespace.
VIP2=10.0.0.101

# flooding: director2's service has scheduled connections (/proc/net/drlb).
flooding() { (( $(tcp_conns director2) > 100 )); }

run_case()
{
	local pid h got
	lab_up
	start_http
	lab_add_host director2
	ip -n director2 addr add $VIP2/32 dev eth0
	"$DRCTL" -N director2 service add tcp $VIP2:80 || fail "service add on director2"
	for h in rs1 rs2 rs3; do
		"$DRCTL" -N director2 backend add tcp $VIP2:80 "${ADDR[$h]}" ||
			fail "backend add $h on director2"
	done
	rs_drop_spoofed 1
	"$DRCTL" -N director2 service add udp $VIP2:53 sched mh || fail "udp service"
	"$DRCTL" -N director2 backend add udp $VIP2:53 "${ADDR[rs1]}" || fail "udp backend"
	in_ns client "$DRLB_TOP/.build/tools/synflood" eth0 "$(mac_of director2)" $VIP2 80 \
		100000000 > /dev/null 2>&1 &
	pid=$!
	wait_for 100 flooding || fail "the flood did not reach director2"
	ip netns del director2 || fail "netns del director2"
	sleep 1
	kill $pid
	wait $pid 2>/dev/null
	ip link del br-director2 2>/dev/null
	lab_service tcp 80
	got=$(tally 3)
	[[ $got == *none=* ]] && fail "the first director does not forward: $got"
	rs_drop_spoofed 0
	rmmod drlb || fail "rmmod after the namespace teardown failed"
}
