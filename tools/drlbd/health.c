// SPDX-License-Identifier: GPL-2.0
/*
 * Rise and fall as keepalived and HAProxy count them: rise consecutive
 * successes bring a backend up, fall consecutive failures take it down, and
 * one result of the other kind starts the count again.
 *
 * Unchecked (the kernel's health of a backend no checker has judged yet)
 * counts like up: it goes down after fall failures and up after rise
 * successes. So a restarted drlbd takes the health the kernel has, and a
 * backend that was serving keeps serving until fall failures say otherwise.
 * With alpha, a backend not known up starts down and its first success
 * brings it up; rise applies after that.
 */
#include "health.h"

void health_init(struct health *h, enum drlbd_health initial, bool alpha)
{
	h->state = initial;
	h->ok_run = 0;
	h->fail_run = 0;
	h->alpha_pending = alpha && initial != DRLBD_HEALTH_UP;
	if (h->alpha_pending)
		h->state = DRLBD_HEALTH_DOWN;
}

/* A new check: the old one's results say nothing about the new one's. */
void health_restart(struct health *h)
{
	h->ok_run = 0;
	h->fail_run = 0;
}

bool health_is_healthy(enum drlbd_health state)
{
	return state != DRLBD_HEALTH_DOWN;
}

/* Count one probe result; true when the health changed. */
bool health_count(struct health *h, const struct drlbd_check *check, bool ok,
		  struct health_change *change)
{
	uint32_t need;

	if (ok) {
		h->fail_run = 0;
		if (h->ok_run < UINT32_MAX)
			h->ok_run++;
		if (h->state == DRLBD_HEALTH_UP)
			return false;
		need = h->alpha_pending ? 1 : check->rise;
		if (h->ok_run < need)
			return false;
		h->state = DRLBD_HEALTH_UP;
		h->alpha_pending = false;
	} else {
		h->ok_run = 0;
		if (h->fail_run < UINT32_MAX)
			h->fail_run++;
		if (h->state == DRLBD_HEALTH_DOWN)
			return false;
		need = check->fall;
		if (h->fail_run < need)
			return false;
		h->state = DRLBD_HEALTH_DOWN;
	}
	change->count = need;
	change->of = need;
	return true;
}

/*
 * The quorum is judged first on the health backends are registered with,
 * without running a command: a command runs only when a health change from
 * a probe crosses the line. So a restart with the quorum met (or not) runs
 * nothing, and with alpha (backends start down) quorum-up runs once enough
 * backends have come up.
 */
void quorum_init(struct quorum *q, uint32_t healthy, uint32_t need)
{
	q->met = healthy >= need;
}

/* +1: the quorum is now met, -1: now lost, 0: no change. */
int quorum_count(struct quorum *q, uint32_t healthy, uint32_t need)
{
	bool met = healthy >= need;

	if (met == q->met)
		return 0;
	q->met = met;
	return met ? 1 : -1;
}
