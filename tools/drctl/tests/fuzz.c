// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: drctl's parsers fed arbitrary input, in process, with
 * ASan and UBSan. The first byte picks what the rest is: a command line
 * (words split at spaces and NULs, as the shell would hand them over) or a
 * restore file on standard input. Mutations are checked, never sent (restore
 * checks every line before it sends anything; a command line that parses
 * runs in dry-run mode); realserver setup runs in a network namespace of the
 * fuzzer's own, its state in a scratch directory.
 *
 * What must hold for any input: no crash, no sanitizer report, an exit code
 * of 0, 1 or 2, and a message with every non-zero one (on stderr; the check
 * commands report what they find wrong on stdout).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "drctl.h"

#define WORDS_MAX	64

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (unshare(CLONE_NEWNET)) {
		/* A namespace of its own keeps realserver setup off this host. */
		perror("drctl-fuzz: unshare(CLONE_NEWNET)");
		exit(1);
	}
	mkdir(REALSERVER_STATE_DIR, 0755);
	return 0;
}

static int split(char *text, size_t len, char **argv)
{
	int argc = 0;

	for (size_t i = 0; i < len && argc < WORDS_MAX; i++) {
		if (text[i] == ' ' || text[i] == '\0') {
			text[i] = '\0';
			continue;
		}
		if (!i || !text[i - 1])
			argv[argc++] = text + i;
	}
	return argc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, *out = NULL, *err = NULL, *argv[WORDS_MAX + 1];
	size_t out_len = 0, err_len = 0;
	struct drctl ctx = { 0 };
	FILE *saved_stdin = stdin;
	int argc, ret;

	if (!size)
		return 0;
	text = calloc(1, size);
	memcpy(text, data + 1, size - 1);
	ctx.out = open_memstream(&out, &out_len);
	ctx.err = open_memstream(&err, &err_len);
	if (data[0] & 1) {
		/* A restore file: the whole input, embedded NULs and all. */
		stdin = fmemopen(text, size - 1 ? size - 1 : 1, "r");
		argv[0] = "restore";
		ret = drctl_run(&ctx, 1, argv);
		fclose(stdin);
		stdin = saved_stdin;
	} else {
		argc = split(text, size - 1, argv);
		argv[argc] = NULL;
		ctx.dry_run = true;
		ret = argc ? drctl_run(&ctx, argc, argv) : DRCTL_OK;
	}
	drctl_close(&ctx);
	fclose(ctx.out);
	fclose(ctx.err);
	if (ret < DRCTL_OK || ret > DRCTL_USAGE)
		abort();
	/* Every refusal says why. */
	if (ret != DRCTL_OK && !err_len && !out_len)
		abort();
	free(out);
	free(err);
	free(text);
	return 0;
}
