# SPDX-License-Identifier: GPL-2.0
# ecmp: two directors announce the VIP over BGP (BIRD 2, BFD) to a router's ECMP route; one dies and returns, sessions go on.
#
#   far 10.0.1.2 ── router (BIRD 2, one multipath route to the VIP,
#                     │     fib_multipath_hash_policy=1: by ports too)
#                   br0 ── director 10.0.0.1, director2 10.0.0.3: the VIP
#                     │    on lo, BIRD 2 announcing it, the same drlb
#                     │    configuration (sched mh)
#                     └─── rs1 rs2 rs3
#
# Sessions from far go over both directors as the router hashes them; when
# a director dies (its BIRD killed, its link down) BFD tells the router,
# which drops that next hop and re-hashes: the flows that move reach the
# other director mid-stream, which has no entry for them and places them by
# Maglev on the same real server. IPv4 only.

ECMP_DIRECTORS=(director director2)
ECMP_AS_ROUTER=65000
ECMP_AS_DIRECTORS=65001
ECMP_CLIENTS=(10.0.1.{10..25})

# BFD every 300 ms, down after 5 missed: loose enough for a TCG guest.
ecmp_bfd()
{
	cat <<-EOF
		protocol bfd {
			interface "eth0" { interval 300 ms; multiplier 5; };
		}
	EOF
}

# Quick (re)connection: the lab's sessions come and go within seconds.
ecmp_bgp_timers()
{
	cat <<-EOF
		hold time 9; keepalive time 3;
		connect delay time 1; connect retry time 2; error wait time 1, 5;
		bfd on;
	EOF
}

ecmp_router_conf()
{
	local d
	cat <<-EOF
		router id ${ADDR[router]};
		protocol device { scan time 1; }
		# One multipath route from the equal BGP routes of the directors.
		protocol kernel {
			ipv4 { import none; export all; };
			merge paths on;
		}
	EOF
	ecmp_bfd
	for d in "${ECMP_DIRECTORS[@]}"; do
		cat <<-EOF
			protocol bgp $d {
				local ${ADDR[router]} as $ECMP_AS_ROUTER;
				neighbor ${ADDR[$d]} as $ECMP_AS_DIRECTORS;
				ipv4 { import all; export none; };
				$(ecmp_bgp_timers)
			}
		EOF
	done
}

# A director announces the VIP/32 (a static route BIRD keeps to itself: no
# kernel protocol, the VIP is on lo) and nothing else.
ecmp_director_conf()
{
	cat <<-EOF
		router id ${ADDR[$1]};
		protocol device { scan time 1; }
		protocol static { ipv4; route $VIP/32 blackhole; }
	EOF
	ecmp_bfd
	cat <<-EOF
		protocol bgp uplink {
			local ${ADDR[$1]} as $ECMP_AS_DIRECTORS;
			neighbor ${ADDR[router]} as $ECMP_AS_ROUTER;
			ipv4 { import none; export where net = $VIP/32; };
			$(ecmp_bgp_timers)
		}
	EOF
}

# bird_start HOST: BIRD 2 in HOST with /tmp/bird-HOST.conf, its control
# socket /run/bird-HOST.ctl (birdc -s).
bird_start()
{
	in_ns "$1" bird -c "/tmp/bird-$1.conf" -s "/run/bird-$1.ctl" -P "/run/bird-$1.pid" ||
		lab_error "bird did not start in $1"
}

birdc_in() { local h=$1; shift; in_ns "$h" birdc -s "/run/bird-$h.ctl" "$@"; }

# The router's next hops for the VIP, one a line (none while it has no route).
vip_nexthops()
{
	in_ns router ip route show "$VIP/32" | grep -oE 'via [0-9.]+' | cut -d' ' -f2
}

nexthop_count() { [ "$(vip_nexthops | wc -l)" = "$1" ]; }

