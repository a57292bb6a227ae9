/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DRLB_L2_H
#define _DRLB_L2_H

#include <linux/if_ether.h>
#include <linux/netdevice.h>

struct drlb_backend;
struct neighbour;

/* What a packet to a backend needs: a copy, taken under RCU. */
struct drlb_l2_hdr {
	struct net_device *dev;		/* egress; held by the cached neighbour */
	unsigned int mtu;		/* of the route to the backend */
	u8 dmac[ETH_ALEN] __aligned(2);
};

int drlb_l2_genid(struct net *net, u8 af);
bool drlb_l2_get(struct net *net, u8 af, struct drlb_backend *be, struct drlb_l2_hdr *hdr);
void drlb_l2_learn(struct drlb_backend *be, struct neighbour *n, unsigned int mtu, int genid);
void drlb_l2_forget(struct drlb_backend *be, const struct net_device *dev);
void drlb_l2_drop(struct drlb_backend *be);

#endif /* _DRLB_L2_H */
