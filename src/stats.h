/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-CPU counters of services, backends and the namespace as a whole:
 * written locklessly by the CPU that forwards the packet, summed on read.
 */
#ifndef _DRLB_STATS_H
#define _DRLB_STATS_H

#include <linux/percpu.h>
#include <linux/u64_stats_sync.h>

enum drlb_counter {
	DRLB_CNT_PACKETS,
	DRLB_CNT_BYTES,
	DRLB_CNT_CONNS,
	DRLB_CNT_DROP_NO_BACKEND,
	DRLB_CNT_DROP_TABLE_FULL,
	DRLB_CNT_DROP_UNREACHABLE,
	DRLB_CNT_DROP_BACKEND_GONE,
	DRLB_CNT_STATELESS,
	DRLB_CNT_ICMP,
	DRLB_CNT_DROP_TOO_BIG,
	DRLB_CNT_DROP_TTL,
	DRLB_CNT_HOOK_PREROUTING,	/* forwarded from PRE_ROUTING */
	DRLB_CNT_HOOK_INGRESS,		/* forwarded from netdev ingress */
	DRLB_CNT_HOOK_XDP,		/* forwarded by the XDP program */
	DRLB_CNT_MAX
};

struct drlb_stats {
	u64_stats_t cnt[DRLB_CNT_MAX];
	struct u64_stats_sync syncp;
};

struct drlb_stats_sum {
	u64 cnt[DRLB_CNT_MAX];
};

/*
 * Rates, as ipvsadm --rate gives them: per second over the last interval
 * of the namespace's estimator (est.c), computed off the packet path from
 * the same counters. Written and read under dn->lock.
 */
enum drlb_est_index {
	DRLB_EST_CONNS,
	DRLB_EST_PACKETS,
	DRLB_EST_BYTES,
	DRLB_EST_MAX
};

struct drlb_est {
	u64 last[DRLB_EST_MAX];		/* the counters at the last sample */
	u64 rate[DRLB_EST_MAX];		/* per second since then */
};

struct drlb_stats __percpu *drlb_stats_alloc(void);
void drlb_stats_free(struct drlb_stats __percpu *stats);
void drlb_stats_read(struct drlb_stats __percpu *stats, struct drlb_stats_sum *sum);
void drlb_est_sample(struct drlb_est *est, struct drlb_stats __percpu *stats,
		     unsigned long elapsed);

/* Count one forwarded packet of @len bytes; called with BHs disabled. */
static inline void drlb_stats_packet(struct drlb_stats __percpu *stats, unsigned int len)
{
	struct drlb_stats *s = this_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->cnt[DRLB_CNT_PACKETS]);
	u64_stats_add(&s->cnt[DRLB_CNT_BYTES], len);
	u64_stats_update_end(&s->syncp);
}

/*
 * The namespace's share of one forwarded packet: counted, with its bytes,
 * and by the hook (DRLB_CNT_HOOK_*) it came through, in one update.
 */
static inline void drlb_stats_forwarded(struct drlb_stats __percpu *stats, unsigned int len,
					enum drlb_counter via)
{
	struct drlb_stats *s = this_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->cnt[DRLB_CNT_PACKETS]);
	u64_stats_add(&s->cnt[DRLB_CNT_BYTES], len);
	u64_stats_inc(&s->cnt[via]);
	u64_stats_update_end(&s->syncp);
}

static inline void drlb_stats_inc(struct drlb_stats __percpu *stats, enum drlb_counter c)
{
	struct drlb_stats *s = this_cpu_ptr(stats);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->cnt[c]);
	u64_stats_update_end(&s->syncp);
}

#endif /* _DRLB_STATS_H */
