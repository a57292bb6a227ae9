# SPDX-License-Identifier: GPL-2.0
# e2e-kernels: stock
# e2e-cost: 50
# make lab's basic scenario prints twelve rr answers 4/4/4, counters that
# agree, a director that forwarded every packet the client sent to the VIP
# and sent it none, and the connections. Its picture: ten requests a
# second, none to rs2 once drained, none failed but between rs3's failure
# and drlbd's taking it out, all three answering again at the end, and a
# PNG of it.

# answered_by FROM TO WHO: requests of the picture in [FROM, TO) s that WHO answered.
answered_by()
{
	awk -v a="$1" -v b="$2" -v w="$3" '$1 >= a && $1 < b && $2 == w {n++} END {print n + 0}' \
		"$DRLB_BUILD/lab/requests.txt"
}

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

	local pic=$DRLB_BUILD/lab down total
	grep -q "^  the picture: .build/lab/requests.png (open it)$" <<< "$out" ||
		fail "no picture announced"
	[ "$(head -c 8 "$pic/requests.png" | od -An -tx1 | xargs)" = "89 50 4e 47 0d 0a 1a 0a" ] ||
		fail "requests.png is no PNG"
	total=$(wc -l < "$pic/requests.txt")
	(( total >= 180 )) || fail "only $total requests in 24 s"
	down=$(awk '$2 == "drlbd:" {print $1}' "$pic/events.txt")
	[ -n "$down" ] || { fail "drlbd never took rs3 out: $(cat "$pic/events.txt")"; return; }
	expect_eq "rs2 answered while drained" "$(answered_by 6.5 18 rs2)" 0
	expect_eq "rs3 answered once down, before it came back" "$(answered_by "$down" 18 rs3)" 0
	expect_eq "failed before rs3's failure" "$(answered_by 0 12 FAILED)" 0
	expect_eq "failed once drlbd took rs3 out" \
		"$(answered_by "$(bc <<< "$down + 0.5")" 99 FAILED)" 0
	(( $(answered_by 12 "$down" FAILED) > 0 )) ||
		fail "no failure seen between rs3's failure and drlbd"
	for h in rs1 rs2 rs3; do
		(( $(answered_by 22 24 $h) > 0 )) || fail "$h does not answer at the end"
	done
}
