/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRCTL_SERVICE_H
#define DRCTL_SERVICE_H

#include "nl.h"

struct backend_info {
	union drctl_addr addr;
	uint32_t weight;
	uint32_t active;
	uint32_t inactive;
	struct drlb_stats stats;
	uint8_t health;			/* enum drlb_health */
	uint32_t health_age;		/* seconds since it changed */
	char health_reason[DRLB_HEALTH_REASON_MAX];
};

struct service_info {
	struct svc_key key;
	char sched[DRLB_SCHED_NAME_MAX];
	uint32_t persist;
	uint32_t mh_size;
	uint32_t backend_total;		/* as the kernel counted them */
	uint32_t digest;		/* of the hash tables; 0: none yet */
	struct drlbd_check *check;	/* what drlbd checks its backends with, or NULL */
	struct drlb_stats stats;
	struct backend_info *backends;	/* from DRLB_CMD_BACKEND_GET */
	size_t backend_count;
};

struct service_list {
	struct service_info *svcs;
	size_t count;
};

/* The arguments of service add and service set. */
struct service_spec {
	struct svc_key key;
	char sched[DRLB_SCHED_NAME_MAX];	/* empty: not given */
	bool has_persist;
	uint32_t persist;
	bool has_mh_size;
	uint32_t mh_size;
};

/* The kernel's limit (src/netlink.c), checked here so restore fails before any change. */
#define DRCTL_PERSIST_MAX	(7 * 24 * 3600)

extern const char service_usage[];

int service_parse(const struct drctl *ctx, int argc, char **argv,
		  struct service_spec *spec);
int service_from_attrs(struct nlattr *nest, struct service_info *svc);
int service_dump(struct drctl *ctx, const struct svc_key *filter,
		 struct service_list *list);
void service_list_free(struct service_list *list);
int service_main(struct drctl *ctx, int argc, char **argv);
int flush_main(struct drctl *ctx, int argc, char **argv);

#endif /* DRCTL_SERVICE_H */
