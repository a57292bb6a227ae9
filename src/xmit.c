// SPDX-License-Identifier: GPL-2.0
/*
 * Direct-routing transmit: the frame goes to the backend's MAC address on
 * the shared segment, from the egress device's own address. Of the IP
 * header only the TTL (hop limit) changes, decremented as IPVS and every
 * router do: a director given another director as a backend, and that one
 * the first, would otherwise pass a packet between them forever. A packet too
 * large for the segment is fragmented where a router would fragment it, and
 * answered with "fragmentation needed" / "packet too big" where a router
 * would refuse it.
 */
#include <linux/icmp.h>
#include <linux/etherdevice.h>
#include <linux/icmpv6.h>
#include <linux/if_ether.h>
#include <linux/if_vlan.h>
#include <linux/netlink.h>
#include <net/dst.h>
#ifdef DRLB_HAVE_NET_GSO_H
#include <net/gso.h>		/* skb_gso_validate_network_len() since 6.5 */
#endif
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/neighbour.h>
#include <net/route.h>

#include "backend.h"
#include "l2.h"
#include "xmit.h"

static struct rtable *drlb_route4(struct net *net, __be32 daddr)
{
	struct flowi4 fl4 = {
		.daddr = daddr,
		.flowi4_scope = RT_SCOPE_UNIVERSE,
	};

	return ip_route_output_key(net, &fl4);
}

static struct dst_entry *drlb_route6(struct net *net, const struct in6_addr *daddr)
{
	struct flowi6 fl6 = {
		.daddr = *daddr,
	};

	return ip6_route_output(net, NULL, &fl6);
}

static int drlb_check_route4(struct net *net, __be32 addr, int *ifindex,
			     struct netlink_ext_ack *extack)
{
	struct rtable *rt;
	int err = 0;

	rt = drlb_route4(net, addr);
	if (IS_ERR(rt)) {
		NL_SET_ERR_MSG(extack, "backend is unreachable: no route to its address");
		return -ENETUNREACH;
	}
	if (rt->rt_type == RTN_LOCAL) {
		NL_SET_ERR_MSG(extack, "backend address is local to this director");
		err = -EINVAL;
	} else if (rt->rt_type != RTN_UNICAST) {
		NL_SET_ERR_MSG(extack, "backend address is not a unicast address");
		err = -EINVAL;
	} else if (rt->rt_uses_gateway) {
		NL_SET_ERR_MSG(extack, "backend is not on-link: its route goes through a gateway");
		err = -EHOSTUNREACH;
	} else {
		*ifindex = rt->dst.dev->ifindex;
	}
	ip_rt_put(rt);
	return err;
}

static int drlb_check_route6(struct net *net, const struct in6_addr *addr, int *ifindex,
			     struct netlink_ext_ack *extack)
{
	struct dst_entry *dst = drlb_route6(net, addr);
	struct rt6_info *rt = container_of(dst, struct rt6_info, dst);
	int err = 0;

	if (dst->error) {
		NL_SET_ERR_MSG(extack, "backend is unreachable: no route to its address");
		err = -ENETUNREACH;
	} else if (rt->rt6i_flags & RTF_LOCAL) {
		NL_SET_ERR_MSG(extack, "backend address is local to this director");
		err = -EINVAL;
	} else if (rt->rt6i_flags & RTF_GATEWAY) {
		NL_SET_ERR_MSG(extack, "backend is not on-link: its route goes through a gateway");
		err = -EHOSTUNREACH;
	} else {
		*ifindex = dst->dev->ifindex;
	}
	dst_release(dst);
	return err;
}

/* DR reaches a backend by MAC address only: it must be on a local segment. */
int drlb_xmit_check_onlink(struct net *net, u8 af, const union nf_inet_addr *addr,
			   int *ifindex, struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	int err;

	if (af == AF_INET)
		err = drlb_check_route4(net, addr->ip, ifindex, extack);
	else
		err = drlb_check_route6(net, &addr->in6, ifindex, extack);
	if (err)
		return err;
	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, *ifindex);
	if (!dev || !(dev->flags & IFF_BROADCAST) || !dev->header_ops) {
		NL_SET_ERR_MSG(extack, "backend is reached through a device without MAC addresses");
		err = -EINVAL;
	}
	rcu_read_unlock();
	return err;
}

