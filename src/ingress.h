/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DRLB_INGRESS_H
#define _DRLB_INGRESS_H

struct drlb_net;

int drlb_ingress_init(void);
void drlb_ingress_exit(void);
void drlb_ingress_enable(struct drlb_net *dn);
void drlb_ingress_flush(struct drlb_net *dn);

#endif /* _DRLB_INGRESS_H */
