// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink plumbing. Every request waits for its ack or the end of its dump;
 * a refusal prints the kernel's extended-ack message verbatim, so the user
 * reads what the module's policy said, not a bare errno.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>

#include "nl.h"

struct drctl_nl {
	struct nl_sock *genl;
	int family;
	struct nl_sock *rtnl;
};

/* What the reply to one request said. */
struct reply {
	drlb_reply_fn fn;
	void *arg;
	bool done;
	int error;		/* negative errno sent by the kernel */
	int parse_error;	/* negative errno of fn */
	char extack[256];
};

static const struct nla_policy top_policy[DRLB_A_MAX + 1] = {
	[DRLB_A_SERVICE]	= { .type = NLA_NESTED },
	[DRLB_A_BACKEND]	= { .type = NLA_NESTED },
	[DRLB_A_CONN]		= { .type = NLA_NESTED },
	[DRLB_A_CONFIG]		= { .type = NLA_NESTED },
	[DRLB_A_STATS]		= { .type = NLA_NESTED },
};

static const struct nla_policy stats_policy[DRLB_ST_A_MAX + 1] = {
	[DRLB_ST_A_PACKETS]		= { .type = NLA_U64 },
	[DRLB_ST_A_BYTES]		= { .type = NLA_U64 },
	[DRLB_ST_A_CONNS]		= { .type = NLA_U64 },
	[DRLB_ST_A_DROP_NO_BACKEND]	= { .type = NLA_U64 },
	[DRLB_ST_A_DROP_TABLE_FULL]	= { .type = NLA_U64 },
	[DRLB_ST_A_DROP_UNREACHABLE]	= { .type = NLA_U64 },
	[DRLB_ST_A_DROP_BACKEND_GONE]	= { .type = NLA_U64 },
	[DRLB_ST_A_STATELESS]		= { .type = NLA_U64 },
	[DRLB_ST_A_ICMP]		= { .type = NLA_U64 },
	[DRLB_ST_A_DROP_TOO_BIG]	= { .type = NLA_U64 },
	[DRLB_ST_A_DROP_TTL]		= { .type = NLA_U64 },
	[DRLB_ST_A_HOOK_PREROUTING]	= { .type = NLA_U64 },
	[DRLB_ST_A_HOOK_INGRESS]	= { .type = NLA_U64 },
	[DRLB_ST_A_HOOK_XDP]		= { .type = NLA_U64 },
	[DRLB_ST_A_RATE_CONNS]		= { .type = NLA_U64 },
	[DRLB_ST_A_RATE_PACKETS]	= { .type = NLA_U64 },
	[DRLB_ST_A_RATE_BYTES]		= { .type = NLA_U64 },
};

static struct drctl_nl *nl_state(struct drctl *ctx)
{
	if (!ctx->nl)
		ctx->nl = calloc(1, sizeof(*ctx->nl));
	if (!ctx->nl)
		drctl_err(ctx, "out of memory");
	return ctx->nl;
}

static int family_resolve(struct drctl *ctx, struct nl_sock *sock, int *id)
{
	struct genl_family *family;
	struct nl_cache *cache;
	int version, err;

	err = genl_ctrl_alloc_cache(sock, &cache);
	if (err < 0) {
		drctl_err(ctx, "cannot list generic netlink families: %s", nl_geterror(err));
		return DRCTL_FAIL;
	}
	family = genl_ctrl_search_by_name(cache, DRLB_GENL_NAME);
	nl_cache_free(cache);
	if (!family) {
		drctl_err(ctx, "the drlb module is not loaded (modprobe drlb)");
		return DRCTL_FAIL;
	}
	version = genl_family_get_version(family);
	*id = genl_family_get_id(family);
	genl_family_put(family);
	if (version != DRLB_GENL_VERSION) {
		drctl_err(ctx,
			  "version mismatch: the drlb module speaks netlink version %d, this drctl speaks %d; install a matching drctl",
			  version, DRLB_GENL_VERSION);
		return DRCTL_FAIL;
	}
	return DRCTL_OK;
}

