/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DRLB_XDP_H
#define _DRLB_XDP_H

#include <linux/types.h>

struct drlb_xdp_flow;
struct xdp_md;

int drlb_xdp_init(void);
/* The kfunc (include/uapi/linux/drlb.h documents it). */
int drlb_xdp_forward(struct xdp_md *ctx, struct drlb_xdp_flow *flow, u32 flow__sz);

#endif /* _DRLB_XDP_H */
