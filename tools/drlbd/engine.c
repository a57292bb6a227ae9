// SPDX-License-Identifier: GPL-2.0
/*
 * Services and their targets: each target's schedule, its probes' results
 * into its health (health.c), a service's quorum and its commands, and the
 * callbacks to the daemon. The probes themselves are probe.c's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "health.h"
#include "probe.h"

#define SERVICE_NAME_MAX	128
#define TARGET_NAME_MAX		(INET6_ADDRSTRLEN + 8)

struct drlbd_engine {
	struct loop *loop;
	struct children children;
	struct tls_ctx *tls;		/* made for the first https service */
	struct drlbd_ops ops;
	struct list_head services;
	struct list_head watches;
	struct list_head calls;
	struct drlbd_stats stats;
};

struct drlbd_service {
	struct list_head node;		/* in engine->services */
	struct loop_deferred deferred;
	struct drlbd_engine *engine;
	struct probe_env env;		/* what its probes see */
	char name[SERVICE_NAME_MAX];
	struct drlbd_check check;
	struct list_head targets;
	uint32_t healthy;
	struct quorum quorum;
	bool removed;
};

struct drlbd_target {
	struct list_head node;		/* in svc->targets */
	struct loop_deferred deferred;
	struct drlbd_service *svc;
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char name[TARGET_NAME_MAX];
	struct health health;
	struct loop_timer schedule;	/* the next probe's start */
	struct loop_timer announce;	/* alpha: report the initial down */
	int64_t first;			/* t0 + offset: probe k starts at first + k * interval */
	uint64_t k;
	int64_t late;			/* of the probe in flight */
	struct probe *probe;		/* in flight, or NULL */
	struct drlbd_stats stats;
	void *data;
	bool removed;
};

struct drlbd_watch {
	struct list_head node;
	struct loop_watch w;
	struct loop_deferred deferred;
	void (*fn)(void *data, uint32_t events);
	void *data;
};

struct drlbd_call {
	struct list_head node;
	struct drlbd_engine *engine;
	struct loop_timer timer;
	struct loop_deferred deferred;
	void (*fn)(void *data);
	void *data;
};

static const char *const health_names[] = {
	[DRLBD_HEALTH_UNCHECKED]	= "unchecked",
	[DRLBD_HEALTH_UP]		= "up",
	[DRLBD_HEALTH_DOWN]		= "down",
};

const char *drlbd_health_name(enum drlbd_health health)
{
	return health_names[health];
}

static int64_t interval_ns(const struct drlbd_service *svc)
{
	return svc->check.interval_ms * NSEC_PER_MSEC;
}

/* FNV-1a: a spread of offsets that is the same for a target at every start. */
static uint64_t name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static void stats_started(struct drlbd_stats *s, int64_t late)
{
	s->probes++;
	s->late_sum_ns += late;
	if (late > s->late_max_ns)
		s->late_max_ns = late;
}

static void stats_result(struct drlbd_stats *s, bool ok)
{
	if (ok)
		s->ok++;
	else
		s->failed++;
}

static void service_count(struct drlbd_service *svc)
{
	struct drlbd_target *t;

	svc->healthy = 0;
	list_for_each_entry(t, &svc->targets, node)
		svc->healthy += health_is_healthy(t->health.state);
}

/* Added, removed, or a new check: judged again, no command (health.c). */
static void service_recount_quietly(struct drlbd_service *svc)
{
	service_count(svc);
	quorum_init(&svc->quorum, svc->healthy, svc->check.quorum);
}

static void quorum_command(struct drlbd_service *svc, const char *command)
{
	char service[SERVICE_NAME_MAX + 16], healthy[32], need[32];
	const char *const argv[] = { "/bin/sh", "-c", command, NULL };
	char **env;
	int err;

	if (!*command)
		return;
	snprintf(service, sizeof(service), "DRLB_SERVICE=%s", svc->name);
	snprintf(healthy, sizeof(healthy), "DRLB_HEALTHY=%u", svc->healthy);
	snprintf(need, sizeof(need), "DRLB_QUORUM=%u", svc->check.quorum);
	env = child_env((const char *const[]){ service, healthy, need, NULL });
	if (!env)
		return;
	/* Not waited for: it runs to its end, reaped on the loop. */
	child_spawn(&svc->engine->children, argv, env, NULL, NULL, &err);
	free(env);
}

