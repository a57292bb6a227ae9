// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the connection table and the inbound-only TCP state machine.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>

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

static struct drlb_conn *drlb_test_insert_over(struct drlb_conn_fixture *f, u8 proto,
					       u16 cport, u32 state, u16 flags,
					       const struct drlb_conn *replace, bool *fresh)
{
	struct drlb_conn_key k = drlb_test_key(proto, cport);
	struct drlb_conn *c;

	local_bh_disable();
	c = drlb_conn_insert(f->t, &k, f->be, state, flags, replace, fresh);
	local_bh_enable();
	return c;
}

static struct drlb_conn *drlb_test_insert(struct drlb_conn_fixture *f, u8 proto, u16 cport,
					  u32 state)
{
	bool fresh;

	return drlb_test_insert_over(f, proto, cport, state, 0, NULL, &fresh);
}

static struct drlb_conn_key drlb_test_persist_key(u8 proto)
{
	struct drlb_conn_key k = drlb_test_key(proto, 0);

	k.kind = DRLB_CONN_KIND_PERSIST;
	return k;
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

	struct drlb_conn *old;
	bool fresh;

	old = drlb_test_insert(f, IPPROTO_TCP, 40000, DRLB_CONN_CLOSE);
	KUNIT_ASSERT_NOT_NULL(test, old);
	/* The hook decided to reschedule @old (a new SYN on a closed flow). */
	c = drlb_test_insert_over(f, IPPROTO_TCP, 40000, DRLB_CONN_SYN_RECV, 0, old, &fresh);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_TRUE(test, fresh);
	KUNIT_EXPECT_PTR_EQ(test, drlb_test_lookup(f, IPPROTO_TCP, 40000), c);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->t->count), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->inactive), 1);
}

/* Two CPUs placing the same new flow: the first entry wins, both use it. */
static void racing_insert_keeps_first_entry(struct kunit *test)
{
	struct drlb_conn_fixture *f = test->priv;
	struct drlb_conn *first, *second;
	bool fresh;

	first = drlb_test_insert_over(f, IPPROTO_UDP, 5353, DRLB_CONN_NONE, 0, NULL, &fresh);
	KUNIT_ASSERT_NOT_NULL(test, first);
	KUNIT_EXPECT_TRUE(test, fresh);
	second = drlb_test_insert_over(f, IPPROTO_UDP, 5353, DRLB_CONN_NONE, 0, NULL, &fresh);
	KUNIT_EXPECT_PTR_EQ(test, second, first);
	KUNIT_EXPECT_FALSE(test, fresh);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->t->count), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->active), 1);
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
	KUNIT_EXPECT_EQ(test, drlb_conn_expire_slice(f->t, drlb_conn_nbuckets(f->t)), 0);
	drlb_conn_expire_now(c);
	KUNIT_EXPECT_TRUE(test, drlb_conn_expired(c));
	KUNIT_EXPECT_EQ(test, drlb_conn_expire_slice(f->t, drlb_conn_nbuckets(f->t)), 1);
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
		n += drlb_conn_expire_slice(f->t, drlb_conn_nbuckets(f->t) / DRLB_CONN_GC_SLICES);
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
	struct drlb_conn_key k = drlb_test_persist_key(IPPROTO_TCP);
	struct drlb_conn *a;

	local_bh_disable();
	a = drlb_conn_insert_persist(f->t, &k, f->be, 60 * HZ);
	local_bh_enable();
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, a->state, DRLB_CONN_PERSIST);
	rcu_read_lock();
	KUNIT_EXPECT_PTR_EQ(test, drlb_conn_lookup(f->t, &k), a);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->active), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->inactive), 0);
	KUNIT_EXPECT_LE(test, (long)(a->expires - jiffies), 60L * HZ);
	KUNIT_EXPECT_GT(test, (long)(a->expires - jiffies), 50L * HZ);
}

