// SPDX-License-Identifier: GPL-2.0
/*
 * drctl realserver setup|teardown|check: make this host a DR real server.
 *
 * Packets reach a real server still addressed to the VIP, so the VIP must be
 * a local address: /32 (/128) on lo, which claims no subnet. The host must
 * then neither answer ARP for it (arp_ignore=1: answer only for addresses of
 * the receiving interface) nor use it as the source of its own ARP requests
 * (arp_announce=2), or it steals the VIP from the director. The kernel applies
 * max(all, interface) to both knobs.
 *
 * IPv6 needs no knob: Linux answers a neighbour solicitation only for an
 * address of the interface it arrived on (ndisc_recv_ns() looks the target
 * up strictly on that device), so a VIP/128 on lo is never announced. What
 * would break that is the VIP on another interface as well, or proxy NDP:
 * check looks for both.
 *
 * Setup records what it changed, with the previous values, in a state file so
 * that teardown undoes exactly that and nothing an operator set by hand.
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <netlink/route/link.h>

#include "dispatch.h"
#include "host.h"
#include "realserver.h"
#include "rsstate.h"
#include "sysctl.h"

const char realserver_usage[] =
	"drctl realserver setup    VIP [VIP...] [dev IFACE...]\n"
	"drctl realserver teardown VIP [VIP...]\n"
	"drctl realserver check    VIP [VIP...] [dev IFACE...]\n";

struct rs_args {
	struct rs_vip vips[RS_MAX];
	int vip_count;
	char **devs;		/* dev IFACE...: only these interfaces, not 'all' */
	int dev_count;
	bool any_ipv4;		/* ARP knobs matter only for IPv4 VIPs */
	char hint[512];		/* the setup command that fixes what check finds */
};

struct arp_knob {
	const char *name;
	int want;
	bool (*ok)(int val);
	const char *why;
};

/* 2 (subnet check too) and 8 (never reply) keep quiet as well; 3 replies for the VIP. */
static bool arp_ignore_ok(int val)
{
	return val == 1 || val == 2 || val == 8;
}

static bool arp_announce_ok(int val)
{
	return val >= 2;
}

static const struct arp_knob arp_knobs[] = {
	{ "arp_ignore", 1, arp_ignore_ok, "answers ARP requests for the VIP" },
	{ "arp_announce", 2, arp_announce_ok, "may announce the VIP in its own ARP requests" },
};

static int parse_args(const struct drctl *ctx, const char *verb, int argc, char **argv,
		      struct rs_args *args)
{
	int i, n;

	memset(args, 0, sizeof(*args));
	for (i = 0; i < argc && strcmp(argv[i], "dev"); i++) {
		struct rs_vip *vip = &args->vips[args->vip_count];

		if (args->vip_count == RS_MAX) {
			drctl_err(ctx, "too many VIPs (at most %d)", RS_MAX);
			return DRCTL_USAGE;
		}
		if (parse_addr(argv[i], &vip->af, &vip->addr)) {
			drctl_err(ctx, "invalid VIP '%s' (an IPv4 or IPv6 address)", argv[i]);
			return DRCTL_USAGE;
		}
		args->any_ipv4 |= vip->af == AF_INET;
		args->vip_count++;
	}
	if (!args->vip_count) {
		drctl_err(ctx, "missing VIP: drctl realserver %s VIP [VIP...]", verb);
		return DRCTL_USAGE;
	}
	if (i < argc && i + 1 == argc) {
		drctl_err(ctx, "'dev' needs at least one interface name");
		return DRCTL_USAGE;
	}
	args->devs = i < argc ? argv + i + 1 : NULL;
	args->dev_count = i < argc ? argc - i - 1 : 0;
	n = snprintf(args->hint, sizeof(args->hint), "drctl realserver setup");
	for (i = 0; i < argc && n > 0 && (size_t)n < sizeof(args->hint); i++)
		n += snprintf(args->hint + n, sizeof(args->hint) - n, " %s", argv[i]);
	return DRCTL_OK;
}

/* Up interfaces other than loopback: those that could answer ARP. */
static bool link_answers_arp(struct rtnl_link *link)
{
	unsigned int flags = rtnl_link_get_flags(link);

	return (flags & IFF_UP) && !(flags & IFF_LOOPBACK);
}

static int setup_iface(const struct drctl *ctx, struct rs_state *st, const char *iface)
{
	for (size_t i = 0; i < ARRAY_SIZE(arp_knobs); i++) {
		const struct arp_knob *k = &arp_knobs[i];
		int val, ret;

		ret = conf_read(ctx, iface, k->name, &val);
		if (ret || k->ok(val))
			return ret;
		ret = conf_write(ctx, iface, k->name, val, k->want);
		if (!ret)
			ret = rs_state_note_sysctl(ctx, st, iface, k->name, val);
		if (ret)
			return ret;
	}
	return DRCTL_OK;
}

