// SPDX-License-Identifier: GPL-2.0
/*
 * nsrun: `ip netns exec` for the lab's helpers, in one small process.
 * Under TCG, and more with KASAN, ip's start (its shared libraries:
 * libbpf, libelf, libmnl, libcap) costs more than the namespace switch
 * itself. (Linked statically it was slower: the guest reads the larger
 * binary again at every exec.)
 *
 * nsrun NS CMD [ARG...]
 *	run CMD in the network namespace /run/netns/NS, in a mount namespace
 *	of its own where /sys is NS's sysfs, as ip netns exec does (without
 *	its /etc/netns/NS bind mounts, which the lab does not use).
 * Exit 2 if the namespace cannot be entered; else CMD's exec status.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[256];
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: nsrun NS CMD [ARG...]\n");
		return 2;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", argv[1]);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET)) {
		fprintf(stderr, "nsrun: cannot enter %s: %s\n", path, strerror(errno));
		return 2;
	}
	close(fd);
	/* /sys shows the devices of the namespace that mounted it. */
	if (unshare(CLONE_NEWNS) ||
	    mount("", "/", NULL, MS_SLAVE | MS_REC, NULL) ||
	    umount2("/sys", MNT_DETACH) ||
	    mount(argv[1], "/sys", "sysfs", 0, NULL)) {
		fprintf(stderr, "nsrun: no sysfs of %s: %s\n", argv[1], strerror(errno));
		return 2;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "nsrun: %s: %s\n", argv[2], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
