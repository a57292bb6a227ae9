// SPDX-License-Identifier: GPL-2.0
/* The shared parser: words, prefixes, addresses, ports, numbers, lines. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "backend.h"
#include "config.h"
#include "drctl_test.h"
#include "parse.h"
#include "service.h"

static int no_run(struct drctl *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	return 0;
}

static const struct drctl_cmd words[] = {
	{ .name = "service", .run = no_run },
	{ .name = "save", .run = no_run },
	{ .name = "conn", .run = no_run },
	{ .name = "config", .run = no_run },
	{ 0 },
};

/* Runs parse_vip_port on s; returns its exit code, the key and the message. */
static int vip(const char *s, struct svc_key *key, char *msg, size_t len)
{
	struct test_ctx t;
	int ret;

	test_ctx_init(&t);
	memset(key, 0, sizeof(*key));
	ret = parse_vip_port(&t.ctx, s, key);
	snprintf(msg, len, "%s", test_err(&t) ? test_err(&t) : "");
	test_ctx_free(&t);
	return ret;
}

static int backend(const char *s, const struct svc_key *key, union drctl_addr *addr,
		   char *msg, size_t len)
{
	struct test_ctx t;
	int ret;

	test_ctx_init(&t);
	ret = parse_backend_addr(&t.ctx, s, key, addr);
	snprintf(msg, len, "%s", test_err(&t) ? test_err(&t) : "");
	test_ctx_free(&t);
	return ret;
}

static int u32(const char *s, uint32_t min, uint32_t max, uint32_t *val)
{
	struct test_ctx t;
	int ret;

	test_ctx_init(&t);
	ret = parse_u32(&t.ctx, "weight", s, min, max, val);
	test_ctx_free(&t);
	return ret;
}

START_TEST(exact_name_wins_over_prefix)
{
	bool ambiguous;

	ck_assert_str_eq(cmd_match(words, "conn", &ambiguous)->name, "conn");
	ck_assert(!ambiguous);
	ck_assert_ptr_null(cmd_match(words, "con", &ambiguous));
	ck_assert(ambiguous);
}
END_TEST

START_TEST(unique_prefix_selects)
{
	bool ambiguous;

	ck_assert_str_eq(cmd_match(words, "se", &ambiguous)->name, "service");
	ck_assert_str_eq(cmd_match(words, "sa", &ambiguous)->name, "save");
	ck_assert_str_eq(cmd_match(words, "conf", &ambiguous)->name, "config");
}
END_TEST

START_TEST(ambiguous_prefix_rejected)
{
	bool ambiguous;

	ck_assert_ptr_null(cmd_match(words, "s", &ambiguous));
	ck_assert(ambiguous);
	ck_assert_ptr_null(cmd_match(words, "c", &ambiguous));
	ck_assert(ambiguous);
}
END_TEST

START_TEST(unknown_and_empty_words_rejected)
{
	bool ambiguous;

	ck_assert_ptr_null(cmd_match(words, "x", &ambiguous));
	ck_assert(!ambiguous);
	ck_assert_ptr_null(cmd_match(words, "", &ambiguous));
	ck_assert_ptr_null(cmd_match(words, "services", &ambiguous));
}
END_TEST

START_TEST(ipv4_vip_port_parses)
{
	static const unsigned char want[16] = { 10, 0, 0, 100 };
	struct svc_key key;
	char msg[256];

	ck_assert_int_eq(vip("10.0.0.100:80", &key, msg, sizeof(msg)), DRCTL_OK);
	ck_assert_int_eq(key.af, AF_INET);
	ck_assert_int_eq(key.port, 80);
	ck_assert_mem_eq(key.addr.raw, want, 16);
}
END_TEST

