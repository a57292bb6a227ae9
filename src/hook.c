// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path. Early in PRE_ROUTING, after defragmentation and before
 * conntrack, a packet for a service is looked up in the connection table or
 * scheduled, then sent to its backend by MAC address and stolen: it never
 * reaches conntrack, routing or local sockets. Every other packet leaves at
 * the first test. With ingress_hook=1 the same is done earlier still, at
 * the netdev ingress of every device of a namespace with a service, before
 * IP input; fragments and anything ingress does not take go on to IP input
 * and PRE_ROUTING as before.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/if_vlan.h>
#include <linux/kmod.h>
#include <linux/module.h>
#include <linux/netfilter_bridge.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/slab.h>
#include <net/netfilter/ipv4/nf_defrag_ipv4.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>

#include "backend.h"
#include "conn.h"
#include "drlb.h"
#include "hook.h"
#include "l2.h"
#include "parse.h"
#include "sched.h"
#include "service.h"
#include "xmit.h"

static int hook_priority = NF_IP_PRI_CONNTRACK_DEFRAG + 50;
module_param(hook_priority, int, 0444);
MODULE_PARM_DESC(hook_priority,
		 "PRE_ROUTING priority of the IPv4 and IPv6 hooks (default -350: after defrag, before raw and conntrack)");

/*
 * Defragmentation is nf_defrag_ipv4's and nf_defrag_ipv6's. Their functions
 * are looked up at load time, after asking for the modules, rather than
 * linked: a bare `insmod drlb.ko` then works on a director where nothing
 * of netfilter is loaded yet.
 */
static struct {
	int (*enable4)(struct net *net);
	void (*disable4)(struct net *net);
	int (*enable6)(struct net *net);
	void (*disable6)(struct net *net);
} drlb_defrag;

static u32 drlb_pkt_state(const struct drlb_pkt *pkt, u32 state)
{
	if (pkt->key.proto != IPPROTO_TCP)
		return DRLB_CONN_NONE;
	return drlb_tcp_next_state(state, pkt->syn, pkt->ack, pkt->fin, pkt->rst);
}

/*
 * Persistence: the backend this client was given by an earlier connection
 * to the service, while its affinity entry lives and the backend takes new
 * connections. The entry has a key space of its own (DRLB_CONN_KIND_PERSIST,
 * client port 0), apart from every flow's.
 */
static struct drlb_backend *drlb_persist_lookup(struct drlb_net *dn, u32 persist,
						const struct drlb_conn_key *ak)
{
	struct drlb_conn *a = drlb_conn_lookup(dn->conns, ak);

	if (!a || drlb_conn_expired(a) || !drlb_backend_available(a->backend))
		return NULL;
	drlb_conn_touch(a, persist * HZ);
	return a->backend;
}

/* The flow a scheduler places for @pkt (or for the flow it quotes). */
static struct drlb_flow drlb_flow_of(const struct drlb_pkt *pkt)
{
	return (struct drlb_flow){
		.caddr = pkt->key.caddr,
		.cport = pkt->key.cport,
		.af = pkt->key.af,
	};
}

/*
 * The stateless path: Maglev over the live backends, the same choice on
 * every director with this configuration and no state at all.
 */
static struct drlb_backend *drlb_stateless(struct drlb_net *dn, struct drlb_service *svc,
					   const struct drlb_flow *flow)
{
	struct drlb_backend *be = drlb_schedule_stateless(svc, flow);

	if (be)
		drlb_stats_inc(dn->stats, DRLB_CNT_STATELESS);
	else
		drlb_stats_inc(dn->stats, DRLB_CNT_DROP_NO_BACKEND);
	return be;
}

/*
 * A first choice for a flow with no connection entry: persistence first.
 * A TCP packet without SYN is placed where any director would place it;
 * its entry is then @flags DRLB_CONN_F_MIDSTREAM: it counts for nothing
 * and lives as a reset connection, so that spoofed ACKs cost no more.
 */
