// SPDX-License-Identifier: GPL-2.0
/*
 * engine-test: the runtime API as the netlink side will use it, TAP on
 * stdout. Each test runs its own engine against a real listener on
 * 127.0.0.1 (accepting on the same loop, through drlbd_engine_watch()) or a
 * port nothing listens on. Built with ASan and UBSan: a use after free in a
 * callback that removes what it is called about fails the run.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "engine.h"
#include "loop.h"

struct ctx {
	struct drlbd_engine *engine;
	int changes;
	int quorum_met;
	int quorum_lost;
	enum drlbd_health last;
	char reason[192];
	bool remove_target;	/* in health_changed */
	bool remove_service;
	struct drlbd_service *svc;	/* for adding later */
	struct sockaddr_in late_target;
};

static int tests;
static int failures;

static void tap(bool ok, const char *name)
{
	printf("%sok %d - %s\n", ok ? "" : "not ", ++tests, name);
	if (!ok)
		failures++;
}

static void changed(void *data, struct drlbd_target *t, const struct drlbd_change *c)
{
	struct ctx *ctx = data;

	ctx->changes++;
	ctx->last = c->health;
	snprintf(ctx->reason, sizeof(ctx->reason), "%s, %u of %u", c->reason, c->count, c->of);
	if (ctx->remove_target)
		drlbd_target_remove(t);
	if (ctx->remove_service)
		drlbd_service_remove(drlbd_target_service(t));
}

static void quorum(void *data, struct drlbd_service *svc, bool met, uint32_t healthy,
		   uint32_t need)
{
	struct ctx *ctx = data;

	(void)svc;
	(void)healthy;
	(void)need;
	if (met)
		ctx->quorum_met++;
	else
		ctx->quorum_lost++;
}

static void accept_close(void *data, uint32_t events)
{
	int fd = accept(*(int *)data, NULL, NULL);

	(void)events;
	if (fd >= 0)
		close(fd);
}

/* Bound to addr (host order), listening or not; sin: where, on 127.0.0.1. */
static int listener(struct sockaddr_in *sin, uint32_t addr, bool listen_too)
{
	socklen_t len = sizeof(*sin);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(addr);
	if (fd < 0 || bind(fd, (struct sockaddr *)sin, sizeof(*sin)) ||
	    (listen_too && listen(fd, 128)) ||
	    getsockname(fd, (struct sockaddr *)sin, &len)) {
		perror("engine-test: a socket on 127.0.0.1");
		exit(1);
	}
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return fd;
}

static void stop(void *data)
{
	drlbd_engine_stop(data);
}

static void run_for(struct ctx *ctx, double seconds)
{
	drlbd_engine_call_at(ctx->engine, loop_now() + (int64_t)(seconds * 1e9), stop, ctx->engine);
	drlbd_engine_run(ctx->engine);
}

static struct drlbd_engine *engine_new(struct ctx *ctx)
{
	struct drlbd_ops ops = { .health_changed = changed, .quorum_changed = quorum, .data = ctx };

	ctx->engine = drlbd_engine_new(&ops);
	if (!ctx->engine)
		exit(1);
	return ctx->engine;
}

static struct drlbd_check check_of(const char *words)
{
	char buf[256], err[256], *argv[32];
	struct drlbd_check check;
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", words);
	for (char *w = strtok(buf, " "); w && argc < 32; w = strtok(NULL, " "))
		argv[argc++] = w;
	if (drlbd_check_parse(&check, argc, argv, err, sizeof(err))) {
		fprintf(stderr, "engine-test: %s: %s\n", words, err);
		exit(1);
	}
	return check;
}

static struct drlbd_target *add(struct drlbd_service *svc, const struct sockaddr_in *sin,
				enum drlbd_health health)
{
	return drlbd_target_add(svc, (const struct sockaddr *)sin, sizeof(*sin), health);
}

static void target_removed_in_its_own_callback(void)
{
	struct ctx ctx = { .remove_target = true };
	struct drlbd_check check = check_of("tcp interval 0.2 timeout 0.1 fall 1");
	struct drlbd_service *svc;
	struct sockaddr_in closed;

	close(listener(&closed, INADDR_LOOPBACK, false));
	svc = drlbd_service_add(engine_new(&ctx), "tcp 10.0.0.100:80", &check);
	add(svc, &closed, DRLBD_HEALTH_UP);
	run_for(&ctx, 0.5);
	tap(ctx.changes == 1 && ctx.last == DRLBD_HEALTH_DOWN &&
	    !strcmp(ctx.reason, "connect refused, 1 of 1"),
	    "target_removed_in_its_own_callback");
	drlbd_engine_free(ctx.engine);
}

