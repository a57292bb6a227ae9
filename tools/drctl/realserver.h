/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRCTL_REALSERVER_H
#define DRCTL_REALSERVER_H

#include "drctl.h"

extern const char realserver_usage[];

int realserver_main(struct drctl *ctx, int argc, char **argv);

#endif /* DRCTL_REALSERVER_H */
