/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRCTL_DIRECTOR_H
#define DRCTL_DIRECTOR_H

#include "service.h"

extern const char director_usage[];

int director_check_services(struct drctl *ctx, const struct service_list *list);
int director_main(struct drctl *ctx, int argc, char **argv);

#endif /* DRCTL_DIRECTOR_H */
