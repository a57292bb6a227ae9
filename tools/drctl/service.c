// SPDX-License-Identifier: GPL-2.0
/* drctl service add|set|del|show, and drctl flush. */
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "dispatch.h"
#include "output.h"
#include "healthcheck.h"
#include "service.h"

const char service_usage[] =
	"drctl service add  tcp|udp VIP:PORT [sched rr|wrr|lc|wlc|sh|mh] [persist SECONDS] [mh-size PRIME]\n"
	"drctl service set  tcp|udp VIP:PORT [sched ...] [persist SECONDS] [mh-size PRIME]\n"
	"drctl service del  tcp|udp VIP:PORT\n"
	"drctl service show [tcp|udp VIP:PORT]\n";

static const char *const schedulers[] = { "rr", "wrr", "lc", "wlc", "sh", "mh", NULL };

static const struct nla_policy service_policy[DRLB_SVC_A_MAX + 1] = {
	[DRLB_SVC_A_AF]		= { .type = NLA_U16 },
	[DRLB_SVC_A_PROTOCOL]	= { .type = NLA_U8 },
	[DRLB_SVC_A_ADDR]	= { .minlen = 16 },
	[DRLB_SVC_A_PORT]	= { .type = NLA_U16 },
	[DRLB_SVC_A_SCHED]	= { .type = NLA_STRING, .maxlen = DRLB_SCHED_NAME_MAX },
	[DRLB_SVC_A_PERSIST]	= { .type = NLA_U32 },
	[DRLB_SVC_A_MH_SIZE]	= { .type = NLA_U32 },
	[DRLB_SVC_A_DIGEST]	= { .type = NLA_U32 },
	[DRLB_SVC_A_BACKENDS]	= { .type = NLA_U32 },
	[DRLB_SVC_A_STATS]	= { .type = NLA_NESTED },
	[DRLB_SVC_A_CHECK]	= { .type = NLA_NESTED },
};

static bool is_prime(uint32_t n)
{
	if (n < 2)
		return false;
	for (uint32_t d = 2; d * d <= n; d++)
		if (!(n % d))
			return false;
	return true;
}

static int parse_sched(const struct drctl *ctx, const char *s, char *sched)
{
	for (const char *const *name = schedulers; *name; name++) {
		if (!strcmp(s, *name)) {
			snprintf(sched, DRLB_SCHED_NAME_MAX, "%s", s);
			return DRCTL_OK;
		}
	}
	drctl_err(ctx, "invalid scheduler '%s' (rr, wrr, lc, wlc, sh or mh)", s);
	return DRCTL_USAGE;
}

static int parse_mh_size(const struct drctl *ctx, const char *s, uint32_t *size)
{
	if (parse_u32(ctx, "mh-size", s, 2, DRLB_MH_SIZE_MAX, size))
		return DRCTL_USAGE;
	if (is_prime(*size))
		return DRCTL_OK;
	drctl_err(ctx, "invalid mh-size '%s' (must be a prime, e.g. %u)", s,
		  DRLB_MH_SIZE_DEFAULT);
	return DRCTL_USAGE;
}

static int parse_option(const struct drctl *ctx, const char *key, const char *val,
			struct service_spec *spec)
{
	if (!strcmp(key, "sched"))
		return parse_sched(ctx, val, spec->sched);
	if (!strcmp(key, "persist")) {
		spec->has_persist = true;
		return parse_u32(ctx, "persist", val, 0, DRCTL_PERSIST_MAX, &spec->persist);
	}
	if (!strcmp(key, "mh-size")) {
		spec->has_mh_size = true;
		return parse_mh_size(ctx, val, &spec->mh_size);
	}
	drctl_err(ctx, "unexpected '%s' (sched, persist or mh-size)", key);
	return DRCTL_USAGE;
}

/* tcp|udp VIP:PORT [sched NAME] [persist SECONDS] [mh-size PRIME] */
int service_parse(const struct drctl *ctx, int argc, char **argv,
		  struct service_spec *spec)
{
	int ret;

	memset(spec, 0, sizeof(*spec));
	ret = parse_svc_key(ctx, argc, argv, &spec->key);
	for (int i = 2; !ret && i < argc; i += 2) {
		if (i + 1 == argc) {
			drctl_err(ctx, "'%s' needs a value", argv[i]);
			return DRCTL_USAGE;
		}
		ret = parse_option(ctx, argv[i], argv[i + 1], spec);
	}
	return ret;
}

