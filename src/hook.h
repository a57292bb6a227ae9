/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DRLB_HOOK_H
#define _DRLB_HOOK_H

#include <linux/netfilter.h>

struct drlb_l2_hdr;
struct drlb_net;
struct drlb_pkt;

int drlb_hook_init(void);
void drlb_hook_exit(void);
int drlb_hook_enable(struct drlb_net *dn);
void drlb_hook_disable(struct drlb_net *dn);
/* The netdev ingress hook (ingress.c registers it per device). */
unsigned int drlb_hook_ingress(void *priv, struct sk_buff *skb,
			       const struct nf_hook_state *state);

/* The XDP path's decision for a parsed packet (xdp.c): enum drlb_xdp_verdict. */
int drlb_hook_xdp(struct drlb_net *dn, const struct drlb_pkt *pkt, unsigned int len,
		  struct drlb_l2_hdr *hdr);

#endif /* _DRLB_HOOK_H */
