// SPDX-License-Identifier: GPL-2.0
/*
 * probesink: the far end of health-check probes, for the checker benchmark:
 * accepts TCP connections on PORT for any local address (a "local" route
 * makes a whole range of backends this one host) and closes them, and
 * records, per address, when each probe arrived.
 *
 * probesink PORT SECONDS INTERVAL_MS
 * After SECONDS (or SIGTERM), prints one line:
 *   probes N addresses M gap_mean_ms X gap_p99_ms Y gap_max_ms Z late_max_ms L
 * where a gap is the time between two probes of one address, and late is
 * how much a gap exceeded INTERVAL_MS: a checker that keeps its schedule
 * has gaps of INTERVAL_MS and lateness near 0.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_ADDRS	65536
#define MAX_GAPS	(4 * 1024 * 1024)

static int64_t last_ns[MAX_ADDRS];	/* by the address's low 16 bits */
static uint32_t gaps_us[MAX_GAPS];
static size_t nr_gaps, nr_addrs;
static uint64_t probes;
static volatile sig_atomic_t stop;

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void arrived(const struct sockaddr_in *local, int64_t t)
{
	uint32_t slot = ntohl(local->sin_addr.s_addr) & (MAX_ADDRS - 1);

	probes++;
	if (!last_ns[slot])
		nr_addrs++;
	else if (nr_gaps < MAX_GAPS)
		gaps_us[nr_gaps++] = (t - last_ns[slot]) / 1000;
	last_ns[slot] = t;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct epoll_event ev = { .events = EPOLLIN };
	int one = 1, lfd, ep;
	int64_t end, interval_us;
	double sum = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: probesink PORT SECONDS INTERVAL_MS\n");
		return 2;
	}
	sin.sin_port = htons(atoi(argv[1]));
	end = now_ns() + atoll(argv[2]) * 1000000000LL;
	interval_us = atoll(argv[3]) * 1000;
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (lfd < 0 || setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) || listen(lfd, 4096)) {
		perror("probesink: listen");
		return 1;
	}
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev)) {
		perror("probesink: epoll");
		return 1;
	}
	while (!stop && now_ns() < end) {
		struct sockaddr_in local;
		socklen_t len;
		int fd;

		if (epoll_wait(ep, &ev, 1, 100) <= 0)
			continue;
		while ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
			len = sizeof(local);
			if (!getsockname(fd, (struct sockaddr *)&local, &len))
				arrived(&local, now_ns());
			close(fd);
		}
		if (errno != EAGAIN && errno != ECONNABORTED && errno != EINTR) {
			perror("probesink: accept");
			return 1;
		}
	}
	if (!nr_gaps) {
		printf("probes %llu addresses %zu ", (unsigned long long)probes, nr_addrs);
		printf("gap_mean_ms - gap_p99_ms - gap_max_ms - late_max_ms -\n");
		return 0;
	}
	qsort(gaps_us, nr_gaps, sizeof(gaps_us[0]), cmp_u32);
	for (size_t i = 0; i < nr_gaps; i++)
		sum += gaps_us[i];
	printf("probes %llu addresses %zu ", (unsigned long long)probes, nr_addrs);
	printf("gap_mean_ms %.1f gap_p99_ms %.1f gap_max_ms %.1f late_max_ms %.1f\n",
	       sum / nr_gaps / 1000,
	       gaps_us[nr_gaps * 99 / 100] / 1000.0, gaps_us[nr_gaps - 1] / 1000.0,
	       gaps_us[nr_gaps - 1] > interval_us ?
	       (gaps_us[nr_gaps - 1] - interval_us) / 1000.0 : 0.0);
	return 0;
}