static struct drlb_backend *drlb_choose(struct drlb_net *dn, struct drlb_service *svc,
					const struct drlb_pkt *pkt, const struct drlb_flow *flow,
					u16 *flags)
{
	u32 persist = READ_ONCE(svc->persist);
	struct drlb_backend *be = NULL;
	struct drlb_conn_key ak;

	*flags = 0;
	if (pkt->key.proto == IPPROTO_TCP && !pkt->syn) {
		*flags = DRLB_CONN_F_MIDSTREAM | DRLB_CONN_F_UNCOUNTED;
		return drlb_stateless(dn, svc, flow);
	}
	if (persist) {
		ak = pkt->key;
		ak.cport = 0;
		ak.kind = DRLB_CONN_KIND_PERSIST;
		be = drlb_persist_lookup(dn, persist, &ak);
		if (be)
			return be;
	}
	be = drlb_schedule(svc, flow);
	if (!be) {
		drlb_stats_inc(dn->stats, DRLB_CNT_DROP_NO_BACKEND);
		return NULL;
	}
	/* Without room for the affinity entry the flow still goes through. */
	if (persist)
		drlb_conn_insert_persist(dn->conns, &ak, be, persist * HZ);
	return be;
}

/*
 * Place a flow that has no live connection entry (@stale: the entry it
 * replaces, if any) and remember where it went. With the table full it
 * goes the stateless way, remembered by nobody. Should another CPU have
 * placed the same flow first, the flow goes where that CPU sent it.
 */
static struct drlb_backend *drlb_conn_new(struct drlb_net *dn, struct drlb_service *svc,
					  const struct drlb_pkt *pkt,
					  const struct drlb_conn *stale)
{
	struct drlb_flow flow = drlb_flow_of(pkt);
	struct drlb_backend *be;
	struct drlb_conn *c;
	bool fresh;
	u16 flags;

	be = drlb_choose(dn, svc, pkt, &flow, &flags);
	if (!be)
		return NULL;
	c = drlb_conn_insert(dn->conns, &pkt->key, be, drlb_pkt_state(pkt, DRLB_CONN_SYN_RECV),
			     flags, stale, &fresh);
	if (!c) {
		drlb_stats_inc(dn->stats, DRLB_CNT_DROP_TABLE_FULL);
		return drlb_stateless(dn, svc, &flow);
	}
	if (!fresh)
		return c->backend;
	drlb_stats_inc(dn->stats, DRLB_CNT_CONNS);
	drlb_stats_inc(svc->stats, DRLB_CNT_CONNS);
	drlb_stats_inc(be->stats, DRLB_CNT_CONNS);
	return be;
}

/*
 * The connection this packet belongs to, or NULL to schedule it afresh
 * (@stale: an entry found but not to be kept).
 */
static struct drlb_conn *drlb_conn_of(struct drlb_net *dn, const struct drlb_pkt *pkt,
				      struct drlb_conn **stale, bool *gone)
{
	struct drlb_conn *c = drlb_conn_lookup(dn->conns, &pkt->key);
	bool new_syn = pkt->syn && !pkt->ack;

	*gone = false;
	*stale = c;
	if (!c || drlb_conn_expired(c))
		return NULL;
	if (READ_ONCE(c->backend->dead)) {
		/* Its backend was deleted: end it, a new SYN goes elsewhere. */
		drlb_conn_expire_now(c);
		*gone = !new_syn;
		return NULL;
	}
	if (pkt->key.proto == IPPROTO_TCP && new_syn && drlb_tcp_reschedule(READ_ONCE(c->state)))
		return NULL;
	*stale = NULL;
	return c;
}

/*
 * Send @skb to @be and count it, as forwarded through hook @via; the
 * service's share is the caller's to count.
 */
static unsigned int drlb_send(struct drlb_net *dn, struct sk_buff *skb, u8 af,
			      struct drlb_backend *be, enum drlb_counter via)
{
	int err;

