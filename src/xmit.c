// SPDX-License-Identifier: GPL-2.0
/*
 * Direct-routing transmit: the frame goes to the backend's MAC address on
 * the shared segment, from the egress device's own address, with the IP
 * header untouched (no TTL decrement, no checksum update).
 */
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/neighbour.h>
#include <net/route.h>

#include "backend.h"
#include "xmit.h"

static struct rtable *drlb_route4(struct net *net, __be32 daddr)
{
	struct flowi4 fl4 = {
		.daddr = daddr,
		.flowi4_scope = RT_SCOPE_UNIVERSE,
	};

	return ip_route_output_key(net, &fl4);
}

/* DR reaches a backend by MAC address only: it must be on a local segment. */
int drlb_xmit_check_onlink(struct net *net, u8 af, const union nf_inet_addr *addr,
			   int *ifindex, struct netlink_ext_ack *extack)
{
	struct rtable *rt;
	int err = 0;

	if (af != AF_INET) {
		NL_SET_ERR_MSG(extack, "only IPv4 backends are supported");
		return -EAFNOSUPPORT;
	}
	rt = drlb_route4(net, addr->ip);
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
	} else if (!(rt->dst.dev->flags & IFF_BROADCAST) || !rt->dst.dev->header_ops) {
		NL_SET_ERR_MSG(extack, "backend is reached through a device without MAC addresses");
		err = -EINVAL;
	} else {
		*ifindex = rt->dst.dev->ifindex;
	}
	ip_rt_put(rt);
	return err;
}

/* The route to @be, cached per CPU and revalidated by dst_cache. */
static struct rtable *drlb_backend_route4(struct net *net, struct drlb_backend *be)
{
	struct rtable *rt;
	__be32 saddr;

	rt = dst_cache_get_ip4(&be->dst_cache, &saddr);
	if (rt)
		return rt;
	rt = drlb_route4(net, be->addr.ip);
	if (IS_ERR(rt))
		return NULL;
	if (rt->rt_type != RTN_UNICAST || rt->rt_uses_gateway) {
		ip_rt_put(rt);
		return NULL;
	}
	dst_cache_set_ip4(&be->dst_cache, &rt->dst, 0);
	return rt;
}

/*
 * Send @skb (data at the IP header) to @be. Consumes @skb on success;
 * returns -EHOSTUNREACH without consuming it when there is no way to the
 * backend, so that the caller counts and drops it.
 */
int drlb_xmit(struct net *net, struct sk_buff *skb, struct drlb_backend *be)
{
	struct net_device *dev;
	struct neighbour *neigh;
	struct rtable *rt;

	rt = drlb_backend_route4(net, be);
	if (!rt)
		return -EHOSTUNREACH;
	dev = rt->dst.dev;
	/* tcpdump and friends may share our header: write a private copy. */
	if (skb_cow(skb, LL_RESERVED_SPACE(dev))) {
		ip_rt_put(rt);
		return -ENOMEM;
	}
	/*
	 * No dst on the skb: were the route attached, the neighbour layer
	 * would re-derive the next hop of a packet it queued during ARP from
	 * the packet's destination, the VIP, instead of the backend.
	 */
	skb_dst_drop(skb);
	skb->dev = dev;
	skb->protocol = htons(ETH_P_IP);
	skb_forward_csum(skb);
	skb_clear_tstamp(skb);

	rcu_read_lock_bh();
	neigh = ip_neigh_gw4(dev, be->addr.ip);
	if (IS_ERR(neigh)) {
		rcu_read_unlock_bh();
		ip_rt_put(rt);
		return -EHOSTUNREACH;
	}
	/*
	 * A resolved neighbour writes its cached header; an unresolved one
	 * queues the packet behind ARP instead of dropping it.
	 */
	neigh_output(neigh, skb, false);
	rcu_read_unlock_bh();
	/* The route held the device for us until the packet was handed over. */
	ip_rt_put(rt);
	return 0;
}
