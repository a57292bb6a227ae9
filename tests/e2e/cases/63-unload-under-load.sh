# SPDX-License-Identifier: GPL-2.0
# e2e-kernels: stock debug
# e2e-cost: 27
# Unload under load, three times (twice under KASAN): rmmod while spoofed SYNs flood a service
# (tests/tools/synflood), reload; rmmod while a drctl batch churns the
# configuration, reload. rmmod succeeds each time, the flood and the batch
# notice nothing worse than the family going away, and the reloaded module
# forwards again. On the debug kernel: no splat, no leak.
ROUNDS=3
[ "${DRLB_VM_KERNEL:-}" != debug ] || ROUNDS=2

flooding() { (( $(tcp_conns director) > 100 )); }

run_case()
{
	local round pid i h got
	lab_up
	start_http
	rs_drop_spoofed 1
	for ((i = 0; i < 500; i++)); do
		echo "service add udp $VIP:5000 mh-size 251"
		echo "backend add udp $VIP:5000 ${ADDR[rs2]}"
		echo "service set tcp $VIP:80 sched mh"
		echo "service set tcp $VIP:80 sched rr"
		echo "service del udp $VIP:5000"
	done > /tmp/unload.batch
	for ((round = 1; round <= ROUNDS; round++)); do
		lab_service tcp 80 mh-size 1021
		in_ns client "$DRLB_TOP/.build/tools/synflood" eth0 "$(mac_of director)" "$VIP" 80 \
			100000000 > /dev/null 2>&1 &
		pid=$!
		wait_for 100 flooding || fail "round $round: the flood did not start"
		rmmod drlb || fail "round $round: rmmod under a flood failed"
		kill $pid
		wait $pid 2>/dev/null
		"$DRLB_TOP/scripts/load-module" || fail "round $round: reload after the flood failed"

		lab_service tcp 80 mh-size 1021
		drctl -b /tmp/unload.batch > /dev/null 2>&1 &
		pid=$!
		sleep 0.5
		rmmod drlb || fail "round $round: rmmod under churn failed"
		wait $pid 2>/dev/null
		"$DRLB_TOP/scripts/load-module" || fail "round $round: reload after the churn failed"
	done
	lab_service tcp 80
	got=$(tally 3)
	[[ $got == *none=* ]] && fail "the reloaded module does not forward: $got"
	rs_drop_spoofed 0
	return 0
}