	drlb_stats_packet(be->stats, skb->len);
	drlb_stats_forwarded(dn->stats, skb->len, via);
	err = drlb_xmit(dn->net, skb, af, be);
	if (err == -EMSGSIZE)
		drlb_stats_inc(dn->stats, DRLB_CNT_DROP_TOO_BIG);
	else if (err == -ELOOP)
		drlb_stats_inc(dn->stats, DRLB_CNT_DROP_TTL);
	else if (err)
		drlb_stats_inc(dn->stats, DRLB_CNT_DROP_UNREACHABLE);
	/* Sent or freed: either way, drlb_xmit() took it. */
	return NF_STOLEN;
}

/*
 * The backend a packet of a service goes to: its connection's, or a new
 * choice. NULL: drop it (counted).
 */
static struct drlb_backend *drlb_place(struct drlb_net *dn, struct drlb_service *svc,
				       const struct drlb_pkt *pkt)
{
	struct drlb_conn *c, *stale;
	bool gone;

	c = drlb_conn_of(dn, pkt, &stale, &gone);
	if (gone) {
		drlb_stats_inc(dn->stats, DRLB_CNT_DROP_BACKEND_GONE);
		return NULL;
	}
	if (!c)
		return drlb_conn_new(dn, svc, pkt, stale);
	drlb_conn_update(dn->conns, c, drlb_pkt_state(pkt, READ_ONCE(c->state)));
	return c->backend;
}

static unsigned int drlb_forward(struct drlb_net *dn, struct sk_buff *skb,
				 struct drlb_service *svc, const struct drlb_pkt *pkt,
				 enum drlb_counter via)
{
	struct drlb_backend *be = drlb_place(dn, svc, pkt);

	if (!be)
		return NF_DROP;
	drlb_stats_packet(svc->stats, skb->len);
	return drlb_send(dn, skb, pkt->key.af, be, via);
}

/* The service of the flow @pkt belongs to (or quotes), if any. */
static struct drlb_service *drlb_pkt_service(struct drlb_net *dn, const struct drlb_pkt *pkt)
{
	struct drlb_service_key skey;

	memset(&skey, 0, sizeof(skey));
	skey.addr = pkt->key.vaddr;
	skey.port = pkt->key.vport;
	skey.af = pkt->key.af;
	skey.proto = pkt->key.proto;
	return drlb_service_lookup(dn, &skey);
}

/* Where Maglev places the flow an ICMP error quotes, for want of an entry. */
static struct drlb_backend *drlb_icmp_stateless(struct drlb_net *dn,
						const struct drlb_pkt *pkt)
{
	struct drlb_service *svc = drlb_pkt_service(dn, pkt);
	struct drlb_flow flow = drlb_flow_of(pkt);

	return svc ? drlb_schedule_stateless(svc, &flow) : NULL;
}

/*
 * An ICMP error about a connection (a router on the reply path saying
 * "fragmentation needed" to the VIP, say) belongs to the backend that sent
 * the packet it quotes: without it, path MTU discovery on that backend
 * never learns. A quoted flow with no entry here (placed by another
 * director of an ECMP fleet, whose router hashes the error by its outer
 * header, or the stateless way) goes where Maglev places that flow, as its
 * mid-stream packets would. Any other ICMP is for this host's own stack.
 */
static unsigned int drlb_forward_icmp(struct drlb_net *dn, struct sk_buff *skb,
				      const struct drlb_pkt *pkt, enum drlb_counter via)
{
	/* No service led here: pairs with drlb_conn_table_ensure()'s release. */
	struct drlb_conn_table *t = smp_load_acquire(&dn->conns);
	struct drlb_backend *be = NULL;
	struct drlb_conn *c;

	if (!t)
		return NF_ACCEPT;
	c = drlb_conn_lookup(t, &pkt->key);
	if (!c || drlb_conn_expired(c))
		be = drlb_icmp_stateless(dn, pkt);
	else if (!READ_ONCE(c->backend->dead))
		be = c->backend;
	if (!be)
		return NF_ACCEPT;
	drlb_stats_inc(dn->stats, DRLB_CNT_ICMP);
	return drlb_send(dn, skb, pkt->key.af, be, via);
}

