// SPDX-License-Identifier: GPL-2.0
/*
 * Findings of the check commands. Plain text prints each as it is found, so
 * a slow route lookup shows progress; JSON collects them for one document.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "report.h"

void report_init(struct report *r, const struct drctl *ctx)
{
	memset(r, 0, sizeof(*r));
	r->ctx = ctx;
}

static void add(struct report *r, struct line_list *list, const char *prefix,
		const char *fmt, va_list ap)
{
	char *text;

	if (vasprintf(&text, fmt, ap) < 0) {
		r->failed = true;
		return;
	}
	if (!r->ctx->opts.json)
		fprintf(r->ctx->out, "%s%s\n", prefix, text);
	else if (lines_add(list, text))
		r->failed = true;
	free(text);
}

void report_problem(struct report *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(r, &r->problems, "", fmt, ap);
	va_end(ap);
	r->problem_count++;
}

void report_warning(struct report *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(r, &r->warnings, "warning: ", fmt, ap);
	va_end(ap);
}

void report_note(struct report *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(r, &r->notes, "", fmt, ap);
	va_end(ap);
}

static void json_lines(struct out *o, const char *key, const struct line_list *list)
{
	out_begin_array(o, key);
	for (size_t i = 0; i < list->count; i++)
		out_str(o, NULL, list->lines[i]);
	out_end_array(o);
}

/* Prints what is left to print and frees; DRCTL_OK when there was no problem. */
int report_end(struct report *r, const char *ok_text)
{
	bool ok = !r->problem_count && !r->failed;
	struct out o;

	if (r->ctx->opts.json) {
		out_init(&o, r->ctx);
		out_begin_object(&o, NULL);
		out_bool(&o, "ok", ok);
		json_lines(&o, "problems", &r->problems);
		json_lines(&o, "warnings", &r->warnings);
		json_lines(&o, "notes", &r->notes);
		out_end_object(&o);
	} else if (ok && ok_text) {
		fprintf(r->ctx->out, "ok: %s\n", ok_text);
	}
	if (r->failed)
		drctl_err(r->ctx, "out of memory");
	lines_free(&r->problems);
	lines_free(&r->warnings);
	lines_free(&r->notes);
	return ok ? DRCTL_OK : DRCTL_FAIL;
}