static int genl_open(struct drctl *ctx)
{
	struct drctl_nl *nl = nl_state(ctx);
	struct nl_sock *sock;
	int one = 1, err;

	if (!nl)
		return DRCTL_FAIL;
	if (nl->genl)
		return DRCTL_OK;
	sock = nl_socket_alloc();
	if (!sock) {
		drctl_err(ctx, "out of memory");
		return DRCTL_FAIL;
	}
	err = genl_connect(sock);
	if (err < 0) {
		drctl_err(ctx, "cannot open a generic netlink socket: %s", nl_geterror(err));
		nl_socket_free(sock);
		return DRCTL_FAIL;
	}
	/* Kernels before 4.12 lack these; errors then just come without text. */
	setsockopt(nl_socket_get_fd(sock), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(sock), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	err = family_resolve(ctx, sock, &nl->family);
	if (err) {
		nl_socket_free(sock);
		return err;
	}
	nl->genl = sock;
	return DRCTL_OK;
}

/*
 * The netlink port requests go out from, opened if need be; 0 if it cannot
 * be. The module's events carry the port of the request that caused them.
 */
uint32_t drlb_request_port(struct drctl *ctx)
{
	return genl_open(ctx) ? 0 : nl_socket_get_local_port(ctx->nl->genl);
}

struct nl_msg *drlb_msg_new(struct drctl *ctx, uint8_t cmd, int flags)
{
	struct nl_msg *msg;

	if (genl_open(ctx))
		return NULL;
	msg = nlmsg_alloc();
	if (msg && genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, ctx->nl->family, 0, flags,
			       cmd, DRLB_GENL_VERSION))
		return msg;
	nlmsg_free(msg);
	drctl_err(ctx, "out of memory");
	return NULL;
}

/* Opens DRLB_A_SERVICE with the key in it; the caller closes the nest. */
struct nlattr *drlb_nest_key(struct nl_msg *msg, const struct svc_key *key)
{
	struct nlattr *nest = nla_nest_start(msg, DRLB_A_SERVICE | NLA_F_NESTED);

	if (!nest ||
	    nla_put_u16(msg, DRLB_SVC_A_AF, key->af) ||
	    nla_put_u8(msg, DRLB_SVC_A_PROTOCOL, key->protocol) ||
	    nla_put(msg, DRLB_SVC_A_ADDR, sizeof(key->addr.raw), key->addr.raw) ||
	    nla_put_u16(msg, DRLB_SVC_A_PORT, htons(key->port)))
		return NULL;
	return nest;
}

static void extack_copy(struct reply *rep, void *attrs, int len)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];

	if (len <= 0 || nla_parse(tb, NLMSGERR_ATTR_MAX, attrs, len, NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_strlcpy(rep->extack, tb[NLMSGERR_ATTR_MSG], sizeof(rep->extack));
}

/*
 * The TLVs follow struct nlmsgerr, after the echoed request unless the
 * kernel capped it (NETLINK_CAP_ACK).
 */
static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct reply *rep = arg;
	size_t off = sizeof(*e);

	(void)who;
	rep->error = e->error;
	rep->done = true;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len > NLMSG_HDRLEN)
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	off = NLMSG_ALIGN(off);
	if (NLMSG_HDRLEN + off < nlh->nlmsg_len)
		extack_copy(rep, (char *)e + off, nlh->nlmsg_len - NLMSG_HDRLEN - off);
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct reply *rep = arg;

	(void)msg;
	rep->done = true;
	return NL_STOP;
}

/* NLMSG_DONE carries the dump's own error (an int), then its extack TLVs. */
static int on_done(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct reply *rep = arg;
	int err;

	rep->done = true;
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
		return NL_STOP;
	memcpy(&err, nlmsg_data(nlh), sizeof(err));
	if (err >= 0)
		return NL_STOP;
	rep->error = err;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		extack_copy(rep, (char *)nlmsg_data(nlh) + NLMSG_ALIGN(sizeof(int)),
			    nlh->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof(int))));
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[DRLB_A_MAX + 1];
	struct reply *rep = arg;
	int err;

	if (rep->parse_error || !rep->fn)
		return NL_OK;
	err = genlmsg_parse(nlmsg_hdr(msg), 0, tb, DRLB_A_MAX, top_policy);
	rep->parse_error = err < 0 ? -EBADMSG : rep->fn(tb, rep->arg);
	return NL_OK;
}

