// SPDX-License-Identifier: GPL-2.0
/*
 * drlbd and the module: the health it sets (DRLB_CMD_BACKEND_SET with
 * DRLB_BE_A_HEALTH), and the events that tell it to look again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <sys/socket.h>

#include "kernel.h"

/*
 * Room for the events of some three thousand backends changing at once: an
 * event takes 1.3 KB of the buffer, which the kernel makes twice this. The
 * default (rmem_default, some 200 KB) overflowed at drlbd's own start, as
 * every backend goes from unchecked to up, and an overflow costs a dump of
 * every service. FORCE goes past rmem_max, as drlbd may with CAP_NET_ADMIN.
 */
#define EVENTS_RCVBUF	(2 * 1024 * 1024)

struct kernel_events {
	struct nl_sock *sock;
	uint32_t own_port;	/* drlbd's request socket */
	bool changed;
};

int kernel_set_health(struct drctl *ctx, const struct svc_key *key,
		      const union drctl_addr *addr, bool up, const char *reason)
{
	struct backend_spec spec = {
		.key = *key, .addr = *addr, .has_health = true,
		.health = up ? DRLB_HEALTH_UP : DRLB_HEALTH_DOWN,
	};

	snprintf(spec.reason, sizeof(spec.reason), "%s", reason);
	return backend_send(ctx, DRLB_CMD_BACKEND_SET, &spec);
}

/* Where to probe a backend: its own address, never the VIP. */
socklen_t kernel_sockaddr(int af, const union drctl_addr *addr, uint16_t port,
			  struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (af == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_addr = addr->v4;
		sin->sin_port = htons(port);
		return sizeof(*sin);
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	sin6->sin6_family = AF_INET6;
	sin6->sin6_addr = addr->v6;
	sin6->sin6_port = htons(port);
	return sizeof(*sin6);
}

/*
 * An event drlbd caused itself (the health it set) changes nothing it does
 * not know: without this, each health change would cost a dump of every
 * service, and a thousand flapping backends a dump every few milliseconds.
 */
static int on_message(struct nl_msg *msg, void *arg)
{
	struct kernel_events *ev = arg;

	if (!ev->own_port || nlmsg_hdr(msg)->nlmsg_pid != ev->own_port)
		ev->changed = true;
	return NL_OK;
}

struct kernel_events *kernel_events_open(struct drctl *ctx)
{
	struct kernel_events *ev = calloc(1, sizeof(*ev));
	int size = EVENTS_RCVBUF, fd;

	if (!ev)
		return NULL;
	ev->sock = drlb_events_socket(ctx);
	if (!ev->sock) {
		free(ev);
		return NULL;
	}
	ev->own_port = drlb_request_port(ctx);
	fd = nl_socket_get_fd(ev->sock);
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	nl_socket_set_nonblocking(ev->sock);
	nl_socket_modify_cb(ev->sock, NL_CB_VALID, NL_CB_CUSTOM, on_message, ev);
	return ev;
}

int kernel_events_fd(const struct kernel_events *ev)
{
	return nl_socket_get_fd(ev->sock);
}

/* Read what came; fn(data) if anything changed, or if events were lost. */
void kernel_events_read(struct kernel_events *ev, void (*fn)(void *data), void *data)
{
	int err;

	ev->changed = false;
	do {
		err = nl_recvmsgs_default(ev->sock);
		if (err == -NLE_NOMEM)
			ev->changed = true;
	} while (err >= 0 || err == -NLE_NOMEM || err == -NLE_INTR);
	if (ev->changed)
		fn(data);
}

void kernel_events_close(struct kernel_events *ev)
{
	if (!ev)
		return;
	nl_socket_free(ev->sock);
	free(ev);
}
