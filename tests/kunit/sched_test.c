// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: schedulers place flows as their weights say.
 */
#include <kunit/test.h>

#include "test_util.h"

void drlb_test_svc_init(struct kunit *test, struct drlb_test_svc *t,
			const struct drlb_sched_ops *ops, const u16 *weights, unsigned int n)
{
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	memset(t, 0, sizeof(*t));
	mutex_init(&t->dn.lock);
	t->svc.dn = &t->dn;
	t->svc.mh_size = 251;
	INIT_LIST_HEAD(&t->svc.backends);
	mutex_lock(&t->dn.lock);
	for (i = 0; i < n; i++) {
		union nf_inet_addr a = drlb_test_addr(i + 1);

		t->be[i] = drlb_backend_create(&a, weights[i]);
		KUNIT_ASSERT_NOT_NULL(test, t->be[i]);
		list_add_tail(&t->be[i]->list, &t->svc.backends);
		t->svc.nr_backends++;
	}
	t->n = n;
	KUNIT_ASSERT_EQ(test, drlb_sched_rebuild(&t->svc, ops), 0);
	mutex_unlock(&t->dn.lock);
}

void drlb_test_svc_exit(struct drlb_test_svc *t)
{
	unsigned int i;

	mutex_lock(&t->dn.lock);
	drlb_sched_release(&t->svc);
	for (i = 0; i < t->n; i++)
		drlb_service_backend_unlink(&t->svc, t->be[i]);
	mutex_unlock(&t->dn.lock);
	rcu_barrier();
	rcu_barrier();
}

struct drlb_backend *drlb_test_pick(struct drlb_test_svc *t, u32 client)
{
	struct drlb_flow flow = {
		.caddr.ip = htonl(0xc0a80000 | client),
		.cport = htons(1024 + client),
		.af = AF_INET,
	};
	struct drlb_backend *be;

	rcu_read_lock();
	local_bh_disable();
	be = drlb_schedule(&t->svc, &flow);
	local_bh_enable();
	rcu_read_unlock();
	return be;
}

/* Count @picks placements per backend into @hits. */
void drlb_test_tally(struct kunit *test, struct drlb_test_svc *t, unsigned int picks,
		     unsigned int *hits)
{
	unsigned int i, j;

	memset(hits, 0, sizeof(hits[0]) * t->n);
	for (i = 0; i < picks; i++) {
		struct drlb_backend *be = drlb_test_pick(t, i);

		KUNIT_ASSERT_NOT_NULL(test, be);
		for (j = 0; j < t->n; j++)
			if (be == t->be[j])
				hits[j]++;
	}
}

static void rr_spreads_evenly(struct kunit *test)
{
	static const u16 w[] = { 1, 1, 1 };
	struct drlb_test_svc *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int hits[3];

	drlb_test_svc_init(test, t, &drlb_sched_rr, w, 3);
	drlb_test_tally(test, t, 12, hits);
	KUNIT_EXPECT_EQ(test, hits[0], 4);
	KUNIT_EXPECT_EQ(test, hits[1], 4);
	KUNIT_EXPECT_EQ(test, hits[2], 4);
	drlb_test_svc_exit(t);
}

static void rr_skips_drained_backend(struct kunit *test)
{
	static const u16 w[] = { 1, 0, 1 };
	struct drlb_test_svc *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int hits[3];

	drlb_test_svc_init(test, t, &drlb_sched_rr, w, 3);
	drlb_test_tally(test, t, 12, hits);
	KUNIT_EXPECT_EQ(test, hits[0], 6);
	KUNIT_EXPECT_EQ(test, hits[1], 0);
	KUNIT_EXPECT_EQ(test, hits[2], 6);
	drlb_test_svc_exit(t);
}

static void rr_skips_deleted_backend(struct kunit *test)
{
	static const u16 w[] = { 1, 1, 1 };
	struct drlb_test_svc *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int hits[3];

	drlb_test_svc_init(test, t, &drlb_sched_rr, w, 3);
	/* Dead but still in the published state, as right after a delete. */
	WRITE_ONCE(t->be[2]->dead, true);
	drlb_test_tally(test, t, 10, hits);
	KUNIT_EXPECT_EQ(test, hits[0], 5);
	KUNIT_EXPECT_EQ(test, hits[1], 5);
	KUNIT_EXPECT_EQ(test, hits[2], 0);
	drlb_test_svc_exit(t);
}

static void no_available_backend_schedules_nothing(struct kunit *test)
{
	static const u16 w[] = { 0, 0 };
	struct drlb_test_svc *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	drlb_test_svc_init(test, t, &drlb_sched_rr, w, 2);
	KUNIT_EXPECT_NULL(test, drlb_test_pick(t, 1));
	drlb_test_svc_exit(t);
	drlb_test_svc_init(test, t, &drlb_sched_wrr, w, 2);
	KUNIT_EXPECT_NULL(test, drlb_test_pick(t, 1));
	drlb_test_svc_exit(t);
}

