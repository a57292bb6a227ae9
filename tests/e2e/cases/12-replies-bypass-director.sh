# SPDX-License-Identifier: GPL-2.0
# DR: the director receives only the client's packets; replies go straight
# from the real servers to the client, with the VIP as their source.
run_case()
{
	local h macs drx0 ctx0 crx0 drx ctx crx rstx=0
	lab_up
	start_http
	lab_service tcp 80
	get > /dev/null	# resolve ARP everywhere first
	# IPv4 only: the director answers ARP for the VIP, as it should.
	capture_start /tmp/replies.txt "ip and src host $VIP"
	drx0=$(netdev_stat director rx_packets)
	ctx0=$(netdev_stat client tx_packets)
	crx0=$(netdev_stat client rx_packets)
	expect_eq "answers" "$(tally 12)" "rs1=4 rs2=4 rs3=4"
	drx=$(( $(netdev_stat director rx_packets) - drx0 ))
	ctx=$(( $(netdev_stat client tx_packets) - ctx0 ))
	crx=$(( $(netdev_stat client rx_packets) - crx0 ))
	(( ctx >= 12 * 4 )) || fail "client sent only $ctx packets"
	(( crx >= 12 * 3 )) || fail "client received only $crx packets"
	# Every client packet reaches the director, and nothing more (ARP slack).
	(( drx >= ctx && drx <= ctx + 12 )) ||
		fail "director received $drx packets for the client's $ctx: replies went through it"
	for h in rs1 rs2 rs3; do
		rstx=$(( rstx + $(netdev_stat $h tx_packets) ))
	done
	(( rstx >= crx )) || fail "real servers sent $rstx packets, client got $crx"
	capture_stop
	# The replies' source MACs: real servers', never the director's.
	macs=$(awk '{print $2}' /tmp/replies.txt | sort -u | xargs)
	expect_eq "reply source MACs" "$macs" \
		"$(for h in rs1 rs2 rs3; do mac_of $h; done | sort -u | xargs)"
	expect_eq "director packets counted" \
		"$(drctl -j config show | json 'd["stats"]["packets"] >= 48')" True
}