START_TEST(ipv6_vip_needs_brackets_for_port)
{
	struct svc_key key;
	struct in6_addr a;
	char msg[256];

	ck_assert_int_eq(vip("[2001:db8::10]:8080", &key, msg, sizeof(msg)), DRCTL_OK);
	inet_pton(AF_INET6, "2001:db8::10", &a);
	ck_assert_int_eq(key.af, AF_INET6);
	ck_assert_int_eq(key.port, 8080);
	ck_assert_mem_eq(key.addr.raw, &a, 16);
	ck_assert_int_eq(vip("2001:db8::10:80", &key, msg, sizeof(msg)), DRCTL_USAGE);
	ck_assert_ptr_nonnull(strstr(msg, "missing port"));
}
END_TEST

START_TEST(bad_octet_is_named_in_message)
{
	struct svc_key key;
	char msg[256];

	ck_assert_int_eq(vip("10.0.0.300:80", &key, msg, sizeof(msg)), DRCTL_USAGE);
	ck_assert_str_eq(msg, "drctl: invalid VIP '10.0.0.300'\n");
}
END_TEST

START_TEST(missing_port_rejected)
{
	struct svc_key key;
	char msg[256];

	ck_assert_int_eq(vip("10.0.0.1", &key, msg, sizeof(msg)), DRCTL_USAGE);
	ck_assert_ptr_nonnull(strstr(msg, "missing port in '10.0.0.1'"));
	ck_assert_int_eq(vip("[::1]", &key, msg, sizeof(msg)), DRCTL_USAGE);
	ck_assert_int_eq(vip("10.0.0.1:", &key, msg, sizeof(msg)), DRCTL_USAGE);
}
END_TEST

START_TEST(port_out_of_range_rejected)
{
	struct svc_key key;
	char msg[256];

	ck_assert_int_eq(vip("10.0.0.1:0", &key, msg, sizeof(msg)), DRCTL_USAGE);
	ck_assert_str_eq(msg, "drctl: invalid port '0' (1-65535)\n");
	ck_assert_int_eq(vip("10.0.0.1:65536", &key, msg, sizeof(msg)), DRCTL_USAGE);
	ck_assert_int_eq(vip("10.0.0.1:65535", &key, msg, sizeof(msg)), DRCTL_OK);
	ck_assert_int_eq(vip("10.0.0.1:http", &key, msg, sizeof(msg)), DRCTL_USAGE);
}
END_TEST

START_TEST(malformed_vips_rejected)
{
	static const char *const bad[] = {
		"", ":80", "[::1", "[::1]80", "[::1]x:80", "10.0.0:80", "10.0.0.1.2:80",
		"host:80", "[zz::1]:80", "010.0.0.1:80",
	};
	struct svc_key key;
	char msg[256];

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(vip(bad[i], &key, msg, sizeof(msg)) == DRCTL_USAGE, "%s", bad[i]);
}
END_TEST

START_TEST(backend_plain_or_same_port_accepted)
{
	struct svc_key key = { .af = AF_INET, .protocol = IPPROTO_TCP, .port = 80 };
	static const unsigned char want[16] = { 10, 0, 1, 11 };
	union drctl_addr addr;
	char msg[256];

	ck_assert_int_eq(backend("10.0.1.11", &key, &addr, msg, sizeof(msg)), DRCTL_OK);
	ck_assert_mem_eq(addr.raw, want, 16);
	ck_assert_int_eq(backend("10.0.1.11:80", &key, &addr, msg, sizeof(msg)), DRCTL_OK);
	ck_assert_mem_eq(addr.raw, want, 16);
}
END_TEST

START_TEST(backend_other_port_refused)
{
	struct svc_key key = { .af = AF_INET, .protocol = IPPROTO_TCP, .port = 80 };
	union drctl_addr addr;
	char msg[256];

	ck_assert_int_eq(backend("10.0.1.11:8080", &key, &addr, msg, sizeof(msg)), DRCTL_USAGE);
	ck_assert_ptr_nonnull(strstr(msg, "DR cannot change the port"));
}
END_TEST

