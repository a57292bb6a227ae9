// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU counters: allocation and summing.
 */
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
