// SPDX-License-Identifier: GPL-2.0
/*
 * The host as rtnetlink shows it: how a backend is reached (on-link or via a
 * gateway), the interfaces and their addresses, and the VIPs on lo.
 */
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>

#include "host.h"

/* Asks the kernel how it would reach addr (ip route get); a libnl error or 0. */
int route_get(struct nl_sock *sock, int af, const union drctl_addr *addr,
	      struct route_info *ri)
{
	struct rtnl_nexthop *nh;
	struct rtnl_route *route;
	struct nl_addr *dst, *gw;
	int err;

	memset(ri, 0, sizeof(*ri));
	dst = nl_addr_build(af, addr->raw, af == AF_INET ? 4 : 16);
	if (!dst)
		return -NLE_NOMEM;
	err = rtnl_route_lookup(sock, dst, &route);
	nl_addr_put(dst);
	if (err < 0)
		return err;
	ri->type = rtnl_route_get_type(route);
	nh = rtnl_route_get_nnexthops(route) ? rtnl_route_nexthop_n(route, 0) : NULL;
	gw = nh ? rtnl_route_nh_get_gateway(nh) : NULL;
	ri->oif = nh ? rtnl_route_nh_get_ifindex(nh) : 0;
	if (gw) {
		ri->has_gateway = true;
		nl_addr2str(gw, ri->gateway, sizeof(ri->gateway));
	}
	rtnl_route_put(route);
	return 0;
}

/* DR rewrites only the MAC address: a backend must share a link with us. */
int onlink_check(struct drctl *ctx, int af, const union drctl_addr *addr,
		 struct route_info *ri)
{
	struct nl_sock *sock = drctl_rtnl(ctx);
	char buf[INET6_ADDRSTRLEN];

	if (!sock)
		return DRCTL_FAIL;
	format_addr(af, addr, buf);
	if (route_get(sock, af, addr, ri) < 0 || ri->type == RTN_UNREACHABLE) {
		drctl_err(ctx, "no route to backend %s", buf);
		return DRCTL_FAIL;
	}
	if (ri->type == RTN_LOCAL) {
		drctl_err(ctx, "backend %s is an address of this host, not a real server", buf);
		return DRCTL_FAIL;
	}
	if (ri->type != RTN_UNICAST) {
		drctl_err(ctx, "no usable route to backend %s", buf);
		return DRCTL_FAIL;
	}
	if (ri->has_gateway) {
		drctl_err(ctx, "backend %s is not on-link (reached via gateway %s)", buf,
			  ri->gateway);
		return DRCTL_FAIL;
	}
	return DRCTL_OK;
}

int host_net_load(struct drctl *ctx, struct host_net *net)
{
	struct nl_sock *sock = drctl_rtnl(ctx);
	int err;

	memset(net, 0, sizeof(*net));
	if (!sock)
		return DRCTL_FAIL;
	err = rtnl_link_alloc_cache(sock, AF_UNSPEC, &net->links);
	if (!err)
		err = rtnl_addr_alloc_cache(sock, &net->addrs);
	if (err < 0) {
		drctl_err(ctx, "cannot list interfaces and addresses: %s", nl_geterror(err));
		host_net_free(net);
		return DRCTL_FAIL;
	}
	return DRCTL_OK;
}

void host_net_free(struct host_net *net)
{
	if (net->links)
		nl_cache_free(net->links);
	if (net->addrs)
		nl_cache_free(net->addrs);
	memset(net, 0, sizeof(*net));
}

static bool addr_equal(struct nl_addr *a, int af, const union drctl_addr *addr)
{
	unsigned int len = af == AF_INET ? 4 : 16;

	return a && nl_addr_get_family(a) == af && nl_addr_get_len(a) == len &&
	       !memcmp(nl_addr_get_binary_addr(a), addr->raw, len);
}

/*
 * The prefix length of addr on ifindex (any interface when 0), or -1 when
 * absent; found_ifindex (may be NULL) says where it is.
 */
int host_addr_find(const struct host_net *net, int ifindex, int af,
		   const union drctl_addr *addr, int *found_ifindex)
{
	struct nl_object *obj;

	for (obj = nl_cache_get_first(net->addrs); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_addr *a = (struct rtnl_addr *)obj;

		if (ifindex && rtnl_addr_get_ifindex(a) != ifindex)
			continue;
		if (!addr_equal(rtnl_addr_get_local(a), af, addr))
			continue;
		if (found_ifindex)
			*found_ifindex = rtnl_addr_get_ifindex(a);
		return rtnl_addr_get_prefixlen(a);
	}
	return -1;
}

/* An interface other than @skip_ifindex with @addr, or 0. */
int host_addr_elsewhere(const struct host_net *net, int skip_ifindex, int af,
			const union drctl_addr *addr)
{
	struct nl_object *obj;

	for (obj = nl_cache_get_first(net->addrs); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_addr *a = (struct rtnl_addr *)obj;

		if (rtnl_addr_get_ifindex(a) != skip_ifindex &&
		    addr_equal(rtnl_addr_get_local(a), af, addr))
			return rtnl_addr_get_ifindex(a);
	}
	return 0;
}

bool host_link_has_ipv4(const struct host_net *net, int ifindex)
{
	struct nl_object *obj;

	for (obj = nl_cache_get_first(net->addrs); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_addr *a = (struct rtnl_addr *)obj;

		if (rtnl_addr_get_ifindex(a) == ifindex && rtnl_addr_get_family(a) == AF_INET)
			return true;
	}
	return false;
}

/* Adds or deletes addr/32 (/128, without DAD) on ifindex; a libnl error or 0. */
int host_addr_change(struct drctl *ctx, bool add, int ifindex, int af,
		     const union drctl_addr *addr)
{
	struct nl_sock *sock = drctl_rtnl(ctx);
	unsigned int len = af == AF_INET ? 4 : 16;
	struct rtnl_addr *ra;
	struct nl_addr *local;
	int err = -NLE_NOMEM;

	if (!sock)
		return -NLE_BAD_SOCK;
	ra = rtnl_addr_alloc();
	local = nl_addr_build(af, addr->raw, len);
	if (!ra || !local)
		goto out;
	rtnl_addr_set_ifindex(ra, ifindex);
	rtnl_addr_set_family(ra, af);
	err = rtnl_addr_set_local(ra, local);
	if (err < 0)
		goto out;
	rtnl_addr_set_prefixlen(ra, len * 8);
	if (af == AF_INET6)
		rtnl_addr_set_flags(ra, IFA_F_NODAD);
	err = add ? rtnl_addr_add(sock, ra, 0) : rtnl_addr_delete(sock, ra, 0);
out:
	if (local)
		nl_addr_put(local);
	if (ra)
		rtnl_addr_put(ra);
	return err;
}

