// SPDX-License-Identifier: GPL-2.0
/*
 * Save lines read back through the same parser, and the dispatcher that
 * runs command lines, -b batch lines and restore lines.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backend.h"
#include "drctl_test.h"
#include "checkconf.h"
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

/* The site seed and the ceilings travel with save and come back with restore. */
START_TEST(saved_seed_and_ceilings_parse_back_identical)
{
	struct config_info cfg = { .service_max = 100, .backend_max = 20,
				   .seed = { 0x01, 0x23, [15] = 0xff } };
	struct config_spec spec;
	char buf[256], *argv[LINE_WORDS_MAX];
	struct test_ctx t;
	int argc;

	ck_assert_int_eq(save_config_line(buf, sizeof(buf), &cfg), 0);
	ck_assert_str_eq(buf,
			 "config set service-max 100 backend-max 20 seed 012300000000000000000000000000ff");
	argc = split_saved(buf, "config", "set", argv);
	test_ctx_init(&t);
	ck_assert_int_eq(config_parse(&t.ctx, argc, argv + 2, &spec), DRCTL_OK);
	ck_assert(spec.has[DRLB_CFG_A_SEED]);
	ck_assert_mem_eq(spec.seed, cfg.seed, sizeof(cfg.seed));
	ck_assert_uint_eq(spec.val[DRLB_CFG_A_SERVICE_MAX], 100);
	ck_assert_uint_eq(spec.val[DRLB_CFG_A_BACKEND_MAX], 20);
	test_ctx_free(&t);
}
END_TEST

START_TEST(bad_seed_is_refused_with_its_form)
{
	char *argv[] = { "seed", "0123xyz" };
	struct config_spec spec;
	struct test_ctx t;

	test_ctx_init(&t);
	ck_assert_int_eq(config_parse(&t.ctx, 2, argv, &spec), DRCTL_USAGE);
	ck_assert_ptr_nonnull(strstr(test_err(&t), "32 hex digits"));
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

/* A check's save line parses back to the same check, quotes and all. */
START_TEST(saved_check_parses_back_identical)
{
	char *words[] = { "http", "path", "/health", "fall", "2", "on-down", "expire",
			  "quorum", "1", "quorum-down", "logger 'lost it'" };
	struct drlbd_check check, back;
	struct service_info svc;
	char buf[8192], err[256], *argv[LINE_WORDS_MAX];
	int argc;

	ipv6_service(&svc);
	ck_assert_int_eq(drlbd_check_parse(&check, 11, words, err, sizeof(err)), 0);
	svc.check = &check;
	ck_assert_int_eq(save_check_line(buf, sizeof(buf), &svc), 0);
	ck_assert_ptr_nonnull(strstr(buf, "check set udp [2001:db8::10]:53 http path /health"));
	ck_assert_ptr_nonnull(strstr(buf, " fall 2 on-down expire quorum 1 quorum-down"));
	ck_assert_ptr_nonnull(strstr(buf, " 'logger '\\''lost it'\\'''"));
	argc = split_saved(buf, "check", "set", argv);
	ck_assert_int_eq(drlbd_check_parse(&back, argc - 2, argv + 4, err, sizeof(err)), 0);
	ck_assert_int_eq(memcmp(&back, &check, sizeof(back)), 0);
}
END_TEST

START_TEST(check_words_are_refused_with_their_message)
{
	struct test_ctx t;

	test_ctx_init(&t);
	t.ctx.dry_run = true;
	ck_assert_int_eq(drctl_run_line(&t.ctx, "check set tcp 10.0.0.1:80 http fall 2"),
			 DRCTL_OK);
	ck_assert_int_eq(drctl_run_line(&t.ctx, "check set tcp 10.0.0.1:80 http status 99"),
			 DRCTL_USAGE);
	ck_assert_str_eq(test_err(&t), "drctl: status: '99' is not a number from 100 to 599\n");
	ck_assert_int_eq(drctl_run_line(&t.ctx, "check set tcp 10.0.0.1:80"), DRCTL_USAGE);
	ck_assert_ptr_nonnull(strstr(test_err(&t), "missing check type after the service"));
	ck_assert_int_eq(drctl_run_line(&t.ctx, "check set tcp 10.0.0.1:80 exec 'sh -c"),
			 DRCTL_USAGE);
	ck_assert_ptr_nonnull(strstr(test_err(&t), "a quote (') is not closed"));
	test_ctx_free(&t);
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
				     "drctl backend set  tcp|udp VIP:PORT RIP [weight N] [health"));
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
		"service add tcp 10.0.0.2:80 sched fastest\n";
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

