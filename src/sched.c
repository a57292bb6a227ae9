// SPDX-License-Identifier: GPL-2.0
/*
 * The scheduler registry and the publication of scheduler state.
 */
#include <linux/slab.h>
#include <linux/string.h>

#include "backend.h"
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
 * The service's backends as an array, for a scheduler's build(). The array
 * holds a reference on each backend, dropped when the state it belongs to
 * is freed after a grace period: a reader of an old state never sees a
 * backend freed under it, even one deleted since.
 */
struct drlb_backend **drlb_sched_backends(struct drlb_service *svc, unsigned int *n)
{
	struct drlb_backend **be, *b;
	unsigned int i = 0;

	lockdep_assert_held(&svc->dn->lock);
	be = kcalloc(max(svc->nr_backends, 1U), sizeof(*be), GFP_KERNEL);
	if (!be)
		return NULL;
	list_for_each_entry(b, &svc->backends, list) {
		refcount_inc(&b->refcnt);
		be[i++] = b;
	}
	*n = i;
	return be;
}

static void drlb_sched_free_rcu(struct rcu_head *head)
{
	struct drlb_sched *s = container_of(head, struct drlb_sched, rcu);
	unsigned int i;

	for (i = 0; i < s->n; i++)
		drlb_backend_put(s->be[i]);
	kfree(s->be);
	if (s->ops->free)
		s->ops->free(s);
	else
		kfree(s);
}

static void drlb_sched_free(struct drlb_sched *s)
{
	if (s)
		call_rcu(&s->rcu, drlb_sched_free_rcu);
}

/*
 * Build fresh state with @ops (or the current scheduler's when NULL) for
 * the service's current backends and publish it. On failure the old state
 * stays in place.
 */
static int drlb_sched_publish(struct drlb_service *svc, struct drlb_sched __rcu **slot,
			      const struct drlb_sched_ops *ops)
{
	struct drlb_sched *old, *new;

	old = rcu_dereference_protected(*slot, lockdep_is_held(&svc->dn->lock));
	if (!ops)
		ops = old->ops;
	new = ops->build(svc);
	if (!new)
		return -ENOMEM;
	new->ops = ops;
	rcu_assign_pointer(*slot, new);
	drlb_sched_free(old);
	return 0;
}

/*
 * Besides the service's scheduler, every service keeps a Maglev table of
 * its backends: the stateless path, which places flows the connection
 * table cannot (full, or mid-stream after a failover) the same way on any
 * director with the same configuration.
 */
int drlb_sched_rebuild(struct drlb_service *svc, const struct drlb_sched_ops *ops)
{
	int err;

	lockdep_assert_held(&svc->dn->lock);
	err = drlb_sched_publish(svc, &svc->sched, ops);
	if (err)
		return err;
	return drlb_sched_publish(svc, &svc->stateless, &drlb_sched_mh);
}

/*
 * The service is unlinked: readers that found it before keep using its
 * state until the grace period ends, so the pointer stays as it is.
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
