/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRCTL_SAVERESTORE_H
#define DRCTL_SAVERESTORE_H

#include "config.h"
#include "service.h"

int save_service_line(char *buf, size_t len, const struct service_info *svc);
int save_backend_line(char *buf, size_t len, const struct service_info *svc,
		      const struct backend_info *be);
int save_config_line(char *buf, size_t len, const struct config_info *cfg);
int save_check_line(char *buf, size_t len, const struct service_info *svc);
int save_lines(struct drctl *ctx, const struct config_info *cfg,
	       struct service_list *list, struct line_list *lines);
int save_main(struct drctl *ctx, int argc, char **argv);
int restore_main(struct drctl *ctx, int argc, char **argv);

#endif /* DRCTL_SAVERESTORE_H */
