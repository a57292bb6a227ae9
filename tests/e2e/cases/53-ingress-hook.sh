# SPDX-License-Identifier: GPL-2.0
# e2e-cost: 17
# ingress_hook=1: drlb takes service packets at each device's netdev
# ingress, before IP input. The director's IP input never sees them (its
# IpInReceives stays put while drlb's packet counter moves, where the
# default PRE_ROUTING mode counts every one), rr still shares 4/4/4 over
# IPv4 and IPv6, a 4000-byte UDP datagram (fragments: reassembled at
# PRE_ROUTING, as before) still reaches its backend, a device added after
# the first service is hooked too (a second link from the client straight
# into the director: its packets skip IP input as well), devices and a
# namespace with hooks go away cleanly, and after rmmod the director still
# takes packets (a hook left behind would run freed code).

# in_receives H: IPv4 and IPv6 packets H's IP input took in.
in_receives()
{
	in_ns "$1" awk '$1 == "Ip:" && $4 ~ /^[0-9]+$/ {n += $4}
		$1 == "Ip6InReceives" {n += $2} END {print n}' /proc/net/snmp /proc/net/snmp6
}
# drlb_packets: what drlb forwarded, and how many of those its ingress hook took.
drlb_packets()
{
	drctl -j -s config show |
		json '"%d %d" % (d["stats"]["packets"], d["stats"]["hook_ingress"])'
}

# ip_input_skipped WHAT N [HOST]: N requests to the VIP (or HOST) from the
# client; drlb forwards their packets and the director's IP input sees
# none of them.
ip_input_skipped()
{
	local ip0 p0 ip1 p1 h0 h1
	ip0=$(in_receives director)
	read -r p0 h0 <<< "$(drlb_packets)"
	expect_eq "$1: rr shares" "$(tally "$2" ${3:+"$3"})" \
		"rs1=$(($2 / 3)) rs2=$(($2 / 3)) rs3=$(($2 / 3))"
	ip1=$(in_receives director)
	read -r p1 h1 <<< "$(drlb_packets)"
	expect_eq "$1: packets drlb_hook_packets_total{hook=\"ingress\"} counted" \
		$((h1 - h0)) $((p1 - p0))
	(( p1 - p0 >= 6 * $2 )) || fail "$1: drlb forwarded $((p1 - p0)) packets, want >= $((6 * $2))"
	# Neighbour discovery and the like still reach IP input: a few.
	(( (ip1 - ip0) * 4 <= p1 - p0 )) ||
		fail "$1: IP input took $((ip1 - ip0)) packets of drlb's $((p1 - p0))"
}

run_case()
{
	local ip0 p0 ip1 p1 h0 h1 h got pid=""
	lab_up
	start_http
	# The default mode first: IP input sees every packet drlb forwards.
	lab_service tcp 80 sched rr
	tally 1 > /dev/null
	ip0=$(in_receives director)
	read -r p0 h0 <<< "$(drlb_packets)"
	expect_eq "rr shares, PRE_ROUTING" "$(tally 6)" "rs1=2 rs2=2 rs3=2"
	ip1=$(in_receives director)
	read -r p1 h1 <<< "$(drlb_packets)"
	expect_eq "PRE_ROUTING: packets the ingress hook counted" $((h1 - h0)) 0
	(( p1 - p0 >= 36 )) || fail "PRE_ROUTING: drlb forwarded $((p1 - p0)) packets, want >= 36"
	(( ip1 - ip0 >= p1 - p0 )) ||
		fail "PRE_ROUTING: IP input took $((ip1 - ip0)) packets, drlb forwarded $((p1 - p0))"

	rmmod drlb || fail "rmmod drlb"
	"$DRLB_TOP/scripts/load-module" ingress_hook=1 || fail "load with ingress_hook=1"
	expect_eq "parameter" "$(cat /sys/module/drlb/parameters/ingress_hook)" Y
	lab_service tcp 80 sched rr
	lab_service6 tcp 80 sched rr
	tally 1 > /dev/null
	tally 1 "[$VIP6]" > /dev/null
	ip_input_skipped "ingress" 12
	ip_input_skipped "ingress, IPv6" 12 "[$VIP6]"

	# Fragments go on to defrag and PRE_ROUTING.
	for h in rs1 rs2 rs3; do
		in_ns "$h" python3 "$DRLB_TOP/tests/e2e/udp-sizes.py" serve "$h" 5353 "$VIP" "$VIP6" &
		pid+=" $!"
	done
	for h in rs1 rs2 rs3; do
		wait_for 300 listening "$h" udp 5353 || fail "UDP server on $h did not start"
	done
	lab_service udp 5353
	got=$(in_ns client python3 "$DRLB_TOP/tests/e2e/udp-sizes.py" send "$VIP" 5353 100 4000 | xargs)
	[[ $got =~ ^rs[123]\ 100\ rs[123]\ 4000$ ]] ||
		fail "UDP 100 and 4000 bytes: answers '$got', want 'rsN 100 rsN 4000'"
	# shellcheck disable=SC2086
	kill $pid
	wait $pid 2>/dev/null

	# A device registered now: the client reaches the VIP over a link of
	# its own into the director (from its usual address: the real servers
	# answer on the bridge).
	ip link add eth1 netns client type veth peer name eth1 netns director
	ip -n director addr add 10.77.0.1/24 dev eth1
	ip -n director link set eth1 up
	ip -n client addr add 10.77.0.2/24 dev eth1
	ip -n client link set eth1 up
	ip -n client route add "$VIP/32" via 10.77.0.1 dev eth1 src "${ADDR[client]}"
	tally 3 > /dev/null
	ip0=$(netdev_stat director rx_packets eth1)
	ip_input_skipped "new device" 6
	ip1=$(netdev_stat director rx_packets eth1)
	(( ip1 - ip0 >= 36 )) || fail "the new link took $((ip1 - ip0)) packets of 6 requests"
	ip -n client route del "$VIP/32"
	ip -n director link del eth1
	# A namespace gets its hooks with its first service, and loses them
	# with its devices when it goes.
	ip netns add drlbtmp
	ip -n drlbtmp link add veth0 type veth peer name veth1
	ip netns exec drlbtmp "$DRCTL" service add udp 10.9.9.9:53 > /dev/null ||
		fail "service add in a new namespace"
	ip -n drlbtmp link add veth2 type veth peer name veth3
	ip netns del drlbtmp
	ip_input_skipped "after deleting a device" 6

	rmmod drlb || fail "rmmod with ingress hooks"
	in_ns client ping -c 2 -i 0.2 -W 1 "${ADDR[director]}" > /dev/null ||
		fail "the director does not answer ping after rmmod"
	return 0
}
