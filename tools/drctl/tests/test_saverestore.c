// SPDX-License-Identifier: GPL-2.0
/*
 * Save lines read back through the same parser, and the dispatcher that
 * runs command lines, -b batch lines and restore lines.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backend.h"
#include "drctl_test.h"
#include "saverestore.h"

/* Splits a saved line and checks its first two words. */
static int split_saved(char *line, const char *object, const char *verb, char **argv)
{
	int argc = tokenize(line, argv, LINE_WORDS_MAX);

	ck_assert_int_ge(argc, 2);
	ck_assert_str_eq(argv[0], object);
	ck_assert_str_eq(argv[1], verb);
	return argc - 2;
}

static void ipv6_service(struct service_info *svc)
{
	memset(svc, 0, sizeof(*svc));
	svc->key.af = AF_INET6;
	svc->key.protocol = IPPROTO_UDP;
	inet_pton(AF_INET6, "2001:db8::10", &svc->key.addr.v6);
	svc->key.port = 53;
	snprintf(svc->sched, sizeof(svc->sched), "mh");
	svc->persist = 30;
	svc->mh_size = 251;
}

START_TEST(save_service_line_format)
{
	struct service_info svc = { .key = { .af = AF_INET, .protocol = IPPROTO_TCP, .port = 80 },
				    .sched = "rr", .mh_size = DRLB_MH_SIZE_DEFAULT };
	char buf[256];

	inet_pton(AF_INET, "10.0.0.100", &svc.key.addr.v4);
	ck_assert_int_eq(save_service_line(buf, sizeof(buf), &svc), 0);
	ck_assert_str_eq(buf, "service add tcp 10.0.0.100:80 sched rr");
	ipv6_service(&svc);
	ck_assert_int_eq(save_service_line(buf, sizeof(buf), &svc), 0);
	ck_assert_str_eq(buf, "service add udp [2001:db8::10]:53 sched mh persist 30 mh-size 251");
	ck_assert_int_eq(save_service_line(buf, 20, &svc), -1);
}
END_TEST

START_TEST(saved_service_parses_back_identical)
{
	struct service_spec spec;
	struct service_info svc;
	char buf[256], *argv[LINE_WORDS_MAX];
	struct test_ctx t;
	int argc;

	ipv6_service(&svc);
	ck_assert_int_eq(save_service_line(buf, sizeof(buf), &svc), 0);
	argc = split_saved(buf, "service", "add", argv);
	test_ctx_init(&t);
	ck_assert_int_eq(service_parse(&t.ctx, argc, argv + 2, &spec), DRCTL_OK);
	ck_assert_mem_eq(&spec.key.addr, &svc.key.addr, sizeof(svc.key.addr));
	ck_assert_int_eq(spec.key.af, svc.key.af);
	ck_assert_int_eq(spec.key.protocol, svc.key.protocol);
	ck_assert_int_eq(spec.key.port, svc.key.port);
	ck_assert_str_eq(spec.sched, svc.sched);
	ck_assert_uint_eq(spec.persist, svc.persist);
	ck_assert_uint_eq(spec.mh_size, svc.mh_size);
	test_ctx_free(&t);
}
END_TEST

START_TEST(saved_backend_parses_back_identical)
{
	struct backend_info be = { .weight = 0 };
	struct backend_spec spec;
	struct service_info svc;
	char buf[256], *argv[LINE_WORDS_MAX];
	struct test_ctx t;
	int argc;

	ipv6_service(&svc);
	inet_pton(AF_INET6, "2001:db8::11", &be.addr.v6);
	ck_assert_int_eq(save_backend_line(buf, sizeof(buf), &svc, &be), 0);
	ck_assert_str_eq(buf, "backend add udp [2001:db8::10]:53 2001:db8::11 weight 0");
	argc = split_saved(buf, "backend", "add", argv);
	test_ctx_init(&t);
	ck_assert_int_eq(backend_parse(&t.ctx, argc, argv + 2, &spec), DRCTL_OK);
	ck_assert_mem_eq(&spec.addr, &be.addr, sizeof(be.addr));
	ck_assert(spec.has_weight);
	ck_assert_uint_eq(spec.weight, 0);
	test_ctx_free(&t);
}
END_TEST

START_TEST(saved_config_parses_back_identical)
{
	struct config_info cfg = { .tcp = 900, .tcpfin = 120, .tcpclose = 10, .udp = 300,
				   .conn_max = 262144 };
	struct config_spec spec;
	char buf[256], *argv[LINE_WORDS_MAX];
	struct test_ctx t;
	int argc;

	ck_assert_int_eq(save_config_line(buf, sizeof(buf), &cfg), 0);
	ck_assert_str_eq(buf, "config set tcp 900 tcpfin 120 tcpclose 10 udp 300 conn-max 262144");
	argc = split_saved(buf, "config", "set", argv);
	test_ctx_init(&t);
	ck_assert_int_eq(config_parse(&t.ctx, argc, argv + 2, &spec), DRCTL_OK);
	ck_assert_uint_eq(spec.val[DRLB_CFG_A_TIMEOUT_TCP_FIN], 120);
	ck_assert_uint_eq(spec.val[DRLB_CFG_A_TIMEOUT_TCP_CLOSE], 10);
	ck_assert_uint_eq(spec.val[DRLB_CFG_A_CONN_MAX], 262144);
	test_ctx_free(&t);
}
END_TEST