static void wrr_gives_exact_shares_3_1_0(struct kunit *test)
{
	static const u16 w[] = { 3, 1, 0 };
	struct drlb_test_svc *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int hits[3];

	drlb_test_svc_init(test, t, &drlb_sched_wrr, w, 3);
	drlb_test_tally(test, t, 12, hits);
	KUNIT_EXPECT_EQ(test, hits[0], 9);
	KUNIT_EXPECT_EQ(test, hits[1], 3);
	KUNIT_EXPECT_EQ(test, hits[2], 0);
	drlb_test_svc_exit(t);
}

static void wrr_gives_exact_shares_2_3_5(struct kunit *test)
{
	static const u16 w[] = { 2, 3, 5 };
	struct drlb_test_svc *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int hits[3];

	drlb_test_svc_init(test, t, &drlb_sched_wrr, w, 3);
	drlb_test_tally(test, t, 1000, hits);
	KUNIT_EXPECT_EQ(test, hits[0], 200);
	KUNIT_EXPECT_EQ(test, hits[1], 300);
	KUNIT_EXPECT_EQ(test, hits[2], 500);
	drlb_test_svc_exit(t);
}

/* Smooth: weights 5,1,1 give a a b a c a a, not a a a a a b c. */
static void wrr_interleaves_smoothly(struct kunit *test)
{
	static const u16 w[] = { 5, 1, 1 };
	static const unsigned int want[] = { 0, 0, 1, 0, 2, 0, 0 };
	struct drlb_test_svc *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int i;

	drlb_test_svc_init(test, t, &drlb_sched_wrr, w, 3);
	for (i = 0; i < ARRAY_SIZE(want); i++)
		KUNIT_EXPECT_PTR_EQ(test, drlb_test_pick(t, i), t->be[want[i]]);
	drlb_test_svc_exit(t);
}

static void wrr_follows_weight_change(struct kunit *test)
{
	static const u16 w[] = { 1, 1 };
	struct drlb_test_svc *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int hits[2];

	drlb_test_svc_init(test, t, &drlb_sched_wrr, w, 2);
	mutex_lock(&t->dn.lock);
	WRITE_ONCE(t->be[1]->weight, 0);
	KUNIT_ASSERT_EQ(test, drlb_sched_rebuild(&t->svc, NULL), 0);
	mutex_unlock(&t->dn.lock);
	drlb_test_tally(test, t, 8, hits);
	KUNIT_EXPECT_EQ(test, hits[0], 8);
	KUNIT_EXPECT_EQ(test, hits[1], 0);
	drlb_test_svc_exit(t);
}

static void sched_find_knows_names(struct kunit *test)
{
	KUNIT_EXPECT_PTR_EQ(test, drlb_sched_find("rr"), &drlb_sched_rr);
	KUNIT_EXPECT_PTR_EQ(test, drlb_sched_find("wrr"), &drlb_sched_wrr);
	KUNIT_EXPECT_NULL(test, drlb_sched_find("fifo"));
	KUNIT_EXPECT_NULL(test, drlb_sched_find(""));
}

static void drlb_test_health(struct kunit *test, struct drlb_test_svc *t, unsigned int i,
			     u8 health)
{
	struct drlb_backend_conf conf = {
		.has_health = true, .health = health, .reason = "kunit",
	};

	mutex_lock(&t->dn.lock);
	KUNIT_EXPECT_EQ(test, drlb_service_backend_set(&t->svc, &t->be[i]->addr, &conf, NULL), 0);
	mutex_unlock(&t->dn.lock);
}

/* How many of @picks flows the stateless Maglev path gives backend @i. */
static unsigned int drlb_test_stateless_hits(struct drlb_test_svc *t, unsigned int picks,
					     unsigned int i)
{
	unsigned int k, n = 0;

	for (k = 0; k < picks; k++) {
		struct drlb_flow flow = {
			.caddr.ip = htonl(0xc0a80000 | k), .cport = htons(1024 + k), .af = AF_INET,
		};

		rcu_read_lock();
		n += drlb_schedule_stateless(&t->svc, &flow) == t->be[i];
		rcu_read_unlock();
	}
	return n;
}

/*
 * A backend the checker marks down takes no new flow from any scheduler
 * nor from the stateless path, keeps the weight the operator gave it, and
 * takes flows again once it is up.
 */