ecmp_up()
{
	local d i
	lab_add_far
	lab_add_host director2
	# The router hashes by addresses and ports; Maglev by client address:
	# far gets 16 of them, for sessions on every real server.
	in_ns router sysctl -qw net.ipv4.fib_multipath_hash_policy=1 \
		net.ipv4.fib_multipath_use_neigh=1
	for ((i = 0; i < ${#ECMP_CLIENTS[@]}; i++)); do
		echo "addr add ${ECMP_CLIENTS[$i]}/24 dev eth0"
	done | ip -n far -batch -
	ecmp_router_conf > /tmp/bird-router.conf
	for d in "${ECMP_DIRECTORS[@]}"; do
		# The router routes the VIP to the directors: none answers ARP for it.
		ip -n "$d" addr del "$VIP/32" dev eth0 2>/dev/null
		ip -n "$d" addr add "$VIP/32" dev lo
		ip -n "$d" route replace 10.0.1.0/24 via "${ADDR[router]}"
		ecmp_director_conf "$d" > "/tmp/bird-$d.conf"
	done
}

# drlbd on director with quorum 1: when none of its backends is healthy it
# withdraws the VIP (birdc disable), and announces it again when one is back.
ecmp_quorum()
{
	local t0 ctl=/run/bird-director.ctl
	say "Director 1 loses its real servers: drlbd's quorum withdraws its route"
	quorum_lose director "birdc -s $ctl disable uplink" "birdc -s $ctl enable uplink"
	t0=$(now)
	if wait_for 600 nexthop_count 1 && [ "$(vip_nexthops)" = "${ADDR[director2]}" ]; then
		echo "  quorum lost: the route has ${ADDR[director2]} alone, $(since "$t0") s after"
	else
		echo "  the route kept director: $(vip_nexthops)"
	fi
	grep -F "quorum" /tmp/drlbd-director.log | sed 's/^/  drlbd: /'
	echo "  $(sessions "say four")"
	echo "  $(sessions "new 8")"
	probes_pass director
	t0=$(now)
	if wait_for 600 nexthop_count 2; then
		echo "  quorum met: both next hops again, $(since "$t0") s after"
	else
		echo "  the route did not get director back: $(vip_nexthops)"
	fi
	echo "  $(sessions "say five")"
	drlbd_stop
}

scenario()
{
	local t0 d
	lab_prologue echo
	ecmp_up
	say "Director 1: Maglev hashing (mh), one of a fleet; director 2 gets the same file"
	show drctl config set fleet on
	lab_service tcp 7 sched mh
	echo "\$ drctl save | ip netns exec director2 drctl restore"
	drctl save | "$DRCTL" -N director2 restore
	bird_start router
	for d in "${ECMP_DIRECTORS[@]}"; do
		bird_start "$d"
	done
	say "BGP (BIRD 2, with BFD) from each director to the router:"
	if wait_for 600 nexthop_count 2; then
		echo "  the router has both next hops"
	else
		echo "  the router has no multipath route yet"
	fi
	show in_ns router ip route show "$VIP/32"
	show birdc_in router show protocols

	say "32 long sessions from far (one process, 16 addresses, many source ports):"
	sessions_start far 32 "${ECMP_CLIENTS[@]}"
	echo "  $(sessions who)"
	echo "  $(sessions "say one")"
	echo "  connections before the failure (the router spread the sessions):"
	fleet_conns "${ECMP_DIRECTORS[@]}"

	say "Director 2 dies: its BIRD is killed, its link goes down"
	t0=$(now)
	show kill -KILL "$(cat /run/bird-director2.pid)"
	show ip -n director2 link set eth0 down
	if wait_for 600 nexthop_count 1; then
		echo "  route converged: $(vip_nexthops) alone, $(since "$t0") s after the failure"
	else
		echo "  route did not converge"
	fi
	show in_ns router ip route show "$VIP/32"
	echo "  $(sessions "say two")"
	echo "  $(sessions "new 8")"
	echo "  connections after the failure:"
	fleet_conns "${ECMP_DIRECTORS[@]}"

	say "Director 2 returns: link up, BIRD started again"
	t0=$(now)
	show ip -n director2 link set eth0 up
	bird_start director2
	if wait_for 600 nexthop_count 2; then
		echo "  route converged: both next hops again, $(since "$t0") s after the return"
	else
		echo "  route did not converge"
	fi
	echo "  $(sessions "say three")"
	echo "  $(sessions "new 8")"
	echo "  connections after the return:"
	fleet_conns "${ECMP_DIRECTORS[@]}"
	ecmp_quorum
	sessions_stop
	for d in router "${ECMP_DIRECTORS[@]}"; do
		birdc_in "$d" down > /dev/null 2>&1
	done
	legend
}
