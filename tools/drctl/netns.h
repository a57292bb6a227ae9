/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRCTL_NETNS_H
#define DRCTL_NETNS_H

#include "drctl.h"

int netns_enter(const struct drctl *ctx, const char *name);

#endif /* DRCTL_NETNS_H */
