#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench/in-vm.sh ROUNDS OUT: the measurements of `make bench`, inside the VM
# (scripts/vm-run), on the lab (scripts/lab-lib.sh) plus a generator
# namespace, gen, whose veth goes straight into the director (its eth1):
# gen sends, the director forwards on br0, the real servers count what
# arrives (their eth0 rx counters) and drop it at tc ingress. Writes
# tab-separated rows "figure candidate round value" to OUT.
set -uo pipefail
DRLB_TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$DRLB_TOP/scripts/lab-lib.sh"
ROUNDS=$1 OUT=$2
PPS_COUNT=${BENCH_PPS_COUNT:-300000}
SYN_COUNT=${BENCH_SYN_COUNT:-200000}
SYNFLOOD=$DRLB_BUILD/tools/synflood
: > "$OUT"

row() { printf '%s\t%s\t%s\t%s\n' "$@" >> "$OUT"; echo "  $1 $2 round $3: $4" >&2; }
now() { date +%s.%N; }
# What arrived: at the real servers, or with SINK=1 at the director.
rs_rx()
{
	local h n=0
	[ -z "${SINK:-}" ] || { netdev_stat director rx_packets eth1; return; }
	for h in rs1 rs2 rs3; do
		n=$((n + $(netdev_stat "$h" rx_packets)))
	done
	echo $n
}

# The real servers drop every IPv4 packet at tc ingress: what is measured
# is the director. ARP still passes, and is resolved first.
rs_drop()
{
	local h
	for h in rs1 rs2 rs3; do
		in_ns director ping -c1 -W1 "${ADDR[$h]}" > /dev/null
		in_ns "$h" tc qdisc add dev eth0 clsact
		in_ns "$h" tc filter add dev eth0 ingress protocol ip matchall action drop
	done
}

# pktgen from gen: COUNT 64-byte UDP packets to DST:9 from 10k source
# addresses, to the director's MAC.
pktgen()
{
	local count=$1 dst=$2 pg=/proc/net/pktgen
	in_ns gen bash -c "
		echo rem_device_all > $pg/kpktgend_0
		echo add_device eth0 > $pg/kpktgend_0
		for c in 'count $count' 'pkt_size 64' 'delay 0' 'clone_skb 0' 'dst $dst' \
			 'dst_mac $IN_MAC' 'udp_dst_min 9' 'udp_dst_max 9' \
			 'src_min 172.16.0.1' 'src_max 172.16.39.16' 'flag IPSRC_RND'; do
			echo \"\$c\" > $pg/eth0
		done
		echo start > $pg/pgctrl"
}

# rate FIGURE CANDIDATE ROUND CMD...: CMD sends; the real servers' rx over
# its run time.
rate()
{
	local figure=$1 cand=$2 round=$3 rx0 t0 t1 rx1
	shift 3
	rx0=$(rs_rx)
	t0=$(now)
	"$@"
	t1=$(now)
	sleep 0.2
	rx1=$(rs_rx)
	row "$figure" "$cand" "$round" "$(python3 -c "print(round(($rx1 - $rx0) / ($t1 - $t0)))")"
}

# synflood COUNT PREFIX: COUNT SYNs to VIP:80 from gen, from distinct
# sources PREFIX.x.y.
synflood() { in_ns gen "$SYNFLOOD" eth0 "$IN_MAC" "$VIP" 80 "$1" "$2" > /dev/null; }

# XDP's frames redirected into the director's eth0 are taken by the
# NAPI instance of its peer, the bridge's end: an XDP_PASS program there
# gives it one (drctl.8, XDP). Only while an XDP candidate runs: for the
# others it would add a copy of every skb.
xdp_peer() { ip link set dev br-director xdpdrv obj "$DRLB_BUILD/tools/xdp-pass.bpf.o" sec xdp; }

# The XDP floor (bench/xdp-floor.bpf.c), built for this lab: to rs1, from
# the director's MAC, out of its eth0.
mac_bytes() { local m=$1; echo "0x${m//:/,0x}"; }
XDP_FLOOR=/tmp/xdp-floor.bpf.o
xdp_floor_build()
{
	clang -O2 -target bpf -I"/usr/include/$(gcc -dumpmachine)" \
		-DFLOOR_DMAC="$(mac_bytes "$(mac_of rs1)")" -DFLOOR_SMAC="$(mac_bytes "$(mac_of director)")" \
		-DFLOOR_IFINDEX="$(in_ns director cat /sys/class/net/eth0/ifindex)" \
		-c "$DRLB_TOP/bench/xdp-floor.bpf.c" -o "$XDP_FLOOR"
}

