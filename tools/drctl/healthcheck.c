// SPDX-License-Identifier: GPL-2.0
/*
 * drctl check set|del|show. The words of a check are parsed and written by
 * drlbd's checkconf.c, so drctl, save and drlbd agree on them; this file
 * turns a check into the DRLB_SVC_A_CHECK nest the module keeps and back.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "healthcheck.h"
#include "dispatch.h"
#include "nl.h"
#include "output.h"
#include "service.h"

const char check_usage[] =
	"drctl check set  tcp|udp VIP:PORT TYPE [TYPE OPTIONS] [interval SECS] [timeout SECS]\n"
	"                 [rise N] [fall N] [port PORT] [on-down keep|expire] [alpha]\n"
	"                 [quorum N] [quorum-up 'COMMAND'] [quorum-down 'COMMAND']\n"
	"      TYPE: tcp | http [path PATH] [status CODE] [host NAME]\n"
	"          | https [path PATH] [status CODE] [host NAME] [sni NAME] [verify]\n"
	"          | dns [query NAME] [qtype A|AAAA] | exec COMMAND [ARG...]\n"
	"drctl check del  tcp|udp VIP:PORT\n"
	"drctl check show [tcp|udp VIP:PORT]   (per backend: health, since when, why)\n";

static const struct nla_policy check_policy[DRLB_CHECK_A_MAX + 1] = {
	[DRLB_CHECK_A_TYPE]	= { .type = NLA_U8 },
	[DRLB_CHECK_A_INTERVAL]	= { .type = NLA_U32 },
	[DRLB_CHECK_A_TIMEOUT]	= { .type = NLA_U32 },
	[DRLB_CHECK_A_RISE]	= { .type = NLA_U32 },
	[DRLB_CHECK_A_FALL]	= { .type = NLA_U32 },
	[DRLB_CHECK_A_PORT]	= { .type = NLA_U16 },
	[DRLB_CHECK_A_ON_DOWN]	= { .type = NLA_U8 },
	[DRLB_CHECK_A_ALPHA]	= { .type = NLA_FLAG },
	[DRLB_CHECK_A_QUORUM]	= { .type = NLA_U32 },
	[DRLB_CHECK_A_STATUS]	= { .type = NLA_U32 },
	[DRLB_CHECK_A_VERIFY]	= { .type = NLA_FLAG },
	[DRLB_CHECK_A_QTYPE]	= { .type = NLA_U16 },
};

/* The bytes of exec's words, each with its NUL. */
static size_t exec_words_len(const struct drlbd_check *check)
{
	size_t len = 0;

	for (uint32_t i = 0; i < check->exec_argc; i++)
		len += strlen(check->exec_words + len) + 1;
	return len;
}

static int put_str(struct nl_msg *msg, int type, const char *s)
{
	return *s ? nla_put_string(msg, type, s) : 0;
}

