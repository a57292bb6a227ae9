// SPDX-License-Identifier: GPL-2.0
/*
 * drctl config show|set: timeouts, the connection table bound, the site
 * seed, fleet membership, global counters.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "dispatch.h"
#include "output.h"
#include "service.h"

const char config_usage[] =
	"drctl config show\n"
	"drctl config set [tcp SECS] [tcpfin SECS] [tcpclose SECS] [udp SECS] [conn-max N]\n"
	"                 [service-max N] [backend-max N] [seed HEX32] [fleet on|off]\n";

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
	{ "service-max", DRLB_CFG_A_SERVICE_MAX, DRCTL_SERVICE_MAX_LIMIT },
	{ "backend-max", DRLB_CFG_A_BACKEND_MAX, DRCTL_BACKEND_MAX_LIMIT },
	{ "seed", DRLB_CFG_A_SEED, 0 },
	{ "fleet", DRLB_CFG_A_FLEET, 1 },
};

static const struct nla_policy config_policy[DRLB_CFG_A_MAX + 1] = {
	[DRLB_CFG_A_TIMEOUT_TCP]	= { .type = NLA_U32 },
	[DRLB_CFG_A_TIMEOUT_TCP_FIN]	= { .type = NLA_U32 },
	[DRLB_CFG_A_TIMEOUT_TCP_CLOSE]	= { .type = NLA_U32 },
	[DRLB_CFG_A_TIMEOUT_UDP]	= { .type = NLA_U32 },
	[DRLB_CFG_A_CONN_MAX]		= { .type = NLA_U32 },
	[DRLB_CFG_A_CONN_COUNT]		= { .type = NLA_U32 },
	[DRLB_CFG_A_VERSION]		= { .type = NLA_STRING },
	[DRLB_CFG_A_SERVICE_MAX]	= { .type = NLA_U32 },
	[DRLB_CFG_A_BACKEND_MAX]	= { .type = NLA_U32 },
	[DRLB_CFG_A_SEED]		= { .minlen = DRCTL_SEED_LEN },
	[DRLB_CFG_A_FLEET]		= { .type = NLA_U8 },
};

bool config_seed_is_default(const uint8_t *seed)
{
	for (int i = 0; i < DRCTL_SEED_LEN; i++)
		if (seed[i])
			return false;
	return true;
}

/* @hex: room for 2 * DRCTL_SEED_LEN + 1 characters. */
void config_seed_format(const uint8_t *seed, char *hex)
{
	for (int i = 0; i < DRCTL_SEED_LEN; i++)
		sprintf(hex + 2 * i, "%02x", seed[i]);
}

static int config_seed_parse(const struct drctl *ctx, const char *word, uint8_t *seed)
{
	if (strlen(word) != 2 * DRCTL_SEED_LEN)
		goto bad;
	for (int i = 0; i < DRCTL_SEED_LEN; i++) {
		unsigned int byte;

		if (!isxdigit((unsigned char)word[2 * i]) ||
		    !isxdigit((unsigned char)word[2 * i + 1]) ||
		    sscanf(word + 2 * i, "%2x", &byte) != 1)
			goto bad;
		seed[i] = byte;
	}
	return 0;
bad:
	drctl_err(ctx, "invalid seed '%s' (32 hex digits, the same on every director of a site)",
		  word);
	return -1;
}

/* One director of several (behind ECMP or VRRP), or the only one. */
static int config_fleet_parse(const struct drctl *ctx, const char *word, uint32_t *val)
{
	if (!strcmp(word, "on") || !strcmp(word, "off")) {
		*val = !strcmp(word, "on");
		return 0;
	}
	drctl_err(ctx, "invalid fleet '%s' (on: one director of several, behind ECMP or VRRP; off)",
		  word);
	return -1;
}

#define CONFIG_KEY_NAMES_LEN	128

