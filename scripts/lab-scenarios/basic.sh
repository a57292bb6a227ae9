# SPDX-License-Identifier: GPL-2.0
# basic: rr over three real servers; who answered, counters, DR bypass, conns, a picture.
scenario()
{
	lab_prologue http
	say "Director, configured with drctl only:"
	lab_service tcp 80 sched rr
	get > /dev/null		# warm ARP caches so the counters below are only HTTP

	counters_mark
	say "Twelve requests from the client to http://$VIP/ — who answered:"
	requests 12
	counters_show
	say "Per-backend counters (drctl -n -s service show):"
	show drctl -n -s service show
	say "Connection table (drctl -n conn show):"
	show drctl -n conn show
	legend
	picture
}