/* The nest the module keeps for @check: every value, defaults too. */
int check_put(struct nl_msg *msg, const struct drlbd_check *check)
{
	struct nlattr *nest = nla_nest_start(msg, DRLB_SVC_A_CHECK | NLA_F_NESTED);
	bool http = check->type == DRLBD_CHECK_HTTP || check->type == DRLBD_CHECK_HTTPS;

	if (!nest ||
	    nla_put_u8(msg, DRLB_CHECK_A_TYPE, check->type) ||
	    nla_put_u32(msg, DRLB_CHECK_A_INTERVAL, check->interval_ms) ||
	    nla_put_u32(msg, DRLB_CHECK_A_TIMEOUT, check->timeout_ms) ||
	    nla_put_u32(msg, DRLB_CHECK_A_RISE, check->rise) ||
	    nla_put_u32(msg, DRLB_CHECK_A_FALL, check->fall) ||
	    (check->port && nla_put_u16(msg, DRLB_CHECK_A_PORT, htons(check->port))) ||
	    nla_put_u8(msg, DRLB_CHECK_A_ON_DOWN, check->on_down_expire ?
		       DRLB_ON_DOWN_EXPIRE : DRLB_ON_DOWN_KEEP) ||
	    (check->alpha && nla_put_flag(msg, DRLB_CHECK_A_ALPHA)) ||
	    (check->quorum && nla_put_u32(msg, DRLB_CHECK_A_QUORUM, check->quorum)) ||
	    put_str(msg, DRLB_CHECK_A_QUORUM_UP, check->quorum_up) ||
	    put_str(msg, DRLB_CHECK_A_QUORUM_DOWN, check->quorum_down))
		return -1;
	if (http && (put_str(msg, DRLB_CHECK_A_PATH, check->path) ||
		     nla_put_u32(msg, DRLB_CHECK_A_STATUS, check->status) ||
		     put_str(msg, DRLB_CHECK_A_HOST, check->host)))
		return -1;
	if (check->type == DRLBD_CHECK_HTTPS &&
	    (put_str(msg, DRLB_CHECK_A_SNI, check->sni) ||
	     (check->verify && nla_put_flag(msg, DRLB_CHECK_A_VERIFY))))
		return -1;
	if (check->type == DRLBD_CHECK_DNS &&
	    (put_str(msg, DRLB_CHECK_A_QUERY, check->query) ||
	     nla_put_u16(msg, DRLB_CHECK_A_QTYPE, check->qtype)))
		return -1;
	if (check->type == DRLBD_CHECK_EXEC &&
	    nla_put(msg, DRLB_CHECK_A_ARGV, exec_words_len(check), check->exec_words))
		return -1;
	nla_nest_end(msg, nest);
	return 0;
}

static void get_str(struct nlattr **tb, int type, char *dst, size_t len)
{
	if (tb[type])
		nla_strlcpy(dst, tb[type], len);
}

/* The check in a service's DRLB_SVC_A_CHECK nest; -1 if it is none. */
int check_from_nest(const struct nlattr *nest, struct drlbd_check *check)
{
	struct nlattr *tb[DRLB_CHECK_A_MAX + 1];
	char err[256];

	drlbd_check_init(check);
	if (!nest || !nla_len(nest) ||
	    nla_parse_nested(tb, DRLB_CHECK_A_MAX, (struct nlattr *)nest, check_policy) ||
	    !tb[DRLB_CHECK_A_TYPE])
		return -1;
	check->type = nla_get_u8(tb[DRLB_CHECK_A_TYPE]);
	if (tb[DRLB_CHECK_A_INTERVAL])
		check->interval_ms = nla_get_u32(tb[DRLB_CHECK_A_INTERVAL]);
	if (tb[DRLB_CHECK_A_TIMEOUT])
		check->timeout_ms = nla_get_u32(tb[DRLB_CHECK_A_TIMEOUT]);
	if (tb[DRLB_CHECK_A_RISE])
		check->rise = nla_get_u32(tb[DRLB_CHECK_A_RISE]);
	if (tb[DRLB_CHECK_A_FALL])
		check->fall = nla_get_u32(tb[DRLB_CHECK_A_FALL]);
	if (tb[DRLB_CHECK_A_PORT])
		check->port = ntohs(nla_get_u16(tb[DRLB_CHECK_A_PORT]));
	check->on_down_expire = tb[DRLB_CHECK_A_ON_DOWN] &&
				nla_get_u8(tb[DRLB_CHECK_A_ON_DOWN]) == DRLB_ON_DOWN_EXPIRE;
	check->alpha = tb[DRLB_CHECK_A_ALPHA];
	if (tb[DRLB_CHECK_A_QUORUM])
		check->quorum = nla_get_u32(tb[DRLB_CHECK_A_QUORUM]);
	get_str(tb, DRLB_CHECK_A_QUORUM_UP, check->quorum_up, sizeof(check->quorum_up));
	get_str(tb, DRLB_CHECK_A_QUORUM_DOWN, check->quorum_down, sizeof(check->quorum_down));
	get_str(tb, DRLB_CHECK_A_PATH, check->path, sizeof(check->path));
	if (tb[DRLB_CHECK_A_STATUS])
		check->status = nla_get_u32(tb[DRLB_CHECK_A_STATUS]);
	get_str(tb, DRLB_CHECK_A_HOST, check->host, sizeof(check->host));
	get_str(tb, DRLB_CHECK_A_SNI, check->sni, sizeof(check->sni));
	check->verify = tb[DRLB_CHECK_A_VERIFY];
	get_str(tb, DRLB_CHECK_A_QUERY, check->query, sizeof(check->query));
	if (tb[DRLB_CHECK_A_QTYPE])
		check->qtype = nla_get_u16(tb[DRLB_CHECK_A_QTYPE]);
	if (tb[DRLB_CHECK_A_ARGV]) {
		int len = nla_len(tb[DRLB_CHECK_A_ARGV]);
		const char *words = nla_data(tb[DRLB_CHECK_A_ARGV]);

		if (len <= 0 || (size_t)len > sizeof(check->exec_words) || words[len - 1])
			return -1;
		memcpy(check->exec_words, words, len);
		for (int i = 0; i < len; i++)
			check->exec_argc += !words[i];
	}
	/* A nest this drctl cannot run as a check is one it cannot show either. */
	return drlbd_check_validate(check, err, sizeof(err)) ? -1 : 0;
}

