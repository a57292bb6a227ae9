// SPDX-License-Identifier: GPL-2.0
/*
 * A backend's link-layer header, cached: the neighbour entry of its address
 * on the egress device, held, with the route's MTU and the generation of
 * the routing tables it was found in. While that neighbour has a valid
 * address and no route changed, both packet paths (xmit.c, and the XDP
 * kfunc through hook.c) write the header from it: no route or neighbour
 * lookup and no reference taken per packet. The skb path learns it from
 * the neighbour it has just sent through; a device going down or away
 * makes every backend forget it (main.c's notifier), since a held
 * neighbour holds its device.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/slab.h>
#include <net/neighbour.h>

#include "backend.h"
#include "l2.h"

struct drlb_l2 {
	struct neighbour *neigh;	/* counted: holds neigh->dev too */
	unsigned int mtu;		/* the route's, when learnt */
	int genid;			/* drlb_l2_genid() before that route was looked up */
	struct rcu_head rcu;
};

/* Bumped by every change of the family's routes (and of device MTUs, for IPv4). */
int drlb_l2_genid(struct net *net, u8 af)
{
	return af == AF_INET ? rt_genid_ipv4(net) : rt_genid_ipv6(net);
}

static void drlb_l2_release(struct drlb_l2 *l2)
{
	neigh_release(l2->neigh);
	kfree(l2);
}

static void drlb_l2_release_rcu(struct rcu_head *head)
{
	drlb_l2_release(container_of(head, struct drlb_l2, rcu));
}

/*
 * The header of a packet to @be, when one is cached and still good (under
 * RCU). A stale neighbour is sent a probe, as neigh_resolve_output() would,
 * and used meanwhile; one without an address, or a changed route, makes the
 * caller take the long way, which learns afresh.
 */
bool drlb_l2_get(struct net *net, u8 af, struct drlb_backend *be, struct drlb_l2_hdr *hdr)
{
	struct drlb_l2 *l2 = rcu_dereference(be->l2);
	struct neighbour *n;

	if (!l2 || l2->genid != drlb_l2_genid(net, af))
		return false;
	n = l2->neigh;
	if (READ_ONCE(n->dead) || neigh_event_send(n, NULL))
		return false;
	hdr->dev = n->dev;
	hdr->mtu = l2->mtu;
	neigh_ha_snapshot(hdr->dmac, n, n->dev);
	return true;
}

/*
 * The skb path has just sent a packet of @be through @n, by a route of
 * @mtu found in routing generation @genid: keep it, if it is an Ethernet
 * neighbour with an address. Nothing to do when it is what is cached.
 */
void drlb_l2_learn(struct drlb_backend *be, struct neighbour *n, unsigned int mtu, int genid)
{
	struct net_device *dev = n->dev;
	struct drlb_l2 *l2, *old;

	old = rcu_dereference(be->l2);
	if (old && old->neigh == n && old->genid == genid && old->mtu == mtu)
		return;
	if (dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN ||
	    !dev->header_ops || dev->header_ops->create != eth_header ||
	    !(READ_ONCE(n->nud_state) & NUD_VALID))
		return;
	l2 = kmalloc(sizeof(*l2), GFP_ATOMIC | __GFP_NOWARN);
	if (!l2)
		return;
	if (!refcount_inc_not_zero(&n->refcnt)) {
		kfree(l2);
		return;
	}
	l2->neigh = n;
	l2->mtu = mtu;
	l2->genid = genid;
	spin_lock_bh(&be->l2_lock);
	/*
	 * The notifier forgets under this lock after the device stopped
	 * running: a device that is not running is not learnt, so no
	 * reference outlives its going down.
	 */
	if (!netif_running(dev) || READ_ONCE(n->dead)) {
		spin_unlock_bh(&be->l2_lock);
		drlb_l2_release(l2);
		return;
	}
	old = rcu_replace_pointer(be->l2, l2, lockdep_is_held(&be->l2_lock));
	spin_unlock_bh(&be->l2_lock);
	if (old)
		call_rcu(&old->rcu, drlb_l2_release_rcu);
}

/* Forget the header of @be if it leaves through @dev (any, when NULL). */
void drlb_l2_forget(struct drlb_backend *be, const struct net_device *dev)
{
	struct drlb_l2 *l2;

	spin_lock_bh(&be->l2_lock);
	l2 = rcu_dereference_protected(be->l2, lockdep_is_held(&be->l2_lock));
	if (l2 && (!dev || l2->neigh->dev == dev))
		RCU_INIT_POINTER(be->l2, NULL);
	else
		l2 = NULL;
	spin_unlock_bh(&be->l2_lock);
	if (l2)
		call_rcu(&l2->rcu, drlb_l2_release_rcu);
}

/* Release @be's header now: no reader or writer is left (it is dead). */
void drlb_l2_drop(struct drlb_backend *be)
{
	struct drlb_l2 *l2 = rcu_replace_pointer(be->l2, NULL, true);

	if (l2)
		drlb_l2_release(l2);
}
