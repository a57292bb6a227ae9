/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRCTL_TEST_H
#define DRCTL_TEST_H

#include <check.h>

#include "drctl.h"

/* A drctl context whose stdout and stderr are captured in memory. */
struct test_ctx {
	struct drctl ctx;
	char *out;
	char *err;
	size_t out_len;
	size_t err_len;
};

void test_ctx_init(struct test_ctx *t);
const char *test_out(struct test_ctx *t);
const char *test_err(struct test_ctx *t);
void test_ctx_free(struct test_ctx *t);

/* The main() of drctl.c, renamed for the tests. */
int drctl_main(int argc, char **argv);

Suite *parse_suite(void);
Suite *output_suite(void);
Suite *saverestore_suite(void);
Suite *realserver_suite(void);

#endif /* DRCTL_TEST_H */