/* SERVICE_SET with @check's nest, or an empty one to remove the check. */
static int check_send(struct drctl *ctx, const struct svc_key *key,
		      const struct drlbd_check *check)
{
	struct nl_msg *msg = drlb_msg_new(ctx, DRLB_CMD_SERVICE_SET, 0);
	struct nlattr *nest;

	if (!msg)
		return DRCTL_FAIL;
	nest = drlb_nest_key(msg, key);
	if (!nest)
		goto nomem;
	if (check) {
		if (check_put(msg, check))
			goto nomem;
	} else if (nla_put(msg, DRLB_SVC_A_CHECK | NLA_F_NESTED, 0, NULL)) {
		/* Not nla_nest_end(): libnl drops a nest left empty. */
		goto nomem;
	}
	nla_nest_end(msg, nest);
	return drlb_request(ctx, msg, NULL, NULL);
nomem:
	nlmsg_free(msg);
	drctl_err(ctx, "out of memory");
	return DRCTL_FAIL;
}

static int check_set(struct drctl *ctx, int argc, char **argv)
{
	struct drlbd_check check;
	struct svc_key key;
	char err[256];
	int ret;

	ret = parse_svc_key(ctx, argc, argv, &key);
	if (ret)
		return ret;
	if (argc < 3) {
		drctl_err(ctx, "missing check type after the service (tcp, http, https, dns or exec)");
		return DRCTL_USAGE;
	}
	if (drlbd_check_parse(&check, argc - 2, argv + 2, err, sizeof(err))) {
		drctl_err(ctx, "%s", err);
		return DRCTL_USAGE;
	}
	if (ctx->dry_run)
		return DRCTL_OK;
	return check_send(ctx, &key, &check);
}

static int check_del(struct drctl *ctx, int argc, char **argv)
{
	struct svc_key key;
	int ret;

	ret = parse_svc_key(ctx, argc, argv, &key);
	if (ret)
		return ret;
	if (argc > 2) {
		drctl_err(ctx, "unexpected '%s': check del takes the service only", argv[2]);
		return DRCTL_USAGE;
	}
	if (ctx->dry_run)
		return DRCTL_OK;
	return check_send(ctx, &key, NULL);
}

static int check_show(struct drctl *ctx, int argc, char **argv)
{
	struct service_list list;
	struct svc_key key;
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
	ret = service_dump(ctx, argc ? &key : NULL, &list);
	if (!ret)
		output_checks(ctx, &list);
	service_list_free(&list);
	return ret;
}

static const struct drctl_cmd check_cmds[] = {
	{ .name = "set", .run = check_set },
	{ .name = "del", .run = check_del },
	{ .name = "show", .run = check_show },
	{ 0 },
};

int check_main(struct drctl *ctx, int argc, char **argv)
{
	return drctl_dispatch(ctx, "check", check_usage, check_cmds, argc, argv);
}
