# SPDX-License-Identifier: GPL-2.0
# e2e-kernels: stock
# restore is all or nothing: a bad line (usage, exit 2) changes nothing; a
# line the kernel refuses (exit 1) puts the previous configuration back.
run_case()
{
	local before=/tmp/drlb-before.conf after=/tmp/drlb-after.conf err
	lab_up
	drctl save | grep '^config set' > /tmp/drlb-config0
	drctl config set tcp 700 udp 300 || fail "config set"
	drctl service add tcp $VIP:80 sched rr || fail "service add"
	drctl backend add tcp $VIP:80 "${ADDR[rs1]}" weight 2 || fail "backend add rs1"
	drctl backend add tcp $VIP:80 "${ADDR[rs2]}" || fail "backend add rs2"
	drctl save > $before || fail "save"

	# Line 3 is not even an address: refused before the kernel sees anything.
	printf '%s\n' "config set tcp 100" "service add udp $VIP:53" \
		"service add tcp 10.0.0.300:80" "backend add udp $VIP:53 ${ADDR[rs3]}" \
		> /tmp/bad-syntax.conf
	expect_run 2 "stdin:3: invalid VIP" drctl restore < /tmp/bad-syntax.conf
	drctl save > $after
	diff -u $before $after >&2 || fail "config changed by a refused restore (syntax)"

	# restore takes only add/set lines.
	printf '%s\n' "service add udp $VIP:53" "service del tcp $VIP:80" > /tmp/bad-verb.conf
	expect_run 2 "stdin:2: restore takes only" drctl restore < /tmp/bad-verb.conf
	drctl save | diff -u $before - >&2 || fail "config changed by a refused restore (verb)"

	# A backend behind a gateway: drctl's own on-link check refuses it (exit 1).
	in_ns director ip route replace 192.0.2.0/24 via 10.0.0.254
	printf '%s\n' "service add udp $VIP:53" "backend add udp $VIP:53 192.0.2.7" \
		> /tmp/bad-route.conf
	expect_run 1 "stdin:2:" drctl restore < /tmp/bad-route.conf
	expect_run 1 "not on-link" drctl restore < /tmp/bad-route.conf
	drctl save | diff -u $before - >&2 || fail "config changed by a refused restore (route)"

	# drctl itself sees a duplicate service, before anything changes.
	printf '%s\n' "service add udp $VIP:53" "service add udp $VIP:53" > /tmp/dup.conf
	expect_run 2 "stdin:2: service udp $VIP:53 is added twice" drctl restore < /tmp/dup.conf
	drctl save | diff -u $before - >&2 || fail "config changed by a refused restore (dup)"

	# Every line passes drctl, the kernel refuses line 4: one service more
	# than the file's own service-max allows, which only the kernel counts.
	printf '%s\n' "config set tcp 100 udp 20 service-max 1" "service add udp $VIP:53" \
		"backend add udp $VIP:53 ${ADDR[rs3]}" "service add udp $VIP:54" \
		> /tmp/bad-kernel.conf
	err=$(drctl restore < /tmp/bad-kernel.conf 2>&1) &&
		fail "restore beyond service-max succeeded"
	[[ $err == *"stdin:4: as many services as service-max allows already"* ]] ||
		fail "kernel refusal not reported on line 4: $err"
	[[ $err == *"previous configuration is back"* ]] ||
		fail "restore does not say the old config is back: $err"
	expect_run 1 "service-max" drctl restore < /tmp/bad-kernel.conf
	drctl save | diff -u $before - >&2 || fail "config not put back after a kernel refusal"
	expect_eq "tcp timeout put back" "$(drctl -j config show | json 'd["tcp"]')" 700
	expect_eq "udp timeout put back" "$(drctl -j config show | json 'd["udp"]')" 300
	drctl -b /tmp/drlb-config0 || fail "config not put back"
}
