/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Schedulers: each is one file and one entry in drlb_scheds[].
 *
 * A scheduler's state is built off the packet path, under dn->lock, from the
 * pool the service is about to have, and published with RCU only once the
 * state of the service's scheduler and of its stateless Maglev path are
 * both built: a failed allocation changes nothing. The packet path reads
 * svc->sched and never takes a configuration lock.
 */
#ifndef _DRLB_SCHED_H
#define _DRLB_SCHED_H

#include <linux/netfilter.h>
#include <linux/rcupdate.h>
#include <linux/siphash.h>
#include <linux/types.h>

struct drlb_backend;
struct drlb_service;

/* The flow a scheduler places. */
struct drlb_flow {
	union nf_inet_addr caddr;
	__be16 cport;
	u8 af;
};

/*
 * What a scheduler state is built from: the backends a service will have,
 * with the weights they will have, and the site seed its hashes use.
 */
struct drlb_pool {
	struct drlb_backend **be;
	u16 *weight;
	unsigned int n;
	u8 af;
	u32 mh_size;
	const siphash_key_t *seed;
};

/* Which hash a site seed keys (each its own key, derived from the seed). */
enum drlb_hash_use {
	DRLB_HASH_MH_BACKEND,
	DRLB_HASH_MH_CLIENT,
	DRLB_HASH_SH_CLIENT,
};

struct drlb_sched_ops {
	const char *name;
	/* State for @pool (dn->lock held), from drlb_sched_alloc(). */
	struct drlb_sched *(*build)(const struct drlb_pool *pool);
	/* Pick a backend for a new flow; RCU read side, BHs disabled. */
	struct drlb_backend *(*schedule)(struct drlb_sched *s, const struct drlb_flow *flow);
	/* Hashing schedulers: the table, as indices into s->be; NULL for the others. */
	const u32 *(*table)(const struct drlb_sched *s, u32 *size);
};

/*
 * Common head of every scheduler's state, at offset 0 of it. The backends
 * in @be (each counted) are those of the pool it was built from; a reader
 * may still see one that has just been deleted or drained, so schedulers
 * skip unavailable ones.
 */
struct drlb_sched {
	const struct drlb_sched_ops *ops;
	struct rcu_head rcu;
	unsigned int n;
	struct drlb_backend **be;
	/* Of the table of a hashing scheduler (mh, sh); 0 for the others. */
	u32 digest;
};

/* A service's two states, built together and published together. */
struct drlb_sched_set {
	struct drlb_sched *sched;
	struct drlb_sched *stateless;
};

extern const struct drlb_sched_ops drlb_sched_rr;
extern const struct drlb_sched_ops drlb_sched_wrr;
extern const struct drlb_sched_ops drlb_sched_lc;
extern const struct drlb_sched_ops drlb_sched_wlc;
extern const struct drlb_sched_ops drlb_sched_sh;
extern const struct drlb_sched_ops drlb_sched_mh;

/* Maglev: may @size be a service's table size? (a prime, at most the UAPI max) */
bool drlb_mh_size_valid(u32 size);
/* Maglev: the table of @s, as indices into s->be. */
const u32 *drlb_mh_table(const struct drlb_sched *s, u32 *size);

const struct drlb_sched_ops *drlb_sched_find(const char *name);
void *drlb_sched_alloc(size_t size, const struct drlb_pool *pool);
void drlb_sched_hash_key(const siphash_key_t *seed, enum drlb_hash_use use, siphash_key_t *key);
u64 drlb_addr_hash(const union nf_inet_addr *addr, u8 af, const siphash_key_t *key);
u32 drlb_service_digest(struct drlb_service *svc);

int drlb_pool_init(struct drlb_pool *pool, struct drlb_service *svc, unsigned int extra);
void drlb_pool_free(struct drlb_pool *pool);
int drlb_sched_prepare(const struct drlb_pool *pool, const struct drlb_sched_ops *ops,
		       struct drlb_sched_set *set);
void drlb_sched_abort(struct drlb_sched_set *set);
void drlb_sched_commit(struct drlb_service *svc, struct drlb_sched_set *set);
int drlb_sched_rebuild(struct drlb_service *svc, const struct drlb_sched_ops *ops);
void drlb_sched_release(struct drlb_service *svc);
struct drlb_backend *drlb_schedule(struct drlb_service *svc, const struct drlb_flow *flow);
struct drlb_backend *drlb_schedule_stateless(struct drlb_service *svc,
					     const struct drlb_flow *flow);

#endif /* _DRLB_SCHED_H */