static int parse_key_only(const struct drctl *ctx, int argc, char **argv,
			  struct svc_key *key)
{
	int ret = parse_svc_key(ctx, argc, argv, key);

	if (!ret && argc > 2) {
		drctl_err(ctx, "unexpected '%s'", argv[2]);
		return DRCTL_USAGE;
	}
	return ret;
}

static int service_send(struct drctl *ctx, uint8_t cmd, const struct service_spec *spec)
{
	struct nl_msg *msg = drlb_msg_new(ctx, cmd, 0);
	struct nlattr *nest;

	if (!msg)
		return DRCTL_FAIL;
	nest = drlb_nest_key(msg, &spec->key);
	if (!nest ||
	    (spec->sched[0] && nla_put_string(msg, DRLB_SVC_A_SCHED, spec->sched)) ||
	    (spec->has_persist && nla_put_u32(msg, DRLB_SVC_A_PERSIST, spec->persist)) ||
	    (spec->has_mh_size && nla_put_u32(msg, DRLB_SVC_A_MH_SIZE, spec->mh_size))) {
		nlmsg_free(msg);
		drctl_err(ctx, "out of memory");
		return DRCTL_FAIL;
	}
	nla_nest_end(msg, nest);
	return drlb_request(ctx, msg, NULL, NULL);
}

static int service_add(struct drctl *ctx, int argc, char **argv)
{
	struct service_spec spec;
	int ret = service_parse(ctx, argc, argv, &spec);

	if (ret || ctx->dry_run)
		return ret;
	return service_send(ctx, DRLB_CMD_SERVICE_NEW, &spec);
}

static int service_set(struct drctl *ctx, int argc, char **argv)
{
	struct service_spec spec;
	int ret = service_parse(ctx, argc, argv, &spec);

	if (ret)
		return ret;
	if (argc == 2) {
		drctl_err(ctx, "nothing to set: give sched, persist or mh-size");
		return DRCTL_USAGE;
	}
	if (ctx->dry_run)
		return DRCTL_OK;
	return service_send(ctx, DRLB_CMD_SERVICE_SET, &spec);
}

static int service_del(struct drctl *ctx, int argc, char **argv)
{
	struct service_spec spec = { 0 };
	int ret = parse_key_only(ctx, argc, argv, &spec.key);

	if (ret || ctx->dry_run)
		return ret;
	return service_send(ctx, DRLB_CMD_SERVICE_DEL, &spec);
}

int service_from_attrs(struct nlattr *nest, struct service_info *svc)
{
	struct nlattr *tb[DRLB_SVC_A_MAX + 1];

	if (!nest || nla_parse_nested(tb, DRLB_SVC_A_MAX, nest, service_policy))
		return -EBADMSG;
	if (!tb[DRLB_SVC_A_AF] || !tb[DRLB_SVC_A_PROTOCOL] || !tb[DRLB_SVC_A_PORT] ||
	    drlb_get_addr(tb[DRLB_SVC_A_ADDR], &svc->key.addr))
		return -EBADMSG;
	svc->key.af = nla_get_u16(tb[DRLB_SVC_A_AF]);
	svc->key.protocol = nla_get_u8(tb[DRLB_SVC_A_PROTOCOL]);
	svc->key.port = ntohs(nla_get_u16(tb[DRLB_SVC_A_PORT]));
	if (tb[DRLB_SVC_A_SCHED])
		nla_strlcpy(svc->sched, tb[DRLB_SVC_A_SCHED], sizeof(svc->sched));
	svc->persist = drlb_get_u32(tb[DRLB_SVC_A_PERSIST]);
	svc->mh_size = drlb_get_u32(tb[DRLB_SVC_A_MH_SIZE]);
	svc->backend_total = drlb_get_u32(tb[DRLB_SVC_A_BACKENDS]);
	svc->digest = drlb_get_u32(tb[DRLB_SVC_A_DIGEST]);
	if (tb[DRLB_SVC_A_CHECK] && nla_len(tb[DRLB_SVC_A_CHECK])) {
		svc->check = malloc(sizeof(*svc->check));
		if (!svc->check || check_from_nest(tb[DRLB_SVC_A_CHECK], svc->check)) {
			free(svc->check);
			svc->check = NULL;
			return -EBADMSG;
		}
	}
	return drlb_parse_stats(tb[DRLB_SVC_A_STATS], &svc->stats);
}

