// SPDX-License-Identifier: GPL-2.0
/*
 * drctl save and restore. A saved file is a batch of drctl commands, read
 * back by the same parser as the command line. Restore is all or nothing:
 * every line is checked before the kernel sees any, and a refusal half-way
 * puts the previous configuration back.
 */
#include <stdarg.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "dispatch.h"
#include "healthcheck.h"
#include "saverestore.h"

#define SAVE_LINE_LEN	(DRLBD_CHECK_TEXT_MAX + 128)	/* a check line is the longest */

static const struct drctl_cmd restore_objects[] = {
	{ .name = "service", .run = service_main },
	{ .name = "backend", .run = backend_main },
	{ .name = "config", .run = config_main },
	{ .name = "check", .run = check_main },
	{ 0 },
};

static const struct drctl_cmd restore_verbs[] = {
	{ .name = "add", .run = NULL },
	{ .name = "set", .run = NULL },
	{ 0 },
};

struct line_buf {
	char *buf;
	size_t len;
	size_t used;
	bool overflow;
};

__printf(2, 3) static void append(struct line_buf *lb, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (lb->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(lb->buf + lb->used, lb->len - lb->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= lb->len - lb->used)
		lb->overflow = true;
	else
		lb->used += n;
}

/* Each save_*_line returns 0, or -1 when buf is too short. */
int save_service_line(char *buf, size_t len, const struct service_info *svc)
{
	struct line_buf lb = { buf, len, 0, false };
	char vip[ADDR_PORT_LEN];

	append(&lb, "service add %s %s", protocol_name(svc->key.protocol),
	       format_addr_port(svc->key.af, &svc->key.addr, svc->key.port, vip));
	if (svc->sched[0])
		append(&lb, " sched %s", svc->sched);
	if (svc->persist)
		append(&lb, " persist %u", svc->persist);
	if (svc->mh_size && svc->mh_size != DRLB_MH_SIZE_DEFAULT)
		append(&lb, " mh-size %u", svc->mh_size);
	return lb.overflow ? -1 : 0;
}

int save_backend_line(char *buf, size_t len, const struct service_info *svc,
		      const struct backend_info *be)
{
	struct line_buf lb = { buf, len, 0, false };
	char vip[ADDR_PORT_LEN], addr[INET6_ADDRSTRLEN];

	append(&lb, "backend add %s %s %s weight %u", protocol_name(svc->key.protocol),
	       format_addr_port(svc->key.af, &svc->key.addr, svc->key.port, vip),
	       format_addr(svc->key.af, &be->addr, addr), be->weight);
	return lb.overflow ? -1 : 0;
}

/* The service's health check (drlbd runs it), in its canonical words. */
int save_check_line(char *buf, size_t len, const struct service_info *svc)
{
	struct line_buf lb = { buf, len, 0, false };
	char vip[ADDR_PORT_LEN], text[DRLBD_CHECK_TEXT_MAX];

	if (drlbd_check_format(svc->check, text, sizeof(text)) < 0)
		return -1;
	append(&lb, "check set %s %s %s", protocol_name(svc->key.protocol),
	       format_addr_port(svc->key.af, &svc->key.addr, svc->key.port, vip), text);
	return lb.overflow ? -1 : 0;
}

/* Values the kernel did not report (0) are left out: config set refuses 0. */
int save_config_line(char *buf, size_t len, const struct config_info *cfg)
{
	const struct {
		const char *name;
		uint32_t val;
	} keys[] = {
		{ "tcp", cfg->tcp },
		{ "tcpfin", cfg->tcpfin },
		{ "tcpclose", cfg->tcpclose },
		{ "udp", cfg->udp },
		{ "conn-max", cfg->conn_max },
		{ "service-max", cfg->service_max },
		{ "backend-max", cfg->backend_max },
	};
	struct line_buf lb = { buf, len, 0, false };
	char seed[2 * DRCTL_SEED_LEN + 1];

	append(&lb, "config set");
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		if (keys[i].val)
			append(&lb, " %s %u", keys[i].name, keys[i].val);
	}
	/* The site seed travels with the configuration: directors must share it. */
	if (!config_seed_is_default(cfg->seed)) {
		config_seed_format(cfg->seed, seed);
		append(&lb, " seed %s", seed);
	}
	if (cfg->fleet)
		append(&lb, " fleet on");
	if (!lb.overflow && !strcmp(buf, "config set"))
		buf[0] = '\0';
	return lb.overflow ? -1 : 0;
}

static int add_line(struct drctl *ctx, struct line_list *lines, int err, const char *buf)
{
	if (err || !buf[0])
		return err ? DRCTL_FAIL : DRCTL_OK;
	if (lines_add(lines, buf)) {
		drctl_err(ctx, "out of memory");
		return DRCTL_FAIL;
	}
	return DRCTL_OK;
}

