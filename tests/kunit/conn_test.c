// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the connection table and the inbound-only TCP state machine.
 */
#include <kunit/test.h>

#include "conn.h"
#include "test_util.h"

struct drlb_conn_fixture {
	struct drlb_timeouts to;
	struct drlb_conn_table *t;
	struct drlb_backend *be;
};

static int drlb_conn_test_init(struct kunit *test)
{
	struct drlb_conn_fixture *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	union nf_inet_addr a = drlb_test_addr(1);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->to = (struct drlb_timeouts){ 900 * HZ, 120 * HZ, 10 * HZ, 300 * HZ };
	f->t = drlb_conn_table_create(4, &f->to);
	KUNIT_ASSERT_NOT_NULL(test, f->t);
	/* The cases drive expiry themselves. */
	cancel_delayed_work_sync(&f->t->gc);
	f->be = drlb_backend_create(&a, 1);
	KUNIT_ASSERT_NOT_NULL(test, f->be);
	test->priv = f;
	return 0;
}

static void drlb_conn_test_exit(struct kunit *test)
{
	struct drlb_conn_fixture *f = test->priv;

	drlb_conn_table_destroy(f->t);
	drlb_backend_put(f->be);
	rcu_barrier();
	rcu_barrier();
}

static struct drlb_conn_key drlb_test_key(u8 proto, u16 cport)
{
	struct drlb_conn_key k = {
		.caddr.ip = htonl(0xc0a80002),
		.vaddr.ip = htonl(0x0a000064),
		.cport = htons(cport),
		.vport = htons(80),
		.af = AF_INET,
		.proto = proto,
	};

	return k;
}

static struct drlb_conn *drlb_test_insert(struct drlb_conn_fixture *f, u8 proto, u16 cport,
					  u32 state)
{
	struct drlb_conn_key k = drlb_test_key(proto, cport);
	struct drlb_conn *c;

	local_bh_disable();
	c = drlb_conn_insert(f->t, &k, f->be, state);
	local_bh_enable();
	return c;
}

static struct drlb_conn *drlb_test_lookup(struct drlb_conn_fixture *f, u8 proto, u16 cport)
{
	struct drlb_conn_key k = drlb_test_key(proto, cport);
	struct drlb_conn *c;

	rcu_read_lock();
	c = drlb_conn_lookup(f->t, &k);
	rcu_read_unlock();
	return c;
}

static void insert_then_lookup_finds_flow(struct kunit *test)
{
	struct drlb_conn_fixture *f = test->priv;
	struct drlb_conn *c = drlb_test_insert(f, IPPROTO_TCP, 40000, DRLB_CONN_SYN_RECV);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_PTR_EQ(test, drlb_test_lookup(f, IPPROTO_TCP, 40000), c);
	KUNIT_EXPECT_PTR_EQ(test, c->backend, f->be);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->t->count), 1);
	KUNIT_EXPECT_EQ(test, refcount_read(&f->be->refcnt), 2);
}

static void lookup_misses_other_flows(struct kunit *test)
{
	struct drlb_conn_fixture *f = test->priv;

	KUNIT_ASSERT_NOT_NULL(test, drlb_test_insert(f, IPPROTO_TCP, 40000, DRLB_CONN_SYN_RECV));
	KUNIT_EXPECT_NULL(test, drlb_test_lookup(f, IPPROTO_TCP, 40001));
	KUNIT_EXPECT_NULL(test, drlb_test_lookup(f, IPPROTO_UDP, 40000));
}

static void insert_replaces_same_flow(struct kunit *test)
{
	struct drlb_conn_fixture *f = test->priv;
	struct drlb_conn *c;

	KUNIT_ASSERT_NOT_NULL(test, drlb_test_insert(f, IPPROTO_TCP, 40000, DRLB_CONN_CLOSE));
	c = drlb_test_insert(f, IPPROTO_TCP, 40000, DRLB_CONN_SYN_RECV);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_PTR_EQ(test, drlb_test_lookup(f, IPPROTO_TCP, 40000), c);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->t->count), 1);
}

static void table_refuses_beyond_conn_max(struct kunit *test)
{
	struct drlb_conn_fixture *f = test->priv;
	u16 port;

	for (port = 1; port <= 4; port++)
		KUNIT_EXPECT_NOT_NULL(test, drlb_test_insert(f, IPPROTO_UDP, port, DRLB_CONN_NONE));
	KUNIT_EXPECT_NULL(test, drlb_test_insert(f, IPPROTO_UDP, 5, DRLB_CONN_NONE));
	KUNIT_EXPECT_EQ(test, atomic_read(&f->t->count), 4);
	/* Raising the bound makes room at once. */
	WRITE_ONCE(f->t->max, 5);
	KUNIT_EXPECT_NOT_NULL(test, drlb_test_insert(f, IPPROTO_UDP, 5, DRLB_CONN_NONE));
}

