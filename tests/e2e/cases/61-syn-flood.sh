# SPDX-License-Identifier: GPL-2.0
# e2e-kernels: stock debug
# e2e-cost: 23
# SYN flood: spoofed SYNs from random sources (tests/tools/synflood) against
# a table bounded by conn-max. The table stays at its bound and the slab
# memory with it; an echo session opened before the flood keeps echoing,
# and new connections from the real client still succeed during the flood
# (through the stateless path once the table is full); the counters say
# where the SYNs went. The real servers drop the spoofed SYNs at routing
# (rp_filter=1, no route back to 172.16/16), as they are not what is tested.
# 1M SYNs into 20000 entries; under KASAN, where a SYN costs a millisecond
# (900/s), 8000 into 1000 entries: the same paths, the table full as fast.
SYNS=1000000 CONN_MAX=20000
[ "${DRLB_VM_KERNEL:-}" != debug ] || { SYNS=8000 CONN_MAX=1000; }

slab_kb() { awk '/^Slab:/ {print $2}' /proc/meminfo; }

run_case()
{
	local h slab0 slab pid got conns scheduled full stateless
	lab_up
	start_http
	start_echo
	rs_drop_spoofed 1
	# SYN-only entries live tcpclose seconds: long enough to stay full.
	drctl config set conn-max $CONN_MAX tcpclose 120 || fail "config set conn-max"
	lab_service tcp 80
	lab_service tcp 7
	session_open 1
	slab0=$(slab_kb)

	in_ns client "$DRLB_TOP/.build/tools/synflood" eth0 "$(mac_of director)" "$VIP" 80 \
		"$SYNS" > /tmp/synflood.out 2>&1 &
	pid=$!
	# While it floods: the open session, and new connections.
	sleep 1
	kill -0 $pid 2>/dev/null || fail "the flood ended before the checks during it"
	expect_eq "session echo during the flood" "$(session_say 1 hello)" hello
	got=$(tally 3)
	[[ $got == *none=* ]] && fail "new connections failed during the flood: $got"
	wait $pid || fail "synflood: $(cat /tmp/synflood.out)"
	echo "    # $(cat /tmp/synflood.out)" >&2

	slab=$(slab_kb)
	read -r conns scheduled full stateless < <(drctl -j -s config show |
		json '" ".join(str(x) for x in (d["conn_count"], d["stats"]["conns"],
		d["stats"]["drop_table_full"], d["stats"]["stateless"]))')
	echo "    # conn_count $conns of $CONN_MAX; Slab ${slab0} kB -> ${slab} kB;" \
		"connections scheduled $scheduled, table full $full, stateless $stateless" >&2
	(( conns <= CONN_MAX )) || fail "table holds $conns connections, bound $CONN_MAX"
	(( conns >= CONN_MAX * 9 / 10 )) || fail "the flood filled only $conns of $CONN_MAX"
	# Each SYN got a table entry or went stateless, as counted.
	(( scheduled + full >= SYNS )) ||
		fail "$SYNS SYNs: $scheduled scheduled + $full table full"
	(( full >= SYNS - CONN_MAX )) || fail "table-full counted $full of $SYNS SYNs"
	(( stateless >= full )) || fail "stateless $stateless < table full $full: flows dropped"
	# Bounded: connections at most a few hundred bytes each, and 16 MB slack.
	(( slab - slab0 <= CONN_MAX / 2 + 16384 )) ||
		fail "slab grew $(( slab - slab0 )) kB for $CONN_MAX connections"
	expect_eq "session echo after the flood" "$(session_say 1 again)" again
	expect_eq "session still on" "$(session_say 1 who)" who
	session_close 1
	rs_drop_spoofed 0
	return 0
}
