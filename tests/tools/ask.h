/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The clock and the deadlines of the lab's clients (httpask, tcpask,
 * udpask): each header-only, as every tool is one file built on its own.
 */
#ifndef DRLB_TESTS_ASK_H
#define DRLB_TESTS_ASK_H

#include <errno.h>
#include <poll.h>
#include <time.h>

/* The monotonic clock in milliseconds. */
static inline long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until @fd is ready for @events or @end passes; -1 and errno set. */
static inline int wait_fd(int fd, short events, long end)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	long left = end - now_ms();
	int n;

	if (left <= 0) {
		errno = ETIMEDOUT;
		return -1;
	}
	n = poll(&pfd, 1, left);
	if (n == 0)
		errno = ETIMEDOUT;
	return n > 0 ? 0 : -1;
}

#endif
