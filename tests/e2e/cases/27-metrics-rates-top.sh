# SPDX-License-Identifier: GPL-2.0
# e2e-kernels: stock
# e2e-cost: 40
# Observability. Under steady HTTP traffic (rs1 set down), the module's
# rates (drctl -s -r, JSON "rate") agree with the connections counted over
# the same time, the backends' rates add up to the service's, a down
# backend has none, and they fall to 0 once the traffic stops. drctl
# metrics, run as drlb-metrics.service runs it, is scraped through the real
# prometheus-node-exporter's textfile collector and through drlbd
# --metrics, each scrape parsed with prometheus_client's parser and equal
# to drctl -j; every metric docs/grafana-drlb.json queries is in it. drctl
# top, in an 80-column tmux (its 100-column lines cut, escapes and all),
# shows the services sorted with health, rates and totals, and q ends it.
DRLBD=$DRLB_TOP/tools/drlbd/drlbd
CHECK=$DRLB_TOP/tests/e2e/metrics-check.py
UNIT=$DRLB_TOP/tools/drctl/systemd/drlb-metrics.service
TEXTFILE=/tmp/textfile

conns_total() { drctl -j -s config show | json 'd["stats"]["conns"]'; }

# rate_sample: "service-conns/s service-pkts/s backends'-conns/s rs1-conns/s"
rate_sample()
{
	drctl -j -s -r service show tcp "$VIP:80" | json "' '.join(map(str, [
		d[0]['rate']['conns'], d[0]['rate']['packets'],
		sum(b['rate']['conns'] for b in d[0]['backends']),
		[b['rate']['conns'] for b in d[0]['backends']
		 if b['address'] == '${ADDR[rs1]}'][0]]))"
}
rates_zero() { [ "$(rate_sample)" = "0 0 0 0" ]; }

# rates_during_traffic: steady requests for a while, the rates sampled
# meanwhile, judged against the connections counted over the same time.
rates_during_traffic()
{
	local c0 c1 t0 t1 pid s cps pps sum down n=0 ok=0 total_c=0 total_p=0 avg samples=()
	# Warm up first: under TCG the first requests run slower, new code.
	answers 100 > /dev/null
	c0=$(conns_total) t0=$EPOCHREALTIME
	answers 800 > /tmp/answers &
	pid=$!
	while kill -0 $pid 2>/dev/null; do
		read -r cps pps sum down <<< "$(rate_sample)"
		n=$((n + 1))
		# Rounding: each rate to the nearest, so one per backend apart.
		(( sum >= cps - 3 && sum <= cps + 3 )) ||
			fail "sample $n: the backends' $sum conns/s do not add up to $cps"
		[ "$down" = 0 ] || fail "sample $n: rs1 is down and has $down conns/s"
		total_c=$((total_c + cps)) total_p=$((total_p + pps))
		samples+=("$cps")
		lab_sleep 0.5
	done
	c1=$(conns_total) t1=$EPOCHREALTIME
	expect_eq "requests answered" "$(grep -c 'rs[23]' /tmp/answers)" 800
	avg=$(bc <<< "scale=2; ($c1 - $c0) / ($t1 - $t0)")
	echo "    # $((c1 - c0)) connections in $(bc <<< "$t1 - $t0") s: $avg/s;" \
		"the module's rates: ${samples[*]}" >&2
	(( n >= 4 )) || { fail "only $n rate samples during the traffic"; return; }
	# The samples of the steady middle: not the first two (the estimator's
	# interval may reach back before the traffic) nor the last.
	for s in "${samples[@]:2:${#samples[@]}-3}"; do
		(( $(bc <<< "$s * 3 >= $avg && $s <= $avg * 3") )) && ok=$((ok + 1)) ||
			fail "rate $s conns/s is far from the $avg/s counted"
	done
	(( ok >= 1 )) || fail "no rate sample in the steady middle"
	# Each HTTP connection is at least 5 packets to the VIP.
	(( total_p >= 5 * total_c && total_c > 0 )) ||
		fail "$total_p packets/s for $total_c conns/s summed over the samples"
	drctl -s -r service show | grep -q 'Pkts/s *Bytes/s *Conns/s$' ||
		fail "no rate columns in drctl -s -r service show"
	wait_for 60 rates_zero || fail "rates not 0 6 s after the traffic: $(rate_sample)"
}

# snapshot: drctl's view, the reference of the scrapes.
snapshot()
{
	drctl -j -s service show > /tmp/svc.json
	drctl -j -s config show > /tmp/cfg.json
	cat /tmp/svc.json /tmp/cfg.json
}

# scrape_agrees WHAT URL [DASHBOARD]: URL scraped between two equal
# snapshots (an entry expiring meanwhile: once more), then checked.
scrape_agrees()
{
	local before out try
	for try in 1 2 3; do
		before=$(snapshot)
		in_ns director curl -sSf "$2" > "/tmp/scrape-$1.txt" ||
			{ fail "$1: cannot scrape $2"; return; }
		[ "$(snapshot)" != "$before" ] || break
	done
	out=$(/usr/bin/python3 "$CHECK" "/tmp/scrape-$1.txt" /tmp/svc.json /tmp/cfg.json \
		${3:+"$3"}) ||
		fail "$1: $out"
}

