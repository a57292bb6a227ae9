/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DRLB_SERVICE_H
#define _DRLB_SERVICE_H

#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/netfilter.h>
#include <linux/rculist.h>
#include <linux/siphash.h>

#include "drlb.h"
#include "stats.h"

struct drlb_backend;
struct drlb_conn;
struct drlb_sched;
struct netlink_ext_ack;

struct drlb_service_key {
	union nf_inet_addr addr;
	__be16 port;
	u8 af;
	u8 proto;
};

struct drlb_service {
	struct hlist_node node;		/* dn->services: RCU, dn->lock */
	struct drlb_service_key key;
	struct drlb_net *dn;
	struct list_head backends;	/* RCU readers, dn->lock writers */
	unsigned int nr_backends;	/* dn->lock */
	struct drlb_sched __rcu *sched;	/* replaced under dn->lock */
	struct drlb_sched __rcu *stateless; /* Maglev; replaced under dn->lock */
	u32 persist;			/* seconds, 0 = off */
	u32 mh_size;
	/* The health check drlbd runs (a DRLB_SVC_A_CHECK nest), or NULL: dn->lock */
	struct nlattr *check;
	u8 on_down;			/* enum drlb_on_down: dn->lock */
	struct drlb_stats __percpu *stats;
	struct drlb_est est;		/* dn->lock */
	struct rcu_head rcu;
};

/* What a configuration request asks of a service. */
struct drlb_service_conf {
	const char *sched;		/* NULL: keep (set) or rr (new) */
	bool has_persist;
	u32 persist;
	u32 mh_size;			/* 0: keep (set) or default (new) */
	/* NULL: keep (set) or none (new); an empty nest: none. */
	const struct nlattr *check;
	u8 on_down;			/* with @check */
};

/* What a backend set asks: its weight, its health, or both. */
struct drlb_backend_conf {
	bool has_weight;
	u16 weight;
	bool has_health;
	u8 health;			/* enum drlb_health */
	const char *reason;		/* with @has_health, or NULL */
};

/* The message of a refusal for want of memory (the memory cgroup's, maybe). */
#define DRLB_ENOMEM_MSG "out of memory (or over the memory cgroup's limit)"

struct drlb_service *drlb_service_lookup(struct drlb_net *dn,
					 const struct drlb_service_key *key);
struct drlb_service *drlb_service_find(struct drlb_net *dn,
				       const struct drlb_service_key *key,
				       struct netlink_ext_ack *extack);
int drlb_service_add(struct drlb_net *dn, const struct drlb_service_key *key,
		     const struct drlb_service_conf *conf,
		     struct netlink_ext_ack *extack);
int drlb_service_set(struct drlb_net *dn, const struct drlb_service_key *key,
		     const struct drlb_service_conf *conf,
		     struct netlink_ext_ack *extack);
int drlb_service_del(struct drlb_net *dn, const struct drlb_service_key *key,
		     struct netlink_ext_ack *extack);
void drlb_service_flush(struct drlb_net *dn);
void drlb_service_est(struct drlb_net *dn, unsigned long elapsed);
void drlb_service_changed(struct drlb_service *svc);
void drlb_service_dev_event(struct drlb_net *dn, const struct net_device *dev);
int drlb_service_reseed(struct drlb_net *dn, const siphash_key_t *seed,
			struct netlink_ext_ack *extack);
bool drlb_service_owns_conn(const struct drlb_service_key *key, const struct drlb_conn *c);

/* The pool: which backends a service has. */
struct drlb_backend *drlb_service_backend_find(struct drlb_service *svc,
					       const union nf_inet_addr *addr);
int drlb_service_backend_add(struct drlb_service *svc, const union nf_inet_addr *addr,
			     u16 weight, struct netlink_ext_ack *extack);
int drlb_service_backend_set(struct drlb_service *svc, const union nf_inet_addr *addr,
			     const struct drlb_backend_conf *conf, struct netlink_ext_ack *extack);
int drlb_service_backend_del(struct drlb_service *svc, const union nf_inet_addr *addr,
			     struct netlink_ext_ack *extack);
void drlb_service_backend_unlink(struct drlb_service *svc, struct drlb_backend *be);

static inline u32 drlb_vip_bit(__be32 word)
{
	return hash_32((__force u32)word, ilog2(DRLB_VIP_FILTER_BITS));
}

/*
 * Might @word (an IPv4 address, or the last word of an IPv6 one) belong to a
 * VIP of this netns? False positives only cost a service lookup.
 */
static inline bool drlb_vip_maybe(const struct drlb_net *dn, __be32 word)
{
	return test_bit(drlb_vip_bit(word), dn->vip_filter);
}

static inline __be32 drlb_vip_word(const struct drlb_service_key *key)
{
	return key->af == AF_INET ? key->addr.ip : key->addr.ip6[3];
}

#endif /* _DRLB_SERVICE_H */
