// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU counters: allocation and summing; rates from two sums.
 */
#include <linux/math64.h>

#include "drlb.h"
#include "stats.h"

struct drlb_stats __percpu *drlb_stats_alloc(void)
{
	struct drlb_stats __percpu *stats;
	int cpu;

	stats = alloc_percpu_gfp(struct drlb_stats, DRLB_GFP);
	if (!stats)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats, cpu)->syncp);
	return stats;
}

void drlb_stats_free(struct drlb_stats __percpu *stats)
{
	free_percpu(stats);
}

void drlb_stats_read(struct drlb_stats __percpu *stats, struct drlb_stats_sum *sum)
{
	int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct drlb_stats *s = per_cpu_ptr(stats, cpu);
		u64 v[DRLB_CNT_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&s->syncp);
			for (i = 0; i < DRLB_CNT_MAX; i++)
				v[i] = u64_stats_read(&s->cnt[i]);
		} while (u64_stats_fetch_retry(&s->syncp, start));
		for (i = 0; i < DRLB_CNT_MAX; i++)
			sum->cnt[i] += v[i];
	}
}

/*
 * One estimator sample of @stats, @elapsed (jiffies, not 0) after the last;
 * rates are rounded to the nearest.
 */
void drlb_est_sample(struct drlb_est *est, struct drlb_stats __percpu *stats,
		     unsigned long elapsed)
{
	static const enum drlb_counter counter[DRLB_EST_MAX] = {
		[DRLB_EST_CONNS] = DRLB_CNT_CONNS,
		[DRLB_EST_PACKETS] = DRLB_CNT_PACKETS,
		[DRLB_EST_BYTES] = DRLB_CNT_BYTES,
	};
	struct drlb_stats_sum sum;
	int i;

	drlb_stats_read(stats, &sum);
	for (i = 0; i < DRLB_EST_MAX; i++) {
		u64 now = sum.cnt[counter[i]];

		est->rate[i] = div64_u64((now - est->last[i]) * HZ + elapsed / 2, elapsed);
		est->last[i] = now;
	}
}