/* "tcp, tcpfin, ... seed or fleet": config set's keys, as messages list them. */
static const char *config_key_names(char *buf)
{
	size_t n = ARRAY_SIZE(config_keys), off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && off < CONFIG_KEY_NAMES_LEN; i++)
		off += snprintf(buf + off, CONFIG_KEY_NAMES_LEN - off, "%s%s",
				!i ? "" : i + 1 == n ? " or " : ", ", config_keys[i].name);
	return buf;
}

static const struct config_key *config_key(const struct drctl *ctx, const char *word)
{
	char names[CONFIG_KEY_NAMES_LEN];

	for (size_t i = 0; i < ARRAY_SIZE(config_keys); i++)
		if (!strcmp(word, config_keys[i].name))
			return &config_keys[i];
	drctl_err(ctx, "unexpected '%s' (%s)", word, config_key_names(names));
	return NULL;
}

/*
 * [tcp SECS] ... [conn-max N] [service-max N] [backend-max N] [seed HEX32]
 * [fleet on|off], at least one
 */
int config_parse(const struct drctl *ctx, int argc, char **argv,
		 struct config_spec *spec)
{
	char names[CONFIG_KEY_NAMES_LEN];

	memset(spec, 0, sizeof(*spec));
	if (!argc) {
		drctl_err(ctx, "nothing to set: give %s", config_key_names(names));
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
		if (key->attr == DRLB_CFG_A_SEED) {
			if (config_seed_parse(ctx, argv[i + 1], spec->seed))
				return DRCTL_USAGE;
		} else if (key->attr == DRLB_CFG_A_FLEET) {
			if (config_fleet_parse(ctx, argv[i + 1], &spec->val[key->attr]))
				return DRCTL_USAGE;
		} else if (parse_u32(ctx, argv[i], argv[i + 1], 1, key->max,
				     &spec->val[key->attr])) {
			return DRCTL_USAGE;
		}
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
		if (!spec.has[attr])
			continue;
		if (attr == DRLB_CFG_A_SEED ? nla_put(msg, attr, DRCTL_SEED_LEN, spec.seed) :
		    attr == DRLB_CFG_A_FLEET ? nla_put_u8(msg, attr, spec.val[attr]) :
		    nla_put_u32(msg, attr, spec.val[attr]))
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

int config_from_reply(struct nlattr **tb, void *arg)
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
	cfg->service_max = drlb_get_u32(cfg_tb[DRLB_CFG_A_SERVICE_MAX]);
	cfg->backend_max = drlb_get_u32(cfg_tb[DRLB_CFG_A_BACKEND_MAX]);
	if (cfg_tb[DRLB_CFG_A_SEED])
		memcpy(cfg->seed, nla_data(cfg_tb[DRLB_CFG_A_SEED]), DRCTL_SEED_LEN);
	cfg->fleet = cfg_tb[DRLB_CFG_A_FLEET] && nla_get_u8(cfg_tb[DRLB_CFG_A_FLEET]);
	return drlb_parse_stats(tb[DRLB_A_STATS], &cfg->stats);
}

int config_get(struct drctl *ctx, struct config_info *cfg)
{
	struct nl_msg *msg = drlb_msg_new(ctx, DRLB_CMD_CONFIG_GET, 0);

	memset(cfg, 0, sizeof(*cfg));
	if (!msg)
		return DRCTL_FAIL;
	return drlb_request(ctx, msg, config_from_reply, cfg);
}

/*
 * The namespace's state as save, director check, metrics and top read it:
 * the configuration, then every service with its backends. On a failure
 * @list holds nothing to free.
 */
int config_and_services_get(struct drctl *ctx, struct config_info *cfg,
			    struct service_list *list)
{
	int ret;

	memset(list, 0, sizeof(*list));
	ret = config_get(ctx, cfg);
	if (!ret)
		ret = service_dump(ctx, NULL, list);
	if (ret)
		service_list_free(list);
	return ret;
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
