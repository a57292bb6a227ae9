// SPDX-License-Identifier: GPL-2.0
/*
 * drctl: configure drlb, the direct-routing layer-4 load balancer.
 *
 * Options, the table of objects, and the dispatcher that every command line,
 * -b batch line and restore line goes through.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "config.h"
#include "conn.h"
#include "director.h"
#include "metrics.h"
#include "netns.h"
#include "monitor.h"
#include "healthcheck.h"
#include "dispatch.h"
#include "realserver.h"
#include "saverestore.h"
#include "service.h"
#include "top.h"
#include "xdp.h"

#define DRCTL_VERSION	"0.1"

static void print_usage(FILE *f)
{
	fputs("Usage: drctl [-j] [-p] [-s] [-r] [-n] [-N NETNS] OBJECT COMMAND [ARGS]\n"
	      "       drctl [-j] [-p] [-s] [-r] [-n] [-N NETNS] -b FILE\n"
	      "Options: -j JSON  -p pretty JSON  -s statistics  -r rates per second (with -s)\n"
	      "         -n numeric ports  -N NETNS in network namespace NETNS (as ip -n)\n"
	      "         -b FILE  run the commands in FILE ('-' for stdin), stop at the first error\n"
	      "Commands (unambiguous prefixes accepted, 'drctl OBJECT help' for one object):\n",
	      f);
	fputs(service_usage, f);
	fputs(backend_usage, f);
	fputs(conn_usage, f);
	fputs(config_usage, f);
	fputs("drctl flush        (remove every service)\n"
	      "drctl save > FILE\n"
	      "drctl restore < FILE   (replaces the configuration, all or nothing)\n", f);
	fputs(realserver_usage, f);
	fputs(director_usage, f);
	fputs(check_usage, f);
	fputs(monitor_usage, f);
	fputs(metrics_usage, f);
	fputs(top_usage, f);
	fputs(xdp_usage, f);
	fputs("Exit status: 0 success, 1 refused by the kernel or the system, 2 bad usage.\n", f);
}

static int help_main(struct drctl *ctx, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	print_usage(ctx->out);
	return DRCTL_OK;
}

static const struct drctl_cmd objects[] = {
	{ .name = "service", .run = service_main },
	{ .name = "backend", .run = backend_main },
	{ .name = "conn", .run = conn_main },
	{ .name = "config", .run = config_main },
	{ .name = "flush", .run = flush_main, .full_word = true },
	{ .name = "save", .run = save_main },
	{ .name = "restore", .run = restore_main },
	{ .name = "realserver", .run = realserver_main },
	{ .name = "director", .run = director_main },
	{ .name = "monitor", .run = monitor_main },
	{ .name = "metrics", .run = metrics_main },
	{ .name = "top", .run = top_main },
	{ .name = "check", .run = check_main },
	{ .name = "xdp", .run = xdp_main },
	{ .name = "help", .run = help_main },
	{ 0 },
};

int drctl_run(struct drctl *ctx, int argc, char **argv)
{
	return dispatch_words(ctx, objects, argc, argv);
}

int drctl_run_line(struct drctl *ctx, const char *line)
{
	return dispatch_line(ctx, objects, line);
}

static int batch_run(struct drctl *ctx, const char *file)
{
	bool is_stdin = !strcmp(file, "-");
	struct line_list lines = { 0 };
	FILE *f = is_stdin ? stdin : fopen(file, "r");
	int ret;

	if (!f) {
		drctl_err(ctx, "cannot open %s: %m", file);
		return DRCTL_FAIL;
	}
	ret = lines_load(ctx, &lines, f, is_stdin ? "stdin" : file);
	if (!is_stdin)
		fclose(f);
	ctx->stdin_read |= is_stdin;
	ctx->file = is_stdin ? "stdin" : file;
	for (size_t i = 0; !ret && i < lines.count; i++) {
		ctx->line = i + 1;
		ret = drctl_run_line(ctx, lines.lines[i]);
	}
	ctx->file = NULL;
	lines_free(&lines);
	return ret;
}

/* Returns -1 to go on, or the exit code. */
static int parse_options(struct drctl *ctx, int *argc, char ***argv)
{
	static const struct option long_options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "stats", no_argument, NULL, 's' },
		{ "rate", no_argument, NULL, 'r' },
		{ "numeric", no_argument, NULL, 'n' },
		{ "batch", required_argument, NULL, 'b' },
		{ "netns", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	/* '+': options end at the object, as in ip. */
	while ((c = getopt_long(*argc, *argv, "+jpsrnb:N:hV", long_options, NULL)) != -1) {
		switch (c) {
		case 'p':
			ctx->opts.pretty = true;
			ctx->opts.json = true;
			break;
		case 'j':
			ctx->opts.json = true;
			break;
		case 's':
			ctx->opts.stats = true;
			break;
		case 'r':
			ctx->opts.rate = true;
			ctx->opts.stats = true;
			break;
		case 'n':
			ctx->opts.numeric = true;
			break;
		case 'b':
			ctx->opts.batch = optarg;
			break;
		case 'N':
			ctx->opts.netns = optarg;
			break;
		case 'h':
			print_usage(ctx->out);
			return DRCTL_OK;
		case 'V':
			fprintf(ctx->out, "drctl %s (netlink version %d)\n", DRCTL_VERSION,
				DRLB_GENL_VERSION);
			return DRCTL_OK;
		default:
			fprintf(ctx->err, "Try 'drctl --help'.\n");
			return DRCTL_USAGE;
		}
	}
	*argc -= optind;
	*argv += optind;
	return -1;
}

void drctl_close(struct drctl *ctx)
{
	drctl_nl_free(ctx->nl);
	ctx->nl = NULL;
}

int main(int argc, char **argv)
{
	struct drctl ctx = { .out = stdout, .err = stderr };
	int ret = parse_options(&ctx, &argc, &argv);

	if (ret >= 0)
		return ret;
	if (ctx.opts.netns) {
		ret = netns_enter(&ctx, ctx.opts.netns);
		if (ret)
			return ret;
	}
	if (ctx.opts.batch && argc) {
		drctl_err(&ctx, "unexpected '%s' after -b FILE", argv[0]);
		return DRCTL_USAGE;
	}
	if (ctx.opts.batch) {
		ret = batch_run(&ctx, ctx.opts.batch);
	} else if (!argc) {
		print_usage(ctx.err);
		ret = DRCTL_USAGE;
	} else {
		ret = drctl_run(&ctx, argc, argv);
	}
	drctl_close(&ctx);
	/* ferror: a write that failed earlier, which fflush() no longer reports. */
	if ((fflush(stdout) || ferror(stdout)) && !ret) {
		drctl_err(&ctx, "cannot write the output: %m");
		ret = DRCTL_FAIL;
	}
	return ret;
}
