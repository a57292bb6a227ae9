# SPDX-License-Identifier: GPL-2.0
#
# The drlb lab, built from network namespaces (inside a VM: scripts/vm-run):
#
#              br0 (the VM's own namespace)
#   ┌──────────┬──────────┬──────────┬──────────┐
#   client     director   rs1        rs2        rs3
#   10.0.0.2   10.0.0.1   10.0.0.11  10.0.0.12  10.0.0.13
#   fd00::2    fd00::1    fd00::11   fd00::12   fd00::13
#              +VIP       VIP on lo, arp_ignore=1, arp_announce=2
#              +VIP6      VIP6 on lo (Linux answers neighbour
#                         solicitations only for the receiving interface's
#                         addresses: nothing else to set)
#
# The client ARPs for the VIP and only the director answers; the director
# rewrites the destination MAC to a real server's; the real server answers
# the client directly. The topology, the hosts, their servers and the drctl
# helpers: sourced by scripts/lab, scripts/lab-vms (its names and addresses),
# bench/in-vm.sh and tests/e2e. Assertions are the tests' own
# (tests/e2e/lib.sh); a helper here that cannot do its job says so with
# lab_error, which the e2e harness counts as a failure. Plain bash.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VIP=10.0.0.100
VIP6=fd00::100
HOSTS=(client director rs1 rs2 rs3)
declare -A ADDR=([client]=10.0.0.2 [director]=10.0.0.1 [rs1]=10.0.0.11 [rs2]=10.0.0.12
		 [rs3]=10.0.0.13 [director2]=10.0.0.3 [router]=10.0.0.254)
declare -A ADDR6=([client]=fd00::2 [director]=fd00::1 [rs1]=fd00::11 [rs2]=fd00::12
		  [rs3]=fd00::13 [director2]=fd00::3 [router]=fd00::fe)
# Fixed MACs, the same in the one-VM lab and in scripts/lab-vms' guests, so
# that a MAC names its host without asking the hosts.
declare -A MAC=([client]=52:54:00:00:00:02 [director]=52:54:00:00:00:01
		[rs1]=52:54:00:00:00:11 [rs2]=52:54:00:00:00:12 [rs3]=52:54:00:00:00:13
		[director2]=52:54:00:00:00:03 [router]=52:54:00:00:00:fe
		[far]=52:54:00:00:01:02)
# Hosts a case or lab scenario may add with lab_add_host (and far, behind
# router: see lab_add_far).
EXTRA_HOSTS=(director2 router far)
DRCTL=$DRLB_TOP/tools/drctl/drctl
LAB_ERRORS=0

# in_ns NS CMD...: CMD in host NS, as ip netns exec runs it (nsrun:
# tests/tools/nsrun.c, 590-630 ms a command under TCG with KASAN where ip
# netns exec takes 700-970 ms).
NSRUN=$DRLB_BUILD/tools/nsrun
in_ns() { local ns=$1; shift; "$NSRUN" "$ns" "$@"; }
drctl() { "$DRCTL" -N director "$@"; }
say() { printf '\n\033[1m%s\033[0m\n' "$*"; }

# lab_error MESSAGE: a lab helper could not do its job (tests/e2e/run fails
# the case).
lab_error()
{
	echo "    # lab: $*" >&2
	LAB_ERRORS=$((LAB_ERRORS + 1))
}

# Few processes: under TCG, and more so with KASAN, a fork and exec costs up
# to a second, so the helpers below poll and look with bash builtins where
# they can.

# lab_sleep SECONDS: sleep without a process: a read that times out on a
# pipe that no one writes to.
lab_sleep()
{
	[ -n "${LAB_SLEEP_FD:-}" ] || exec {LAB_SLEEP_FD}<> <(:)
	read -r -t "$1" -u "$LAB_SLEEP_FD" || :
}

# wait_for TRIES CMD...: poll CMD every 0.1 s instead of sleeping blindly.
wait_for()
{
	local tries=$1
	shift
	while ! "$@" > /dev/null 2>&1; do
		tries=$((tries - 1))
		[ $tries -gt 0 ] || return 1
		lab_sleep 0.1
	done
}

