/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the drlb KUnit suites: hand-built services and
 * backends, with no network namespace and no route lookups behind them.
 */
#ifndef _DRLB_TEST_UTIL_H
#define _DRLB_TEST_UTIL_H

#include <kunit/test.h>

#include "backend.h"
#include "drlb.h"
#include "sched.h"
#include "service.h"

static inline union nf_inet_addr drlb_test_addr(u8 last)
{
	union nf_inet_addr a = { .ip = htonl(0x0a000100 | last) };

	return a;
}

/* A namespace-less service with backends of the given weights. */
struct drlb_test_svc {
	struct drlb_net dn;
	struct drlb_service svc;
	struct drlb_backend *be[8];
	unsigned int n;
};

void drlb_test_svc_init(struct kunit *test, struct drlb_test_svc *t,
			const struct drlb_sched_ops *ops, const u16 *weights, unsigned int n);
void drlb_test_svc_exit(struct drlb_test_svc *t);
struct drlb_backend *drlb_test_pick(struct drlb_test_svc *t, u32 client);
void drlb_test_tally(struct kunit *test, struct drlb_test_svc *t, unsigned int picks,
		     unsigned int *hits);

#endif /* _DRLB_TEST_UTIL_H */