static int reply_status(struct drctl *ctx, const struct reply *rep, int err)
{
	/* A refusal the module explains (a ceiling) says so; a bare one is the capability. */
	if (rep->error == -EPERM && !rep->extack[0]) {
		drctl_err(ctx, "permission denied: need CAP_NET_ADMIN");
		return DRCTL_FAIL;
	}
	if (rep->error) {
		drctl_err(ctx, "%s", rep->extack[0] ? rep->extack : strerror(-rep->error));
		return DRCTL_FAIL;
	}
	if (err == -NLE_DUMP_INTR) {
		drctl_err(ctx, "the configuration changed during the dump; run the command again");
		return DRCTL_FAIL;
	}
	if (err < 0) {
		drctl_err(ctx, "netlink: %s", nl_geterror(err));
		return DRCTL_FAIL;
	}
	if (rep->parse_error) {
		drctl_err(ctx, "cannot read the drlb module's reply: %s",
			  strerror(-rep->parse_error));
		return DRCTL_FAIL;
	}
	return DRCTL_OK;
}

struct event_ctx {
	drlb_event_fn fn;
	void *arg;
	int stop;		/* what fn returned, when not 0 */
};

static int on_event(struct nl_msg *msg, void *arg)
{
	struct genlmsghdr *gh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[DRLB_A_MAX + 1];
	struct event_ctx *ev = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, DRLB_A_MAX, top_policy) < 0)
		return NL_SKIP;
	ev->stop = ev->fn(gh->cmd, tb, ev->arg);
	return ev->stop ? NL_STOP : NL_OK;
}

/* A socket joined to the drlb events group; NULL, said why, on failure. */
struct nl_sock *drlb_events_socket(struct drctl *ctx)
{
	struct nl_sock *sock;
	int family, group, err;

	sock = nl_socket_alloc();
	if (!sock) {
		drctl_err(ctx, "out of memory");
		return NULL;
	}
	err = genl_connect(sock);
	if (err < 0) {
		drctl_err(ctx, "cannot open a generic netlink socket: %s", nl_geterror(err));
		goto err;
	}
	if (family_resolve(ctx, sock, &family))
		goto err;
	group = genl_ctrl_resolve_grp(sock, DRLB_GENL_NAME, DRLB_GENL_MCGRP_EVENTS);
	if (group < 0) {
		drctl_err(ctx, "the drlb module has no events group: update the module");
		goto err;
	}
	err = nl_socket_add_membership(sock, group);
	if (err < 0) {
		drctl_err(ctx, "cannot join the drlb events: %s%s", nl_geterror(err),
			  err == -NLE_PERM ? " (need CAP_NET_ADMIN)" : "");
		goto err;
	}
	nl_socket_disable_seq_check(sock);
	return sock;
err:
	nl_socket_free(sock);
	return NULL;
}

/*
 * Calls fn on each event of the drlb multicast group, as the module sends
 * them, until fn returns non-zero (that exit code) or the socket fails. A
 * socket that overran (events lost) calls fn with cmd 0 and goes on.
 */
int drlb_events(struct drctl *ctx, drlb_event_fn fn, void *arg)
{
	struct event_ctx ev = { fn, arg, 0 };
	struct nl_sock *sock = drlb_events_socket(ctx);
	int err;

	if (!sock)
		return DRCTL_FAIL;
	nl_socket_modify_cb(sock, NL_CB_VALID, NL_CB_CUSTOM, on_event, &ev);
	for (;;) {
		err = nl_recvmsgs_default(sock);
		if (ev.stop)
			break;
		if (err == -NLE_NOMEM) {
			/* ENOBUFS: the module or the socket lost events. */
			ev.stop = fn(0, NULL, arg);
			if (ev.stop)
				break;
			continue;
		}
		if (err < 0 && err != -NLE_INTR && err != -NLE_AGAIN) {
			drctl_err(ctx, "netlink: %s", nl_geterror(err));
			break;
		}
	}
	nl_socket_free(sock);
	if (ev.stop)
		return ev.stop < 0 ? DRCTL_OK : ev.stop;
	return DRCTL_FAIL;
}

