/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The engine's own state, for engine.c and the services it holds
 * (service.c): the loop and what every service shares on it.
 */
#ifndef DRLBD_ENGINE_INTERNAL_H
#define DRLBD_ENGINE_INTERNAL_H

#include "child.h"
#include "engine.h"
#include "list.h"
#include "loop.h"
#include "sockpool.h"
#include "tls.h"

struct drlbd_engine {
	struct loop *loop;
	struct children children;
	struct sockpool sockets;	/* of tcp probes */
	struct tls_ctx *tls;		/* made for the first https service */
	struct drlbd_ops ops;
	struct list_head services;
	struct list_head watches;
	struct list_head calls;
	struct drlbd_stats stats;
};

#endif /* DRLBD_ENGINE_INTERNAL_H */