START_TEST(backend_ipv6_forms)
{
	struct svc_key key = { .af = AF_INET6, .protocol = IPPROTO_UDP, .port = 53 };
	union drctl_addr addr;
	char msg[256];

	ck_assert_int_eq(backend("2001:db8::11", &key, &addr, msg, sizeof(msg)), DRCTL_OK);
	ck_assert_int_eq(backend("[2001:db8::11]", &key, &addr, msg, sizeof(msg)), DRCTL_OK);
	ck_assert_int_eq(backend("[2001:db8::11]:53", &key, &addr, msg, sizeof(msg)), DRCTL_OK);
	ck_assert_int_eq(backend("[2001:db8::11]:54", &key, &addr, msg, sizeof(msg)), DRCTL_USAGE);
	ck_assert_ptr_nonnull(strstr(msg, "DR cannot change the port"));
}
END_TEST

START_TEST(backend_family_must_match_service)
{
	struct svc_key key = { .af = AF_INET, .protocol = IPPROTO_TCP, .port = 80 };
	union drctl_addr addr;
	char msg[256];

	ck_assert_int_eq(backend("2001:db8::11", &key, &addr, msg, sizeof(msg)), DRCTL_USAGE);
	ck_assert_ptr_nonnull(strstr(msg, "is IPv6 but the service is IPv4"));
	ck_assert_int_eq(backend("10.0.1.300", &key, &addr, msg, sizeof(msg)), DRCTL_USAGE);
}
END_TEST

START_TEST(weight_range_is_0_to_65535)
{
	uint32_t w = 7;

	ck_assert_int_eq(u32("0", 0, DRLB_WEIGHT_MAX, &w), DRCTL_OK);
	ck_assert_uint_eq(w, 0);
	ck_assert_int_eq(u32("65535", 0, DRLB_WEIGHT_MAX, &w), DRCTL_OK);
	ck_assert_uint_eq(w, 65535);
	ck_assert_int_eq(u32("65536", 0, DRLB_WEIGHT_MAX, &w), DRCTL_USAGE);
	ck_assert_int_eq(u32("-1", 0, DRLB_WEIGHT_MAX, &w), DRCTL_USAGE);
	ck_assert_uint_eq(w, 65535);
}
END_TEST

START_TEST(numbers_reject_junk_signs_and_overflow)
{
	static const char *const bad[] = {
		"", "+1", " 1", "1 ", "1x", "0x10", "4294967296", "99999999999999999999",
	};
	uint32_t v;

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		ck_assert_msg(u32(bad[i], 0, UINT32_MAX, &v) == DRCTL_USAGE, "'%s'", bad[i]);
	ck_assert_int_eq(u32("4294967295", 0, UINT32_MAX, &v), DRCTL_OK);
	ck_assert_uint_eq(v, UINT32_MAX);
}
END_TEST

START_TEST(protocol_is_tcp_or_udp)
{
	struct test_ctx t;
	uint8_t p;

	test_ctx_init(&t);
	ck_assert_int_eq(parse_protocol(&t.ctx, "tcp", &p), DRCTL_OK);
	ck_assert_int_eq(p, IPPROTO_TCP);
	ck_assert_int_eq(parse_protocol(&t.ctx, "udp", &p), DRCTL_OK);
	ck_assert_int_eq(p, IPPROTO_UDP);
	ck_assert_int_eq(parse_protocol(&t.ctx, "sctp", &p), DRCTL_USAGE);
	ck_assert_int_eq(parse_protocol(&t.ctx, "TCP", &p), DRCTL_USAGE);
	test_ctx_free(&t);
}
END_TEST

START_TEST(service_options_parse)
{
	char *argv[] = { "udp", "[2001:db8::1]:53", "sched", "mh", "persist", "300",
			 "mh-size", "131071" };
	struct service_spec spec;
	struct test_ctx t;

	test_ctx_init(&t);
	ck_assert_int_eq(service_parse(&t.ctx, 8, argv, &spec), DRCTL_OK);
	ck_assert_int_eq(spec.key.protocol, IPPROTO_UDP);
	ck_assert_int_eq(spec.key.af, AF_INET6);
	ck_assert_str_eq(spec.sched, "mh");
	ck_assert(spec.has_persist);
	ck_assert_uint_eq(spec.persist, 300);
	ck_assert(spec.has_mh_size);
	ck_assert_uint_eq(spec.mh_size, 131071);
	test_ctx_free(&t);
}
END_TEST

