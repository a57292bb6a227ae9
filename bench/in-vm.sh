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

candidate_up()
{
	case $1 in
	drlb|drlb-ingress)
		if [ "$1" = drlb ]; then
			"$DRLB_TOP/scripts/load-module"
		else
			"$DRLB_TOP/scripts/load-module" ingress_hook=1
		fi
		drctl config set conn-max 2000000 tcpclose 600 udp 600 > /dev/null
		lab_service udp 9 mh-size 1021
		lab_service tcp 80 mh-size 1021
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

modprobe pktgen
lab_up
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

for ((r = 1; r <= ROUNDS; r++)); do
	for cand in drlb-ingress drlb ipvs floor; do
		candidate_up $cand
		rate pps $cand $r pktgen "$PPS_COUNT" "$VIP"
		if [ $cand != floor ]; then
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
lab_down
