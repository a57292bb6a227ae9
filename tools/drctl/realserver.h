/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRCTL_REALSERVER_H
#define DRCTL_REALSERVER_H

#include "drctl.h"

#ifndef REALSERVER_STATE_DIR	/* the fuzzer keeps its own */
#define REALSERVER_STATE_DIR	"/run/drctl"
#endif
#define REALSERVER_STATE_FILE	REALSERVER_STATE_DIR "/realserver.state"

extern const char realserver_usage[];

int sysctl_read(const char *path, int *val);
int realserver_main(struct drctl *ctx, int argc, char **argv);

#endif /* DRCTL_REALSERVER_H */