static void persist_entry_expires(struct kunit *test)
{
	struct drlb_conn_fixture *f = test->priv;
	struct drlb_conn_key k = drlb_test_persist_key(IPPROTO_UDP);
	struct drlb_conn *a;

	local_bh_disable();
	a = drlb_conn_insert_persist(f->t, &k, f->be, 60 * HZ);
	local_bh_enable();
	KUNIT_ASSERT_NOT_NULL(test, a);
	drlb_conn_touch(a, 120 * HZ);
	KUNIT_EXPECT_GT(test, (long)(a->expires - jiffies), 110L * HZ);
	drlb_conn_expire_now(a);
	KUNIT_EXPECT_TRUE(test, drlb_conn_expired(a));
	KUNIT_EXPECT_EQ(test, drlb_conn_expire_slice(f->t, drlb_conn_nbuckets(f->t)), 1);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, drlb_conn_lookup(f->t, &k));
	rcu_read_unlock();
}

/*
 * A datagram from client port 0 is a flow of its own: it neither finds nor
 * replaces the client's affinity entry, and the counts stay right when
 * either goes.
 */
static void port0_flow_and_affinity_are_apart(struct kunit *test)
{
	struct drlb_conn_fixture *f = test->priv;
	struct drlb_conn_key k = drlb_test_persist_key(IPPROTO_UDP);
	struct drlb_conn *a, *c;

	local_bh_disable();
	a = drlb_conn_insert_persist(f->t, &k, f->be, 60 * HZ);
	local_bh_enable();
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_NULL(test, drlb_test_lookup(f, IPPROTO_UDP, 0));
	c = drlb_test_insert(f, IPPROTO_UDP, 0, DRLB_CONN_NONE);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_PTR_NE(test, c, a);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->t->count), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->active), 1);
	drlb_conn_expire_now(a);
	drlb_conn_expire_now(c);
	KUNIT_EXPECT_EQ(test, drlb_conn_expire_slice(f->t, drlb_conn_nbuckets(f->t)), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->active), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->inactive), 0);
}

/* A flow placed without its SYN counts for nothing and lives briefly. */
static void midstream_entry_is_short_and_uncounted(struct kunit *test)
{
	struct drlb_conn_fixture *f = test->priv;
	struct drlb_conn *c;
	bool fresh;

	c = drlb_test_insert_over(f, IPPROTO_TCP, 40000, DRLB_CONN_ESTABLISHED,
				  DRLB_CONN_F_MIDSTREAM | DRLB_CONN_F_UNCOUNTED, NULL, &fresh);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->active), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->inactive), 0);
	KUNIT_EXPECT_LE(test, (long)(c->expires - jiffies), 10L * HZ);
	drlb_conn_update(f->t, c, DRLB_CONN_ESTABLISHED);
	KUNIT_EXPECT_LE(test, (long)(c->expires - jiffies), 10L * HZ);
	drlb_conn_update(f->t, c, DRLB_CONN_FIN_WAIT);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->inactive), 0);
	drlb_conn_expire_now(c);
	KUNIT_EXPECT_EQ(test, drlb_conn_expire_slice(f->t, drlb_conn_nbuckets(f->t)), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->active), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->inactive), 0);
}

struct drlb_drift {
	struct drlb_conn_fixture *f;
	atomic_t stop;
};

/* A packet path that flips one flow between established and FIN seen. */
static int drlb_drift_packets(void *arg)
{
	struct drlb_drift *d = arg;
	struct drlb_conn_key k = drlb_test_key(IPPROTO_TCP, 40000);
	unsigned int i = 0;

	while (!atomic_read(&d->stop)) {
		struct drlb_conn *c;

		local_bh_disable();
		rcu_read_lock();
		c = drlb_conn_lookup(d->f->t, &k);
		if (c)
			drlb_conn_update(d->f->t, c, i++ & 1 ? DRLB_CONN_FIN_WAIT :
						      DRLB_CONN_ESTABLISHED);
		rcu_read_unlock();
		local_bh_enable();
		cond_resched();
	}
	return 0;
}

/*
 * One kthread updates the state of a flow while another replaces and
 * flushes it: the counts of active and inactive connections must end at
 * exactly what the table holds, never below zero.
 */
