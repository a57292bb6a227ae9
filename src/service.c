// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual services: (af, protocol, VIP, port) and the pool behind each.
 */
#include <linux/jhash.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "backend.h"
#include "conn.h"
#include "drlb.h"
#include "l2.h"
#include "sched.h"
#include "service.h"
#include "xmit.h"

static u32 drlb_service_hash(const struct drlb_service_key *key)
{
	return jhash2((const u32 *)key, sizeof(*key) / sizeof(u32), 0) &
	       ((1 << DRLB_SVC_HASH_BITS) - 1);
}

static bool drlb_service_key_eq(const struct drlb_service_key *a,
				const struct drlb_service_key *b)
{
	const u32 *x = (const u32 *)a, *y = (const u32 *)b;

	BUILD_BUG_ON(sizeof(*a) != 5 * sizeof(u32));
	return !((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3]) |
		 (x[4] ^ y[4]));
}

/* Packet path: RCU read side. */
struct drlb_service *drlb_service_lookup(struct drlb_net *dn,
					 const struct drlb_service_key *key)
{
	struct drlb_service *svc;

	hlist_for_each_entry_rcu(svc, &dn->services[drlb_service_hash(key)], node)
		if (drlb_service_key_eq(&svc->key, key))
			return svc;
	return NULL;
}

/* Configuration path: dn->lock held; sets extack when there is none. */
struct drlb_service *drlb_service_find(struct drlb_net *dn,
				       const struct drlb_service_key *key,
				       struct netlink_ext_ack *extack)
{
	struct drlb_service *svc;

	lockdep_assert_held(&dn->lock);
	hlist_for_each_entry(svc, &dn->services[drlb_service_hash(key)], node)
		if (drlb_service_key_eq(&svc->key, key))
			return svc;
	NL_SET_ERR_MSG(extack, "no such service");
	return NULL;
}

static void drlb_vip_filter_rebuild(struct drlb_net *dn)
{
	DECLARE_BITMAP(filter, DRLB_VIP_FILTER_BITS);
	struct drlb_service *svc;
	int i;

	lockdep_assert_held(&dn->lock);
	bitmap_zero(filter, DRLB_VIP_FILTER_BITS);
	for (i = 0; i < ARRAY_SIZE(dn->services); i++)
		hlist_for_each_entry(svc, &dn->services[i], node)
			__set_bit(drlb_vip_bit(drlb_vip_word(&svc->key)), filter);
	/* Word by word: a reader may see a mix, which only costs lookups. */
	for (i = 0; i < ARRAY_SIZE(dn->vip_filter); i++)
		WRITE_ONCE(dn->vip_filter[i], filter[i]);
}

/* Something a dump shows changed: interrupted dumps must say so. */
void drlb_service_changed(struct drlb_service *svc)
{
	svc->dn->generation++;
}

static void drlb_service_free(struct drlb_service *svc)
{
	kfree(svc->check);
	drlb_stats_free(svc->stats);
	kfree(svc);
}

static void drlb_service_free_rcu(struct rcu_head *head)
{
	drlb_service_free(container_of(head, struct drlb_service, rcu));
}

static const struct drlb_sched_ops *drlb_service_ops(struct drlb_service *svc)
{
	return rcu_dereference_protected(svc->sched, lockdep_is_held(&svc->dn->lock))->ops;
}

static int drlb_service_conf_ops(const struct drlb_service_conf *conf,
				 const struct drlb_sched_ops **ops,
				 struct netlink_ext_ack *extack)
{
	if (!conf->sched)
		return 0;
	*ops = drlb_sched_find(conf->sched);
	if (*ops)
		return 0;
	NL_SET_ERR_MSG(extack, "unknown scheduler");
	return -ENOENT;
}

/*
 * Build @svc's states for @pool (the pool it is about to have) with @ops,
 * into @set; nothing is published. On failure @set is empty.
 */
static int drlb_service_prepare(struct drlb_service *svc, const struct drlb_pool *pool,
				const struct drlb_sched_ops *ops, struct drlb_sched_set *set,
				struct netlink_ext_ack *extack)
{
	if (!drlb_sched_prepare(pool, ops, set))
		return 0;
	NL_SET_ERR_MSG(extack, DRLB_ENOMEM_MSG ": building the scheduler");
	return -ENOMEM;
}

