/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRCTL_XDP_H
#define DRCTL_XDP_H

#include "drctl.h"

extern const char xdp_usage[];

int xdp_main(struct drctl *ctx, int argc, char **argv);

#endif /* DRCTL_XDP_H */