/* Services by family, protocol, address, port; IPv4 first, as people read them. */
static int service_order(const void *a, const void *b)
{
	const struct svc_key *x = &((const struct service_info *)a)->key;
	const struct svc_key *y = &((const struct service_info *)b)->key;
	int c;

	if (x->af != y->af)
		return x->af == AF_INET ? -1 : 1;
	if (x->protocol != y->protocol)
		return x->protocol < y->protocol ? -1 : 1;
	c = memcmp(&x->addr, &y->addr, sizeof(x->addr));
	if (c)
		return c;
	return x->port < y->port ? -1 : x->port > y->port;
}

static int backend_order(const void *a, const void *b)
{
	return memcmp(&((const struct backend_info *)a)->addr,
		      &((const struct backend_info *)b)->addr, sizeof(union drctl_addr));
}

/*
 * A configuration as drctl commands, sorted (list is sorted in place): the
 * kernel dumps in hash order, and save, flush, restore, save must print the
 * same file.
 */
int save_lines(struct drctl *ctx, const struct config_info *cfg,
	       struct service_list *list, struct line_list *lines)
{
	char buf[SAVE_LINE_LEN];
	int ret;

	qsort(list->svcs, list->count, sizeof(*list->svcs), service_order);
	for (size_t i = 0; i < list->count; i++)
		qsort(list->svcs[i].backends, list->svcs[i].backend_count,
		      sizeof(*list->svcs[i].backends), backend_order);

	ret = add_line(ctx, lines, save_config_line(buf, sizeof(buf), cfg), buf);
	for (size_t i = 0; !ret && i < list->count; i++) {
		const struct service_info *svc = &list->svcs[i];

		ret = add_line(ctx, lines, save_service_line(buf, sizeof(buf), svc), buf);
		for (size_t j = 0; !ret && j < svc->backend_count; j++)
			ret = add_line(ctx, lines, save_backend_line(buf, sizeof(buf), svc,
								     &svc->backends[j]), buf);
		if (!ret && svc->check)
			ret = add_line(ctx, lines, save_check_line(buf, sizeof(buf), svc), buf);
	}
	return ret;
}

/* The running configuration as drctl commands. */
static int save_collect(struct drctl *ctx, struct line_list *lines)
{
	struct service_list list;
	struct config_info cfg;
	int ret;

	ret = config_and_services_get(ctx, &cfg, &list);
	if (ret)
		return ret;
	ret = save_lines(ctx, &cfg, &list, lines);
	service_list_free(&list);
	return ret;
}

int save_main(struct drctl *ctx, int argc, char **argv)
{
	struct line_list lines = { 0 };
	int ret;

	if (argc) {
		drctl_err(ctx, "unexpected '%s': save takes no arguments", argv[0]);
		return DRCTL_USAGE;
	}
	ret = save_collect(ctx, &lines);
	for (size_t i = 0; !ret && i < lines.count; i++)
		fprintf(ctx->out, "%s\n", lines.lines[i]);
	lines_free(&lines);
	return ret;
}

/* What the lines checked so far add: a service (no backend) or a backend. */
struct restore_seen {
	struct seen_item {
		struct svc_key key;
		bool backend;
		union drctl_addr addr;
	} *items;
	size_t count;
};

static bool key_equal(const struct svc_key *a, const struct svc_key *b)
{
	return a->af == b->af && a->protocol == b->protocol && a->port == b->port &&
	       !memcmp(&a->addr, &b->addr, sizeof(a->addr));
}

static bool seen(const struct restore_seen *sn, const struct svc_key *key, bool backend,
		 const union drctl_addr *addr)
{
	for (size_t i = 0; i < sn->count; i++) {
		const struct seen_item *it = &sn->items[i];

		if (key_equal(&it->key, key) && it->backend == backend &&
		    (!backend || !memcmp(&it->addr, addr, sizeof(*addr))))
			return true;
	}
	return false;
}

static int seen_add(const struct drctl *ctx, struct restore_seen *sn, const struct svc_key *key,
		    bool backend, const union drctl_addr *addr)
{
	struct seen_item *items = realloc(sn->items, (sn->count + 1) * sizeof(*items));

	if (!items) {
		drctl_err(ctx, "out of memory");
		return DRCTL_FAIL;
	}
	sn->items = items;
	memset(&items[sn->count], 0, sizeof(*items));
	items[sn->count].key = *key;
	items[sn->count].backend = backend;
	if (addr)
		items[sn->count].addr = *addr;
	sn->count++;
	return DRCTL_OK;
}

/*
 * What the kernel would refuse of a service or backend line given the lines
 * before it (restore starts from nothing): a service or backend added twice,
 * one set or given backends before it is added.
 */
