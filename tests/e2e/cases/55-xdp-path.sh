# SPDX-License-Identifier: GPL-2.0
# e2e-lab: fresh
# e2e-cost: 30
# drlb's XDP path (drctl xdp): a foreign program is left alone and bad
# words refused; attached, it forwards exactly the packets the client sent
# (none reach the netfilter path) and the connection table has their
# flows; rmmod is refused while a program holds drlb.ko; generic mode
# forwards too; a device or a namespace that goes takes its program with
# it; after detach drlb unloads; a drlb.ko without BTF is refused.

# xdp_counts: what drlb forwarded from PRE_ROUTING and from XDP, and the
# service's packets.
xdp_counts()
{
	drctl -j -s config show | json '"%d %d" % (d["stats"]["hook_prerouting"], d["stats"]["hook_xdp"])'
}

# xdp_sent: the client's packets to the VIP so far.
xdp_sent() { pkt_count client egress ip src_ip "${ADDR[client]}" dst_ip "$VIP"; }
# xdp_caught_up SENT0 XDP0: XDP has forwarded every packet the client sent since.
xdp_caught_up()
{
	local pre xdp
	read -r pre xdp <<< "$(xdp_counts)"
	[ $(($(xdp_sent) - $1)) = $((xdp - $2)) ]
}

# xdp_ours DEV [NS]: DEV (in NS, the director by default) runs drlb's program.
xdp_ours() { [[ $("$DRCTL" -N "${2:-director}" xdp show "$1") == *drlb_xdp* ]]; }

run_case()
{
	local pass=$DRLB_BUILD/tools/xdp-pass.bpf.o pre0 xdp0 pre1 xdp1 sent conns0 conns1 err
	export LAB_XDP=1
	lab_up
	start_http
	lab_service tcp 80 sched rr

	# Bad words, and another's program.
	expect_run 1 "no device nosuch in this network namespace" drctl xdp attach nosuch
	expect_run 2 "the mode is native or generic" drctl xdp attach eth0 turbo
	ip -n director link set dev eth0 xdp off
	expect_run 1 "eth0 runs no XDP program" drctl xdp detach eth0
	ip -n director link set dev eth0 xdpdrv obj "$pass" sec xdp || fail "XDP_PASS on eth0"
	expect_run 1 "eth0 runs another XDP program (xdp_pass" drctl xdp attach eth0
	expect_run 1 "not drlb's: drctl leaves it" drctl xdp detach eth0
	[[ $(drctl xdp show) == *"xdp_pass"*"(not drlb's)"* ]] || fail "show: $(drctl xdp show)"
	ip -n director link set dev eth0 xdp off

	# Attached: the client's packets, all of them by XDP.
	drctl xdp attach eth0 native 2> /dev/null || fail "xdp attach eth0 native"
	expect_eq "show -j" "$(drctl -j xdp show | json '[(x["dev"], x["mode"], x["program"], x["drlb"]) for x in d]')" \
		"[('eth0', 'native', 'drlb_xdp', True)]"
	expect_run 1 "runs drlb's XDP program in native mode: drctl xdp detach eth0 first" \
		drctl xdp attach eth0 generic
	tally 3 > /dev/null	# the backends' neighbours resolved
	pkt_count_start client egress ip src_ip "${ADDR[client]}" dst_ip "$VIP"
	read -r pre0 xdp0 <<< "$(xdp_counts)"
	conns0=$(tcp_conns director)
	expect_eq "rr shares over XDP" "$(tally 12)" "rs1=4 rs2=4 rs3=4"
	wait_for 20 xdp_caught_up 0 "$xdp0"
	sent=$(xdp_sent)
	read -r pre1 xdp1 <<< "$(xdp_counts)"
	conns1=$(tcp_conns director)
	(( sent >= 12 * 5 )) || fail "the client sent only $sent packets"
	expect_eq "packets XDP forwarded" $((xdp1 - xdp0)) "$sent"
	expect_eq "packets PRE_ROUTING forwarded" $((pre1 - pre0)) 0
	expect_eq "connections scheduled" $((conns1 - conns0)) 12
	expect_eq "connections in the table" \
		"$(drctl -j conn show | json 'len([c for c in d if c["state"] == "fin_wait"])')" 15
	pkt_count_stop client

	# A program holds drlb.ko.
	err=$(rmmod drlb 2>&1) && fail "rmmod drlb succeeded with XDP attached"
	[[ $err == *"in use"* ]] || fail "rmmod said '$err', want 'in use'"

	# Generic mode.
	drctl xdp detach eth0 || fail "xdp detach eth0"
	drctl xdp attach eth0 generic 2> /dev/null || fail "xdp attach eth0 generic"
	[[ $(drctl xdp show eth0) == *"eth0"*"generic"*"drlb_xdp"* ]] || fail "not generic: $(drctl xdp show eth0)"
	read -r pre0 xdp0 <<< "$(xdp_counts)"
	expect_eq "rr shares over generic XDP" "$(tally 3)" "rs1=1 rs2=1 rs3=1"
	read -r pre1 xdp1 <<< "$(xdp_counts)"
	(( xdp1 - xdp0 >= 3 * 5 )) || fail "generic XDP forwarded $((xdp1 - xdp0)) packets"
	expect_eq "packets PRE_ROUTING forwarded in generic mode" $((pre1 - pre0)) 0
	drctl xdp detach eth0 || fail "xdp detach eth0 (generic)"

	# A device, and a namespace, that go take their programs along.
	ip -n director link add xv0 type veth peer name xv1
	ip -n director link set xv0 up
	drctl xdp attach xv0 2> /dev/null || fail "xdp attach xv0"
	xdp_ours xv0 || fail "xv0 runs no drlb program"
	ip -n director link del xv0
	ip netns add xdpgone
	ip -n xdpgone link add xv0 type veth peer name xv1
	ip -n xdpgone link set xv0 up
	"$DRCTL" -N xdpgone xdp attach xv0 2> /dev/null || fail "xdp attach in netns xdpgone"
	xdp_ours xv0 xdpgone || fail "xv0 in xdpgone runs no drlb program"
	ip netns del xdpgone
	wait_for 150 rmmod drlb || fail "drlb does not unload once its programs are gone"

	# Without BTF the kfunc does not exist: drctl says so.
	objcopy --remove-section .BTF "$(drlb_module_for "$(uname -r)")" /tmp/drlb-nobtf.ko
	"$DRLB_TOP/scripts/load-module" /tmp/drlb-nobtf.ko || fail "a drlb.ko without BTF loads"
	[ ! -e /sys/kernel/btf/drlb ] || fail "/sys/kernel/btf/drlb exists without BTF"
	expect_run 1 "drlb.ko has no BTF (/sys/kernel/btf/drlb is missing)" drctl xdp attach eth0
	rmmod drlb || fail "rmmod the drlb.ko without BTF"
	"$DRLB_TOP/scripts/load-module" || fail "drlb.ko loads again"
	return 0
}
