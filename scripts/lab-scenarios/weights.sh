# SPDX-License-Identifier: GPL-2.0
# weights: wrr 3:2:1 shares the requests 6:4:2; a live weight change to
# 1:1:1 evens them out, with no restart and no connection lost.
scenario()
{
	lab_prologue http
	say "Director: weighted round robin, weights 3:2:1"
	show drctl service add tcp $VIP:80 sched wrr
	show drctl backend add tcp $VIP:80 "${ADDR[rs1]}" weight 3
	show drctl backend add tcp $VIP:80 "${ADDR[rs2]}" weight 2
	show drctl backend add tcp $VIP:80 "${ADDR[rs3]}" weight 1
	say "Twelve requests:"
	requests 12
	say "Weights changed live to 1:1:1:"
	for h in rs1 rs2 rs3; do
		show drctl backend set tcp $VIP:80 "${ADDR[$h]}" weight 1
	done
	say "Six more requests:"
	requests 6
	say "Per-backend counters (drctl -n -s service show):"
	show drctl -n -s service show
	legend
}