/* The route to @be, cached per CPU and revalidated by dst_cache. */
static struct dst_entry *drlb_backend_route(struct net *net, u8 af, struct drlb_backend *be)
{
	struct dst_entry *dst;
	struct in6_addr saddr6;
	struct rtable *rt;
	__be32 saddr;

	if (af == AF_INET) {
		rt = dst_cache_get_ip4(&be->dst_cache, &saddr);
		if (rt)
			return &rt->dst;
		rt = drlb_route4(net, be->addr.ip);
		if (IS_ERR(rt))
			return NULL;
		if (rt->rt_type != RTN_UNICAST || rt->rt_uses_gateway) {
			ip_rt_put(rt);
			return NULL;
		}
		dst_cache_set_ip4(&be->dst_cache, &rt->dst, 0);
		return &rt->dst;
	}
	dst = dst_cache_get_ip6(&be->dst_cache, &saddr6);
	if (dst)
		return dst;
	dst = drlb_route6(net, &be->addr.in6);
	if (dst->error ||
	    container_of(dst, struct rt6_info, dst)->rt6i_flags & (RTF_LOCAL | RTF_GATEWAY)) {
		dst_release(dst);
		return NULL;
	}
	dst_cache_set_ip6(&be->dst_cache, dst, &in6addr_any);
	return dst;
}

/* What every frame to a backend needs before its link-layer header. */
static void drlb_output_prepare(struct sk_buff *skb, struct net_device *dev, u8 af)
{
	/*
	 * No dst on the skb: were the route attached, the neighbour layer
	 * would re-derive the next hop of a packet it queued during ARP from
	 * the packet's destination, the VIP, instead of the backend.
	 */
	skb_dst_drop(skb);
	/* Only an untagged frame reaches here; a stray tag must not leave with it. */
	__vlan_hwaccel_clear_tag(skb);
	skb->dev = dev;
	skb->protocol = htons(af == AF_INET ? ETH_P_IP : ETH_P_IPV6);
	skb_forward_csum(skb);
	skb_clear_tstamp(skb);
}

/* Send one packet with the backend's cached header (l2.c). Consumes @skb. */
static int drlb_output_cached(struct sk_buff *skb, u8 af, const struct drlb_l2_hdr *hdr)
{
	struct net_device *dev = hdr->dev;
	struct ethhdr *eth;
	int err;

	drlb_output_prepare(skb, dev, af);
	eth = skb_push(skb, ETH_HLEN);
	skb_reset_mac_header(skb);
	ether_addr_copy(eth->h_dest, hdr->dmac);
	ether_addr_copy(eth->h_source, dev->dev_addr);
	eth->h_proto = skb->protocol;
	/* net_xmit_eval() evaluates its argument twice. */
	err = dev_queue_xmit(skb);
	return net_xmit_eval(err) ? -ENOBUFS : 0;
}

/*
 * Hand one packet to @be's neighbour entry on the route's device, and
 * cache that neighbour for the next (@genid: the routing generation the
 * route was found in). Consumes @skb.
 */
static int drlb_output(struct sk_buff *skb, struct dst_entry *dst, u8 af,
		       struct drlb_backend *be, int genid)
{
	struct net_device *dev = dst->dev;
	struct neighbour *neigh;
	int err;

	drlb_output_prepare(skb, dev, af);
	rcu_read_lock_bh();
	if (af == AF_INET)
		neigh = ip_neigh_gw4(dev, be->addr.ip);
	else
		neigh = ip_neigh_gw6(dev, &be->addr.in6);
	if (IS_ERR(neigh)) {
		rcu_read_unlock_bh();
		kfree_skb(skb);
		return -EHOSTUNREACH;
	}
	/*
	 * A resolved neighbour writes its cached header; an unresolved one
	 * queues the packet behind ARP or neighbour discovery instead of
	 * dropping it.
	 */
	err = neigh_output(neigh, skb, false);
	drlb_l2_learn(be, neigh, dst_mtu(dst), genid);
	rcu_read_unlock_bh();
	return net_xmit_eval(err) ? -ENOBUFS : 0;
}

/*
 * The link-layer header of a packet to @be for a path that cannot queue a
 * packet behind ARP (XDP): the cached one, or one learnt now from the
 * route and the neighbour entry as they stand. False without a route or a
 * resolved neighbour: the skb path then resolves it.
 */
