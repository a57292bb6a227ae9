# SPDX-License-Identifier: GPL-2.0
# The module loads, drctl talks to it, and it unloads and loads again.
run_case()
{
	local ver
	ver=$("$DRCTL" -j config show | json 'd["version"]')
	[ -n "$ver" ] || fail "drctl config show gave no version"
	[ -r /proc/net/drlb ] || fail "/proc/net/drlb missing"
	rmmod drlb || fail "rmmod drlb failed"
	expect_run 1 "the drlb module is not loaded" "$DRCTL" config show
	"$DRLB_TOP/scripts/load-module" || fail "reload failed"
	expect_eq "version after reload" "$("$DRCTL" -j config show | json 'd["version"]')" "$ver"
}
