// SPDX-License-Identifier: GPL-2.0
/*
 * sysctl access: read an integer, and the net.ipv4.conf.IFACE knobs that
 * realserver setup writes the way sysctl -w would, saying so.
 */
#include <errno.h>
#include <string.h>

#include "sysctl.h"

int sysctl_read(const char *path, int *val)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (!f)
		return -1;
	ret = fscanf(f, "%d", val) == 1 ? 0 : -1;
	if (ret)
		errno = EINVAL;
	fclose(f);
	return ret;
}

void conf_path(char *buf, size_t len, const char *iface, const char *knob)
{
	snprintf(buf, len, "/proc/sys/net/ipv4/conf/%s/%s", iface, knob);
}

int conf_read(const struct drctl *ctx, const char *iface, const char *knob, int *val)
{
	char path[128];

	conf_path(path, sizeof(path), iface, knob);
	if (!sysctl_read(path, val))
		return DRCTL_OK;
	drctl_err(ctx, "cannot read net.ipv4.conf.%s.%s: %s", iface, knob, strerror(errno));
	return DRCTL_FAIL;
}

/* Writes val and says so, the way sysctl -w would. */
int conf_write(const struct drctl *ctx, const char *iface, const char *knob,
	       int old, int val)
{
	char path[128];
	FILE *f;

	conf_path(path, sizeof(path), iface, knob);
	f = fopen(path, "w");
	if (!f || fprintf(f, "%d\n", val) < 0 || fclose(f)) {
		drctl_err(ctx, "cannot set net.ipv4.conf.%s.%s: %s", iface, knob, strerror(errno));
		return DRCTL_FAIL;
	}
	fprintf(ctx->out, "set net.ipv4.conf.%s.%s %d -> %d\n", iface, knob, old, val);
	return DRCTL_OK;
}

