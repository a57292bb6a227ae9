// SPDX-License-Identifier: GPL-2.0
/*
 * The connection table: which backend each client flow was given.
 *
 * Lookups are lockless under RCU; inserts and removals take one of
 * DRLB_CONN_LOCKS stripe locks chosen by the flow's hash. The bucket array
 * is sized from conn_max, about two entries a bucket when full, and
 * replaced by a bigger one when conn_max grows: the entries move under
 * every lock at once (nf_conntrack's scheme: one resize lock and a flag,
 * so that lockdep sees two locks, not 256), and a lookup that misses while
 * they move retries.
 * Expiry is lazy (an expired entry is a miss and is replaced in place) plus
 * a GC work that scans 1/DRLB_CONN_GC_SLICES of the buckets per run, never
 * the whole table at once.
 */
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "backend.h"
#include "conn.h"
#include "drlb.h"

static struct kmem_cache *drlb_conn_cache;

int drlb_conn_cache_init(void)
{
	/* Charged to the memory cgroup of the namespace's administrator. */
	drlb_conn_cache = KMEM_CACHE(drlb_conn, SLAB_ACCOUNT);
	return drlb_conn_cache ? 0 : -ENOMEM;
}

void drlb_conn_cache_exit(void)
{
	kmem_cache_destroy(drlb_conn_cache);
}

/* TCP as seen from the client side only: DR never sees the replies. */
u32 drlb_tcp_next_state(u32 state, bool syn, bool ack, bool fin, bool rst)
{
	if (rst)
		return DRLB_CONN_CLOSE;
	if (state == DRLB_CONN_CLOSE)
		return syn ? DRLB_CONN_SYN_RECV : DRLB_CONN_CLOSE;
	if (fin)
		return DRLB_CONN_FIN_WAIT;
	if (syn && !ack)
		return state == DRLB_CONN_FIN_WAIT ? DRLB_CONN_SYN_RECV : state;
	if (state == DRLB_CONN_SYN_RECV && ack)
		return DRLB_CONN_ESTABLISHED;
	return state;
}

/*
 * A SYN on a connection that is closing starts a new connection at once,
 * freshly scheduled, instead of stalling like IPVS's conn_reuse_mode.
 */
bool drlb_tcp_reschedule(u32 state)
{
	return state == DRLB_CONN_FIN_WAIT || state == DRLB_CONN_CLOSE;
}

unsigned long drlb_conn_timeout(const struct drlb_timeouts *to, u8 proto, u32 state)
{
	if (proto != IPPROTO_TCP)
		return READ_ONCE(to->udp);
	switch (state) {
	case DRLB_CONN_ESTABLISHED:
		return READ_ONCE(to->tcp);
	case DRLB_CONN_FIN_WAIT:
		return READ_ONCE(to->tcp_fin);
	default:
		/* An unanswered SYN is held no longer than a reset connection. */
		return READ_ONCE(to->tcp_close);
	}
}

static bool drlb_conn_active(u8 proto, u32 state)
{
	return proto == IPPROTO_UDP || state == DRLB_CONN_ESTABLISHED;
}

/*
 * Keyed by a random secret, so that nobody can aim flows at one bucket;
 * HalfSipHash (SipHash-1-3 on 64-bit), the kernel's hash for table keys.
 */
static u32 drlb_conn_hash(const struct drlb_conn_table *t, const struct drlb_conn_key *k)
{
	if (k->af == AF_INET)
		return hsiphash_4u32((__force u32)k->caddr.ip, (__force u32)k->vaddr.ip,
				     (__force u32)k->cport << 16 | (__force u32)k->vport,
				     k->proto, &t->secret);
	return hsiphash(k, sizeof(*k), &t->secret);
}

/* Every packet compares keys: five words, padding zeroed, no memcmp() call. */
static bool drlb_conn_key_eq(const struct drlb_conn_key *a, const struct drlb_conn_key *b)
{
	const u64 *x = (const u64 *)a, *y = (const u64 *)b;

	BUILD_BUG_ON(sizeof(*a) != 5 * sizeof(u64));
	return !((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3]) |
		 (x[4] ^ y[4]));
}