/* Sends msg (and frees it), calls fn on each reply until the ack or the dump's end. */
int drlb_request(struct drctl *ctx, struct nl_msg *msg, drlb_reply_fn fn,
		 void *arg)
{
	struct reply rep = { .fn = fn, .arg = arg };
	struct nl_sock *sock = ctx->nl->genl;
	struct nl_cb *cb;
	int err;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		drctl_err(ctx, "out of memory");
		return DRCTL_FAIL;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &rep);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &rep);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &rep);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &rep);
	err = nl_send_auto(sock, msg);
	nlmsg_free(msg);
	while (err >= 0 && !rep.done)
		err = nl_recvmsgs(sock, cb);
	nl_cb_put(cb);
	return reply_status(ctx, &rep, err);
}

/* A request without attributes: flush, conn flush. */
int drlb_simple(struct drctl *ctx, uint8_t cmd)
{
	struct nl_msg *msg = drlb_msg_new(ctx, cmd, 0);

	if (!msg)
		return DRCTL_FAIL;
	return drlb_request(ctx, msg, NULL, NULL);
}

int drlb_get_addr(const struct nlattr *attr, union drctl_addr *addr)
{
	if (!attr || nla_len(attr) < (int)sizeof(addr->raw))
		return -EBADMSG;
	memcpy(addr->raw, nla_data(attr), sizeof(addr->raw));
	return 0;
}

uint32_t drlb_get_u32(const struct nlattr *attr)
{
	return attr ? nla_get_u32(attr) : 0;
}

static uint64_t get_u64(struct nlattr *attr)
{
	return attr ? nla_get_u64(attr) : 0;
}

int drlb_parse_stats(struct nlattr *nest, struct drlb_stats *st)
{
	struct nlattr *tb[DRLB_ST_A_MAX + 1];

	memset(st, 0, sizeof(*st));
	if (!nest)
		return 0;
	if (nla_parse_nested(tb, DRLB_ST_A_MAX, nest, stats_policy))
		return -EBADMSG;
	st->packets = get_u64(tb[DRLB_ST_A_PACKETS]);
	st->bytes = get_u64(tb[DRLB_ST_A_BYTES]);
	st->conns = get_u64(tb[DRLB_ST_A_CONNS]);
	st->drop_no_backend = get_u64(tb[DRLB_ST_A_DROP_NO_BACKEND]);
	st->drop_table_full = get_u64(tb[DRLB_ST_A_DROP_TABLE_FULL]);
	st->drop_unreachable = get_u64(tb[DRLB_ST_A_DROP_UNREACHABLE]);
	st->drop_backend_gone = get_u64(tb[DRLB_ST_A_DROP_BACKEND_GONE]);
	st->stateless = get_u64(tb[DRLB_ST_A_STATELESS]);
	st->icmp = get_u64(tb[DRLB_ST_A_ICMP]);
	st->drop_too_big = get_u64(tb[DRLB_ST_A_DROP_TOO_BIG]);
	st->drop_ttl = get_u64(tb[DRLB_ST_A_DROP_TTL]);
	st->hook_prerouting = get_u64(tb[DRLB_ST_A_HOOK_PREROUTING]);
	st->hook_ingress = get_u64(tb[DRLB_ST_A_HOOK_INGRESS]);
	st->hook_xdp = get_u64(tb[DRLB_ST_A_HOOK_XDP]);
	st->rate_conns = get_u64(tb[DRLB_ST_A_RATE_CONNS]);
	st->rate_packets = get_u64(tb[DRLB_ST_A_RATE_PACKETS]);
	st->rate_bytes = get_u64(tb[DRLB_ST_A_RATE_BYTES]);
	return 0;
}

struct nl_sock *drctl_rtnl(struct drctl *ctx)
{
	struct drctl_nl *nl = nl_state(ctx);
	struct nl_sock *sock;
	int err;

	if (!nl)
		return NULL;
	if (nl->rtnl)
		return nl->rtnl;
	sock = nl_socket_alloc();
	if (!sock) {
		drctl_err(ctx, "out of memory");
		return NULL;
	}
	err = nl_connect(sock, NETLINK_ROUTE);
	if (err < 0) {
		drctl_err(ctx, "cannot open a rtnetlink socket: %s", nl_geterror(err));
		nl_socket_free(sock);
		return NULL;
	}
	nl->rtnl = sock;
	return sock;
}

void drctl_nl_free(struct drctl_nl *nl)
{
	if (!nl)
		return;
	if (nl->genl)
		nl_socket_free(nl->genl);
	if (nl->rtnl)
		nl_socket_free(nl->rtnl);
	free(nl);
}
