# SPDX-License-Identifier: GPL-2.0
# e2e-lab: fresh
# e2e-kernels: stock
# e2e-cost: 11
# make lab SCENARIO=failover: director2, given the backends in the other
# order, shows the same table digest; after the gratuitous ARP the client's
# VIP entry points at director2, and the open session goes on through its
# stateless Maglev path.
run_case()
{
	local out stateless
	out=$(lab_scenario failover)
	grep -qE "table digest \(drctl -s service show\): director ([0-9a-f]{8}), director2 \1\$" <<< "$out" ||
		fail "the directors' digests differ: $(grep 'table digest' <<< "$out")"
	grep -qF 'sent "one", got back "one"' <<< "$out" || fail "no echo through director 1"
	grep -qE "ARP entry for $VIP: .* \(director\) -> .* \(director2\)\$" <<< "$out" ||
		fail "the client's ARP entry did not move: $(grep 'ARP entry' <<< "$out")"
	grep -qF 'sent "two", got back "two"' <<< "$out" ||
		fail "the session did not survive the failover: $(grep 'sent "two"' <<< "$out")"
	stateless=$(sed -n 's/^Forwarded .* \([0-9]*\) stateless .*/\1/p' <<< "$out")
	(( ${stateless:-0} >= 1 )) || fail "director2's stateless count is '$stateless'"
}