static void state_race_with_unlink_keeps_counts(struct kunit *test)
{
	struct drlb_conn_fixture *f = test->priv;
	struct drlb_drift d = { .f = f };
	struct task_struct *pkt;
	unsigned int i;

	WRITE_ONCE(f->t->max, 16);
	pkt = kthread_run(drlb_drift_packets, &d, "drlb-drift");
	KUNIT_ASSERT_FALSE(test, IS_ERR(pkt));
	for (i = 0; i < 20000; i++) {
		struct drlb_conn *c;

		c = drlb_test_insert(f, IPPROTO_TCP, 40000, DRLB_CONN_ESTABLISHED);
		if (c && i & 1)
			drlb_conn_flush_all(f->t);
		else if (c)
			drlb_conn_expire_now(c);
		if (!(i % 256))
			cond_resched();
	}
	atomic_set(&d.stop, 1);
	kthread_stop(pkt);
	drlb_conn_flush_all(f->t);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->t->count), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->active), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->inactive), 0);
}

struct drlb_resize_reader {
	struct drlb_conn_fixture *f;
	unsigned int flows;
	unsigned long lookups, misses;
	atomic_t stop;
};

static int drlb_resize_lookups(void *arg)
{
	struct drlb_resize_reader *r = arg;
	unsigned int i;

	while (!atomic_read(&r->stop)) {
		for (i = 0; i < r->flows; i++) {
			if (!drlb_test_lookup(r->f, IPPROTO_UDP, 1000 + i))
				r->misses++;
			r->lookups++;
		}
		cond_resched();
	}
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

/*
 * Raising conn-max past what the bucket array was sized for moves every
 * entry into a bigger one, while another CPU keeps looking them up: none
 * is lost, none is missed, the counts stay, and the table never shrinks.
 */
static void table_grows_with_conn_max_under_lookups(struct kunit *test)
{
	struct drlb_conn_fixture *f = test->priv;
	struct drlb_resize_reader r = { .f = f, .flows = 500 };
	struct drlb_conn_hash *h;
	struct task_struct *reader;
	unsigned int i, max;

	WRITE_ONCE(f->t->max, 600);
	for (i = 0; i < r.flows; i++)
		KUNIT_ASSERT_NOT_NULL(test, drlb_test_insert(f, IPPROTO_UDP, 1000 + i,
							     DRLB_CONN_NONE));
	KUNIT_EXPECT_EQ(test, drlb_conn_nbuckets(f->t), DRLB_CONN_MIN_BUCKETS);
	KUNIT_EXPECT_NULL(test, drlb_conn_hash_prepare(f->t, 2048));
	reader = kthread_run(drlb_resize_lookups, &r, "drlb-resize");
	KUNIT_ASSERT_FALSE(test, IS_ERR(reader));
	for (max = 1U << 13; max <= 1U << 21; max <<= 1) {
		h = drlb_conn_hash_prepare(f->t, max);
		KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(h));
		drlb_conn_table_set_max(f->t, max, h);
		KUNIT_EXPECT_EQ(test, drlb_conn_nbuckets(f->t), max / 2);
		msleep(20);
	}
	atomic_set(&r.stop, 1);
	kthread_stop(reader);
	KUNIT_EXPECT_GT(test, r.lookups, 0UL);
	KUNIT_EXPECT_EQ(test, r.misses, 0UL);
	/* Lowering it keeps the buckets it has. */
	KUNIT_EXPECT_NULL(test, drlb_conn_hash_prepare(f->t, 16));
	drlb_conn_table_set_max(f->t, 16, NULL);
	KUNIT_EXPECT_EQ(test, drlb_conn_nbuckets(f->t), 1U << 20);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->t->count), r.flows);
	KUNIT_EXPECT_EQ(test, atomic_read(&f->be->active), r.flows);
	for (i = 0; i < r.flows; i++)
		KUNIT_EXPECT_NOT_NULL(test, drlb_test_lookup(f, IPPROTO_UDP, 1000 + i));
	KUNIT_EXPECT_EQ(test, drlb_conn_flush_all(f->t), r.flows);
}