/*
 * Take the lock of the flows hashed to @hash, BHs off. The bucket array
 * cannot change while it is held: a resize waits for every holder, and
 * new takers wait for the resize.
 */
static spinlock_t *drlb_conn_lock(struct drlb_conn_table *t, u32 hash)
	__acquires(&t->locks)
{
	spinlock_t *lock = &t->locks[hash % DRLB_CONN_LOCKS];

	spin_lock_bh(lock);
	/* Pairs with drlb_conn_unlock_all()'s smp_store_release(). */
	if (likely(!smp_load_acquire(&t->resizing)))
		return lock;
	spin_unlock(lock);
	spin_lock(&t->resize_lock);
	spin_lock(lock);
	spin_unlock(&t->resize_lock);
	return lock;
}

static void drlb_conn_lock_all(struct drlb_conn_table *t)
	__acquires(&t->resize_lock)
{
	unsigned int i;

	spin_lock_bh(&t->resize_lock);
	WRITE_ONCE(t->resizing, true);
	/* Wait for every holder; the unlock publishes @resizing to the next. */
	for (i = 0; i < DRLB_CONN_LOCKS; i++) {
		spin_lock(&t->locks[i]);
		spin_unlock(&t->locks[i]);
	}
}

static void drlb_conn_unlock_all(struct drlb_conn_table *t)
	__releases(&t->resize_lock)
{
	/* Pairs with drlb_conn_lock()'s smp_load_acquire(): the moves come first. */
	smp_store_release(&t->resizing, false);
	spin_unlock_bh(&t->resize_lock);
}

/* The bucket array, for a holder of any flow's lock. */
static struct drlb_conn_hash *drlb_conn_hash_locked(struct drlb_conn_table *t)
{
	return rcu_dereference_protected(t->hash, true);
}

static void drlb_conn_free(struct drlb_conn *c)
{
	drlb_backend_put(c->backend);
	kmem_cache_free(drlb_conn_cache, c);
}

static void drlb_conn_free_rcu(struct rcu_head *head)
{
	drlb_conn_free(container_of(head, struct drlb_conn, rcu));
}

static void drlb_conn_account(struct drlb_conn *c, u32 state, int delta)
{
	/* An affinity entry, or a flow not yet shown to be one, counts for nothing. */
	if (c->flags & DRLB_CONN_F_UNCOUNTED || state == DRLB_CONN_UNLINKED)
		return;
	if (drlb_conn_active(c->key.proto, state))
		atomic_add(delta, &c->backend->active);
	else
		atomic_add(delta, &c->backend->inactive);
}

/*
 * Unlink @c from its bucket, whose lock the caller holds. The state is
 * taken with xchg(): a packet changing it at the same time either moved
 * the counts before (and we undo its state) or fails its cmpxchg.
 */
static void drlb_conn_unlink(struct drlb_conn_table *t, struct drlb_conn *c)
{
	hlist_del_rcu(&c->node);
	drlb_conn_account(c, xchg(&c->state, DRLB_CONN_UNLINKED), -1);
	atomic_dec(&t->count);
	call_rcu(&c->rcu, drlb_conn_free_rcu);
}

struct drlb_conn *drlb_conn_lookup(struct drlb_conn_table *t, const struct drlb_conn_key *k)
{
	u32 hash = drlb_conn_hash(t, k);
	const struct drlb_conn_hash *h;
	struct drlb_conn *c;
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&t->seq);
		h = rcu_dereference(t->hash);
		hlist_for_each_entry_rcu(c, &h->buckets[hash & h->mask], node)
			if (drlb_conn_key_eq(&c->key, k))
				return c;
	} while (read_seqcount_retry(&t->seq, seq));
	return NULL;
}

/* How long @c lives in @state from its last packet on. */
static unsigned long drlb_conn_ttl(const struct drlb_conn_table *t, const struct drlb_conn *c,
				   u32 state)
{
	/* A flow placed mid-stream lives as a reset one until it ends. */
	if (c->flags & DRLB_CONN_F_MIDSTREAM && state == DRLB_CONN_ESTABLISHED)
		return READ_ONCE(t->timeouts->tcp_close);
	return drlb_conn_timeout(t->timeouts, c->key.proto, state);
}

