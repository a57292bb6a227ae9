// SPDX-License-Identifier: GPL-2.0
/* drctl backend add|set|del: the real servers behind a service. */
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "host.h"
#include "dispatch.h"

const char backend_usage[] =
	"drctl backend add  tcp|udp VIP:PORT RIP [weight N]   (N 0..65535, default 1)\n"
	"drctl backend set  tcp|udp VIP:PORT RIP [weight N] [health up|down [reason TEXT]]\n"
	"                   (health: what drlbd sets; a down backend takes no new connections)\n"
	"drctl backend del  tcp|udp VIP:PORT RIP\n";

static const struct nla_policy backend_policy[DRLB_BE_A_MAX + 1] = {
	[DRLB_BE_A_ADDR]	= { .minlen = 16 },
	[DRLB_BE_A_WEIGHT]	= { .type = NLA_U32 },
	[DRLB_BE_A_ACTIVE]	= { .type = NLA_U32 },
	[DRLB_BE_A_INACTIVE]	= { .type = NLA_U32 },
	[DRLB_BE_A_IFINDEX]	= { .type = NLA_U32 },
	[DRLB_BE_A_STATS]	= { .type = NLA_NESTED },
	[DRLB_BE_A_HEALTH]	= { .type = NLA_U8 },
	[DRLB_BE_A_HEALTH_AGE]	= { .type = NLA_U32 },
	[DRLB_BE_A_HEALTH_REASON] = { .type = NLA_STRING, .maxlen = DRLB_HEALTH_REASON_MAX },
};

static int backend_option(const struct drctl *ctx, const char *key, const char *val,
			  struct backend_spec *spec)
{
	if (strcmp(key, "weight") && strcmp(key, "health") && strcmp(key, "reason")) {
		drctl_err(ctx, "unexpected '%s' (weight, health or reason)", key);
		return DRCTL_USAGE;
	}
	if (!val) {
		drctl_err(ctx, "'%s' needs a value", key);
		return DRCTL_USAGE;
	}
	if (!strcmp(key, "weight")) {
		spec->has_weight = true;
		return parse_u32(ctx, "weight", val, 0, DRLB_WEIGHT_MAX, &spec->weight);
	}
	if (!strcmp(key, "reason")) {
		if (strlen(val) >= sizeof(spec->reason)) {
			drctl_err(ctx, "reason: longer than %zu characters",
				  sizeof(spec->reason) - 1);
			return DRCTL_USAGE;
		}
		memcpy(spec->reason, val, strlen(val) + 1);
		return DRCTL_OK;
	}
	spec->has_health = true;
	if (!strcmp(val, "up") || !strcmp(val, "down")) {
		spec->health = val[0] == 'u' ? DRLB_HEALTH_UP : DRLB_HEALTH_DOWN;
		return DRCTL_OK;
	}
	drctl_err(ctx, "invalid health '%s' (up or down)", val);
	return DRCTL_USAGE;
}

/* tcp|udp VIP:PORT RIP [weight N] [health up|down [reason TEXT]] */
int backend_parse(const struct drctl *ctx, int argc, char **argv,
		  struct backend_spec *spec)
{
	int ret;

	memset(spec, 0, sizeof(*spec));
	ret = parse_svc_key(ctx, argc, argv, &spec->key);
	if (ret)
		return ret;
	if (argc < 3) {
		drctl_err(ctx, "missing backend address after the service");
		return DRCTL_USAGE;
	}
	ret = parse_backend_addr(ctx, argv[2], &spec->key, &spec->addr);
	for (int i = 3; !ret && i < argc; i += 2)
		ret = backend_option(ctx, argv[i], i + 1 < argc ? argv[i + 1] : NULL, spec);
	if (!ret && spec->reason[0] && !spec->has_health) {
		drctl_err(ctx, "'reason' goes with 'health up|down'");
		return DRCTL_USAGE;
	}
	return ret;
}

/* The request for @spec: drctl's backend commands, and drlbd's health. */
int backend_send(struct drctl *ctx, uint8_t cmd, const struct backend_spec *spec)
{
	struct nl_msg *msg = drlb_msg_new(ctx, cmd, 0);
	struct nlattr *nest;

	if (!msg)
		return DRCTL_FAIL;
	nest = drlb_nest_key(msg, &spec->key);
	if (!nest)
		goto nomem;
	nla_nest_end(msg, nest);
	nest = nla_nest_start(msg, DRLB_A_BACKEND | NLA_F_NESTED);
	if (!nest ||
	    nla_put(msg, DRLB_BE_A_ADDR, sizeof(spec->addr.raw), spec->addr.raw) ||
	    (spec->has_weight && nla_put_u32(msg, DRLB_BE_A_WEIGHT, spec->weight)) ||
	    (spec->has_health && nla_put_u8(msg, DRLB_BE_A_HEALTH, spec->health)) ||
	    (spec->reason[0] && nla_put_string(msg, DRLB_BE_A_HEALTH_REASON, spec->reason)))
		goto nomem;
	nla_nest_end(msg, nest);
	return drlb_request(ctx, msg, NULL, NULL);
nomem:
	nlmsg_free(msg);
	drctl_err(ctx, "out of memory");
	return DRCTL_FAIL;
}

