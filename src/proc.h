/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DRLB_PROC_H
#define _DRLB_PROC_H

struct drlb_net;

int drlb_proc_init(struct drlb_net *dn);
void drlb_proc_exit(struct drlb_net *dn);

#endif /* _DRLB_PROC_H */