static bool drlb_conn_live(const struct drlb_conn *c)
{
	return !drlb_conn_expired(c) && !READ_ONCE(c->backend->dead);
}

/*
 * Put @c in its bucket. An entry already there for the same flow is
 * replaced if it is @replace (the one the caller decided to reschedule),
 * dead or expired, or if @force; otherwise another CPU placed the flow
 * first, and its entry wins so that all the flow's packets go one way.
 */
static struct drlb_conn *drlb_conn_link(struct drlb_conn_table *t, struct drlb_conn *c,
					const struct drlb_conn *replace, bool force)
{
	u32 hash = drlb_conn_hash(t, &c->key);
	spinlock_t *lock = drlb_conn_lock(t, hash);
	struct drlb_conn_hash *h = drlb_conn_hash_locked(t);
	struct hlist_head *head = &h->buckets[hash & h->mask];
	struct drlb_conn *old, *ret = c;

	hlist_for_each_entry(old, head, node) {
		if (!drlb_conn_key_eq(&old->key, &c->key))
			continue;
		if (!force && old != replace && drlb_conn_live(old))
			ret = old;
		else
			drlb_conn_unlink(t, old);
		break;
	}
	if (ret == c) {
		drlb_conn_account(c, c->state, 1);
		hlist_add_head_rcu(&c->node, head);
	}
	spin_unlock_bh(lock);
	return ret;
}

static struct drlb_conn *drlb_conn_alloc(struct drlb_conn_table *t,
					 const struct drlb_conn_key *k,
					 struct drlb_backend *be, u32 state, u16 flags)
{
	struct mem_cgroup *old_memcg;
	struct drlb_conn *c;

	if (atomic_inc_return(&t->count) > READ_ONCE(t->max))
		goto err_count;
	old_memcg = set_active_memcg(t->memcg);
	c = kmem_cache_alloc(drlb_conn_cache, GFP_ATOMIC | __GFP_NOWARN);
	set_active_memcg(old_memcg);
	if (!c)
		goto err_count;
	if (!drlb_backend_get(be))
		goto err_free;
	c->key = *k;
	c->backend = be;
	c->state = state;
	c->flags = flags;
	return c;

err_free:
	kmem_cache_free(drlb_conn_cache, c);
err_count:
	atomic_dec(&t->count);
	return NULL;
}

/*
 * Record that flow @k goes to @be (the caller holds an RCU reference only;
 * the connection takes a counted one) and return the entry the flow now
 * has: @fresh says whether it is this one, or that of another CPU which
 * placed the same flow first. NULL when the table is full or @be is
 * being freed.
 */
struct drlb_conn *drlb_conn_insert(struct drlb_conn_table *t, const struct drlb_conn_key *k,
				   struct drlb_backend *be, u32 state, u16 flags,
				   const struct drlb_conn *replace, bool *fresh)
{
	struct drlb_conn *c = drlb_conn_alloc(t, k, be, state, flags), *ret;

	*fresh = false;
	if (!c)
		return NULL;
	c->expires = jiffies + drlb_conn_ttl(t, c, state);
	ret = drlb_conn_link(t, c, replace, false);
	if (ret != c) {
		/* Never published: no grace period to wait for. */
		drlb_conn_free(c);
		atomic_dec(&t->count);
	}
	*fresh = ret == c;
	return ret;
}

/* Record that the client of @k (an affinity key) sticks to @be for @timeout. */
struct drlb_conn *drlb_conn_insert_persist(struct drlb_conn_table *t,
					   const struct drlb_conn_key *k,
					   struct drlb_backend *be, unsigned long timeout)
{
	struct drlb_conn *c;

	c = drlb_conn_alloc(t, k, be, DRLB_CONN_PERSIST, DRLB_CONN_F_UNCOUNTED);
	if (!c)
		return NULL;
	c->expires = jiffies + timeout;
	return drlb_conn_link(t, c, NULL, true);
}

/* Keep @c for @timeout from now. */
void drlb_conn_touch(struct drlb_conn *c, unsigned long timeout)
{
	unsigned long expires = jiffies + timeout;

	if (READ_ONCE(c->expires) != expires)
		WRITE_ONCE(c->expires, expires);
}

