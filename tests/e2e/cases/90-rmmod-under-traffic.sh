# SPDX-License-Identifier: GPL-2.0
# rmmod while requests flow and connections are tracked: no splat (vm-run
# scans the kernel log), no leak, and the module comes back.
# tracking: the director's table holds at least three connections
# (/proc/net/drlb's "connections N/MAX", read by bash).
tracking()
{
	local word count _
	read -r _ _ word count _ < <(in_ns director cat /proc/net/drlb)
	[ "$word" = connections ] && (( ${count%/*} >= 3 ))
}

run_case()
{
	local loop
	lab_up
	start_http
	lab_service tcp 80
	# A steady load: a request every 0.2 s or so, until killed.
	in_ns client "$HTTPASK" -r -p 200 -t 1 "http://$VIP/" > /dev/null 2>&1 &
	loop=$!
	wait_for 100 tracking || fail "traffic did not start"
	rmmod drlb || fail "rmmod under traffic failed"
	sleep 1
	"$DRLB_TOP/scripts/load-module" || fail "reload failed"
	kill $loop
	wait $loop 2>/dev/null
	expect_eq "config after reload" "$(drctl -j service show | json 'len(d)')" 0
}
