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
 * Setup records what it will change, with the previous values, in the state
 * file (rsstate.c) before it changes anything, so that teardown undoes
 * exactly that and nothing an operator set by hand. Without 'dev', setup
 * sets only 'all': as the kernel takes the larger value, one write covers
 * every interface, present and future.
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/route/link.h>

#include "dispatch.h"
#include "host.h"
#include "realserver.h"
#include "report.h"
#include "rsstate.h"
#include "sysctl.h"

const char realserver_usage[] =
	"drctl realserver setup    VIP [VIP...] [dev IFACE...]\n"
	"drctl realserver teardown VIP [VIP...] | all\n"
	"drctl realserver check    VIP [VIP...] [dev IFACE...]\n";

struct rs_args {
	struct rs_vip vips[RS_MAX];
	int vip_count;
	bool all;		/* teardown all: every VIP of the state */
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

/* A knob setup will write, once the state file says so. */
struct rs_write {
	const char *iface;
	const struct arp_knob *knob;
	int old;
};

/* What one setup, teardown or check works on. */
struct rs_run {
	struct drctl *ctx;
	struct rs_args args;
	struct host_net net;
	int lo;
	struct rs_state st;
	struct rs_write writes[2 * RS_MAX];
	int write_count;
};

static int full_plen(int af)
{
	return af == AF_INET ? 32 : 128;
}

static int parse_args(const struct drctl *ctx, const char *verb, int argc, char **argv,
		      struct rs_args *args)
{
	int i, n;