/* A packet of @c moved it to @state: refresh its timer and the counts. */
void drlb_conn_update(struct drlb_conn_table *t, struct drlb_conn *c, u32 state)
{
	u32 old = READ_ONCE(c->state);

	if (old == DRLB_CONN_UNLINKED)
		return;
	if (old != state && cmpxchg(&c->state, old, state) == old &&
	    drlb_conn_active(c->key.proto, old) != drlb_conn_active(c->key.proto, state)) {
		drlb_conn_account(c, old, -1);
		drlb_conn_account(c, state, 1);
	}
	drlb_conn_touch(c, drlb_conn_ttl(t, c, state));
}

void drlb_conn_expire_now(struct drlb_conn *c)
{
	WRITE_ONCE(c->expires, jiffies - 1);
}

/*
 * The entries of @bucket: since there are no fewer buckets than locks, they
 * share the lock of the hash @bucket.
 */
static unsigned int drlb_conn_walk_bucket(struct drlb_conn_table *t, u32 bucket,
					  drlb_conn_match_t match, const void *arg)
{
	spinlock_t *lock = drlb_conn_lock(t, bucket);
	struct drlb_conn_hash *h = drlb_conn_hash_locked(t);
	struct hlist_node *tmp;
	struct drlb_conn *c;
	unsigned int n = 0;

	if (bucket > h->mask)
		goto out;
	hlist_for_each_entry_safe(c, tmp, &h->buckets[bucket], node) {
		if (match(c, arg)) {
			drlb_conn_unlink(t, c);
			n++;
		}
	}
out:
	spin_unlock_bh(lock);
	return n;
}

#define DRLB_CONN_WALK_BATCH	64

/*
 * Walk @count buckets from @first, locking only those that hold entries
 * (found a batch at a time under RCU). A resize puts the entries of bucket
 * b into b and buckets past the old size, so an empty bucket seen before
 * it stays empty, and a walk that goes up by index misses none. It ends
 * early once the table is empty: the count goes up before an entry is
 * linked, and one linked after that is one the walk could have passed.
 */
static unsigned int drlb_conn_walk_range(struct drlb_conn_table *t, u32 first, u32 count,
					 drlb_conn_match_t match, const void *arg)
{
	DECLARE_BITMAP(busy, DRLB_CONN_WALK_BATCH);
	const struct drlb_conn_hash *h;
	unsigned int i, batch, n = 0;

	for (; count && atomic_read(&t->count); first += batch, count -= batch) {
		batch = min_t(u32, count, DRLB_CONN_WALK_BATCH);
		bitmap_zero(busy, DRLB_CONN_WALK_BATCH);
		rcu_read_lock();
		h = rcu_dereference(t->hash);
		for (i = 0; i < batch && first + i <= h->mask; i++)
			if (!hlist_empty(&h->buckets[first + i]))
				__set_bit(i, busy);
		rcu_read_unlock();
		for_each_set_bit(i, busy, batch)
			n += drlb_conn_walk_bucket(t, first + i, match, arg);
	}
	return n;
}

/* Remove every connection @match selects; process context. */
unsigned int drlb_conn_flush(struct drlb_conn_table *t, drlb_conn_match_t match, const void *arg)
{
	unsigned int bucket = 0, size, count, n = 0;

	while (bucket < (size = drlb_conn_nbuckets(t)) && atomic_read(&t->count)) {
		count = min(size - bucket, 1024U);
		n += drlb_conn_walk_range(t, bucket, count, match, arg);
		bucket += count;
		cond_resched();
	}
	return n;
}

static bool drlb_conn_match_all(const struct drlb_conn *c, const void *arg)
{
	return true;
}

unsigned int drlb_conn_flush_all(struct drlb_conn_table *t)
{
	return drlb_conn_flush(t, drlb_conn_match_all, NULL);
}

static bool drlb_conn_match_expired(const struct drlb_conn *c, const void *arg)
{
	return drlb_conn_expired(c);
}