static int restore_check_names(const struct drctl *ctx, struct restore_seen *sn,
			       const char *object, const char *verb, int argc, char **argv)
{
	bool add = !strcmp(verb, "add"), backend = !strcmp(object, "backend");
	char vip[ADDR_PORT_LEN], rip[INET6_ADDRSTRLEN];
	union drctl_addr addr = { 0 };
	struct svc_key key;
	int ret;

	ret = parse_svc_key(ctx, argc, argv, &key);
	if (ret)
		return ret;
	format_addr_port(key.af, &key.addr, key.port, vip);
	if ((backend || !add) && !seen(sn, &key, false, NULL)) {
		drctl_err(ctx, "no service %s %s before this line: add it first",
			  protocol_name(key.protocol), vip);
		return DRCTL_USAGE;
	}
	if (!backend && add && seen(sn, &key, false, NULL)) {
		drctl_err(ctx, "service %s %s is added twice", protocol_name(key.protocol), vip);
		return DRCTL_USAGE;
	}
	if (!backend || argc < 3)
		return add ? seen_add(ctx, sn, &key, false, NULL) : DRCTL_OK;
	ret = parse_backend_addr(ctx, argv[2], &key, &addr);
	if (ret)
		return ret;
	format_addr(key.af, &addr, rip);
	if (add == seen(sn, &key, true, &addr)) {
		drctl_err(ctx, add ? "backend %s of %s %s is added twice" :
			  "no backend %s of %s %s before this line: add it first",
			  rip, protocol_name(key.protocol), vip);
		return DRCTL_USAGE;
	}
	return add ? seen_add(ctx, sn, &key, true, &addr) : DRCTL_OK;
}

/* Restore takes what save writes: service, backend and config add/set lines. */
static int restore_check(const struct drctl *ctx, struct restore_seen *sn, const char *line)
{
	const struct drctl_cmd *object = NULL, *verb = NULL;
	char *argv[LINE_WORDS_MAX];
	char *copy = strdup(line);
	bool ambiguous;
	int argc, ret = DRCTL_OK;

	if (!copy) {
		drctl_err(ctx, "out of memory");
		return DRCTL_FAIL;
	}
	argc = tokenize(copy, argv, LINE_WORDS_MAX);
	if (argc >= 2) {
		object = cmd_match(restore_objects, argv[0], &ambiguous);
		verb = cmd_match(restore_verbs, argv[1], &ambiguous);
	}
	if (argc && (!object || !verb)) {
		drctl_err(ctx, "restore takes only service, backend, check and config add/set lines");
		ret = DRCTL_USAGE;
	} else if (argc && !strcmp(object->name, "check") && strcmp(verb->name, "set")) {
		drctl_err(ctx, "restore takes check set lines, not check %s", verb->name);
		ret = DRCTL_USAGE;
	} else if (argc && strcmp(object->name, "config")) {
		ret = restore_check_names(ctx, sn, object->name, verb->name, argc - 2, argv + 2);
	}
	free(copy);
	return ret;
}

/*
 * check: the first pass, which sends nothing and refuses what the kernel
 * would refuse, so that a refusal never comes after the flush.
 */
static int run_lines(struct drctl *ctx, const struct line_list *lines, const char *file,
		     bool check)
{
	const char *outer_file = ctx->file;
	unsigned int outer_line = ctx->line;
	struct restore_seen sn = { 0 };
	int ret = DRCTL_OK;

	ctx->file = file;
	ctx->dry_run = check;
	for (size_t i = 0; !ret && i < lines->count; i++) {
		ctx->line = i + 1;
		if (check)
			ret = restore_check(ctx, &sn, lines->lines[i]);
		if (!ret)
			ret = dispatch_line(ctx, restore_objects, lines->lines[i]);
	}
	free(sn.items);
	ctx->file = outer_file;
	ctx->line = outer_line;
	ctx->dry_run = false;
	return ret;
}

static int rollback(struct drctl *ctx, const struct line_list *previous)
{
	if (drlb_simple(ctx, DRLB_CMD_FLUSH) ||
	    run_lines(ctx, previous, "previous configuration", false)) {
		drctl_err(ctx, "restore failed and so did putting the previous configuration back; check drctl save");
		return DRCTL_FAIL;
	}
	drctl_err(ctx, "restore failed; the previous configuration is back");
	return DRCTL_FAIL;
}

int restore_main(struct drctl *ctx, int argc, char **argv)
{
	struct line_list input = { 0 }, previous = { 0 };
	int ret;

	if (argc) {
		drctl_err(ctx, "unexpected '%s': restore reads standard input", argv[0]);
		return DRCTL_USAGE;
	}
	if (ctx->stdin_read) {
		drctl_err(ctx, "restore reads standard input, which 'drctl -b -' has read already; use 'drctl restore < FILE'");
		return DRCTL_USAGE;
	}
	ret = lines_load(ctx, &input, stdin, "stdin");
	if (!ret)
		ret = run_lines(ctx, &input, "stdin", true);
	if (!ret)
		ret = save_collect(ctx, &previous);
	if (!ret)
		ret = drlb_simple(ctx, DRLB_CMD_FLUSH);
	if (!ret && run_lines(ctx, &input, "stdin", false))
		ret = rollback(ctx, &previous);
	lines_free(&input);
	lines_free(&previous);
	return ret;
}
