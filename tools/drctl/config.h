/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRCTL_CONFIG_H
#define DRCTL_CONFIG_H

#include "nl.h"

struct config_info {
	char version[64];
	uint32_t tcp;
	uint32_t tcpfin;
	uint32_t tcpclose;
	uint32_t udp;
	uint32_t conn_max;
	uint32_t conn_count;
	struct drlb_stats stats;	/* global counters */
};

/* The arguments of config set, indexed by enum drlb_config_attr. */
struct config_spec {
	bool has[DRLB_CFG_A_MAX + 1];
	uint32_t val[DRLB_CFG_A_MAX + 1];
};

/* The kernel's limits (src/netlink.c), checked here so restore fails before any change. */
#define DRCTL_TIMEOUT_MAX	(30 * 24 * 3600)
#define DRCTL_CONN_MAX_LIMIT	67108864	/* 1 << 26 */

extern const char config_usage[];

int config_parse(const struct drctl *ctx, int argc, char **argv,
		 struct config_spec *spec);
int config_get(struct drctl *ctx, struct config_info *cfg);
int config_main(struct drctl *ctx, int argc, char **argv);

#endif /* DRCTL_CONFIG_H */
