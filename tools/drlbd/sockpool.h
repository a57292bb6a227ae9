/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TCP sockets kept from one tcp probe to the next. A probe whose connect
 * succeeded gives its socket back: connect(AF_UNSPEC) resets the connection
 * with the RST that close() with SO_LINGER 0 would send, and leaves a socket
 * that connects again (connect(2)). So a probe costs one connect(2) and the
 * reset, where a new socket would also cost socket(), setsockopt(), two
 * epoll_ctl() and close(), and the kernel's allocations behind them. With
 * backends near the director, where the handshake itself is cheap, that is
 * most of what took a probe from 0.72 to 0.50 ms of CPU (a thousand
 * backends on a veth in a TCG guest, as bench/in-vm.sh's checkers).
 *
 * A socket is on the loop for its whole life, edge-triggered for EPOLLOUT:
 * its connection's progress wakes it, and epoll reports the state it has at
 * epoll_wait(), not the one it had at the wakeup. A socket given back wakes
 * once more, for its reset; that event, reported while it is idle, goes to
 * nobody. Taken again before that epoll_wait(), it reports its new
 * connection instead. Taken while the loop dispatches a batch that holds
 * its idle event, it would hand that event to its new probe: so sockets are
 * taken between batches, as probes start, from a timer.
 *
 * After anything but a success (refused, a timeout, a cancel) the socket is
 * closed, not kept: its state is not known to be a clean one.
 */
#ifndef DRLBD_SOCKPOOL_H
#define DRLBD_SOCKPOOL_H

#include <stdint.h>
#include <sys/socket.h>

#include "list.h"
#include "loop.h"

struct sockpool {
	struct loop *loop;
	struct list_head idle[2];	/* IPv4, IPv6: the last given back at the tail */
	unsigned int nr_idle;
};

struct pooled_socket {
	struct list_head node;		/* in its pool's idle list, while idle */
	struct loop_watch watch;	/* for the socket's whole life */
	struct loop_deferred deferred;
	struct sockpool *pool;
	int family;
	/* The connecting probe's; NULL while idle. */
	void (*ready)(void *owner, uint32_t events);
	void *owner;
};

void sockpool_init(struct sockpool *pool, struct loop *loop);
void sockpool_release(struct sockpool *pool);

struct pooled_socket *sockpool_connect(struct sockpool *pool, const struct sockaddr *addr,
				       socklen_t addrlen,
				       void (*ready)(void *owner, uint32_t events),
				       void *owner, int *err);
void sockpool_recycle(struct pooled_socket *s);
void sockpool_close(struct pooled_socket *s);

#endif /* DRLBD_SOCKPOOL_H */