/*
 * Both families, once parsed: to a service, or not ours. @via counts what
 * the hook it came through forwarded (DRLB_CNT_HOOK_*).
 */
static unsigned int drlb_hook(struct drlb_net *dn, struct sk_buff *skb,
			      const struct drlb_pkt *pkt, enum drlb_counter via)
{
	struct drlb_service *svc;

	if (pkt->icmp)
		return drlb_forward_icmp(dn, skb, pkt, via);
	svc = drlb_pkt_service(dn, pkt);
	if (!svc)
		return NF_ACCEPT;
	return drlb_forward(dn, skb, svc, pkt, via);
}

/*
 * The XDP path (xdp.c): a packet of @len bytes (from its IP header on)
 * that drlb's XDP program parsed, under RCU. As drlb_hook() does, but
 * instead of sending it, say where it goes: DRLB_XDP_FORWARD with @hdr
 * filled, DRLB_XDP_DROP, or DRLB_XDP_PASS to leave it to the skb path:
 * not for a service, its backend's neighbour not resolved (the skb path
 * queues it behind ARP), or too big for the segment. A passed packet is counted
 * by the skb path alone; its connection, made here, is the one that path
 * finds.
 */
int drlb_hook_xdp(struct drlb_net *dn, const struct drlb_pkt *pkt, unsigned int len,
		  struct drlb_l2_hdr *hdr)
{
	__be32 vip_word = pkt->key.af == AF_INET ? pkt->key.vaddr.ip : pkt->key.vaddr.ip6[3];
	struct drlb_service *svc;
	struct drlb_backend *be;

	if (!drlb_vip_maybe(dn, vip_word))
		return DRLB_XDP_PASS;
	svc = drlb_pkt_service(dn, pkt);
	if (!svc)
		return DRLB_XDP_PASS;
	be = drlb_place(dn, svc, pkt);
	if (!be)
		return DRLB_XDP_DROP;
	if (!drlb_xmit_header(dn->net, pkt->key.af, be, hdr) || len > hdr->mtu)
		return DRLB_XDP_PASS;
	drlb_stats_packet(svc->stats, len);
	drlb_stats_packet(be->stats, len);
	drlb_stats_forwarded(dn->stats, len, DRLB_CNT_HOOK_XDP);
	return DRLB_XDP_FORWARD;
}

/*
 * Only frames sent to this host: not broadcast or multicast ones, nor
 * frames a bridge forwards to another host (br_netfilter runs PRE_ROUTING
 * for those too, marked PACKET_HOST then).
 */
static bool drlb_for_host(const struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_BRIDGE_NETFILTER)
	const struct nf_bridge_info *nf_bridge = nf_bridge_info_get(skb);

	if (nf_bridge && nf_bridge->pkt_otherhost)
		return false;
#endif
	return skb->pkt_type == PACKET_HOST;
}

static unsigned int drlb_hook_ipv4(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	struct drlb_net *dn = priv;
	struct drlb_pkt pkt;

	if (!drlb_vip_maybe(dn, ip_hdr(skb)->daddr) || !drlb_for_host(skb))
		return NF_ACCEPT;
	if (drlb_parse_ipv4(skb, &pkt))
		return NF_ACCEPT;
	return drlb_hook(dn, skb, &pkt, DRLB_CNT_HOOK_PREROUTING);
}

static unsigned int drlb_hook_ipv6(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	struct drlb_net *dn = priv;
	struct drlb_pkt pkt;

	if (!drlb_vip_maybe(dn, ipv6_hdr(skb)->daddr.s6_addr32[3]) || !drlb_for_host(skb))
		return NF_ACCEPT;
	if (drlb_parse_ipv6(skb, &pkt))
		return NF_ACCEPT;
	return drlb_hook(dn, skb, &pkt, DRLB_CNT_HOOK_PREROUTING);
}