# netdev_stat H STAT [DEV]: a counter of H's eth0 (or DEV).
netdev_stat() { in_ns "$1" cat "/sys/class/net/${3:-eth0}/statistics/$2"; }
# mac_of H: H's MAC (a host a case adds without one in MAC: as it got it).
mac_of()
{
	if [ -n "${MAC[$1]:-}" ]; then
		echo "${MAC[$1]}"
	else
		in_ns "$1" cat /sys/class/net/eth0/address
	fi
}

# Packet counters, where device totals would also count ARP, neighbour
# discovery and whatever else the kernels send on their own timers:
# pkt_count_start H ingress|egress ip|ipv6 MATCH... counts from zero the
# packets on H's eth0 in that direction that match MATCH (tc flower keys:
# src_ip A dst_ip B ...); pkt_count H DIR PROTO MATCH... says how many so far;
# pkt_count_stop H removes H's counters. H "" is this namespace (a guest of
# scripts/lab-vms).
declare -A PKT_COUNT_PREF=() PKT_COUNT_HOST=()
PKT_COUNT_NEXT=1
ns_tc() { local h=$1; shift; tc ${h:+-n "$h"} "$@"; }
# pkt_count_at H DIR: where H's eth0 counts the packets going DIR, into
# PKT_NS, PKT_DEV and PKT_DIR: there, but with LAB_XDP the director's on
# the bridge's end of its veth the other way round, since its XDP program
# takes packets before tc ingress and sends them past tc egress.
pkt_count_at()
{
	PKT_NS=$1 PKT_DEV=eth0 PKT_DIR=$2
	[ -n "${LAB_XDP:-}" ] && [ "$1" = director ] || return 0
	PKT_NS="" PKT_DEV=br-director
	[ "$2" = ingress ] && PKT_DIR=egress || PKT_DIR=ingress
}

pkt_count_start()
{
	local h=$1 dir=$2 proto=$3 key="$*" pref
	shift 3
	pkt_count_at "$h" "$dir"
	pref=${PKT_COUNT_PREF[$key]:-}
	if [ -n "$pref" ]; then
		ns_tc "$PKT_NS" filter del dev "$PKT_DEV" "$PKT_DIR" pref "$pref"
	else
		pref=$PKT_COUNT_NEXT
		PKT_COUNT_NEXT=$((pref + 1))
		PKT_COUNT_PREF[$key]=$pref
	fi
	if [ -z "${PKT_COUNT_HOST[${h:-.}]:-}" ]; then
		# Nothing left from an earlier user of the lab.
		ns_tc "$PKT_NS" qdisc del dev "$PKT_DEV" clsact 2>/dev/null || :
		ns_tc "$PKT_NS" qdisc add dev "$PKT_DEV" clsact
		PKT_COUNT_HOST[${h:-.}]=1
	fi
	ns_tc "$PKT_NS" filter add dev "$PKT_DEV" "$PKT_DIR" pref "$pref" protocol "$proto" \
		flower "$@" action pass || lab_error "no packet counter on $h: $*"
}

pkt_count()
{
	local h=$1 dir=$2 pref=${PKT_COUNT_PREF[$*]:-} line n=none
	[ -n "$pref" ] || { echo none; return 1; }
	pkt_count_at "$h" "$dir"
	# "Sent BYTES bytes PACKETS pkt ...": the first, read with builtins.
	while read -r line; do
		[[ $n == none && $line =~ ^Sent\ [0-9]+\ bytes\ ([0-9]+)\ pkt ]] &&
			n=${BASH_REMATCH[1]}
	done < <(ns_tc "$PKT_NS" -s filter show dev "$PKT_DEV" "$PKT_DIR" pref "$pref")
	echo "$n"
}

