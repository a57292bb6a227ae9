/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One probe: one check of one target, from start to a result. probe.c owns
 * the lifecycle (the timeout, the result, the memory); each type (probe_tcp.c,
 * probe_http.c, probe_dns.c, probe_exec.c) is an ops table that starts the
 * work and stops it.
 *
 * A type reports its result with probe_finish(), once; that is the last
 * thing it does with the probe, which is then stopped (ops->stop) and freed
 * after the loop's batch. probe_finish() may be called from ops->start.
 */
#ifndef DRLBD_PROBE_H
#define DRLBD_PROBE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "checkconf.h"
#include "child.h"
#include "common.h"
#include "loop.h"
#include "sockpool.h"
#include "tls.h"

#define PROBE_REASON_MAX	192

struct probe;

struct probe_ops {
	void (*start)(struct probe *p);
	/* Release what start took; the probe is done or cancelled. */
	void (*stop)(struct probe *p);
};

/* What a probe needs from above, given at start. */
struct probe_env {
	struct loop *loop;
	struct children *children;	/* exec */
	struct sockpool *sockets;	/* tcp */
	struct tls_ctx *tls;		/* https */
	const char *service;		/* DRLB_SERVICE */
};

struct probe {
	struct loop_watch watch;	/* the type's fd, when it has one */
	struct loop_timer timeout;
	struct loop_deferred deferred;
	const struct probe_env *env;
	const struct drlbd_check *check;
	struct sockaddr_storage addr;	/* the target's, port already the check's */
	socklen_t addrlen;
	int64_t started;
	bool finished;
	void (*done)(struct probe *p, bool ok, const char *reason);
	void *owner;			/* the done callback's */
	void *state;			/* the type's, freed by its stop */
};

int probe_start(const struct probe_env *env, const struct drlbd_check *check,
		const struct sockaddr *addr, socklen_t addrlen, int64_t now,
		void (*done)(struct probe *p, bool ok, const char *reason),
		void *owner, struct probe **slot);
void probe_cancel(struct probe *p);

__printf(3, 4)
void probe_finish(struct probe *p, bool ok, const char *fmt, ...);
void probe_finish_errno(struct probe *p, int err);

int probe_socket(struct probe *p, int type, uint32_t events,
		 void (*fn)(struct loop_watch *w, uint32_t events));
void probe_close(struct probe *p);
void probe_reset_on_close(struct probe *p);
int probe_so_error(int fd);
uint16_t probe_port(const struct probe *p);
const char *probe_addr_text(const struct probe *p, char *buf, size_t len);

extern const struct probe_ops probe_tcp_ops;
extern const struct probe_ops probe_http_ops;
extern const struct probe_ops probe_dns_ops;
extern const struct probe_ops probe_exec_ops;

#endif /* DRLBD_PROBE_H */