static void service_removed_in_a_callback(void)
{
	struct ctx ctx = { .remove_service = true };
	struct drlbd_check check = check_of("tcp interval 0.2 timeout 0.1 fall 1");
	struct drlbd_service *svc;
	struct sockaddr_in closed;

	close(listener(&closed, INADDR_LOOPBACK, false));
	svc = drlbd_service_add(engine_new(&ctx), "tcp 10.0.0.100:80", &check);
	for (int i = 0; i < 50; i++) {
		closed.sin_addr.s_addr = htonl(INADDR_LOOPBACK + i);
		add(svc, &closed, DRLBD_HEALTH_UP);
	}
	run_for(&ctx, 0.5);
	tap(ctx.changes == 1, "service_removed_in_a_callback_ends_its_targets");
	drlbd_engine_free(ctx.engine);
}

/* up on tcp; the new check (http to a server that closes at once) takes it down. */
static void set_check_restarts_probes_and_keeps_health(void)
{
	struct drlbd_check tcp = check_of("tcp interval 0.2 timeout 0.1 rise 1");
	struct drlbd_check http = check_of("http interval 0.2 timeout 0.1 fall 2");
	struct ctx ctx = { 0 };
	struct drlbd_service *svc;
	struct sockaddr_in sin;
	int fd = listener(&sin, INADDR_LOOPBACK, true);
	bool up_first;

	engine_new(&ctx);
	drlbd_engine_watch(ctx.engine, fd, EPOLLIN, accept_close, &fd);
	svc = drlbd_service_add(ctx.engine, "tcp 10.0.0.100:80", &tcp);
	add(svc, &sin, DRLBD_HEALTH_UNCHECKED);
	run_for(&ctx, 0.3);
	up_first = ctx.changes == 1 && ctx.last == DRLBD_HEALTH_UP;
	drlbd_service_set_check(svc, &http);
	run_for(&ctx, 0.55);
	tap(up_first && ctx.changes == 2 && ctx.last == DRLBD_HEALTH_DOWN &&
	    !strcmp(ctx.reason, "closed without a response, 2 of 2") &&
	    drlbd_service_check(svc)->type == DRLBD_CHECK_HTTP,
	    "set_check_restarts_probes_and_keeps_health");
	drlbd_engine_free(ctx.engine);
	close(fd);
}

static void add_late(void *data)
{
	struct ctx *ctx = data;

	add(ctx->svc, &ctx->late_target, DRLBD_HEALTH_DOWN);
}

static void target_added_while_running(void)
{
	struct drlbd_check check = check_of("tcp interval 0.2 timeout 0.1 rise 2");
	struct ctx ctx = { 0 };
	int fd = listener(&ctx.late_target, INADDR_LOOPBACK, true);

	engine_new(&ctx);
	drlbd_engine_watch(ctx.engine, fd, EPOLLIN, accept_close, &fd);
	ctx.svc = drlbd_service_add(ctx.engine, "tcp 10.0.0.100:80", &check);
	drlbd_engine_call_at(ctx.engine, loop_now() + 100 * NSEC_PER_MSEC, add_late, &ctx);
	run_for(&ctx, 0.75);
	tap(ctx.changes == 1 && ctx.last == DRLBD_HEALTH_UP &&
	    !strcmp(ctx.reason, "connected, 2 of 2") && drlbd_service_healthy(ctx.svc) == 1,
	    "target_added_while_running_is_probed");
	drlbd_engine_free(ctx.engine);
	close(fd);
}

/* With alpha the backends start down: the quorum is met once they come up. */
static void alpha_quorum_is_met_once_at_start(void)
{
	struct drlbd_check check = check_of("tcp interval 0.2 timeout 0.1 alpha quorum 2");
	struct ctx ctx = { 0 };
	struct drlbd_service *svc;
	struct sockaddr_in sin;
	int fd = listener(&sin, INADDR_ANY, true);
	uint32_t healthy_at_start;

	engine_new(&ctx);
	drlbd_engine_watch(ctx.engine, fd, EPOLLIN, accept_close, &fd);
	svc = drlbd_service_add(ctx.engine, "tcp 10.0.0.100:80", &check);
	add(svc, &sin, DRLBD_HEALTH_UNCHECKED);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK + 1);
	add(svc, &sin, DRLBD_HEALTH_UNCHECKED);
	healthy_at_start = drlbd_service_healthy(svc);
	run_for(&ctx, 0.5);
	/* two "down: alpha" reports, then two ups */
	tap(healthy_at_start == 0 && ctx.changes == 4 && ctx.quorum_met == 1 &&
	    !ctx.quorum_lost && drlbd_service_healthy(svc) == 2,
	    "alpha_quorum_is_met_once_at_start");
	drlbd_engine_free(ctx.engine);
	close(fd);
}

