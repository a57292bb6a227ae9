// SPDX-License-Identifier: GPL-2.0
/*
 * The backend (real server) object: creation and lifetime. Which service a
 * backend belongs to is the service's business (service.c).
 */
#include <linux/slab.h>
#include <linux/string.h>

#include "backend.h"
#include "drlb.h"
#include "l2.h"

static void drlb_backend_free(struct drlb_backend *be)
{
	drlb_l2_drop(be);
	dst_cache_destroy(&be->dst_cache);
	drlb_stats_free(be->stats);
	kfree(be);
}

bool drlb_backend_get(struct drlb_backend *be)
{
	return refcount_inc_not_zero(&be->refcnt);
}

/*
 * Drop a reference whose holder stopped publishing @be a grace period ago
 * (or never did): no reader can still see it through that holder.
 */
void drlb_backend_put(struct drlb_backend *be)
{
	if (refcount_dec_and_test(&be->refcnt))
		drlb_backend_free(be);
}

/*
 * The backend left its service, dead, a grace period ago: nothing sends to
 * it any more. Its connections may hold it until they time out (minutes,
 * for a FIN seen), but its cached route and neighbour must not hold their
 * device that long: a namespace going away waits for its devices.
 */
static void drlb_backend_put_cb(struct rcu_head *head)
{
	struct drlb_backend *be = container_of(head, struct drlb_backend, rcu);

	dst_cache_reset_now(&be->dst_cache);
	drlb_l2_drop(be);
	drlb_backend_put(be);
}

/* Drop the service list's reference, once readers of the list are gone. */
void drlb_backend_put_rcu(struct drlb_backend *be)
{
	call_rcu(&be->rcu, drlb_backend_put_cb);
}

/*
 * The health checker says @be is @health, because of @reason (dn->lock
 * held). True if the health changed, not only its reason.
 */
bool drlb_backend_set_health(struct drlb_backend *be, u8 health, const char *reason)
{
	bool changed = be->health != health;

	if (changed) {
		WRITE_ONCE(be->health, health);
		be->health_since = jiffies;
	}
	strscpy(be->health_reason, reason ?: "", sizeof(be->health_reason));
	return changed;
}

/* A backend not yet in any service, holding one reference. */
struct drlb_backend *drlb_backend_create(const union nf_inet_addr *addr, u16 weight)
{
	struct drlb_backend *be;

	be = kzalloc(sizeof(*be), DRLB_GFP);
	if (!be)
		return NULL;
	be->stats = drlb_stats_alloc();
	if (!be->stats)
		goto err_free;
	if (dst_cache_init(&be->dst_cache, DRLB_GFP))
		goto err_stats;
	be->addr = *addr;
	be->weight = weight;
	be->health_since = jiffies;
	spin_lock_init(&be->l2_lock);
	refcount_set(&be->refcnt, 1);
	return be;

err_stats:
	drlb_stats_free(be->stats);
err_free:
	kfree(be);
	return NULL;
}
