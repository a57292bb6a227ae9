/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRCTL_BACKEND_H
#define DRCTL_BACKEND_H

#include "service.h"

/* The arguments of backend add, set and del. */
struct backend_spec {
	struct svc_key key;
	union drctl_addr addr;
	bool has_weight;
	uint32_t weight;
	bool has_health;
	uint8_t health;			/* DRLB_HEALTH_UP or _DOWN */
	char reason[DRLB_HEALTH_REASON_MAX];
};

extern const char backend_usage[];

int backend_parse(const struct drctl *ctx, int argc, char **argv,
		  struct backend_spec *spec);
int backend_dump(struct drctl *ctx, struct service_info *svc);
int backend_send(struct drctl *ctx, uint8_t cmd, const struct backend_spec *spec);
int backend_from_attrs(struct nlattr *nest, struct backend_info *be);
int backend_main(struct drctl *ctx, int argc, char **argv);

#endif /* DRCTL_BACKEND_H */