/* The pool of @svc as it is, for an edit; sets extack on failure. */
static int drlb_service_pool(struct drlb_service *svc, struct drlb_pool *pool,
			     unsigned int extra, struct netlink_ext_ack *extack)
{
	if (!drlb_pool_init(pool, svc, extra))
		return 0;
	NL_SET_ERR_MSG(extack, DRLB_ENOMEM_MSG);
	return -ENOMEM;
}

/*
 * The copy of @conf's check that the service is to keep, in *@check: NULL
 * for none. Returns false for want of memory.
 */
static bool drlb_service_conf_check(const struct drlb_service_conf *conf, struct nlattr **check)
{
	*check = NULL;
	if (!conf->check || !nla_len(conf->check))
		return true;
	*check = kmemdup(conf->check, nla_total_size(nla_len(conf->check)), DRLB_GFP);
	return *check;
}

static struct drlb_service *drlb_service_alloc(struct drlb_net *dn,
					       const struct drlb_service_key *key,
					       const struct drlb_service_conf *conf)
{
	struct drlb_service *svc = kzalloc(sizeof(*svc), DRLB_GFP);

	if (!svc)
		return NULL;
	svc->stats = drlb_stats_alloc();
	if (!svc->stats) {
		kfree(svc);
		return NULL;
	}
	if (!drlb_service_conf_check(conf, &svc->check)) {
		drlb_service_free(svc);
		return NULL;
	}
	svc->key = *key;
	svc->dn = dn;
	svc->mh_size = conf->mh_size ?: DRLB_MH_SIZE_DEFAULT;
	svc->persist = conf->has_persist ? conf->persist : 0;
	svc->on_down = svc->check ? conf->on_down : DRLB_ON_DOWN_KEEP;
	INIT_LIST_HEAD(&svc->backends);
	return svc;
}

int drlb_service_add(struct drlb_net *dn, const struct drlb_service_key *key,
		     const struct drlb_service_conf *conf,
		     struct netlink_ext_ack *extack)
{
	const struct drlb_sched_ops *ops = &drlb_sched_rr;
	struct drlb_sched_set set;
	struct drlb_service *svc;
	struct drlb_pool pool;
	int err;

	lockdep_assert_held(&dn->lock);
	if (drlb_service_find(dn, key, NULL)) {
		NL_SET_ERR_MSG(extack, "service already exists");
		return -EEXIST;
	}
	if (dn->nr_services >= dn->service_max) {
		NL_SET_ERR_MSG(extack, "as many services as service-max allows already");
		return -ENOSPC;
	}
	err = drlb_service_conf_ops(conf, &ops, extack);
	if (err)
		return err;
	if (drlb_conn_table_ensure(dn)) {
		NL_SET_ERR_MSG(extack, DRLB_ENOMEM_MSG ": creating the connection table");
		return -ENOMEM;
	}
	svc = drlb_service_alloc(dn, key, conf);
	if (!svc) {
		NL_SET_ERR_MSG(extack, DRLB_ENOMEM_MSG);
		return -ENOMEM;
	}
	err = drlb_service_pool(svc, &pool, 0, extack);
	if (err)
		goto err_free;
	err = drlb_service_prepare(svc, &pool, ops, &set, extack);
	drlb_pool_free(&pool);
	if (err)
		goto err_free;
	drlb_sched_commit(svc, &set);
	hlist_add_head_rcu(&svc->node, &dn->services[drlb_service_hash(key)]);
	dn->nr_services++;
	drlb_vip_filter_rebuild(dn);
	drlb_service_changed(svc);
	return 0;

err_free:
	drlb_service_free(svc);
	return err;
}

/* All of @conf or, on any error, nothing of it. */
int drlb_service_set(struct drlb_net *dn, const struct drlb_service_key *key,
		     const struct drlb_service_conf *conf,
		     struct netlink_ext_ack *extack)
{
	struct drlb_service *svc = drlb_service_find(dn, key, extack);
	const struct drlb_sched_ops *ops;
	struct nlattr *check = NULL;
	struct drlb_sched_set set;
	struct drlb_pool pool;
	int err;

