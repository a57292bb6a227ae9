// SPDX-License-Identifier: GPL-2.0
/*
 * A probe's life: start, one result (the type's or the timeout's), stop,
 * freed after the batch. Also the socket plumbing the types share.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "probe.h"

static const struct probe_ops *const probe_types[] = {
	[DRLBD_CHECK_TCP]	= &probe_tcp_ops,
	[DRLBD_CHECK_HTTP]	= &probe_http_ops,
	[DRLBD_CHECK_HTTPS]	= &probe_http_ops,
	[DRLBD_CHECK_DNS]	= &probe_dns_ops,
	[DRLBD_CHECK_EXEC]	= &probe_exec_ops,
};

static void probe_release(struct probe *p)
{
	loop_timer_cancel(p->env->loop, &p->timeout);
	probe_types[p->check->type]->stop(p);
	probe_close(p);
	loop_free_later(p->env->loop, &p->deferred, p);
}

void probe_finish(struct probe *p, bool ok, const char *fmt, ...)
{
	char reason[PROBE_REASON_MAX];
	va_list ap;

	if (p->finished)
		return;
	p->finished = true;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	probe_release(p);
	p->done(p, ok, reason);
}

/* Short, and the same words for the same failure whatever the check type. */
void probe_finish_errno(struct probe *p, int err)
{
	switch (err) {
	case ECONNREFUSED:
		probe_finish(p, false, "connect refused");
		break;
	case EHOSTUNREACH:
		probe_finish(p, false, "no route to host");
		break;
	case ENETUNREACH:
		probe_finish(p, false, "network unreachable");
		break;
	case ETIMEDOUT:
		probe_finish(p, false, "timeout");
		break;
	case ECONNRESET:
		probe_finish(p, false, "connection reset");
		break;
	default:
		probe_finish(p, false, "%s", strerror(err));
		break;
	}
}

static void probe_timed_out(struct loop_timer *t)
{
	probe_finish(container_of(t, struct probe, timeout), false, "timeout");
}

/*
 * *slot is the probe in flight, for the caller to cancel it; done clears it.
 * done may be called before this returns (a connect refused at once). now is
 * loop_now(), which the caller has read already.
 */
int probe_start(const struct probe_env *env, const struct drlbd_check *check,
		const struct sockaddr *addr, socklen_t addrlen, int64_t now,
		void (*done)(struct probe *p, bool ok, const char *reason),
		void *owner, struct probe **slot)
{
	struct probe *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	p->env = env;
	p->check = check;
	memcpy(&p->addr, addr, addrlen);
	p->addrlen = addrlen;
	if (check->port)
		((struct sockaddr_in *)&p->addr)->sin_port = htons(check->port);
	p->done = done;
	p->owner = owner;
	p->watch.fd = -1;
	p->timeout.fn = probe_timed_out;
	p->started = now;
	if (loop_timer_arm(env->loop, &p->timeout,
			   p->started + check->timeout_ms * NSEC_PER_MSEC)) {
		free(p);
		return -ENOMEM;
	}
	*slot = p;
	probe_types[check->type]->start(p);
	return 0;
}

/* The target goes away: stop without a result. */
void probe_cancel(struct probe *p)
{
	if (p->finished)
		return;
	p->finished = true;
	probe_release(p);
}

/* Non-blocking, connected to the target; 0 or -errno. */
int probe_socket(struct probe *p, int type, uint32_t events,
		 void (*fn)(struct loop_watch *w, uint32_t events))
{
	int fd, err;

	fd = socket(p->addr.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&p->addr, p->addrlen) && errno != EINPROGRESS) {
		err = -errno;
		goto err_close;
	}
	err = loop_watch_add(p->env->loop, &p->watch, fd, events, fn);
	if (err)
		goto err_close;
	return 0;

err_close:
	close(fd);
	p->watch.fd = -1;
	return err;
}

void probe_close(struct probe *p)
{
	if (p->watch.fd < 0)
		return;
	loop_watch_del(p->env->loop, &p->watch);
	close(p->watch.fd);
	p->watch.fd = -1;
}

/*
 * Close with a RST rather than a FIN, as HAProxy does for its checks: the
 * side that closes first keeps TIME_WAIT, and a thousand probes a second
 * would keep sixty thousand of them.
 */
void probe_reset_on_close(struct probe *p)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	if (p->watch.fd >= 0)
		setsockopt(p->watch.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
}

/* The outcome of a non-blocking connect, or a socket's pending error. */
int probe_so_error(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len))
		return errno;
	return err;
}

uint16_t probe_port(const struct probe *p)
{
	/* sin_port and sin6_port are at the same offset */
	return ntohs(((const struct sockaddr_in *)&p->addr)->sin_port);
}

/* The address alone, as Host: and the name check want it ("::1", no port). */
const char *probe_addr_text(const struct probe *p, char *buf, size_t len)
{
	const void *a = p->addr.ss_family == AF_INET6 ?
		(const void *)&((const struct sockaddr_in6 *)&p->addr)->sin6_addr :
		(const void *)&((const struct sockaddr_in *)&p->addr)->sin_addr;

	return inet_ntop(p->addr.ss_family, a, buf, len);
}
