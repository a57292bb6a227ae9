/* SPDX-License-Identifier: GPL-2.0 */
/*
 * drctl check set|del|show: a service's health check, kept by the module
 * for drlbd, which runs it.
 */
#ifndef DRCTL_HEALTHCHECK_H
#define DRCTL_HEALTHCHECK_H

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "checkconf.h"
#include "drctl.h"

extern const char check_usage[];

int check_put(struct nl_msg *msg, const struct drlbd_check *check);
int check_from_nest(const struct nlattr *nest, struct drlbd_check *check);
int check_main(struct drctl *ctx, int argc, char **argv);

#endif /* DRCTL_HEALTHCHECK_H */
