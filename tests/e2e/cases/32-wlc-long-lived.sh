# SPDX-License-Identifier: GPL-2.0
# wlc with weights 2:1:0 and six long-lived sessions: four, two and none,
# because it weighs the backends' established connections.
run_case()
{
	local h i who
	local -A n=([rs1]=0 [rs2]=0 [rs3]=0)
	lab_up
	start_echo
	drctl service add tcp $VIP:7 sched wlc || fail "service add"
	drctl backend add tcp $VIP:7 "${ADDR[rs1]}" weight 2 || fail "backend add rs1"
	drctl backend add tcp $VIP:7 "${ADDR[rs2]}" weight 1 || fail "backend add rs2"
	drctl backend add tcp $VIP:7 "${ADDR[rs3]}" weight 0 || fail "backend add rs3"
	for i in 1 2 3 4 5 6; do
		exec {fd}< <(in_ns client socat -T60 - TCP:$VIP:7 < <(sleep 60))
		read -r -t 5 who <&$fd || { fail "session $i got no greeting"; continue; }
		n[$who]=$(( ${n[$who]} + 1 ))
	done
	expect_eq "sessions per backend" "rs1=${n[rs1]} rs2=${n[rs2]} rs3=${n[rs3]}" "rs1=4 rs2=2 rs3=0"
	expect_eq "active connections" \
		"$(drctl -j service show | json '" ".join(str(b["active"]) for b in d[0]["backends"])')" \
		"4 2 0"
}
