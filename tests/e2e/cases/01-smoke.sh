# SPDX-License-Identifier: GPL-2.0
# The module loads, drctl talks to it, and it unloads and loads again.
# Where the kernel has BTF, so does drlb (scripts/module-btf on 6.1, whose
# headers have no vmlinux), and the kernel took it.
run_case()
{
	local ver
	if [ -e /sys/kernel/btf/vmlinux ]; then
		[ -e /sys/kernel/btf/drlb ] || fail "no /sys/kernel/btf/drlb on a kernel with BTF"
		dmesg | grep -q 'BTF.*drlb\|drlb.*BTF' && fail "BTF: $(dmesg | grep BTF | tail -3)"
	fi
	ver=$("$DRCTL" -j config show | json 'd["version"]')
	[ -n "$ver" ] || fail "drctl config show gave no version"
	[ -r /proc/net/drlb ] || fail "/proc/net/drlb missing"
	rmmod drlb || fail "rmmod drlb failed"
	expect_run 1 "the drlb module is not loaded" "$DRCTL" config show
	"$DRLB_TOP/scripts/load-module" || fail "reload failed"
	expect_eq "version after reload" "$("$DRCTL" -j config show | json 'd["version"]')" "$ver"
}
