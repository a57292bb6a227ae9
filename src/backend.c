// SPDX-License-Identifier: GPL-2.0
/*
 * Backends (real servers) of a service: configuration and lifetime.
 */
#include <linux/netlink.h>
#include <linux/slab.h>

#include "backend.h"
#include "sched.h"
#include "service.h"
#include "xmit.h"

struct drlb_backend *drlb_backend_find(struct drlb_service *svc,
				       const union nf_inet_addr *addr)
{
	struct drlb_backend *be;

	lockdep_assert_held(&svc->dn->lock);
	list_for_each_entry(be, &svc->backends, list)
		if (nf_inet_addr_cmp(&be->addr, addr))
			return be;
	return NULL;
}

static void drlb_backend_free_rcu(struct rcu_head *head)
{
	struct drlb_backend *be = container_of(head, struct drlb_backend, rcu);

	dst_cache_destroy(&be->dst_cache);
	drlb_stats_free(be->stats);
	kfree(be);
}

bool drlb_backend_get(struct drlb_backend *be)
{
	return refcount_inc_not_zero(&be->refcnt);
}

void drlb_backend_put(struct drlb_backend *be)
{
	if (refcount_dec_and_test(&be->refcnt))
		call_rcu(&be->rcu, drlb_backend_free_rcu);
}

/* A backend not yet in any service, holding one reference. */
struct drlb_backend *drlb_backend_create(const union nf_inet_addr *addr, u16 weight)
{
	struct drlb_backend *be;

	be = kzalloc(sizeof(*be), GFP_KERNEL);
	if (!be)
		return NULL;
	be->stats = drlb_stats_alloc();
	if (!be->stats)
		goto err_free;
	if (dst_cache_init(&be->dst_cache, GFP_KERNEL))
		goto err_stats;
	be->addr = *addr;
	be->weight = weight;
	refcount_set(&be->refcnt, 1);
	return be;

err_stats:
	drlb_stats_free(be->stats);
err_free:
	kfree(be);
	return NULL;
}

int drlb_backend_add(struct drlb_service *svc, const union nf_inet_addr *addr,
		     u16 weight, struct netlink_ext_ack *extack)
{
	struct drlb_backend *be;
	int ifindex, err;

	lockdep_assert_held(&svc->dn->lock);
	if (drlb_backend_find(svc, addr)) {
		NL_SET_ERR_MSG(extack, "backend already exists in this service");
		return -EEXIST;
	}
	err = drlb_xmit_check_onlink(svc->dn->net, svc->key.af, addr, &ifindex, extack);
	if (err)
		return err;
	be = drlb_backend_create(addr, weight);
	if (!be)
		return -ENOMEM;
	be->ifindex = ifindex;

	list_add_tail_rcu(&be->list, &svc->backends);
	svc->nr_backends++;
	err = drlb_sched_rebuild(svc, NULL);
	if (err) {
		list_del_rcu(&be->list);
		svc->nr_backends--;
		drlb_backend_put(be);
		return err;
	}
	drlb_service_changed(svc);
	return 0;
}

int drlb_backend_set(struct drlb_service *svc, const union nf_inet_addr *addr,
		     u16 weight, struct netlink_ext_ack *extack)
{
	struct drlb_backend *be = drlb_backend_find(svc, addr);

	if (!be) {
		NL_SET_ERR_MSG(extack, "no such backend in this service");
		return -ENOENT;
	}
	WRITE_ONCE(be->weight, weight);
	drlb_service_changed(svc);
	/* Weights are read live; rebuild only for schedulers that cache them. */
	return drlb_sched_rebuild(svc, NULL);
}

/*
 * Take @be out of its service. Its connections see it dead, drop their
 * packets and expire; the memory goes with the last reference.
 */
void drlb_backend_unlink(struct drlb_service *svc, struct drlb_backend *be)
{
	lockdep_assert_held(&svc->dn->lock);
	WRITE_ONCE(be->dead, true);
	list_del_rcu(&be->list);
	svc->nr_backends--;
	drlb_backend_put(be);
}

int drlb_backend_del(struct drlb_service *svc, const union nf_inet_addr *addr,
		     struct netlink_ext_ack *extack)
{
	struct drlb_backend *be = drlb_backend_find(svc, addr);

	if (!be) {
		NL_SET_ERR_MSG(extack, "no such backend in this service");
		return -ENOENT;
	}
	drlb_backend_unlink(svc, be);
	drlb_service_changed(svc);
	/*
	 * Should the rebuild fail, the old state keeps naming @be, which is
	 * harmless: schedulers skip dead backends.
	 */
	drlb_sched_rebuild(svc, NULL);
	return 0;
}
