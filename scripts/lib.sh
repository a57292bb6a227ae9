# SPDX-License-Identifier: GPL-2.0
# Shared paths for drlb's scripts. Sourced, never run.

# No dirname: every e2e case runs a script that sources this.
DRLB_TOP=${BASH_SOURCE[0]%/*}
[ "$DRLB_TOP" != "${BASH_SOURCE[0]}" ] || DRLB_TOP=.
DRLB_TOP=$(cd "$DRLB_TOP/.." && pwd)
DRLB_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/drlb
DRLB_BUILD=$DRLB_TOP/.build

# Bump when scripts/build-test-kernel changes what it produces.
DRLB_TESTKERNEL_RECIPE=1

# The cache directory of the debug test kernel: keyed by the config
# fragment, the build recipe and the Debian source version.
drlb_testkernel_dir()
{
	local ver key
	ver=$(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null)
	key=$( { cat "$DRLB_TOP/scripts/testkernel.config"; echo "$DRLB_TESTKERNEL_RECIPE"; } |
	      sha256sum | cut -c1-12)
	echo "$DRLB_CACHE/testkernel-$ver-$key"
}

# Installed stock Debian kernels, one "KVER" per line, oldest first.
drlb_stock_kernels()
{
	local d
	for d in /boot/vmlinuz-*-amd64; do
		[ -e "$d" ] || continue
		d=${d#/boot/vmlinuz-}
		[ -d "/lib/modules/$d" ] && [ -d "/usr/src/linux-headers-$d" ] && echo "$d"
	done | sort -V
}

# drlb_kernel_release NAME: the release a kernel name stands for: stock is
# the newest installed Debian 6.1, 6.12 the newest installed 6.12, debug the
# test kernel of scripts/build-test-kernel ("debug"), an installed KVER is
# itself. Prints nothing and fails when there is no such kernel.
drlb_kernel_release()
{
	local series
	case $1 in
	debug) echo debug; return 0 ;;
	stock) series=6.1 ;;
	6.12) series=6.12 ;;
	*) [ -f "/boot/vmlinuz-$1" ] && echo "$1"; return ;;
	esac
	drlb_stock_kernels | grep "^${series//./\\.}\." | tail -1 | grep .
}

# drlb_build_module_for NAME [MAKE ARGS...]: drlb.ko for kernel NAME (see
# drlb_kernel_release; debug builds the test kernel first if needed), into
# drlb_module_dir of its release.
drlb_build_module_for()
{
	local name=$1 kver kdir
	shift
	kver=$(drlb_kernel_release "$name") || {
		echo "no installed kernel '$name' (run scripts/setup-deps)" >&2
		return 2
	}
	if [ "$kver" = debug ]; then
		kdir=$("$DRLB_TOP/scripts/build-test-kernel") || return
	else
		kdir=/usr/src/linux-headers-$kver
	fi
	"$DRLB_TOP/scripts/build-module" "$kdir" "$(drlb_module_dir "$kver")" "$@"
}

# Where the module built for kernel release $1 lives (drlb_build_module_for).
drlb_module_dir()
{
	case $1 in
	*+deb*|*-amd64) echo "$DRLB_BUILD/kernel-$1" ;;
	*) echo "$DRLB_BUILD/kernel-debug" ;;
	esac
}

drlb_module_for()
{
	local ko
	for ko in "$(drlb_module_dir "$1")"/drlb*.ko; do
		echo "$ko"
		return
	done
}

# The module's version, DRLB_VERSION of src/drlb.h.
drlb_version()
{
	sed -n 's/^#define DRLB_VERSION[[:space:]]*"\(.*\)"/\1/p' "$DRLB_TOP/src/drlb.h"
}

# The kernels DKMS can build for: those with headers and a build link.
drlb_header_kernels()
{
	local d
	for d in /lib/modules/*/build; do
		[ -e "$d/include/generated/utsrelease.h" ] || continue
		d=${d%/build}
		echo "${d#/lib/modules/}"
	done | sort -V
}

# drlb_dkms_source DIR: what DKMS builds from (and drlb-dkms ships): the
# sources, not the objects of an in-tree make.
drlb_dkms_source()
{
	rm -rf "$1"
	mkdir -p "$1"
	tar -C "$DRLB_TOP" --exclude='*.o' --exclude='.*.cmd' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='*.d' -cf - Kbuild dkms.conf src include |
		tar -C "$1" -xf -
	mkdir -p "$1/scripts"
	cp "$DRLB_TOP/scripts/module-btf" "$1/scripts/"
}

# drlb_build_tools: drctl, drlbd and the tests' own tools (packet senders,
# nspids: tests/tools/*.c into $DRLB_BUILD/tools; a BPF program NAME.bpf.c
# into NAME.bpf.o), which the VM runs from the checkout. One build at a
# time: make check runs two VMs side by side.
drlb_build_tools()
{
	local t bin static
	mkdir -p "$DRLB_BUILD/tools"
	(
		flock 8
		make -s -C "$DRLB_TOP/tools/drctl" >&2
		make -s -C "$DRLB_TOP/tools/drlbd" drlbd >&2
		for t in "$DRLB_TOP"/tests/tools/*.c; do
			bin=$DRLB_BUILD/tools/$(basename "$t" .c)
			if [[ $t == *.bpf.c ]]; then
				[ "$bin.o" -nt "$t" ] || clang -O2 -g -Wall -Wextra -Werror -target bpf \
					-I"/usr/include/$(cc -dumpmachine)" -c -o "$bin.o" "$t"
			else
				# Static, the ones a run starts hundreds of times: an
				# exec of one takes 105 ms in the debug guests, of one
				# linked with libc 150 ms.
				case ${bin##*/} in
				nsrun | nspids | echod | tcpask | modload) static=-static ;;
				*) static="" ;;
				esac
				[ "$bin" -nt "$t" ] && [ "$bin" -nt "$DRLB_TOP/tests/tools/ask.h" ] ||
					cc -O2 $static -Wall -Wextra -Werror -o "$bin" "$t"
			fi
		done
	) 8> "$DRLB_BUILD/tools/.lock"
}
