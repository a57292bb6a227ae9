# SPDX-License-Identifier: GPL-2.0
# ingress_hook=1 and VLANs: the netdev ingress hook of eth0 runs before the
# VLAN code, so a tagged frame must be left to its VLAN device. Tagged
# frames for the VIP on VLAN 10, which the director has (eth0.10, hooked
# too), are balanced through that device; those on VLAN 20, which it has
# not, are not balanced at all; untagged ones as ever.
RAWUDP=$DRLB_TOP/tests/tools/rawudp.py
drlb_packets() { drctl -j -s config show | json 'd["stats"]["packets"]'; }
# packets_reach N: drlb has forwarded N packets (a condition for wait_for,
# which expands its arguments once).
packets_reach() { [ "$(drlb_packets)" -ge "$1" ]; }

# send_tagged VLAN|none N: N datagrams from the client to the VIP.
send_tagged()
{
	local tag=()
	[ "$1" = none ] || tag=(--vlan "$1")
	in_ns client /usr/bin/python3 "$RAWUDP" eth0 "$(mac_of director)" "${ADDR[client]}" "$VIP" \
		4000 9 --count "$2" "${tag[@]}" || fail "rawudp ${tag[*]}"
}

run_case()
{
	local p0
	lab_up
	rmmod drlb || fail "rmmod drlb"
	"$DRLB_TOP/scripts/load-module" ingress_hook=1 || fail "load with ingress_hook=1"
	in_ns director ip link add link eth0 name eth0.10 type vlan id 10 || fail "eth0.10"
	in_ns director ip link set eth0.10 up
	lab_service udp 9 sched rr

	p0=$(drlb_packets)
	send_tagged none 3
	wait_for 50 packets_reach $((p0 + 3)) || fail "untagged not balanced"
	p0=$(drlb_packets)
	send_tagged 10 4
	wait_for 50 packets_reach $((p0 + 4)) ||
		fail "VLAN 10 (the director's) not balanced: $(( $(drlb_packets) - p0 )) of 4"
	p0=$(drlb_packets)
	send_tagged 20 5
	send_tagged none 1
	wait_for 50 packets_reach $((p0 + 1)) || fail "untagged after VLAN 20 lost"
	sleep 0.2
	expect_eq "taken of 5 on VLAN 20 (no such device) and 1 untagged" \
		"$(( $(drlb_packets) - p0 ))" 1
	in_ns director ip link del eth0.10
}
