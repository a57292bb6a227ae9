# SPDX-License-Identifier: GPL-2.0
# rmmod while requests flow and connections are tracked: no splat (vm-run
# scans the kernel log), no leak, and the module comes back.
run_case()
{
	local h loop
	lab_up
	start_http
	drctl service add tcp $VIP:80 || fail "service add"
	for h in rs1 rs2 rs3; do
		drctl backend add tcp $VIP:80 "${ADDR[$h]}" || fail "backend add $h"
	done
	in_ns client bash -c "while :; do curl -s --max-time 1 http://$VIP/ > /dev/null; done" &
	loop=$!
	wait_for 100 bash -c "[ \$(ip netns exec director $DRCTL -j config show | python3 -c 'import json,sys; print(json.load(sys.stdin)[\"conn_count\"])') -ge 3 ]" ||
		fail "traffic did not start"
	rmmod drlb || fail "rmmod under traffic failed"
	sleep 1
	"$DRLB_TOP/scripts/load-module" || fail "reload failed"
	kill $loop
	wait $loop 2>/dev/null
	expect_eq "config after reload" "$(drctl -j service show | json 'len(d)')" 0
}
