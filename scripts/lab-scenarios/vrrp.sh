# SPDX-License-Identifier: GPL-2.0
# vrrp: keepalived's VRRP moves the VIP between two directors with one drlb configuration; the master dies, sessions go on.
#
# keepalived runs only a vrrp_instance for the VIP (no virtual_server: drlb
# is the balancer); both directors get the same drlb configuration from one
# file (drctl restore). The master dies (keepalived killed, link down); the
# backup takes the VIP and announces it with gratuitous ARP; the client's
# sessions reach the backup mid-stream, which has no entry for them and
# places them by Maglev on the same real servers.

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
		vrrp_instance VIP {
			state BACKUP
			interface eth0
			virtual_router_id 51
			priority ${VRRP_PRIORITY[$1]}
			advert_int 0.5
			virtual_ipaddress {
				$VIP/32 dev eth0
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
now() { date +%s.%3N; }
since() { printf '%.2f' "$(echo "$(now) - $1" | bc)"; }

# sessions CMD: one command to lab-sessions; its answer line.
sessions()
{
	local line
	echo "$1" >&"${SESSIONS[1]}"
	read -r -t 120 line <&"${SESSIONS[0]}" || line="(no answer from lab-sessions)"
	echo "$line"
}

vrrp_conns()
{
	local d
	for d in "${VRRP_DIRECTORS[@]}"; do
		printf '    %-9s %s connections\n' "$d" \
			"$(in_ns "$d" "$DRCTL" -j config show | json 'd["conn_count"]')"
	done
}

scenario()
{
	local d i t0 line f=/tmp/drlb-fleet.conf
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
		in_ns "$d" "$DRCTL" restore < $f || lab_error "restore on $d"
		vrrp_conf "$d" > "/tmp/keepalived-$d.conf"
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
	coproc SESSIONS {
		in_ns client /usr/bin/python3 "$DRLB_TOP/scripts/lab-sessions" "$VIP" 7 32 \
			"${VRRP_CLIENTS[@]}"
	}
	read -r -t 120 line <&"${SESSIONS[0]}" || line="lab-sessions did not start"
	echo "  $line"
	echo "  $(sessions who)"
	echo "  $(sessions "say one")"
	echo "  the client's ARP entry for $VIP: $(client_vip_mac) ($(host_of_mac "$(client_vip_mac)"))"
	vrrp_conns

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
	vrrp_conns
	eval "exec ${SESSIONS[1]}>&-"
	wait "$SESSIONS_PID" 2>/dev/null
	legend
}
