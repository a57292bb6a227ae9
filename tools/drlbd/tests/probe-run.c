// SPDX-License-Identifier: GPL-2.0
/*
 * probe-run: the engine on the command line, for the host tests and for
 * whoever wants to see what a check says about a server.
 *
 *   probe-run [-d SECONDS] [-i unchecked|up|down] [-s SERVICE] [-q] CHECK... -- TARGET...
 *   probe-run -c CHECK...
 *
 * Runs CHECK (the check's words, as `drctl` takes them) against each TARGET
 * (ADDR:PORT, [ADDR6]:PORT) for SECONDS (default 10), or until SIGINT or
 * SIGTERM, and prints one line per probe result (not with -q), per health
 * change and per quorum crossing, each after the seconds since the start;
 * then the stats. -c prints the check's canonical text, or what is wrong
 * with it (exit 2).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "engine.h"
#include "loop.h"

struct run {
	struct drlbd_engine *engine;
	int64_t start;
	bool quiet;
	int sigfd;
};

static double since(const struct run *run)
{
	return (loop_now() - run->start) / 1e9;
}

static double ms(int64_t ns)
{
	return ns / 1e6;
}

static void health_changed(void *data, struct drlbd_target *t, const struct drlbd_change *c)
{
	struct run *run = data;

	printf("%10.6f %s %s: %s, %u of %u\n", since(run), drlbd_target_name(t),
	       drlbd_health_name(c->health), c->reason, c->count, c->of);
}

static void probe_done(void *data, struct drlbd_target *t, const struct drlbd_probe_result *r)
{
	struct run *run = data;

	if (run->quiet)
		return;
	printf("%10.6f probe %s %s: %s (late %.3f ms, took %.3f ms)\n", since(run),
	       drlbd_target_name(t), r->ok ? "ok" : "failed", r->reason,
	       ms(r->late_ns), ms(r->took_ns));
}

static void quorum_changed(void *data, struct drlbd_service *svc, bool met,
			   uint32_t healthy, uint32_t need)
{
	struct run *run = data;

	printf("%10.6f quorum %s %s: %u healthy, quorum %u\n", since(run),
	       drlbd_service_name(svc), met ? "met" : "lost", healthy, need);
}

static void stop(void *data)
{
	drlbd_engine_stop(((struct run *)data)->engine);
}

static void signalled(void *data, uint32_t events)
{
	struct run *run = data;
	struct signalfd_siginfo si;

	(void)events;
	if (read(run->sigfd, &si, sizeof(si)) == sizeof(si))
		drlbd_engine_stop(run->engine);
}

static int parse_target(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return -1;
	port = strtol(colon + 1, &end, 10);
	if (*end || port < 1 || port > 65535)
		return -1;
	memset(ss, 0, sizeof(*ss));
	if (*s == '[' && colon[-1] == ']') {
		memcpy(host, s + 1, colon - s - 2);
		host[colon - s - 2] = '\0';
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		*len = sizeof(*sin6);
		return inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1 ? 0 : -1;
	}
	memcpy(host, s, colon - s);
	host[colon - s] = '\0';
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	*len = sizeof(*sin);
	return inet_pton(AF_INET, host, &sin->sin_addr) == 1 ? 0 : -1;
}

static int parse_health(const char *s, enum drlbd_health *health)
{
	for (int h = DRLBD_HEALTH_UNCHECKED; h <= DRLBD_HEALTH_DOWN; h++) {
		if (!strcmp(s, drlbd_health_name(h))) {
			*health = h;
			return 0;
		}
	}
	return -1;
}

static void print_stats(const struct run *run)
{
	struct drlbd_stats st;
	struct rusage ru;

	drlbd_engine_stats(run->engine, &st);
	getrusage(RUSAGE_SELF, &ru);
	printf("stats probes %llu ok %llu failed %llu missed %llu",
	       (unsigned long long)st.probes, (unsigned long long)st.ok,
	       (unsigned long long)st.failed, (unsigned long long)st.missed);
	printf(" late_max_ms %.3f late_mean_ms %.3f cpu_s %.3f\n", ms(st.late_max_ns),
	       st.probes ? ms(st.late_sum_ns / (int64_t)st.probes) : 0.0,
	       ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6);
}

static const char usage_text[] =
	"usage: probe-run [-d SECONDS] [-i unchecked|up|down] [-s SERVICE] [-q] \\\n"
	"                 CHECK... -- TARGET...\n"
	"       probe-run -c CHECK...\n";

static int usage(void)
{
	fputs(usage_text, stderr);
	return 2;
}

static int show(int argc, char **argv)
{
	char err[256], text[DRLBD_CHECK_TEXT_MAX];
	struct drlbd_check check;

	if (drlbd_check_parse(&check, argc, argv, err, sizeof(err))) {
		fprintf(stderr, "probe-run: %s\n", err);
		return 2;
	}
	if (drlbd_check_format(&check, text, sizeof(text)) < 0)
		return 1;
	puts(text);
	return 0;
}

static int add_targets(struct drlbd_service *svc, int argc, char **argv,
		       enum drlbd_health initial)
{
	struct sockaddr_storage ss;
	socklen_t len;

	for (int i = 0; i < argc; i++) {
		if (parse_target(argv[i], &ss, &len)) {
			fprintf(stderr, "probe-run: '%s' is not ADDR:PORT or [ADDR6]:PORT\n",
				argv[i]);
			return 2;
		}
		if (!drlbd_target_add(svc, (struct sockaddr *)&ss, len, initial)) {
			fprintf(stderr, "probe-run: %s: %s\n", argv[i], strerror(errno));
			return 1;
		}
	}
	return 0;
}

static int run_check(struct run *run, int argc, char **argv, const char *service,
		     enum drlbd_health initial, double seconds)
{
	struct drlbd_ops ops = {
		.health_changed = health_changed, .probe_done = probe_done,
		.quorum_changed = quorum_changed, .data = run,
	};
	char err[256];
	struct drlbd_check check;
	struct drlbd_service *svc;
	int ncheck, ret = 1;

	for (ncheck = 0; ncheck < argc && strcmp(argv[ncheck], "--"); ncheck++)
		;
	if (ncheck == argc || ncheck + 1 == argc)
		return usage();
	if (drlbd_check_parse(&check, ncheck, argv, err, sizeof(err))) {
		fprintf(stderr, "probe-run: %s\n", err);
		return 2;
	}
	run->engine = drlbd_engine_new(&ops);
	if (!run->engine)
		return 1;
	svc = drlbd_service_add(run->engine, service, &check);
	if (!svc)
		goto out;
	ret = add_targets(svc, argc - ncheck - 1, argv + ncheck + 1, initial);
	if (ret)
		goto out;
	ret = 1;
	if (!drlbd_engine_watch(run->engine, run->sigfd, EPOLLIN, signalled, run) ||
	    drlbd_engine_call_at(run->engine, run->start + (int64_t)(seconds * 1e9), stop, run))
		goto out;
	if (drlbd_engine_run(run->engine))
		goto out;
	print_stats(run);
	ret = 0;
out:
	drlbd_engine_free(run->engine);
	return ret;
}

int main(int argc, char **argv)
{
	struct run run = { .start = loop_now() };
	enum drlbd_health initial = DRLBD_HEALTH_UNCHECKED;
	const char *service = "tcp 10.0.0.100:80";
	double seconds = 10;
	sigset_t mask;
	int opt, ret;

	/* The check's words may start with anything but a '-'. */
	while ((opt = getopt(argc, argv, "+cd:i:s:q")) != -1) {
		switch (opt) {
		case 'c':
			return show(argc - optind, argv + optind);
		case 'd':
			seconds = strtod(optarg, NULL);
			break;
		case 'i':
			if (parse_health(optarg, &initial))
				return usage();
			break;
		case 's':
			service = optarg;
			break;
		case 'q':
			run.quiet = true;
			break;
		default:
			return usage();
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	run.sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (run.sigfd < 0)
		return 1;
	ret = run_check(&run, argc - optind, argv + optind, service, initial, seconds);
	close(run.sigfd);
	return ret;
}
