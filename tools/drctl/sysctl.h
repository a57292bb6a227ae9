/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRCTL_SYSCTL_H
#define DRCTL_SYSCTL_H

#include "msg.h"

int sysctl_read(const char *path, int *val);
void conf_path(char *buf, size_t len, const char *iface, const char *knob);
int conf_read(const struct drctl *ctx, const char *iface, const char *knob, int *val);
int conf_write(const struct drctl *ctx, const char *iface, const char *knob, int old, int val);

#endif /* DRCTL_SYSCTL_H */