static void down_backend_takes_no_new_flows(struct kunit *test)
{
	static const struct drlb_sched_ops *const ops[] = {
		&drlb_sched_rr, &drlb_sched_wrr, &drlb_sched_lc, &drlb_sched_wlc,
		&drlb_sched_sh, &drlb_sched_mh,
	};
	static const u16 w[] = { 1, 2, 1 };
	struct drlb_test_svc *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int hits[3], i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		drlb_test_svc_init(test, t, ops[i], w, 3);
		KUNIT_EXPECT_EQ(test, t->be[1]->health, DRLB_HEALTH_UNCHECKED);
		drlb_test_health(test, t, 1, DRLB_HEALTH_DOWN);
		drlb_test_tally(test, t, 300, hits);
		KUNIT_EXPECT_EQ_MSG(test, hits[1], 0, "%s", ops[i]->name);
		KUNIT_EXPECT_EQ_MSG(test, hits[0] + hits[2], 300, "%s", ops[i]->name);
		KUNIT_EXPECT_EQ(test, drlb_test_stateless_hits(t, 300, 1), 0);
		KUNIT_EXPECT_EQ(test, t->be[1]->weight, 2);
		KUNIT_EXPECT_STREQ(test, t->be[1]->health_reason, "kunit");
		drlb_test_health(test, t, 1, DRLB_HEALTH_UP);
		KUNIT_EXPECT_TRUE(test, drlb_backend_available(t->be[1]));
		KUNIT_EXPECT_GT(test, drlb_test_stateless_hits(t, 300, 1), 0);
		/* With no connections, lc and wlc give every tie to the first. */
		drlb_test_tally(test, t, 300, hits);
		if (ops[i] != &drlb_sched_lc && ops[i] != &drlb_sched_wlc)
			KUNIT_EXPECT_GT_MSG(test, hits[1], 0, "%s", ops[i]->name);
		drlb_test_svc_exit(t);
	}
}

/*
 * Health the tables do not see (unchecked to up, up to unchecked) and a
 * weight set while down build nothing: the scheduler and the stateless
 * table stay the very same objects. Down, and up again, rebuild.
 */
static void unseen_change_keeps_tables(struct kunit *test)
{
	static const u16 w[] = { 1, 1, 1 };
	struct drlb_test_svc *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct drlb_backend_conf conf = { .has_weight = true, .weight = 5 };
	struct drlb_sched *sched, *stateless;

	drlb_test_svc_init(test, t, &drlb_sched_mh, w, 3);
	sched = rcu_access_pointer(t->svc.sched);
	stateless = rcu_access_pointer(t->svc.stateless);
	drlb_test_health(test, t, 1, DRLB_HEALTH_UP);
	KUNIT_EXPECT_PTR_EQ(test, rcu_access_pointer(t->svc.sched), sched);
	KUNIT_EXPECT_PTR_EQ(test, rcu_access_pointer(t->svc.stateless), stateless);
	KUNIT_EXPECT_EQ(test, t->be[1]->health, DRLB_HEALTH_UP);
	KUNIT_EXPECT_STREQ(test, t->be[1]->health_reason, "kunit");

	drlb_test_health(test, t, 1, DRLB_HEALTH_DOWN);
	KUNIT_EXPECT_PTR_NE(test, rcu_access_pointer(t->svc.sched), sched);
	sched = rcu_access_pointer(t->svc.sched);
	mutex_lock(&t->dn.lock);
	KUNIT_EXPECT_EQ(test, drlb_service_backend_set(&t->svc, &t->be[1]->addr, &conf, NULL), 0);
	mutex_unlock(&t->dn.lock);
	KUNIT_EXPECT_PTR_EQ(test, rcu_access_pointer(t->svc.sched), sched);
	KUNIT_EXPECT_EQ(test, t->be[1]->weight, 5);
	KUNIT_EXPECT_EQ(test, drlb_test_stateless_hits(t, 300, 1), 0);

	drlb_test_health(test, t, 1, DRLB_HEALTH_UP);
	KUNIT_EXPECT_PTR_NE(test, rcu_access_pointer(t->svc.sched), sched);
	KUNIT_EXPECT_GT(test, drlb_test_stateless_hits(t, 300, 1), 0);
	drlb_test_svc_exit(t);
}

static struct kunit_case drlb_sched_cases[] = {
	KUNIT_CASE(rr_spreads_evenly),
	KUNIT_CASE(rr_skips_drained_backend),
	KUNIT_CASE(rr_skips_deleted_backend),
	KUNIT_CASE(no_available_backend_schedules_nothing),
	KUNIT_CASE(wrr_gives_exact_shares_3_1_0),
	KUNIT_CASE(wrr_gives_exact_shares_2_3_5),
	KUNIT_CASE(wrr_interleaves_smoothly),
	KUNIT_CASE(wrr_follows_weight_change),
	KUNIT_CASE(sched_find_knows_names),
	KUNIT_CASE(down_backend_takes_no_new_flows),
	KUNIT_CASE(unseen_change_keeps_tables),
	{}
};

static struct kunit_suite drlb_sched_suite = {
	.name = "drlb_sched",
	.test_cases = drlb_sched_cases,
};

kunit_test_suite(drlb_sched_suite);
