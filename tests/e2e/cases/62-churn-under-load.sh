# SPDX-License-Identifier: GPL-2.0
# e2e-kernels: stock debug
# e2e-cost: 18
# Churn under load: while the client requests the HTTP service and an
# echo session (mh service, backends untouched) stays open, one drctl batch
# deletes and re-adds a backend, adds and deletes a service with backends,
# changes schedulers and weights and flushes the connection table: 400
# rounds, 2820 commands (60 rounds, about 420, under KASAN). Every command succeeds; the session still echoes
# (after a flush Maglev keeps it on its backend); the service answers every
# request afterwards. On the debug kernel: no splat, no leak.
ROUNDS=400
# flowing: the HTTP service has forwarded some packets (/proc/net/drlb).
flowing() { (( $(in_ns director awk '$2 ~ /:80$/ {print $7; exit}' /proc/net/drlb) > 20 )); }
[ "${DRLB_VM_KERNEL:-}" != debug ] || ROUNDS=60

run_case()
{
	local i loop got scheds=(rr wrr lc wlc mh)
	lab_up
	start_http
	start_echo
	# Small Maglev tables: every backend change rebuilds the service's.
	lab_service tcp 80 mh-size 1021
	lab_service tcp 7 sched mh mh-size 1021
	session_open 1
	for ((i = 0; i < ROUNDS; i++)); do
		echo "backend del tcp $VIP:80 ${ADDR[rs3]}"
		echo "service add udp $VIP:5000 sched ${scheds[i % 5]} mh-size 251"
		echo "backend add udp $VIP:5000 ${ADDR[rs2]} weight $((i % 9 + 1))"
		echo "service set tcp $VIP:80 sched ${scheds[(i + 2) % 5]}"
		echo "backend set tcp $VIP:80 ${ADDR[rs1]} weight $((i % 4 + 1))"
		echo "backend add tcp $VIP:80 ${ADDR[rs3]}"
		echo "service del udp $VIP:5000"
		(( i % 20 )) || echo "conn flush"
	done > /tmp/churn.batch
	# A steady load: a request every 0.2 s or so, until killed.
	in_ns client "$HTTPASK" -r -p 200 -t 1 "http://$VIP/" > /dev/null 2>&1 &
	loop=$!
	wait_for 100 flowing || fail "no traffic before the churn"
	drctl -b /tmp/churn.batch > /dev/null || fail "churn batch failed"
	kill $loop
	wait $loop 2>/dev/null
	echo "    # $(wc -l < /tmp/churn.batch) commands;" \
		"$(drctl -j config show | json 'd["stats"]["packets"]') packets forwarded" >&2
	expect_eq "session echo after the churn" "$(session_say 1 still-here)" still-here
	session_close 1
	got=$(tally 6)
	[[ $got == *none=* ]] && fail "requests failed after the churn: $got"
	expect_eq "services after the churn" "$(drctl -j service show | json 'len(d)')" 2
	return 0
}
