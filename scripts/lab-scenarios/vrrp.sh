# SPDX-License-Identifier: GPL-2.0
# vrrp: keepalived's VRRP moves the VIP between two directors with one drlb configuration; the master dies, sessions go on.
#
# keepalived runs only a vrrp_instance for the VIP (no virtual_server: drlb
# is the balancer); both directors get the same drlb configuration from one
# file (drctl restore). The master dies (keepalived killed, link down); the
# backup takes the VIP and announces it with gratuitous ARP; the client's
# sessions reach the backup mid-stream, which has no entry for them and
# places them by Maglev on the same real servers. Before that, drlbd's
# quorum commands lower the master's VRRP priority while it has no healthy
# backend (keepalived's track_file): the backup takes over, and gives the
# VIP back once the master's backends are healthy again.

VRRP_DIRECTORS=(director director2)
declare -A VRRP_PRIORITY=([director]=150 [director2]=100)
VRRP_CLIENTS=(10.0.0.{50..57})

vrrp_conf()
{
	cat <<-EOF
		global_defs {
			router_id $1
			vrrp_garp_master_delay 1
			vrrp_garp_master_repeat 3
			# VRRPv3: adverts every half second, a master down after 1.6 s.
			vrrp_version 3
		}
		# drlbd's quorum commands write 1 (no healthy backend) or 0:
		# times -100, added to the priority.
		vrrp_track_file drlb_quorum {
			file /run/drlb-quorum-$1
			weight -100
		}
		vrrp_instance VIP {
			state BACKUP
			interface eth0
			virtual_router_id 51
			priority ${VRRP_PRIORITY[$1]}
			advert_int 0.5
			virtual_ipaddress {
				$VIP/32 dev eth0
			}
			track_file {
				drlb_quorum
			}
		}
	EOF
}

# keepalived_start HOST: keepalived's VRRP alone, with /tmp/keepalived-HOST.conf.
keepalived_start()
{
	in_ns "$1" keepalived --vrrp -f "/tmp/keepalived-$1.conf" -p "/run/keepalived-$1.pid" \
		-r "/run/keepalived-$1-vrrp.pid" -G || lab_error "keepalived did not start in $1"
}

vip_on() { ip -n "$1" -4 addr show dev eth0 | grep -q " $VIP/32 "; }
client_vip_mac() { in_ns client ip neigh show "$VIP" dev eth0 | awk '{print $3}'; }
client_vip_at() { [ "$(client_vip_mac)" = "${MAC[$1]}" ]; }
# vrrp_moved D TEXT T0: once D holds the VIP and the client's ARP entry
# points at D, TEXT and the seconds since T0.
vrrp_moved()
{
	if wait_for 600 vip_on "$1" && wait_for 300 client_vip_at "$1"; then
		echo "  $2, the client's ARP entry moved $(since "$3") s after"
	else
		echo "  $1 did not take the VIP ($2 expected)"
	fi
}

# drlbd on director with quorum 1: with no healthy backend its VRRP
# priority drops to 50, under director2's 100, which takes the VIP.
vrrp_quorum()
{
	local t0 q=/run/drlb-quorum-director
	say "The master loses its real servers: drlbd's quorum lowers its VRRP priority"
	quorum_lose director "echo 1 > $q" "echo 0 > $q"
	t0=$(now)
	vrrp_moved director2 "quorum lost: director2 holds $VIP" "$t0"
	echo "  $(sessions "say quorum-lost")"
	probes_pass director
	t0=$(now)
	vrrp_moved director "quorum met: director holds $VIP again" "$t0"
	echo "  $(sessions "say quorum-met")"
	drlbd_stop
}

scenario()
{
	local d i t0 f=/tmp/drlb-fleet.conf
	lab_prologue echo
	lab_add_host director2
	for ((i = 0; i < ${#VRRP_CLIENTS[@]}; i++)); do
		echo "addr add ${VRRP_CLIENTS[$i]}/24 dev eth0"
	done | ip -n client -batch -
	# keepalived adds the VIP to the master's eth0.
	ip -n director addr del "$VIP/32" dev eth0

	say "One drlb configuration for both directors, from one file:"
	cat > $f <<-EOF
		config set fleet on
		service add tcp $VIP:7 sched mh
		backend add tcp $VIP:7 ${ADDR[rs1]}
		backend add tcp $VIP:7 ${ADDR[rs2]}
		backend add tcp $VIP:7 ${ADDR[rs3]}
	EOF
	sed 's/^/  /' $f
	for d in "${VRRP_DIRECTORS[@]}"; do
		echo "\$ ip netns exec $d drctl restore < $f"
		"$DRCTL" -N "$d" restore < $f || lab_error "restore on $d"
		vrrp_conf "$d" > "/tmp/keepalived-$d.conf"
		echo 0 > "/run/drlb-quorum-$d"
	done
	say "keepalived (VRRP only) on both; director has the higher priority:"
	sed 's/^/  /' /tmp/keepalived-director.conf
	for d in "${VRRP_DIRECTORS[@]}"; do
		keepalived_start "$d"
	done
	if wait_for 600 vip_on director; then
		echo "  director is the VRRP master: it holds $VIP"
	else
		echo "  no VRRP master"
	fi

	say "32 long sessions from the client (one process, 8 addresses):"
	sessions_start client 32 "${VRRP_CLIENTS[@]}"
	echo "  $(sessions who)"
	echo "  $(sessions "say one")"
	echo "  the client's ARP entry for $VIP: $(client_vip_mac) ($(host_of_mac "$(client_vip_mac)"))"
	fleet_conns "${VRRP_DIRECTORS[@]}"

	vrrp_quorum

	say "The master dies: keepalived killed, its link down"
	t0=$(now)
	show kill -KILL "$(cat /run/keepalived-director.pid)" "$(cat /run/keepalived-director-vrrp.pid)"
	show ip -n director link set eth0 down
	if wait_for 600 vip_on director2; then
		echo "  director2 is the VRRP master, $(since "$t0") s after the failure"
	else
		echo "  director2 did not take the VIP"
	fi
	if wait_for 600 client_vip_at director2; then
		echo "  failover: the client's ARP entry for $VIP points at director2 $(since "$t0") s after the failure"
	else
		echo "  the client's ARP entry did not move: $(client_vip_mac)"
	fi
	echo "  $(sessions "say two")"
	echo "  $(sessions "new 8")"
	fleet_conns "${VRRP_DIRECTORS[@]}"
	sessions_stop
	legend
}