pkt_count_stop()
{
	local h=$1 key
	pkt_count_at "$h" ingress
	ns_tc "$PKT_NS" qdisc del dev "$PKT_DEV" clsact 2>/dev/null || :
	unset "PKT_COUNT_HOST[${h:-.}]"
	for key in "${!PKT_COUNT_PREF[@]}"; do
		[ "${key%% *}" != "$h" ] || unset "PKT_COUNT_PREF[$key]"
	done
	return 0
}

# The DR bypass, counted on the client and the director (NS: the host's
# namespace, "" for this one): bypass_count_start client|director [NS] starts
# the counters, bypass_count client|director [NS] prints them (client: "sent
# received", the packets to the VIP and the replies from it; director:
# "received forwarded to-client", the client's packets to the VIP and those
# it sent to the client), bypass_table CLIENT DIRECTOR shows them. In the
# one-VM lab, bypass_settled reads both into BYPASS_CLIENT and
# BYPASS_DIRECTOR and says whether the director has seen every packet the
# client sent to the VIP (when curl ends, the last may be on their way).
bypass_count_start()
{
	local ns=${2-$1} c=${ADDR[client]}
	case $1 in
	client)
		pkt_count_start "$ns" egress ip src_ip "$c" dst_ip "$VIP"
		pkt_count_start "$ns" ingress ip src_ip "$VIP" dst_ip "$c" ;;
	director)
		pkt_count_start "$ns" ingress ip src_ip "$c" dst_ip "$VIP"
		pkt_count_start "$ns" egress ip src_ip "$c" dst_ip "$VIP"
		pkt_count_start "$ns" egress ip dst_ip "$c" ;;
	esac
}

bypass_count()
{
	local ns=${2-$1} c=${ADDR[client]}
	case $1 in
	client)
		echo "$(pkt_count "$ns" egress ip src_ip "$c" dst_ip "$VIP")" \
		     "$(pkt_count "$ns" ingress ip src_ip "$VIP" dst_ip "$c")" ;;
	director)
		echo "$(pkt_count "$ns" ingress ip src_ip "$c" dst_ip "$VIP")" \
		     "$(pkt_count "$ns" egress ip src_ip "$c" dst_ip "$VIP")" \
		     "$(pkt_count "$ns" egress ip dst_ip "$c")" ;;
	esac
}

bypass_settled()
{
	BYPASS_CLIENT=$(bypass_count client)
	BYPASS_DIRECTOR=$(bypass_count director)
	[ "${BYPASS_CLIENT%% *}" = "${BYPASS_DIRECTOR%% *}" ]
}

bypass_table()
{
	local ctx crx drx dfwd dtoc
	read -r ctx crx <<< "$1"
	read -r drx dfwd dtoc <<< "$2"
	printf '  %-20s %-28s %6s\n' \
		"client -> VIP" "sent by the client" "$ctx" \
		"client -> VIP" "received by the director" "$drx" \
		"client -> VIP" "forwarded by the director" "$dfwd" \
		"director -> client" "sent by the director" "$dtoc" \
		"VIP -> client" "received by the client" "$crx"
	echo "  Every packet the client sent to the VIP went through the director, which"
	echo "  sent nothing to the client: the client's $crx replies came straight from the"
	echo "  real servers, with the VIP as their source (IPv4 packets; ARP left out)."
}

# lab_up: build the lab, unless it is up already (tests/e2e/run keeps one lab
# for all the cases of a run; a case that changes the hosts' setup says
# "# e2e-lab: fresh" and gets a lab of its own). Few processes: under TCG
# with KASAN every exec costs a second.
lab_up()
{
	local h
	if [ -e /run/netns/director ]; then
		[ -z "${LAB_XDP:-}" ] || lab_xdp
		return 0
	fi
	{
		echo "link add br0 type bridge"
		echo "link set br0 up"
		for h in "${HOSTS[@]}"; do
			host_link_cmds "$h"
		done
	} | ip -batch -
	for h in "${HOSTS[@]}"; do
		host_address "$h"
	done
	for h in rs1 rs2 rs3; do
		"$DRCTL" -N "$h" realserver setup "$VIP" "$VIP6" > /dev/null
	done
	if [ -n "${LAB_XDP:-}" ]; then
		lab_xdp_segment
		lab_xdp
	fi
}

