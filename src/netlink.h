/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DRLB_NETLINK_H
#define _DRLB_NETLINK_H

int drlb_genl_register(void);
void drlb_genl_unregister(void);

#endif /* _DRLB_NETLINK_H */
