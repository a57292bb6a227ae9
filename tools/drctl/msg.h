/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRCTL_MSG_H
#define DRCTL_MSG_H

#include "drctl.h"

__printf(2, 3) void drctl_err(const struct drctl *ctx, const char *fmt, ...);
__printf(2, 3) void drctl_warn(const struct drctl *ctx, const char *fmt, ...);

#endif /* DRCTL_MSG_H */