static bool is_named(const struct rs_args *args, const char *iface)
{
	for (int i = 0; i < args->dev_count; i++)
		if (!strcmp(args->devs[i], iface))
			return true;
	return false;
}

/* Whether iface already keeps quiet about the VIPs, all included. */
static bool arp_quiet(const char *iface)
{
	char path[128];
	int all, val;

	for (size_t i = 0; i < ARRAY_SIZE(arp_knobs); i++) {
		conf_path(path, sizeof(path), "all", arp_knobs[i].name);
		if (sysctl_read(path, &all))
			return false;
		conf_path(path, sizeof(path), iface, arp_knobs[i].name);
		if (sysctl_read(path, &val) || !arp_knobs[i].ok(all > val ? all : val))
			return false;
	}
	return true;
}

static int devs_exist(const struct drctl *ctx, const struct rs_args *args,
		      const struct host_net *net)
{
	for (int i = 0; i < args->dev_count; i++) {
		if (rtnl_link_name2i(net->links, args->devs[i]) <= 0) {
			drctl_err(ctx, "no interface '%s'", args->devs[i]);
			return DRCTL_FAIL;
		}
	}
	return DRCTL_OK;
}

/* With dev IFACE...: the named interfaces only; 'all' would reach the others too. */
static int setup_devs(const struct drctl *ctx, const struct rs_args *args,
		      const struct host_net *net, struct rs_state *st)
{
	struct nl_object *obj;
	int ret = DRCTL_OK;

	for (int i = 0; !ret && i < args->dev_count; i++)
		ret = setup_iface(ctx, st, args->devs[i]);
	for (obj = nl_cache_get_first(net->links); !ret && obj; obj = nl_cache_get_next(obj)) {
		const char *name = rtnl_link_get_name((struct rtnl_link *)obj);

		if (link_answers_arp((struct rtnl_link *)obj) && !is_named(args, name) &&
		    !arp_quiet(name))
			drctl_warn(ctx,
				   "%s is up but not named: net.ipv4.conf.all is left alone, so %s may still answer ARP for the VIPs",
				   name, name);
	}
	return ret;
}

static int setup_all(const struct drctl *ctx, const struct host_net *net, struct rs_state *st)
{
	struct nl_object *obj;
	int ret = setup_iface(ctx, st, "all");

	for (obj = nl_cache_get_first(net->links); !ret && obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_link *link = (struct rtnl_link *)obj;
		const char *name = rtnl_link_get_name(link);

		if (!link_answers_arp(link))
			continue;
		if (!host_link_has_ipv4(net, rtnl_link_get_ifindex(link)))
			drctl_warn(ctx,
				   "%s has no IPv4 address of its own: arp_ignore=1 on all stops it answering ARP for addresses it borrows; to leave it alone use 'dev IFACE...'",
				   name);
		ret = setup_iface(ctx, st, name);
	}
	return ret;
}

static int setup_vip(struct drctl *ctx, const struct host_net *net, int lo,
		     struct rs_state *st, const struct rs_vip *vip)
{
	int full = vip->af == AF_INET ? 32 : 128;
	struct rs_vip *known = rs_state_vip(st, vip);
	char addr[INET6_ADDRSTRLEN];
	int err;

	if (host_addr_find(net, lo, vip->af, &vip->addr, NULL) == full) {
		if (known)
			return DRCTL_OK;
		if (st->vip_count == RS_MAX)
			goto full;
		st->vips[st->vip_count] = *vip;
		st->vips[st->vip_count++].added = false;
		return DRCTL_OK;
	}
	format_addr(vip->af, &vip->addr, addr);
	err = host_addr_change(ctx, true, lo, vip->af, &vip->addr);
	if (err < 0 && err != -NLE_EXIST) {
		drctl_err(ctx, "cannot add %s/%d to lo: %s", addr, full, nl_geterror(err));
		return DRCTL_FAIL;
	}
	fprintf(ctx->out, "added %s/%d to lo\n", addr, full);
	if (!known && st->vip_count == RS_MAX)
		goto full;
	if (!known)
		known = &st->vips[st->vip_count++];
	*known = *vip;
	known->added = true;
	return DRCTL_OK;
full:
	drctl_err(ctx, "too many VIPs to remember (at most %d)", RS_MAX);
	return DRCTL_FAIL;
}

static int loopback_index(const struct drctl *ctx, const struct host_net *net)
{
	int lo = rtnl_link_name2i(net->links, "lo");

	if (lo <= 0)
		drctl_err(ctx, "no loopback interface 'lo' in this network namespace");
	return lo;
}

