// SPDX-License-Identifier: GPL-2.0
/*
 * The dispatcher: a word of a table of objects or verbs, matched exactly or
 * by an unambiguous prefix, runs its command.
 */
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "parse.h"

static int unknown_word(const struct drctl *ctx, const char *object,
			const struct drctl_cmd *cmds, const char *word, bool ambiguous)
{
	char names[256] = "";
	size_t len = strlen(word);

	for (const struct drctl_cmd *c = cmds; len && !ambiguous && c->name; c++) {
		if (c->full_word && !strncmp(c->name, word, len)) {
			drctl_err(ctx, "'%s' is short for '%s', which must be written in full",
				  word, c->name);
			return DRCTL_USAGE;
		}
	}
	if (!ambiguous) {
		if (object)
			drctl_err(ctx, "unknown %s command '%s' (try 'drctl %s help')",
				  object, word, object);
		else
			drctl_err(ctx, "unknown object '%s' (try 'drctl help')", word);
		return DRCTL_USAGE;
	}
	for (const struct drctl_cmd *c = cmds; c->name; c++) {
		if (strncmp(c->name, word, len))
			continue;
		if (names[0])
			strncat(names, ", ", sizeof(names) - strlen(names) - 1);
		strncat(names, c->name, sizeof(names) - strlen(names) - 1);
	}
	drctl_err(ctx, "'%s' is ambiguous: %s", word, names);
	return DRCTL_USAGE;
}

/* Runs the verb argv[0] of object; no verb means show where there is one. */
int drctl_dispatch(struct drctl *ctx, const char *object, const char *object_usage,
		   const struct drctl_cmd *cmds, int argc, char **argv)
{
	const struct drctl_cmd *cmd;
	bool ambiguous;

	if (!argc) {
		cmd = cmd_match(cmds, "show", &ambiguous);
		if (!cmd) {
			drctl_err(ctx, "missing command (try 'drctl %s help')", object);
			return DRCTL_USAGE;
		}
		return cmd->run(ctx, 0, argv);
	}
	if (!strcmp(argv[0], "help")) {
		fputs(object_usage, ctx->out);
		return DRCTL_OK;
	}
	cmd = cmd_match(cmds, argv[0], &ambiguous);
	if (!cmd)
		return unknown_word(ctx, object, cmds, argv[0], ambiguous);
	return cmd->run(ctx, argc - 1, argv + 1);
}

/* Runs the command argv[0] of cmds, a table of objects. */
int dispatch_words(struct drctl *ctx, const struct drctl_cmd *cmds, int argc, char **argv)
{
	const struct drctl_cmd *cmd;
	bool ambiguous;

	cmd = cmd_match(cmds, argv[0], &ambiguous);
	if (!cmd)
		return unknown_word(ctx, NULL, cmds, argv[0], ambiguous);
	return cmd->run(ctx, argc - 1, argv + 1);
}

/* One line of a batch or of restore; blank lines and comments do nothing. */
int dispatch_line(struct drctl *ctx, const struct drctl_cmd *cmds, const char *line)
{
	char *argv[LINE_WORDS_MAX];
	char *copy = strdup(line);
	int argc, ret = DRCTL_OK;

	if (!copy) {
		drctl_err(ctx, "out of memory");
		return DRCTL_FAIL;
	}
	argc = tokenize(copy, argv, LINE_WORDS_MAX);
	if (argc == -2) {
		drctl_err(ctx, "a quote (') is not closed");
		ret = DRCTL_USAGE;
	} else if (argc < 0) {
		drctl_err(ctx, "too many words (at most %d)", LINE_WORDS_MAX);
		ret = DRCTL_USAGE;
	} else if (argc) {
		ret = dispatch_words(ctx, cmds, argc, argv);
	}
	free(copy);
	return ret;
}
