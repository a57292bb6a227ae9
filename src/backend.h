/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DRLB_BACKEND_H
#define _DRLB_BACKEND_H

#include <linux/netfilter.h>
#include <linux/refcount.h>
#include <linux/rculist.h>
#include <linux/spinlock.h>
#include <net/dst_cache.h>

#include <uapi/linux/drlb.h>

#include "stats.h"

struct drlb_l2;

/*
 * A real server of one service. Every reference is dropped only after a
 * grace period has passed since the holder stopped publishing it (the
 * service's list, a scheduler state, a connection): the last one frees the
 * backend at once, never through another RCU callback, so one
 * rcu_barrier() at module exit waits for every free.
 */
struct drlb_backend {
	struct list_head list;		/* svc->backends: RCU, dn->lock */
	union nf_inet_addr addr;
	u16 weight;			/* WRITE_ONCE under dn->lock */
	u8 health;			/* enum drlb_health: WRITE_ONCE under dn->lock */
	unsigned long health_since;	/* jiffies of its last change: dn->lock */
	char health_reason[DRLB_HEALTH_REASON_MAX];	/* the checker's: dn->lock */
	/* Set (under dn->lock) when deleted; its connections then expire. */
	bool dead;
	refcount_t refcnt;
	atomic_t active;		/* established connections */
	atomic_t inactive;		/* other connections */
	int ifindex;			/* egress at configuration time */
	struct dst_cache dst_cache;	/* route to @addr, per CPU */
	struct drlb_l2 __rcu *l2;	/* link-layer header (l2.c): RCU, @l2_lock */
	spinlock_t l2_lock;
	struct drlb_stats __percpu *stats;
	struct drlb_est est;		/* dn->lock */
	struct rcu_head rcu;		/* the list's reference, dropped late */
};

struct drlb_backend *drlb_backend_create(const union nf_inet_addr *addr, u16 weight);
bool drlb_backend_get(struct drlb_backend *be);
void drlb_backend_put(struct drlb_backend *be);
void drlb_backend_put_rcu(struct drlb_backend *be);
bool drlb_backend_set_health(struct drlb_backend *be, u8 health, const char *reason);

/* May a new connection go to @be? Readers run under RCU. */
static inline bool drlb_backend_available(const struct drlb_backend *be)
{
	return READ_ONCE(be->weight) && READ_ONCE(be->health) != DRLB_HEALTH_DOWN &&
	       !READ_ONCE(be->dead);
}

/* The weight a backend has in its service's tables: none while it is down. */
static inline u16 drlb_backend_table_weight(u16 weight, u8 health)
{
	return health == DRLB_HEALTH_DOWN ? 0 : weight;
}

#endif /* _DRLB_BACKEND_H */