static int realserver_setup(struct drctl *ctx, int argc, char **argv)
{
	struct rs_args args;
	struct rs_state st;
	struct host_net net;
	bool loaded;
	int lo, ret;

	ret = parse_args(ctx, "setup", argc, argv, &args);
	if (ret)
		return ret;
	ret = host_net_load(ctx, &net);
	if (ret)
		return ret;
	lo = loopback_index(ctx, &net);
	ret = lo > 0 ? devs_exist(ctx, &args, &net) : DRCTL_FAIL;
	if (!ret)
		ret = rs_state_load(ctx, &st);
	loaded = !ret;
	for (int i = 0; !ret && i < args.vip_count; i++)
		ret = setup_vip(ctx, &net, lo, &st, &args.vips[i]);
	if (!ret && args.any_ipv4 && args.dev_count)
		ret = setup_devs(ctx, &args, &net, &st);
	else if (!ret && args.any_ipv4)
		ret = setup_all(ctx, &net, &st);
	/* Even after a failure, remember what was changed so teardown can undo it. */
	if (loaded && rs_state_save(ctx, &st) && !ret)
		ret = DRCTL_FAIL;
	host_net_free(&net);
	return ret;
}

static int teardown_vip(struct drctl *ctx, int lo, struct rs_state *st,
			const struct rs_vip *vip)
{
	struct rs_vip *known = rs_state_vip(st, vip);
	char addr[INET6_ADDRSTRLEN];
	int full = vip->af == AF_INET ? 32 : 128;
	int err;

	format_addr(vip->af, &vip->addr, addr);
	if (!known) {
		drctl_warn(ctx, "%s was not set up by drctl realserver setup; left alone", addr);
		return DRCTL_OK;
	}
	if (known->added) {
		err = host_addr_change(ctx, false, lo, vip->af, &vip->addr);
		if (err < 0 && err != -NLE_NOADDR && err != -NLE_OBJ_NOTFOUND) {
			drctl_err(ctx, "cannot remove %s/%d from lo: %s", addr, full,
				  nl_geterror(err));
			return DRCTL_FAIL;
		}
		if (!err)
			fprintf(ctx->out, "removed %s/%d from lo\n", addr, full);
	}
	*known = st->vips[--st->vip_count];
	return DRCTL_OK;
}

/* Once no VIP is left, put back the ARP knobs setup changed, newest first. */
static int teardown_sysctls(const struct drctl *ctx, struct rs_state *st)
{
	while (st->sysctl_count) {
		const struct rs_sysctl *sc = &st->sysctls[st->sysctl_count - 1];
		char path[128];
		int cur, err;

		conf_path(path, sizeof(path), sc->iface, sc->knob);
		err = sysctl_read(path, &cur) ? errno : 0;
		if (err && err != ENOENT) {
			drctl_err(ctx, "cannot read net.ipv4.conf.%s.%s: %s", sc->iface,
				  sc->knob, strerror(err));
			return DRCTL_FAIL;
		}
		/* ENOENT: the interface is gone, and its setting with it. */
		if (!err && cur != sc->prev && conf_write(ctx, sc->iface, sc->knob, cur, sc->prev))
			return DRCTL_FAIL;
		st->sysctl_count--;
	}
	return DRCTL_OK;
}

static int realserver_teardown(struct drctl *ctx, int argc, char **argv)
{
	struct rs_args args;
	struct rs_state st;
	struct host_net net;
	bool loaded;
	int lo, ret;

	ret = parse_args(ctx, "teardown", argc, argv, &args);
	if (ret)
		return ret;
	ret = host_net_load(ctx, &net);
	if (ret)
		return ret;
	lo = loopback_index(ctx, &net);
	ret = lo > 0 ? rs_state_load(ctx, &st) : DRCTL_FAIL;
	loaded = !ret;
	for (int i = 0; !ret && i < args.vip_count; i++)
		ret = teardown_vip(ctx, lo, &st, &args.vips[i]);
	if (!ret && !st.vip_count)
		ret = teardown_sysctls(ctx, &st);
	if (loaded && rs_state_save(ctx, &st) && !ret)
		ret = DRCTL_FAIL;
	host_net_free(&net);
	return ret;
}

static bool check_vip(const struct drctl *ctx, const struct host_net *net, int lo,
		      const struct rs_vip *vip, const char *hint)
{
	int full = vip->af == AF_INET ? 32 : 128;
	int plen = host_addr_find(net, lo, vip->af, &vip->addr, NULL);
	char addr[INET6_ADDRSTRLEN];

	if (plen == full)
		return true;
	format_addr(vip->af, &vip->addr, addr);
	if (plen < 0)
		fprintf(ctx->out,
			"%s is not an address of lo, so packets for it are not accepted: run '%s'\n",
			addr, hint);
	else
		fprintf(ctx->out,
			"%s is on lo as /%d, not /%d, so lo claims a whole subnet: run 'ip addr del %s/%d dev lo; %s'\n",
			addr, plen, full, addr, plen, hint);
	return false;
}

