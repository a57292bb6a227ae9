/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRCTL_MONITOR_H
#define DRCTL_MONITOR_H

#include "drctl.h"

extern const char monitor_usage[];

int monitor_main(struct drctl *ctx, int argc, char **argv);

#endif /* DRCTL_MONITOR_H */
