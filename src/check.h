/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DRLB_CHECK_H
#define _DRLB_CHECK_H

#include <linux/types.h>

struct nlattr;
struct netlink_ext_ack;

int drlb_check_parse(const struct nlattr *nest, u8 *on_down, struct netlink_ext_ack *extack);

#endif /* _DRLB_CHECK_H */
