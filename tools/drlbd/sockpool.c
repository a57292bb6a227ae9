// SPDX-License-Identifier: GPL-2.0
/*
 * The pool of tcp probes' sockets: taken to connect, given back reset after
 * a success, closed after anything else.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "sockpool.h"

/*
 * A turn's worth of probes, and more, at thousands a second. Past it, a
 * burst's sockets are closed rather than kept, so that idle ones never hold
 * much of the 1024 descriptors a daemon has by default (RLIMIT_NOFILE),
 * which http and exec probes need too.
 */
#define SOCKPOOL_IDLE_MAX	128

void sockpool_init(struct sockpool *pool, struct loop *loop)
{
	pool->loop = loop;
	list_init(&pool->idle[0]);
	list_init(&pool->idle[1]);
	pool->nr_idle = 0;
}

static struct list_head *idle_list(struct sockpool *pool, int family)
{
	return &pool->idle[family == AF_INET6];
}

static void socket_ready(struct loop_watch *w, uint32_t events)
{
	struct pooled_socket *s = container_of(w, struct pooled_socket, watch);

	/* Idle: the wakeup of its own reset. */
	if (s->ready)
		s->ready(s->owner, events);
}

static struct pooled_socket *socket_new(struct sockpool *pool, int family, int *err)
{
	/* close() sends a RST then, rather than a FIN that would leave a TIME_WAIT */
	const struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct pooled_socket *s = calloc(1, sizeof(*s));
	int fd;

	if (!s) {
		*err = ENOMEM;
		return NULL;
	}
	fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*err = errno;
		goto err_free;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg))) {
		*err = errno;
		goto err_close;
	}
	*err = -loop_watch_add(pool->loop, &s->watch, fd, EPOLLOUT | EPOLLET, socket_ready);
	if (*err)
		goto err_close;
	s->pool = pool;
	s->family = family;
	return s;

err_close:
	close(fd);
err_free:
	free(s);
	return NULL;
}

/*
 * An idle socket of addr's family, or a new one, connecting to addr: ready
 * is called with the epoll events when it connected or failed. NULL with
 * *err (an errno) when the connect could not start.
 */
struct pooled_socket *sockpool_connect(struct sockpool *pool, const struct sockaddr *addr,
				       socklen_t addrlen,
				       void (*ready)(void *owner, uint32_t events),
				       void *owner, int *err)
{
	struct list_head *idle = idle_list(pool, addr->sa_family);
	struct pooled_socket *s;

	if (list_empty(idle)) {
		s = socket_new(pool, addr->sa_family, err);
		if (!s)
			return NULL;
	} else {
		/* The last given back: the fewest idle sockets stay in use. */
		s = list_entry(idle->prev, struct pooled_socket, node);
		list_del(&s->node);
		pool->nr_idle--;
	}
	if (connect(s->watch.fd, addr, addrlen) && errno != EINPROGRESS) {
		*err = errno;
		sockpool_close(s);
		return NULL;
	}
	s->ready = ready;
	s->owner = owner;
	return s;
}

/* After its connect succeeded, and only then: reset and kept for the next probe. */
void sockpool_recycle(struct pooled_socket *s)
{
	const struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	struct sockpool *pool = s->pool;

	s->ready = NULL;
	s->owner = NULL;
	if (pool->nr_idle >= SOCKPOOL_IDLE_MAX ||
	    connect(s->watch.fd, &unspec, sizeof(unspec))) {
		sockpool_close(s);
		return;
	}
	list_add_tail(&s->node, idle_list(pool, s->family));
	pool->nr_idle++;
}

/* Freed after the loop's batch: an event for it may be in it. */
void sockpool_close(struct pooled_socket *s)
{
	struct loop *loop = s->pool->loop;

	loop_watch_del(loop, &s->watch);
	close(s->watch.fd);
	loop_free_later(loop, &s->deferred, s);
}

/* The idle ones; those in use are their probes' to close. */
void sockpool_release(struct sockpool *pool)
{
	struct pooled_socket *s, *next;

	for (size_t i = 0; i < ARRAY_SIZE(pool->idle); i++) {
		list_for_each_entry_safe(s, next, &pool->idle[i], node) {
			list_del(&s->node);
			sockpool_close(s);
		}
	}
	pool->nr_idle = 0;
}
