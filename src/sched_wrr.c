// SPDX-License-Identifier: GPL-2.0
/*
 * wrr: smooth weighted round robin (as nginx does it). Each pick adds every
 * backend's weight to its credit and takes the backend with the most credit,
 * which then pays the total weight back. Shares are exact over every cycle
 * of total-weight picks, and heavy backends are interleaved with light ones
 * instead of being picked in bursts.
 */
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "backend.h"
#include "sched.h"
#include "service.h"

struct drlb_wrr {
	struct drlb_sched s;
	spinlock_t lock;	/* guards @credit */
	s64 *credit;
};

static_assert(offsetof(struct drlb_wrr, s) == 0);

static struct drlb_sched *drlb_wrr_build(const struct drlb_pool *pool)
{
	struct drlb_wrr *wrr;

	/* The credit array lives in the same allocation, freed with it. */
	wrr = drlb_sched_alloc(sizeof(*wrr) + max(pool->n, 1U) * sizeof(s64), pool);
	if (!wrr)
		return NULL;
	spin_lock_init(&wrr->lock);
	wrr->credit = (s64 *)(wrr + 1);
	return &wrr->s;
}

static struct drlb_backend *drlb_wrr_schedule(struct drlb_sched *s, const struct drlb_flow *flow)
{
	struct drlb_wrr *wrr = container_of(s, struct drlb_wrr, s);
	struct drlb_backend *best = NULL;
	unsigned int i, best_i = 0;
	s64 total = 0;

	spin_lock(&wrr->lock);
	for (i = 0; i < s->n; i++) {
		struct drlb_backend *be = s->be[i];
		u16 w = READ_ONCE(be->weight);

		if (!w || !drlb_backend_available(be))
			continue;
		wrr->credit[i] += w;
		total += w;
		if (!best || wrr->credit[i] > wrr->credit[best_i]) {
			best = be;
			best_i = i;
		}
	}
	if (best)
		wrr->credit[best_i] -= total;
	spin_unlock(&wrr->lock);
	return best;
}

const struct drlb_sched_ops drlb_sched_wrr = {
	.name = "wrr",
	.build = drlb_wrr_build,
	.schedule = drlb_wrr_schedule,
};
