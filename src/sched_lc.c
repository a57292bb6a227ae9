// SPDX-License-Identifier: GPL-2.0
/*
 * lc and wlc: least connections, as IPVS weighs them. A backend's load is
 * 256 per active (established) connection plus 1 per inactive one, since
 * inactive connections are mostly waiting to expire and cost little. lc
 * takes the available backend with the least load, wlc the one with the
 * least load per unit of weight. Ties go to the first in the list.
 *
 * The counters move when a connection is created or changes state, after
 * the pick: flows that arrive together on several CPUs may all land on the
 * same backend, as with IPVS. Neither keeps any state but the backends.
 */
#include <linux/slab.h>

#include "backend.h"
#include "sched.h"

static struct drlb_sched *drlb_lc_build(const struct drlb_pool *pool)
{
	return drlb_sched_alloc(sizeof(struct drlb_sched), pool);
}

static s64 drlb_lc_load(const struct drlb_backend *be)
{
	return (s64)atomic_read(&be->active) * 256 + atomic_read(&be->inactive);
}

static struct drlb_backend *drlb_lc_schedule(struct drlb_sched *s, const struct drlb_flow *flow)
{
	struct drlb_backend *best = NULL;
	s64 best_load = 0;
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		struct drlb_backend *be = s->be[i];
		s64 load;

		if (!drlb_backend_available(be))
			continue;
		load = drlb_lc_load(be);
		if (!best || load < best_load) {
			best = be;
			best_load = load;
		}
	}
	return best;
}

/*
 * load/weight < best_load/best_weight, cross-multiplied to stay in
 * integers: at most 2^39 * 2^16, far from overflowing.
 */
static struct drlb_backend *drlb_wlc_schedule(struct drlb_sched *s, const struct drlb_flow *flow)
{
	struct drlb_backend *best = NULL;
	s64 best_load = 0, best_weight = 0;
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		struct drlb_backend *be = s->be[i];
		u16 weight = READ_ONCE(be->weight);
		s64 load;

		if (!weight || !drlb_backend_available(be))
			continue;
		load = drlb_lc_load(be);
		if (!best || load * best_weight < best_load * weight) {
			best = be;
			best_load = load;
			best_weight = weight;
		}
	}
	return best;
}

const struct drlb_sched_ops drlb_sched_lc = {
	.name = "lc",
	.build = drlb_lc_build,
	.schedule = drlb_lc_schedule,
};

const struct drlb_sched_ops drlb_sched_wlc = {
	.name = "wlc",
	.build = drlb_lc_build,
	.schedule = drlb_wlc_schedule,
};