static int service_reply(struct nlattr **tb, void *arg)
{
	struct service_list *list = arg;
	struct service_info *svcs;
	int err;

	svcs = realloc(list->svcs, (list->count + 1) * sizeof(*svcs));
	if (!svcs)
		return -ENOMEM;
	list->svcs = svcs;
	memset(&svcs[list->count], 0, sizeof(*svcs));
	err = service_from_attrs(tb[DRLB_A_SERVICE], &svcs[list->count]);
	if (!err)
		list->count++;
	return err;
}

static int service_dump_once(struct drctl *ctx, const struct svc_key *filter,
			     struct service_list *list, bool backends)
{
	struct nl_msg *msg = drlb_msg_new(ctx, DRLB_CMD_SERVICE_GET, NLM_F_DUMP);
	struct nlattr *nest;
	int ret;

	memset(list, 0, sizeof(*list));
	if (!msg)
		return DRCTL_FAIL;
	if (filter) {
		nest = drlb_nest_key(msg, filter);
		if (!nest) {
			nlmsg_free(msg);
			drctl_err(ctx, "out of memory");
			return DRCTL_FAIL;
		}
		nla_nest_end(msg, nest);
	}
	ret = drlb_request(ctx, msg, service_reply, list);
	for (size_t i = 0; backends && !ret && i < list->count; i++)
		ret = backend_dump(ctx, &list->svcs[i]);
	return ret;
}

/* The services of @b have the rates of those of @a: no estimator run between. */
static bool service_rates_equal(const struct service_list *a, const struct service_list *b)
{
	if (a->count != b->count)
		return false;
	for (size_t i = 0; i < a->count; i++) {
		const struct drlb_stats *x = &a->svcs[i].stats, *y = &b->svcs[i].stats;

		if (x->rate_conns != y->rate_conns || x->rate_packets != y->rate_packets ||
		    x->rate_bytes != y->rate_bytes)
			return false;
	}
	return true;
}

/*
 * Every service (or the one matching filter) with its backends, in dump
 * order. With -r the services are dumped again after their backends: the
 * module's estimator (every 2 s) may have run between the two dumps, and
 * then a service's rates and its backends' come from different intervals,
 * so the whole is read again (at most three times).
 */
int service_dump(struct drctl *ctx, const struct svc_key *filter,
		 struct service_list *list)
{
	struct service_list again;
	int ret, tries = 3;

	for (;;) {
		ret = service_dump_once(ctx, filter, list, true);
		if (ret || !ctx->opts.rate || !--tries)
			return ret;
		ret = service_dump_once(ctx, filter, &again, false);
		if (!ret && service_rates_equal(list, &again)) {
			service_list_free(&again);
			return 0;
		}
		service_list_free(&again);
		if (ret)
			return ret;
		service_list_free(list);
	}
}

void service_list_free(struct service_list *list)
{
	for (size_t i = 0; i < list->count; i++) {
		free(list->svcs[i].backends);
		free(list->svcs[i].check);
	}
	free(list->svcs);
	memset(list, 0, sizeof(*list));
}

static int service_show(struct drctl *ctx, int argc, char **argv)
{
	struct service_list list;
	struct svc_key key;
	char buf[ADDR_PORT_LEN];
	int ret;

	if (argc) {
		ret = parse_key_only(ctx, argc, argv, &key);
		if (ret)
			return ret;
	}
	ret = service_dump(ctx, argc ? &key : NULL, &list);
	if (!ret && argc && !list.count) {
		drctl_err(ctx, "no service %s %s", protocol_name(key.protocol),
			  format_addr_port(key.af, &key.addr, key.port, buf));
		ret = DRCTL_FAIL;
	}
	if (!ret)
		output_services(ctx, &list);
	service_list_free(&list);
	return ret;
}

static const struct drctl_cmd service_cmds[] = {
	{ .name = "add", .run = service_add },
	{ .name = "set", .run = service_set },
	{ .name = "del", .run = service_del },
	{ .name = "show", .run = service_show },
	{ 0 },
};

int service_main(struct drctl *ctx, int argc, char **argv)
{
	return drctl_dispatch(ctx, "service", service_usage, service_cmds, argc, argv);
}

int flush_main(struct drctl *ctx, int argc, char **argv)
{
	if (argc) {
		drctl_err(ctx, "unexpected '%s': flush takes no arguments", argv[0]);
		return DRCTL_USAGE;
	}
	if (ctx->dry_run)
		return DRCTL_OK;
	return drlb_simple(ctx, DRLB_CMD_FLUSH);
}