START_TEST(service_options_rejected)
{
	char *bad_sched[] = { "tcp", "10.0.0.1:80", "sched", "random" };
	char *not_prime[] = { "tcp", "10.0.0.1:80", "mh-size", "65536" };
	char *no_value[] = { "tcp", "10.0.0.1:80", "persist" };
	char *unknown[] = { "tcp", "10.0.0.1:80", "weight", "1" };
	char *no_vip[] = { "tcp" };
	struct service_spec spec;
	struct test_ctx t;

	test_ctx_init(&t);
	ck_assert_int_eq(service_parse(&t.ctx, 4, bad_sched, &spec), DRCTL_USAGE);
	ck_assert_int_eq(service_parse(&t.ctx, 4, not_prime, &spec), DRCTL_USAGE);
	ck_assert_int_eq(service_parse(&t.ctx, 3, no_value, &spec), DRCTL_USAGE);
	ck_assert_int_eq(service_parse(&t.ctx, 4, unknown, &spec), DRCTL_USAGE);
	ck_assert_int_eq(service_parse(&t.ctx, 1, no_vip, &spec), DRCTL_USAGE);
	test_ctx_free(&t);
}
END_TEST

START_TEST(backend_args_parse)
{
	char *plain[] = { "tcp", "10.0.0.1:80", "10.0.1.1" };
	char *weighted[] = { "tcp", "10.0.0.1:80", "10.0.1.1", "weight", "0" };
	char *too_heavy[] = { "tcp", "10.0.0.1:80", "10.0.1.1", "weight", "70000" };
	char *no_rip[] = { "tcp", "10.0.0.1:80" };
	struct backend_spec spec;
	struct test_ctx t;

	test_ctx_init(&t);
	ck_assert_int_eq(backend_parse(&t.ctx, 3, plain, &spec), DRCTL_OK);
	ck_assert(!spec.has_weight);
	ck_assert_int_eq(backend_parse(&t.ctx, 5, weighted, &spec), DRCTL_OK);
	ck_assert(spec.has_weight);
	ck_assert_uint_eq(spec.weight, 0);
	ck_assert_int_eq(backend_parse(&t.ctx, 5, too_heavy, &spec), DRCTL_USAGE);
	ck_assert_int_eq(backend_parse(&t.ctx, 2, no_rip, &spec), DRCTL_USAGE);
	ck_assert_ptr_nonnull(strstr(test_err(&t), "invalid weight '70000' (0-65535)"));
	test_ctx_free(&t);
}
END_TEST

START_TEST(config_set_args_parse)
{
	char *good[] = { "tcp", "900", "conn-max", "1000000" };
	char *zero[] = { "udp", "0" };
	char *unknown[] = { "tcpsyn", "10" };
	char *none[] = { NULL };
	struct config_spec spec;
	struct test_ctx t;

	test_ctx_init(&t);
	ck_assert_int_eq(config_parse(&t.ctx, 4, good, &spec), DRCTL_OK);
	ck_assert(spec.has[DRLB_CFG_A_TIMEOUT_TCP]);
	ck_assert_uint_eq(spec.val[DRLB_CFG_A_TIMEOUT_TCP], 900);
	ck_assert_uint_eq(spec.val[DRLB_CFG_A_CONN_MAX], 1000000);
	ck_assert(!spec.has[DRLB_CFG_A_TIMEOUT_UDP]);
	ck_assert_int_eq(config_parse(&t.ctx, 2, zero, &spec), DRCTL_USAGE);
	ck_assert_int_eq(config_parse(&t.ctx, 2, unknown, &spec), DRCTL_USAGE);
	ck_assert_int_eq(config_parse(&t.ctx, 0, none, &spec), DRCTL_USAGE);
	test_ctx_free(&t);
}
END_TEST

