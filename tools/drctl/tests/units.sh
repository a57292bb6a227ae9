#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The systemd units, checked on the host without booting systemd: they pass
# systemd-analyze verify, systemd-analyze security shows the hardening, and
# their stop commands, run the way systemd runs them against a stand-in
# drctl, do what they promise. TAP on stdout.
#
# usage: tests/units.sh DRCTL DRLBD (the built drctl and drlbd, to stand
# for /usr/sbin/drctl and /usr/sbin/drlbd)

set -u
drctl=$(realpath "$1")
drlbd=$(realpath "$2")
units=$(dirname "$0")/../systemd
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
n=0
failed=0

tap()
{
	local name=$1 out

	shift
	n=$((n + 1))
	if out=$("$@" 2>&1); then
		echo "ok $n - units: $name"
	else
		echo "not ok $n - units: $name"
		sed 's/^/# /' <<< "$out"
		failed=1
	fi
}

# The units as installed, with drctl where the build put it.
for u in drlb.service drlb-realserver.service drlbd.service drlb-metrics.service \
	 drlb-metrics.timer; do
	sed -e "s|/usr/sbin/drctl|$drctl|g" -e "s|/usr/sbin/drlbd|$drlbd|g" "$units/$u" > "$scratch/$u"
done

verify()
{
	SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no \
		"$scratch/drlb.service" "$scratch/drlb-realserver.service" \
		"$scratch/drlbd.service" "$scratch/drlb-metrics.service" "$scratch/drlb-metrics.timer"
}

