/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Schedulers: each is one file and one entry in drlb_scheds[].
 *
 * A scheduler's state is built off the packet path, under dn->lock, from the
 * service's backend list whenever it changes, then published with RCU: the
 * packet path reads svc->sched and never takes a configuration lock.
 */
#ifndef _DRLB_SCHED_H
#define _DRLB_SCHED_H

#include <linux/netfilter.h>
#include <linux/rcupdate.h>
#include <linux/types.h>

struct drlb_backend;
struct drlb_service;

/* The flow a scheduler places. */
struct drlb_flow {
	union nf_inet_addr caddr;
	__be16 cport;
	u8 af;
};

struct drlb_sched_ops {
	const char *name;
	/* Build the state for the service's current backends (dn->lock held). */
	struct drlb_sched *(*build)(struct drlb_service *svc);
	/* Pick a backend for a new flow; RCU read side, BHs disabled. */
	struct drlb_backend *(*schedule)(struct drlb_sched *s, const struct drlb_flow *flow);
	/* Free @s after its grace period; NULL: it is one kmalloc'ed block. */
	void (*free)(struct drlb_sched *s);
};

/*
 * Common head of every scheduler's state. The backends in @be are those
 * of the service when it was built; a reader may still see a backend that
 * has just been deleted, so schedulers skip unavailable ones.
 */
struct drlb_sched {
	const struct drlb_sched_ops *ops;
	struct rcu_head rcu;
	unsigned int n;
	struct drlb_backend **be;
};

extern const struct drlb_sched_ops drlb_sched_rr;
extern const struct drlb_sched_ops drlb_sched_wrr;
extern const struct drlb_sched_ops drlb_sched_lc;
extern const struct drlb_sched_ops drlb_sched_wlc;
extern const struct drlb_sched_ops drlb_sched_sh;
extern const struct drlb_sched_ops drlb_sched_mh;

/* Maglev: may @size be a service's table size? (a prime, at most the UAPI max) */
bool drlb_mh_size_valid(u32 size);
/* Maglev: the table of @s, as indices into s->be (for the KUnit suite). */
const u32 *drlb_mh_table(const struct drlb_sched *s, u32 *size);

const struct drlb_sched_ops *drlb_sched_find(const char *name);
int drlb_sched_rebuild(struct drlb_service *svc, const struct drlb_sched_ops *ops);
void drlb_sched_release(struct drlb_service *svc);
struct drlb_backend **drlb_sched_backends(struct drlb_service *svc, unsigned int *n);
struct drlb_backend *drlb_schedule(struct drlb_service *svc, const struct drlb_flow *flow);
struct drlb_backend *drlb_schedule_stateless(struct drlb_service *svc,
					     const struct drlb_flow *flow);

#endif /* _DRLB_SCHED_H */
