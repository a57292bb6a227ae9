/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A backend's health from its probe results (rise, fall, alpha), and a
 * service's quorum from its backends' health. Pure state, no I/O: the engine
 * feeds results in and acts on what changed.
 */
#ifndef DRLBD_HEALTH_H
#define DRLBD_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#include "checkconf.h"
#include "engine.h"

struct health {
	enum drlbd_health state;
	uint32_t ok_run;	/* consecutive successes */
	uint32_t fail_run;	/* consecutive failures */
	bool alpha_pending;	/* alpha: the first success alone brings it up */
};

/* What a change is about, for the "3 of 3" of the log line. */
struct health_change {
	uint32_t count;
	uint32_t of;
};

void health_init(struct health *h, enum drlbd_health initial, bool alpha);
void health_restart(struct health *h);
bool health_count(struct health *h, const struct drlbd_check *check, bool ok,
		  struct health_change *change);
bool health_is_healthy(enum drlbd_health state);

struct quorum {
	bool met;
};

void quorum_init(struct quorum *q, uint32_t healthy, uint32_t need);
int quorum_count(struct quorum *q, uint32_t healthy, uint32_t need);

#endif /* DRLBD_HEALTH_H */
