// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual services: (af, protocol, VIP, port) and the pool behind each.
 */
#include <linux/jhash.h>
#include <linux/netlink.h>
#include <linux/slab.h>

#include "backend.h"
#include "conn.h"
#include "hook.h"
#include "sched.h"
#include "service.h"

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

static int drlb_service_apply(struct drlb_service *svc, const struct drlb_service_conf *conf,
			      struct netlink_ext_ack *extack)
{
	const struct drlb_sched_ops *ops = NULL;
	int err;

	if (conf->sched) {
		ops = drlb_sched_find(conf->sched);
		if (!ops) {
			NL_SET_ERR_MSG(extack, "unknown scheduler");
			return -ENOENT;
		}
	}
	if (conf->mh_size)
		svc->mh_size = conf->mh_size;
	if (conf->has_persist)
		WRITE_ONCE(svc->persist, conf->persist);
	if (!ops && rcu_access_pointer(svc->sched))
		return 0;
	err = drlb_sched_rebuild(svc, ops ?: &drlb_sched_rr);
	if (err)
		NL_SET_ERR_MSG(extack, "out of memory building the scheduler");
	return err;
}

static void drlb_service_free_rcu(struct rcu_head *head)
{
	struct drlb_service *svc = container_of(head, struct drlb_service, rcu);

	drlb_stats_free(svc->stats);
	kfree(svc);
}

int drlb_service_add(struct drlb_net *dn, const struct drlb_service_key *key,
		     const struct drlb_service_conf *conf,
		     struct netlink_ext_ack *extack)
{
	struct drlb_service *svc;
	int err;

	lockdep_assert_held(&dn->lock);
	if (drlb_service_find(dn, key, NULL)) {
		NL_SET_ERR_MSG(extack, "service already exists");
		return -EEXIST;
	}
	if (!dn->conns) {
		dn->conns = drlb_conn_table_create(dn->conn_max, &dn->timeouts);
		if (!dn->conns)
			return -ENOMEM;
	}
	svc = kzalloc(sizeof(*svc), GFP_KERNEL);
	if (!svc)
		return -ENOMEM;
	svc->stats = drlb_stats_alloc();
	if (!svc->stats) {
		kfree(svc);
		return -ENOMEM;
	}
	svc->key = *key;
	svc->dn = dn;
	svc->mh_size = DRLB_MH_SIZE_DEFAULT;
	INIT_LIST_HEAD(&svc->backends);
	err = drlb_service_apply(svc, conf, extack);
	if (err) {
		drlb_stats_free(svc->stats);
		kfree(svc);
		return err;
	}
	hlist_add_head_rcu(&svc->node, &dn->services[drlb_service_hash(key)]);
	dn->nr_services++;
	drlb_vip_filter_rebuild(dn);
	drlb_service_changed(svc);
	drlb_ingress_enable(dn);
	return 0;
}

int drlb_service_set(struct drlb_net *dn, const struct drlb_service_key *key,
		     const struct drlb_service_conf *conf,
		     struct netlink_ext_ack *extack)
{
	struct drlb_service *svc = drlb_service_find(dn, key, extack);
	int err;

	if (!svc)
		return -ENOENT;
	err = drlb_service_apply(svc, conf, extack);
	drlb_service_changed(svc);
	return err;
}

static bool drlb_conn_of_service(const struct drlb_conn *c, const void *arg)
{
	const struct drlb_service_key *key = arg;

	return c->key.af == key->af && c->key.proto == key->proto &&
	       c->key.vport == key->port && nf_inet_addr_cmp(&c->key.vaddr, &key->addr);
}

static void drlb_service_unlink(struct drlb_net *dn, struct drlb_service *svc)
{
	struct drlb_backend *be, *tmp;

	lockdep_assert_held(&dn->lock);
	hlist_del_rcu(&svc->node);
	dn->nr_services--;
	drlb_service_changed(svc);
	list_for_each_entry_safe(be, tmp, &svc->backends, list)
		drlb_backend_unlink(svc, be);
	drlb_sched_release(svc);
	drlb_conn_flush(dn->conns, drlb_conn_of_service, &svc->key);
	call_rcu(&svc->rcu, drlb_service_free_rcu);
}

int drlb_service_del(struct drlb_net *dn, const struct drlb_service_key *key,
		     struct netlink_ext_ack *extack)
{
	struct drlb_service *svc = drlb_service_find(dn, key, extack);

	if (!svc)
		return -ENOENT;
	drlb_service_unlink(dn, svc);
	drlb_vip_filter_rebuild(dn);
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
}
