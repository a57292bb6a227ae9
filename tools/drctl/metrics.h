/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRCTL_METRICS_H
#define DRCTL_METRICS_H

#include <stdio.h>

#include "drctl.h"

extern const char metrics_usage[];

/* The Prometheus text exposition (format 0.0.4) of the module's counters. */
#define METRICS_CONTENT_TYPE	"text/plain; version=0.0.4; charset=utf-8"

struct config_info;
struct service_list;

void metrics_format(FILE *f, const struct config_info *cfg, const struct service_list *list);
int metrics_write(struct drctl *ctx, FILE *f);
int metrics_main(struct drctl *ctx, int argc, char **argv);

#endif /* DRCTL_METRICS_H */
