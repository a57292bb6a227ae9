// SPDX-License-Identifier: GPL-2.0
/*
 * mh: Maglev hashing (Eisenbud et al., NSDI 2016, section 3.4), as IPVS
 * ip_vs_mh.c does it. Each backend prefers the slots of a prime-sized
 * table in its own order, a permutation drawn from a hash of its address;
 * the backends take turns claiming their next preferred free slot, as many
 * per round as their weight says, until the table is full. A client goes
 * to the backend of slot hash(client address) % size.
 *
 * When a backend comes or goes, the others mostly keep their slots, so few
 * clients move beyond those of that backend (mh_disruption_* measure it).
 * The table is a pure function of the backends' addresses and weights, of
 * the size and of the site seed (config set seed): two directors with the
 * same configuration build the same one, so a standby places mid-stream
 * packets where the active director did, with no state shared between them.
 */
#include <linux/gcd.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <uapi/linux/drlb.h>

#include "backend.h"
#include "drlb.h"
#include "sched.h"
#include "service.h"

#define DRLB_MH_EMPTY		U32_MAX
/* Rounds at least, so that the short last round hardly skews any share. */
#define DRLB_MH_MIN_ROUNDS	64
/* Slots tried after an unavailable one before scanning the backends. */
#define DRLB_MH_PROBES		32

struct drlb_mh {
	struct drlb_sched s;
	siphash_key_t client_key;	/* from the site seed */
	u32 size;		/* slots; 0 when no backend was available */
	u32 table[];		/* indices into s.be */
};

/* A backend's walk through its preferred slots while the table fills. */
struct drlb_mh_walk {
	u64 hash;		/* of the address: offset, skip, and order */
	u32 be;			/* index into s.be */
	u32 next;		/* next preferred slot */
	u32 skip;		/* 1..size-1: a prime size makes it a permutation */
	u32 turns;		/* slots claimed per round */
};

bool drlb_mh_size_valid(u32 size)
{
	u32 d;

	if (size < 2 || size > DRLB_MH_SIZE_MAX)
		return false;
	for (d = 2; d * d <= size; d++)
		if (!(size % d))
			return false;
	return true;
}

static int drlb_mh_walk_cmp(const void *a, const void *b)
{
	const struct drlb_mh_walk *x = a, *y = b;

	return x->hash < y->hash ? -1 : x->hash > y->hash;
}

/*
 * One walk per available backend, in an order that depends on the
 * addresses only: the table then does not depend on the order in which
 * the backends were configured. The two halves of one siphash give the
 * offset and the skip, as independent as two hashes would be.
 */
static unsigned int drlb_mh_walks(const struct drlb_pool *pool, u32 size,
				  struct drlb_mh_walk *walk)
{
	siphash_key_t key;
	unsigned int i, nw = 0;

	drlb_sched_hash_key(pool->seed, DRLB_HASH_MH_BACKEND, &key);
	for (i = 0; i < pool->n; i++) {
		struct drlb_mh_walk *w = &walk[nw];

		if (!pool->weight[i])
			continue;
		w->hash = drlb_addr_hash(&pool->be[i]->addr, pool->af, &key);
		w->be = i;
		w->next = lower_32_bits(w->hash) % size;
		w->skip = upper_32_bits(w->hash) % (size - 1) + 1;
		w->turns = pool->weight[i];
		nw++;
	}
	sort(walk, nw, sizeof(*walk), drlb_mh_walk_cmp, NULL);
	return nw;
}

static u64 drlb_mh_round(const struct drlb_mh_walk *walk, unsigned int nw, unsigned int shift)
{
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i < nw; i++)
		sum += max(walk[i].turns >> shift, 1U);
	return sum;
}

/*
 * Turns in proportion to weight, reduced by their gcd and then halved
 * until a round claims at most size / DRLB_MH_MIN_ROUNDS slots (or one per
 * backend, if there are more): the table fills up in the middle of a round,
 * which favours the backends early in the order by up to one round's worth
 * of slots, under 1/DRLB_MH_MIN_ROUNDS of their share.
 */
