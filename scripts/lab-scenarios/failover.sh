# SPDX-License-Identifier: GPL-2.0
# failover: a second director with the same backends (added in another
# order: the table digests still match) takes the VIP over with a
# gratuitous ARP; an open session continues through it, on the same real
# server, by the stateless Maglev path (director2 never saw its SYN).
scenario()
{
	local before after one two h
	lab_prologue echo
	lab_add_host director2
	say "Director 1: Maglev hashing (mh), so that any director picks alike"
	lab_service tcp 7 sched mh
	say "Director 2 (${ADDR[director2]}) gets the same backends, added in the other order:"
	show "$DRCTL" -N director2 service add tcp $VIP:7 sched mh
	for h in rs3 rs2 rs1; do
		show "$DRCTL" -N director2 backend add tcp $VIP:7 "${ADDR[$h]}"
	done
	one=$(drctl -j service show | json 'd[0]["digest"]')
	two=$("$DRCTL" -N director2 -j service show | json 'd[0]["digest"]')
	echo "  table digest (drctl -s service show): director $one, director2 $two"
	echo "  the Maglev table depends on the backends and their weights, not on their order"

	say "A long session from the client, through director 1:"
	session_open 1
	echo "  session -> ${SESSION_WHO[1]}"
	printf '  sent "one", got back "%s"\n' "$(session_say 1 one)"
	before=$(in_ns client ip neigh show $VIP dev eth0 | awk '{print $3}')

	say "Director 1 fails; director 2 takes the VIP and announces it (gratuitous ARP):"
	show in_ns director ip link set eth0 down
	show in_ns director2 ip addr add $VIP/32 dev eth0
	sleep 1		# the client's neighbour entry takes updates once a second
	show in_ns director2 arping -q -U -c 2 -I eth0 $VIP
	after=$(in_ns client ip neigh show $VIP dev eth0 | awk '{print $3}')
	echo "  the client's ARP entry for $VIP: $before ($(host_of_mac "$before")) -> $after ($(host_of_mac "$after"))"

	say "The same session, now through director 2:"
	printf '  sent "two", got back "%s"\n' "$(session_say 1 two)"
	echo "  still served by ${SESSION_WHO[1]}: director 2 had no entry for it, and its"
	echo "  Maglev table over the same backends chose the same real server"
	show "$DRCTL" -N director2 -s config show
	session_close 1
	legend
}
