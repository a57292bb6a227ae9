/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink plumbing: the drlb generic netlink socket (family lookup, version
 * check, requests, acks, dumps, extended-ack messages) and the rtnetlink
 * socket for routes, addresses and neighbours.
 */
#ifndef DRCTL_NL_H
#define DRCTL_NL_H

#include <errno.h>
#include <stdint.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <linux/drlb.h>

#include "parse.h"

struct drlb_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t conns;
	uint64_t drop_no_backend;
	uint64_t drop_table_full;
	uint64_t drop_unreachable;
	uint64_t drop_backend_gone;
	uint64_t stateless;
	uint64_t icmp;
	uint64_t drop_too_big;
};

/* Called for each reply message with its top-level DRLB_A_* attributes. */
typedef int (*drlb_reply_fn)(struct nlattr **tb, void *arg);

struct nl_msg *drlb_msg_new(struct drctl *ctx, uint8_t cmd, int flags);
struct nlattr *drlb_nest_key(struct nl_msg *msg, const struct svc_key *key);
int drlb_request(struct drctl *ctx, struct nl_msg *msg, drlb_reply_fn fn,
		 void *arg);
int drlb_simple(struct drctl *ctx, uint8_t cmd);

int drlb_get_addr(const struct nlattr *attr, union drctl_addr *addr);
uint32_t drlb_get_u32(const struct nlattr *attr);
int drlb_parse_stats(struct nlattr *nest, struct drlb_stats *st);

struct nl_sock *drctl_rtnl(struct drctl *ctx);

struct route_info {
	int type;			/* RTN_UNICAST, RTN_LOCAL, ... */
	int oif;
	bool has_gateway;
	char gateway[INET6_ADDRSTRLEN];
};

int route_get(struct nl_sock *sock, int af, const union drctl_addr *addr,
	      struct route_info *ri);
int onlink_check(struct drctl *ctx, int af, const union drctl_addr *addr,
		 struct route_info *ri);

/* This host's interfaces and addresses, read once per command. */
struct host_net {
	struct nl_cache *links;
	struct nl_cache *addrs;
};

int host_net_load(struct drctl *ctx, struct host_net *net);
void host_net_free(struct host_net *net);
int host_addr_find(const struct host_net *net, int ifindex, int af,
		   const union drctl_addr *addr, int *found_ifindex);
int host_addr_elsewhere(const struct host_net *net, int skip_ifindex, int af,
			const union drctl_addr *addr);
bool host_link_has_ipv4(const struct host_net *net, int ifindex);
int host_addr_change(struct drctl *ctx, bool add, int ifindex, int af,
		     const union drctl_addr *addr);

void drctl_nl_free(struct drctl_nl *nl);

#endif /* DRCTL_NL_H */
