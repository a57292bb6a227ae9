// SPDX-License-Identifier: GPL-2.0
/*
 * A service: its check, its targets, and its quorum with the commands that
 * go with it. Each probe result comes here from target.c; the daemon hears
 * of it from here, last, as its callbacks may remove what they are about.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "health.h"
#include "service.h"
#include "target.h"

#define SERVICE_NAME_MAX	128

struct drlbd_service {
	struct list_head node;		/* in engine->services */
	struct loop_deferred deferred;
	struct drlbd_engine *engine;
	struct probe_env probe_env;	/* what its probes see */
	struct target_env target_env;	/* what its targets see */
	char name[SERVICE_NAME_MAX];
	struct drlbd_check check;
	struct list_head targets;
	uint32_t healthy;		/* of targets, kept as each comes, changes, goes */
	struct quorum quorum;
	bool removed;
};

/* Added, removed, or a new check: judged again, no command (health.c). */
static void service_judge_quietly(struct drlbd_service *svc)
{
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

static void service_target_result(struct drlbd_target *t, bool ok, const char *reason,
				  int64_t started)
{
	struct drlbd_service *svc = t->svc;
	const struct drlbd_ops *ops = &svc->engine->ops;
	struct drlbd_probe_result result = { .ok = ok, .reason = reason, .late_ns = t->late };
	struct drlbd_change change = { .reason = reason };
	bool was_healthy = health_is_healthy(t->health.state);
	struct health_change hc;
	int crossed = 0;
	bool changed;

	/*
	 * Only probe_done wants it, and it costs a clock read a probe; read
	 * before a quorum command is spawned, which is no part of the probe.
	 */
	if (ops->probe_done)
		result.took_ns = loop_now() - started;
	changed = target_count(t, ok, &hc);
	if (changed) {
		if (was_healthy && !health_is_healthy(t->health.state))
			svc->healthy--;
		else if (!was_healthy && health_is_healthy(t->health.state))
			svc->healthy++;
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

static void service_target_announce(struct drlbd_target *t)
{
	struct drlbd_change change = {
		.health = t->health.state, .reason = "alpha, down until a first success",
		.count = 0, .of = 1,
	};

	target_report(t, &change, 0);
}

static const struct target_ops service_target_ops = {
	.result = service_target_result,
	.announce = service_target_announce,
};

struct drlbd_target *drlbd_target_add(struct drlbd_service *svc, const struct sockaddr *addr,
				      socklen_t addrlen, enum drlbd_health initial)
{
	struct drlbd_target *t;

	t = target_new(svc, &svc->target_env, addr, addrlen, initial);
	if (!t)
		return NULL;
	list_add_tail(&t->node, &svc->targets);
	svc->healthy += health_is_healthy(t->health.state);
	service_judge_quietly(svc);
	return t;
}

void drlbd_target_remove(struct drlbd_target *t)
{
	struct drlbd_service *svc = t->svc;

	list_del(&t->node);
	svc->healthy -= health_is_healthy(t->health.state);
	target_free(t);
	service_judge_quietly(svc);
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
	svc->probe_env = (struct probe_env){
		.loop = engine->loop, .children = &engine->children, .sockets = &engine->sockets,
		.tls = engine->tls, .service = svc->name,
	};
	svc->target_env = (struct target_env){
		.loop = engine->loop, .probe = &svc->probe_env, .check = &svc->check,
		.engine_stats = &engine->stats, .ops = &service_target_ops,
	};
	list_init(&svc->targets);
	service_judge_quietly(svc);
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
	svc->probe_env.tls = svc->engine->tls;
	/* Its probes in flight point to the old check: gone before it is. */
	list_for_each_entry(t, &svc->targets, node)
		target_stop(t);
	svc->check = *check;
	list_for_each_entry(t, &svc->targets, node)
		if (target_restart(t))
			err = -ENOMEM;
	service_judge_quietly(svc);
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

void services_remove_all(struct drlbd_engine *engine)
{
	struct drlbd_service *svc, *next;

	list_for_each_entry_safe(svc, next, &engine->services, node)
		drlbd_service_remove(svc);
}