static void expired_conn_is_collected_by_gc(struct kunit *test)
{
	struct drlb_conn_fixture *f = test->priv;
	struct drlb_conn *c = drlb_test_insert(f, IPPROTO_UDP, 53, DRLB_CONN_NONE);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_FALSE(test, drlb_conn_expired(c));
	/* A live entry survives a full sweep. */
	KUNIT_EXPECT_EQ(test, drlb_conn_expire_slice(f->t, f->t->mask + 1), 0);
	drlb_conn_expire_now(c);
	KUNIT_EXPECT_TRUE(test, drlb_conn_expired(c));
	KUNIT_EXPECT_EQ(test, drlb_conn_expire_slice(f->t, f->t->mask + 1), 1);
	KUNIT_EXPECT_NULL(test, drlb_test_lookup(f, IPPROTO_UDP, 53));
	KUNIT_EXPECT_EQ(test, atomic_read(&f->t->count), 0);
}

static void gc_slice_scans_only_its_share(struct kunit *test)
{
	struct drlb_conn_fixture *f = test->priv;
	unsigned int n = 0, runs;
	u16 port;

	for (port = 1; port <= 4; port++) {
		struct drlb_conn *c = drlb_test_insert(f, IPPROTO_UDP, port, DRLB_CONN_NONE);

		KUNIT_ASSERT_NOT_NULL(test, c);
		drlb_conn_expire_now(c);
	}
	for (runs = 0; runs < DRLB_CONN_GC_SLICES; runs++)
		n += drlb_conn_expire_slice(f->t, (f->t->mask + 1) / DRLB_CONN_GC_SLICES);
	KUNIT_EXPECT_EQ(test, n, 4);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->t->count), 0);
}

static void flush_removes_every_conn(struct kunit *test)
{
	struct drlb_conn_fixture *f = test->priv;

	KUNIT_ASSERT_NOT_NULL(test, drlb_test_insert(f, IPPROTO_UDP, 1, DRLB_CONN_NONE));
	KUNIT_ASSERT_NOT_NULL(test, drlb_test_insert(f, IPPROTO_TCP, 2, DRLB_CONN_SYN_RECV));
	KUNIT_EXPECT_EQ(test, drlb_conn_flush_all(f->t), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->t->count), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->active), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->inactive), 0);
}

static void establishing_moves_conn_to_active(struct kunit *test)
{
	struct drlb_conn_fixture *f = test->priv;
	struct drlb_conn *c = drlb_test_insert(f, IPPROTO_TCP, 40000, DRLB_CONN_SYN_RECV);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->inactive), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->active), 0);
	drlb_conn_update(f->t, c, DRLB_CONN_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->inactive), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->active), 1);
	drlb_conn_update(f->t, c, DRLB_CONN_FIN_WAIT);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->inactive), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->active), 0);
}

static void update_refreshes_timer_by_state(struct kunit *test)
{
	struct drlb_conn_fixture *f = test->priv;
	struct drlb_conn *c = drlb_test_insert(f, IPPROTO_TCP, 40000, DRLB_CONN_SYN_RECV);
	long left;

	KUNIT_ASSERT_NOT_NULL(test, c);
	left = c->expires - jiffies;
	KUNIT_EXPECT_LE(test, left, 10 * HZ);
	drlb_conn_update(f->t, c, DRLB_CONN_ESTABLISHED);
	left = c->expires - jiffies;
	KUNIT_EXPECT_GT(test, left, 890 * HZ);
	KUNIT_EXPECT_LE(test, left, 900 * HZ);
}

static void persist_entry_is_not_a_connection(struct kunit *test)
{
	struct drlb_conn_fixture *f = test->priv;
	struct drlb_conn_key k = drlb_test_key(IPPROTO_TCP, 0);
	struct drlb_conn *a;

	local_bh_disable();
	a = drlb_conn_insert_persist(f->t, &k, f->be, 60 * HZ);
	local_bh_enable();
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, a->state, DRLB_CONN_PERSIST);
	KUNIT_EXPECT_PTR_EQ(test, drlb_test_lookup(f, IPPROTO_TCP, 0), a);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->active), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->inactive), 0);
	KUNIT_EXPECT_LE(test, (long)(a->expires - jiffies), 60L * HZ);
	KUNIT_EXPECT_GT(test, (long)(a->expires - jiffies), 50L * HZ);
}

static void persist_entry_expires(struct kunit *test)
{
	struct drlb_conn_fixture *f = test->priv;
	struct drlb_conn_key k = drlb_test_key(IPPROTO_UDP, 0);
	struct drlb_conn *a;

	local_bh_disable();
	a = drlb_conn_insert_persist(f->t, &k, f->be, 60 * HZ);
	local_bh_enable();
	KUNIT_ASSERT_NOT_NULL(test, a);
	drlb_conn_touch(a, 120 * HZ);
	KUNIT_EXPECT_GT(test, (long)(a->expires - jiffies), 110L * HZ);
	drlb_conn_expire_now(a);
	KUNIT_EXPECT_TRUE(test, drlb_conn_expired(a));
	KUNIT_EXPECT_EQ(test, drlb_conn_expire_slice(f->t, f->t->mask + 1), 1);
	KUNIT_EXPECT_NULL(test, drlb_test_lookup(f, IPPROTO_UDP, 0));
}