candidate_up()
{
	case $1 in
	drlb|drlb-ingress|drlb-xdp)
		if [ "$1" = drlb-ingress ]; then
			"$DRLB_TOP/scripts/load-module" ingress_hook=1
		else
			"$DRLB_TOP/scripts/load-module"
		fi
		drctl config set conn-max 2000000 tcpclose 600 udp 600 > /dev/null
		lab_service udp 9 mh-size 1021
		lab_service tcp 80 mh-size 1021
		if [ "$1" = drlb-xdp ]; then
			xdp_peer
			drctl xdp attach eth1 native 2> /dev/null
		fi
		;;
	xdp-floor)
		xdp_peer
		ip -n director link set dev eth1 xdpdrv obj "$XDP_FLOOR" sec xdp
		;;
	ipvs)
		modprobe ip_vs
		in_ns director ipvsadm -A -u "$VIP:9" -s rr
		in_ns director ipvsadm -A -t "$VIP:80" -s rr
		for h in rs1 rs2 rs3; do
			in_ns director ipvsadm -a -u "$VIP:9" -r "${ADDR[$h]}" -g
			in_ns director ipvsadm -a -t "$VIP:80" -r "${ADDR[$h]}" -g
		done
		in_ns director ipvsadm --set 900 600 600
		;;
	floor)
		# The cheapest in-kernel MAC-rewrite forward: every IPv4 packet
		# to rs1, from the director's MAC as drlb and IPVS send it.
		in_ns director tc qdisc add dev eth1 clsact
		in_ns director tc filter add dev eth1 ingress protocol ip matchall \
			action pedit ex munge eth dst set "$(mac_of rs1)" \
			munge eth src set "$(mac_of director)" pipe \
			action mirred egress redirect dev eth0
		;;
	sink)
		# Not a candidate: what sending costs, the director dropping all.
		in_ns director tc qdisc add dev eth1 clsact
		in_ns director tc filter add dev eth1 ingress protocol ip matchall action drop
		;;
	esac
}

candidate_down()
{
	case $1 in
	drlb|drlb-ingress) rmmod drlb ;;
	drlb-xdp)
		drctl xdp detach eth1
		ip link set dev br-director xdp off
		# The program held drlb.ko until it is freed, after a grace period.
		wait_for 50 rmmod drlb
		;;
	xdp-floor)
		ip -n director link set dev eth1 xdp off
		ip link set dev br-director xdp off
		;;
	ipvs) in_ns director ipvsadm -C; rmmod ip_vs_rr ip_vs 2>/dev/null ;;
	floor|sink) in_ns director tc qdisc del dev eth1 clsact ;;
	esac
}

slab_kb() { awk '/^(Slab|VmallocUsed):/ {n += $2} END {print n}' /proc/meminfo; }

# Memory per tracked connection: N SYNs from distinct sources, each a
# connection, slab and vmalloc before and after.
memory()
{
	local cand=$1 n=$2 m0 m1
	candidate_up "$cand"
	sync; echo 3 > /proc/sys/vm/drop_caches
	m0=$(slab_kb)
	synflood "$n" 10.128
	sleep 1
	m1=$(slab_kb)
	row "bytes/conn@$n" "$cand" 1 $(( (m1 - m0) * 1024 / n ))
	candidate_down "$cand"
}