	if (!svc)
		return -ENOENT;
	ops = drlb_service_ops(svc);
	err = drlb_service_conf_ops(conf, &ops, extack);
	if (!err)
		err = drlb_service_pool(svc, &pool, 0, extack);
	if (err)
		return err;
	if (conf->mh_size)
		pool.mh_size = conf->mh_size;
	err = drlb_service_prepare(svc, &pool, ops, &set, extack);
	drlb_pool_free(&pool);
	if (err)
		return err;
	if (!drlb_service_conf_check(conf, &check)) {
		drlb_sched_abort(&set);
		NL_SET_ERR_MSG(extack, DRLB_ENOMEM_MSG);
		return -ENOMEM;
	}
	drlb_sched_commit(svc, &set);
	svc->mh_size = conf->mh_size ?: svc->mh_size;
	if (conf->has_persist)
		WRITE_ONCE(svc->persist, conf->persist);
	if (conf->check) {
		kfree(svc->check);
		svc->check = check;
		svc->on_down = check ? conf->on_down : DRLB_ON_DOWN_KEEP;
	}
	drlb_service_changed(svc);
	return 0;
}

bool drlb_service_owns_conn(const struct drlb_service_key *key, const struct drlb_conn *c)
{
	return c->key.af == key->af && c->key.proto == key->proto &&
	       c->key.vport == key->port && nf_inet_addr_cmp(&c->key.vaddr, &key->addr);
}

static bool drlb_service_conn_match(const struct drlb_conn *c, const void *arg)
{
	return drlb_service_owns_conn(arg, c);
}

/* Unpublish @svc; its connections are the caller's to flush. */
static void drlb_service_unlink(struct drlb_net *dn, struct drlb_service *svc)
{
	struct drlb_backend *be, *tmp;

	lockdep_assert_held(&dn->lock);
	hlist_del_rcu(&svc->node);
	dn->nr_services--;
	drlb_service_changed(svc);
	list_for_each_entry_safe(be, tmp, &svc->backends, list)
		drlb_service_backend_unlink(svc, be);
	drlb_sched_release(svc);
	call_rcu(&svc->rcu, drlb_service_free_rcu);
}

int drlb_service_del(struct drlb_net *dn, const struct drlb_service_key *key,
		     struct netlink_ext_ack *extack)
{
	struct drlb_service *svc = drlb_service_find(dn, key, extack);
	struct drlb_service_key k;

	if (!svc)
		return -ENOENT;
	k = svc->key;
	drlb_service_unlink(dn, svc);
	drlb_vip_filter_rebuild(dn);
	drlb_conn_flush(dn->conns, drlb_service_conn_match, &k);
	return 0;
}

void drlb_service_flush(struct drlb_net *dn)
{
	struct drlb_service *svc;
	struct hlist_node *tmp;
	int i;

	lockdep_assert_held(&dn->lock);
	for (i = 0; i < ARRAY_SIZE(dn->services); i++)
		hlist_for_each_entry_safe(svc, tmp, &dn->services[i], node)
			drlb_service_unlink(dn, svc);
	drlb_vip_filter_rebuild(dn);
	/* One walk over the table for all the services, not one each. */
	if (dn->conns)
		drlb_conn_flush_all(dn->conns);
}

/* The estimator's sample of every service and backend (est.c). */
void drlb_service_est(struct drlb_net *dn, unsigned long elapsed)
{
	struct drlb_service *svc;
	struct drlb_backend *be;
	int i;

	lockdep_assert_held(&dn->lock);
	for (i = 0; i < ARRAY_SIZE(dn->services); i++) {
		hlist_for_each_entry(svc, &dn->services[i], node) {
			drlb_est_sample(&svc->est, svc->stats, elapsed);
			list_for_each_entry(be, &svc->backends, list)
				drlb_est_sample(&be->est, be->stats, elapsed);
		}
	}
}

/*
 * @dev goes down, away or changes its MTU: the backends reached through it
 * forget their cached link-layer headers, which hold it (RTNL held).
 */
void drlb_service_dev_event(struct drlb_net *dn, const struct net_device *dev)
{
	struct drlb_service *svc;
	struct drlb_backend *be;
	int i;

	ASSERT_RTNL();
	mutex_lock(&dn->lock);
	for (i = 0; i < ARRAY_SIZE(dn->services); i++)
		hlist_for_each_entry(svc, &dn->services[i], node)
			list_for_each_entry(be, &svc->backends, list)
				drlb_l2_forget(be, dev);
	mutex_unlock(&dn->lock);
}

