# SPDX-License-Identifier: GPL-2.0
# DR: the director receives only the client's packets; replies go straight
# from the real servers to the client, with the VIP as their source. Counted
# as IPv4 packets between the client and the VIP at both ends (device totals
# would also count ARP and the kernels' own timers).

# rs_replies: the packets the real servers sent from the VIP to the client.
rs_replies()
{
	local h n=0
	for h in rs1 rs2 rs3; do
		n=$(( n + $(pkt_count $h egress ip src_ip "$VIP" dst_ip "${ADDR[client]}") ))
	done
	echo $n
}

# all_arrived: what the client and the real servers sent has arrived (and
# the counts are in BYPASS_CLIENT, BYPASS_DIRECTOR and RS_REPLIES).
all_arrived()
{
	bypass_settled && RS_REPLIES=$(rs_replies) && [ "${BYPASS_CLIENT#* }" = "$RS_REPLIES" ]
}

run_case()
{
	local h macs ctx crx drx dfwd dtoc
	RS_REPLIES=none
	lab_up
	start_http
	lab_service tcp 80
	get > /dev/null	# resolve ARP everywhere first
	# IPv4 only: the director answers ARP for the VIP, as it should.
	capture_start /tmp/replies.txt "ip and src host $VIP"
	bypass_count_start client
	bypass_count_start director
	for h in rs1 rs2 rs3; do
		pkt_count_start $h egress ip src_ip "$VIP" dst_ip "${ADDR[client]}"
	done
	expect_eq "answers" "$(tally 12)" "rs1=4 rs2=4 rs3=4"
	wait_for 20 all_arrived
	read -r ctx crx <<< "$BYPASS_CLIENT"
	read -r drx dfwd dtoc <<< "$BYPASS_DIRECTOR"
	(( ctx >= 12 * 4 )) || fail "client sent only $ctx packets to the VIP"
	(( crx >= 12 * 3 )) || fail "client received only $crx packets from the VIP"
	# Every client packet reaches the director and is forwarded; the
	# director sends the client nothing: the replies come from the real
	# servers.
	expect_eq "client's packets to the VIP the director received" "$drx" "$ctx"
	expect_eq "client's packets to the VIP the director forwarded" "$dfwd" "$ctx"
	expect_eq "packets the director sent to the client" "$dtoc" 0
	expect_eq "replies the real servers sent, the client received" "$RS_REPLIES" "$crx"
	capture_stop "$crx"
	# The replies' source MACs: real servers', never the director's.
	macs=$(awk '{print $2}' /tmp/replies.txt | sort -u | xargs)
	expect_eq "reply source MACs" "$macs" \
		"$(for h in rs1 rs2 rs3; do mac_of $h; done | sort -u | xargs)"
	expect_eq "director packets counted" \
		"$(drctl -j config show | json 'd["stats"]["packets"] >= 48')" True
	for h in client director rs1 rs2 rs3; do
		pkt_count_stop $h
	done
}
