# SPDX-License-Identifier: GPL-2.0
# e2e-kernels: debug
# Every configuration operation builds its new state first and publishes it
# only after: an allocation that fails returns an error, changes nothing and
# leaks nothing. tests/fuzz/failnth.py fails the 1st, 2nd, 3rd ...
# allocation of each operation (fail-nth: slab and page allocations, the
# netlink core's and drlb's) until it succeeds: every failure must leave
# the configuration (a dump of all drctl save shows, and the digests of the
# services' hash tables) as it was and the lab's services forwarding to
# their real servers only (a backend left in a published scheduler would
# eat some of the new connections); drctl save must show after each
# operation what it showed before; each operation that allocates must have
# come back at least once with drlb's out-of-memory message. vm-run then
# fails the run on any kmemleak report or splat.
FAILNTH="python3 $DRLB_TOP/tests/fuzz/failnth.py"

# fault_setup: fail-nth's allocations may sleep; the failures, silent.
fault_setup()
{
	local d=/sys/kernel/debug
	[ -e $d/failslab ] && [ -e $d/fail_page_alloc ] || return 1
	echo N > $d/failslab/ignore-gfp-wait
	echo N > $d/fail_page_alloc/ignore-gfp-wait
	echo N > $d/fail_page_alloc/ignore-gfp-highmem
	echo 0 > $d/fail_page_alloc/min-order
	for f in failslab fail_page_alloc; do
		echo 0 > $d/$f/probability
		echo 0 > $d/$f/verbose
	done
}

run_case()
{
	local before out rc
	lab_up
	start_http
	lab_service tcp 80
	lab_service6 tcp 80 sched mh
	fault_setup || { fail "no failslab or fail_page_alloc in debugfs"; return 1; }
	before=$(drctl save | sort)
	out=$(in_ns director $FAILNTH --save-cmd "$DRCTL save" --flows-from client \
		--flow "$VIP:80" --flow "[$VIP6]:80" --flow-count 2 2>&1)
	rc=$?
	sed 's/^/    # /' <<< "$out" >&2
	expect_eq "failnth exit" "$rc" 0
	expect_eq "configuration after failnth (sorted)" "$(drctl save | sort)" "$before"
	expect_eq "forwarding after failnth" "$(tally 3)" "rs1=1 rs2=1 rs3=1"
	expect_eq "forwarding over IPv6 after failnth" "$(tally 6 "[$VIP6]" | grep -c none=)" 0
	return 0
}
