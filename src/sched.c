// SPDX-License-Identifier: GPL-2.0
/*
 * The scheduler registry, the common part of building scheduler state, and
 * its publication.
 */
#include <linux/jhash.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "backend.h"
#include "drlb.h"
#include "sched.h"
#include "service.h"

static const struct drlb_sched_ops *const drlb_scheds[] = {
	&drlb_sched_rr,
	&drlb_sched_wrr,
	&drlb_sched_lc,
	&drlb_sched_wlc,
	&drlb_sched_sh,
	&drlb_sched_mh,
};

const struct drlb_sched_ops *drlb_sched_find(const char *name)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(drlb_scheds); i++)
		if (!strcmp(drlb_scheds[i]->name, name))
			return drlb_scheds[i];
	return NULL;
}

/*
 * Each use of the site seed gets a key of its own. With the default seed
 * (zero) these are the constants every drlb has always used, so directors
 * that never set a seed agree with each other and with older releases.
 */
static const siphash_key_t drlb_hash_base[] = {
	[DRLB_HASH_MH_BACKEND] = { { 0x6d61676c65762d62ULL, 0x243f6a8885a308d3ULL } },
	[DRLB_HASH_MH_CLIENT] = { { 0x6d61676c65762d63ULL, 0x13198a2e03707344ULL } },
	[DRLB_HASH_SH_CLIENT] = { { 0x64726c622d736821ULL, 0x9e3779b97f4a7c15ULL } },
};

void drlb_sched_hash_key(const siphash_key_t *seed, enum drlb_hash_use use, siphash_key_t *key)
{
	key->key[0] = drlb_hash_base[use].key[0] ^ seed->key[0];
	key->key[1] = drlb_hash_base[use].key[1] ^ seed->key[1];
}

/* Of the address's value, not its bytes: any endianness, the same hash. */
u64 drlb_addr_hash(const union nf_inet_addr *addr, u8 af, const siphash_key_t *key)
{
	const __be32 *a = addr->ip6;

	if (af == AF_INET6)
		return siphash_4u32(be32_to_cpu(a[0]), be32_to_cpu(a[1]), be32_to_cpu(a[2]),
				    be32_to_cpu(a[3]), key);
	return siphash_1u32(be32_to_cpu(a[0]), key);
}

/*
 * What hashing does with @svc's flows, in one word: the digest of its
 * stateless Maglev table (every service has one: it places mid-stream
 * packets and ICMP errors that no entry claims), combined with that of its
 * scheduler's own table when it has another (sh). dn->lock held.
 */
u32 drlb_service_digest(struct drlb_service *svc)
{
	struct drlb_sched *s = rcu_dereference_protected(svc->sched,
							 lockdep_is_held(&svc->dn->lock));
	struct drlb_sched *st = rcu_dereference_protected(svc->stateless,
							  lockdep_is_held(&svc->dn->lock));

	if (!s->digest || s->ops == &drlb_sched_mh)
		return st->digest;
	return jhash_2words(st->digest, s->digest, 0) ?: 1;
}

/*
 * The pool @svc has now, with room for @extra more backends: the caller
 * edits it into the pool the service is about to have.
 */
int drlb_pool_init(struct drlb_pool *pool, struct drlb_service *svc, unsigned int extra)
{
	unsigned int room = max(svc->nr_backends + extra, 1U);
	struct drlb_backend *b;

	lockdep_assert_held(&svc->dn->lock);
	memset(pool, 0, sizeof(*pool));
	pool->be = kcalloc(room, sizeof(*pool->be), DRLB_GFP);
	pool->weight = kcalloc(room, sizeof(*pool->weight), DRLB_GFP);
	if (!pool->be || !pool->weight) {
		drlb_pool_free(pool);
		return -ENOMEM;
	}
	list_for_each_entry(b, &svc->backends, list) {
		pool->be[pool->n] = b;
		pool->weight[pool->n++] = drlb_backend_table_weight(b->weight, b->health);
	}
	pool->af = svc->key.af;
	pool->mh_size = svc->mh_size;
	pool->seed = &svc->dn->seed;
	return 0;
}

void drlb_pool_free(struct drlb_pool *pool)
{
	kfree(pool->be);
	kfree(pool->weight);
}

/*
 * @size bytes of scheduler state (a struct drlb_sched at offset 0) holding
 * a reference on each backend of @pool. The references are dropped when
 * the state is freed, a grace period after it was replaced: a reader of an
 * old state never sees a backend freed under it, even one deleted since.
 */
void *drlb_sched_alloc(size_t size, const struct drlb_pool *pool)
{
	struct drlb_sched *s;
	unsigned int i;

	s = kvzalloc(size, DRLB_GFP);
	if (!s)
		return NULL;
	s->be = kcalloc(max(pool->n, 1U), sizeof(*s->be), DRLB_GFP);
	if (!s->be) {
		kvfree(s);
		return NULL;
	}
	for (i = 0; i < pool->n; i++) {
		refcount_inc(&pool->be[i]->refcnt);
		s->be[i] = pool->be[i];
	}
	s->n = pool->n;
	return s;
}