/* 0 or the quorum's crossing, its command started. */
static int service_quorum(struct drlbd_service *svc)
{
	int crossed;

	service_count(svc);
	if (!svc->check.quorum)
		return 0;
	crossed = quorum_count(&svc->quorum, svc->healthy, svc->check.quorum);
	if (crossed)
		quorum_command(svc, crossed > 0 ? svc->check.quorum_up : svc->check.quorum_down);
	return crossed;
}

/* Last in every path: a callback may remove t and svc (they are freed later). */
static void target_report(struct drlbd_target *t, const struct drlbd_change *change,
			  int crossed)
{
	struct drlbd_service *svc = t->svc;
	const struct drlbd_ops *ops = &svc->engine->ops;

	if (ops->health_changed)
		ops->health_changed(ops->data, t, change);
	if (crossed && ops->quorum_changed && !svc->removed)
		ops->quorum_changed(ops->data, svc, crossed > 0, svc->healthy, svc->check.quorum);
}

static void target_result(struct drlbd_target *t, bool ok, const char *reason,
			  int64_t took)
{
	struct drlbd_service *svc = t->svc;
	const struct drlbd_ops *ops = &svc->engine->ops;
	struct drlbd_probe_result result = {
		.ok = ok, .reason = reason, .late_ns = t->late, .took_ns = took,
	};
	struct drlbd_change change = { .reason = reason };
	struct health_change hc;
	int crossed = 0;
	bool changed;

	stats_result(&t->stats, ok);
	stats_result(&svc->engine->stats, ok);
	changed = health_count(&t->health, &svc->check, ok, &hc);
	if (changed) {
		crossed = service_quorum(svc);
		change.health = t->health.state;
		change.count = hc.count;
		change.of = hc.of;
	}
	if (ops->probe_done)
		ops->probe_done(ops->data, t, &result);
	if (changed && !t->removed)
		target_report(t, &change, crossed);
}

static void target_probe_done(struct probe *p, bool ok, const char *reason)
{
	struct drlbd_target *t = p->owner;

	t->probe = NULL;
	target_result(t, ok, reason, loop_now() - p->started);
}

static void target_probe(struct drlbd_target *t, int64_t late)
{
	struct drlbd_service *svc = t->svc;

	t->late = late;
	stats_started(&t->stats, late);
	stats_started(&svc->engine->stats, late);
	if (probe_start(&svc->env, &svc->check, (struct sockaddr *)&t->addr, t->addrlen,
			target_probe_done, t, &t->probe))
		target_result(t, false, "out of memory", 0);
}

/*
 * The next slot on the fixed schedule; slots the loop was too late for are
 * skipped and counted, never run in a burst.
 */
static void target_next(struct drlbd_target *t, int64_t now)
{
	int64_t interval = interval_ns(t->svc);
	int64_t due = t->first + (int64_t)(t->k + 1) * interval;

	if (due <= now) {
		uint64_t skip = (now - due) / interval + 1;

		t->k += skip;
		t->stats.missed += skip;
		t->svc->engine->stats.missed += skip;
		due += skip * interval;
	}
	t->k++;
	loop_timer_arm(t->svc->engine->loop, &t->schedule, due);
}

static void target_due(struct loop_timer *timer)
{
	struct drlbd_target *t = container_of(timer, struct drlbd_target, schedule);
	int64_t now = loop_now();
	int64_t late = now - timer->due;

	/*
	 * Only when timeout == interval: its time is up as the next one's
	 * starts. Its callbacks may have removed t, or given it a new schedule.
	 */
	if (t->probe) {
		probe_finish(t->probe, false, "timeout");
		if (t->removed || t->schedule.slot)
			return;
	}
	target_next(t, now);
	target_probe(t, late);
}

static int target_schedule(struct drlbd_target *t)
{
	int64_t interval = interval_ns(t->svc);

	t->first = loop_now() + name_hash(t->name) % interval;
	t->k = 0;
	return loop_timer_arm(t->svc->engine->loop, &t->schedule, t->first);
}

static void target_stop(struct drlbd_target *t)
{
	struct loop *loop = t->svc->engine->loop;

	if (t->probe)
		probe_cancel(t->probe);
	t->probe = NULL;
	loop_timer_cancel(loop, &t->schedule);
	loop_timer_cancel(loop, &t->announce);
}

static void target_announce(struct loop_timer *timer)
{
	struct drlbd_target *t = container_of(timer, struct drlbd_target, announce);
	struct drlbd_change change = {
		.health = t->health.state, .reason = "alpha, down until a first success",
		.count = 0, .of = 1,
	};

	target_report(t, &change, 0);
}