bool drlb_xmit_header(struct net *net, u8 af, struct drlb_backend *be, struct drlb_l2_hdr *hdr)
{
	int genid = drlb_l2_genid(net, af);
	struct dst_entry *dst;
	struct neighbour *n;

	if (drlb_l2_get(net, af, be, hdr))
		return true;
	dst = drlb_backend_route(net, af, be);
	if (!dst)
		return false;
	rcu_read_lock_bh();
	if (af == AF_INET)
		n = __ipv4_neigh_lookup_noref(dst->dev, (__force u32)be->addr.ip);
	else
		n = __ipv6_neigh_lookup_noref(dst->dev, &be->addr.in6);
	if (n)
		drlb_l2_learn(be, n, dst_mtu(dst), genid);
	rcu_read_unlock_bh();
	dst_release(dst);
	return drlb_l2_get(net, af, be, hdr);
}

/*
 * How @skb leaves on a segment of @mtu: whole (0), in fragments of at most
 * the size returned, or not at all (-EMSGSIZE): too big, and its sender
 * asked not to be fragmented on the way (IPv4 DF; IPv6 always). A packet
 * defrag put together keeps its fragments' sizes, as through a router.
 */
static int drlb_frag_size(const struct sk_buff *skb, u8 af, unsigned int mtu)
{
	unsigned int frag_max;
	bool df;

	if (skb_is_gso(skb))
		return skb_gso_validate_network_len(skb, mtu) ? 0 : -EMSGSIZE;
	if (af == AF_INET) {
		frag_max = IPCB(skb)->frag_max_size;
		df = ip_hdr(skb)->frag_off & htons(IP_DF);
	} else {
		frag_max = IP6CB(skb)->frag_max_size;
		df = true;
	}
	if (!frag_max)
		return skb->len <= mtu ? 0 : df ? -EMSGSIZE : mtu;
	if (frag_max > mtu)
		return df ? -EMSGSIZE : mtu;
	return skb->len <= frag_max ? 0 : frag_max;
}

/*
 * Tell the sender of a packet too big for the backend's segment, as a
 * router would. The route to the backend stands in for the input route
 * IPv4's ICMP needs to pick its source address.
 */
static int drlb_too_big(struct sk_buff *skb, u8 af, struct dst_entry *dst)
{
	if (af == AF_INET) {
		skb_dst_drop(skb);
		skb_dst_set(skb, dst_clone(dst));
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, htonl(dst_mtu(dst)));
	} else {
		icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, dst_mtu(dst));
	}
	kfree_skb(skb);
	return -EMSGSIZE;
}

static int drlb_fragment4(struct sk_buff *skb, struct dst_entry *dst,
			  struct drlb_backend *be, unsigned int size, int genid)
{
	unsigned int hlen = ip_hdrlen(skb);
	struct ip_frag_state state;
	struct sk_buff *frag;
	int err = 0;

	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		kfree_skb(skb);
		return -ENOMEM;
	}
	ip_frag_init(skb, hlen, LL_RESERVED_SPACE(dst->dev), size - hlen,
		     IPCB(skb)->flags & IPSKB_FRAG_PMTU, &state);
	while (state.left > 0 && !err) {
		frag = ip_frag_next(skb, &state);
		if (IS_ERR(frag))
			err = PTR_ERR(frag);
		else
			err = drlb_output(frag, dst, AF_INET, be, genid);
	}
	consume_skb(skb);
	return err;
}

static int drlb_fragment6(struct net *net, struct sk_buff *skb, struct dst_entry *dst,
			  struct drlb_backend *be, unsigned int size, int genid)
{
	struct ip6_frag_state state;
	unsigned int nexthdr_off;
	struct sk_buff *frag;
	u8 *prevhdr, nexthdr;
	__be32 frag_id;
	int hlen, err;

