// SPDX-License-Identifier: GPL-2.0
/*
 * The engine: the loop, what its services share on it (children, the TLS
 * context, the stats), and the daemon's own fds and timers on it.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>

#include "service.h"

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
	sockpool_init(&engine->sockets, engine->loop);
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
	struct drlbd_watch *w, *next_w;
	struct drlbd_call *call, *next_call;

	if (!engine)
		return;
	services_remove_all(engine);
	list_for_each_entry_safe(w, next_w, &engine->watches, node)
		drlbd_engine_unwatch(engine, w);
	list_for_each_entry_safe(call, next_call, &engine->calls, node) {
		loop_timer_cancel(engine->loop, &call->timer);
		list_del(&call->node);
		free(call);
	}
	children_release(&engine->children);
	sockpool_release(&engine->sockets);
	loop_free(engine->loop);
	tls_ctx_free(engine->tls);
	free(engine);
}

int drlbd_engine_run(struct drlbd_engine *engine)
{
	return loop_run(engine->loop, engine->ops.before_wait, engine->ops.data);
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
