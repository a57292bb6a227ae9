# SPDX-License-Identifier: GPL-2.0
# e2e-kernels: stock
# Without CAP_NET_ADMIN drctl says so; bad words and values are usage errors
# (exit 2); none of it changes the configuration.
nobody() { in_ns director setpriv --reuid=65534 --regid=65534 --clear-groups "$DRCTL" "$@"; }

run_case()
{
	local before=/tmp/drlb-before.conf cmd
	lab_up
	drctl service add tcp $VIP:80 || fail "service add"
	drctl backend add tcp $VIP:80 "${ADDR[rs1]}" || fail "backend add"
	drctl save > $before || fail "save"

	for cmd in "service show" "conn show" "config show" "save" "flush" "conn flush" \
		   "service del tcp $VIP:80" "backend set tcp $VIP:80 ${ADDR[rs1]} weight 9" \
		   "config set tcp 5"; do
		expect_run 1 "permission denied: need CAP_NET_ADMIN" nobody $cmd
	done
	# What needs no privilege works without it.
	nobody --help > /dev/null || fail "--help as nobody"
	nobody service help > /dev/null || fail "service help as nobody"
	expect_run 1 "" nobody realserver check $VIP	# a check, not a permission error
	[[ $(nobody realserver check $VIP 2>&1) != *"permission"* ]] ||
		fail "realserver check needs privileges"

	expect_run 2 "unknown object 'bogus'" drctl bogus show
	expect_run 2 "unknown service command 'frob'" drctl service frob
	expect_run 2 "unknown backend command 'show'" drctl backend show
	expect_run 2 "missing command" drctl backend
	expect_run 2 "invalid tcp '0'" drctl config set tcp 0
	expect_run 2 "'udp' needs a value" drctl config set udp
	expect_run 2 "unexpected 'tcpfinwait'" drctl config set tcpfinwait 30
	expect_run 2 "nothing to set" drctl config set
	expect_run 2 "invalid port" drctl service add tcp $VIP:0
	expect_run 2 "tcp or udp" drctl service add sctp $VIP:80
	expect_run 2 "unexpected 'extra'" drctl flush extra
	expect_run 2 "" drctl -x service show
	expect_run 2 "" drctl

	drctl save | diff -u $before - >&2 || fail "configuration changed"
}
