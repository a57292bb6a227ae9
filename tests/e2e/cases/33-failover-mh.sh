# SPDX-License-Identifier: GPL-2.0
# Failover without state: the connection table is flushed in the middle of
# a long download. Under mh the rest of the stream is placed by Maglev on
# the same backend and the download completes.
run_case()
{
	local h i pid rc=0 size stateless
	lab_up
	for h in rs1 rs2 rs3; do
		mkdir -p "/tmp/www-$h"
		head -c 6000000 /dev/zero > "/tmp/www-$h/big"
	done
	start_http
	drctl service add tcp $VIP:80 sched mh || fail "service add mh"
	for h in rs1 rs2 rs3; do
		drctl backend add tcp $VIP:80 "${ADDR[$h]}" || fail "backend add $h"
	done
	in_ns client curl -s --max-time 150 --limit-rate 200k -o /tmp/big.out \
		-w '%{size_download}' "http://$VIP/big" > /tmp/big.size &
	pid=$!
	# Poll with builtins only: the download must still be running at the flush.
	for ((i = 0; i < 200; i++)); do
		[ -s /tmp/big.out ] && break
		sleep 0.1
	done
	[ -s /tmp/big.out ] || fail "download did not start"
	# From here the stream has no entry: its next ACK takes the stateless path.
	drctl conn flush || fail "conn flush"
	kill -0 $pid 2>/dev/null || fail "the download ended before the flush: nothing tested"
	wait $pid || rc=$?
	expect_eq "curl exit" "$rc" 0
	size=$(cat /tmp/big.size)
	expect_eq "bytes downloaded" "$size" 6000000
	stateless=$(drctl -j config show | json 'd["stats"]["stateless"]')
	(( stateless >= 1 )) || fail "no stateless decision counted ($stateless)"
}
