// SPDX-License-Identifier: GPL-2.0
/*
 * rr: round robin over the available backends, ignoring weights beyond 0.
 */
#include <linux/slab.h>

#include "backend.h"
#include "sched.h"

struct drlb_rr {
	struct drlb_sched s;
	atomic_t next;
};

static_assert(offsetof(struct drlb_rr, s) == 0);

static struct drlb_sched *drlb_rr_build(const struct drlb_pool *pool)
{
	struct drlb_rr *rr = drlb_sched_alloc(sizeof(*rr), pool);

	if (!rr)
		return NULL;
	atomic_set(&rr->next, -1);
	return &rr->s;
}

static struct drlb_backend *drlb_rr_schedule(struct drlb_sched *s, const struct drlb_flow *flow)
{
	struct drlb_rr *rr = container_of(s, struct drlb_rr, s);
	unsigned int start = (unsigned int)atomic_inc_return(&rr->next);
	unsigned int i;

	/* One step of the shared cursor per new flow; skip drained backends. */
	for (i = 0; i < s->n; i++) {
		struct drlb_backend *be = s->be[(start + i) % s->n];

		if (drlb_backend_available(be)) {
			if (i)
				atomic_add(i, &rr->next);
			return be;
		}
	}
	return NULL;
}

const struct drlb_sched_ops drlb_sched_rr = {
	.name = "rr",
	.build = drlb_rr_build,
	.schedule = drlb_rr_schedule,
};