	size = max_t(unsigned int, size, IPV6_MIN_MTU);
	hlen = ip6_find_1stfragopt(skb, &prevhdr);
	if (hlen < 0) {
		kfree_skb(skb);
		return hlen;
	}
	nexthdr = *prevhdr;
	nexthdr_off = prevhdr - skb_network_header(skb);
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb)) {
		kfree_skb(skb);
		return -ENOMEM;
	}
	frag_id = ipv6_select_ident(net, &ipv6_hdr(skb)->daddr, &ipv6_hdr(skb)->saddr);
	ip6_frag_init(skb, hlen, size - hlen - sizeof(struct frag_hdr), dst->dev->needed_tailroom,
		      LL_RESERVED_SPACE(dst->dev), skb_network_header(skb) + nexthdr_off,
		      nexthdr, frag_id, &state);
	err = 0;
	while (state.left > 0 && !err) {
		frag = ip6_frag_next(skb, &state);
		if (IS_ERR(frag))
			err = PTR_ERR(frag);
		else
			err = drlb_output(frag, dst, AF_INET6, be, genid);
	}
	consume_skb(skb);
	return err;
}

/*
 * @skb with @headroom for the link-layer header and that header its own,
 * or NULL (freed). A clone shares it with tcpdump and friends: we write a
 * private copy. A packet still shared with its sender (pktgen, at netdev
 * ingress) is the hook's to write, as at tc ingress, unless it is a clone
 * or short of room: then it is copied, and the sender keeps its own.
 */
static struct sk_buff *drlb_writable(struct sk_buff *skb, unsigned int headroom)
{
	struct sk_buff *nskb;

	if (!skb_shared(skb)) {
		if (!skb_cow(skb, headroom))
			return skb;
		kfree_skb(skb);
		return NULL;
	}
	if (!skb_cloned(skb) && skb_headroom(skb) >= headroom)
		return skb;
	nskb = skb_copy_expand(skb, headroom, 0, GFP_ATOMIC | __GFP_NOWARN);
	consume_skb(skb);
	return nskb;
}

/* One hop less; a packet with none left is dropped, as a router drops it. */
static int drlb_hop(struct sk_buff *skb, u8 af)
{
	if (af == AF_INET) {
		struct iphdr *iph = ip_hdr(skb);

		if (iph->ttl <= 1)
			return -ELOOP;
		ip_decrease_ttl(iph);
	} else {
		struct ipv6hdr *ip6 = ipv6_hdr(skb);

		if (ip6->hop_limit <= 1)
			return -ELOOP;
		ip6->hop_limit--;
	}
	return 0;
}

/*
 * Send @skb (data at the IP header) to @be: with its cached link-layer
 * header when it has one and the packet fits, else by its route and
 * neighbour entry. Always consumes @skb; an error says why it did not
 * leave: -EHOSTUNREACH (no route or neighbour), -EMSGSIZE (too big, the
 * sender told), -ELOOP (no hops left), -ENOMEM, -ENOBUFS (the device queue
 * dropped it).
 */
int drlb_xmit(struct net *net, struct sk_buff *skb, u8 af, struct drlb_backend *be)
{
	int genid = drlb_l2_genid(net, af);
	struct dst_entry *dst = NULL;
	struct drlb_l2_hdr hdr;
	bool cached;
	int size, err;

	cached = drlb_l2_get(net, af, be, &hdr);
	if (!cached) {
		dst = drlb_backend_route(net, af, be);
		if (!dst) {
			kfree_skb(skb);
			return -EHOSTUNREACH;
		}
	}
	skb = drlb_writable(skb, LL_RESERVED_SPACE(cached ? hdr.dev : dst->dev));
	if (!skb) {
		err = -ENOMEM;
		goto out;
	}
	err = drlb_hop(skb, af);
	if (err) {
		kfree_skb(skb);
		goto out;
	}
	if (cached) {
		if (!drlb_frag_size(skb, af, hdr.mtu))
			return drlb_output_cached(skb, af, &hdr);
		/* Too big for the segment: the route's way, below. */
		dst = drlb_backend_route(net, af, be);
		if (!dst) {
			kfree_skb(skb);
			return -EHOSTUNREACH;
		}
	}
	size = drlb_frag_size(skb, af, dst_mtu(dst));
	if (size < 0)
		err = drlb_too_big(skb, af, dst);
	else if (!size)
		err = drlb_output(skb, dst, af, be, genid);
	else if (af == AF_INET)
		err = drlb_fragment4(skb, dst, be, size, genid);
	else
		err = drlb_fragment6(net, skb, dst, be, size, genid);
out:
	/* The route held the device for us until the packet was handed over. */
	if (dst)
		dst_release(dst);
	return err;
}
