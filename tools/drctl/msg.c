// SPDX-License-Identifier: GPL-2.0
/*
 * Messages for people: one line on stderr, prefixed with drctl (or drlbd) and, inside a
 * batch or restore, the file and line they are about.
 */
#include <stdarg.h>

#include "msg.h"

static void message(const struct drctl *ctx, const char *kind, const char *fmt, va_list ap)
{
	fflush(ctx->out);	/* keep messages in order with what was printed */
	fprintf(ctx->err, "%s: ", ctx->prog ?: "drctl");
	if (ctx->file)
		fprintf(ctx->err, "%s:%u: ", ctx->file, ctx->line);
	fputs(kind, ctx->err);
	vfprintf(ctx->err, fmt, ap);
	fputc('\n', ctx->err);
}

void drctl_err(const struct drctl *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	message(ctx, "", fmt, ap);
	va_end(ap);
}

void drctl_warn(const struct drctl *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	message(ctx, "warning: ", fmt, ap);
	va_end(ap);
}

