# SPDX-License-Identifier: GPL-2.0
# e2e-kernels: stock debug
# e2e-cost: 110
# Netlink fuzzing (tests/fuzz/nlfuzz.py): random and mutated drlb requests,
# with dumps left half-read in between. Unprivileged, every one is refused
# and the configuration does not change; privileged, every reply is
# well-formed, and afterwards the configuration is consistent: what a dump
# shows restores to itself and agrees with /proc/net/drlb. (On the debug
# kernel the VM then fails on any splat or kmemleak report.)
FUZZ="python3 $DRLB_TOP/tests/fuzz/nlfuzz.py"
# Under KASAN a request costs several times more: fewer, still thousands.
UNPRIV=3000 PRIV=20000
[ "${DRLB_VM_KERNEL:-}" != debug ] || { UNPRIV=1000 PRIV=3000; }

run_case()
{
	local before saved out
	lab_up
	lab_service tcp 80
	lab_service6 udp 53
	before=$(drctl save)
	out=$(in_ns director setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		$FUZZ --unprivileged --count $UNPRIV) || fail "unprivileged: $out"
	echo "    # unprivileged: $out" >&2
	expect_eq "configuration after unprivileged fuzzing" "$(drctl save)" "$before"

	out=$(in_ns director $FUZZ --count $PRIV) || fail "privileged: $out"
	echo "    # privileged: $out" >&2
	saved=$(drctl save) || fail "save after fuzzing"
	drctl flush || fail "flush after fuzzing"
	drctl restore <<< "$saved" || fail "restore of the fuzzed configuration"
	expect_eq "fuzzed configuration restored" "$(drctl save)" "$saved"
	expect_eq "services in /proc/net/drlb" \
		"$(in_ns director grep -cE '^(TCP|UDP) ' /proc/net/drlb)" \
		"$(drctl -j service show | json 'len(d)')"
	expect_eq "backends in /proc/net/drlb" \
		"$(in_ns director grep -c '^  -> [0-9a-f]' /proc/net/drlb)" \
		"$(drctl -j service show | json 'sum(len(s["backends"]) for s in d)')"
}