# exposure_ok OUT: systemd-analyze security's overall exposure in OUT is at
# most 3.0 ("OK").
exposure_ok()
{
	local level
	level=$(sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p' <<< "$1")
	awk -v l="$level" 'BEGIN { exit !(l != "" && l <= 3.0) }' ||
		{ echo "exposure $level, more than 3.0"; return 1; }
}

# hardened UNIT: the settings of issue 17 point 8 are in effect, exposure "OK".
hardened()
{
	local out setting

	out=$(systemd-analyze security --offline=yes "$scratch/$1") || return 1
	for setting in 'NoNewPrivileges=' 'ProtectSystem=' 'CapabilityBoundingSet=~CAP_SYS_ADMIN' \
		       'CapabilityBoundingSet=~CAP_(DAC_*|FOWNER|IPC_OWNER)' \
		       'RestrictAddressFamilies=~AF_(INET|INET6)' 'RestrictAddressFamilies=~AF_PACKET'; do
		grep -qF "✓ $setting " <<< "$out" || { echo "not in effect: $setting"; return 1; }
	done
	exposure_ok "$out"
}

# run_stop UNIT: its ExecStop lines as systemd runs them: in order, stopping
# at the first that fails unless it starts with '-'; the status of the last.
run_stop()
{
	local line ignore rc=0

	while IFS= read -r line; do
		ignore=0
		[[ $line == -* ]] && ignore=1 && line=${line#-}
		line=${line//\$\$/\$}
		(eval "$line") && rc=0 || rc=$?
		[ $rc = 0 ] || [ $ignore = 1 ] || return $rc
	done < <(sed -n 's/^ExecStop=//p' "$scratch/$1" | sed "s|/etc/drlb|$scratch/etc|g")
	return $rc
}

# A stand-in drctl: save fails or prints, everything is logged.
fake_drctl()
{
	mkdir -p "$scratch/etc"
	cat > "$scratch/drctl" <<-FAKE
	#!/bin/sh
	echo "\$*" >> "$scratch/calls"
	[ "\$1" = save ] && { [ -n "\${SAVE_FAILS:-}" ] && exit 1; echo "service add tcp 10.0.0.1:80"; }
	exit 0
	FAKE
	chmod +x "$scratch/drctl"
	sed -i "s|$drctl|$scratch/drctl|g" "$scratch/drlb.service"
	: > "$scratch/calls"
}

failed_save_still_flushes()
{
	local rc=0

	fake_drctl
	echo "service add tcp 10.0.0.9:80" > "$scratch/etc/drlb.conf"
	SAVE_ON_STOP=yes SAVE_FAILS=1 run_stop drlb.service || rc=$?
	grep -qx flush "$scratch/calls" || { echo "no flush after a failed save"; return 1; }
	[ $rc != 0 ] || { echo "a failed save is not reported"; return 1; }
	grep -q 10.0.0.9 "$scratch/etc/drlb.conf" || { echo "the saved file was lost"; return 1; }
}

save_is_synced_then_renamed()
{
	fake_drctl
	SAVE_ON_STOP=yes run_stop drlb.service || return 1
	grep -qx "service add tcp 10.0.0.1:80" "$scratch/etc/drlb.conf" ||
		{ echo "not saved"; return 1; }
	grep -qx flush "$scratch/calls" || { echo "not flushed"; return 1; }
	grep -q '^ExecStop=.*save > [^ ]*\.new && sync [^ ]*\.new && mv ' "$units/drlb.service" ||
		{ echo "the new file is not synced before mv"; return 1; }
}

# Teardown undoes the state file, not the VIPS of a file edited since start.
realserver_stop_undoes_the_state()
{
	grep -qx 'ExecStop=/usr/sbin/drctl realserver teardown all' "$units/drlb-realserver.service" ||
		{ grep '^ExecStop=' "$units/drlb-realserver.service"; return 1; }
}

# $VIPS split by systemd into words: no shell to glob or re-split them.
realserver_vips_are_words()
{
	grep -qx 'ExecStart=/usr/sbin/drctl realserver setup $VIPS' \
		"$units/drlb-realserver.service" || return 1
	! grep -E '^Exec.*sh -c .*[^"]\$\$VIPS' "$units/drlb-realserver.service"
}

# drlbd.service: started after drlb.service has restored the checks, a
# notify service with a watchdog that restarts a frozen checker, and as
# hardened as a daemon that makes inet connections and runs exec checks can be.
drlbd_unit()
{
	local out key want
	out=$(systemd-analyze security --offline=yes "$scratch/drlbd.service") || return 1
	for want in 'Type=notify' 'WatchdogSec=10' 'Restart=on-failure' \
		    'ExecStart=/usr/sbin/drlbd -f'; do
		grep -qx "$want" "$units/drlbd.service" || { echo "not in the unit: $want"; return 1; }
	done
	grep -qE '^After=(.* )?drlb\.service( |$)' "$units/drlbd.service" ||
		{ echo "not After=drlb.service"; return 1; }
	for key in 'NoNewPrivileges=' 'ProtectSystem=' 'CapabilityBoundingSet=~CAP_SYS_ADMIN' \
		   'RestrictAddressFamilies=~AF_PACKET' 'ProtectKernelModules='; do
		grep -qF "✓ $key" <<< "$out" || { echo "not in effect: $key"; return 1; }
	done
	exposure_ok "$out"
}

# drlb-metrics: drctl metrics into the directory Debian's node_exporter reads
# by default, every 15 s, hardened like the others.
metrics_unit()
{
	local dir
	dir=$(prometheus-node-exporter --help 2>&1 |
		sed -n 's/.*--collector.textfile.directory="\([^"]*\)".*/\1/p')
	[ -n "$dir" ] || { echo "no textfile directory in node_exporter's help"; return 1; }
	grep -qx "ExecStart=/usr/sbin/drctl metrics $dir/drlb.prom" "$units/drlb-metrics.service" ||
		{ echo "ExecStart does not write $dir/drlb.prom"; return 1; }
	grep -qx "ReadWritePaths=$dir" "$units/drlb-metrics.service" ||
		{ echo "cannot write $dir"; return 1; }
	grep -qx 'OnUnitActiveSec=15s' "$units/drlb-metrics.timer" ||
		{ echo "not every 15 s"; return 1; }
	hardened drlb-metrics.service
}

tap "units pass systemd-analyze verify" verify
tap "drlb-metrics.service writes node_exporter's textfile directory, hardened" metrics_unit
tap "drlbd.service: after drlb.service, notify with a watchdog, hardened" drlbd_unit
tap "drlb.service is hardened (systemd-analyze security)" hardened drlb.service
tap "drlb-realserver.service is hardened (systemd-analyze security)" hardened drlb-realserver.service
tap "drlb.service stop flushes even when the save fails" failed_save_still_flushes
tap "drlb.service stop syncs the saved file before renaming it" save_is_synced_then_renamed
tap "drlb-realserver.service stop tears down what the state says" realserver_stop_undoes_the_state
tap "drlb-realserver.service passes VIPS as words" realserver_vips_are_words
echo "1..$n"
exit $failed
