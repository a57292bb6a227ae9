// SPDX-License-Identifier: GPL-2.0
/*
 * drctl save and restore. A saved file is a batch of drctl commands, read
 * back by the same parser as the command line. Restore is all or nothing:
 * every line is checked before the kernel sees any, and a refusal half-way
 * puts the previous configuration back.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "dispatch.h"
#include "saverestore.h"

#define SAVE_LINE_LEN	256

static const struct drctl_cmd restore_objects[] = {
	{ "service", service_main },
	{ "backend", backend_main },
	{ "config", config_main },
	{ NULL, NULL },
};

static const struct drctl_cmd restore_verbs[] = {
	{ "add", NULL },
	{ "set", NULL },
	{ NULL, NULL },
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
	};
	struct line_buf lb = { buf, len, 0, false };

	append(&lb, "config set");
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		if (keys[i].val)
			append(&lb, " %s %u", keys[i].name, keys[i].val);
	}
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

/* The running configuration as drctl commands, in dump order. */
static int save_collect(struct drctl *ctx, struct line_list *lines)
{
	struct service_list list = { 0 };
	struct config_info cfg;
	char buf[SAVE_LINE_LEN];
	int ret;

	ret = config_get(ctx, &cfg);
	if (ret)
		return ret;
	ret = add_line(ctx, lines, save_config_line(buf, sizeof(buf), &cfg), buf);
	if (!ret)
		ret = service_dump(ctx, NULL, &list);
	for (size_t i = 0; !ret && i < list.count; i++) {
		const struct service_info *svc = &list.svcs[i];

		ret = add_line(ctx, lines, save_service_line(buf, sizeof(buf), svc), buf);
		for (size_t j = 0; !ret && j < svc->backend_count; j++)
			ret = add_line(ctx, lines, save_backend_line(buf, sizeof(buf), svc,
								     &svc->backends[j]), buf);
	}
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

/* Restore takes what save writes: service, backend and config add/set lines. */
static int restore_allowed(const struct drctl *ctx, const char *line)
{
	char *argv[LINE_WORDS_MAX];
	char *copy = strdup(line);
	bool ambiguous;
	int argc, ret = DRCTL_OK;

	if (!copy) {
		drctl_err(ctx, "out of memory");
		return DRCTL_FAIL;
	}
	argc = tokenize(copy, argv, LINE_WORDS_MAX);
	if (argc && (argc < 2 || !cmd_match(restore_objects, argv[0], &ambiguous) ||
		     !cmd_match(restore_verbs, argv[1], &ambiguous))) {
		drctl_err(ctx, "restore takes only service, backend and config add/set lines");
		ret = DRCTL_USAGE;
	}
	free(copy);
	return ret;
}

static int run_lines(struct drctl *ctx, const struct line_list *lines, const char *file,
		     bool check)
{
	const char *outer_file = ctx->file;
	unsigned int outer_line = ctx->line;
	int ret = DRCTL_OK;

	ctx->file = file;
	ctx->dry_run = check;
	for (size_t i = 0; !ret && i < lines->count; i++) {
		ctx->line = i + 1;
		if (check)
			ret = restore_allowed(ctx, lines->lines[i]);
		if (!ret)
			ret = dispatch_line(ctx, restore_objects, lines->lines[i]);
	}
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
	if (lines_read(&input, stdin)) {
		drctl_err(ctx, "cannot read standard input: %m");
		return DRCTL_FAIL;
	}
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