/* Remove expired connections from the next @nbuckets buckets. */
unsigned int drlb_conn_expire_slice(struct drlb_conn_table *t, unsigned int nbuckets)
{
	unsigned int size, count, n = 0;

	while (nbuckets) {
		size = drlb_conn_nbuckets(t);
		if (t->gc_cursor >= size)
			t->gc_cursor = 0;
		count = min(nbuckets, size - t->gc_cursor);
		n += drlb_conn_walk_range(t, t->gc_cursor, count, drlb_conn_match_expired, NULL);
		t->gc_cursor = (t->gc_cursor + count) % size;
		nbuckets -= count;
	}
	return n;
}

static void drlb_conn_gc(struct work_struct *work)
{
	struct drlb_conn_table *t = container_of(to_delayed_work(work),
						 struct drlb_conn_table, gc);

	drlb_conn_expire_slice(t, drlb_conn_nbuckets(t) / DRLB_CONN_GC_SLICES);
	queue_delayed_work(system_power_efficient_wq, &t->gc, DRLB_CONN_GC_INTERVAL);
}

/*
 * Call @emit for the entries after @cur, bucket by bucket, under RCU. An
 * entry that arrived in a bucket after the walk passed it is not seen; if
 * the last entry put out is gone when the walk resumes, its bucket is
 * walked again from the start and @cur->restarts says that entries may
 * repeat. Returns what stopped @emit, or 0 at the end of the table.
 */
int drlb_conn_walk_from(struct drlb_conn_table *t, struct drlb_conn_cursor *cur,
			drlb_conn_emit_t emit, void *arg)
{
	const struct drlb_conn_hash *h;
	unsigned int seq;
	int err = 0;

	/* Empty (see drlb_conn_walk_range()): up to 4M buckets not read. */
	if (!atomic_read(&t->count))
		return 0;
	rcu_read_lock();
	seq = read_seqcount_begin(&t->seq);
	h = rcu_dereference(t->hash);
	/* Resized since: the buckets walked are not those that are left. */
	if (cur->size_order && cur->size_order != ilog2(h->mask + 1) + 1) {
		cur->bucket = 0;
		cur->started = false;
		cur->restarts++;
	}
	cur->size_order = ilog2(h->mask + 1) + 1;
	for (; cur->bucket <= h->mask; cur->bucket++, cur->started = false) {
		const struct hlist_head *head = &h->buckets[cur->bucket];
		struct drlb_conn *c;
		bool skip = cur->started;

		if (skip) {
			skip = false;
			hlist_for_each_entry_rcu(c, head, node)
				if (drlb_conn_key_eq(&c->key, &cur->last))
					skip = true;
			if (!skip)
				cur->restarts++;
		}
		hlist_for_each_entry_rcu(c, head, node) {
			if (skip) {
				skip = !drlb_conn_key_eq(&c->key, &cur->last);
				continue;
			}
			err = emit(c, arg);
			if (err < 0)
				goto out;
			if (err) {
				cur->last = c->key;
				cur->started = true;
				err = 0;
			}
		}
	}
out:
	/* Entries moved under the walk: it may have missed some. */
	if (read_seqcount_retry(&t->seq, seq))
		cur->restarts++;
	rcu_read_unlock();
	return err;
}

/*
 * The table of @dn, made with its first service. The bucket array is
 * sized for conn_max then; readers that reach it without a service
 * (ICMP errors) load it with smp_load_acquire().
 */
int drlb_conn_table_ensure(struct drlb_net *dn)
{
	struct drlb_conn_table *t;

	lockdep_assert_held(&dn->lock);
	if (dn->conns)
		return 0;
	t = drlb_conn_table_create(dn->conn_max, &dn->timeouts);
	if (!t)
		return -ENOMEM;
	/* Pairs with the ICMP path's and the dump's smp_load_acquire(). */
	smp_store_release(&dn->conns, t);
	return 0;
}

static unsigned int drlb_conn_size_for(unsigned int max)
{
	return roundup_pow_of_two(clamp_t(unsigned int, max / 2, DRLB_CONN_MIN_BUCKETS,
					  DRLB_CONN_MAX_BUCKETS));
}

static struct drlb_conn_hash *drlb_conn_hash_alloc(unsigned int nbuckets)
{
	struct drlb_conn_hash *h;

