/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DRLB_HOOK_H
#define _DRLB_HOOK_H

struct drlb_net;

int drlb_hook_register(struct drlb_net *dn);
void drlb_hook_unregister(struct drlb_net *dn);
int drlb_ingress_init(void);
void drlb_ingress_enable(struct drlb_net *dn);
void drlb_ingress_exit(void);

#endif /* _DRLB_HOOK_H */
