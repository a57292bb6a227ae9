// SPDX-License-Identifier: GPL-2.0
/*
 * drctl -N NETNS: run in the named network namespace, as ip -n NETNS and
 * ip netns exec do: /run/netns/NETNS entered, and /sys remounted in a mount
 * namespace of drctl's own, so that what drctl reads there (the devices of
 * realserver and director check) is that namespace's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "msg.h"
#include "netns.h"

int netns_enter(const struct drctl *ctx, const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
		drctl_err(ctx, "'%s' is not a network namespace name (see ip netns list)", name);
		return DRCTL_USAGE;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		drctl_err(ctx, "no network namespace %s (%s: %m)", name, path);
		return DRCTL_FAIL;
	}
	if (setns(fd, CLONE_NEWNET)) {
		drctl_err(ctx, "cannot enter network namespace %s: %m", name);
		close(fd);
		return DRCTL_FAIL;
	}
	close(fd);
	/* /sys shows the devices of the namespace that mounted it. */
	if (unshare(CLONE_NEWNS) || mount("", "/", NULL, MS_SLAVE | MS_REC, NULL) ||
	    umount2("/sys", MNT_DETACH) || mount(name, "/sys", "sysfs", 0, NULL)) {
		drctl_err(ctx, "cannot mount the sysfs of network namespace %s: %m", name);
		return DRCTL_FAIL;
	}
	return DRCTL_OK;
}
