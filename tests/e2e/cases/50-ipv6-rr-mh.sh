# SPDX-License-Identifier: GPL-2.0
# e2e-xdp: yes
# e2e-cost: 15
# IPv6 DR: only the director answers neighbour solicitations for the VIP
# (the real servers hold it on lo; once one holds it on eth0 too, it answers
# and realserver check says so); HTTP over IPv6 reaches three backends with rr,
# 4/4/4, replies bypassing the director; with mh each client address keeps
# its backend.

# na_sources: the source MACs of neighbour advertisements for VIP6 the
# client received while tcpdump ran, as host names.
na_sources()
{
	local mac
	for mac in $(awk '/tgt is '"$VIP6"'/ {print $2}' /tmp/na.txt | sort -u); do
		host_of_mac "$mac"
	done | xargs
}

# who_answers_ns [N]: flush the client's entry for VIP6, resolve it again;
# with N, wait (2 s) for N answers: the ping goes on at the first, and a
# later one may come after half a second on a busy machine.
who_answers_ns()
{
	capture_start /tmp/na.txt "icmp6 and ip6[40] == 136"
	in_ns client ip -6 neigh flush dev eth0
	in_ns client ping -6 -c1 -W2 "$VIP6" > /dev/null || fail "VIP6 does not answer ping"
	capture_stop ${1:-}
	na_sources
}

# director_saw_all: the client's packets to the VIP have all arrived.
director_saw_all()
{
	[ "$(pkt_count client egress ipv6 "${TO_VIP6[@]}")" = \
	  "$(pkt_count director ingress ipv6 "${TO_VIP6[@]}")" ]
}

run_case()
{
	local src who drx ctx out i
	local -A seen=()
	TO_VIP6=(src_ip "${ADDR6[client]}" dst_ip "$VIP6")
	lab_up
	start_http
	expect_eq "NA for the VIP from" "$(who_answers_ns)" director
	expect_run 0 "" "$DRCTL" -N rs1 realserver check "$VIP6"
	# The protection is Linux's: the VIP on eth0 as well is answered for.
	ip -n rs1 addr add "$VIP6/128" dev eth0 nodad
	expect_run 1 "" "$DRCTL" -N rs1 realserver check "$VIP6"
	out=$("$DRCTL" -N rs1 realserver check "$VIP6")
	[[ $out == *"$VIP6 is also an address of eth0, which answers neighbour solicitations"* ]] ||
		fail "check does not name eth0: $out"
	[[ " $(who_answers_ns 2) " == *" rs1 "* ]] || fail "rs1 with the VIP on eth0 did not answer NS"
	ip -n rs1 addr del "$VIP6/128" dev eth0

	lab_service6 tcp 80 sched rr
	tally 1 "[$VIP6]" > /dev/null	# resolve neighbours everywhere first
	# The client's packets to the VIP, and TCP from the director to the
	# client (neighbour discovery is its own business).
	pkt_count_start client egress ipv6 "${TO_VIP6[@]}"
	pkt_count_start director ingress ipv6 "${TO_VIP6[@]}"
	pkt_count_start director egress ipv6 dst_ip "${ADDR6[client]}" ip_proto tcp
	expect_eq "rr shares over IPv6" "$(tally 12 "[$VIP6]")" "rs1=4 rs2=4 rs3=4"
	wait_for 20 director_saw_all
	ctx=$(pkt_count client egress ipv6 "${TO_VIP6[@]}")
	drx=$(pkt_count director ingress ipv6 "${TO_VIP6[@]}")
	(( ctx >= 12 * 4 )) || fail "client sent only $ctx packets to the VIP"
	expect_eq "client's packets to the VIP the director received" "$drx" "$ctx"
	expect_eq "TCP packets the director sent to the client" \
		"$(pkt_count director egress ipv6 dst_ip "${ADDR6[client]}" ip_proto tcp)" 0
	pkt_count_stop client
	pkt_count_stop director
	expect_eq "service as shown" "$(drctl -j service show | json 'd[0]["vip"]')" "$VIP6"
	drctl conn show | grep -q "\[${ADDR6[client]}\]" || fail "no IPv6 connection listed"

	# mh: the backend follows the client's address.
	drctl service set tcp "[$VIP6]:80" sched mh || fail "service set sched mh"
	for i in 1 2 3 4 5 6 7 8; do
		echo "addr add fd00::2$i/64 dev eth0 nodad"
	done | ip -n client -batch -
	for i in 1 2 3 4 5 6 7 8; do
		src=fd00::2$i
		mapfile -t who < <(in_ns client "$HTTPASK" -i "$src" "http://[$VIP6]/" "http://[$VIP6]/")
		if [[ ${#who[@]} = 2 && ${who[0]} == rs[123] && ${who[1]} = "${who[0]}" ]]; then
			seen[${who[0]}]=1
		else
			fail "mh: $src answered by '${who[*]}', want one backend twice"
		fi
	done
	(( ${#seen[@]} >= 2 )) || fail "mh sent eight client addresses to one backend"
	for i in 1 2 3 4 5 6 7 8; do
		echo "addr del fd00::2$i/64 dev eth0"
	done | ip -n client -batch -
}