/*
 * A new site seed: every service's tables are rebuilt with it, and they
 * are published only once all of them are built.
 */
int drlb_service_reseed(struct drlb_net *dn, const siphash_key_t *seed,
			struct netlink_ext_ack *extack)
{
	struct drlb_sched_set *sets;
	struct drlb_service *svc;
	unsigned int n = 0, i;
	struct drlb_pool pool;
	int b, err = 0;

	lockdep_assert_held(&dn->lock);
	sets = kvcalloc(max(dn->nr_services, 1U), sizeof(*sets), DRLB_GFP);
	if (!sets)
		goto err_nomem;
	for (b = 0; b < ARRAY_SIZE(dn->services) && !err; b++) {
		hlist_for_each_entry(svc, &dn->services[b], node) {
			err = drlb_pool_init(&pool, svc, 0);
			if (err)
				break;
			pool.seed = seed;
			err = drlb_sched_prepare(&pool, drlb_service_ops(svc), &sets[n]);
			drlb_pool_free(&pool);
			if (err)
				break;
			n++;
			cond_resched();
		}
	}
	if (err) {
		for (i = 0; i < n; i++)
			drlb_sched_abort(&sets[i]);
		kvfree(sets);
		goto err_nomem;
	}
	dn->seed = *seed;
	n = 0;
	for (b = 0; b < ARRAY_SIZE(dn->services); b++) {
		hlist_for_each_entry(svc, &dn->services[b], node) {
			drlb_sched_commit(svc, &sets[n++]);
			drlb_service_changed(svc);
		}
	}
	kvfree(sets);
	return 0;

err_nomem:
	NL_SET_ERR_MSG(extack, DRLB_ENOMEM_MSG ": rebuilding the services' tables");
	return -ENOMEM;
}

/* The pool: which backends a service has. */

struct drlb_backend *drlb_service_backend_find(struct drlb_service *svc,
					       const union nf_inet_addr *addr)
{
	struct drlb_backend *be;

	lockdep_assert_held(&svc->dn->lock);
	list_for_each_entry(be, &svc->backends, list)
		if (nf_inet_addr_cmp(&be->addr, addr))
			return be;
	return NULL;
}

/* Where @be is in @pool, a pool made from the service's list. */
static unsigned int drlb_pool_index(const struct drlb_pool *pool, const struct drlb_backend *be)
{
	unsigned int i = 0;

	while (pool->be[i] != be)
		i++;
	return i;
}

int drlb_service_backend_add(struct drlb_service *svc, const union nf_inet_addr *addr,
			     u16 weight, struct netlink_ext_ack *extack)
{
	struct drlb_sched_set set;
	struct drlb_backend *be;
	struct drlb_pool pool;
	int ifindex, err;

	lockdep_assert_held(&svc->dn->lock);
	if (drlb_service_backend_find(svc, addr)) {
		NL_SET_ERR_MSG(extack, "backend already exists in this service");
		return -EEXIST;
	}
	if (svc->nr_backends >= svc->dn->backend_max) {
		NL_SET_ERR_MSG(extack, "as many backends in this service as backend-max allows");
		return -ENOSPC;
	}
	err = drlb_xmit_check_onlink(svc->dn->net, svc->key.af, addr, &ifindex, extack);
	if (err)
		return err;
	be = drlb_backend_create(addr, weight);
	if (!be) {
		NL_SET_ERR_MSG(extack, DRLB_ENOMEM_MSG);
		return -ENOMEM;
	}
	be->ifindex = ifindex;
	err = drlb_service_pool(svc, &pool, 1, extack);
	if (err)
		goto err_put;
	pool.be[pool.n] = be;
	pool.weight[pool.n++] = weight;
	err = drlb_service_prepare(svc, &pool, drlb_service_ops(svc), &set, extack);
	drlb_pool_free(&pool);
	if (err)
		goto err_put;
	list_add_tail_rcu(&be->list, &svc->backends);
	svc->nr_backends++;
	drlb_sched_commit(svc, &set);
	drlb_service_changed(svc);
	return 0;

err_put:
	/* Never published: no grace period to wait for. */
	drlb_backend_put(be);
	return err;
}

/*
 * The states @svc would have with its backend at @addr changed as @conf
 * says, or (@conf NULL) without that backend, built into @set; *@be is
 * that backend.
 */
