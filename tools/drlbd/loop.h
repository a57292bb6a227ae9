/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event loop: one epoll set, one timerfd for a min-heap of deadlines on
 * CLOCK_MONOTONIC, nothing else. Single-threaded; every callback runs from
 * loop_run().
 *
 * Lifetimes: a watch whose fd is removed (loop_watch_del) may still have an
 * event in the batch being dispatched; the loop skips it, provided the memory
 * holding the watch lives until the batch is over. So anything holding a
 * watch is freed with loop_free_later(), never free(), while the loop runs.
 */
#ifndef DRLBD_LOOP_H
#define DRLBD_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "list.h"

#define NSEC_PER_MSEC	1000000LL
#define NSEC_PER_SEC	1000000000LL

struct loop;

struct loop_watch {
	int fd;
	void (*fn)(struct loop_watch *w, uint32_t events);	/* NULL: removed */
};

/* Embedded in what is freed with loop_free_later(), so that it cannot fail. */
struct loop_deferred {
	struct loop_deferred *next;
	void *ptr;
};

struct loop_timer {
	int64_t due;		/* CLOCK_MONOTONIC ns */
	size_t slot;		/* heap index + 1; 0: not armed */
	void (*fn)(struct loop_timer *t);
};

struct loop *loop_new(void);
void loop_free(struct loop *loop);
int64_t loop_now(void);

int loop_watch_add(struct loop *loop, struct loop_watch *w, int fd, uint32_t events,
		   void (*fn)(struct loop_watch *w, uint32_t events));
int loop_watch_mod(struct loop *loop, struct loop_watch *w, uint32_t events);
void loop_watch_del(struct loop *loop, struct loop_watch *w);

int loop_timer_arm(struct loop *loop, struct loop_timer *t, int64_t due);
void loop_timer_cancel(struct loop *loop, struct loop_timer *t);

void loop_free_later(struct loop *loop, struct loop_deferred *d, void *ptr);

int loop_run(struct loop *loop, void (*before_wait)(void *data), void *data);
void loop_stop(struct loop *loop);

#endif /* DRLBD_LOOP_H */
