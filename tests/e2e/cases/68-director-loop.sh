# SPDX-License-Identifier: GPL-2.0
# e2e-lab: fresh
# Two directors, each given the other as the backend of the same service:
# a misconfiguration. DR decrements the TTL as IPVS and routers do, so a
# datagram crosses the pair at most its TTL's worth of times and is then
# dropped and counted (drop_ttl); without it the two would pass it between
# them forever.
forwarded() { "$DRCTL" -N "$1" -j -s config show | json 'd["stats"]["packets"]'; }
ttl_drops() { "$DRCTL" -N "$1" -j -s config show | json 'd["stats"]["drop_ttl"]'; }
looped_out() { [ $(( $(ttl_drops director) + $(ttl_drops director2) )) = 1 ]; }

run_case()
{
	local a b a2 b2
	lab_up
	lab_add_host director2
	drctl service add udp $VIP:9 || fail "service add on director"
	drctl backend add udp $VIP:9 "${ADDR[director2]}" || fail "backend director2"
	"$DRCTL" -N director2 service add udp $VIP:9 || fail "service add on director2"
	"$DRCTL" -N director2 backend add udp $VIP:9 "${ADDR[director]}" ||
		fail "backend director"
	in_ns client /usr/bin/python3 "$DRLB_TOP/tests/tools/rawudp.py" eth0 "$(mac_of director)" \
		"${ADDR[client]}" "$VIP" 4000 9 --ttl 20 || fail "rawudp"
	wait_for 100 looped_out || fail "no TTL drop: the datagram still loops"
	a=$(forwarded director) b=$(forwarded director2)
	sleep 0.5
	a2=$(forwarded director) b2=$(forwarded director2)
	expect_eq "loop stopped" "$a2 $b2" "$a $b"
	# TTL 20 leaves the client: 19 hops forward it, the 20th has none left
	# (the packet counters count what each took, the dropped one too).
	expect_eq "packets taken before the TTL ran out" "$((a + b))" 20
	expect_eq "TTL drops" "$(( $(ttl_drops director) + $(ttl_drops director2) ))" 1
}