# lab_xdp_segment: the segment as XDP on the director needs it (LAB_XDP,
# below). The director has met its real servers, as one in service has:
# XDP hands a packet to a backend whose neighbour is not resolved to the
# netfilter path, and a case's first packets would not take it.
lab_xdp_segment()
{
	local h

	ip link set dev br-director xdpdrv obj "$DRLB_BUILD/tools/xdp-pass.bpf.o" sec xdp ||
		lab_error "XDP_PASS on br-director"
	for h in rs1 rs2 rs3; do
		echo "neigh replace ${ADDR[$h]} lladdr ${MAC[$h]} dev eth0 nud reachable"
		echo "neigh replace ${ADDR6[$h]} lladdr ${MAC[$h]} dev eth0 nud reachable"
	done | ip -n director -batch -
}

# lab_xdp_on: LAB_XDP=1 from now on; a lab that is up already is changed in
# place, its servers kept, and its next lab_up attaches drlb's program
# (tests/e2e/run, for the cases it runs with XDP after the others).
lab_xdp_on()
{
	local h

	export LAB_XDP=1
	[ -e /run/netns/director ] || return 0
	for h in "${HOSTS[@]}"; do
		in_ns "$h" ethtool -K eth0 tx off > /dev/null
	done
	lab_xdp_segment
}

# LAB_XDP=1: the director runs drlb's XDP program on its eth0 (native), as
# soon as drlb is loaded: lab_up attaches it (lab_xdp), and builds the lab
# as a veth lab needs for it:
#   - the bridge's end of the director's veth runs an XDP program of its
#     own (tests/tools/xdp-pass.bpf.c): veth wakes the NAPI that takes the
#     director's XDP_TX frames only on a peer with one, GRO is not enough;
#   - the hosts compute their checksums, as frames off a wire have them
#     (host_address): a local stack's skb carries a partial one
#     (CHECKSUM_PARTIAL), which a frame XDP sends on loses.
lab_xdp()
{
	local err

	[ -d /sys/module/drlb ] || return 0
	err=$(drctl xdp attach eth0 native 2>&1) || lab_error "drctl xdp attach eth0 native: $err"
}

# host_link_cmds H: the ip -batch lines that put host H on br0.
host_link_cmds()
{
	echo "netns add $1"
	echo "link add br-$1 type veth peer name eth0 netns $1 ${MAC[$1]:+address ${MAC[$1]}}"
	echo "link set br-$1 master br0 up"
}

# host_address H: H's addresses (from ADDR, ADDR6), links up; the
# director's VIPs. No duplicate address detection: nothing to wait for.
host_address()
{
	{
		echo "addr add ${ADDR[$1]}/24 dev eth0"
		echo "addr add ${ADDR6[$1]}/64 dev eth0 nodad"
		echo "link set eth0 up"
		echo "link set lo up"
		# The director owns the VIPs on the segment: it answers ARP and
		# neighbour solicitations for them.
		[ "$1" != director ] || echo "addr add $VIP/32 dev eth0"
		[ "$1" != director ] || echo "addr add $VIP6/128 dev eth0 nodad"
	} | ip -n "$1" -batch -
	[ -z "${LAB_XDP:-}" ] || in_ns "$1" ethtool -K eth0 tx off > /dev/null
}

# lab_add_host NAME: one more host on the segment (its address from ADDR).
lab_add_host()
{
	[ -e "/run/netns/$1" ] && return 0
	host_link_cmds "$1" | ip -batch -
	host_address "$1"
}

