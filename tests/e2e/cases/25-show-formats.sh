# SPDX-License-Identifier: GPL-2.0
# e2e-kernels: stock
# e2e-cost: 11
# Output formats: aligned plain tables, port names unless -n, JSON with the
# documented keys, -s statistics, command prefixes and help.
# json_shape CMD: checks drctl -j CMD (one line) and -p CMD (indented) parse,
# and prints the keys and value types of -j's output.
json_shape()
{
	python3 - "$(drctl -j "$@")" "$(drctl -p "$@")" <<-'END'
		import json, sys
		def shape(x):
		    if isinstance(x, dict):
		        return "{" + ",".join(k + ":" + shape(v) for k, v in sorted(x.items())) + "}"
		    if isinstance(x, list):
		        return "[" + (shape(x[0]) if x else "") + "]"
		    return type(x).__name__
		j, p = sys.argv[1], sys.argv[2]
		assert len(j.splitlines()) == 1, "-j is not one line"
		assert len(p.splitlines()) > 5, "-p is not indented"
		json.loads(p)
		print(shape(json.loads(j)))
	END
}

run_case()
{
	local out rc h cmd
	lab_up
	start_http
	drctl service add tcp $VIP:80 sched rr || fail "service add"
	for h in rs1 rs2 rs3; do
		drctl backend add tcp $VIP:80 "${ADDR[$h]}" weight 2 || fail "backend add $h"
	done
	# Closed connections stay listed however slow the VM is.
	drctl save | grep '^config set' > /tmp/drlb-config0
	drctl config set tcpfin 900 tcpclose 900 || fail "config set"
	expect_eq "answers" "$(tally 3)" "rs1=1 rs2=1 rs3=1"

	# conn show plain: a header and one line per connection.
	out=$(drctl conn show)
	expect_eq "conn lines" "$(grep -c "^TCP .* 10\.0\.0\.2:[0-9]* *$VIP:http *10\.0\.0\.1[123]$" <<< "$out")" 3
	expect_eq "conn -n lines" "$(drctl -n conn show | grep -c " $VIP:80 ")" 3

	expect_eq "conn keys" "$(drctl -j conn show | json 'sorted(d[0])')" \
		"['backend', 'client', 'cport', 'expires', 'protocol', 'state', 'vip', 'vport']"

	drctl service set tcp $VIP:80 sched wrr persist 10 || fail "service set"

	# Plain: a header, the service, its backends as "  -> " lines, same columns.
	out=$(drctl service show)
	expect_eq "plain lines" "$(wc -l <<< "$out")" 6
	expect_eq "backend lines" "$(grep -c '^  -> 10\.0\.0\.1[123] ' <<< "$out")" 3
	grep -q "^TCP  $VIP:http  *wrr  *10  *3  *-$" <<< "$out" || fail "service line: $out"
	python3 - "$out" <<-'END' || fail "plain columns not aligned: $out"
		import sys
		lines = sys.argv[1].splitlines()
		cols = [i for i, c in enumerate(lines[0]) if c != " " and lines[0][i - 1] == " "]
		for l in lines:
		    starts = [i for i, c in enumerate(l) if c != " " and (i == 0 or l[i - 1] == " ")]
		    assert starts[-4:] == cols[-4:], (l, starts, cols)
	END
	[[ $(drctl -n service show) == *"$VIP:80 "* ]] || fail "-n does not print :80"
	[[ $(drctl -n service show) != *":http"* ]] || fail "-n still prints :http"

	# -s adds the counters, and the service's connections are counted.
	out=$(drctl -s service show)
	[[ $(head -1 <<< "$out") == *"Packets"*"Bytes"*"Conns" ]] || fail "-s header: $out"
	expect_eq "-s conns of the service" "$(awk '$1 == "TCP" { print $NF }' <<< "$out")" 3
	[[ $(drctl service show) != *Packets* ]] || fail "counters without -s"

	# JSON: one line with -j, indented with -p, both valid, the documented keys.
	expect_eq "service show JSON" "$(json_shape service show)" \
		"[{backends:[{active:int,address:str,health:str,inactive:int,rate:{bytes:int,conns:int,packets:int},stats:{bytes:int,conns:int,packets:int},weight:int}],digest:str,mh_size:int,persist:int,port:int,protocol:str,rate:{bytes:int,conns:int,packets:int},sched:str,stats:{bytes:int,conns:int,packets:int},vip:str}]"
	expect_eq "conn show JSON" "$(json_shape conn show)" \
		"[{backend:str,client:str,cport:int,expires:int,protocol:str,state:str,vip:str,vport:int}]"
	expect_eq "config show JSON" "$(json_shape config show)" \
		"{backend_max:int,conn_count:int,conn_max:int,fleet:bool,rate:{bytes:int,conns:int,packets:int},seed:str,service_max:int,stats:{bytes:int,conns:int,drop_backend_gone:int,drop_no_backend:int,drop_table_full:int,drop_too_big:int,drop_ttl:int,drop_unreachable:int,hook_ingress:int,hook_prerouting:int,hook_xdp:int,icmp:int,packets:int,stateless:int},tcp:int,tcpclose:int,tcpfin:int,udp:int,version:str}"
	expect_eq "service values" \
		"$(drctl -j service show | json 'd[0]["vip"], d[0]["port"], d[0]["sched"], d[0]["persist"]')" \
		"$VIP 80 wrr 10"

	# Prefixes.
	expect_eq "se sh" "$(drctl se sh)" "$(drctl service show)"
	expect_eq "service alone" "$(drctl service)" "$(drctl service show)"
	expect_run 2 "'s' is ambiguous: service, save" drctl s
	expect_run 2 "ambiguous" drctl service s

	# Help: every command is mentioned.
	out=$(drctl --help) || fail "--help exits non-zero"
	for cmd in "service add" "service set" "service del" "service show" "backend add" \
		   "backend set" "backend del" "conn show" "conn flush" "config show" \
		   "config set" "drctl flush" "drctl save" "drctl restore" "realserver setup" \
		   "realserver teardown" "realserver check" "director check" "-b FILE"; do
		[[ $out == *"$cmd"* ]] || fail "--help does not mention '$cmd'"
	done
	out=$(drctl service help) || fail "service help exits non-zero"
	for cmd in add set del show; do
		[[ $out == *"drctl service $cmd"* ]] || fail "service help does not mention $cmd"
	done
	[[ $out != *backend* ]] || fail "service help shows other objects"
	drctl -b /tmp/drlb-config0 || fail "config not put back"
}
