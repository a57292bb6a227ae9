// SPDX-License-Identifier: GPL-2.0
/* drctl config show|set: timeouts, the connection table bound, global counters. */
#include <string.h>

#include "config.h"
#include "dispatch.h"
#include "output.h"

const char config_usage[] =
	"drctl config show\n"
	"drctl config set [tcp SECS] [tcpfin SECS] [tcpclose SECS] [udp SECS] [conn-max N]\n";

static const struct config_key {
	const char *name;
	int attr;
	uint32_t max;
} config_keys[] = {
	{ "tcp", DRLB_CFG_A_TIMEOUT_TCP, DRCTL_TIMEOUT_MAX },
	{ "tcpfin", DRLB_CFG_A_TIMEOUT_TCP_FIN, DRCTL_TIMEOUT_MAX },
	{ "tcpclose", DRLB_CFG_A_TIMEOUT_TCP_CLOSE, DRCTL_TIMEOUT_MAX },
	{ "udp", DRLB_CFG_A_TIMEOUT_UDP, DRCTL_TIMEOUT_MAX },
	{ "conn-max", DRLB_CFG_A_CONN_MAX, DRCTL_CONN_MAX_LIMIT },
};

static const struct nla_policy config_policy[DRLB_CFG_A_MAX + 1] = {
	[DRLB_CFG_A_TIMEOUT_TCP]	= { .type = NLA_U32 },
	[DRLB_CFG_A_TIMEOUT_TCP_FIN]	= { .type = NLA_U32 },
	[DRLB_CFG_A_TIMEOUT_TCP_CLOSE]	= { .type = NLA_U32 },
	[DRLB_CFG_A_TIMEOUT_UDP]	= { .type = NLA_U32 },
	[DRLB_CFG_A_CONN_MAX]		= { .type = NLA_U32 },
	[DRLB_CFG_A_CONN_COUNT]		= { .type = NLA_U32 },
	[DRLB_CFG_A_VERSION]		= { .type = NLA_STRING },
};

static const struct config_key *config_key(const struct drctl *ctx, const char *word)
{
	for (size_t i = 0; i < ARRAY_SIZE(config_keys); i++)
		if (!strcmp(word, config_keys[i].name))
			return &config_keys[i];
	drctl_err(ctx, "unexpected '%s' (tcp, tcpfin, tcpclose, udp or conn-max)", word);
	return NULL;
}

/* [tcp SECS] [tcpfin SECS] [tcpclose SECS] [udp SECS] [conn-max N], at least one */
int config_parse(const struct drctl *ctx, int argc, char **argv,
		 struct config_spec *spec)
{
	memset(spec, 0, sizeof(*spec));
	if (!argc) {
		drctl_err(ctx, "nothing to set: give tcp, tcpfin, tcpclose, udp or conn-max");
		return DRCTL_USAGE;
	}
	for (int i = 0; i < argc; i += 2) {
		const struct config_key *key = config_key(ctx, argv[i]);

		if (!key)
			return DRCTL_USAGE;
		if (i + 1 == argc) {
			drctl_err(ctx, "'%s' needs a value", argv[i]);
			return DRCTL_USAGE;
		}
		if (parse_u32(ctx, argv[i], argv[i + 1], 1, key->max, &spec->val[key->attr]))
			return DRCTL_USAGE;
		spec->has[key->attr] = true;
	}
	return DRCTL_OK;
}

static int config_set(struct drctl *ctx, int argc, char **argv)
{
	struct config_spec spec;
	struct nlattr *nest;
	struct nl_msg *msg;
	int ret = config_parse(ctx, argc, argv, &spec);

	if (ret || ctx->dry_run)
		return ret;
	msg = drlb_msg_new(ctx, DRLB_CMD_CONFIG_SET, 0);
	if (!msg)
		return DRCTL_FAIL;
	nest = nla_nest_start(msg, DRLB_A_CONFIG | NLA_F_NESTED);
	for (int attr = 1; nest && attr <= DRLB_CFG_A_MAX; attr++) {
		if (spec.has[attr] && nla_put_u32(msg, attr, spec.val[attr]))
			nest = NULL;
	}
	if (!nest) {
		nlmsg_free(msg);
		drctl_err(ctx, "out of memory");
		return DRCTL_FAIL;
	}
	nla_nest_end(msg, nest);
	return drlb_request(ctx, msg, NULL, NULL);
}

static int config_reply(struct nlattr **tb, void *arg)
{
	struct nlattr *cfg_tb[DRLB_CFG_A_MAX + 1];
	struct config_info *cfg = arg;

	if (!tb[DRLB_A_CONFIG] ||
	    nla_parse_nested(cfg_tb, DRLB_CFG_A_MAX, tb[DRLB_A_CONFIG], config_policy))
		return -EBADMSG;
	if (cfg_tb[DRLB_CFG_A_VERSION])
		nla_strlcpy(cfg->version, cfg_tb[DRLB_CFG_A_VERSION], sizeof(cfg->version));
	cfg->tcp = drlb_get_u32(cfg_tb[DRLB_CFG_A_TIMEOUT_TCP]);
	cfg->tcpfin = drlb_get_u32(cfg_tb[DRLB_CFG_A_TIMEOUT_TCP_FIN]);
	cfg->tcpclose = drlb_get_u32(cfg_tb[DRLB_CFG_A_TIMEOUT_TCP_CLOSE]);
	cfg->udp = drlb_get_u32(cfg_tb[DRLB_CFG_A_TIMEOUT_UDP]);
	cfg->conn_max = drlb_get_u32(cfg_tb[DRLB_CFG_A_CONN_MAX]);
	cfg->conn_count = drlb_get_u32(cfg_tb[DRLB_CFG_A_CONN_COUNT]);
	return drlb_parse_stats(tb[DRLB_A_STATS], &cfg->stats);
}

int config_get(struct drctl *ctx, struct config_info *cfg)
{
	struct nl_msg *msg = drlb_msg_new(ctx, DRLB_CMD_CONFIG_GET, 0);

	memset(cfg, 0, sizeof(*cfg));
	if (!msg)
		return DRCTL_FAIL;
	return drlb_request(ctx, msg, config_reply, cfg);
}

static int config_show(struct drctl *ctx, int argc, char **argv)
{
	struct config_info cfg;
	int ret;

	if (argc) {
		drctl_err(ctx, "unexpected '%s': config show takes no arguments", argv[0]);
		return DRCTL_USAGE;
	}
	ret = config_get(ctx, &cfg);
	if (!ret)
		output_config(ctx, &cfg);
	return ret;
}

static const struct drctl_cmd config_cmds[] = {
	{ .name = "show", .run = config_show },
	{ .name = "set", .run = config_set },
	{ 0 },
};

int config_main(struct drctl *ctx, int argc, char **argv)
{
	return drctl_dispatch(ctx, "config", config_usage, config_cmds, argc, argv);
}
