# SPDX-License-Identifier: GPL-2.0
# e2e-module: none
# A new operator's first steps on a director, in a VM just booted with
# nothing of netfilter loaded: exactly `insmod drlb.ko` (no modprobe, no
# depmod: the module asks for nf_defrag_ipv4/ipv6 itself), then drctl, and
# the service balances. The first case of a run, so that the boot is fresh.
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
	lab_service tcp 80 sched rr
	expect_eq "rr after a bare insmod" "$(tally 6)" "rs1=2 rs2=2 rs3=2"
}
