# SPDX-License-Identifier: GPL-2.0
# e2e-xdp: yes
# e2e-lab: fresh
# e2e-cost: 14
# Path MTU discovery through the director: a client behind a router whose
# next link has a 1280-byte MTU downloads a file over IPv4 and IPv6. The real
# servers' 1500-byte replies make the router send "fragmentation needed" /
# "packet too big" to the VIP, which only the director holds on the
# segment; the director forwards each to the connection's backend, which
# then sends smaller segments. Without that the download stalls. Then again
# with the connection table full: the flows go the stateless way, and each
# ICMP error, about a flow this director has no entry for (as on a director
# of an ECMP fleet that the router hashes the error to), goes to the
# backend Maglev places that flow on.
# counters: the ICMP errors forwarded and the stateless placements so far.
counters() { drctl -j -s config show | json 'd["stats"]["icmp"], d["stats"]["stateless"]'; }

run_case()
{
	local h url icmp0 icmp stateless0 stateless entry
	lab_up
	lab_add_far
	start_http
	# 1 MB; 200 kB under KASAN (the first full-size segment is what matters).
	if [ "${DRLB_VM_KERNEL:-}" = debug ]; then
		head -c 200000 /dev/urandom > /tmp/big
	else
		head -c 1000000 /dev/urandom > /tmp/big
	fi
	for h in rs1 rs2 rs3; do
		cp /tmp/big "/tmp/www-$h/big"
	done
	# Room for the first two downloads' entries, kept by a long tcpfin.
	drctl config set conn-max 2 tcpfin 600 || fail "config set conn-max 2 tcpfin 600"
	lab_service tcp 80
	lab_service6 tcp 80
	for entry in yes no; do
		for url in "http://$VIP/big" "http://[$VIP6]/big"; do
			read -r icmp0 stateless0 < <(counters)
			rm -f /tmp/got
			in_ns far "$HTTPASK" -t 30 "$url" > /tmp/got ||
				fail "$url (entry $entry): download failed"
			cmp -s /tmp/big /tmp/got || fail "$url (entry $entry): downloaded file differs"
			read -r icmp stateless < <(counters)
			(( icmp > icmp0 )) || fail "$url (entry $entry): no ICMP error forwarded ($icmp0 -> $icmp)"
			if [ $entry = no ]; then
				(( stateless > stateless0 )) || fail "$url: not placed the stateless way"
			fi
		done
		expect_eq "entries after the downloads with entry $entry" \
			"$(drctl -j config show | json 'd["conn_count"]')" 2
	done
	# ICMP for the VIP about no connection stays with the director's stack.
	in_ns far ping -c1 -W2 "$VIP" > /dev/null || fail "director does not answer ping to the VIP"
	in_ns far ping -6 -c1 -W2 "$VIP6" > /dev/null || fail "director does not answer ping -6 to VIP6"
}