metrics()
{
	local cmd out mode
	# The unit's own command, with the lab's drctl and a directory of its own.
	cmd=$(sed -n 's/^ExecStart=//p' "$UNIT")
	cmd=${cmd/\/usr\/sbin\/drctl/$DRCTL}
	cmd=${cmd/\/var\/lib\/prometheus\/node-exporter/$TEXTFILE}
	mkdir -p $TEXTFILE
	in_ns director $cmd || fail "drlb-metrics.service's '$cmd' failed"
	mode=$(stat -c %a $TEXTFILE/drlb.prom)
	expect_eq "textfile mode" "$mode" 644
	expect_eq "files in the textfile directory" "$(ls $TEXTFILE)" drlb.prom
	in_ns director prometheus-node-exporter --collector.disable-defaults --collector.textfile \
		--collector.textfile.directory=$TEXTFILE --web.listen-address=127.0.0.1:9100 \
		> /tmp/node-exporter.log 2>&1 &
	wait_for 300 in_ns director curl -sf http://127.0.0.1:9100/metrics ||
		fail "node_exporter did not start: $(cat /tmp/node-exporter.log)"
	# Written afresh between the snapshots of scrape_agrees: the unit's job.
	in_ns director $cmd
	scrape_agrees node-exporter http://127.0.0.1:9100/metrics "$DRLB_TOP/docs/grafana-drlb.json"

	in_ns director "$DRLBD" -f --metrics 127.0.0.1:9101 > /tmp/drlbd-metrics.log 2>&1 &
	wait_for 300 in_ns director curl -sf http://127.0.0.1:9101/metrics ||
		fail "drlbd --metrics did not serve: $(cat /tmp/drlbd-metrics.log)"
	scrape_agrees drlbd http://127.0.0.1:9101/metrics
	grep -q '^drlb_backend_health{.*backend="'"${ADDR[rs1]}"'",state="down"} 1$' \
		/tmp/scrape-drlbd.txt || fail "rs1 is not down in drlbd's scrape"
	expect_eq "drlbd: another path" \
		"$(in_ns director curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:9101/other)" 404
	expect_run 1 "invalid --metrics 'nowhere'" in_ns director "$DRLBD" -f --metrics nowhere
	expect_run 1 "cannot create /nonexistent/drlb.prom." drctl metrics /nonexistent/drlb.prom
	expect_run 2 "unexpected 'b'" drctl metrics a b
}

# pane: what tmux shows of drctl top.
pane() { in_ns director tmux -L e2etop capture-pane -p -t top; }
top_shows() { pane > /tmp/pane.txt && grep -q "$1" /tmp/pane.txt; }
# top_busy: a frame where the service has connections per second (field 7).
top_busy()
{
	pane > /tmp/pane.txt &&
		awk -v s="$VIP:80" '$2 == s && $7 != "0" {f = 1} END {exit !f}' /tmp/pane.txt
}
top_gone() { ! in_ns director tmux -L e2etop has-session -t top; }

top_no_terminal() { drctl top < /dev/null; }

top_view()
{
	local pid order
	expect_run 2 "top needs a terminal" top_no_terminal
	answers 500 > /dev/null &
	pid=$!
	in_ns director env TERM=xterm tmux -L e2etop new-session -d -s top -x 80 -y 30 \
		"$DRCTL top interval 1" || fail "tmux did not start drctl top"
	wait_for 200 top_shows "^TCP  $VIP:80 .* 2/3 " ||
		fail "drctl top shows no service with 2 of 3 backends up: $(cat /tmp/pane.txt)"
	# Rates move: a frame where the service has connections per second.
	wait_for 200 top_busy ||
		fail "no conn/s in drctl top: $(cat /tmp/pane.txt)"
	grep -q "^drctl top: drlb .* (q quits)" /tmp/pane.txt || fail "no title line"
	# The header's reverse video ends with it, though its line was cut:
	# tmux (capture-pane -e) resets it before the service row.
	in_ns director tmux -L e2etop capture-pane -e -p -t top > /tmp/pane-e.txt
	python3 -S -c 'import re, sys
t = open(sys.argv[1]).read()
i = t.find("\x1b[7m")
sys.exit(not (i >= 0 and re.search(r"\x1b\[(0|27)?m", t[i + 4:t.find("TCP ", i)])))' \
		/tmp/pane-e.txt || fail "the header's reverse video runs on into the service row"
	grep -q "^ *Total " /tmp/pane.txt || fail "no totals line"
	# Sorted by rate: rs1 (down, no traffic, the lowest address) last.
	order=$(awk '$1 == "->" {print $2 "=" $3}' /tmp/pane.txt | xargs)
	[[ $order == *"${ADDR[rs1]}=down" ]] || fail "rs1 (down) is not last: $order"
	in_ns director tmux -L e2etop send-keys -t top q
	wait_for 50 top_gone || fail "q did not end drctl top"
	wait $pid
}

run_case()
{
	lab_up
	start_http
	lab_service tcp 80 sched rr
	drctl backend set tcp "$VIP:80" "${ADDR[rs1]}" health down reason "e2e: set down" ||
		fail "backend set health down"
	rates_during_traffic
	metrics
	top_view
}
