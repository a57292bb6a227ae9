// SPDX-License-Identifier: GPL-2.0
/*
 * drctl director check: is this host ready to forward the configured
 * services? Each VIP should be a local address (so the director gets the
 * traffic), each backend on-link (DR rewrites only the MAC address) and
 * resolvable by ARP/ND. A director of a fleet (config set fleet on: behind
 * ECMP or VRRP) should also place flows as its peers do, which only mh does
 * for new flows: mid-stream ones go the Maglev way whatever the scheduler.
 */
#include <net/if.h>
#include <string.h>
#include <linux/neighbour.h>
#include <netlink/route/link.h>
#include <netlink/route/neighbour.h>

#include "config.h"
#include "director.h"
#include "dispatch.h"
#include "host.h"
#include "output.h"
#include "report.h"
#include "sysctl.h"
#include "service.h"

#define NUD_RESOLVED	(NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | \
			 NUD_PERMANENT | NUD_NOARP)

#define SVC_NAME_LEN	(ADDR_PORT_LEN + 8)

const char director_usage[] =
	"drctl director check\n";

static const char *ifname(const struct host_net *net, int ifindex, char *buf)
{
	return rtnl_link_i2name(net->links, ifindex, buf, IFNAMSIZ) ?: "?";
}

/* "tcp VIP:PORT", as findings name the service; buf holds SVC_NAME_LEN bytes. */
static const char *svc_name(const struct service_info *svc, char *buf)
{
	char vip[ADDR_PORT_LEN];

	snprintf(buf, SVC_NAME_LEN, "%s %s", protocol_name(svc->key.protocol),
		 format_addr_port(svc->key.af, &svc->key.addr, svc->key.port, vip));
	return buf;
}

static void check_vip(struct report *r, const struct host_net *net,
		      const struct service_info *svc)
{
	char name[SVC_NAME_LEN], addr[INET6_ADDRSTRLEN], dev[IFNAMSIZ];
	int ifindex = 0;

	svc_name(svc, name);
	if (host_addr_find(net, 0, svc->key.af, &svc->key.addr, &ifindex) >= 0) {
		report_note(r, "%s: VIP configured on %s", name, ifname(net, ifindex, dev));
		return;
	}
	format_addr(svc->key.af, &svc->key.addr, addr);
	report_warning(r, "%s: VIP %s is on no local interface: clients reach the director only if it answers ARP for it (ip addr add %s/%d dev IFACE)",
		       name, addr, addr, svc->key.af == AF_INET ? 32 : 128);
}

static const char *neigh_state(struct nl_cache *neighs, int ifindex, int af,
			       const union drctl_addr *addr, char *buf, size_t len)
{
	struct nl_addr *dst = nl_addr_build(af, addr->raw, af == AF_INET ? 4 : 16);
	struct rtnl_neigh *neigh = dst ? rtnl_neigh_get(neighs, ifindex, dst) : NULL;
	char state[32] = "none";
	int nud = 0;

	if (neigh) {
		nud = rtnl_neigh_get_state(neigh);
		rtnl_neigh_state2str(nud, state, sizeof(state));
		rtnl_neigh_put(neigh);
	}
	if (dst)
		nl_addr_put(dst);
	snprintf(buf, len, "neighbour %s (%s)", state,
		 nud & NUD_RESOLVED ? "resolvable" :
		 "unknown: resolved on the first packet, check the backend answers ARP");
	return buf;
}

