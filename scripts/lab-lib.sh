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

in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
drctl() { in_ns director "$DRCTL" "$@"; }
say() { printf '\n\033[1m%s\033[0m\n' "$*"; }

# lab_error MESSAGE: a lab helper could not do its job (tests/e2e/run fails
# the case).
lab_error()
{
	echo "    # lab: $*" >&2
	LAB_ERRORS=$((LAB_ERRORS + 1))
}

# wait_for TRIES CMD...: poll CMD every 0.1 s instead of sleeping blindly.
wait_for()
{
	local tries=$1
	shift
	while ! "$@" > /dev/null 2>&1; do
		tries=$((tries - 1))
		[ $tries -gt 0 ] || return 1
		sleep 0.1
	done
}

# netdev_stat H STAT [DEV]: a counter of H's eth0 (or DEV).
netdev_stat() { in_ns "$1" cat "/sys/class/net/${3:-eth0}/statistics/$2"; }
mac_of() { echo "${MAC[$1]}"; }

# lab_up: build the lab, unless it is up already (tests/e2e/run keeps one lab
# for all the cases of a run; a case that changes the hosts' setup says
# "# e2e-lab: fresh" and gets a lab of its own). Few processes: under TCG
# with KASAN every exec costs a second.
lab_up()
{
	local h
	[ -e /run/netns/director ] && return 0
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
		in_ns "$h" "$DRCTL" realserver setup "$VIP" "$VIP6" > /dev/null
	done
}

# host_link_cmds H: the ip -batch lines that put host H on br0.
host_link_cmds()
{
	echo "netns add $1"
	echo "link add br-$1 type veth peer name eth0 netns $1 address ${MAC[$1]}"
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
	for h in director rs1 rs2 rs3; do
		ip -n "$h" route replace 10.0.1.0/24 via "${ADDR[router]}"
		ip -n "$h" route replace fd01::/64 via "${ADDR6[router]}"
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

# ns_kill NS: end every process in NS, and wait until they are gone (few
# processes: each costs a second under the debug kernel).
ns_empty() { [ -z "$(ip netns pids "$1" 2>/dev/null)" ]; }
ns_kill()
{
	local pids
	pids=$(ip netns pids "$1" 2>/dev/null)
	[ -z "$pids" ] && return 0
	kill -9 $pids 2>/dev/null
	wait_for 50 ns_empty "$1"
}

lab_down_host()
{
	local h=$1
	ns_kill "$h"
	ip link del "br-$h" 2>/dev/null
	ip netns del "$h" 2>/dev/null
}

lab_down()
{
	local h
	for h in "${HOSTS[@]}" "${EXTRA_HOSTS[@]}"; do
		lab_down_host "$h"
	done
	ip link del br0 2>/dev/null
	rm -f /run/drctl/realserver-netns-*.state
	return 0
}

# lab_settle: end what a case started on the client and the director (curl
# loops, tcpdump, sessions); the real servers' daemons stay for the next case.
lab_settle()
{
	local h
	for h in "${EXTRA_HOSTS[@]}"; do
		[ ! -e "/run/netns/$h" ] || lab_down_host "$h"
	done
	for h in client director; do
		ns_kill "$h"
	done
	return 0
}

# listening NS PROTO PORT: a server listens there (TCP) or is bound (UDP).
listening()
{
	local opt=-Hltn
	[ "$2" = udp ] && opt=-Hlun
	in_ns "$1" ss $opt "sport = :$3" | grep -q .
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

# Each real server serves its own name over HTTP on port 80, IPv4 and IPv6.
start_http()
{
	local h
	for h in rs1 rs2 rs3; do
		listening "$h" tcp 80 && continue
		mkdir -p "/tmp/www-$h"
		echo "$h" > "/tmp/www-$h/index.html"
		in_ns "$h" python3 -m http.server 80 --bind :: --directory "/tmp/www-$h" \
			> /dev/null 2>&1 &
	done
	for h in rs1 rs2 rs3; do
		wait_for 300 listening "$h" tcp 80 ||
			lab_error "http server on $h did not start"
	done
}

# ... and echoes lines prefixed by its name on TCP and UDP port 7.
start_echo()
{
	local h
	for h in rs1 rs2 rs3; do
		listening "$h" tcp 7 && listening "$h" udp 7 && continue
		in_ns "$h" socat -t5 TCP-LISTEN:7,fork,reuseaddr SYSTEM:"echo $h; cat" 2>/dev/null &
		# Bound to the VIP so that replies leave from it, as DR needs for UDP.
		in_ns "$h" socat -t5 UDP-LISTEN:7,bind=$VIP,fork,reuseaddr SYSTEM:"echo $h" 2>/dev/null &
	done
	for h in rs1 rs2 rs3; do
		wait_for 300 listening "$h" tcp 7 && wait_for 300 listening "$h" udp 7 ||
			lab_error "echo server on $h did not start"
	done
}

# get: one HTTP request from the client to the VIP; prints who answered.
get() { in_ns client curl -sS --max-time 5 "http://$VIP/"; }

# tally N [HOST]: N requests to the VIP (or HOST, e.g. "[$VIP6]"), one
# after the other from one curl process (each a new connection: http.server
# speaks HTTP/1.0 and closes), as one process costs a second under the
# debug kernel; prints "rs1=a rs2=b rs3=c".
tally()
{
	local -A n=([rs1]=0 [rs2]=0 [rs3]=0)
	local i who got=0 urls=()
	for ((i = 0; i < $1; i++)); do
		urls+=("http://${2:-$VIP}/")
	done
	while read -r who; do
		n[$who]=$(( ${n[$who]:-0} + 1 ))
		got=$((got + 1))
	done < <(in_ns client curl -sS --max-time 5 "${urls[@]}")
	if (( got != $1 )); then
		echo "    # $(( $1 - got )) of $1 requests failed at $(date +%T.%N)" >&2
		n[none]=$(( $1 - got ))
	fi
	echo "rs1=${n[rs1]} rs2=${n[rs2]} rs3=${n[rs3]}${n[none]:+ none=${n[none]}}"
}

# drctl JSON query: jq-less, with python.
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

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
	SESSION_WHO[$n]=$(head -1 "/tmp/session$n.out")
}

more_lines() { [ "$(wc -l < "$1")" -gt "$2" ]; }
gone() { ! kill -0 "$1" 2>/dev/null; }

session_say()
{
	local out=/tmp/session$1.out seen
	seen=$(wc -l < "$out")
	echo "$2" >&"${SESSION_FD[$1]}"
	wait_for 100 more_lines "$out" "$seen" || { echo "(no answer)"; return 1; }
	sed -n "$((seen + 1))p" "$out"
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
# names) into FILE, returning once it listens; capture_stop ends it.
capture_start()
{
	in_ns client tcpdump -nn -e -l -i eth0 "$2" > "$1" 2> "$1.err" &
	CAPTURE_PID=$!
	wait_for 100 grep -q "listening on" "$1.err" || lab_error "tcpdump did not start"
}

capture_stop()
{
	sleep 0.5	# the last packets
	kill "$CAPTURE_PID" 2>/dev/null
	wait "$CAPTURE_PID" 2>/dev/null
	return 0
}
