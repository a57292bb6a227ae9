# SPDX-License-Identifier: GPL-2.0
# e2e-kernels: stock
# e2e-cost: 20
# make lab SCENARIO=drain: new connections avoid the drained backend, its open
# session still echoes, and after the sessions end it has no active conns.
run_case()
{
	local out drained
	out=$(lab_scenario drain)
	drained=$(sed -n 's/^Draining \(rs[123]\) .*/\1/p' <<< "$out")
	[ -n "$drained" ] || drained=$(sed -n 's/^  session 2 -> //p' <<< "$out")
	expect_eq "sessions" "$(sed -n 's/^  session [123] -> //p' <<< "$out" | sort | xargs)" "rs1 rs2 rs3"
	expect_eq "new connections" "$(grep -c -E '^  new connection [1-6] -> rs[123]$' <<< "$out")" 6
	grep -q -E "^  new connection [1-6] -> $drained\$" <<< "$out" &&
		fail "a new connection went to the drained $drained"
	grep -qF 'session 2 sent "still-here", got back "still-here"' <<< "$out" ||
		fail "the drained backend's session did not echo"
	# The last service listing: the drained backend, weight 0, no active conn.
	expect_eq "drained backend at the end" \
		"$(awk -v a="10.0.0.1${drained#rs}" '$1 == "->" && $2 == a {print $3, $4}' <<< "$out" | tail -1)" "0 0"
	grep -qE '^(drctl|error)' <<< "$out" && fail "drctl complained: $(grep -E '^(drctl|error)' <<< "$out")"
	return 0
}
