// SPDX-License-Identifier: GPL-2.0
/*
 * udpask: datagrams to a UDP service, each from a socket of its own, all
 * open at once (so from as many client ports), and the first line of each
 * answer. socat, a process a datagram, also waits out its -t after the
 * answer; bash's /dev/udp reads a datagram a byte at a time, which keeps
 * the first byte only.
 *
 * udpask ADDR PORT COUNT   send "hi" COUNT times; print the answers, one a
 *                          line in the order sent, "none" for each not
 *                          answered within 3 s (or refused). Exit 1 if one
 *                          was not answered.
 */
#define _GNU_SOURCE
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ask.h"

#define MAX_ASK		64
#define TIMEOUT_MS	3000

int main(int argc, char **argv)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM };
	char answer[MAX_ASK][256] = { { 0 } };
	struct pollfd pfd[MAX_ASK];
	int count, i, left, err;
	struct addrinfo *ai;
	long end;

	count = argc == 4 ? atoi(argv[3]) : 0;
	if (count < 1 || count > MAX_ASK) {
		fprintf(stderr, "usage: udpask ADDR PORT COUNT (1 to %d)\n", MAX_ASK);
		return 2;
	}
	err = getaddrinfo(argv[1], argv[2], &hints, &ai);
	if (err) {
		fprintf(stderr, "udpask: %s %s: %s\n", argv[1], argv[2], gai_strerror(err));
		return 2;
	}
	for (i = 0; i < count; i++) {
		pfd[i].fd = socket(ai->ai_family, SOCK_DGRAM, 0);
		pfd[i].events = POLLIN;
		if (pfd[i].fd < 0 || connect(pfd[i].fd, ai->ai_addr, ai->ai_addrlen) ||
		    send(pfd[i].fd, "hi\n", 3, 0) != 3) {
			perror("udpask");
			return 2;
		}
	}
	freeaddrinfo(ai);
	end = now_ms() + TIMEOUT_MS;
	for (left = count; left && now_ms() < end;) {
		if (poll(pfd, count, end - now_ms()) < 0) {
			perror("udpask: poll");
			return 2;
		}
		for (i = 0; i < count; i++) {
			ssize_t n;

			if (pfd[i].fd < 0 || !(pfd[i].revents & (POLLIN | POLLERR)))
				continue;
			/* An ICMP error (refused) ends the wait too: no answer. */
			n = recv(pfd[i].fd, answer[i], sizeof(answer[i]) - 1, 0);
			answer[i][n > 0 ? strcspn(answer[i], "\n") : 0] = '\0';
			close(pfd[i].fd);
			pfd[i].fd = -1;
			left--;
		}
	}
	for (i = 0, err = 0; i < count; i++) {
		puts(answer[i][0] ? answer[i] : "none");
		err |= !answer[i][0];
	}
	return err;
}