static void check_backend(struct drctl *ctx, struct report *r, const struct host_net *net,
			  struct nl_cache *neighs, const struct service_info *svc,
			  const struct backend_info *be)
{
	char name[SVC_NAME_LEN], addr[INET6_ADDRSTRLEN], dev[IFNAMSIZ], neigh[160];
	struct route_info ri;
	int af = svc->key.af;

	svc_name(svc, name);
	format_addr(af, &be->addr, addr);
	if (route_get(drctl_rtnl(ctx), af, &be->addr, &ri) < 0 || ri.type != RTN_UNICAST) {
		report_problem(r,
			       "%s -> %s: no usable route: DR needs the backend on a directly connected link",
			       name, addr);
		return;
	}
	if (ri.has_gateway) {
		report_problem(r,
			       "%s -> %s: not on-link (reached via gateway %s): DR needs the backend on a directly connected link",
			       name, addr, ri.gateway);
		return;
	}
	report_note(r, "%s -> %s: on-link via %s, %s", name, addr, ifname(net, ri.oif, dev),
		    neigh_state(neighs, ri.oif, af, &be->addr, neigh, sizeof(neigh)));
}

static void check_ip_forward(struct report *r)
{
	int val;

	if (!sysctl_read("/proc/sys/net/ipv4/ip_forward", &val))
		report_note(r, "net.ipv4.ip_forward = %d: not needed for DR; LVS recommends 0",
			    val);
}

/*
 * In a fleet, the router (ECMP) or a failover (VRRP) moves flows between
 * directors: their entries stay behind, and the next director places them
 * by Maglev. Only an mh service places new flows that way too.
 */
static void check_fleet(struct report *r, const struct service_info *svc)
{
	char name[SVC_NAME_LEN], digest[12];

	svc_name(svc, name);
	if (strcmp(svc->sched, "mh"))
		report_warning(r, "%s: scheduler %s in a fleet: flows that move to another director mid-stream go where Maglev places them, not where %s did, and directors place new flows differently (drctl service set %s sched mh)",
			       name, svc->sched, svc->sched, name);
	report_note(r,
		    "%s: table digest %s: the same on every director of the fleet, or they place flows differently",
		    name, digest_text(svc->digest, digest, sizeof(digest)));
}

static void check_services(struct drctl *ctx, struct report *r, const struct service_list *list,
			   const struct host_net *net, struct nl_cache *neighs, bool fleet)
{
	if (!list->count)
		report_note(r, "no services configured");
	if (fleet)
		report_note(r, "fleet on: one director of several, behind ECMP or VRRP");
	for (size_t i = 0; i < list->count; i++) {
		const struct service_info *svc = &list->svcs[i];

		check_vip(r, net, svc);
		if (fleet)
			check_fleet(r, svc);
		for (size_t j = 0; j < svc->backend_count; j++)
			check_backend(ctx, r, net, neighs, svc, &svc->backends[j]);
	}
}

/* The checks of director check on list, the configured services. */
int director_check_services(struct drctl *ctx, const struct service_list *list, bool fleet)
{
	struct nl_cache *neighs;
	struct host_net net;
	struct report r;
	int ret, err;

	ret = host_net_load(ctx, &net);
	if (ret)
		return ret;
	err = rtnl_neigh_alloc_cache(drctl_rtnl(ctx), &neighs);
	if (err < 0) {
		drctl_err(ctx, "cannot list neighbours: %s", nl_geterror(err));
		ret = DRCTL_FAIL;
	} else {
		report_init(&r, ctx);
		check_services(ctx, &r, list, &net, neighs, fleet);
		check_ip_forward(&r);
		nl_cache_free(neighs);
		ret = report_end(&r, NULL);
	}
	host_net_free(&net);
	return ret;
}

static int director_check(struct drctl *ctx, int argc, char **argv)
{
	struct service_list list;
	struct config_info cfg;
	int ret;

	if (argc) {
		drctl_err(ctx, "unexpected '%s': director check takes no arguments", argv[0]);
		return DRCTL_USAGE;
	}
	ret = config_and_services_get(ctx, &cfg, &list);
	if (ret)
		return ret;
	ret = director_check_services(ctx, &list, cfg.fleet);
	service_list_free(&list);
	return ret;
}

static const struct drctl_cmd director_cmds[] = {
	{ .name = "check", .run = director_check },
	{ 0 },
};

int director_main(struct drctl *ctx, int argc, char **argv)
{
	return drctl_dispatch(ctx, "director", director_usage, director_cmds, argc, argv);
}
