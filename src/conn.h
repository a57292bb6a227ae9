/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DRLB_CONN_H
#define _DRLB_CONN_H

#include <linux/netfilter.h>
#include <linux/rculist.h>
#include <linux/siphash.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <uapi/linux/drlb.h>

struct drlb_backend;
struct drlb_net;
struct drlb_timeouts;
struct mem_cgroup;

/* What an entry of the table stands for. */
enum drlb_conn_kind {
	DRLB_CONN_KIND_FLOW,		/* a client flow */
	DRLB_CONN_KIND_PERSIST,		/* a client's affinity: cport and vport 0 */
};

/* Hash key and identity of a connection: the client side only, as DR sees it. */
struct drlb_conn_key {
	union nf_inet_addr caddr;
	union nf_inet_addr vaddr;
	__be16 cport;
	__be16 vport;
	u8 af;
	u8 proto;
	u8 kind;			/* enum drlb_conn_kind: its own key space */
	u8 pad;
} __aligned(8);		/* compared and hashed by words */

/* Entry flags. */
#define DRLB_CONN_F_UNCOUNTED	BIT(0)	/* not in its backend's active/inactive */
#define DRLB_CONN_F_MIDSTREAM	BIT(1)	/* placed without a SYN: short-lived */

/* @state of an entry unlinked from the table: it accounts no more. */
#define DRLB_CONN_UNLINKED	U8_MAX

struct drlb_conn {
	struct hlist_node node;		/* bucket: RCU readers, bucket lock */
	struct drlb_conn_key key;
	struct drlb_backend *backend;	/* counted reference */
	unsigned long expires;		/* jiffies; READ/WRITE_ONCE */
	u32 state;			/* enum drlb_conn_state; cmpxchg, xchg at unlink */
	u16 flags;			/* DRLB_CONN_F_*, fixed */
	struct rcu_head rcu;
};

#define DRLB_CONN_LOCKS		256
#define DRLB_CONN_GC_INTERVAL	(HZ / 10)
#define DRLB_CONN_GC_SLICES	64
/* Never fewer buckets than locks: a flow's lock does not change with the size. */
#define DRLB_CONN_MIN_BUCKETS	1024U
#define DRLB_CONN_MAX_BUCKETS	BIT(22)

/* The bucket array; replaced by a bigger one when conn-max grows. */
struct drlb_conn_hash {
	unsigned int mask;
	struct rcu_head rcu;
	struct hlist_head buckets[];	/* RCU readers; writers hold the flow's lock */
};

struct drlb_conn_table {
	struct drlb_conn_hash __rcu *hash;	/* changes under every lock, in @seq */
	seqcount_spinlock_t seq;	/* a lookup that missed during a resize retries */
	spinlock_t resize_lock;		/* held, with @resizing, instead of all locks[] */
	bool resizing;
	spinlock_t locks[DRLB_CONN_LOCKS];	/* hash h: locks[h % DRLB_CONN_LOCKS] */
	hsiphash_key_t secret;
	atomic_t count;
	unsigned int max;		/* READ/WRITE_ONCE */
	unsigned int gc_cursor;		/* only the GC work touches it */
	struct delayed_work gc;
	const struct drlb_timeouts *timeouts;
	/* Entries are charged here, even when made in softirq context. */
	struct mem_cgroup *memcg;
};

/* Where a dump of the table stands between two of its messages. */
struct drlb_conn_cursor {
	struct drlb_conn_key last;	/* the last entry put out, if @started */
	u32 bucket;
	bool started;
	u8 size_order;			/* 1 + log2 of the table's size then; 0: none yet */
	u16 restarts;			/* times @last was gone: output may repeat */
};

/* A connection and what a walk over the table should do with it. */
typedef bool (*drlb_conn_match_t)(const struct drlb_conn *c, const void *arg);
/* Put out @c: 1 if it was, 0 if it is not wanted, <0 stops the walk before @c. */
typedef int (*drlb_conn_emit_t)(const struct drlb_conn *c, void *arg);

int drlb_conn_table_ensure(struct drlb_net *dn);
struct drlb_conn_table *drlb_conn_table_create(unsigned int max,
					       const struct drlb_timeouts *timeouts);
void drlb_conn_table_destroy(struct drlb_conn_table *t);
struct drlb_conn_hash *drlb_conn_hash_prepare(struct drlb_conn_table *t, unsigned int max);
void drlb_conn_hash_abort(struct drlb_conn_hash *h);
void drlb_conn_table_set_max(struct drlb_conn_table *t, unsigned int max,
			     struct drlb_conn_hash *h);
unsigned int drlb_conn_nbuckets(struct drlb_conn_table *t);
struct drlb_conn *drlb_conn_lookup(struct drlb_conn_table *t, const struct drlb_conn_key *k);
struct drlb_conn *drlb_conn_insert(struct drlb_conn_table *t, const struct drlb_conn_key *k,
				   struct drlb_backend *be, u32 state, u16 flags,
				   const struct drlb_conn *replace, bool *fresh);
struct drlb_conn *drlb_conn_insert_persist(struct drlb_conn_table *t,
					   const struct drlb_conn_key *k,
					   struct drlb_backend *be, unsigned long timeout);
void drlb_conn_touch(struct drlb_conn *c, unsigned long timeout);
void drlb_conn_update(struct drlb_conn_table *t, struct drlb_conn *c, u32 state);
void drlb_conn_expire_now(struct drlb_conn *c);
unsigned int drlb_conn_flush(struct drlb_conn_table *t, drlb_conn_match_t match, const void *arg);
unsigned int drlb_conn_flush_all(struct drlb_conn_table *t);
unsigned int drlb_conn_expire_slice(struct drlb_conn_table *t, unsigned int nbuckets);
int drlb_conn_walk_from(struct drlb_conn_table *t, struct drlb_conn_cursor *cur,
			drlb_conn_emit_t emit, void *arg);
unsigned long drlb_conn_timeout(const struct drlb_timeouts *to, u8 proto, u32 state);
u32 drlb_tcp_next_state(u32 state, bool syn, bool ack, bool fin, bool rst);
bool drlb_tcp_reschedule(u32 state);
int drlb_conn_cache_init(void);
void drlb_conn_cache_exit(void);

static inline bool drlb_conn_expired(const struct drlb_conn *c)
{
	return time_after(jiffies, READ_ONCE(c->expires));
}

#endif /* _DRLB_CONN_H */
