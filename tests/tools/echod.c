// SPDX-License-Identifier: GPL-2.0
/*
 * echod: the lab's echo service on a real server, TCP and UDP port 7 in
 * one process. A TCP connection is greeted with the server's name, then
 * each line it sends comes back; a UDP datagram is answered with the name,
 * from the address the socket is bound to (the VIP: direct routing's
 * replies must leave from it). socat, with a shell and cat for each
 * connection, took three processes a connection.
 *
 * echod NAME UDPADDR   TCP on every IPv4 address, UDP on UDPADDR; runs
 *                      until killed.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define PORT	7

static int listener(int type, const char *addr)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	int fd, on = 1;

	if (addr && inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
		fprintf(stderr, "echod: %s: not an IPv4 address\n", addr);
		return -1;
	}
	fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    (type == SOCK_STREAM && listen(fd, 64))) {
		perror("echod");
		return -1;
	}
	return fd;
}

/* A connection's child: the greeting, then its lines back until it ends. */
static int serve(int fd, const char *hello, size_t len)
{
	char buf[4096];
	ssize_t n;

	if (write(fd, hello, len) != (ssize_t)len)
		return 1;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (write(fd, buf, n) != n)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = SIG_IGN, .sa_flags = SA_NOCLDWAIT };
	struct pollfd pfd[2];
	char hello[64];
	size_t len;

	if (argc != 3 || strlen(argv[1]) >= sizeof(hello) - 1) {
		fprintf(stderr, "usage: echod NAME UDPADDR\n");
		return 2;
	}
	len = snprintf(hello, sizeof(hello), "%s\n", argv[1]);
	/* Children reap themselves. */
	sigaction(SIGCHLD, &sa, NULL);
	pfd[0].fd = listener(SOCK_STREAM, NULL);
	pfd[1].fd = listener(SOCK_DGRAM, argv[2]);
	if (pfd[0].fd < 0 || pfd[1].fd < 0)
		return 1;
	pfd[0].events = POLLIN;
	pfd[1].events = POLLIN;
	for (;;) {
		struct sockaddr_storage from;
		struct sockaddr *sa_from = (struct sockaddr *)&from;
		socklen_t fromlen = sizeof(from);
		char buf[2048];
		int fd;

		if (poll(pfd, 2, -1) < 0)
			continue;
		if (pfd[1].revents & POLLIN &&
		    recvfrom(pfd[1].fd, buf, sizeof(buf), 0, sa_from, &fromlen) >= 0)
			sendto(pfd[1].fd, hello, len, 0, sa_from, fromlen);
		if (!(pfd[0].revents & POLLIN))
			continue;
		fd = accept4(pfd[0].fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		if (fork() == 0) {
			close(pfd[0].fd);
			close(pfd[1].fd);
			_exit(serve(fd, hello, len));
		}
		close(fd);
	}
}
