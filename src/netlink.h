/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DRLB_NETLINK_H
#define _DRLB_NETLINK_H

#include <linux/netfilter.h>
#include <net/netlink.h>
#include <uapi/linux/drlb.h>

struct drlb_service_conf;
struct drlb_service_key;

extern const struct nla_policy drlb_nl_policy[DRLB_A_MAX + 1];

int drlb_genl_register(void);
void drlb_genl_unregister(void);

/* Request parsers, shared with the KUnit suite. */
int drlb_nl_service_key(struct nlattr **attrs, struct drlb_service_key *key,
			struct nlattr **tb, struct netlink_ext_ack *extack);
int drlb_nl_service_conf(struct nlattr **tb, struct drlb_service_conf *conf,
			 struct netlink_ext_ack *extack);
int drlb_nl_backend_parse(struct nlattr **attrs, struct drlb_service_key *key,
			  union nf_inet_addr *addr, struct nlattr **btb,
			  struct netlink_ext_ack *extack);

#endif /* _DRLB_NETLINK_H */
