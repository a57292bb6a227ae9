# SPDX-License-Identifier: GPL-2.0
# e2e-kernels: stock
# make lab's basic scenario prints twelve rr answers 4/4/4, counters that
# agree, a director that forwarded every packet the client sent to the VIP
# and sent it none, and the connections.

# lab_count OUTPUT PACKETS WHO: a count of the scenario's bypass table.
lab_count() { sed -n "s/^  $2 *$3 *\([0-9]*\)\$/\1/p" <<< "$1"; }

run_case()
{
	local out drx ctx fwd toc crx
	out=$(lab_scenario basic)
	expect_eq "answers" "$(grep -c -E '^  request +[0-9]+ -> rs[123]$' <<< "$out")" 12
	expect_eq "rr shares" "$(sed -n 's/^  request .* -> //p' <<< "$out" | sort | uniq -c | awk '{print $1}' | xargs)" "4 4 4"
	expect_eq "per-backend conns" "$(awk '/^  -> 10\.0\.0\.1[123] / {print $NF}' <<< "$out" | xargs)" \
		"$(sed -n 's/^  request .* -> rs//p' <<< "$out" | sort | uniq -c | awk '{print $1 + ($2 == 1)}' | xargs)"
	ctx=$(lab_count "$out" "client -> VIP" "sent by the client")
	drx=$(lab_count "$out" "client -> VIP" "received by the director")
	fwd=$(lab_count "$out" "client -> VIP" "forwarded by the director")
	toc=$(lab_count "$out" "director -> client" "sent by the director")
	crx=$(lab_count "$out" "VIP -> client" "received by the client")
	(( ctx >= 12 * 4 )) || fail "client sent only $ctx packets to the VIP"
	(( crx >= 12 * 3 )) || fail "client received only $crx replies"
	expect_eq "client's packets the director received" "$drx" "$ctx"
	expect_eq "client's packets the director forwarded" "$fwd" "$ctx"
	expect_eq "packets the director sent to the client" "$toc" 0
	expect_eq "connections shown" "$(grep -c -E '^TCP +[0-9]+:[0-9]+ ' <<< "$out")" 13
}