#ifdef CONFIG_NETFILTER_INGRESS
/*
 * What ip_rcv_core() checks, for a packet that may be for a VIP: anything
 * else, a fragment (defrag is PRE_ROUTING's) or a header IP input would
 * refuse goes on to IP input untouched.
 */
static bool drlb_ingress_ipv4(struct drlb_net *dn, struct sk_buff *skb)
{
	const struct iphdr *iph;
	unsigned int len, hlen;

	if (!pskb_may_pull(skb, sizeof(*iph)))
		return false;
	iph = ip_hdr(skb);
	if (!drlb_vip_maybe(dn, iph->daddr))
		return false;
	if (iph->version != 4 || iph->ihl < 5 || ip_is_fragment(iph) ||
	    !pskb_may_pull(skb, iph->ihl * 4))
		return false;
	iph = ip_hdr(skb);
	hlen = iph->ihl * 4;
	len = ntohs(iph->tot_len);
	/* The trim may move a cloned head: iph is not read after it. */
	if (ip_fast_csum((u8 *)iph, iph->ihl) || len > skb->len || len < hlen ||
	    pskb_trim_rcsum(skb, len))
		return false;
	memset(IPCB(skb), 0, sizeof(struct inet_skb_parm));
	IPCB(skb)->iif = skb->skb_iif;
	skb_set_transport_header(skb, hlen);
	return true;
}

/* The same for IPv6 (ipv6_rcv()); a hop-by-hop header is IP input's. */
static bool drlb_ingress_ipv6(struct drlb_net *dn, struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h;
	unsigned int len;

	if (!pskb_may_pull(skb, sizeof(*ip6h)))
		return false;
	ip6h = ipv6_hdr(skb);
	if (!drlb_vip_maybe(dn, ip6h->daddr.s6_addr32[3]))
		return false;
	len = ntohs(ip6h->payload_len);
	if (ip6h->version != 6 || ip6h->nexthdr == NEXTHDR_HOP || !len ||
	    len + sizeof(*ip6h) > skb->len || pskb_trim_rcsum(skb, len + sizeof(*ip6h)))
		return false;
	memset(IP6CB(skb), 0, sizeof(struct inet6_skb_parm));
	IP6CB(skb)->iif = skb->dev->ifindex;
	IP6CB(skb)->nhoff = offsetof(struct ipv6hdr, nexthdr);
	skb_set_transport_header(skb, sizeof(*ip6h));
	return true;
}

/*
 * Netdev ingress, where tc's ingress is: the packet is the hook's, as it is
 * tc's. One still shared with its sender (pktgen) and not linear goes on
 * to IP input, which takes a copy; drlb_xmit() copies a shared one it
 * cannot write in place.
 */
unsigned int drlb_hook_ingress(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state)
{
	struct drlb_net *dn = priv;
	struct drlb_pkt pkt;

	/* A tagged frame is its VLAN device's, whose own hook sees it untagged. */
	if (skb->pkt_type != PACKET_HOST || skb_vlan_tag_present(skb) ||
	    (skb_shared(skb) && skb_is_nonlinear(skb)))
		return NF_ACCEPT;
	if (skb->protocol == htons(ETH_P_IP)) {
		if (!drlb_ingress_ipv4(dn, skb) || drlb_parse_ipv4(skb, &pkt))
			return NF_ACCEPT;
	} else if (skb->protocol == htons(ETH_P_IPV6)) {
		if (!drlb_ingress_ipv6(dn, skb) || drlb_parse_ipv6(skb, &pkt))
			return NF_ACCEPT;
	} else {
		return NF_ACCEPT;
	}
	return drlb_hook(dn, skb, &pkt, DRLB_CNT_HOOK_INGRESS);
}
#endif

