// SPDX-License-Identifier: GPL-2.0
/*
 * sh: source hashing. A client address always maps to the same slot of a
 * 256-slot table whose slots are shared among the available backends in
 * proportion to their weights, so a client sticks to one backend without
 * any per-client state. As with IPVS sh, changing the backends remaps many
 * clients: mh is the scheduler that keeps them in place.
 */
#include <linux/math64.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "backend.h"
#include "drlb.h"
#include "sched.h"

/* As IPVS: 1/256 of the clients is as fine as weights can be followed. */
#define DRLB_SH_SLOTS	256

struct drlb_sh {
	struct drlb_sched s;
	siphash_key_t key;		/* of client addresses, from the site seed */
	bool filled;			/* some backend was available */
	u32 slot[DRLB_SH_SLOTS];	/* indices into s.be */
};

/* sched.c frees the state as s. */
static_assert(offsetof(struct drlb_sh, s) == 0);

/* A backend's place in the fill order: by address, whatever the pool's order. */
struct drlb_sh_rank {
	union nf_inet_addr addr;
	u32 be;				/* index into s.be */
};

static int drlb_sh_rank_cmp(const void *a, const void *b)
{
	const struct drlb_sh_rank *x = a, *y = b;

	return memcmp(&x->addr, &y->addr, sizeof(x->addr));
}

/*
 * The backends in the order of their addresses, so that directors given the
 * same backends in any order fill the same table.
 */
static struct drlb_sh_rank *drlb_sh_order(const struct drlb_pool *pool)
{
	struct drlb_sh_rank *rank = kcalloc(max(pool->n, 1U), sizeof(*rank), DRLB_GFP);
	unsigned int i;

	if (!rank)
		return NULL;
	for (i = 0; i < pool->n; i++) {
		rank[i].addr = pool->be[i]->addr;
		rank[i].be = i;
	}
	sort(rank, pool->n, sizeof(*rank), drlb_sh_rank_cmp, NULL);
	return rank;
}

/*
 * Taking the backends in address order, backend k gets the slots from
 * round(256 * w(0..k-1) / W) up to round(256 * w(0..k) / W): within one
 * slot of its exact share, and the table is always full. With no backend
 * available, every slot names s.be[0], which schedule() then skips.
 */
static void drlb_sh_fill(struct drlb_sh *sh, const u16 *weight, const struct drlb_sh_rank *rank)
{
	u64 total = 0, sum = 0;
	unsigned int i, k, j = 0;

	for (i = 0; i < sh->s.n; i++)
		total += weight[i];
	if (!total)
		return;
	sh->filled = true;
	for (k = 0; k < sh->s.n; k++) {
		unsigned int end;

		i = rank[k].be;
		sum += weight[i];
		end = div64_u64(sum * DRLB_SH_SLOTS + total / 2, total);
		for (; j < end; j++)
			sh->slot[j] = i;
	}
}

static struct drlb_sched *drlb_sh_build(const struct drlb_pool *pool)
{
	struct drlb_sh_rank *rank = drlb_sh_order(pool);
	struct drlb_sh *sh;

	if (!rank)
		return NULL;
	sh = drlb_sched_alloc(sizeof(*sh), pool);
	if (sh) {
		/* The same key on every director: a standby sends a client where the active did. */
		drlb_sched_hash_key(pool->seed, DRLB_HASH_SH_CLIENT, &sh->key);
		drlb_sh_fill(sh, pool->weight, rank);
	}
	kfree(rank);
	return sh ? &sh->s : NULL;
}

static const u32 *drlb_sh_table(const struct drlb_sched *s, u32 *size)
{
	const struct drlb_sh *sh = container_of(s, struct drlb_sh, s);

	*size = sh->filled ? DRLB_SH_SLOTS : 0;
	return sh->slot;
}

/*
 * A backend drained or deleted since the build (until the rebuild that
 * follows) gives its clients to the next slots' backends.
 */
static struct drlb_backend *drlb_sh_schedule(struct drlb_sched *s, const struct drlb_flow *flow)
{
	struct drlb_sh *sh = container_of(s, struct drlb_sh, s);
	u32 slot = drlb_addr_hash(&flow->caddr, flow->af, &sh->key);
	unsigned int i;

	for (i = 0; i < DRLB_SH_SLOTS; i++, slot++) {
		struct drlb_backend *be = s->be[sh->slot[slot % DRLB_SH_SLOTS]];

		if (drlb_backend_available(be))
			return be;
	}
	return NULL;
}

const struct drlb_sched_ops drlb_sched_sh = {
	.name = "sh",
	.build = drlb_sh_build,
	.schedule = drlb_sh_schedule,
	.table = drlb_sh_table,
};
