// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the per-CPU counters and the rates the estimator makes of them.
 */
#include <kunit/test.h>

#include "drlb.h"
#include "stats.h"

static struct drlb_stats __percpu *stats_new(struct kunit *test)
{
	struct drlb_stats __percpu *stats = drlb_stats_alloc();

	KUNIT_ASSERT_NOT_NULL(test, stats);
	return stats;
}

/* @n packets of @len bytes and @conns connections, as the packet path counts them. */
static void count(struct drlb_stats __percpu *stats, int n, unsigned int len, int conns)
{
	local_bh_disable();
	while (n--)
		drlb_stats_packet(stats, len);
	while (conns--)
		drlb_stats_inc(stats, DRLB_CNT_CONNS);
	local_bh_enable();
}

/* What came in during the interval, per second; nothing more, nothing since. */
static void rates_are_per_second_over_the_interval(struct kunit *test)
{
	struct drlb_stats __percpu *stats = stats_new(test);
	struct drlb_est est = {};

	count(stats, 400, 1500, 40);
	drlb_est_sample(&est, stats, 2 * HZ);
	KUNIT_EXPECT_EQ(test, est.rate[DRLB_EST_PACKETS], 200);
	KUNIT_EXPECT_EQ(test, est.rate[DRLB_EST_BYTES], 300000);
	KUNIT_EXPECT_EQ(test, est.rate[DRLB_EST_CONNS], 20);

	/* Only the traffic of the next interval, over its own length. */
	count(stats, 100, 100, 0);
	drlb_est_sample(&est, stats, HZ / 2);
	KUNIT_EXPECT_EQ(test, est.rate[DRLB_EST_PACKETS], 200);
	KUNIT_EXPECT_EQ(test, est.rate[DRLB_EST_BYTES], 20000);
	KUNIT_EXPECT_EQ(test, est.rate[DRLB_EST_CONNS], 0);

	drlb_est_sample(&est, stats, 2 * HZ);
	KUNIT_EXPECT_EQ(test, est.rate[DRLB_EST_PACKETS], 0);
	KUNIT_EXPECT_EQ(test, est.rate[DRLB_EST_BYTES], 0);
	drlb_stats_free(stats);
}

/* A rate below one per second rounds to the nearest, not down. */
static void rates_round_to_the_nearest(struct kunit *test)
{
	struct drlb_stats __percpu *stats = stats_new(test);
	struct drlb_est est = {};

	count(stats, 3, 1, 1);
	drlb_est_sample(&est, stats, 2 * HZ);
	KUNIT_EXPECT_EQ(test, est.rate[DRLB_EST_PACKETS], 2);	/* 1.5 */
	KUNIT_EXPECT_EQ(test, est.rate[DRLB_EST_CONNS], 1);	/* 0.5 */
	count(stats, 1, 1, 0);
	drlb_est_sample(&est, stats, 3 * HZ);
	KUNIT_EXPECT_EQ(test, est.rate[DRLB_EST_PACKETS], 0);	/* 0.33 */
	drlb_stats_free(stats);
}

static struct kunit_case drlb_stats_cases[] = {
	KUNIT_CASE(rates_are_per_second_over_the_interval),
	KUNIT_CASE(rates_round_to_the_nearest),
	{}
};

static struct kunit_suite drlb_stats_suite = {
	.name = "drlb_stats",
	.test_cases = drlb_stats_cases,
};

kunit_test_suite(drlb_stats_suite);