static void target_format_name(struct drlbd_target *t)
{
	char addr[INET6_ADDRSTRLEN];
	const void *a;
	uint16_t port;

	if (t->addr.ss_family == AF_INET6) {
		a = &((struct sockaddr_in6 *)&t->addr)->sin6_addr;
		port = ntohs(((struct sockaddr_in6 *)&t->addr)->sin6_port);
		snprintf(t->name, sizeof(t->name), "[%s]:%u",
			 inet_ntop(AF_INET6, a, addr, sizeof(addr)), port);
	} else {
		a = &((struct sockaddr_in *)&t->addr)->sin_addr;
		port = ntohs(((struct sockaddr_in *)&t->addr)->sin_port);
		snprintf(t->name, sizeof(t->name), "%s:%u",
			 inet_ntop(AF_INET, a, addr, sizeof(addr)), port);
	}
}

struct drlbd_target *drlbd_target_add(struct drlbd_service *svc, const struct sockaddr *addr,
				      socklen_t addrlen, enum drlbd_health initial)
{
	struct drlbd_target *t;

	if ((addr->sa_family != AF_INET || addrlen < sizeof(struct sockaddr_in)) &&
	    (addr->sa_family != AF_INET6 || addrlen < sizeof(struct sockaddr_in6))) {
		errno = EAFNOSUPPORT;
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->svc = svc;
	memcpy(&t->addr, addr, addrlen);
	t->addrlen = addrlen;
	target_format_name(t);
	t->schedule.fn = target_due;
	t->announce.fn = target_announce;
	health_init(&t->health, initial, svc->check.alpha);
	if (target_schedule(t))
		goto err_free;
	if (t->health.state != initial &&
	    loop_timer_arm(svc->engine->loop, &t->announce, loop_now()))
		goto err_stop;
	list_add_tail(&t->node, &svc->targets);
	service_recount_quietly(svc);
	return t;

err_stop:
	target_stop(t);
err_free:
	free(t);
	errno = ENOMEM;
	return NULL;
}

void drlbd_target_remove(struct drlbd_target *t)
{
	struct drlbd_service *svc = t->svc;

	target_stop(t);
	t->removed = true;
	list_del(&t->node);
	service_recount_quietly(svc);
	loop_free_later(svc->engine->loop, &t->deferred, t);
}

const char *drlbd_target_name(const struct drlbd_target *t)
{
	return t->name;
}

struct drlbd_service *drlbd_target_service(const struct drlbd_target *t)
{
	return t->svc;
}

enum drlbd_health drlbd_target_health(const struct drlbd_target *t)
{
	return t->health.state;
}

void drlbd_target_stats(const struct drlbd_target *t, struct drlbd_stats *stats)
{
	*stats = t->stats;
}

void drlbd_target_set_data(struct drlbd_target *t, void *data)
{
	t->data = data;
}

void *drlbd_target_data(const struct drlbd_target *t)
{
	return t->data;
}

static int engine_need_tls(struct drlbd_engine *engine, const struct drlbd_check *check)
{
	if (check->type != DRLBD_CHECK_HTTPS || engine->tls)
		return 0;
	engine->tls = tls_ctx_new();
	return engine->tls ? 0 : -ENOMEM;
}

struct drlbd_service *drlbd_service_add(struct drlbd_engine *engine, const char *name,
					const struct drlbd_check *check)
{
	struct drlbd_service *svc;
	char err[256];

	if (strlen(name) >= SERVICE_NAME_MAX) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if (drlbd_check_validate(check, err, sizeof(err))) {
		errno = EINVAL;
		return NULL;
	}
	if (engine_need_tls(engine, check)) {
		errno = ENOMEM;
		return NULL;
	}
	svc = calloc(1, sizeof(*svc));
	if (!svc)
		return NULL;
	svc->engine = engine;
	snprintf(svc->name, sizeof(svc->name), "%s", name);
	svc->check = *check;
	svc->env = (struct probe_env){
		.loop = engine->loop, .children = &engine->children,
		.tls = engine->tls, .service = svc->name,
	};
	list_init(&svc->targets);
	service_recount_quietly(svc);
	list_add_tail(&svc->node, &engine->services);
	return svc;
}

/* The probes restart on the new check's schedule; health and quorum stay. */
int drlbd_service_set_check(struct drlbd_service *svc, const struct drlbd_check *check)
{
	struct drlbd_target *t;
	char text[256];
	int err;

	if (drlbd_check_validate(check, text, sizeof(text)))
		return -EINVAL;
	err = engine_need_tls(svc->engine, check);
	if (err)
		return err;
	svc->env.tls = svc->engine->tls;
	list_for_each_entry(t, &svc->targets, node)
		target_stop(t);
	svc->check = *check;
	list_for_each_entry(t, &svc->targets, node) {
		health_restart(&t->health);
		if (target_schedule(t))
			err = -ENOMEM;
	}
	service_recount_quietly(svc);
	return err;
}

void drlbd_service_remove(struct drlbd_service *svc)
{
	struct drlbd_target *t, *next;

	list_for_each_entry_safe(t, next, &svc->targets, node)
		drlbd_target_remove(t);
	svc->removed = true;
	list_del(&svc->node);
	loop_free_later(svc->engine->loop, &svc->deferred, svc);
}

const char *drlbd_service_name(const struct drlbd_service *svc)
{
	return svc->name;
}

const struct drlbd_check *drlbd_service_check(const struct drlbd_service *svc)
{
	return &svc->check;
}

uint32_t drlbd_service_healthy(const struct drlbd_service *svc)
{
	return svc->healthy;
}

struct drlbd_engine *drlbd_engine_new(const struct drlbd_ops *ops)
{
	struct drlbd_engine *engine = calloc(1, sizeof(*engine));

	if (!engine)
		return NULL;
	engine->loop = loop_new();
	if (!engine->loop) {
		free(engine);
		return NULL;
	}
	engine->ops = *ops;
	children_init(&engine->children, engine->loop);
	list_init(&engine->services);
	list_init(&engine->watches);
	list_init(&engine->calls);
	/* A write to a peer that closed: an error to count, not a death. */
	signal(SIGPIPE, SIG_IGN);
	return engine;
}

static void call_fire(struct loop_timer *timer)
{
	struct drlbd_call *call = container_of(timer, struct drlbd_call, timer);

	list_del(&call->node);
	loop_free_later(call->engine->loop, &call->deferred, call);
	call->fn(call->data);
}

void drlbd_engine_free(struct drlbd_engine *engine)
{
	struct drlbd_service *svc, *next_svc;
	struct drlbd_watch *w, *next_w;
	struct drlbd_call *call, *next_call;

	if (!engine)
		return;
	list_for_each_entry_safe(svc, next_svc, &engine->services, node)
		drlbd_service_remove(svc);
	list_for_each_entry_safe(w, next_w, &engine->watches, node)
		drlbd_engine_unwatch(engine, w);
	list_for_each_entry_safe(call, next_call, &engine->calls, node) {
		loop_timer_cancel(engine->loop, &call->timer);
		list_del(&call->node);
		free(call);
	}
	children_release(&engine->children);
	loop_free(engine->loop);
	tls_ctx_free(engine->tls);
	free(engine);
}

int drlbd_engine_run(struct drlbd_engine *engine)
{
	return loop_run(engine->loop);
}

void drlbd_engine_stop(struct drlbd_engine *engine)
{
	loop_stop(engine->loop);
}

void drlbd_engine_stats(const struct drlbd_engine *engine, struct drlbd_stats *stats)
{
	*stats = engine->stats;
}

static void watch_ready(struct loop_watch *lw, uint32_t events)
{
	struct drlbd_watch *w = container_of(lw, struct drlbd_watch, w);

	w->fn(w->data, events);
}

struct drlbd_watch *drlbd_engine_watch(struct drlbd_engine *engine, int fd,
				       uint32_t events,
				       void (*fn)(void *data, uint32_t events),
				       void *data)
{
	struct drlbd_watch *w = calloc(1, sizeof(*w));
	int err;

	if (!w)
		return NULL;
	w->fn = fn;
	w->data = data;
	err = loop_watch_add(engine->loop, &w->w, fd, events, watch_ready);
	if (err) {
		free(w);
		errno = -err;
		return NULL;
	}
	list_add_tail(&w->node, &engine->watches);
	return w;
}

void drlbd_engine_unwatch(struct drlbd_engine *engine, struct drlbd_watch *w)
{
	loop_watch_del(engine->loop, &w->w);
	list_del(&w->node);
	loop_free_later(engine->loop, &w->deferred, w);
}

int drlbd_engine_call_at(struct drlbd_engine *engine, int64_t due_ns,
			 void (*fn)(void *data), void *data)
{
	struct drlbd_call *call = calloc(1, sizeof(*call));

	if (!call)
		return -ENOMEM;
	call->engine = engine;
	call->fn = fn;
	call->data = data;
	call->timer.fn = call_fire;
	if (loop_timer_arm(engine->loop, &call->timer, due_ns)) {
		free(call);
		return -ENOMEM;
	}
	list_add_tail(&call->node, &engine->calls);
	return 0;
}