# lab_add_far: a client "far" on a segment of its own (10.0.1.0/24,
# fd01::/64) behind "router", whose link to it has a 1280-byte MTU: replies
# of 1500 bytes from the real servers make the router send "fragmentation
# needed" / "packet too big" to the VIP. The director and the real servers
# route to far's segment through the router.
lab_add_far()
{
	local h
	lab_add_host router
	ip netns add far
	{
		echo "link add eth1 mtu 1280 type veth peer name eth0 netns far address ${MAC[far]}"
		echo "addr add 10.0.1.1/24 dev eth1"
		echo "addr add fd01::1/64 dev eth1 nodad"
		echo "link set eth1 up"
	} | ip -n router -batch -
	in_ns router sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	{
		echo "addr add 10.0.1.2/24 dev eth0"
		echo "addr add fd01::2/64 dev eth0 nodad"
		echo "link set eth0 up"
		echo "link set lo up"
		echo "route add default via 10.0.1.1"
		echo "route add default via fd01::1"
	} | ip -n far -batch -
	[ -z "${LAB_XDP:-}" ] || in_ns far ethtool -K eth0 tx off > /dev/null
	for h in director rs1 rs2 rs3; do
		printf 'route replace %s via %s\n' 10.0.1.0/24 "${ADDR[router]}" \
			fd01::/64 "${ADDR6[router]}" | ip -n "$h" -batch -
	done
}

# rs_drop_spoofed 1|0: the real servers drop (1) packets from sources they
# have no route back to (the floods' spoofed 172.16/16) at routing, by
# strict reverse-path filtering, or stop dropping them (0).
rs_drop_spoofed()
{
	local h
	for h in rs1 rs2 rs3; do
		in_ns "$h" sysctl -qw net.ipv4.conf.all.rp_filter=$1 net.ipv4.conf.eth0.rp_filter=$1
	done
}

# tcp_conns NS: connections scheduled by NS's first TCP service
# (/proc/net/drlb).
tcp_conns() { in_ns "$1" awk '/^TCP/ {print $6; exit}' /proc/net/drlb; }

# ns_pids NS...: the processes in those namespaces (not zombies), into
# NS_PIDS, as ip netns pids finds them. nspids (tests/tools/nspids.c) does
# in one small process what a loop over /proc takes seconds for under TCG.
NSPIDS=$DRLB_BUILD/tools/nspids
ns_pids() { mapfile -t NS_PIDS < <("$NSPIDS" "$@"); }

# ns_kill NS...: end every process in those namespaces, and wait until they
# are gone.
# Killed: not a job of this shell to report on any more.
ns_kill()
{
	disown -a
	"$NSPIDS" -k "$@" || lab_error "processes left in $*"
}