/* Each file is refused by the check pass: nothing reaches the (absent) kernel. */
START_TEST(restore_refuses_what_the_kernel_would_refuse)
{
	static const struct {
		const char *file;
		const char *msg;
	} cases[] = {
		{ "service add tcp 10.0.0.1:80\nservice add tcp 10.0.0.1:80 sched wrr\n",
		  "drctl: stdin:2: service tcp 10.0.0.1:80 is added twice\n" },
		{ "service add tcp 10.0.0.1:80\nbackend add tcp 10.0.0.2:80 10.0.1.1\n",
		  "drctl: stdin:2: no service tcp 10.0.0.2:80 before this line: add it first\n" },
		{ "service set udp 10.0.0.1:53 sched sh\n",
		  "drctl: stdin:1: no service udp 10.0.0.1:53 before this line: add it first\n" },
		{ "service add tcp 127.0.0.1:80\n",
		  "drctl: stdin:1: VIP 127.0.0.1 is not a unicast address (loopback)\n" },
		{ "config set tcpfin 2592001\n",
		  "drctl: stdin:1: invalid tcpfin '2592001' (1-2592000)\n" },
		{ "service add tcp 10.0.0.1:80\nbackend add tcp 10.0.0.1:80 2001:db8::1\n",
		  "drctl: stdin:2: backend 2001:db8::1 is IPv6 but the service is IPv4\n" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct test_ctx t;

		stdin_from(cases[i].file);
		test_ctx_init(&t);
		ck_assert_int_eq(drctl_run_line(&t.ctx, "restore"), DRCTL_USAGE);
		ck_assert_str_eq(test_err(&t), cases[i].msg);
		test_ctx_free(&t);
	}
}
END_TEST

/* A backend on-link from a namespace of the test's own, added twice. */
START_TEST(restore_refuses_a_backend_added_twice)
{
	struct test_ctx t;

	ck_assert_int_eq(unshare(CLONE_NEWNET), 0);
	ck_assert_int_eq(system("ip link add b0 up type bridge"), 0);
	ck_assert_int_eq(system("ip addr add 10.0.1.254/24 dev b0"), 0);
	stdin_from("service add tcp 10.0.0.1:80\n"
		   "backend add tcp 10.0.0.1:80 10.0.1.1\n"
		   "backend add tcp 10.0.0.1:80 10.0.1.1 weight 2\n");
	test_ctx_init(&t);
	ck_assert_int_eq(drctl_run_line(&t.ctx, "restore"), DRCTL_USAGE);
	ck_assert_str_eq(test_err(&t),
			 "drctl: stdin:3: backend 10.0.1.1 of tcp 10.0.0.1:80 is added twice\n");
	test_ctx_free(&t);
}
END_TEST

/* 'drctl -b -' has read stdin to its end: restore would read nothing and flush. */
START_TEST(restore_inside_a_batch_from_stdin_refused)
{
	char *argv[] = { "drctl", "-b", "-", NULL };
	char err[256] = "";
	FILE *f;

	stdin_from("restore\n");
	ck_assert_ptr_nonnull(freopen("/tmp/drctl-test-batch.err", "w+", stderr));
	ck_assert_int_eq(drctl_main(3, argv), DRCTL_USAGE);
	fflush(stderr);
	f = fopen("/tmp/drctl-test-batch.err", "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(err, sizeof(err), f));
	fclose(f);
	unlink("/tmp/drctl-test-batch.err");
	ck_assert_str_eq(err,
			 "drctl: stdin:1: restore reads standard input, which 'drctl -b -' has read already; use 'drctl restore < FILE'\n");
}
END_TEST

static void add_service(struct service_list *list, const char *proto, const char *vip,
			uint16_t port, const char *const *backends)
{
	struct service_info *svc = &list->svcs[list->count++];

	parse_addr(vip, &svc->key.af, &svc->key.addr);
	svc->key.protocol = !strcmp(proto, "tcp") ? IPPROTO_TCP : IPPROTO_UDP;
	svc->key.port = port;
	snprintf(svc->sched, sizeof(svc->sched), "rr");
	svc->mh_size = DRLB_MH_SIZE_DEFAULT;
	for (; *backends; backends++) {
		struct backend_info *be = &svc->backends[svc->backend_count++];
		int af;

		parse_addr(*backends, &af, &be->addr);
		be->weight = 1;
	}
}

/* The kernel dumps in hash order; a saved file must not depend on it. */
START_TEST(save_is_sorted)
{
	static const char *const be_a[] = { "10.0.1.12", "10.0.1.2", "10.0.1.11", NULL };
	static const char *const none[] = { NULL };
	static const char *const expect[] = {
		"config set udp 300",
		"service add tcp 10.0.0.2:80 sched rr",
		"service add tcp 10.0.0.10:80 sched rr",
		"backend add tcp 10.0.0.10:80 10.0.1.2 weight 1",
		"backend add tcp 10.0.0.10:80 10.0.1.11 weight 1",
		"backend add tcp 10.0.0.10:80 10.0.1.12 weight 1",
		"service add tcp 10.0.0.10:443 sched rr",
		"service add udp 10.0.0.1:53 sched rr",
		"service add tcp [2001:db8::1]:80 sched rr",
	};
	struct backend_info backends[5][4] = { 0 };
	struct service_info svcs[5] = { 0 };
	struct service_list list = { .svcs = svcs };
	struct config_info cfg = { .udp = 300 };
	struct line_list lines = { 0 };
	struct test_ctx t;

	for (int i = 0; i < 5; i++)
		svcs[i].backends = backends[i];
	add_service(&list, "tcp", "2001:db8::1", 80, none);
	add_service(&list, "udp", "10.0.0.1", 53, none);
	add_service(&list, "tcp", "10.0.0.10", 443, none);
	add_service(&list, "tcp", "10.0.0.10", 80, be_a);
	add_service(&list, "tcp", "10.0.0.2", 80, none);
	test_ctx_init(&t);
	ck_assert_int_eq(save_lines(&t.ctx, &cfg, &list, &lines), DRCTL_OK);
	ck_assert_uint_eq(lines.count, ARRAY_SIZE(expect));
	for (size_t i = 0; i < ARRAY_SIZE(expect); i++)
		ck_assert_str_eq(lines.lines[i], expect[i]);
	lines_free(&lines);
	test_ctx_free(&t);
}
END_TEST

/* As ip does for some verbs: a prefix never flushes everything. */
START_TEST(flush_needs_the_full_word)
{
	static const char *const refused[] = { "f", "fl", "flus", "conn f", "conn fl" };
	struct test_ctx t;

	for (size_t i = 0; i < ARRAY_SIZE(refused); i++) {
		test_ctx_init(&t);
		t.ctx.dry_run = true;
		ck_assert_int_eq(drctl_run_line(&t.ctx, refused[i]), DRCTL_USAGE);
		ck_assert_ptr_nonnull(strstr(test_err(&t), "in full"));
		test_ctx_free(&t);
	}
	test_ctx_init(&t);
	t.ctx.dry_run = true;
	ck_assert_int_eq(drctl_run_line(&t.ctx, "flush"), DRCTL_OK);
	ck_assert_int_eq(drctl_run_line(&t.ctx, "conn flush"), DRCTL_OK);
	test_ctx_free(&t);
}
END_TEST

/* An early write error (a full disk) that a final fflush() no longer reports. */
START_TEST(write_error_on_stdout_fails)
{
	char *argv[] = { "drctl", "help", NULL };

	ck_assert_ptr_nonnull(freopen("/dev/full", "w", stdout));
	setvbuf(stdout, NULL, _IONBF, 0);	/* each write fails on its own */
	ck_assert_ptr_nonnull(freopen("/dev/null", "w", stderr));
	ck_assert_int_eq(drctl_main(2, argv), DRCTL_FAIL);
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
	tcase_add_test(tc, saved_seed_and_ceilings_parse_back_identical);
	tcase_add_test(tc, bad_seed_is_refused_with_its_form);
	tcase_add_test(tc, saved_config_leaves_out_unreported_values);
	tcase_add_test(tc, prefixes_reach_the_command);
	tcase_add_test(tc, saved_check_parses_back_identical);
	tcase_add_test(tc, check_words_are_refused_with_their_message);
	tcase_add_test(tc, ambiguous_object_names_candidates);
	tcase_add_test(tc, object_help_prints_its_usage);
	tcase_add_test(tc, batch_errors_name_file_and_line);
	tcase_add_test(tc, restore_refuses_bad_line_before_applying);
	tcase_add_test(tc, restore_takes_only_saved_commands);
	tcase_add_test(tc, restore_refuses_what_the_kernel_would_refuse);
	tcase_add_test(tc, restore_refuses_a_backend_added_twice);
	tcase_add_test(tc, restore_inside_a_batch_from_stdin_refused);
	tcase_add_test(tc, save_is_sorted);
	tcase_add_test(tc, flush_needs_the_full_word);
	tcase_add_test(tc, write_error_on_stdout_fails);
	suite_add_tcase(s, tc);
	return s;
}
