// SPDX-License-Identifier: GPL-2.0
/*
 * A target's probes on a fixed schedule: probe k starts at t0 + offset +
 * k * interval, t0 the time it was added (or given a new check), offset a
 * hash of its address and port modulo the interval. Lateness against that
 * schedule goes into its stats and the engine's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"

static int64_t interval_ns(const struct drlbd_target *t)
{
	return t->env->check->interval_ms * NSEC_PER_MSEC;
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

/* The result into the stats and the health; true when the health changed. */
bool target_count(struct drlbd_target *t, bool ok, struct health_change *change)
{
	stats_result(&t->stats, ok);
	stats_result(t->env->engine_stats, ok);
	return health_count(&t->health, t->env->check, ok, change);
}

static void target_probe_done(struct probe *p, bool ok, const char *reason)
{
	struct drlbd_target *t = p->owner;

	t->probe = NULL;
	t->env->ops->result(t, ok, reason, p->started);
}

static void target_probe(struct drlbd_target *t, int64_t now, int64_t late)
{
	t->late = late;
	stats_started(&t->stats, late);
	stats_started(t->env->engine_stats, late);
	if (probe_start(t->env->probe, t->env->check, (struct sockaddr *)&t->addr, t->addrlen,
			now, target_probe_done, t, &t->probe))
		t->env->ops->result(t, false, "out of memory", now);
}

/*
 * The next slot on the fixed schedule; slots the loop was too late for are
 * skipped and counted, never run in a burst.
 */
static void target_next(struct drlbd_target *t, int64_t now)
{
	int64_t interval = interval_ns(t);
	int64_t due = t->first + (int64_t)(t->k + 1) * interval;

	if (due <= now) {
		uint64_t skip = (now - due) / interval + 1;

		t->k += skip;
		t->stats.missed += skip;
		t->env->engine_stats->missed += skip;
		due += skip * interval;
	}
	t->k++;
	loop_timer_arm(t->env->loop, &t->schedule, due);
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
	target_probe(t, now, late);
}

static int target_schedule(struct drlbd_target *t)
{
	int64_t interval = interval_ns(t);

	t->first = loop_now() + name_hash(t->name) % interval;
	t->k = 0;
	return loop_timer_arm(t->env->loop, &t->schedule, t->first);
}

void target_stop(struct drlbd_target *t)
{
	struct loop *loop = t->env->loop;

	if (t->probe)
		probe_cancel(t->probe);
	t->probe = NULL;
	loop_timer_cancel(loop, &t->schedule);
	loop_timer_cancel(loop, &t->announce);
}

static void target_announce(struct loop_timer *timer)
{
	struct drlbd_target *t = container_of(timer, struct drlbd_target, announce);

	t->env->ops->announce(t);
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

struct drlbd_target *target_new(struct drlbd_service *svc, const struct target_env *env,
				const struct sockaddr *addr, socklen_t addrlen,
				enum drlbd_health initial)
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
	t->env = env;
	memcpy(&t->addr, addr, addrlen);
	t->addrlen = addrlen;
	target_format_name(t);
	t->schedule.fn = target_due;
	t->announce.fn = target_announce;
	health_init(&t->health, initial, env->check->alpha);
	if (target_schedule(t))
		goto err_free;
	if (t->health.state != initial && loop_timer_arm(env->loop, &t->announce, loop_now()))
		goto err_stop;
	return t;

err_stop:
	target_stop(t);
err_free:
	free(t);
	errno = ENOMEM;
	return NULL;
}

/* Stopped now, freed after the batch: a callback may be about it. */
void target_free(struct drlbd_target *t)
{
	target_stop(t);
	t->removed = true;
	loop_free_later(t->env->loop, &t->deferred, t);
}

/* A new check: a new schedule from now, and its results counted afresh. */
int target_restart(struct drlbd_target *t)
{
	target_stop(t);
	health_restart(&t->health);
	return target_schedule(t);
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