static int backend_add(struct drctl *ctx, int argc, char **argv)
{
	struct backend_spec spec;
	struct route_info ri;
	int ret = backend_parse(ctx, argc, argv, &spec);

	if (ret)
		return ret;
	if (spec.has_health) {
		drctl_err(ctx, "health is set on a backend that exists: backend set");
		return DRCTL_USAGE;
	}
	ret = onlink_check(ctx, spec.key.af, &spec.addr, &ri);
	if (ret || ctx->dry_run)
		return ret;
	if (!spec.has_weight) {
		spec.has_weight = true;
		spec.weight = 1;
	}
	return backend_send(ctx, DRLB_CMD_BACKEND_NEW, &spec);
}

static int backend_set(struct drctl *ctx, int argc, char **argv)
{
	struct backend_spec spec;
	int ret = backend_parse(ctx, argc, argv, &spec);

	if (ret)
		return ret;
	if (!spec.has_weight && !spec.has_health) {
		drctl_err(ctx, "nothing to set: give weight N or health up|down");
		return DRCTL_USAGE;
	}
	if (ctx->dry_run)
		return DRCTL_OK;
	return backend_send(ctx, DRLB_CMD_BACKEND_SET, &spec);
}

static int backend_del(struct drctl *ctx, int argc, char **argv)
{
	struct backend_spec spec;
	int ret = backend_parse(ctx, argc, argv, &spec);

	if (ret)
		return ret;
	if (spec.has_weight || spec.has_health) {
		drctl_err(ctx, "unexpected '%s': del takes the backend address only",
			  spec.has_weight ? "weight" : "health");
		return DRCTL_USAGE;
	}
	if (ctx->dry_run)
		return DRCTL_OK;
	return backend_send(ctx, DRLB_CMD_BACKEND_DEL, &spec);
}

int backend_from_attrs(struct nlattr *nest, struct backend_info *be)
{
	struct nlattr *tb[DRLB_BE_A_MAX + 1];

	if (!nest || nla_parse_nested(tb, DRLB_BE_A_MAX, nest, backend_policy) ||
	    drlb_get_addr(tb[DRLB_BE_A_ADDR], &be->addr))
		return -EBADMSG;
	be->weight = drlb_get_u32(tb[DRLB_BE_A_WEIGHT]);
	be->active = drlb_get_u32(tb[DRLB_BE_A_ACTIVE]);
	be->inactive = drlb_get_u32(tb[DRLB_BE_A_INACTIVE]);
	be->health = tb[DRLB_BE_A_HEALTH] ? nla_get_u8(tb[DRLB_BE_A_HEALTH]) : 0;
	be->health_age = drlb_get_u32(tb[DRLB_BE_A_HEALTH_AGE]);
	be->health_reason[0] = '\0';
	if (tb[DRLB_BE_A_HEALTH_REASON])
		nla_strlcpy(be->health_reason, tb[DRLB_BE_A_HEALTH_REASON],
			    sizeof(be->health_reason));
	return drlb_parse_stats(tb[DRLB_BE_A_STATS], &be->stats);
}

static int backend_reply(struct nlattr **tb, void *arg)
{
	struct service_info *svc = arg;
	struct backend_info *bes;
	int err;

	bes = realloc(svc->backends, (svc->backend_count + 1) * sizeof(*bes));
	if (!bes)
		return -ENOMEM;
	svc->backends = bes;
	memset(&bes[svc->backend_count], 0, sizeof(*bes));
	err = backend_from_attrs(tb[DRLB_A_BACKEND], &bes[svc->backend_count]);
	if (!err)
		svc->backend_count++;
	return err;
}

/* Fills svc->backends with DRLB_CMD_BACKEND_GET, in dump order. */
int backend_dump(struct drctl *ctx, struct service_info *svc)
{
	struct nl_msg *msg = drlb_msg_new(ctx, DRLB_CMD_BACKEND_GET, NLM_F_DUMP);
	struct nlattr *nest;

	if (!msg)
		return DRCTL_FAIL;
	nest = drlb_nest_key(msg, &svc->key);
	if (!nest) {
		nlmsg_free(msg);
		drctl_err(ctx, "out of memory");
		return DRCTL_FAIL;
	}
	nla_nest_end(msg, nest);
	return drlb_request(ctx, msg, backend_reply, svc);
}

static const struct drctl_cmd backend_cmds[] = {
	{ .name = "add", .run = backend_add },
	{ .name = "set", .run = backend_set },
	{ .name = "del", .run = backend_del },
	{ 0 },
};

int backend_main(struct drctl *ctx, int argc, char **argv)
{
	return drctl_dispatch(ctx, "backend", backend_usage, backend_cmds, argc, argv);
}