	h = kvzalloc(struct_size(h, buckets, nbuckets), DRLB_GFP);
	if (h)
		h->mask = nbuckets - 1;
	return h;
}

unsigned int drlb_conn_nbuckets(struct drlb_conn_table *t)
{
	unsigned int n;

	rcu_read_lock();
	n = rcu_dereference(t->hash)->mask + 1;
	rcu_read_unlock();
	return n;
}

/*
 * The bigger bucket array that @max needs, for drlb_conn_table_set_max():
 * NULL if the table's is big enough, an ERR_PTR if it cannot be had. The
 * table never shrinks; its size is only changed by its owner (dn->lock).
 */
struct drlb_conn_hash *drlb_conn_hash_prepare(struct drlb_conn_table *t, unsigned int max)
{
	unsigned int nbuckets = drlb_conn_size_for(max);
	struct drlb_conn_hash *h;

	if (nbuckets <= drlb_conn_nbuckets(t))
		return NULL;
	h = drlb_conn_hash_alloc(nbuckets);
	return h ?: ERR_PTR(-ENOMEM);
}

void drlb_conn_hash_abort(struct drlb_conn_hash *h)
{
	kvfree(h);
}

/* Move every entry of @t into @h, and use @h from now on. */
static void drlb_conn_rehash(struct drlb_conn_table *t, struct drlb_conn_hash *h)
{
	struct drlb_conn_hash *old;
	struct drlb_conn *c;
	struct hlist_node *tmp;
	unsigned int i;

	drlb_conn_lock_all(t);
	old = drlb_conn_hash_locked(t);
	write_seqcount_begin(&t->seq);
	for (i = 0; i <= old->mask; i++) {
		hlist_for_each_entry_safe(c, tmp, &old->buckets[i], node) {
			hlist_del_rcu(&c->node);
			hlist_add_head_rcu(&c->node,
					   &h->buckets[drlb_conn_hash(t, &c->key) & h->mask]);
		}
	}
	rcu_assign_pointer(t->hash, h);
	write_seqcount_end(&t->seq);
	drlb_conn_unlock_all(t);
	/* Lookups may still walk the old array's heads: free it after them. */
	kvfree_rcu(old, rcu);
}

/* Admit up to @max entries, in @h if drlb_conn_hash_prepare() gave one. */
void drlb_conn_table_set_max(struct drlb_conn_table *t, unsigned int max,
			     struct drlb_conn_hash *h)
{
	if (h)
		drlb_conn_rehash(t, h);
	WRITE_ONCE(t->max, max);
}

struct drlb_conn_table *drlb_conn_table_create(unsigned int max,
					       const struct drlb_timeouts *timeouts)
{
	struct drlb_conn_table *t;
	struct drlb_conn_hash *h;
	unsigned int i;

	t = kzalloc(sizeof(*t), DRLB_GFP);
	if (!t)
		return NULL;
	h = drlb_conn_hash_alloc(drlb_conn_size_for(max));
	if (!h) {
		kfree(t);
		return NULL;
	}
	RCU_INIT_POINTER(t->hash, h);
	spin_lock_init(&t->resize_lock);
	seqcount_spinlock_init(&t->seq, &t->resize_lock);
	for (i = 0; i < DRLB_CONN_LOCKS; i++)
		spin_lock_init(&t->locks[i]);
	get_random_bytes(&t->secret, sizeof(t->secret));
	t->max = max;
	t->timeouts = timeouts;
	t->memcg = get_mem_cgroup_from_mm(current->mm);
	INIT_DELAYED_WORK(&t->gc, drlb_conn_gc);
	queue_delayed_work(system_power_efficient_wq, &t->gc, DRLB_CONN_GC_INTERVAL);
	return t;
}

/* No packet path may reach @t any more; process context. */
void drlb_conn_table_destroy(struct drlb_conn_table *t)
{
	if (!t)
		return;
	cancel_delayed_work_sync(&t->gc);
	drlb_conn_flush_all(t);
	mem_cgroup_put(t->memcg);
	kvfree(rcu_dereference_protected(t->hash, true));
	kfree(t);
}
