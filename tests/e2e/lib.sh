# SPDX-License-Identifier: GPL-2.0
#
# What the e2e cases assert with, on the lab of scripts/lab-lib.sh (the
# topology, hosts, servers and drctl helpers, sourced here). Sourced by
# tests/e2e/run; every helper is plain bash.
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lab-lib.sh"

CASE_FAILED=0

# fail MESSAGE: the running case fails, and says why.
fail()
{
	echo "    # $*" >&2
	CASE_FAILED=1
}

expect_eq()
{
	local what=$1 got=$2 want=$3
	[ "$got" = "$want" ] || fail "$what: got '$got', want '$want'"
}

# expect_run WANT_RC WANT_STDERR_SUBSTRING CMD...: exit code and message.
expect_run()
{
	local rc=$1 msg=$2 err got=0
	shift 2
	err=$("$@" 2>&1 >/dev/null) || got=$?
	[ "$got" = "$rc" ] || fail "'$*' exited $got, want $rc (stderr: $err)"
	[[ $err == *"$msg"* ]] || fail "'$*' said '$err', want '$msg'"
}


# lab_scenario NAME: run make lab's scenario here; its output, colour removed.
lab_scenario()
{
	"$DRLB_TOP/scripts/lab" "$1" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' | tee "/tmp/lab-$1.txt"
}

# new_conns_avoid N WHO WHY: N new connections to the VIP's echo service
# (tcp_greet) are each greeted, and none by WHO (WHY: what WHO is now).
new_conns_avoid()
{
	local replies reply
	mapfile -t replies < <(tcp_greet "$1")
	expect_eq "new connections" "${#replies[@]}" "$1"
	for reply in "${replies[@]}"; do
		[ "$reply" != none ] && [ "$reply" != "$2" ] ||
			fail "a new connection went to '$reply' ($3: $2)"
	done
}
