/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A target: one backend of a service, its fixed schedule of probes and its
 * health. Its service (service.c) makes it, says what to do with each
 * result (target_ops), and counts the result in with target_count().
 */
#ifndef DRLBD_TARGET_H
#define DRLBD_TARGET_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine.h"
#include "health.h"
#include "list.h"
#include "loop.h"
#include "probe.h"

#define TARGET_NAME_MAX		(INET6_ADDRSTRLEN + 8)

struct target_ops {
	/*
	 * A probe's result, or "out of memory" when none could start; started
	 * is its loop_now(), for how long it took.
	 */
	void (*result)(struct drlbd_target *t, bool ok, const char *reason, int64_t started);
	/* alpha made the target down at its start: tell the daemon. */
	void (*announce)(struct drlbd_target *t);
};

/* What a service's targets share; the service outlives them. */
struct target_env {
	struct loop *loop;
	const struct probe_env *probe;
	const struct drlbd_check *check;
	struct drlbd_stats *engine_stats;
	const struct target_ops *ops;
};

struct drlbd_target {
	struct list_head node;		/* in its service's targets */
	struct loop_deferred deferred;
	struct drlbd_service *svc;
	const struct target_env *env;
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

struct drlbd_target *target_new(struct drlbd_service *svc, const struct target_env *env,
				const struct sockaddr *addr, socklen_t addrlen,
				enum drlbd_health initial);
void target_free(struct drlbd_target *t);
void target_stop(struct drlbd_target *t);
int target_restart(struct drlbd_target *t);
bool target_count(struct drlbd_target *t, bool ok, struct health_change *change);

#endif /* DRLBD_TARGET_H */