	memset(args, 0, sizeof(*args));
	if (!strcmp(verb, "teardown") && argc == 1 && !strcmp(argv[0], "all")) {
		args->all = true;
		return DRCTL_OK;
	}
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

static int loopback_index(const struct drctl *ctx, const struct host_net *net)
{
	int lo = rtnl_link_name2i(net->links, "lo");

	if (lo <= 0)
		drctl_err(ctx, "no loopback interface 'lo' in this network namespace");
	return lo;
}

/* Host and arguments read, the state locked: each verb is a function of this frame. */
static int realserver_run(struct drctl *ctx, const char *verb, int argc, char **argv,
			  bool stateful, int (*verb_fn)(struct rs_run *run))
{
	struct rs_run *run = calloc(1, sizeof(*run));
	int ret;

	if (!run) {
		drctl_err(ctx, "out of memory");
		return DRCTL_FAIL;
	}
	run->ctx = ctx;
	ret = parse_args(ctx, verb, argc, argv, &run->args);
	if (!ret)
		ret = host_net_load(ctx, &run->net);
	if (ret)
		goto out;
	run->lo = loopback_index(ctx, &run->net);
	ret = run->lo > 0 ? devs_exist(ctx, &run->args, &run->net) : DRCTL_FAIL;
	if (!ret && stateful)
		ret = rs_state_open(ctx, &run->st);
	if (!ret)
		ret = verb_fn(run);
	/* Even after a failure, keep what was changed so teardown can undo it. */
	if (stateful && run->st.lock_fd >= 0) {
		if (rs_state_save(ctx, &run->st) && !ret)
			ret = DRCTL_FAIL;
		rs_state_close(&run->st);
	}
	host_net_free(&run->net);
out:
	free(run);
	return ret;
}

/* Plans the writes that bring every knob of iface to its value. */
static int plan_iface(struct rs_run *run, const char *iface)
{
	for (size_t i = 0; i < ARRAY_SIZE(arp_knobs); i++) {
		const struct arp_knob *k = &arp_knobs[i];
		struct rs_write *w = &run->writes[run->write_count];
		int val, ret;

		ret = conf_read(run->ctx, iface, k->name, &val);
		if (ret)
			return ret;
		if (k->ok(val))
			continue;
		ret = rs_state_note_sysctl(run->ctx, &run->st, iface, k->name, val);
		if (ret)
			return ret;
		*w = (struct rs_write){ .iface = iface, .knob = k, .old = val };
		run->write_count++;
	}
	return DRCTL_OK;
}

/* With dev IFACE...: the named interfaces only; 'all' would reach the others too. */
static int plan_devs(struct rs_run *run)
{
	const struct rs_args *args = &run->args;
	struct nl_object *obj;
	int ret = DRCTL_OK;

	for (int i = 0; !ret && i < args->dev_count; i++)
		ret = plan_iface(run, args->devs[i]);
	for (obj = nl_cache_get_first(run->net.links); !ret && obj; obj = nl_cache_get_next(obj)) {
		const char *name = rtnl_link_get_name((struct rtnl_link *)obj);

		if (link_answers_arp((struct rtnl_link *)obj) && !is_named(args, name) &&
		    !arp_quiet(name))
			drctl_warn(run->ctx,
				   "%s is up but not named: net.ipv4.conf.all is left alone, so %s may still answer ARP for the VIPs",
				   name, name);
	}
	return ret;
}

static void warn_borrowed(struct rs_run *run)
{
	struct nl_object *obj;

	for (obj = nl_cache_get_first(run->net.links); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_link *link = (struct rtnl_link *)obj;

		if (link_answers_arp(link) &&
		    !host_link_has_ipv4(&run->net, rtnl_link_get_ifindex(link)))
			drctl_warn(run->ctx,
				   "%s has no IPv4 address of its own: arp_ignore=1 on all stops it answering ARP for addresses it borrows; to leave it alone use 'dev IFACE...'",
				   rtnl_link_get_name(link));
	}
}

/* Records the VIP; a VIP on lo with another prefix is the operator's to fix. */
static int plan_vip(struct rs_run *run, struct rs_vip *vip)
{
	int plen = host_addr_find(&run->net, run->lo, vip->af, &vip->addr, NULL);
	char addr[INET6_ADDRSTRLEN];

	format_addr(vip->af, &vip->addr, addr);
	if (plen >= 0 && plen != full_plen(vip->af)) {
		drctl_err(run->ctx, "%s is already on lo as /%d: remove it first (ip addr del %s/%d dev lo)",
			  addr, plen, addr, plen);
		return DRCTL_FAIL;
	}
	vip->added = plen < 0;
	return rs_state_note_vip(run->ctx, &run->st, vip);
}

static int add_vip(struct rs_run *run, const struct rs_vip *vip)
{
	int full = full_plen(vip->af);
	char addr[INET6_ADDRSTRLEN];
	int err;

	format_addr(vip->af, &vip->addr, addr);
	err = host_addr_change(run->ctx, true, run->lo, vip->af, &vip->addr);
	if (err < 0) {
		drctl_err(run->ctx, "cannot add %s/%d to lo: %s", addr, full, nl_geterror(err));
		return DRCTL_FAIL;
	}
	fprintf(run->ctx->out, "added %s/%d to lo\n", addr, full);
	return DRCTL_OK;
}

static int setup(struct rs_run *run)
{
	struct rs_args *args = &run->args;
	int ret = DRCTL_OK;

	for (int i = 0; !ret && i < args->vip_count; i++)
		ret = plan_vip(run, &args->vips[i]);
	if (!ret && args->any_ipv4 && args->dev_count)
		ret = plan_devs(run);
	else if (!ret && args->any_ipv4)
		ret = plan_iface(run, "all");
	if (!ret && args->any_ipv4 && !args->dev_count)
		warn_borrowed(run);
	/* Recorded before written: a failure from here on is still undone by teardown. */
	if (!ret)
		ret = rs_state_save(run->ctx, &run->st);
	for (int i = 0; !ret && i < args->vip_count; i++)
		if (args->vips[i].added)
			ret = add_vip(run, &args->vips[i]);
	for (int i = 0; !ret && i < run->write_count; i++) {
		const struct rs_write *w = &run->writes[i];

		ret = conf_write(run->ctx, w->iface, w->knob->name, w->old, w->knob->want);
	}
	return ret;
}

static int realserver_setup(struct drctl *ctx, int argc, char **argv)
{
	return realserver_run(ctx, "setup", argc, argv, true, setup);
}

static int teardown_vip(struct rs_run *run, struct rs_vip *known)
{
	int full = full_plen(known->af);
	struct rs_state *st = &run->st;
	char addr[INET6_ADDRSTRLEN];
	int err;

	format_addr(known->af, &known->addr, addr);
	if (known->added) {
		err = host_addr_change(run->ctx, false, run->lo, known->af, &known->addr);
		if (err < 0 && err != -NLE_NOADDR && err != -NLE_OBJ_NOTFOUND) {
			drctl_err(run->ctx, "cannot remove %s/%d from lo: %s", addr, full,
				  nl_geterror(err));
			return DRCTL_FAIL;
		}
		if (!err)
			fprintf(run->ctx->out, "removed %s/%d from lo\n", addr, full);
	}
	*known = st->vips[--st->vip_count];
	return DRCTL_OK;
}

/* Once no VIP is left, put back the ARP knobs setup changed, newest first. */
static int teardown_sysctls(struct rs_run *run)
{
	struct rs_state *st = &run->st;

	while (st->sysctl_count) {
		const struct rs_sysctl *sc = &st->sysctls[st->sysctl_count - 1];
		char path[128];
		int cur, err;

		conf_path(path, sizeof(path), sc->iface, sc->knob);
		err = sysctl_read(path, &cur) ? errno : 0;
		if (err && err != ENOENT) {
			drctl_err(run->ctx, "cannot read net.ipv4.conf.%s.%s: %s", sc->iface,
				  sc->knob, strerror(err));
			return DRCTL_FAIL;
		}
		/* ENOENT: the interface is gone, and its setting with it. */
		if (!err && cur != sc->prev &&
		    conf_write(run->ctx, sc->iface, sc->knob, cur, sc->prev))
			return DRCTL_FAIL;
		st->sysctl_count--;
	}
	return DRCTL_OK;
}

static int teardown(struct rs_run *run)
{
	struct rs_args *args = &run->args;
	int ret = DRCTL_OK;

	while (args->all && !ret && run->st.vip_count)
		ret = teardown_vip(run, &run->st.vips[run->st.vip_count - 1]);
	for (int i = 0; !ret && i < args->vip_count; i++) {
		struct rs_vip *known = rs_state_vip(&run->st, &args->vips[i]);
		char addr[INET6_ADDRSTRLEN];

		if (known) {
			ret = teardown_vip(run, known);
			continue;
		}
		drctl_warn(run->ctx, "%s was not set up by drctl realserver setup; left alone",
			   format_addr(args->vips[i].af, &args->vips[i].addr, addr));
	}
	if (!ret && !run->st.vip_count)
		ret = teardown_sysctls(run);
	return ret;
}

static int realserver_teardown(struct drctl *ctx, int argc, char **argv)
{
	return realserver_run(ctx, "teardown", argc, argv, true, teardown);
}

static void check_vip(struct report *r, const struct rs_run *run, const struct rs_vip *vip)
{
	int full = full_plen(vip->af);
	int plen = host_addr_find(&run->net, run->lo, vip->af, &vip->addr, NULL);
	char addr[INET6_ADDRSTRLEN];

	if (plen == full)
		return;
	format_addr(vip->af, &vip->addr, addr);
	if (plen < 0)
		report_problem(r,
			       "%s is not an address of lo, so packets for it are not accepted: run '%s'",
			       addr, run->args.hint);
	else
		report_problem(r,
			       "%s is on lo as /%d, not /%d, so lo claims a whole subnet: run 'ip addr del %s/%d dev lo; %s'",
			       addr, plen, full, addr, plen, run->args.hint);
}

/* The VIP on another interface: that interface answers ARP (or NDP) for it. */
static void check_elsewhere(struct report *r, const struct rs_run *run, const struct rs_vip *vip)
{
	int other = host_addr_elsewhere(&run->net, run->lo, vip->af, &vip->addr);
	char addr[INET6_ADDRSTRLEN], name[IFNAMSIZ] = "?";
	int proxy;

	format_addr(vip->af, &vip->addr, addr);
	if (other) {
		rtnl_link_i2name(run->net.links, other, name, sizeof(name));
		report_problem(r,
			       "%s is also an address of %s, which answers %s for it: run 'ip addr del %s/%d dev %s'",
			       addr, name,
			       vip->af == AF_INET ? "ARP requests" : "neighbour solicitations",
			       addr, host_addr_find(&run->net, other, vip->af, &vip->addr, NULL),
			       name);
		return;
	}
	if (vip->af == AF_INET6 &&
	    !sysctl_read("/proc/sys/net/ipv6/conf/all/proxy_ndp", &proxy) && proxy)
		report_warning(r, "net.ipv6.conf.all.proxy_ndp is 1: make sure 'ip -6 neigh show proxy' has no entry for %s",
			       addr);
}

static void check_knob(struct report *r, const struct rs_run *run, const char *iface,
		       const struct arp_knob *k)
{
	int all, val, eff;

	if (conf_read(run->ctx, "all", k->name, &all) ||
	    conf_read(run->ctx, iface, k->name, &val)) {
		report_problem(r, "%s: cannot read %s", iface, k->name);
		return;
	}
	eff = all > val ? all : val;
	if (!k->ok(eff))
		report_problem(r, "%s: %s is %d (the larger of all=%d and %s=%d): %s %s; run '%s'",
			       iface, k->name, eff, all, iface, val, iface, k->why,
			       run->args.hint);
}

static void check_rp_filter(struct report *r, const struct rs_run *run, const char *iface)
{
	int all, val;

	if (conf_read(run->ctx, "all", "rp_filter", &all) ||
	    conf_read(run->ctx, iface, "rp_filter", &val))
		return;
	if ((all > val ? all : val) == 1)
		report_warning(r, "%s: rp_filter is 1 (strict): packets from clients are dropped when the route back to them leaves by another interface; 2 (loose) avoids that",
			       iface);
}

static void check_iface(struct report *r, const struct rs_run *run, const char *iface)
{
	for (size_t i = 0; i < ARRAY_SIZE(arp_knobs); i++)
		check_knob(r, run, iface, &arp_knobs[i]);
	check_rp_filter(r, run, iface);
}

static void check_arp(struct report *r, const struct rs_run *run)
{
	struct nl_object *obj;

	for (int i = 0; i < run->args.dev_count; i++)
		check_iface(r, run, run->args.devs[i]);
	if (run->args.dev_count)
		return;
	for (obj = nl_cache_get_first(run->net.links); obj; obj = nl_cache_get_next(obj)) {
		struct rtnl_link *link = (struct rtnl_link *)obj;

		if (link_answers_arp(link))
			check_iface(r, run, rtnl_link_get_name(link));
	}
}

static int check(struct rs_run *run)
{
	struct report r;

	report_init(&r, run->ctx);
	for (int i = 0; i < run->args.vip_count; i++) {
		check_vip(&r, run, &run->args.vips[i]);
		check_elsewhere(&r, run, &run->args.vips[i]);
	}
	if (run->args.any_ipv4)
		check_arp(&r, run);
	return report_end(&r, "this host is set up as a DR real server for these VIPs");
}

static int realserver_check(struct drctl *ctx, int argc, char **argv)
{
	return realserver_run(ctx, "check", argc, argv, false, check);
}

static const struct drctl_cmd realserver_cmds[] = {
	{ .name = "setup", .run = realserver_setup },
	{ .name = "teardown", .run = realserver_teardown },
	{ .name = "check", .run = realserver_check },
	{ 0 },
};

int realserver_main(struct drctl *ctx, int argc, char **argv)
{
	return drctl_dispatch(ctx, "realserver", realserver_usage, realserver_cmds, argc, argv);
}
