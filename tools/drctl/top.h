/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRCTL_TOP_H
#define DRCTL_TOP_H

#include "drctl.h"

extern const char top_usage[];

int top_main(struct drctl *ctx, int argc, char **argv);

#endif /* DRCTL_TOP_H */
