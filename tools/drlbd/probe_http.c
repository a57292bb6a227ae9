// SPDX-License-Identifier: GPL-2.0
/*
 * http and https: one HTTP/1.1 GET, healthy when the status line has the
 * status wanted. Only the status line is read; the body is not waited for.
 * https is the same request over tls.c.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include "probe.h"

enum http_phase {
	HTTP_CONNECT,
	HTTP_HANDSHAKE,
	HTTP_SEND,
	HTTP_RECEIVE,
};

/* A status line longer than this is not one a health check wants to read. */
#define STATUS_LINE_MAX	512

struct http {
	enum http_phase phase;
	struct tls *tls;		/* https */
	uint32_t events;		/* what the watch waits for */
	size_t request_len;
	size_t sent;
	size_t got;
	char request[DRLBD_PATH_MAX + DRLBD_NAME_MAX + 128];
	char response[STATUS_LINE_MAX];
};

static bool is_https(const struct probe *p)
{
	return p->check->type == DRLBD_CHECK_HTTPS;
}

/* The address as a URL has it: "10.0.0.1", "[2001:db8::1]". */
static void addr_for_url(const struct probe *p, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];

	probe_addr_text(p, addr, sizeof(addr));
	snprintf(buf, len, p->addr.ss_family == AF_INET6 ? "[%s]" : "%s", addr);
}

static void http_request(struct probe *p, struct http *h)
{
	const struct drlbd_check *check = p->check;
	uint16_t port = probe_port(p);
	char host[DRLBD_NAME_MAX + 8];

	if (*check->host) {
		snprintf(host, sizeof(host), "%s", check->host);
	} else {
		char addr[INET6_ADDRSTRLEN + 2];

		/* RFC 9110 7.2: the port, unless the scheme's default */
		addr_for_url(p, addr, sizeof(addr));
		if (port == (is_https(p) ? 443 : 80))
			snprintf(host, sizeof(host), "%s", addr);
		else
			snprintf(host, sizeof(host), "%s:%u", addr, port);
	}
	h->request_len = snprintf(h->request, sizeof(h->request),
				  "GET %s HTTP/1.1\r\n"
				  "Host: %s\r\n"
				  "Connection: close\r\n"
				  "User-Agent: drlbd\r\n"
				  "Accept: */*\r\n"
				  "\r\n", check->path, host);
}

