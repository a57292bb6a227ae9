# SPDX-License-Identifier: GPL-2.0
# e2e-lab: fresh
# e2e-kernels: stock
# realserver check names what is missing on an unconfigured host; setup
# fixes it, once (a second setup changes nothing); teardown puts it back.
RS=rs-fresh

rs() { "$DRCTL" -N $RS realserver "$@"; }
knob() { in_ns $RS cat "/proc/sys/net/ipv4/conf/$1/$2"; }
knobs()
{
	local i k out=""
	for i in all eth0 bare0; do
		for k in arp_ignore arp_announce; do
			out="$out $i.$k=$(knob $i $k)"
		done
	done
	echo $out
}

run_case()
{
	local out rc err zero state
	trap 'ip netns del $RS 2>/dev/null; lab_down' EXIT
	ip netns add $RS
	# The state is per namespace, named after its inode, which a namespace
	# of an earlier case may have had.
	state=/run/drctl/realserver-netns-$(in_ns $RS stat -L -c %i /proc/self/ns/net).state
	rm -f "$state"
	ip -n $RS link add eth0 type dummy
	ip -n $RS addr add 10.9.0.5/24 dev eth0
	ip -n $RS link add bare0 type dummy	# up, but no address of its own
	ip -n $RS link set eth0 up
	ip -n $RS link set bare0 up
	ip -n $RS link set lo up
	for i in all eth0 bare0; do
		for k in arp_ignore arp_announce rp_filter; do
			in_ns $RS sysctl -qw net.ipv4.conf.$i.$k=0
		done
	done
	zero="all.arp_ignore=0 all.arp_announce=0 eth0.arp_ignore=0 eth0.arp_announce=0 bare0.arp_ignore=0 bare0.arp_announce=0"

	rc=0
	out=$(rs check $VIP) || rc=$?
	expect_eq "check on a fresh host exits" $rc 1
	for item in "$VIP is not an address of lo" "eth0: arp_ignore is 0" \
		    "eth0: arp_announce is 0" "bare0: arp_ignore is 0" "bare0: arp_announce is 0"; do
		[[ $out == *"$item"* ]] || fail "check does not say '$item': $out"
	done
	[[ $out == *"run 'drctl realserver setup $VIP'"* ]] || fail "check gives no fix: $out"
	[[ $out != *rp_filter* ]] || fail "rp_filter warning with rp_filter=0: $out"
	[[ $out != ok:* ]] || fail "check says ok: $out"

	in_ns $RS sysctl -qw net.ipv4.conf.eth0.rp_filter=1
	out=$(rs check $VIP)
	[[ $out == *"warning: eth0: rp_filter is 1 (strict)"* ]] ||
		fail "no rp_filter warning with rp_filter=1: $out"
	in_ns $RS sysctl -qw net.ipv4.conf.eth0.rp_filter=0

	rc=0
	out=$(rs setup $VIP 2>/tmp/rs-setup.err) || rc=$?
	expect_eq "setup exits" $rc 0
	[[ $out == *"added $VIP/32 to lo"* ]] || fail "setup did not say it added the VIP: $out"
	[[ $out == *"set net.ipv4.conf.all.arp_ignore 0 -> 1"* ]] || fail "setup output: $out"
	grep -q "bare0 has no IPv4 address of its own" /tmp/rs-setup.err ||
		fail "no warning about bare0: $(cat /tmp/rs-setup.err)"
	expect_eq "VIP on lo" "$(in_ns $RS ip -4 -br addr show dev lo | grep -o "$VIP/32")" "$VIP/32"
	expect_eq "knobs after setup" "$(knobs)" \
		"all.arp_ignore=1 all.arp_announce=2 eth0.arp_ignore=0 eth0.arp_announce=0 bare0.arp_ignore=0 bare0.arp_announce=0"
	rc=0
	out=$(rs check $VIP) || rc=$?
	expect_eq "check after setup exits" $rc 0
	expect_eq "check after setup says" "$out" \
		"ok: this host is set up as a DR real server for these VIPs"

	rc=0
	out=$(rs setup $VIP 2>&1) || rc=$?
	expect_eq "second setup exits" $rc 0
	expect_eq "second setup prints (warning aside)" "$(grep -v bare0 <<< "$out")" ""

	rc=0
	out=$(rs teardown $VIP) || rc=$?
	expect_eq "teardown exits" $rc 0
	[[ $out == *"removed $VIP/32 from lo"* ]] || fail "teardown output: $out"
	expect_eq "knobs after teardown" "$(knobs)" "$zero"
	expect_eq "VIP on lo after teardown" "$(in_ns $RS ip -4 -br addr show dev lo | grep -c "$VIP")" 0
	expect_run 1 "" rs check $VIP
	[ ! -e "$state" ] || fail "state left after teardown: $(cat "$state")"

	# A VIP the operator put on lo and a knob already right are left alone.
	in_ns $RS ip addr add $VIP/32 dev lo
	in_ns $RS sysctl -qw net.ipv4.conf.eth0.arp_ignore=2
	out=$(rs setup $VIP 2>/dev/null) || fail "setup with the VIP on lo"
	[[ $out != *"added"* && $out != *"eth0.arp_ignore"* ]] || fail "setup redid what was right: $out"
	rs check $VIP > /dev/null || fail "check after the second setup"
	rs teardown $VIP > /dev/null || fail "second teardown"
	expect_eq "operator's VIP kept" "$(in_ns $RS ip -4 -br addr show dev lo | grep -o "$VIP/32")" "$VIP/32"
	expect_eq "operator's arp_ignore kept" "$(knob eth0 arp_ignore)" 2
	expect_eq "all.arp_ignore put back" "$(knob all arp_ignore)" 0
}
