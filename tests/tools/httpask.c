// SPDX-License-Identifier: GPL-2.0
/*
 * httpask: HTTP/1.0 GETs, one after the other, each on a new connection,
 * for the lab's clients. curl loads 32 shared libraries, which in the debug
 * kernel's guests costs an exec about 1.5 s; this needs libc only.
 *
 * httpask [-t SECONDS] [-i ADDR] [-e] [-p MS] [-r] URL...
 *   URL       http://HOST[:PORT][/PATH], HOST a numeric address ([v6])
 *   -t        the time each request may take, 5 s unless given
 *   -i        the local address to connect from (curl's --interface ADDR)
 *   -e        after each body, a line "END CODE" (curl's -w 'END
 *             %{http_code}\n'; CODE 000 when there was no response)
 *   -p        a pause of MS milliseconds after each request
 *   -r        the URLs again and again, until killed: a steady load
 * Prints each body as it came; says on stderr why a request got no
 * response. Exit 1 if one got none, 2 on bad usage.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ask.h"

#define MAX_RESPONSE	(16 << 20)

struct url {
	char host[64];
	char port[8];
	const char *path;
};

static int parse_url(const char *s, struct url *u)
{
	const char *host, *end, *p;
	size_t len;

	if (strncmp(s, "http://", 7))
		return -1;
	host = s + 7;
	if (*host == '[') {
		end = strchr(++host, ']');
		if (!end)
			return -1;
		p = end + 1;
	} else {
		end = host + strcspn(host, ":/");
		p = end;
	}
	len = end - host;
	if (!len || len >= sizeof(u->host))
		return -1;
	memcpy(u->host, host, len);
	u->host[len] = '\0';
	snprintf(u->port, sizeof(u->port), "80");
	if (*p == ':') {
		len = strcspn(++p, "/");
		if (!len || len >= sizeof(u->port))
			return -1;
		memcpy(u->port, p, len);
		u->port[len] = '\0';
		p += len;
	}
	u->path = *p ? p : "/";
	return 0;
}

static int connect_to(const struct url *u, const char *from, long end, const char **why)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICHOST };
	struct addrinfo *ai, *src = NULL;
	int fd = -1, err = 0;
	socklen_t len = sizeof(err);

	*why = "address";
	if (getaddrinfo(u->host, u->port, &hints, &ai)) {
		errno = EINVAL;
		return -1;
	}
	hints.ai_family = ai->ai_family;
	if (from && getaddrinfo(from, NULL, &hints, &src)) {
		*why = "local address";
		errno = EINVAL;
		goto out;
	}
	*why = "connect";
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto out;
	if (src && bind(fd, src->ai_addr, src->ai_addrlen)) {
		*why = "bind";
		goto fail;
	}
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) && errno != EINPROGRESS)
		goto fail;
	if (wait_fd(fd, POLLOUT, end))
		goto fail;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) || err) {
		errno = err ?: errno;
		goto fail;
	}
	goto out;
fail:
	err = errno;
	close(fd);
	fd = -1;
	errno = err;
out:
	if (src)
		freeaddrinfo(src);
	freeaddrinfo(ai);
	return fd;
}

/*
 * GET @u; the response into @buf (grown as needed), its length into @len.
 * Returns 0, or -1 with errno set and the step that failed in @why.
 */
static int get(const struct url *u, const char *from, int seconds, char **buf, size_t *len,
	       const char **why)
{
	long end = now_ms() + seconds * 1000L;
	size_t cap = *len = 0;
	char req[512];
	int fd, n;

	fd = connect_to(u, from, end, why);
	if (fd < 0)
		return -1;
	n = snprintf(req, sizeof(req), "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: httpask\r\n\r\n",
		     u->path, u->host);
	*why = "send";
	if (n >= (int)sizeof(req) || send(fd, req, n, MSG_NOSIGNAL) != n)
		goto fail;
	*why = "receive";
	for (;;) {
		ssize_t got;

		if (cap - *len < 4096) {
			char *more;

			cap = cap ? 2 * cap : 16384;
			more = cap <= MAX_RESPONSE ? realloc(*buf, cap) : NULL;
			if (!more) {
				errno = EFBIG;
				goto fail;
			}
			*buf = more;
		}
		got = recv(fd, *buf + *len, cap - *len, 0);
		if (!got)
			break;
		if (got > 0)
			*len += got;
		else if (errno != EAGAIN || wait_fd(fd, POLLIN, end))
			goto fail;
	}
	/* The loop left room: a string for sscanf(). */
	(*buf)[*len] = '\0';
	close(fd);
	return 0;
fail:
	n = errno;
	close(fd);
	errno = n;
	return -1;
}

/* The status code and the body of the response in @buf; NULL if it is none. */
static const char *response_body(const char *buf, size_t len, int *code)
{
	const char *end;
	int n = 0;

	if (len < 12 || sscanf(buf, "HTTP/1.%*1[01] %3d%n", code, &n) != 1 || n != 12)
		return NULL;
	end = memmem(buf, len, "\r\n\r\n", 4);
	return end ? end + 4 : NULL;
}

int main(int argc, char **argv)
{
	const char *from = NULL, *why;
	int opt, seconds = 5, ends = 0, pause = 0, repeat = 0, ret = 0;
	char *buf = NULL;

	while ((opt = getopt(argc, argv, "t:i:ep:r")) != -1) {
		switch (opt) {
		case 't':
			seconds = atoi(optarg);
			break;
		case 'i':
			from = optarg;
			break;
		case 'e':
			ends = 1;
			break;
		case 'p':
			pause = atoi(optarg);
			break;
		case 'r':
			repeat = 1;
			break;
		default:
			seconds = 0;
		}
	}
	if (optind == argc || seconds < 1 || pause < 0) {
		fprintf(stderr, "usage: httpask [-t SECONDS] [-i ADDR] [-e] [-p MS] [-r] URL...\n");
		return 2;
	}
	for (int i = optind; i < argc; i++) {
		const char *body;
		struct url u;
		int code = 0;
		size_t len;

		if (parse_url(argv[i], &u)) {
			fprintf(stderr, "httpask: %s: not http://HOST[:PORT][/PATH]\n", argv[i]);
			return 2;
		}
		if (get(&u, from, seconds, &buf, &len, &why)) {
			fprintf(stderr, "httpask: %s: %s: %s\n", argv[i], why, strerror(errno));
			ret = 1;
		} else {
			body = response_body(buf, len, &code);
			if (body) {
				fwrite(body, 1, buf + len - body, stdout);
			} else {
				fprintf(stderr, "httpask: %s: not an HTTP response\n", argv[i]);
				code = 0;
				ret = 1;
			}
		}
		if (ends)
			printf("END %03d\n", code);
		fflush(stdout);
		if (pause)
			poll(NULL, 0, pause);
		if (repeat && i == argc - 1)
			i = optind - 1;
	}
	free(buf);
	return ret;
}
