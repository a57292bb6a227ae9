// SPDX-License-Identifier: GPL-2.0
/*
 * The /metrics endpoint. Each client is a non-blocking socket on the
 * engine's loop, like a probe: a slow or silent one costs a few kilobytes
 * and is dropped after METRICS_TIMEOUT_NS, never a stall of the checks.
 * GET /metrics (or /) answers drctl metrics' text; anything else 404 or
 * 405. HTTP/1.0 and 1.1, one request a connection (Connection: close).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "engine.h"
#include "kernel.h"
#include "list.h"
#include "loop.h"
#include "metrics.h"
#include "metrics_http.h"
#include "parse.h"

#define METRICS_REQUEST_MAX	4096
#define METRICS_CLIENTS_MAX	64
#define METRICS_TIMEOUT_NS	(5 * NSEC_PER_SEC)

struct metrics_http {
	struct drlbd_engine *engine;
	struct drctl *ctx;
	int fd;
	struct drlbd_watch *watch;
	struct list_head clients;
	size_t nclients;
};

struct client {
	struct list_head node;
	struct metrics_http *m;
	int fd;
	struct drlbd_watch *watch;
	int64_t since;
	char req[METRICS_REQUEST_MAX];
	size_t reqlen;
	char *resp;		/* once the request is read */
	size_t resplen, sent;
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

static void client_free(struct client *c)
{
	close(c->fd);
	list_del(&c->node);
	c->m->nclients--;
	free(c->resp);
	free(c);
}

static void client_close(struct client *c)
{
	drlbd_engine_unwatch(c->m->engine, c->watch);
	client_free(c);
}

/* The response to the request in c->req, in c->resp. */
static void respond(struct client *c)
{
	const char *status = "200 OK", *type = METRICS_CONTENT_TYPE;
	char method[8] = "", path[64] = "";
	char *body = NULL;
	size_t bodylen = 0;
	FILE *f;

	f = open_memstream(&body, &bodylen);
	if (!f)
		return;
	if (sscanf(c->req, "%7s %63s", method, path) != 2) {
		status = "400 Bad Request";
		type = "text/plain";
		fputs("not an HTTP request\n", f);
	} else if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		status = "405 Method Not Allowed";
		type = "text/plain";
		fputs("only GET\n", f);
	} else if (strcmp(path, "/metrics") && strcmp(path, "/")) {
		status = "404 Not Found";
		type = "text/plain";
		fputs("drlbd serves /metrics\n", f);
	} else if (metrics_write(c->m->ctx, f)) {
		status = "503 Service Unavailable";
		type = "text/plain";
		fputs("cannot read the module's counters\n", f);
	}
	if (fclose(f))
		return;
	f = open_memstream(&c->resp, &c->resplen);
	if (f) {
		fprintf(f, "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			"Connection: close\r\n\r\n", status, type, bodylen);
		if (strcmp(method, "HEAD"))
			fwrite(body, 1, bodylen, f);
		if (fclose(f)) {
			free(c->resp);
			c->resp = NULL;
		}
	}
	free(body);
}

static void client_ready(void *data, uint32_t events)
{
	struct client *c = data;
	ssize_t n;

	if (!c->resp) {
		n = read(c->fd, c->req + c->reqlen, sizeof(c->req) - 1 - c->reqlen);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			client_close(c);
			return;
		}
		c->reqlen += n;
		c->req[c->reqlen] = '\0';
		if (!strstr(c->req, "\r\n\r\n") && !strstr(c->req, "\n\n")) {
			if (c->reqlen == sizeof(c->req) - 1)
				client_close(c);	/* no end to the header */
			return;
		}
		respond(c);
		if (!c->resp) {
			client_close(c);
			return;
		}
		/* Now to write: the same socket, watched for room. */
		drlbd_engine_unwatch(c->m->engine, c->watch);
		c->watch = drlbd_engine_watch(c->m->engine, c->fd, EPOLLOUT, client_ready, c);
		if (!c->watch)
			client_free(c);
		return;
	}
	(void)events;
	n = send(c->fd, c->resp + c->sent, c->resplen - c->sent, MSG_NOSIGNAL);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0)
		c->sent += n;
	if (n <= 0 || c->sent == c->resplen)
		client_close(c);
}

static void accept_ready(void *data, uint32_t events)
{
	struct metrics_http *m = data;
	struct client *c;
	int fd;

	(void)events;
	while ((fd = accept4(m->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		/* Too many at once: the oldest goes, the scrape that came last is served. */
		if (m->nclients == METRICS_CLIENTS_MAX)
			client_close(list_entry(m->clients.next, struct client, node));
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			continue;
		}
		c->m = m;
		c->fd = fd;
		c->since = now_ns();
		c->watch = drlbd_engine_watch(m->engine, fd, EPOLLIN, client_ready, c);
		if (!c->watch) {
			close(fd);
			free(c);
			continue;
		}
		list_add_tail(&c->node, &m->clients);
		m->nclients++;
	}
}

/* Every second: clients older than the timeout go. */
static void sweep(void *data)
{
	struct metrics_http *m = data;
	struct client *c, *next;
	int64_t now = now_ns();

	list_for_each_entry_safe(c, next, &m->clients, node)
		if (now - c->since > METRICS_TIMEOUT_NS)
			client_close(c);
	drlbd_engine_call_at(m->engine, now + NSEC_PER_SEC, sweep, m);
}

/* ADDR:PORT, [ADDR6]:PORT or :PORT (every address). */
static int parse_where(const char *where, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(where, ':');
	union drctl_addr addr = { 0 };
	int af = AF_INET6;	/* :PORT: in6addr_any, all zero */
	unsigned long port;
	char *end;

	if (!colon || (size_t)(colon - where) >= sizeof(host))
		return -1;
	port = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || !port || port > 65535)
		return -1;
	memcpy(host, where, colon - where);
	host[colon - where] = '\0';
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
		if (parse_addr(host, &af, &addr) || af != AF_INET6)
			return -1;
	} else if (host[0] && (parse_addr(host, &af, &addr) || af != AF_INET)) {
		return -1;
	}
	*len = kernel_sockaddr(af, &addr, port, ss);
	return 0;
}

struct metrics_http *metrics_http_open(struct drlbd_engine *engine, struct drctl *ctx,
				       const char *where, char *err, size_t errlen)
{
	struct metrics_http *m;
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1;

	if (parse_where(where, &ss, &len)) {
		snprintf(err, errlen, "invalid --metrics '%s' (ADDR:PORT, [ADDR6]:PORT or :PORT)",
			 where);
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	m->engine = engine;
	m->ctx = ctx;
	list_init(&m->clients);
	m->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (m->fd < 0 || setsockopt(m->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(m->fd, (struct sockaddr *)&ss, len) || listen(m->fd, 64)) {
		snprintf(err, errlen, "cannot listen on %s: %s", where, strerror(errno));
		goto fail;
	}
	m->watch = drlbd_engine_watch(engine, m->fd, EPOLLIN, accept_ready, m);
	if (!m->watch || drlbd_engine_call_at(engine, now_ns() + NSEC_PER_SEC, sweep, m)) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	return m;
fail:
	if (m->watch)
		drlbd_engine_unwatch(engine, m->watch);
	if (m->fd >= 0)
		close(m->fd);
	free(m);
	return NULL;
}

void metrics_http_close(struct metrics_http *m)
{
	struct client *c, *next;

	if (!m)
		return;
	list_for_each_entry_safe(c, next, &m->clients, node)
		client_close(c);
	drlbd_engine_unwatch(m->engine, m->watch);
	close(m->fd);
	free(m);
}