/* A listener that never accepts: http probes hang until freed. */
static void free_with_probes_in_flight(void)
{
	struct drlbd_check check = check_of("http interval 1 timeout 1");
	struct ctx ctx = { 0 };
	struct drlbd_service *svc;
	struct drlbd_stats all, one, sum = { 0 };
	struct drlbd_target *t[200];
	struct sockaddr_in sin;
	int fd = listener(&sin, INADDR_ANY, true);

	svc = drlbd_service_add(engine_new(&ctx), "tcp 10.0.0.100:80", &check);
	for (int i = 0; i < 200; i++) {
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK + i);
		t[i] = add(svc, &sin, DRLBD_HEALTH_UP);
	}
	run_for(&ctx, 0.9);
	drlbd_engine_stats(ctx.engine, &all);
	for (int i = 0; i < 200; i++) {
		drlbd_target_stats(t[i], &one);
		sum.probes += one.probes;
	}
	tap(all.probes > 100 && all.probes == sum.probes && !all.ok && !all.failed,
	    "free_with_probes_in_flight");
	drlbd_engine_free(ctx.engine);
	close(fd);
}

static int open_fds(void)
{
	DIR *dir = opendir("/proc/self/fd");
	int n = 0;

	if (!dir)
		return -1;
	while (readdir(dir))
		n++;
	closedir(dir);
	return n;
}

/*
 * tcp probes share sockets (sockpool.h): one that connected is reset and
 * taken by the next probe, of this target or another. Each target still has
 * its own results, and freeing the engine closes every socket.
 */
static void tcp_sockets_given_back_keep_each_result_its_own(void)
{
	struct drlbd_check check = check_of("tcp interval 0.1 timeout 0.1 rise 1 fall 1");
	struct drlbd_stats up_stats, refused_stats;
	struct drlbd_target *up, *refused;
	struct sockaddr_in sin, closed;
	struct ctx ctx = { 0 };
	struct drlbd_service *svc;
	int fds = open_fds();
	int fd = listener(&sin, INADDR_LOOPBACK, true);

	close(listener(&closed, INADDR_LOOPBACK, false));
	engine_new(&ctx);
	drlbd_engine_watch(ctx.engine, fd, EPOLLIN, accept_close, &fd);
	svc = drlbd_service_add(ctx.engine, "tcp 10.0.0.100:80", &check);
	up = add(svc, &sin, DRLBD_HEALTH_UP);
	refused = add(svc, &closed, DRLBD_HEALTH_UP);
	run_for(&ctx, 1);
	drlbd_target_stats(up, &up_stats);
	drlbd_target_stats(refused, &refused_stats);
	drlbd_engine_free(ctx.engine);
	close(fd);
	tap(ctx.changes == 1 && ctx.last == DRLBD_HEALTH_DOWN &&
	    !strcmp(ctx.reason, "connect refused, 1 of 1") &&
	    up_stats.ok >= 5 && !up_stats.failed && refused_stats.failed >= 5 &&
	    !refused_stats.ok && open_fds() == fds,
	    "tcp_sockets_given_back_keep_each_result_its_own");
}

/* A check filled field by field, as from netlink: the engine validates it. */
static void invalid_check_is_einval(void)
{
	struct drlbd_check check = check_of("tcp");
	struct ctx ctx = { 0 };
	struct drlbd_service *svc;
	char err[256];
	bool ok;

	engine_new(&ctx);
	check.interval_ms = 0;
	errno = 0;
	ok = !drlbd_service_add(ctx.engine, "tcp 10.0.0.100:80", &check) && errno == EINVAL &&
	     drlbd_check_validate(&check, err, sizeof(err)) &&
	     !strcmp(err, "interval 0 ms, timeout 1000 ms: each must be from 100 to 3600000");
	check = check_of("tcp");
	svc = drlbd_service_add(ctx.engine, "tcp 10.0.0.100:80", &check);
	check.type = DRLBD_CHECK_EXEC;
	check.exec_argc = 0;
	ok = ok && svc && drlbd_service_set_check(svc, &check) == -EINVAL &&
	     drlbd_service_check(svc)->type == DRLBD_CHECK_TCP;
	tap(ok, "invalid_check_is_einval_and_changes_nothing");
	drlbd_engine_free(ctx.engine);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	target_removed_in_its_own_callback();
	service_removed_in_a_callback();
	set_check_restarts_probes_and_keeps_health();
	target_added_while_running();
	alpha_quorum_is_met_once_at_start();
	free_with_probes_in_flight();
	tcp_sockets_given_back_keep_each_result_its_own();
	invalid_check_is_einval();
	printf("1..%d\n", tests);
	return failures ? 1 : 0;
}
