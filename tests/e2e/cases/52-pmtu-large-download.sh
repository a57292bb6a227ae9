# SPDX-License-Identifier: GPL-2.0
# e2e-lab: fresh
# Path MTU discovery through the director: a client behind a router whose
# next link has a 1280-byte MTU downloads a file over IPv4 and IPv6. The real
# servers' 1500-byte replies make the router send "fragmentation needed" /
# "packet too big" to the VIP, which only the director holds on the
# segment; the director forwards each to the connection's backend, which
# then sends smaller segments. Without that the download stalls.
run_case()
{
	local h url icmp0 icmp
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
	lab_service tcp 80
	lab_service6 tcp 80
	for url in "http://$VIP/big" "http://[$VIP6]/big"; do
		icmp0=$(drctl -j -s config show | json 'd["stats"]["icmp"]')
		rm -f /tmp/got
		in_ns far curl -sS --max-time 30 -o /tmp/got "$url" || fail "$url: download failed"
		cmp -s /tmp/big /tmp/got || fail "$url: downloaded file differs"
		icmp=$(drctl -j -s config show | json 'd["stats"]["icmp"]')
		(( icmp > icmp0 )) || fail "$url: no ICMP error forwarded ($icmp0 -> $icmp)"
	done
	# ICMP for the VIP about no connection stays with the director's stack.
	in_ns far ping -c1 -W2 "$VIP" > /dev/null || fail "director does not answer ping to the VIP"
	in_ns far ping -6 -c1 -W2 "$VIP6" > /dev/null || fail "director does not answer ping -6 to VIP6"
}
