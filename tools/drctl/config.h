/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRCTL_CONFIG_H
#define DRCTL_CONFIG_H

#include "nl.h"

/* The site seed: 16 bytes, written as 32 hex digits. */
#define DRCTL_SEED_LEN	16

struct config_info {
	char version[64];
	uint32_t tcp;
	uint32_t tcpfin;
	uint32_t tcpclose;
	uint32_t udp;
	uint32_t conn_max;
	uint32_t conn_count;
	uint32_t service_max;
	uint32_t backend_max;
	uint8_t seed[DRCTL_SEED_LEN];	/* all zero: the default */
	bool fleet;			/* one director of several */
	struct drlb_stats stats;	/* global counters */
};

/* The arguments of config set, indexed by enum drlb_config_attr. */
struct config_spec {
	bool has[DRLB_CFG_A_MAX + 1];
	uint32_t val[DRLB_CFG_A_MAX + 1];
	uint8_t seed[DRCTL_SEED_LEN];	/* with has[DRLB_CFG_A_SEED] */
};

/* The kernel's limits (src/netlink.c), checked here so restore fails before any change. */
#define DRCTL_TIMEOUT_MAX	(30 * 24 * 3600)
#define DRCTL_CONN_MAX_LIMIT	67108864	/* 1 << 26 */
#define DRCTL_SERVICE_MAX_LIMIT	1048576		/* 1 << 20 */
#define DRCTL_BACKEND_MAX_LIMIT	65536		/* 1 << 16 */

extern const char config_usage[];

int config_parse(const struct drctl *ctx, int argc, char **argv,
		 struct config_spec *spec);
int config_get(struct drctl *ctx, struct config_info *cfg);
struct service_list;
int config_and_services_get(struct drctl *ctx, struct config_info *cfg,
			    struct service_list *list);
int config_from_reply(struct nlattr **tb, void *arg);
bool config_seed_is_default(const uint8_t *seed);
void config_seed_format(const uint8_t *seed, char *hex);
int config_main(struct drctl *ctx, int argc, char **argv);

#endif /* DRCTL_CONFIG_H */