START_TEST(tokenizer_splits_on_whitespace)
{
	char line[] = "  service\tadd tcp   10.0.0.1:80  ";
	char *argv[8];

	ck_assert_int_eq(tokenize(line, argv, 8), 4);
	ck_assert_str_eq(argv[0], "service");
	ck_assert_str_eq(argv[1], "add");
	ck_assert_str_eq(argv[3], "10.0.0.1:80");
}
END_TEST

START_TEST(tokenizer_skips_comments_and_blank_lines)
{
	char comment[] = "# a comment";
	char blank[] = " \t ";
	char trailing[] = "flush # everything";
	char inside[] = "a#b";
	char *argv[8];

	ck_assert_int_eq(tokenize(comment, argv, 8), 0);
	ck_assert_int_eq(tokenize(blank, argv, 8), 0);
	ck_assert_int_eq(tokenize(trailing, argv, 8), 1);
	ck_assert_str_eq(argv[0], "flush");
	ck_assert_int_eq(tokenize(inside, argv, 8), 1);
	ck_assert_str_eq(argv[0], "a#b");
}
END_TEST

START_TEST(tokenizer_takes_shell_quotes)
{
	char line[] = "check set tcp 10.0.0.1:80 quorum-up 'logger '\\''up'\\'' now' a\\ b";
	char open[] = "exec 'sh -c";
	char *argv[8];

	ck_assert_int_eq(tokenize(line, argv, 8), 7);
	ck_assert_str_eq(argv[5], "logger 'up' now");
	ck_assert_str_eq(argv[6], "a b");
	ck_assert_int_eq(tokenize(open, argv, 8), -2);
}
END_TEST

START_TEST(tokenizer_refuses_too_many_words)
{
	char line[] = "a b c d";
	char *argv[3];

	ck_assert_int_eq(tokenize(line, argv, 3), -1);
}
END_TEST

/* A NUL would cut the line short without a word: the line is refused. */
START_TEST(lines_refuse_a_nul_byte)
{
	static const char text[] = "config set tcp 900\nservice add tcp 10.0.0.1:80\0 sched sh\n";
	struct line_list lines = { 0 };
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(lines_read(&lines, f), -EILSEQ);
	ck_assert_uint_eq(lines.count, 1);	/* line 2 is the culprit */
	fclose(f);
	lines_free(&lines);
}
END_TEST

/* The addresses the kernel refuses for a VIP or a backend, refused here first. */
START_TEST(non_unicast_addresses_refused)
{
	static const char *const vips[] = {
		"127.0.0.1:80", "0.0.0.0:80", "0.1.2.3:80", "224.0.0.1:80", "239.1.1.1:80",
		"255.255.255.255:80", "[::]:80", "[::1]:80", "[ff02::1]:80", "[fe80::1]:80",
		"[::ffff:10.0.0.1]:80",
	};
	struct svc_key key, v6 = { .af = AF_INET6, .port = 80 };
	union drctl_addr addr;
	char msg[256];

	for (size_t i = 0; i < ARRAY_SIZE(vips); i++) {
		ck_assert_int_eq(vip(vips[i], &key, msg, sizeof(msg)), DRCTL_USAGE);
		ck_assert_msg(strstr(msg, "unicast") || strstr(msg, "link-local"), "%s: %s",
			      vips[i], msg);
	}
	ck_assert_int_eq(vip("10.0.0.1:80", &key, msg, sizeof(msg)), DRCTL_OK);
	ck_assert_int_eq(backend("127.0.0.2", &key, &addr, msg, sizeof(msg)), DRCTL_USAGE);
	ck_assert_str_eq(msg, "drctl: backend 127.0.0.2 is not a unicast address (loopback)\n");
	ck_assert_int_eq(backend("fe80::2", &v6, &addr, msg, sizeof(msg)), DRCTL_USAGE);
	ck_assert_str_eq(msg,
			 "drctl: backend fe80::2 is link-local: the kernel refuses link-local IPv6 addresses\n");
}
END_TEST

