// SPDX-License-Identifier: GPL-2.0
/* drctl host unit tests: parsing, output and save/restore, no kernel needed. */
#include <stdlib.h>
#include <string.h>

#include "drctl_test.h"

void test_ctx_init(struct test_ctx *t)
{
	memset(t, 0, sizeof(*t));
	t->ctx.out = open_memstream(&t->out, &t->out_len);
	t->ctx.err = open_memstream(&t->err, &t->err_len);
	ck_assert_ptr_nonnull(t->ctx.out);
	ck_assert_ptr_nonnull(t->ctx.err);
}

const char *test_out(struct test_ctx *t)
{
	fflush(t->ctx.out);
	return t->out;
}

const char *test_err(struct test_ctx *t)
{
	fflush(t->ctx.err);
	return t->err;
}

void test_ctx_free(struct test_ctx *t)
{
	drctl_close(&t->ctx);
	fclose(t->ctx.out);
	fclose(t->ctx.err);
	free(t->out);
	free(t->err);
}

int main(void)
{
	SRunner *sr = srunner_create(parse_suite());
	int failed;

	srunner_add_suite(sr, output_suite());
	srunner_add_suite(sr, saverestore_suite());
	srunner_add_suite(sr, realserver_suite());
	srunner_set_tap(sr, "/dev/stdout");
	srunner_run_all(sr, CK_SILENT);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