struct drlb_walk_out {
	u16 ports[8];
	unsigned int n, limit;
};

static int drlb_walk_collect(const struct drlb_conn *c, void *arg)
{
	struct drlb_walk_out *o = arg;

	if (o->n == o->limit)
		return -EMSGSIZE;
	o->ports[o->n++] = ntohs(c->key.cport);
	return 1;
}

/*
 * A dump resumes after the last entry it put out: entries that come and go
 * elsewhere neither skip nor repeat one; only when that entry itself is
 * gone may entries repeat, and the cursor says so.
 */
static void dump_cursor_resumes_after_last_entry(struct kunit *test)
{
	struct drlb_conn_fixture *f = test->priv;
	struct drlb_walk_out out = { .limit = 2 };
	struct drlb_conn_cursor cur = {};
	struct drlb_conn *c[3];
	unsigned int i;
	u16 seen = 0;

	/* One bucket for all: the table has a single one to hash into. */
	rcu_dereference_protected(f->t->hash, true)->mask = 0;
	WRITE_ONCE(f->t->max, 16);
	for (i = 0; i < 3; i++)
		c[i] = drlb_test_insert(f, IPPROTO_UDP, 100 + i, DRLB_CONN_NONE);
	KUNIT_EXPECT_EQ(test, drlb_conn_walk_from(f->t, &cur, drlb_walk_collect, &out), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, out.n, 2);
	/* A new entry at the head and the removal of one already put out. */
	KUNIT_ASSERT_NOT_NULL(test, drlb_test_insert(f, IPPROTO_UDP, 200, DRLB_CONN_NONE));
	drlb_conn_expire_now(c[2]);
	drlb_conn_expire_slice(f->t, 1);
	out.limit = 8;
	KUNIT_EXPECT_EQ(test, drlb_conn_walk_from(f->t, &cur, drlb_walk_collect, &out), 0);
	KUNIT_EXPECT_EQ(test, cur.restarts, 0);
	for (i = 0; i < out.n; i++)
		seen |= BIT(out.ports[i] - 100);
	KUNIT_EXPECT_EQ(test, out.n, 3);
	KUNIT_EXPECT_EQ(test, seen, BIT(0) | BIT(1) | BIT(2));

	/* The cursor's own entry gone: the bucket is walked again, said. */
	memset(&cur, 0, sizeof(cur));
	out.n = 0;
	out.limit = 1;
	drlb_conn_walk_from(f->t, &cur, drlb_walk_collect, &out);
	drlb_conn_flush_all(f->t);
	drlb_test_insert(f, IPPROTO_UDP, 300, DRLB_CONN_NONE);
	out.limit = 8;
	drlb_conn_walk_from(f->t, &cur, drlb_walk_collect, &out);
	KUNIT_EXPECT_EQ(test, cur.restarts, 1);
	KUNIT_EXPECT_EQ(test, out.n, 2);
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
	KUNIT_CASE(racing_insert_keeps_first_entry),
	KUNIT_CASE(table_refuses_beyond_conn_max),
	KUNIT_CASE(expired_conn_is_collected_by_gc),
	KUNIT_CASE(gc_slice_scans_only_its_share),
	KUNIT_CASE(flush_removes_every_conn),
	KUNIT_CASE(establishing_moves_conn_to_active),
	KUNIT_CASE(update_refreshes_timer_by_state),
	KUNIT_CASE(persist_entry_is_not_a_connection),
	KUNIT_CASE(persist_entry_expires),
	KUNIT_CASE(port0_flow_and_affinity_are_apart),
	KUNIT_CASE(midstream_entry_is_short_and_uncounted),
	KUNIT_CASE(state_race_with_unlink_keeps_counts),
	KUNIT_CASE(dump_cursor_resumes_after_last_entry),
	KUNIT_CASE(table_grows_with_conn_max_under_lookups),
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