static bool check_ndp(const struct drctl *ctx, const struct host_net *net, int lo,
		      const struct rs_vip *vip)
{
	int other = host_addr_elsewhere(net, lo, vip->af, &vip->addr);
	char addr[INET6_ADDRSTRLEN], name[IFNAMSIZ] = "?";
	int proxy;

	format_addr(vip->af, &vip->addr, addr);
	if (other) {
		rtnl_link_i2name(net->links, other, name, sizeof(name));
		fprintf(ctx->out,
			"%s is also an address of %s, which answers neighbour solicitations for it: run 'ip addr del %s dev %s'\n",
			addr, name, addr, name);
		return false;
	}
	if (!sysctl_read("/proc/sys/net/ipv6/conf/all/proxy_ndp", &proxy) && proxy)
		fprintf(ctx->out,
			"warning: net.ipv6.conf.all.proxy_ndp is 1: make sure 'ip -6 neigh show proxy' has no entry for %s\n",
			addr);
	return true;
}

static bool check_knob(const struct drctl *ctx, const char *iface, const struct arp_knob *k,
		       const char *hint)
{
	int all, val, eff;

	if (conf_read(ctx, "all", k->name, &all) || conf_read(ctx, iface, k->name, &val))
		return false;
	eff = all > val ? all : val;
	if (k->ok(eff))
		return true;
	fprintf(ctx->out, "%s: %s is %d (the larger of all=%d and %s=%d): %s %s; run '%s'\n",
		iface, k->name, eff, all, iface, val, iface, k->why, hint);
	return false;
}

static void check_rp_filter(const struct drctl *ctx, const char *iface)
{
	int all, val;

	if (conf_read(ctx, "all", "rp_filter", &all) || conf_read(ctx, iface, "rp_filter", &val))
		return;
	if ((all > val ? all : val) == 1)
		fprintf(ctx->out,
			"warning: %s: rp_filter is 1 (strict): packets from clients are dropped when the route back to them leaves by another interface; 2 (loose) avoids that\n",
			iface);
}

static bool check_iface(const struct drctl *ctx, const char *iface, const char *hint)
{
	bool ok = true;

	for (size_t i = 0; i < ARRAY_SIZE(arp_knobs); i++)
		ok &= check_knob(ctx, iface, &arp_knobs[i], hint);
	check_rp_filter(ctx, iface);
	return ok;
}

static bool check_arp(const struct drctl *ctx, const struct rs_args *args,
		      const struct host_net *net)
{
	struct nl_object *obj;
	bool ok = true;

	for (int i = 0; i < args->dev_count; i++)
		ok &= check_iface(ctx, args->devs[i], args->hint);
	if (args->dev_count)
		return ok;
	for (obj = nl_cache_get_first(net->links); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_link *link = (struct rtnl_link *)obj;

		if (link_answers_arp(link))
			ok &= check_iface(ctx, rtnl_link_get_name(link), args->hint);
	}
	return ok;
}

static int realserver_check(struct drctl *ctx, int argc, char **argv)
{
	struct rs_args args;
	struct host_net net;
	bool ok = true;
	int lo, ret;

	ret = parse_args(ctx, "check", argc, argv, &args);
	if (ret)
		return ret;
	ret = host_net_load(ctx, &net);
	if (ret)
		return ret;
	lo = loopback_index(ctx, &net);
	for (int i = 0; lo > 0 && i < args.vip_count; i++) {
		ok &= check_vip(ctx, &net, lo, &args.vips[i], args.hint);
		if (args.vips[i].af == AF_INET6)
			ok &= check_ndp(ctx, &net, lo, &args.vips[i]);
	}
	if (lo > 0 && args.any_ipv4)
		ok &= check_arp(ctx, &args, &net);
	host_net_free(&net);
	if (lo > 0 && ok)
		fprintf(ctx->out, "ok: this host is set up as a DR real server for these VIPs\n");
	return lo > 0 && ok ? DRCTL_OK : DRCTL_FAIL;
}

static const struct drctl_cmd realserver_cmds[] = {
	{ "setup", realserver_setup },
	{ "teardown", realserver_teardown },
	{ "check", realserver_check },
	{ NULL, NULL },
};

int realserver_main(struct drctl *ctx, int argc, char **argv)
{
	return drctl_dispatch(ctx, "realserver", realserver_usage, realserver_cmds, argc, argv);
}
