# SPDX-License-Identifier: GPL-2.0
# e2e-lab: fresh
# e2e-kernels: stock
# make lab's basic scenario prints twelve rr answers 4/4/4, counters that
# agree, a director that saw only the client's packets, and the connections.
run_case()
{
	local out drx ctx
	out=$(lab_scenario basic)
	expect_eq "answers" "$(grep -c -E '^  request +[0-9]+ -> rs[123]$' <<< "$out")" 12
	expect_eq "rr shares" "$(sed -n 's/^  request .* -> //p' <<< "$out" | sort | uniq -c | awk '{print $1}' | xargs)" "4 4 4"
	expect_eq "per-backend conns" "$(awk '/^  -> 10\.0\.0\.1[123] / {print $NF}' <<< "$out" | xargs)" \
		"$(sed -n 's/^  request .* -> rs//p' <<< "$out" | sort | uniq -c | awk '{print $1 + ($2 == 1)}' | xargs)"
	ctx=$(awk '/^  client +[0-9]+ +[0-9]+$/ {print $3}' <<< "$out")
	drx=$(awk '/^  director +[0-9]+ +[0-9]+$/ {print $2}' <<< "$out")
	(( ctx >= 48 && drx >= ctx && drx <= ctx + 12 )) ||
		fail "director received $drx packets for the client's $ctx"
	expect_eq "connections shown" "$(grep -c -E '^TCP +[0-9]+:[0-9]+ ' <<< "$out")" 13
}
