/* SPDX-License-Identifier: GPL-2.0 */
/*
 * drctl: the context every command receives, exit codes and messages.
 *
 * There is no global state: options, output streams and the netlink sockets
 * (opened on first use) travel in struct drctl.
 */
#ifndef DRCTL_DRCTL_H
#define DRCTL_DRCTL_H

#include <stdbool.h>
#include <stdio.h>

/* Exit codes, as wg and ip use them. */
enum {
	DRCTL_OK = 0,
	DRCTL_FAIL = 1,		/* refused by the kernel or the system */
	DRCTL_USAGE = 2,	/* bad command line */
};

struct drctl_opts {
	bool json;
	bool pretty;
	bool stats;
	bool rate;		/* -r: rates in place of counters; implies stats */
	bool numeric;
	const char *batch;
	const char *netns;	/* -N: entered before anything else */
};

struct drctl_nl;

struct drctl {
	struct drctl_opts opts;
	FILE *out;
	FILE *err;
	struct drctl_nl *nl;	/* netlink sockets, opened on first use */
	const char *file;	/* input of -b or restore, named in messages */
	bool stdin_read;	/* -b - has read standard input to its end */
	unsigned int line;
	bool dry_run;		/* restore's first pass: parse and check, send nothing */
	const char *prog;	/* who speaks in messages; NULL: drctl */
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)	__attribute__((format(printf, a, b)))

struct drctl_cmd {
	const char *name;
	int (*run)(struct drctl *ctx, int argc, char **argv);
	bool full_word;		/* destructive: no prefix selects it */
};

int drctl_run(struct drctl *ctx, int argc, char **argv);
int drctl_run_line(struct drctl *ctx, const char *line);
void drctl_close(struct drctl *ctx);

#endif /* DRCTL_DRCTL_H */
