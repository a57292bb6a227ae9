/* SPDX-License-Identifier: GPL-2.0 */
/* The host as rtnetlink shows it: routes, on-link backends, interfaces, addresses. */
#ifndef DRCTL_HOST_H
#define DRCTL_HOST_H

#include "nl.h"

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

#endif /* DRCTL_HOST_H */
