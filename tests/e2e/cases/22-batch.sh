# SPDX-License-Identifier: GPL-2.0
# e2e-kernels: stock
# drctl -b FILE: comments and blank lines are skipped, every line applies;
# the first failing line stops the batch and is reported as FILE:N:.
run_case()
{
	local f=/tmp/drlb-batch err rc
	lab_up
	drctl save | grep '^config set' > /tmp/drlb-config0
	cat > $f <<-END
		# two services and their backends

		service add tcp $VIP:80 sched wrr   # web
		backend add tcp $VIP:80 ${ADDR[rs1]} weight 3
		   # indented comment
		backend add tcp $VIP:80 ${ADDR[rs2]}
		service add udp $VIP:53
		backend add udp $VIP:53 ${ADDR[rs3]} weight 7
		config set udp 42
	END
	drctl -b $f || fail "batch failed"
	expect_eq "services from the batch" \
		"$(drctl -j service show | json '" ".join(sorted("%s:%d:%s" % (s["protocol"], s["port"], s["sched"]) for s in d))')" \
		"tcp:80:wrr udp:53:rr"
	expect_eq "tcp backends" \
		"$(drctl -j service show tcp $VIP:80 | json '" ".join("%s/%d" % (b["address"], b["weight"]) for b in d[0]["backends"])')" \
		"${ADDR[rs1]}/3 ${ADDR[rs2]}/1"
	expect_eq "udp backend weight" \
		"$(drctl -j service show udp $VIP:53 | json 'd[0]["backends"][0]["weight"]')" 7
	expect_eq "udp timeout" "$(drctl -j config show | json 'd["udp"]')" 42

	# Line 4 is refused by the kernel: lines 1-3 stay applied, 5 never runs.
	drctl flush
	cat > $f <<-END
		service add tcp $VIP:81
		# comment
		backend add tcp $VIP:81 ${ADDR[rs1]}
		backend add tcp $VIP:81 ${ADDR[rs1]}
		backend add tcp $VIP:81 ${ADDR[rs2]}
	END
	rc=0
	err=$(drctl -b $f 2>&1) || rc=$?
	expect_eq "exit code of a kernel refusal in a batch" $rc 1
	[[ $err == "drctl: $f:4: backend already exists"* ]] ||
		fail "batch error not reported as $f:4: '$err'"
	expect_eq "backends after the stopped batch" \
		"$(drctl -j service show | json '[b["address"] for s in d for b in s["backends"]]')" \
		"['${ADDR[rs1]}']"

	# A usage error on line 2 (exit 2): line 3 does not run either.
	drctl flush
	printf '%s\n' "service add tcp $VIP:82" "backend add tcp $VIP:82 ${ADDR[rs1]} weight -1" \
		"service add tcp $VIP:83" > $f
	expect_run 2 "$f:2: " drctl -b $f
	expect_eq "services after the usage error" \
		"$(drctl -j service show | json '[s["port"] for s in d]')" "[82]"
	expect_eq "backends after the usage error" \
		"$(drctl -j service show | json 'len(d[0]["backends"])')" 0

	# From standard input the file is called stdin.
	drctl flush
	rc=0
	err=$(printf '%s\n' "service add tcp $VIP:84" "bogus line" |
		"$DRCTL" -N director -b - 2>&1) || rc=$?
	expect_eq "exit code of an unknown object in a batch" $rc 2
	[[ $err == "drctl: stdin:2: unknown object 'bogus'"* ]] || fail "stdin batch said '$err'"
	expect_eq "service from the stdin batch" "$(drctl -j service show | json 'len(d)')" 1
	drctl -b /tmp/drlb-config0 || fail "config not put back"
}
