// SPDX-License-Identifier: GPL-2.0
/*
 * tcpask: connections to a TCP service that greets (the lab's echo service,
 * tests/tools/echod.c), one after the other, each new, and the first line
 * of each. A loop of socat and head takes four processes a connection,
 * each of them seconds with KASAN under TCG.
 *
 * tcpask ADDR PORT COUNT   COUNT connections; print each one's greeting,
 *                          one a line, "none" for one refused or silent
 *                          for 3 s. Exit 1 if one was not greeted.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ask.h"

#define MAX_ASK		64
#define TIMEOUT_MS	3000

/* The first line @sa's service sends on a new connection into @line. */
static void greeting(const struct sockaddr *sa, socklen_t salen, char *line, size_t size)
{
	long end = now_ms() + TIMEOUT_MS;
	socklen_t len = sizeof(int);
	size_t got = 0;
	int fd, err = 0;

	line[0] = '\0';
	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if ((connect(fd, sa, salen) && errno != EINPROGRESS) ||
	    wait_fd(fd, POLLOUT, end) || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) || err)
		goto out;
	while (got < size - 1 && !memchr(line, '\n', got) && !wait_fd(fd, POLLIN, end)) {
		ssize_t n = recv(fd, line + got, size - 1 - got, 0);

		if (n <= 0)
			break;
		got += n;
	}
	line[got] = '\0';
	line[strcspn(line, "\n")] = '\0';
out:
	close(fd);
}

int main(int argc, char **argv)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr *sa = (struct sockaddr *)&sin;
	socklen_t salen = sizeof(sin);
	int count, port, i, err;
	char line[256];

	count = argc == 4 ? atoi(argv[3]) : 0;
	port = argc == 4 ? atoi(argv[2]) : 0;
	if (count < 1 || count > MAX_ASK || port < 1 || port > 65535) {
		fprintf(stderr, "usage: tcpask ADDR PORT COUNT (1 to %d)\n", MAX_ASK);
		return 2;
	}
	sin.sin_port = htons(port);
	sin6.sin6_port = htons(port);
	if (inet_pton(AF_INET6, argv[1], &sin6.sin6_addr) == 1) {
		sa = (struct sockaddr *)&sin6;
		salen = sizeof(sin6);
	} else if (inet_pton(AF_INET, argv[1], &sin.sin_addr) != 1) {
		fprintf(stderr, "tcpask: %s: not an IPv4 or IPv6 address\n", argv[1]);
		return 2;
	}
	for (i = 0, err = 0; i < count; i++) {
		greeting(sa, salen, line, sizeof(line));
		puts(line[0] ? line : "none");
		fflush(stdout);
		err |= !line[0];
	}
	return err;
}
