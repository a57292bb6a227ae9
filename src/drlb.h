/* SPDX-License-Identifier: GPL-2.0 */
/*
 * drlb: per-network-namespace state shared by every part of the module.
 */
#ifndef _DRLB_H
#define _DRLB_H

#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/siphash.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "stats.h"

#define DRLB_VERSION		"0.1.0"
#define DRLB_SVC_HASH_BITS	8
#define DRLB_VIP_FILTER_BITS	256

struct drlb_conn_table;

/*
 * Configuration allocations: charged to the caller's memory cgroup, and at
 * its limit failing with ENOMEM (said in the extack, hence no warning in
 * the log) instead of invoking the cgroup's OOM killer on the caller.
 */
#define DRLB_GFP	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

/* Per-netns timeouts, in jiffies; read locklessly by the packet path. */
struct drlb_timeouts {
	unsigned long tcp;
	unsigned long tcp_fin;
	unsigned long tcp_close;
	unsigned long udp;
};

struct drlb_net {
	struct net *net;
	/* Serialises every configuration change of this netns. */
	struct mutex lock;
	/* Services keyed by (af, proto, vip, port); RCU readers, @lock writers. */
	struct hlist_head services[1 << DRLB_SVC_HASH_BITS];
	unsigned int nr_services;		/* @lock */
	/* Bumped on every service/backend change (@lock); dump consistency. */
	unsigned int generation;
	/*
	 * One bit per hash of each VIP, so that traffic for any other address
	 * leaves the hook after one load. Rebuilt under @lock.
	 */
	unsigned long vip_filter[BITS_TO_LONGS(DRLB_VIP_FILTER_BITS)];
	struct drlb_timeouts timeouts;		/* WRITE_ONCE under @lock */
	/*
	 * Ceilings (@lock). In a namespace of a user namespace other than
	 * the initial one, none may exceed the initial namespace's.
	 */
	unsigned int conn_max;
	unsigned int service_max;
	unsigned int backend_max;		/* per service */
	siphash_key_t seed;			/* of the hashes; @lock */
	bool fleet;				/* one director of several; @lock */
	/*
	 * Created with the first service (@lock, smp_store_release), then
	 * fixed until exit; smp_load_acquire where no service led to it.
	 */
	struct drlb_conn_table *conns;
	struct drlb_stats __percpu *stats;	/* drops and totals */
	/* The rate estimator (est.c), from the first service on (@lock) */
	struct drlb_est est;
	struct delayed_work est_work;
	unsigned long est_stamp;		/* jiffies of the last sample */
	bool est_on;
	/* PRE_ROUTING hooks and defrag, from the first service on (@lock) */
	struct nf_hook_ops *hooks;
	/* ingress_hook=1: a hook per device from the first service on (RTNL) */
	struct list_head ingress;
	bool ingress_on;
};

extern unsigned int drlb_net_id;

static inline struct drlb_net *drlb_pernet(const struct net *net)
{
	return net_generic(net, drlb_net_id);
}

#endif /* _DRLB_H */