static void syn_then_ack_establishes(struct kunit *test)
{
	u32 s = drlb_tcp_next_state(DRLB_CONN_SYN_RECV, true, false, false, false);

	KUNIT_EXPECT_EQ(test, s, DRLB_CONN_SYN_RECV);
	s = drlb_tcp_next_state(s, false, true, false, false);
	KUNIT_EXPECT_EQ(test, s, DRLB_CONN_ESTABLISHED);
	/* Data and ACKs keep it there. */
	KUNIT_EXPECT_EQ(test, drlb_tcp_next_state(s, false, true, false, false),
			DRLB_CONN_ESTABLISHED);
}

static void fin_moves_to_fin_wait(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, drlb_tcp_next_state(DRLB_CONN_ESTABLISHED, false, true, true, false),
			DRLB_CONN_FIN_WAIT);
	KUNIT_EXPECT_EQ(test, drlb_tcp_next_state(DRLB_CONN_FIN_WAIT, false, true, false, false),
			DRLB_CONN_FIN_WAIT);
}

static void rst_closes_from_any_state(struct kunit *test)
{
	u32 s;

	for (s = DRLB_CONN_SYN_RECV; s <= DRLB_CONN_CLOSE; s++)
		KUNIT_EXPECT_EQ(test, drlb_tcp_next_state(s, false, false, false, true),
				DRLB_CONN_CLOSE);
}

static void syn_on_closing_conn_reschedules(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, drlb_tcp_reschedule(DRLB_CONN_FIN_WAIT));
	KUNIT_EXPECT_TRUE(test, drlb_tcp_reschedule(DRLB_CONN_CLOSE));
	KUNIT_EXPECT_FALSE(test, drlb_tcp_reschedule(DRLB_CONN_ESTABLISHED));
	KUNIT_EXPECT_FALSE(test, drlb_tcp_reschedule(DRLB_CONN_SYN_RECV));
	KUNIT_EXPECT_EQ(test, drlb_tcp_next_state(DRLB_CONN_CLOSE, true, false, false, false),
			DRLB_CONN_SYN_RECV);
}

static void timeouts_follow_state(struct kunit *test)
{
	struct drlb_conn_fixture *f = test->priv;

	KUNIT_EXPECT_EQ(test, drlb_conn_timeout(&f->to, IPPROTO_TCP, DRLB_CONN_ESTABLISHED),
			900UL * HZ);
	KUNIT_EXPECT_EQ(test, drlb_conn_timeout(&f->to, IPPROTO_TCP, DRLB_CONN_FIN_WAIT),
			120UL * HZ);
	KUNIT_EXPECT_EQ(test, drlb_conn_timeout(&f->to, IPPROTO_TCP, DRLB_CONN_CLOSE), 10UL * HZ);
	KUNIT_EXPECT_EQ(test, drlb_conn_timeout(&f->to, IPPROTO_TCP, DRLB_CONN_SYN_RECV),
			10UL * HZ);
	KUNIT_EXPECT_EQ(test, drlb_conn_timeout(&f->to, IPPROTO_UDP, DRLB_CONN_NONE), 300UL * HZ);
}

static struct kunit_case drlb_conn_cases[] = {
	KUNIT_CASE(insert_then_lookup_finds_flow),
	KUNIT_CASE(lookup_misses_other_flows),
	KUNIT_CASE(insert_replaces_same_flow),
	KUNIT_CASE(table_refuses_beyond_conn_max),
	KUNIT_CASE(expired_conn_is_collected_by_gc),
	KUNIT_CASE(gc_slice_scans_only_its_share),
	KUNIT_CASE(flush_removes_every_conn),
	KUNIT_CASE(establishing_moves_conn_to_active),
	KUNIT_CASE(update_refreshes_timer_by_state),
	KUNIT_CASE(persist_entry_is_not_a_connection),
	KUNIT_CASE(persist_entry_expires),
	KUNIT_CASE(syn_then_ack_establishes),
	KUNIT_CASE(fin_moves_to_fin_wait),
	KUNIT_CASE(rst_closes_from_any_state),
	KUNIT_CASE(syn_on_closing_conn_reschedules),
	KUNIT_CASE(timeouts_follow_state),
	{}
};

static struct kunit_suite drlb_conn_suite = {
	.name = "drlb_conn",
	.init = drlb_conn_test_init,
	.exit = drlb_conn_test_exit,
	.test_cases = drlb_conn_cases,
};

kunit_test_suite(drlb_conn_suite);
