# SPDX-License-Identifier: GPL-2.0
# e2e-cost: 21
# Packets a hostile or broken client sends to a VIP:
# - a datagram from source port 0 is a flow of its own, not the client's
#   affinity entry (persistence keeps its own key space): after a flush
#   every backend's active count is back at 0, not 2^32-1;
# - spoofed bare ACKs from random sources are placed statelessly (the
#   failover path) but cost no more than a reset connection: they count as
#   neither active nor inactive, so lc sees no load, and their entries are
#   gone once the close timeout has passed;
# - a frame to the VIP with a broadcast or multicast destination MAC is not
#   the director's to balance (PACKET_HOST only).
RAWUDP=$DRLB_TOP/tests/tools/rawudp.py

stat_of() { drctl -j -s config show | json "d[\"stats\"][\"$1\"]"; }
# stat_reaches NAME N: the counter is N or more (a condition for wait_for,
# which expands its arguments once).
stat_reaches() { [ "$(stat_of "$1")" -ge "$2" ]; }
conn_count() { drctl -j config show | json 'd["conn_count"]'; }
# backend_counts SVC: "active/inactive" of each backend of SVC, in order.
backend_counts()
{
	drctl -j service show $1 | json '" ".join("%d/%d" % (b["active"], b["inactive"]) for b in d[0]["backends"])'
}
no_conns() { [ "$(conn_count)" = 0 ]; }

run_case()
{
	local dmac p0 out
	lab_up
	start_echo
	dmac=$(mac_of director)

	# Port 0 and the affinity entry.
	lab_service udp 7 sched rr persist 60
	out=$(udp_echo 1)
	[[ $out == rs[123] ]] || fail "no answer through the persistent service: $out"
	in_ns client /usr/bin/python3 "$RAWUDP" eth0 "$dmac" "${ADDR[client]}" "$VIP" 0 7 ||
		fail "rawudp"
	wait_for 50 stat_reaches packets 2 || fail "the port-0 datagram was not forwarded"
	expect_eq "entries: flow, affinity, port-0 flow" "$(conn_count)" 3
	expect_eq "affinity entry still one" \
		"$(drctl -j conn show | json 'len([c for c in d if c["state"] == "persist"])')" 1
	drctl conn flush || fail "conn flush"
	expect_eq "active/inactive after flush" "$(backend_counts "udp $VIP:7")" "0/0 0/0 0/0"
	drctl service del udp $VIP:7

	# Spoofed ACKs.
	rs_drop_spoofed 1
	drctl config set tcpclose 2 || fail "config set tcpclose 2"
	lab_service tcp 80 sched lc
	in_ns client "$DRLB_TOP/.build/tools/synflood" eth0 "$dmac" "$VIP" 80 3000 172.16 ack \
		> /tmp/ackflood.out 2>&1 || fail "synflood ack: $(cat /tmp/ackflood.out)"
	wait_for 100 stat_reaches stateless 3000 ||
		fail "ACKs placed statelessly: $(stat_of stateless) of 3000"
	expect_eq "spoofed ACKs count as no connection" "$(backend_counts "tcp $VIP:80")" \
		"0/0 0/0 0/0"
	# The close timeout, and a full GC pass (64 slices, 0.1 s each).
	wait_for 150 no_conns || fail "ACK entries left after 15 s: $(conn_count)"
	rs_drop_spoofed 0
	drctl config set tcpclose 10

	# Broadcast and multicast frames to the VIP.
	lab_service udp 9 sched rr
	p0=$(stat_of packets)
	in_ns client /usr/bin/python3 "$RAWUDP" eth0 ff:ff:ff:ff:ff:ff "${ADDR[client]}" "$VIP" \
		4000 9 --count 5 || fail "rawudp broadcast"
	in_ns client /usr/bin/python3 "$RAWUDP" eth0 01:00:5e:00:00:64 "${ADDR[client]}" "$VIP" \
		4001 9 --count 5 || fail "rawudp multicast"
	# A unicast one after them, to know the others had their chance.
	in_ns client /usr/bin/python3 "$RAWUDP" eth0 "$dmac" "${ADDR[client]}" "$VIP" 4002 9 ||
		fail "rawudp unicast"
	wait_for 50 stat_reaches packets $((p0 + 1)) || fail "unicast not forwarded"
	sleep 0.2
	expect_eq "forwarded of 5 broadcast, 5 multicast, 1 unicast" "$(( $(stat_of packets) - p0 ))" 1
}