static const struct nf_hook_ops drlb_hook_ops[] = {
	{
		.hook = drlb_hook_ipv4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
	},
	{
		.hook = drlb_hook_ipv6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
	},
};

/*
 * From the first service of @dn on (dn->lock held): defragmentation and
 * the PRE_ROUTING hooks. A namespace without a service (a real server's,
 * a bridge's) pays nothing. They stay until the namespace goes.
 */
int drlb_hook_enable(struct drlb_net *dn)
{
	struct nf_hook_ops *ops;
	int i, err;

	lockdep_assert_held(&dn->lock);
	if (dn->hooks)
		return 0;
	err = drlb_defrag.enable4(dn->net);
	if (err)
		return err;
	err = drlb_defrag.enable6(dn->net);
	if (err)
		goto err_defrag4;
	ops = kmemdup(drlb_hook_ops, sizeof(drlb_hook_ops), DRLB_GFP);
	if (!ops) {
		err = -ENOMEM;
		goto err_defrag6;
	}
	for (i = 0; i < ARRAY_SIZE(drlb_hook_ops); i++) {
		ops[i].priv = dn;
		ops[i].priority = hook_priority;
	}
	err = nf_register_net_hooks(dn->net, ops, ARRAY_SIZE(drlb_hook_ops));
	if (err)
		goto err_free;
	dn->hooks = ops;
	return 0;

err_free:
	kfree(ops);
err_defrag6:
	drlb_defrag.disable6(dn->net);
err_defrag4:
	drlb_defrag.disable4(dn->net);
	return err;
}

/*
 * The namespace or the module is going (pre_exit): no CPU enters the hooks
 * after this, and the grace period the caller waits for next lets those
 * inside leave before anything they use is freed.
 */
void drlb_hook_disable(struct drlb_net *dn)
{
	mutex_lock(&dn->lock);
	if (dn->hooks) {
		nf_unregister_net_hooks(dn->net, dn->hooks, ARRAY_SIZE(drlb_hook_ops));
		kfree(dn->hooks);
		dn->hooks = NULL;
		drlb_defrag.disable6(dn->net);
		drlb_defrag.disable4(dn->net);
	}
	mutex_unlock(&dn->lock);
}

static void drlb_defrag_put(void)
{
	if (drlb_defrag.enable4)
		symbol_put(nf_defrag_ipv4_enable);
	if (drlb_defrag.disable4)
		symbol_put(nf_defrag_ipv4_disable);
	if (drlb_defrag.enable6)
		symbol_put(nf_defrag_ipv6_enable);
	if (drlb_defrag.disable6)
		symbol_put(nf_defrag_ipv6_disable);
	memset(&drlb_defrag, 0, sizeof(drlb_defrag));
}

static bool drlb_defrag_get(void)
{
	drlb_defrag.enable4 = symbol_get(nf_defrag_ipv4_enable);
	drlb_defrag.disable4 = symbol_get(nf_defrag_ipv4_disable);
	drlb_defrag.enable6 = symbol_get(nf_defrag_ipv6_enable);
	drlb_defrag.disable6 = symbol_get(nf_defrag_ipv6_disable);
	if (drlb_defrag.enable4 && drlb_defrag.disable4 && drlb_defrag.enable6 &&
	    drlb_defrag.disable6)
		return true;
	drlb_defrag_put();
	return false;
}

/*
 * Load the defragmenters (each symbol_get holds its module) or fail. They
 * are asked for only when missing: request_module() runs modprobe even for
 * a module that is loaded.
 */
int drlb_hook_init(void)
{
	if (drlb_defrag_get())
		return 0;
	request_module("nf_defrag_ipv4");
	request_module("nf_defrag_ipv6");
	if (drlb_defrag_get())
		return 0;
	pr_err("needs nf_defrag_ipv4 and nf_defrag_ipv6, which could not be loaded\n");
	return -ENOENT;
}

void drlb_hook_exit(void)
{
	drlb_defrag_put();
}