# lab_down_host H...: those hosts, gone.
lab_down_host()
{
	local h up=()
	for h in "$@"; do
		[ ! -e "/run/netns/$h" ] || up+=("$h")
	done
	[ ${#up[@]} -gt 0 ] || return 0
	ns_kill "${up[@]}"
	for h in "${up[@]}"; do
		[ ! -e "/sys/class/net/br-$h" ] || echo "link del br-$h"
		echo "netns del $h"
	done | ip -force -batch - 2>/dev/null
	return 0
}

lab_down()
{
	local states=(/run/drctl/realserver-netns-*.state)
	lab_down_host "${HOSTS[@]}" "${EXTRA_HOSTS[@]}"
	[ ! -e /sys/class/net/br0 ] || ip link del br0
	[ ! -d /run/lab ] || rm -rf /run/lab
	[ ! -e "${states[0]}" ] || rm -f "${states[@]}"
	return 0
}

# lab_settle: end what a case started on the client and the director (curl
# loops, tcpdump, sessions); the real servers' daemons stay for the next case.
lab_settle()
{
	lab_down_host "${EXTRA_HOSTS[@]}"
	ns_kill client director
	return 0
}

# listening NS PROTO PORT [PID]: a server listens there (TCP) or is bound
# (UDP), as ss -l would say, from the sockets of NS: /proc/PID/net of PID,
# a process in NS, or of one nspids finds.
listening()
{
	local state=0A port pid=${4:-} f addr st
	[ "$2" = udp ] && state=07
	printf -v port '%04X' "$3"
	[ -n "$pid" ] || read -r pid < <("$NSPIDS" -1 "$1") || return 1
	for f in "/proc/$pid/net/$2" "/proc/$pid/net/${2}6"; do
		while read -r _ addr _ st _; do
			[ "${addr##*:}" = "$port" ] && [ "$st" = $state ] && return 0
		done < "$f"
	done 2>/dev/null
	return 1
}

# The real servers' daemons stay up from case to case: /run/lab/NAME has
# the pid of each (NAME: http-rs1, echo-rs1, ...), which its checks
# read through, with no process to find one.
# server_up NAME COMM: NAME runs, as COMM; its pid in SERVER_PID.
server_up()
{
	local comm
	read -r SERVER_PID < "/run/lab/$1" && read -r comm < "/proc/$SERVER_PID/comm" &&
		[ "$comm" = "$2" ]
} 2> /dev/null

# server_listening NAME COMM H PROTO PORT: NAME runs, and listens there.
server_listening() { server_up "$1" "$2" && listening "$3" "$4" "$5" "$SERVER_PID"; }

# server_start NAME H CMD...: CMD in H as server NAME.
server_start()
{
	local name=$1 h=$2
	shift 2
	[ -d /run/lab ] || mkdir -p /run/lab
	# nsrun itself, not in_ns: the pid is then the server's.
	"$NSRUN" "$h" "$@" > /dev/null 2>&1 &
	echo $! > "/run/lab/$name"
}

# lab_service PROTO PORT [SERVICE OPTIONS...]: the director's service on the
# VIP over rs1, rs2 and rs3 (weight 1); a refused command is a lab_error.
# LAB_SHOW=show (scripts/lab) prints each command before it runs.
# lab_service6: the same on VIP6 over the real servers' IPv6 addresses.
lab_service() { lab_service_at "$VIP" ADDR "$@"; }
lab_service6() { lab_service_at "[$VIP6]" ADDR6 "$@"; }
lab_service_at()
{
	local vip=$1 proto=$3 port=$4 h
	local -n addrs=$2
	shift 4
	${LAB_SHOW:-} drctl service add "$proto" "$vip:$port" "$@" ||
		lab_error "service add $proto $vip:$port $*"
	for h in rs1 rs2 rs3; do
		${LAB_SHOW:-} drctl backend add "$proto" "$vip:$port" "${addrs[$h]}" ||
			lab_error "backend add $h"
	done
}

# Each real server serves its own name over HTTP on port 80, IPv4 and IPv6,
# and the files of /tmp/www-H: busybox's httpd, which starts in a fraction
# of the time python's http.server takes (seconds with KASAN under TCG).
start_http()
{
	local h
	for h in rs1 rs2 rs3; do
		server_up "http-$h" busybox && continue
		[ -d "/tmp/www-$h" ] || mkdir -p "/tmp/www-$h"
		echo "$h" > "/tmp/www-$h/index.html"
		server_start "http-$h" "$h" busybox httpd -f -p 80 -h "/tmp/www-$h"
	done
	for h in rs1 rs2 rs3; do
		wait_for 300 server_listening "http-$h" busybox "$h" tcp 80 ||
			lab_error "http server on $h did not start"
	done
}

# stop_http H: H's HTTP server gone.
stop_http()
{
	server_up "http-$1" busybox && kill "$SERVER_PID"
	return 0
}

# ... and greets with its name, then echoes lines, on TCP port 7, and
# answers each datagram to UDP port 7 with its name (tests/tools/echod.c:
# one process, where socat took a shell and a cat for each connection).
ECHOD=$DRLB_BUILD/tools/echod
start_echo()
{
	local h
	for h in rs1 rs2 rs3; do
		# UDP bound to the VIP so that replies leave from it, as DR needs.
		server_up "echo-$h" echod || server_start "echo-$h" "$h" "$ECHOD" "$h" "$VIP"
	done
	for h in rs1 rs2 rs3; do
		wait_for 300 echo_listening "$h" || lab_error "echo server on $h did not start"
	done
}

# echo_listening H: H's echo server runs and has both its sockets.
echo_listening()
{
	server_listening "echo-$1" echod "$1" tcp 7 && listening "$1" udp 7 "$SERVER_PID"
}

# tcp_greet N: N connections from the client to the VIP's TCP echo service
# (port 7), one after the other, in one small process
# (tests/tools/tcpask.c): prints who greeted each, one a line, or "none".
TCPASK=$DRLB_BUILD/tools/tcpask
tcp_greet() { in_ns client "$TCPASK" "$VIP" 7 "$1"; }

# udp_echo N: N datagrams from the client to the VIP's UDP echo service
# (port 7), each from a socket of its own, all open at once (so from N
# client ports), in one small process (tests/tools/udpask.c): prints who
# answered each, one a line, or "none" after 3 s without an answer.
UDPASK=$DRLB_BUILD/tools/udpask
udp_echo() { in_ns client "$UDPASK" "$VIP" 7 "$1"; }

# The lab's HTTP client (tests/tools/httpask.c): curl's 32 shared libraries
# cost an exec 1.5 s in the debug kernel's guests.
HTTPASK=$DRLB_BUILD/tools/httpask

# get: one HTTP request from the client to the VIP; prints who answered.
get() { in_ns client "$HTTPASK" "http://$VIP/"; }

# answers N [HOST]: N requests to the VIP (or HOST, e.g. "[$VIP6]"), one
# after the other from one process (each a new connection: the servers
# speak HTTP/1.0 and close); prints who answered each, one a line, or
# FAILED.
answers()
{
	local i line body="" urls=()
	for ((i = 0; i < $1; i++)); do
		urls+=("http://${2:-$VIP}/")
	done
	while IFS= read -r line; do
		if [[ $line == "END "* ]]; then
			[ "$line" = "END 200" ] && [ -n "$body" ] || body=FAILED
			echo "$body"
			body=""
		else
			body=$line
		fi
	done < <(in_ns client "$HTTPASK" -e "${urls[@]}")
}

# tally N [HOST]: the answers, counted: "rs1=a rs2=b rs3=c" (and none=d
# for those that failed).
tally()
{
	local -A n=([rs1]=0 [rs2]=0 [rs3]=0)
	local who
	while read -r who; do
		n[$who]=$(( ${n[$who]:-0} + 1 ))
	done < <(answers "$@")
	if [ -n "${n[FAILED]:-}" ]; then
		echo "    # ${n[FAILED]} of $1 requests failed at $(date +%T.%N)" >&2
	fi
	echo "rs1=${n[rs1]} rs2=${n[rs2]} rs3=${n[rs3]}${n[FAILED]:+ none=${n[FAILED]}}"
}

# json EXPR: drctl's JSON on stdin as d, and print(EXPR) of it, in Python.
# A python3 costs 3 to 5 s to start under KASAN and TCG (-S, no
# site-packages, saves a third): with json_server running, every call goes
# to that one process; without, each starts its own.
json()
{
	local doc out
	if [ -z "${JSON_FD_IN:-}" ]; then
		python3 -S -c "import json,sys; d=json.load(sys.stdin); print($1)"
		return
	fi
	IFS= read -r -d '' doc || :
	printf '%s\0%s\0' "$1" "$doc" >&"$JSON_FD_IN"
	IFS= read -r -d '' out <&"$JSON_FD_OUT"
	printf '%s' "${out#?}"
	[ "${out:0:1}" = 0 ]
}

# json_server: one python3 for every json call of this shell and its
# subshells (tests/e2e/run starts it for a run). It reads EXPR and the
# document, each ended by a NUL, and answers with 0 (or 1 after an error,
# reported on stderr), what print(EXPR) printed, and a NUL.
JSON_SERVE='import io, json, os, sys, traceback
buf = b""
def word():
    global buf
    while b"\0" not in buf:
        more = os.read(0, 65536)
        if not more:
            return None
        buf += more
    w, buf = buf.split(b"\0", 1)
    return w.decode()
while (expr := word()) is not None:
    doc, out = word(), io.StringIO()
    try:
        d = json.loads(doc)
        print(*eval("(lambda *a: a)(" + expr + ")", {"d": d}), file=out)
        status = "0"
    except Exception:
        traceback.print_exc()
        status = "1"
    sys.stdout.write(status + out.getvalue() + "\0")
    sys.stdout.flush()'
json_server()
{
	local in out
	coproc JSON_SERVER { exec python3 -S -c "$JSON_SERVE"; }
	# Duplicated: a coprocess's own descriptors are closed in subshells.
	exec {in}>&"${JSON_SERVER[1]}" {out}<&"${JSON_SERVER[0]}"
	JSON_FD_IN=$in JSON_FD_OUT=$out
}

# host_of_mac MAC: which lab host has this MAC.
host_of_mac()
{
	local h
	for h in "${!MAC[@]}"; do
		[ "${MAC[$h]}" = "${1,,}" ] && { echo "$h"; return 0; }
	done
	echo unknown
}

# Long TCP sessions from the client to the echo service, over FIFOs:
# session_open N connects and sets SESSION_WHO[N] to the greeting (the real
# server's name); session_say N TEXT prints the echo; session_close N ends it.
declare -A SESSION_WHO=() SESSION_FD=() SESSION_PID=()
session_open()
{
	local n=$1 fd
	rm -f "/tmp/session$n.in" "/tmp/session$n.out"
	mkfifo "/tmp/session$n.in"
	in_ns client socat - TCP:$VIP:7 < "/tmp/session$n.in" > "/tmp/session$n.out" 2>/dev/null &
	SESSION_PID[$n]=$!
	exec {fd}> "/tmp/session$n.in"
	SESSION_FD[$n]=$fd
	wait_for 100 test -s "/tmp/session$n.out" || lab_error "session $n: no greeting"
	IFS= read -r "SESSION_WHO[$n]" < "/tmp/session$n.out" || :
}

# line_count FILE: its lines, as wc -l counts them, into LINE_COUNT (with
# builtins: sessions and captures are polled).
line_count()
{
	local text=""
	IFS= read -r -d '' text < "$1"
	text=${text//[!$'\n']/}
	LINE_COUNT=${#text}
}
more_lines() { line_count "$1" && [ "$LINE_COUNT" -gt "$2" ]; }
# file_has FILE TEXT: FILE has TEXT in it.
file_has() { local text=""; IFS= read -r -d '' text < "$1"; [[ $text == *"$2"* ]]; }
gone() { ! kill -0 "$1" 2>/dev/null; }

session_say()
{
	local out=/tmp/session$1.out seen lines
	line_count "$out"
	seen=$LINE_COUNT
	echo "$2" >&"${SESSION_FD[$1]}"
	wait_for 100 more_lines "$out" "$seen" || { echo "(no answer)"; return 1; }
	mapfile -t lines < "$out"
	echo "${lines[seen]}"
}

session_close()
{
	local n=$1 fd=${SESSION_FD[$1]}
	exec {fd}>&-
	wait_for 50 gone "${SESSION_PID[$n]}" || kill "${SESSION_PID[$n]}" 2>/dev/null
	wait "${SESSION_PID[$n]}" 2>/dev/null
	return 0
}

# capture_start FILE FILTER: tcpdump on the client's eth0 (link headers, no
# names) into FILE, returning once it listens; capture_stop [LINES] ends it,
# once FILE has LINES packets (or after half a second for the last packets,
# when their number is not known).
capture_start()
{
	in_ns client tcpdump -nn -e -l -i eth0 "$2" > "$1" 2> "$1.err" &
	CAPTURE_PID=$! CAPTURE_FILE=$1
	wait_for 100 file_has "$1.err" "listening on" || lab_error "tcpdump did not start"
}

capture_stop()
{
	if [ -n "${1:-}" ]; then
		wait_for 20 more_lines "$CAPTURE_FILE" $(( $1 - 1 )) ||
			lab_error "tcpdump saw fewer than $1 packets"
	else
		lab_sleep 0.5
	fi
	kill "$CAPTURE_PID" 2>/dev/null
	wait "$CAPTURE_PID" 2>/dev/null
	return 0
}
