// SPDX-License-Identifier: GPL-2.0
/*
 * tcp: healthy when a connect succeeds. The socket is the pool's
 * (sockpool.h): given back after a success, closed after anything else.
 */
#include <sys/epoll.h>

#include "probe.h"

static void tcp_connected(void *owner, uint32_t events)
{
	struct probe *p = owner;
	struct pooled_socket *s = p->state;
	int err;

	/* EPOLLOUT alone: connected, no SO_ERROR to ask for. */
	if (!(events & (EPOLLERR | EPOLLHUP))) {
		p->state = NULL;
		sockpool_recycle(s);
		probe_finish(p, true, "connected");
		return;
	}
	err = probe_so_error(s->watch.fd);
	if (err)
		probe_finish_errno(p, err);
	else
		probe_finish(p, true, "connected");
}

static void tcp_start(struct probe *p)
{
	int err;

	p->state = sockpool_connect(p->env->sockets, (struct sockaddr *)&p->addr, p->addrlen,
				    tcp_connected, p, &err);
	if (!p->state)
		probe_finish_errno(p, err);
}

/* Not given back: connecting still, failed, or cancelled. */
static void tcp_stop(struct probe *p)
{
	if (p->state)
		sockpool_close(p->state);
	p->state = NULL;
}

const struct probe_ops probe_tcp_ops = {
	.start = tcp_start,
	.stop = tcp_stop,
};
