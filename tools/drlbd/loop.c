// SPDX-License-Identifier: GPL-2.0
/*
 * One epoll set and one timerfd. The timerfd is set, absolute, to the
 * earliest deadline of a binary min-heap just before each epoll_wait(), so a
 * thousand timers cost one kernel timer and O(log n) per arm or cancel.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"

#define EVENTS_MAX	256

struct loop {
	int epfd;
	int timerfd;
	struct loop_watch timer_watch;
	int64_t timerfd_due;		/* what timerfd is set to; 0: disarmed */
	struct loop_timer **heap;
	size_t heap_len;
	size_t heap_size;
	struct loop_deferred *deferred;	/* freed after the batch */
	bool stop;
};

int64_t loop_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/*
 * Only wakes epoll_wait(); the due timers run after every batch. Not read:
 * edge-triggered, it wakes again at its next expiry, and the
 * timerfd_settime() that sets that one clears the count of this one.
 */
static void timerfd_fired(struct loop_watch *w, uint32_t events)
{
	struct loop *loop = container_of(w, struct loop, timer_watch);

	(void)events;
	loop->timerfd_due = 0;
}

struct loop *loop_new(void)
{
	struct loop *loop = calloc(1, sizeof(*loop));

	if (!loop)
		return NULL;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0)
		goto err_free;
	loop->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (loop->timerfd < 0)
		goto err_epoll;
	if (loop_watch_add(loop, &loop->timer_watch, loop->timerfd, EPOLLIN | EPOLLET,
			   timerfd_fired))
		goto err_timerfd;
	return loop;

err_timerfd:
	close(loop->timerfd);
err_epoll:
	close(loop->epfd);
err_free:
	free(loop);
	return NULL;
}

static void deferred_free(struct loop *loop)
{
	struct loop_deferred *d;

	while ((d = loop->deferred)) {
		loop->deferred = d->next;
		free(d->ptr);
	}
}

void loop_free(struct loop *loop)
{
	if (!loop)
		return;
	deferred_free(loop);
	close(loop->timerfd);
	close(loop->epfd);
	free(loop->heap);
	free(loop);
}

int loop_watch_add(struct loop *loop, struct loop_watch *w, int fd, uint32_t events,
		   void (*fn)(struct loop_watch *w, uint32_t events))
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	w->fd = fd;
	w->fn = fn;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev))
		return -errno;
	return 0;
}

int loop_watch_mod(struct loop *loop, struct loop_watch *w, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = w };

	if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, w->fd, &ev))
		return -errno;
	return 0;
}

/* Before the fd is closed: an fd dup'ed into a child would keep it in the set. */
void loop_watch_del(struct loop *loop, struct loop_watch *w)
{
	if (!w->fn)
		return;
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, w->fd, NULL);
	w->fn = NULL;
}

void loop_free_later(struct loop *loop, struct loop_deferred *d, void *ptr)
{
	d->ptr = ptr;
	d->next = loop->deferred;
	loop->deferred = d;
}

static void heap_place(struct loop *loop, struct loop_timer *t, size_t i)
{
	loop->heap[i] = t;
	t->slot = i + 1;
}

static void heap_up(struct loop *loop, size_t i)
{
	struct loop_timer *t = loop->heap[i];

	while (i) {
		size_t parent = (i - 1) / 2;

		if (loop->heap[parent]->due <= t->due)
			break;
		heap_place(loop, loop->heap[parent], i);
		i = parent;
	}
	heap_place(loop, t, i);
}

static void heap_down(struct loop *loop, size_t i)
{
	struct loop_timer *t = loop->heap[i];

	for (;;) {
		size_t child = 2 * i + 1;

		if (child >= loop->heap_len)
			break;
		if (child + 1 < loop->heap_len &&
		    loop->heap[child + 1]->due < loop->heap[child]->due)
			child++;
		if (t->due <= loop->heap[child]->due)
			break;
		heap_place(loop, loop->heap[child], i);
		i = child;
	}
	heap_place(loop, t, i);
}

void loop_timer_cancel(struct loop *loop, struct loop_timer *t)
{
	size_t i = t->slot - 1;
	struct loop_timer *last;

	if (!t->slot)
		return;
	t->slot = 0;
	last = loop->heap[--loop->heap_len];
	if (last == t)
		return;
	heap_place(loop, last, i);
	heap_up(loop, i);
	heap_down(loop, last->slot - 1);
}

int loop_timer_arm(struct loop *loop, struct loop_timer *t, int64_t due)
{
	loop_timer_cancel(loop, t);
	if (loop->heap_len == loop->heap_size) {
		size_t size = loop->heap_size ? 2 * loop->heap_size : 64;
		struct loop_timer **heap = realloc(loop->heap, size * sizeof(*heap));

		if (!heap)
			return -ENOMEM;
		loop->heap = heap;
		loop->heap_size = size;
	}
	t->due = due;
	heap_place(loop, t, loop->heap_len++);
	heap_up(loop, loop->heap_len - 1);
	return 0;
}

static void timers_run(struct loop *loop)
{
	int64_t now = loop_now();

	while (loop->heap_len && loop->heap[0]->due <= now && !loop->stop) {
		struct loop_timer *t = loop->heap[0];

		loop_timer_cancel(loop, t);
		t->fn(t);
	}
}

/*
 * The timerfd fires LOOP_SLACK_NS after the earliest deadline, and every
 * timer due by then runs in that turn: a thousand targets at interval 1
 * wake the loop 200 times a second, not 1000, each start at most
 * LOOP_SLACK_NS late, and the schedule itself untouched. A timerfd armed
 * earlier than that already is left as it is: one timerfd_settime() a turn.
 */
#define LOOP_SLACK_NS	(5 * NSEC_PER_MSEC)

static void timerfd_update(struct loop *loop)
{
	int64_t due = loop->heap_len ? loop->heap[0]->due + LOOP_SLACK_NS : 0;
	struct itimerspec its = {
		.it_value = { .tv_sec = due / NSEC_PER_SEC, .tv_nsec = due % NSEC_PER_SEC },
	};

	if (due == loop->timerfd_due || (due && loop->timerfd_due && loop->timerfd_due < due))
		return;
	/* An absolute time already past fires at once, as we want. */
	if (!timerfd_settime(loop->timerfd, TFD_TIMER_ABSTIME, &its, NULL))
		loop->timerfd_due = due;
}

/* One batch of events, waiting up to timeout ms for it: how many, or -errno. */
static int events_run(struct loop *loop, struct epoll_event *events, int timeout)
{
	int n = epoll_wait(loop->epfd, events, EVENTS_MAX, timeout);

	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n && !loop->stop; i++) {
		struct loop_watch *w = events[i].data.ptr;

		if (w->fn)
			w->fn(w, events[i].events);
	}
	return n;
}

/* before_wait(data), when not NULL, before each wait for events. */
int loop_run(struct loop *loop, void (*before_wait)(void *data), void *data)
{
	struct epoll_event events[EVENTS_MAX];
	int n;

	loop->stop = false;
	while (!loop->stop) {
		if (before_wait)
			before_wait(data);
		timerfd_update(loop);
		n = events_run(loop, events, -1);
		/*
		 * A full batch may have left events behind, a probe's result
		 * among them: in before the timers call that probe timed out.
		 */
		while (n == EVENTS_MAX && !loop->stop)
			n = events_run(loop, events, 0);
		if (n < 0)
			return n;
		timers_run(loop);
		deferred_free(loop);
	}
	return 0;
}

void loop_stop(struct loop *loop)
{
	loop->stop = true;
}
