// SPDX-License-Identifier: GPL-2.0
/* tcp: healthy when a connect succeeds. */
#include <sys/epoll.h>

#include "probe.h"

static void tcp_connected(struct loop_watch *w, uint32_t events)
{
	struct probe *p = container_of(w, struct probe, watch);
	int err = probe_so_error(p);

	(void)events;
	if (err)
		probe_finish_errno(p, err);
	else
		probe_finish(p, true, "connected");
}

static void tcp_start(struct probe *p)
{
	int err = probe_socket(p, SOCK_STREAM, EPOLLOUT, tcp_connected);

	if (err)
		probe_finish_errno(p, -err);
}

/* probe_close() then closes the socket. */
static void tcp_stop(struct probe *p)
{
	probe_reset_on_close(p);
}

const struct probe_ops probe_tcp_ops = {
	.start = tcp_start,
	.stop = tcp_stop,
};