/* The kernel's ranges (src/netlink.c), named in the messages. */
START_TEST(kernel_ranges_refused_with_the_range)
{
	static const struct {
		const char *line;
		const char *msg;
	} cases[] = {
		{ "service add tcp 10.0.0.1:80 persist 604801",
		  "drctl: invalid persist '604801' (0-604800)\n" },
		{ "config set tcp 2592001", "drctl: invalid tcp '2592001' (1-2592000)\n" },
		{ "config set udp 0", "drctl: invalid udp '0' (1-2592000)\n" },
		{ "config set conn-max 67108865",
		  "drctl: invalid conn-max '67108865' (1-67108864)\n" },
		{ "service add tcp 10.0.0.1:80 mh-size 131101",
		  "drctl: invalid mh-size '131101' (2-131071)\n" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct test_ctx t;

		test_ctx_init(&t);
		t.ctx.dry_run = true;
		ck_assert_int_eq(drctl_run_line(&t.ctx, cases[i].line), DRCTL_USAGE);
		ck_assert_str_eq(test_err(&t), cases[i].msg);
		test_ctx_free(&t);
	}
}
END_TEST

START_TEST(lines_keep_their_numbers)
{
	char text[] = "service add tcp 10.0.0.1:80\r\n\n# comment\nflush";
	FILE *f = fmemopen(text, strlen(text), "r");
	struct line_list lines = { 0 };

	ck_assert_int_eq(lines_read(&lines, f), 0);
	fclose(f);
	ck_assert_uint_eq(lines.count, 4);
	ck_assert_str_eq(lines.lines[0], "service add tcp 10.0.0.1:80");
	ck_assert_str_eq(lines.lines[1], "");
	ck_assert_str_eq(lines.lines[3], "flush");
	lines_free(&lines);
}
END_TEST

Suite *parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, exact_name_wins_over_prefix);
	tcase_add_test(tc, unique_prefix_selects);
	tcase_add_test(tc, ambiguous_prefix_rejected);
	tcase_add_test(tc, unknown_and_empty_words_rejected);
	tcase_add_test(tc, ipv4_vip_port_parses);
	tcase_add_test(tc, ipv6_vip_needs_brackets_for_port);
	tcase_add_test(tc, bad_octet_is_named_in_message);
	tcase_add_test(tc, missing_port_rejected);
	tcase_add_test(tc, port_out_of_range_rejected);
	tcase_add_test(tc, malformed_vips_rejected);
	tcase_add_test(tc, backend_plain_or_same_port_accepted);
	tcase_add_test(tc, backend_other_port_refused);
	tcase_add_test(tc, backend_ipv6_forms);
	tcase_add_test(tc, backend_family_must_match_service);
	tcase_add_test(tc, weight_range_is_0_to_65535);
	tcase_add_test(tc, numbers_reject_junk_signs_and_overflow);
	tcase_add_test(tc, protocol_is_tcp_or_udp);
	tcase_add_test(tc, service_options_parse);
	tcase_add_test(tc, service_options_rejected);
	tcase_add_test(tc, backend_args_parse);
	tcase_add_test(tc, config_set_args_parse);
	tcase_add_test(tc, tokenizer_splits_on_whitespace);
	tcase_add_test(tc, tokenizer_skips_comments_and_blank_lines);
	tcase_add_test(tc, tokenizer_refuses_too_many_words);
	tcase_add_test(tc, tokenizer_takes_shell_quotes);
	tcase_add_test(tc, lines_keep_their_numbers);
	tcase_add_test(tc, lines_refuse_a_nul_byte);
	tcase_add_test(tc, non_unicast_addresses_refused);
	tcase_add_test(tc, kernel_ranges_refused_with_the_range);
	suite_add_tcase(s, tc);
	return s;
}