static void drlb_sched_free_now(struct drlb_sched *s)
{
	unsigned int i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		drlb_backend_put(s->be[i]);
	kfree(s->be);
	kvfree(s);
}

static void drlb_sched_free_rcu(struct rcu_head *head)
{
	drlb_sched_free_now(container_of(head, struct drlb_sched, rcu));
}

static void drlb_sched_free(struct drlb_sched *s)
{
	if (s)
		call_rcu(&s->rcu, drlb_sched_free_rcu);
}

/*
 * Set s->digest from @s's table of @size slots, each an index into s->be:
 * a hash of the address of every slot's backend, in slot order. It names
 * what the table does, not how the pool is ordered, so two directors whose
 * tables send every client to the same backend show the same digest.
 */
static int drlb_sched_digest(struct drlb_sched *s, const u32 *slot, u32 size, u8 af)
{
	static const siphash_key_t key = { { 0x64726c622d746162ULL, 0x6c652d6469676573ULL } };
	u64 *h, d = size;
	unsigned int i;

	h = kcalloc(max(s->n, 1U), sizeof(*h), DRLB_GFP);
	if (!h)
		return -ENOMEM;
	for (i = 0; i < s->n; i++)
		h[i] = drlb_addr_hash(&s->be[i]->addr, af, &key);
	/* FNV-1a over the slots' address hashes, mixed once at the end. */
	for (i = 0; i < size; i++)
		d = (d ^ h[slot[i]]) * 0x100000001b3ULL;
	kfree(h);
	s->digest = lower_32_bits(siphash_1u64(d, &key)) ?: 1;
	return 0;
}

static struct drlb_sched *drlb_sched_build(const struct drlb_pool *pool,
					   const struct drlb_sched_ops *ops)
{
	struct drlb_sched *s = ops->build(pool);
	const u32 *table;
	u32 size = 0;

	if (!s)
		return NULL;
	s->ops = ops;
	table = ops->table ? ops->table(s, &size) : NULL;
	if (size && drlb_sched_digest(s, table, size, pool->af)) {
		drlb_sched_free_now(s);
		return NULL;
	}
	return s;
}

/*
 * Build, for @pool, the state of scheduler @ops and the service's
 * stateless Maglev table: the path that places flows the connection table
 * cannot (full, or mid-stream after a failover) the same way on any
 * director with the same configuration. Nothing is published yet.
 */
int drlb_sched_prepare(const struct drlb_pool *pool, const struct drlb_sched_ops *ops,
		       struct drlb_sched_set *set)
{
	set->sched = drlb_sched_build(pool, ops);
	set->stateless = drlb_sched_build(pool, &drlb_sched_mh);
	if (set->sched && set->stateless)
		return 0;
	drlb_sched_abort(set);
	return -ENOMEM;
}

/* Free a set that was never published. */
void drlb_sched_abort(struct drlb_sched_set *set)
{
	drlb_sched_free_now(set->sched);
	drlb_sched_free_now(set->stateless);
	set->sched = NULL;
	set->stateless = NULL;
}

/* Publish @set in @svc; the states it replaces go after a grace period. */
void drlb_sched_commit(struct drlb_service *svc, struct drlb_sched_set *set)
{
	lockdep_assert_held(&svc->dn->lock);
	drlb_sched_free(rcu_replace_pointer(svc->sched, set->sched,
					    lockdep_is_held(&svc->dn->lock)));
	drlb_sched_free(rcu_replace_pointer(svc->stateless, set->stateless,
					    lockdep_is_held(&svc->dn->lock)));
}

/*
 * Rebuild @svc's states for its current backends, with @ops (the current
 * scheduler when NULL). On failure nothing changes.
 */
int drlb_sched_rebuild(struct drlb_service *svc, const struct drlb_sched_ops *ops)
{
	struct drlb_sched_set set;
	struct drlb_pool pool;
	int err;

	if (!ops)
		ops = rcu_dereference_protected(svc->sched, lockdep_is_held(&svc->dn->lock))->ops;
	err = drlb_pool_init(&pool, svc, 0);
	if (err)
		return err;
	err = drlb_sched_prepare(&pool, ops, &set);
	drlb_pool_free(&pool);
	if (!err)
		drlb_sched_commit(svc, &set);
	return err;
}

/*
 * The service is unlinked: readers that found it before keep using its
 * state until the grace period ends, so the pointers stay as they are.
 */
void drlb_sched_release(struct drlb_service *svc)
{
	drlb_sched_free(rcu_dereference_protected(svc->sched, lockdep_is_held(&svc->dn->lock)));
	drlb_sched_free(rcu_dereference_protected(svc->stateless,
						  lockdep_is_held(&svc->dn->lock)));
}

struct drlb_backend *drlb_schedule_stateless(struct drlb_service *svc,
					     const struct drlb_flow *flow)
{
	struct drlb_sched *s = rcu_dereference(svc->stateless);

	if (!s || !s->n)
		return NULL;
	return s->ops->schedule(s, flow);
}

struct drlb_backend *drlb_schedule(struct drlb_service *svc, const struct drlb_flow *flow)
{
	struct drlb_sched *s = rcu_dereference(svc->sched);

	if (!s->n)
		return NULL;
	return s->ops->schedule(s, flow);
}
