# SPDX-License-Identifier: GPL-2.0
# e2e-xdp: yes
# A UDP datagram larger than the MTU (4000 bytes: the client sends it in
# fragments) reaches its backend whole, on the same backend as the flow's
# small datagrams, over IPv4 and IPv6: the director reassembles it, and
# fragments it again for the segment to the backend instead of dropping it.
run_case()
{
	local h got vip pids=()
	lab_up
	for h in rs1 rs2 rs3; do
		in_ns "$h" python3 "$DRLB_TOP/tests/e2e/udp-sizes.py" serve "$h" 5353 "$VIP" "$VIP6" &
		pids+=($!)
	done
	for h in rs1 rs2 rs3; do
		wait_for 300 listening "$h" udp 5353 || fail "UDP server on $h did not start"
	done
	lab_service udp 5353
	lab_service6 udp 5353
	for vip in "$VIP" "$VIP6"; do
		got=$(in_ns client python3 "$DRLB_TOP/tests/e2e/udp-sizes.py" send "$vip" 5353 \
			100 4000 100 | xargs)
		[[ $got =~ ^(rs[123])\ 100\ (rs[123])\ 4000\ (rs[123])\ 100$ ]] ||
			fail "$vip: answers '$got', want 'rsN 100 rsN 4000 rsN 100'"
		[ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ] &&
			[ "${BASH_REMATCH[2]}" = "${BASH_REMATCH[3]}" ] ||
			fail "$vip: one flow answered by several backends: '$got'"
	done
	expect_eq "dropped as too big" "$(drctl -j -s config show | json 'd["stats"]["drop_too_big"]')" 0
	kill "${pids[@]}"
	wait "${pids[@]}" 2>/dev/null
	return 0
}
