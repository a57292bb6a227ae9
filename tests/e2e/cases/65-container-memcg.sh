# SPDX-License-Identifier: GPL-2.0
# e2e-kernels: stock 6.12
# e2e-cost: 15
# A container may run its own director, but not past its memory cgroup or
# the initial namespace's ceilings. An unprivileged user in a cgroup with
# memory.max=64M makes a user and network namespace (unshare -Urn) and asks
# drctl for 5000 services of ~256 KiB each (their stateless Maglev tables):
# the batch stops with a message, out of memory or out of service-max, not
# an OOM kill; the cgroup stays within its limit and the host's kernel
# memory grows by no more than it; the container cannot raise service-max,
# backend-max or conn-max past the initial namespace's, and may lower them.
# The lab's director, in a namespace of the initial user namespace,
# forwards before and after.
CG=/sys/fs/cgroup/drlb-e2e-65
CG_MAX=$((64 << 20))
# CONFIG_SET NAME VALUE (python3 -c): one config set request; prints "ok"
# or the error's name and the kernel's message.
CONFIG_SET="
import errno, struct, sys
sys.path.insert(0, '$DRLB_TOP/tests/fuzz')
from failnth import Genl, A_CONFIG, CMD, nest, nla
attr = {'conn-max': 5, 'service-max': 8, 'backend-max': 9}[sys.argv[1]]
err, msg, _ = Genl().call(CMD['CONFIG_SET'],
			  [nest(A_CONFIG, [nla(attr, struct.pack('=I', int(sys.argv[2])))])])
print(f'{errno.errorcode[err]} {msg}' if err else 'ok')"
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all"

# kernel_kb: the host's kernel memory that services cost (slab, vmalloc,
# per-CPU), in kB.
kernel_kb()
{
	awk '/^(Slab|VmallocUsed|Percpu):/ {kb += $2} END {print kb}' /proc/meminfo
}

cgroup_setup()
{
	[ -e /sys/fs/cgroup/cgroup.controllers ] ||
		mount -t cgroup2 cgroup2 /sys/fs/cgroup || return 1
	echo +memory > /sys/fs/cgroup/cgroup.subtree_control || return 1
	mkdir -p "$CG" && echo $CG_MAX > "$CG/memory.max" || return 1
	echo 0 > "$CG/memory.swap.max" 2>/dev/null
	return 0
}

# in_container CMD...: CMD as nobody, in $CG, in a new user and network
# namespace (root there, nobody outside), from the VM's own namespace.
in_container()
{
	# Debian's kernels gate unprivileged user namespaces with a knob.
	[ ! -e /proc/sys/kernel/unprivileged_userns_clone ] ||
		sysctl -qw kernel.unprivileged_userns_clone=1
	sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$CG" \
		$NOBODY unshare -Urn "$@"
}

