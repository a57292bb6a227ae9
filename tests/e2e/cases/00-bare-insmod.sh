# SPDX-License-Identifier: GPL-2.0
# e2e-module: none
# A new operator's first steps on a director, in a VM just booted with
# nothing of netfilter loaded: exactly `insmod drlb.ko` (no modprobe, no
# depmod: the module asks for nf_defrag_ipv4/ipv6 itself), then drctl, and
# the service balances. drlb hooks a namespace (and enables defragmentation
# there) with its first service, not at load: before it, no namespace has a
# drlb hook (nft list hooks), after it only the director's. The first case
# of a run, so that the boot is fresh.
drlb_hooks() { in_ns "$1" nft list hooks 2>&1 | grep -c 'drlb_hook_ipv[46]'; }
run_case()
{
	local dir
	dir=$(dirname "$(drlb_module_for "$(uname -r)")")
	if lsmod | grep -Eq '^nf_defrag_ipv(4|6) '; then
		fail "nf_defrag is loaded already: this case must run first after boot"
		return 0
	fi
	(cd "$dir" && insmod drlb.ko) || fail "insmod drlb.ko on a fresh boot"
	lsmod | grep -q '^drlb ' || { fail "drlb not loaded"; return 0; }
	lsmod | grep -q '^nf_defrag_ipv4 ' || fail "nf_defrag_ipv4 was not loaded by drlb"
	lab_up
	start_http
	expect_eq "drlb hooks in the director before its first service" "$(drlb_hooks director)" 0
	lab_service tcp 80 sched rr
	expect_eq "drlb hooks in the director after it (IPv4, IPv6)" "$(drlb_hooks director)" 2
	expect_eq "drlb hooks in a real server's namespace" "$(drlb_hooks rs1)" 0
	expect_eq "rr after a bare insmod" "$(tally 6)" "rs1=2 rs2=2 rs3=2"
}
