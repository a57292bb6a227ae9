/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRCTL_DIRECTOR_H
#define DRCTL_DIRECTOR_H

#include <stdbool.h>

#include "service.h"

extern const char director_usage[];

/* @fleet: this director is one of several (config set fleet on). */
int director_check_services(struct drctl *ctx, const struct service_list *list, bool fleet);
int director_main(struct drctl *ctx, int argc, char **argv);

#endif /* DRCTL_DIRECTOR_H */