START_TEST(saved_config_leaves_out_unreported_values)
{
	struct config_info cfg = { .udp = 60 };
	char buf[256];

	ck_assert_int_eq(save_config_line(buf, sizeof(buf), &cfg), 0);
	ck_assert_str_eq(buf, "config set udp 60");
	cfg.udp = 0;
	ck_assert_int_eq(save_config_line(buf, sizeof(buf), &cfg), 0);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(prefixes_reach_the_command)
{
	struct test_ctx t;

	test_ctx_init(&t);
	t.ctx.dry_run = true;
	ck_assert_int_eq(drctl_run_line(&t.ctx, "se a tcp 10.0.0.1:80 sched wrr"), DRCTL_OK);
	ck_assert_int_eq(drctl_run_line(&t.ctx, "conf set udp 60"), DRCTL_OK);
	ck_assert_int_eq(drctl_run_line(&t.ctx, "sa extra"), DRCTL_USAGE);
	ck_assert_ptr_nonnull(strstr(test_err(&t), "save takes no arguments"));
	test_ctx_free(&t);
}
END_TEST

START_TEST(ambiguous_object_names_candidates)
{
	struct test_ctx t;

	test_ctx_init(&t);
	ck_assert_int_eq(drctl_run_line(&t.ctx, "s show"), DRCTL_USAGE);
	ck_assert_str_eq(test_err(&t), "drctl: 's' is ambiguous: service, save\n");
	test_ctx_free(&t);
}
END_TEST

START_TEST(object_help_prints_its_usage)
{
	struct test_ctx t;

	test_ctx_init(&t);
	ck_assert_int_eq(drctl_run_line(&t.ctx, "backend help"), DRCTL_OK);
	ck_assert_ptr_nonnull(strstr(test_out(&t),
				     "drctl backend set  tcp|udp VIP:PORT RIP weight N"));
	ck_assert_int_eq(drctl_run_line(&t.ctx, "backend frob"), DRCTL_USAGE);
	ck_assert_ptr_nonnull(strstr(test_err(&t), "unknown backend command 'frob'"));
	test_ctx_free(&t);
}
END_TEST

START_TEST(batch_errors_name_file_and_line)
{
	struct test_ctx t;

	test_ctx_init(&t);
	t.ctx.file = "lb.conf";
	t.ctx.line = 7;
	ck_assert_int_eq(drctl_run_line(&t.ctx, "# only a comment"), DRCTL_OK);
	ck_assert_int_eq(drctl_run_line(&t.ctx, "   "), DRCTL_OK);
	ck_assert_int_eq(drctl_run_line(&t.ctx, "service add tcp 10.0.0.300:80"), DRCTL_USAGE);
	ck_assert_str_eq(test_err(&t), "drctl: lb.conf:7: invalid VIP '10.0.0.300'\n");
	test_ctx_free(&t);
}
END_TEST

/* Makes text the whole of stdin, stream state included. */
static void stdin_from(const char *text)
{
	char path[] = "/tmp/drctl-test-XXXXXX";
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	ck_assert_ptr_nonnull(freopen(path, "r", stdin));
	unlink(path);
}

/* Restore checks every line before touching the kernel (which is absent here). */
START_TEST(restore_refuses_bad_line_before_applying)
{
	static const char input[] =
		"config set tcp 900\n"
		"service add tcp 10.0.0.1:80 sched rr\n"
		"\n"
		"service add tcp 10.0.0.1:80 sched fastest\n";
	struct test_ctx t;

	stdin_from(input);
	test_ctx_init(&t);
	ck_assert_int_eq(drctl_run_line(&t.ctx, "restore"), DRCTL_USAGE);
	ck_assert_ptr_nonnull(strstr(test_err(&t), "drctl: stdin:4: invalid scheduler 'fastest'"));
	ck_assert_ptr_null(strstr(test_err(&t), "module"));
	test_ctx_free(&t);
}
END_TEST

START_TEST(restore_takes_only_saved_commands)
{
	struct test_ctx t;

	stdin_from("service add tcp 10.0.0.1:80\nservice del tcp 10.0.0.1:80\n");
	test_ctx_init(&t);
	ck_assert_int_eq(drctl_run_line(&t.ctx, "restore"), DRCTL_USAGE);
	ck_assert_ptr_nonnull(strstr(test_err(&t), "drctl: stdin:2: restore takes only"));
	test_ctx_free(&t);
}
END_TEST

Suite *saverestore_suite(void)
{
	Suite *s = suite_create("saverestore");
	TCase *tc = tcase_create("saverestore");

	tcase_add_test(tc, save_service_line_format);
	tcase_add_test(tc, saved_service_parses_back_identical);
	tcase_add_test(tc, saved_backend_parses_back_identical);
	tcase_add_test(tc, saved_config_parses_back_identical);
	tcase_add_test(tc, saved_config_leaves_out_unreported_values);
	tcase_add_test(tc, prefixes_reach_the_command);
	tcase_add_test(tc, ambiguous_object_names_candidates);
	tcase_add_test(tc, object_help_prints_its_usage);
	tcase_add_test(tc, batch_errors_name_file_and_line);
	tcase_add_test(tc, restore_refuses_bad_line_before_applying);
	tcase_add_test(tc, restore_takes_only_saved_commands);
	suite_add_tcase(s, tc);
	return s;
}
