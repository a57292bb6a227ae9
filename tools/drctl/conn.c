// SPDX-License-Identifier: GPL-2.0
/*
 * drctl conn show|flush. A connection dump can hold a million entries, so
 * each one is printed as it arrives instead of being collected first.
 */
#include <string.h>

#include "conn.h"
#include "dispatch.h"
#include "output.h"

const char conn_usage[] =
	"drctl conn show [tcp|udp VIP:PORT]\n"
	"drctl conn flush\n";

static const struct nla_policy conn_policy[DRLB_CONN_A_MAX + 1] = {
	[DRLB_CONN_A_AF]	= { .type = NLA_U16 },
	[DRLB_CONN_A_PROTOCOL]	= { .type = NLA_U8 },
	[DRLB_CONN_A_CADDR]	= { .minlen = 16 },
	[DRLB_CONN_A_CPORT]	= { .type = NLA_U16 },
	[DRLB_CONN_A_VADDR]	= { .minlen = 16 },
	[DRLB_CONN_A_VPORT]	= { .type = NLA_U16 },
	[DRLB_CONN_A_DADDR]	= { .minlen = 16 },
	[DRLB_CONN_A_STATE]	= { .type = NLA_U8 },
	[DRLB_CONN_A_EXPIRES]	= { .type = NLA_U32 },
};

static int conn_from_attrs(struct nlattr *nest, struct conn_info *c)
{
	struct nlattr *tb[DRLB_CONN_A_MAX + 1];

	if (!nest || nla_parse_nested(tb, DRLB_CONN_A_MAX, nest, conn_policy))
		return -EBADMSG;
	if (!tb[DRLB_CONN_A_AF] || !tb[DRLB_CONN_A_PROTOCOL] ||
	    !tb[DRLB_CONN_A_CPORT] || !tb[DRLB_CONN_A_VPORT] ||
	    drlb_get_addr(tb[DRLB_CONN_A_CADDR], &c->caddr) ||
	    drlb_get_addr(tb[DRLB_CONN_A_VADDR], &c->vaddr) ||
	    drlb_get_addr(tb[DRLB_CONN_A_DADDR], &c->daddr))
		return -EBADMSG;
	c->af = nla_get_u16(tb[DRLB_CONN_A_AF]);
	c->protocol = nla_get_u8(tb[DRLB_CONN_A_PROTOCOL]);
	c->cport = ntohs(nla_get_u16(tb[DRLB_CONN_A_CPORT]));
	c->vport = ntohs(nla_get_u16(tb[DRLB_CONN_A_VPORT]));
	c->state = tb[DRLB_CONN_A_STATE] ? nla_get_u8(tb[DRLB_CONN_A_STATE]) : 0;
	c->expires = drlb_get_u32(tb[DRLB_CONN_A_EXPIRES]);
	return 0;
}

static int conn_reply(struct nlattr **tb, void *arg)
{
	struct conn_info c;
	int err;

	memset(&c, 0, sizeof(c));
	err = conn_from_attrs(tb[DRLB_A_CONN], &c);
	if (!err)
		output_conn(arg, &c);
	return err;
}

static int conn_show(struct drctl *ctx, int argc, char **argv)
{
	struct nl_msg *msg;
	struct nlattr *nest;
	struct svc_key key;
	struct out out;
	int ret;

	if (argc) {
		ret = parse_svc_key(ctx, argc, argv, &key);
		if (ret)
			return ret;
		if (argc > 2) {
			drctl_err(ctx, "unexpected '%s'", argv[2]);
			return DRCTL_USAGE;
		}
	}
	msg = drlb_msg_new(ctx, DRLB_CMD_CONN_GET, NLM_F_DUMP);
	if (!msg)
		return DRCTL_FAIL;
	nest = argc ? drlb_nest_key(msg, &key) : NULL;
	if (argc && !nest) {
		nlmsg_free(msg);
		drctl_err(ctx, "out of memory");
		return DRCTL_FAIL;
	}
	if (nest)
		nla_nest_end(msg, nest);
	output_conns_begin(&out, ctx);
	ret = drlb_request(ctx, msg, conn_reply, &out);
	output_conns_end(&out);
	return ret;
}

static int conn_flush(struct drctl *ctx, int argc, char **argv)
{
	if (argc) {
		drctl_err(ctx, "unexpected '%s': conn flush takes no arguments", argv[0]);
		return DRCTL_USAGE;
	}
	if (ctx->dry_run)
		return DRCTL_OK;
	return drlb_simple(ctx, DRLB_CMD_CONN_FLUSH);
}

static const struct drctl_cmd conn_cmds[] = {
	{ .name = "show", .run = conn_show },
	{ .name = "flush", .run = conn_flush, .full_word = true },
	{ 0 },
};

int conn_main(struct drctl *ctx, int argc, char **argv)
{
	return drctl_dispatch(ctx, "conn", conn_usage, conn_cmds, argc, argv);
}
