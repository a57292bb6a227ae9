/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRCTL_DISPATCH_H
#define DRCTL_DISPATCH_H

#include "drctl.h"

int drctl_dispatch(struct drctl *ctx, const char *object, const char *usage,
		   const struct drctl_cmd *cmds, int argc, char **argv);
int dispatch_words(struct drctl *ctx, const struct drctl_cmd *cmds, int argc, char **argv);
int dispatch_line(struct drctl *ctx, const struct drctl_cmd *cmds, const char *line);

#endif /* DRCTL_DISPATCH_H */