# The checkers: drlbd and keepalived's TCP_CHECK (driving IPVS), each
# against the same CHECK_BACKENDS backends at interval 1 for CHECK_SECONDS,
# one after the other: the CPU seconds each used, and how late probes came
# as the backends saw them. The backends are one host, farm, on a link of
# its own to the director, that has 10.2.0.0/22 as local addresses and runs
# probesink (tests/tools/probesink.c) on port 80.
CHECK_BACKENDS=${BENCH_CHECK_BACKENDS:-1000} CHECK_SECONDS=${BENCH_CHECK_SECONDS:-60}
farm_addr() { echo "10.2.$(($1 / 250)).$(($1 % 250 + 1))"; }
farm_up()
{
	ip netns add farm
	ip link add eth2 netns director type veth peer name eth0 netns farm
	ip -n director addr add 10.2.255.254/16 dev eth2
	ip -n director link set eth2 up
	ip -n farm addr add 10.2.255.1/16 dev eth0
	ip -n farm link set eth0 up
	ip -n farm link set lo up
	ip -n farm route add local 10.2.0.0/22 dev lo
	# One neighbour per backend: the table is shared by all namespaces.
	sysctl -qw net.ipv4.neigh.default.gc_thresh1=8192 \
		net.ipv4.neigh.default.gc_thresh2=16384 net.ipv4.neigh.default.gc_thresh3=32768
}
CLK_TCK=$(getconf CLK_TCK)
# pids_named NAME: PIDS, the processes whose command is NAME (pgrep -x).
# cpu_s PID...: CPU_S, user + system seconds of those processes and their
# reaped children. Both with shell builtins alone, as they run while the
# checker does: a process started then (pgrep, sed, awk) took the guest's
# CPU from it, and showed as 100 to 200 ms of lateness in its last second.
pids_named()
{
	local d comm
	PIDS=()
	for d in /proc/[0-9]*; do
		read -r comm < "$d/comm" 2> /dev/null && [ "$comm" = "$1" ] && PIDS+=("${d#/proc/}")
	done
}
cpu_s()
{
	local p stat f ticks=0
	for p in "$@"; do
		read -r stat < "/proc/$p/stat"
		read -r -a f <<< "${stat##*) }"
		ticks=$((ticks + f[11] + f[12] + f[13] + f[14]))
	done
	printf -v CPU_S '%d.%02d' $((ticks / CLK_TCK)) $((ticks % CLK_TCK * 100 / CLK_TCK))
}
# checker NAME START_CMD...: run the checker for CHECK_SECONDS with probesink
# on the farm; rows of its CPU and of the gaps between probes of a backend.
checker()
{
	local name=$1 sink=/tmp/probesink-$1.txt f v i
	shift
	in_ns farm "$DRLB_BUILD/tools/probesink" 80 3600 1000 > "$sink" &
	wait_for 50 listening farm tcp 80 || echo "bench: probesink did not start" >&2
	"$@"
	sleep "$CHECK_SECONDS"
	pids_named "$name"
	cpu_s "${PIDS[@]}"
	kill "${PIDS[@]}"
	row checker-cpu-s "$name" 1 "$CPU_S"
	pkill -x probesink
	wait_for 50 grep -q '^probes' "$sink"
	echo "  $name: $(cat "$sink")" >&2
	read -r -a f < "$sink"
	for v in probes gap_mean_ms gap_p99_ms gap_max_ms late_max_ms; do
		for ((i = 0; i < ${#f[@]}; i += 2)); do
			[ "${f[i]}" = "$v" ] && row "checker-$v" "$name" 1 "${f[i + 1]}"
		done
	done
}
drlbd_up()
{
	local i
	"$DRLB_TOP/scripts/load-module"
	{
		echo "service add tcp $VIP:80 sched rr"
		for ((i = 0; i < CHECK_BACKENDS; i++)); do
			echo "backend add tcp $VIP:80 $(farm_addr $i)"
		done
		echo "check set tcp $VIP:80 tcp interval 1 timeout 1"
	} | drctl -b -
	in_ns director "$DRLB_TOP/tools/drlbd/drlbd" -f 2> $DRLB_BUILD/bench/drlbd.log &
}
keepalived_up()
{
	local i
	modprobe ip_vs
	{
		echo "virtual_server $VIP 80 {"
		echo "  delay_loop 1"
		echo "  lb_algo rr"
		echo "  lb_kind DR"
		echo "  protocol TCP"
		for ((i = 0; i < CHECK_BACKENDS; i++)); do
			printf '  real_server %s 80 {\n    weight 1\n    TCP_CHECK {\n      connect_timeout 1\n    }\n  }\n' \
				"$(farm_addr $i)"
		done
		echo "}"
	} > /tmp/keepalived-bench.conf
	in_ns director keepalived -n -l -C -f /tmp/keepalived-bench.conf \
		-p /tmp/keepalived-bench.pid -c /tmp/keepalived-bench-checkers.pid \
		2> $DRLB_BUILD/bench/keepalived.log &
}
checkers()
{
	farm_up
	checker drlbd drlbd_up
	wait_for 50 grep -q stopping: $DRLB_BUILD/bench/drlbd.log
	sed -n 's/.*stopping: /  drlbd: /p' $DRLB_BUILD/bench/drlbd.log >&2
	row checker-own-late-max-ms drlbd 1 \
		"$(sed -n 's/.*stopping: .* max \([0-9.]*\) ms$/\1/p' $DRLB_BUILD/bench/drlbd.log)"
	rmmod drlb
	checker keepalived keepalived_up
	wait_for 100 eval '! pgrep -x keepalived'
	in_ns director ipvsadm -C
	rmmod ip_vs_rr ip_vs
	ip netns del farm
}

modprobe pktgen
lab_up
if [ "${BENCH_ONLY:-}" = checkers ]; then
	checkers
	lab_down
	exit 0
fi
ip netns add gen
ip link add eth0 netns gen type veth peer name eth1 netns director
ip -n gen link set eth0 up
ip -n director link set eth1 up
IN_MAC=$(in_ns director cat /sys/class/net/eth1/address)
rs_drop
# Plain forwarding through the director, for the non-VIP overhead: to
# 10.9.0.0/16, routed to rs1.
in_ns director sysctl -qw net.ipv4.ip_forward=1
in_ns director ip route add 10.9.0.0/16 via "${ADDR[rs1]}"

xdp_floor_build
# BENCH_PROFILE=1: then, for each of the two, perf samples the whole guest
# (cpu-clock, 2 kHz) while pktgen sends PPS_COUNT packets; the symbols'
# shares go to $DRLB_BUILD/bench/profile-CANDIDATE.txt.
profile()
{
	local cand=$1 data=/tmp/perf-$1.data
	candidate_up "$cand"
	perf record -q -e cpu-clock -F 2000 -a -o "$data" -- \
		bash -c "$(declare -f in_ns pktgen); NSRUN=$NSRUN IN_MAC=$IN_MAC; pktgen $PPS_COUNT $VIP" \
		2> /dev/null
	perf report -i "$data" --no-children --sort sym --stdio 2> /dev/null \
		> "$DRLB_BUILD/bench/profile-$cand.txt"
	candidate_down "$cand"
}
# BENCH_ONLY=xdp: drlb's XDP path and the XDP floor alone, back to back,
# the first of the pair alternating round by round, and 2 x ROUNDS rounds:
# the two swing together under TCG, so the ratio within a round is the
# figure.
if [ "${BENCH_ONLY:-}" = xdp ]; then
	for ((r = 1; r <= 2 * ROUNDS; r++)); do
		pair=(drlb-xdp xdp-floor)
		[ $((r % 2)) = 1 ] || pair=(xdp-floor drlb-xdp)
		for cand in "${pair[@]}"; do
			candidate_up $cand
			rate pps $cand $r pktgen "$PPS_COUNT" "$VIP"
			candidate_down $cand
		done
	done
	if [ -n "${BENCH_PROFILE:-}" ]; then
		profile drlb-xdp
		profile xdp-floor
	fi
	lab_down
	exit 0
fi
# The candidates in one order in odd rounds and the reverse in even ones,
# so that a candidate's place in the round (what ran just before it) weighs
# on each alike; with one fixed order the XDP floor always came right after
# drlb's XDP path and its SYN flood.
CANDIDATES=(drlb-ingress drlb ipvs floor drlb-xdp xdp-floor)
for ((r = 1; r <= ROUNDS; r++)); do
	order=()
	for ((i = 0; i < ${#CANDIDATES[@]}; i++)); do
		if [ $((r % 2)) = 1 ]; then
			order+=("${CANDIDATES[i]}")
		else
			order=("${CANDIDATES[i]}" ${order[@]+"${order[@]}"})
		fi
	done
	for cand in "${order[@]}"; do
		candidate_up $cand
		rate pps $cand $r pktgen "$PPS_COUNT" "$VIP"
		if [ $cand != floor ] && [ $cand != xdp-floor ]; then
			rate conns/s $cand $r synflood "$SYN_COUNT" 10.$((60 + r))
		fi
		candidate_down $cand
	done
	candidate_up sink
	SINK=1 rate pps sink $r pktgen "$PPS_COUNT" "$VIP"
	candidate_down sink
	# Non-VIP traffic with drlb loaded (a service on the VIP) and not.
	rate fwd-pps no-drlb $r pktgen "$PPS_COUNT" 10.9.0.1
	for cand in drlb-ingress drlb; do
		candidate_up $cand
		rate fwd-pps $cand $r pktgen "$PPS_COUNT" 10.9.0.1
		candidate_down $cand
	done
done

# New connections with 1M already tracked.
for cand in drlb ipvs; do
	candidate_up $cand
	synflood 1000000 10.200
	rate conns/s@1M $cand 1 synflood "$SYN_COUNT" 10.201
	candidate_down $cand
done

for n in 100000 1000000; do
	memory drlb $n
	memory ipvs $n
done
checkers
lab_down
