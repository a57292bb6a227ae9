/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The findings of realserver check and director check: problems (the host
 * is not ready), warnings and notes, printed as lines or, with -j, as one
 * JSON object {"ok", "problems", "warnings", "notes"}.
 */
#ifndef DRCTL_REPORT_H
#define DRCTL_REPORT_H

#include "parse.h"

struct report {
	const struct drctl *ctx;
	struct line_list problems;
	struct line_list warnings;
	struct line_list notes;
	unsigned int problem_count;
	bool failed;		/* out of memory: the report is incomplete */
};

void report_init(struct report *r, const struct drctl *ctx);
__printf(2, 3) void report_problem(struct report *r, const char *fmt, ...);
__printf(2, 3) void report_warning(struct report *r, const char *fmt, ...);
__printf(2, 3) void report_note(struct report *r, const char *fmt, ...);
int report_end(struct report *r, const char *ok_text);

#endif /* DRCTL_REPORT_H */
