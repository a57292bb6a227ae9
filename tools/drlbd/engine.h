/* SPDX-License-Identifier: GPL-2.0 */
/*
 * drlbd's probe engine: the health checks of drlb's backends, one process,
 * one event loop, every probe a non-blocking socket (or, for exec, a child
 * process watched by its pidfd) on it.
 *
 * The daemon above it (the netlink side) drives it like this:
 *
 *   engine = drlbd_engine_new(&ops);            callbacks, below
 *   svc = drlbd_service_add(engine, "tcp 10.0.0.100:80", &check);
 *   t = drlbd_target_add(svc, &rip, sizeof(rip), DRLBD_HEALTH_UNCHECKED);
 *   drlbd_engine_watch(engine, nl_fd, EPOLLIN, nl_ready, nl);   its own fds
 *   drlbd_engine_run(engine);                   until drlbd_engine_stop()
 *   drlbd_engine_free(engine);                  everything, children reaped
 *
 * A service is a name (what the exec checks and quorum commands see in
 * DRLB_SERVICE) and a check (struct drlbd_check, checkconf.h); its targets
 * are the backends, each an address and port. drlbd_service_set_check()
 * replaces the check: the probes restart on the new schedule, the health
 * stays. Targets are added with the health the kernel has for them, so that
 * a restarted daemon does not flap them (health.c says how each is counted).
 *
 * Probes of target i start at t0 + offset_i + k * interval, t0 the time it
 * was added, offset_i a hash of its address and port modulo the interval:
 * a fixed schedule that spreads the targets and never drifts. How late each
 * probe started against that schedule is in the stats.
 *
 * health_changed is called once per change, with the reason of the probe
 * that decided it and the count ("down: connect refused, 3 of 3"); the
 * daemon sets the kernel's health from it. With alpha, a target added
 * unchecked is reported down on the loop's first turn after it was added.
 * quorum_changed is called when a service's quorum is lost or met again,
 * after its command was started.
 *
 * Every call is made from the loop's thread. A callback may add or remove
 * targets and services, the one it is about included. drlbd_engine_new()
 * ignores SIGPIPE (a TLS write to a closed connection would raise it); the
 * daemon must not set SIGCHLD to SIG_IGN (children are reaped by pidfd).
 * Functions returning a pointer return NULL with errno set on failure; a
 * check drlbd_check_validate() refuses is EINVAL. drlbd_engine_free() is
 * for after drlbd_engine_run() has returned, never from a callback.
 */
#ifndef DRLBD_ENGINE_H
#define DRLBD_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "checkconf.h"

struct drlbd_engine;
struct drlbd_service;
struct drlbd_target;

/* As the kernel has it: unchecked until a checker says up or down. */
enum drlbd_health {
	DRLBD_HEALTH_UNCHECKED,
	DRLBD_HEALTH_UP,
	DRLBD_HEALTH_DOWN,
};

struct drlbd_probe_result {
	bool ok;
	const char *reason;	/* "status 200", "connect refused", "timeout" */
	int64_t late_ns;	/* start against the schedule */
	int64_t took_ns;	/* start to result */
};

struct drlbd_change {
	enum drlbd_health health;	/* the new health: up or down */
	const char *reason;		/* of the probe that decided it */
	uint32_t count;			/* "3 of 3": results in a row ... */
	uint32_t of;			/* ... of those needed */
};

struct drlbd_ops {
	void (*health_changed)(void *data, struct drlbd_target *t,
			       const struct drlbd_change *change);
	/* Optional: every probe's result, for tests and debugging. */
	void (*probe_done)(void *data, struct drlbd_target *t,
			   const struct drlbd_probe_result *result);
	/* Optional: met true when the quorum is met again, false when lost. */
	void (*quorum_changed)(void *data, struct drlbd_service *svc, bool met,
			       uint32_t healthy, uint32_t need);
	/* Optional: before each wait for events, to write out what a turn buffered. */
	void (*before_wait)(void *data);
	void *data;
};

struct drlbd_stats {
	uint64_t probes;	/* started */
	uint64_t ok;
	uint64_t failed;
	uint64_t missed;	/* scheduled starts skipped: the loop was an interval late */
	int64_t late_max_ns;	/* the latest start against the schedule */
	int64_t late_sum_ns;	/* / probes: the mean */
};

struct drlbd_engine *drlbd_engine_new(const struct drlbd_ops *ops);
void drlbd_engine_free(struct drlbd_engine *engine);
int drlbd_engine_run(struct drlbd_engine *engine);
void drlbd_engine_stop(struct drlbd_engine *engine);
void drlbd_engine_stats(const struct drlbd_engine *engine, struct drlbd_stats *stats);

/* The daemon's own fds (netlink, signalfd) on the same loop. */
struct drlbd_watch;
struct drlbd_watch *drlbd_engine_watch(struct drlbd_engine *engine, int fd,
				       uint32_t events,
				       void (*fn)(void *data, uint32_t events),
				       void *data);
void drlbd_engine_unwatch(struct drlbd_engine *engine, struct drlbd_watch *watch);
/* fn(data) once, at or after the CLOCK_MONOTONIC time due_ns (loop_now()). */
int drlbd_engine_call_at(struct drlbd_engine *engine, int64_t due_ns,
			 void (*fn)(void *data), void *data);

struct drlbd_service *drlbd_service_add(struct drlbd_engine *engine, const char *name,
					const struct drlbd_check *check);
int drlbd_service_set_check(struct drlbd_service *svc, const struct drlbd_check *check);
void drlbd_service_remove(struct drlbd_service *svc);
const char *drlbd_service_name(const struct drlbd_service *svc);
const struct drlbd_check *drlbd_service_check(const struct drlbd_service *svc);
uint32_t drlbd_service_healthy(const struct drlbd_service *svc);

struct drlbd_target *drlbd_target_add(struct drlbd_service *svc, const struct sockaddr *addr,
				      socklen_t addrlen, enum drlbd_health initial);
void drlbd_target_remove(struct drlbd_target *t);
const char *drlbd_target_name(const struct drlbd_target *t);	/* "10.0.0.12:80" */
struct drlbd_service *drlbd_target_service(const struct drlbd_target *t);
enum drlbd_health drlbd_target_health(const struct drlbd_target *t);
void drlbd_target_stats(const struct drlbd_target *t, struct drlbd_stats *stats);
void drlbd_target_set_data(struct drlbd_target *t, void *data);
void *drlbd_target_data(const struct drlbd_target *t);

const char *drlbd_health_name(enum drlbd_health health);

#endif /* DRLBD_ENGINE_H */