run_case()
{
	local i out rc init_svc init_conn init_be k0 k1 cur peak events holder batch_out
	lab_up
	start_http
	lab_service tcp 80
	expect_eq "forwarding before the container" "$(tally 3)" "rs1=1 rs2=1 rs3=1"
	cgroup_setup || { fail "no cgroup2 memory controller"; return 1; }

	read -r init_svc init_be init_conn < <("$DRCTL" -j config show |
		json '" ".join(str(d[k]) for k in ("service_max", "backend_max", "conn_max"))')
	in_container true || { fail "no unprivileged user namespace"; return 1; }

	# Ceilings: not above the initial namespace's; at or below it, fine.
	# (The kernel's own message, from netlink; drctl prints it too.)
	for k in service-max:$init_svc backend-max:$init_be conn-max:$init_conn; do
		expect_eq "container: config set ${k%:*} $(( ${k#*:} + 1 ))" \
			"$(in_container python3 -c "$CONFIG_SET" "${k%:*}" $(( ${k#*:} + 1 )))" \
			"EPERM ${k%:*} may not exceed the initial namespace's ${k%:*}"
		expect_eq "container: config set ${k%:*} ${k#*:}" \
			"$(in_container python3 -c "$CONFIG_SET" "${k%:*}" "${k#*:}")" "ok"
		expect_eq "container: config set ${k%:*} 100" \
			"$(in_container python3 -c "$CONFIG_SET" "${k%:*}" 100)" "ok"
	done
	expect_eq "container: config set service-max 100000" \
		"$(in_container python3 -c "$CONFIG_SET" service-max 100000)" \
		"EPERM service-max may not exceed the initial namespace's service-max"
	expect_run 1 "service-max may not exceed the initial namespace's service-max" \
		in_container "$DRCTL" config set service-max 100000
	# A lowered ceiling holds.
	printf 'config set service-max 2\nservice add udp 10.8.0.%d:53\n' 1 > /tmp/65-two.batch
	printf 'service add udp 10.8.0.%d:53\n' 2 3 >> /tmp/65-two.batch
	chmod 644 /tmp/65-two.batch
	expect_run 1 "as many services as service-max allows already" \
		in_container "$DRCTL" -b /tmp/65-two.batch

	for ((i = 0; i < 5000; i++)); do
		echo "service add udp 10.9.$((i / 250)).$((i % 250 + 1)):53"
	done > /tmp/65-services.batch
	chmod 644 /tmp/65-services.batch
	k0=$(kernel_kb)
	# After the batch the cgroup is full of kernel memory, by design: any
	# process started in it then would meet the OOM killer. So the shell
	# starts nothing more: it says how drctl ended and holds the namespace
	# (a builtin read on a FIFO) while the host measures from outside. What
	# they write goes to the host's .build over 9p, not to tmpfs: a tmpfs
	# page is charged to the writer's cgroup, and drctl's out-of-memory
	# message, written when the cgroup is full, once met the OOM killer.
	batch_out=$(mktemp -p "$DRLB_BUILD" e2e-65-batch.XXXXXX)
	chmod 666 "$batch_out"
	rm -f /tmp/65-hold
	mkfifo -m 666 /tmp/65-hold
	in_container sh -c '"$0" -b /tmp/65-services.batch > "$1" 2>&1
		echo "rc=$?" >> "$1"
		read x < /tmp/65-hold' "$DRCTL" "$batch_out" &
	holder=$!
	wait_for 1200 grep -q '^rc=' "$batch_out" || fail "the batch did not end"
	k1=$(kernel_kb)
	events=$(tr '\n' ' ' < "$CG/memory.events")
	echo go > /tmp/65-hold
	wait $holder
	rc=$?
	out=$(cat "$batch_out")
	rm -f "$batch_out"
	cur=$(cat "$CG/memory.current")
	peak=$(cat "$CG/memory.peak" 2>/dev/null || echo "$cur")
	echo "    # container: $(tail -2 <<< "$out" | tr '\n' ' ')" >&2
	echo "    # host kernel memory ${k0} kB -> ${k1} kB; cgroup peak $((peak >> 10)) kB," \
		"now $((cur >> 10)) kB, events: $events" >&2
	expect_eq "the container's shell" "$rc" 0
	[[ $out == *"rc=1"* ]] || fail "drctl -b in the container: want exit 1, got: $(tail -3 <<< "$out")"
	[[ $out == *"out of memory (or over the memory cgroup's limit)"* ||
	   $out == *"as many services as service-max allows already"* ]] ||
		fail "drctl -b in the container: no out-of-memory or service-max message"
	[[ $events == *"oom_kill 0 "* ]] || fail "the OOM killer ran in the container"
	(( peak <= CG_MAX )) || fail "cgroup peak $peak > memory.max $CG_MAX"
	(( ${k1:-0} - k0 <= (CG_MAX >> 10) + 8192 )) ||
		fail "host kernel memory grew $(( k1 - k0 )) kB, more than the cgroup allows"

	expect_eq "forwarding after the container" "$(tally 3)" "rs1=1 rs2=1 rs3=1"
	rmdir "$CG" 2>/dev/null
	return 0
}
