/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DRLB_XMIT_H
#define _DRLB_XMIT_H

#include <linux/netfilter.h>
#include <linux/skbuff.h>

struct drlb_backend;
struct drlb_l2_hdr;
struct netlink_ext_ack;

int drlb_xmit_check_onlink(struct net *net, u8 af, const union nf_inet_addr *addr,
			   int *ifindex, struct netlink_ext_ack *extack);
int drlb_xmit(struct net *net, struct sk_buff *skb, u8 af, struct drlb_backend *be);
bool drlb_xmit_header(struct net *net, u8 af, struct drlb_backend *be, struct drlb_l2_hdr *hdr);

#endif /* _DRLB_XMIT_H */