static void drlb_mh_turns(struct drlb_mh_walk *walk, unsigned int nw, u32 size)
{
	u32 limit = max_t(u32, size / DRLB_MH_MIN_ROUNDS, nw);
	unsigned int i, shift = 0;
	unsigned long g = 0;

	for (i = 0; i < nw; i++)
		g = gcd(g, walk[i].turns);
	for (i = 0; i < nw; i++)
		walk[i].turns /= g;
	while (drlb_mh_round(walk, nw, shift) > limit)
		shift++;
	for (i = 0; i < nw; i++)
		walk[i].turns = max(walk[i].turns >> shift, 1U);
}

/* Claim the backend's most preferred free slot. */
static void drlb_mh_claim(struct drlb_mh *mh, struct drlb_mh_walk *w)
{
	while (mh->table[w->next] != DRLB_MH_EMPTY) {
		w->next += w->skip;
		if (w->next >= mh->size)
			w->next -= mh->size;
	}
	mh->table[w->next] = w->be;
}

static void drlb_mh_fill(struct drlb_mh *mh, struct drlb_mh_walk *walk, unsigned int nw)
{
	u32 filled = 0, t;
	unsigned int i;

	memset32(mh->table, DRLB_MH_EMPTY, mh->size);
	for (i = 0; filled < mh->size; i = (i + 1) % nw)
		for (t = 0; t < walk[i].turns && filled < mh->size; t++, filled++)
			drlb_mh_claim(mh, &walk[i]);
}

/*
 * Off the packet path, under dn->lock: a large table takes a while. The
 * table depends on the backends' addresses and weights, the size and the
 * site seed only, not on the order of the pool.
 */
static struct drlb_sched *drlb_mh_build(const struct drlb_pool *pool)
{
	/* With a size not prime, a walk may miss free slots: fill would spin. */
	u32 size = drlb_mh_size_valid(pool->mh_size) ? pool->mh_size : DRLB_MH_SIZE_DEFAULT;
	struct drlb_mh_walk *walk;
	struct drlb_mh *mh;
	unsigned int nw;

	walk = kcalloc(max(pool->n, 1U), sizeof(*walk), DRLB_GFP);
	if (!walk)
		return NULL;
	mh = drlb_sched_alloc(struct_size(mh, table, size), pool);
	if (!mh)
		goto out;
	drlb_sched_hash_key(pool->seed, DRLB_HASH_MH_CLIENT, &mh->client_key);
	nw = drlb_mh_walks(pool, size, walk);
	if (nw) {
		mh->size = size;
		drlb_mh_turns(walk, nw, size);
		drlb_mh_fill(mh, walk, nw);
	}
out:
	kfree(walk);
	return mh ? &mh->s : NULL;
}

/* Beyond DRLB_MH_PROBES unavailable slots, bound the work per packet. */
static struct drlb_backend *drlb_mh_any(struct drlb_sched *s, u32 hash)
{
	unsigned int i;

	for (i = 0; i < s->n; i++) {
		struct drlb_backend *be = s->be[(hash + i) % s->n];

		if (drlb_backend_available(be))
			return be;
	}
	return NULL;
}

/*
 * A backend drained or deleted since the build (until the rebuild that
 * follows) gives its clients to the backends of the next slots, which
 * are spread over all backends as the permutations are.
 */
static struct drlb_backend *drlb_mh_schedule(struct drlb_sched *s, const struct drlb_flow *flow)
{
	struct drlb_mh *mh = container_of(s, struct drlb_mh, s);
	u32 hash, slot;
	unsigned int i;

	if (!mh->size)
		return NULL;
	hash = lower_32_bits(drlb_addr_hash(&flow->caddr, flow->af, &mh->client_key));
	slot = hash % mh->size;
	for (i = 0; i < DRLB_MH_PROBES; i++) {
		struct drlb_backend *be = s->be[mh->table[slot]];

		if (drlb_backend_available(be))
			return be;
		if (++slot == mh->size)
			slot = 0;
	}
	return drlb_mh_any(s, hash);
}

const u32 *drlb_mh_table(const struct drlb_sched *s, u32 *size)
{
	const struct drlb_mh *mh = container_of(s, struct drlb_mh, s);

	*size = mh->size;
	return mh->table;
}

const struct drlb_sched_ops drlb_sched_mh = {
	.name = "mh",
	.build = drlb_mh_build,
	.schedule = drlb_mh_schedule,
	.table = drlb_mh_table,
};