static int drlb_service_backend_edit(struct drlb_service *svc, const union nf_inet_addr *addr,
				     const struct drlb_backend_conf *conf,
				     struct drlb_backend **be, struct drlb_sched_set *set,
				     struct netlink_ext_ack *extack)
{
	struct drlb_pool pool;
	unsigned int i;
	int err;

	*be = drlb_service_backend_find(svc, addr);
	if (!*be) {
		NL_SET_ERR_MSG(extack, "no such backend in this service");
		return -ENOENT;
	}
	err = drlb_service_pool(svc, &pool, 0, extack);
	if (err)
		return err;
	i = drlb_pool_index(&pool, *be);
	if (!conf) {
		pool.n--;
		memmove(&pool.be[i], &pool.be[i + 1], (pool.n - i) * sizeof(pool.be[0]));
		memmove(&pool.weight[i], &pool.weight[i + 1],
			(pool.n - i) * sizeof(pool.weight[0]));
	} else {
		pool.weight[i] = drlb_backend_table_weight(conf->has_weight ? conf->weight :
							  (*be)->weight,
							  conf->has_health ? conf->health :
							  (*be)->health);
	}
	err = drlb_service_prepare(svc, &pool, drlb_service_ops(svc), set, extack);
	drlb_pool_free(&pool);
	return err;
}

static bool drlb_service_backend_conn_match(const struct drlb_conn *c, const void *arg)
{
	return c->backend == arg;
}

/*
 * A new weight, or a new health from the checker. A backend that goes
 * down takes no new connections from then on; its connections run out,
 * or with on-down expire they end now, and their next packets are placed
 * afresh as for a deleted backend.
 */
int drlb_service_backend_set(struct drlb_service *svc, const union nf_inet_addr *addr,
			     const struct drlb_backend_conf *conf, struct netlink_ext_ack *extack)
{
	struct drlb_sched_set set;
	struct drlb_backend *be;
	bool rebuild, down = false;
	int err;

	be = drlb_service_backend_find(svc, addr);
	if (!be) {
		NL_SET_ERR_MSG(extack, "no such backend in this service");
		return -ENOENT;
	}
	/*
	 * A change the tables do not see (unchecked to up, as the checker
	 * sets a thousand backends at its start; a weight while down) builds
	 * nothing: the schedulers and the stateless table stay as they are.
	 */
	rebuild = drlb_backend_table_weight(conf->has_weight ? conf->weight : be->weight,
					    conf->has_health ? conf->health : be->health) !=
		  drlb_backend_table_weight(be->weight, be->health);
	if (rebuild) {
		err = drlb_service_backend_edit(svc, addr, conf, &be, &set, extack);
		if (err)
			return err;
	}
	/* Schedulers that read weights live see it now, the others with @set. */
	if (conf->has_weight)
		WRITE_ONCE(be->weight, conf->weight);
	if (conf->has_health)
		down = drlb_backend_set_health(be, conf->health, conf->reason) &&
		       conf->health == DRLB_HEALTH_DOWN;
	if (rebuild)
		drlb_sched_commit(svc, &set);
	if (down && svc->on_down == DRLB_ON_DOWN_EXPIRE)
		drlb_conn_flush(svc->dn->conns, drlb_service_backend_conn_match, be);
	drlb_service_changed(svc);
	return 0;
}

/*
 * Take @be out of its service. Its connections see it dead, drop their
 * packets and expire; the memory goes with the last reference.
 */
void drlb_service_backend_unlink(struct drlb_service *svc, struct drlb_backend *be)
{
	lockdep_assert_held(&svc->dn->lock);
	WRITE_ONCE(be->dead, true);
	list_del_rcu(&be->list);
	svc->nr_backends--;
	drlb_backend_put_rcu(be);
}

int drlb_service_backend_del(struct drlb_service *svc, const union nf_inet_addr *addr,
			     struct netlink_ext_ack *extack)
{
	struct drlb_sched_set set;
	struct drlb_backend *be;
	int err;

	err = drlb_service_backend_edit(svc, addr, NULL, &be, &set, extack);
	if (err)
		return err;
	/* The tables without it first: no reader finds it once it is unlinked. */
	drlb_sched_commit(svc, &set);
	drlb_service_backend_unlink(svc, be);
	drlb_service_changed(svc);
	return 0;
}