/* "HTTP/1.1 200 OK": version, a space, three digits, then a space or the end. */
static int status_parse(const char *line, size_t len)
{
	if (len < 12 || memcmp(line, "HTTP/", 5) || !isdigit((unsigned char)line[5]) ||
	    line[6] != '.' || !isdigit((unsigned char)line[7]) || line[8] != ' ')
		return -1;
	for (int i = 9; i < 12; i++)
		if (!isdigit((unsigned char)line[i]))
			return -1;
	if (len > 12 && line[12] != ' ' && line[12] != '\r' && line[12] != '\n')
		return -1;
	return (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
}

/* True when done: the status line is in, or will never be. */
static bool http_judge(struct probe *p, struct http *h, bool closed)
{
	const char *eol = memchr(h->response, '\n', h->got);
	int status;

	if (!eol && !closed && h->got < sizeof(h->response))
		return false;
	if (!h->got) {
		probe_finish(p, false, "closed without a response");
		return true;
	}
	status = status_parse(h->response, eol ? (size_t)(eol - h->response) : h->got);
	if (status < 0)
		probe_finish(p, false, "bad status line");
	else if (status != p->check->status)
		probe_finish(p, false, "status %d, want %u", status, p->check->status);
	else
		probe_finish(p, true, "status %d", status);
	return true;
}

/* One step of the current phase: 1 moved on, 0 wait for h->events, -1 finished. */
static int http_handshake(struct probe *p, struct http *h)
{
	char reason[PROBE_REASON_MAX];

	switch (tls_handshake(h->tls, &h->events, reason, sizeof(reason))) {
	case TLS_DONE:
		h->phase = HTTP_SEND;
		return 1;
	case TLS_WAIT:
		return 0;
	default:
		probe_finish(p, false, "%s", reason);
		return -1;
	}
}

static int http_send(struct probe *p, struct http *h)
{
	const char *buf = h->request + h->sent;
	size_t n = h->request_len - h->sent, put = 0;
	char reason[PROBE_REASON_MAX];
	ssize_t ret;

	if (h->tls) {
		switch (tls_write(h->tls, buf, n, &put, &h->events, reason, sizeof(reason))) {
		case TLS_WAIT:
			return 0;
		case TLS_FAILED:
			probe_finish(p, false, "%s", reason);
			return -1;
		default:
			break;
		}
	} else {
		ret = send(p->watch.fd, buf, n, MSG_NOSIGNAL);
		if (ret < 0 && errno == EAGAIN) {
			h->events = EPOLLOUT;
			return 0;
		}
		if (ret < 0) {
			probe_finish_errno(p, errno);
			return -1;
		}
		put = ret;
	}
	h->sent += put;
	if (h->sent == h->request_len)
		h->phase = HTTP_RECEIVE;
	return 1;
}

static int http_receive(struct probe *p, struct http *h)
{
	char *buf = h->response + h->got;
	size_t n = sizeof(h->response) - h->got, got = 0;
	char reason[PROBE_REASON_MAX];
	ssize_t ret;

	if (h->tls) {
		switch (tls_read(h->tls, buf, n, &got, &h->events, reason, sizeof(reason))) {
		case TLS_WAIT:
			return 0;
		case TLS_FAILED:
			probe_finish(p, false, "%s", reason);
			return -1;
		default:
			break;
		}
	} else {
		ret = recv(p->watch.fd, buf, n, 0);
		if (ret < 0 && errno == EAGAIN) {
			h->events = EPOLLIN;
			return 0;
		}
		if (ret < 0) {
			probe_finish_errno(p, errno);
			return -1;
		}
		got = ret;
	}
	h->got += got;
	return http_judge(p, h, !got) ? -1 : 1;
}

static int http_connected(struct probe *p, struct http *h)
{
	const struct drlbd_check *check = p->check;
	char addr[INET6_ADDRSTRLEN];
	const char *sni, *name;
	int err = probe_so_error(p->watch.fd);

	if (err) {
		probe_finish_errno(p, err);
		return -1;
	}
	if (!is_https(p)) {
		h->phase = HTTP_SEND;
		return 1;
	}
	/* No SNI for an address: RFC 6066 3 allows host names only. */
	sni = *check->sni ? check->sni : *check->host ? check->host : NULL;
	name = sni ? sni : probe_addr_text(p, addr, sizeof(addr));
	h->tls = tls_new(p->env->tls, p->watch.fd, sni, name, check->verify);
	if (!h->tls) {
		probe_finish(p, false, "tls setup failed");
		return -1;
	}
	h->phase = HTTP_HANDSHAKE;
	return 1;
}

static void http_ready(struct loop_watch *w, uint32_t events)
{
	struct probe *p = container_of(w, struct probe, watch);
	struct http *h = p->state;
	uint32_t before = h->events;
	int step;

	(void)events;
	do {
		switch (h->phase) {
		case HTTP_CONNECT:
			step = http_connected(p, h);
			break;
		case HTTP_HANDSHAKE:
			step = http_handshake(p, h);
			break;
		case HTTP_SEND:
			step = http_send(p, h);
			break;
		default:
			step = http_receive(p, h);
			break;
		}
	} while (step > 0);
	if (!step && h->events != before && loop_watch_mod(p->env->loop, w, h->events))
		probe_finish(p, false, "epoll: %s", strerror(errno));
}

static void http_start(struct probe *p)
{
	struct http *h = calloc(1, sizeof(*h));
	int err;

	if (!h) {
		probe_finish(p, false, "out of memory");
		return;
	}
	p->state = h;
	http_request(p, h);
	h->events = EPOLLOUT;
	err = probe_socket(p, SOCK_STREAM, h->events, http_ready);
	if (err)
		probe_finish_errno(p, -err);
}

static void http_stop(struct probe *p)
{
	struct http *h = p->state;

	if (!h)
		return;
	tls_free(h->tls);
	free(h);
	p->state = NULL;
	probe_reset_on_close(p);
}

const struct probe_ops probe_http_ops = {
	.start = http_start,
	.stop = http_stop,
};
