# SPDX-License-Identifier: GPL-2.0
# arp: why real servers need arp_ignore/arp_announce: with the VIP on lo and
# default settings every real server answers ARP for the VIP, and the
# client may send straight to one, bypassing the director.
scenario()
{
	lab_prologue none
	say "Real servers as a naive setup leaves them: VIP on lo, default ARP settings"
	for h in rs1 rs2 rs3; do
		"$DRCTL" -N "$h" realserver teardown $VIP $VIP6 > /dev/null
		show in_ns "$h" ip addr add $VIP/32 dev lo
	done
	show "$DRCTL" -N rs1 realserver check $VIP || true
	say "The client asks who has $VIP (arping):"
	arp_who
	say "drctl realserver setup on each real server:"
	for h in rs1 rs2 rs3; do
		show "$DRCTL" -N "$h" realserver setup $VIP
	done
	say "The client asks again:"
	arp_who
	echo "  Only the director answers now: every packet for the VIP reaches it, and it"
	echo "  alone decides which real server gets it."
}

# arp_who: the hosts that answer the client's ARP requests for the VIP.
arp_who()
{
	local mac
	in_ns client ip neigh flush dev eth0
	for mac in $(in_ns client arping -c 2 -I eth0 $VIP 2>/dev/null |
		     sed -n 's/.*reply from [0-9.]* \[\([0-9A-Fa-f:]*\)\].*/\1/p' | sort -u); do
		echo "  reply from $(host_of_mac "$mac") ($mac)"
	done | sort
}
