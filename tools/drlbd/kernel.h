/* SPDX-License-Identifier: GPL-2.0 */
/*
 * drlbd's side of the module: drctl's netlink plumbing (tools/drctl, linked
 * as libdrctl.a) for the services, the health it sets, and the events.
 */
#ifndef DRLBD_KERNEL_H
#define DRLBD_KERNEL_H

#include <stdbool.h>
#include <sys/socket.h>

#include "../drctl/backend.h"
#include "../drctl/drctl.h"
#include "../drctl/nl.h"
#include "../drctl/parse.h"
#include "../drctl/service.h"

struct kernel_events;

int kernel_set_health(struct drctl *ctx, const struct svc_key *key,
		      const union drctl_addr *addr, bool up, const char *reason);
socklen_t kernel_sockaddr(int af, const union drctl_addr *addr, uint16_t port,
			  struct sockaddr_storage *ss);
struct kernel_events *kernel_events_open(struct drctl *ctx);
int kernel_events_fd(const struct kernel_events *ev);
void kernel_events_read(struct kernel_events *ev, void (*fn)(void *data), void *data);
void kernel_events_close(struct kernel_events *ev);

#endif /* DRLBD_KERNEL_H */
