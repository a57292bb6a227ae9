// SPDX-License-Identifier: GPL-2.0
/* Output: JSON escaping and documents, plain columns, the UAPI key encoding. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "drctl_test.h"
#include "config.h"
#include "metrics.h"
#include "output.h"

static char *json_of(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	json_string(f, s);
	fclose(f);
	return buf;
}

/* tcp 10.0.0.100:80 rr with one backend 10.0.1.11 weight 2. */
static void one_service(struct service_list *list, struct service_info *svc,
			struct backend_info *be)
{
	memset(svc, 0, sizeof(*svc));
	memset(be, 0, sizeof(*be));
	svc->key.af = AF_INET;
	svc->key.protocol = IPPROTO_TCP;
	inet_pton(AF_INET, "10.0.0.100", &svc->key.addr.v4);
	svc->key.port = 80;
	snprintf(svc->sched, sizeof(svc->sched), "rr");
	svc->mh_size = 65537;
	svc->backend_total = 1;
	svc->stats = (struct drlb_stats){ .packets = 10, .bytes = 1000, .conns = 2,
					  .rate_conns = 3, .rate_packets = 40,
					  .rate_bytes = 5000 };
	inet_pton(AF_INET, "10.0.1.11", &be->addr.v4);
	be->weight = 2;
	be->active = 1;
	be->stats = (struct drlb_stats){ .packets = 7, .bytes = 700, .conns = 1,
					 .rate_conns = 2, .rate_packets = 30, .rate_bytes = 4000 };
	svc->backends = be;
	svc->backend_count = 1;
	list->svcs = svc;
	list->count = 1;
}

START_TEST(json_escapes_quotes_and_backslash)
{
	char *s = json_of("a\"b\\c/d");

	ck_assert_str_eq(s, "\"a\\\"b\\\\c/d\"");
	free(s);
}
END_TEST

START_TEST(json_escapes_control_chars_as_u00xx)
{
	char *s = json_of("\n\t\x01\x1f\x7f ok");

	ck_assert_str_eq(s, "\"\\u000a\\u0009\\u0001\\u001f\\u007f ok\"");
	free(s);
}
END_TEST

/* Valid UTF-8 passes; any other byte becomes U+FFFD, as JSON must be UTF-8. */
START_TEST(json_replaces_invalid_utf8)
{
	static const struct {
		const char *in;
		const char *out;
	} cases[] = {
		{ "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		  "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"" },
		{ "a\xffz", "\"a\\ufffdz\"" },
		{ "\xc0\xaf", "\"\\ufffd\\ufffd\"" },		/* overlong '/' */
		{ "\xe2\x82", "\"\\ufffd\\ufffd\"" },		/* cut short */
		{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"" },	/* a surrogate */
		{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"" },	/* > U+10FFFF */
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *s = json_of(cases[i].in);

		ck_assert_str_eq(s, cases[i].out);
		free(s);
	}
}
END_TEST

START_TEST(json_service_document_has_contract_keys)
{
	struct service_list list;
	struct service_info svc;
	struct backend_info be;
	struct test_ctx t;

	one_service(&list, &svc, &be);
	test_ctx_init(&t);
	t.ctx.opts.json = true;
	output_services(&t.ctx, &list);
	ck_assert_str_eq(test_out(&t),
			 "[{\"protocol\":\"tcp\",\"vip\":\"10.0.0.100\",\"port\":80,\"sched\":\"rr\",\"persist\":0,\"mh_size\":65537,\"digest\":\"-\",\"backends\":[{\"address\":\"10.0.1.11\",\"weight\":2,\"active\":1,\"inactive\":0,\"health\":\"unchecked\",\"stats\":{\"packets\":7,\"bytes\":700,\"conns\":1},\"rate\":{\"conns\":2,\"packets\":30,\"bytes\":4000}}],\"stats\":{\"packets\":10,\"bytes\":1000,\"conns\":2},\"rate\":{\"conns\":3,\"packets\":40,\"bytes\":5000}}]\n");
	test_ctx_free(&t);
}
END_TEST

START_TEST(json_pretty_indents_by_two)
{
	struct service_list list = { 0 };
	struct test_ctx t;
	struct out o;

	test_ctx_init(&t);
	t.ctx.opts.json = true;
	t.ctx.opts.pretty = true;
	out_init(&o, &t.ctx);
	out_begin_object(&o, NULL);
	out_str(&o, "a", "x");
	out_begin_array(&o, "b");
	out_u64(&o, NULL, 1);
	out_end_array(&o);
	out_begin_array(&o, "c");
	out_end_array(&o);
	out_end_object(&o);
	output_services(&t.ctx, &list);
	ck_assert_str_eq(test_out(&t),
			 "{\n  \"a\": \"x\",\n  \"b\": [\n    1\n  ],\n  \"c\": []\n}\n[]\n");
	test_ctx_free(&t);
}
END_TEST

START_TEST(json_conn_has_contract_keys)
{
	struct conn_info c = {
		.af = AF_INET, .protocol = IPPROTO_TCP, .cport = 34567, .vport = 80,
		.state = DRLB_CONN_ESTABLISHED, .expires = 899,
	};
	struct test_ctx t;
	struct out o;

	inet_pton(AF_INET, "10.0.0.2", &c.caddr.v4);
	inet_pton(AF_INET, "10.0.0.100", &c.vaddr.v4);
	inet_pton(AF_INET, "10.0.1.11", &c.daddr.v4);
	test_ctx_init(&t);
	t.ctx.opts.json = true;
	output_conns_begin(&o, &t.ctx);
	output_conn(&o, &c);
	output_conns_end(&o);
	ck_assert_str_eq(test_out(&t),
			 "[{\"protocol\":\"tcp\",\"client\":\"10.0.0.2\",\"cport\":34567,\"vip\":\"10.0.0.100\",\"vport\":80,\"backend\":\"10.0.1.11\",\"state\":\"established\",\"expires\":899}]\n");
	test_ctx_free(&t);
}
END_TEST

START_TEST(plain_conn_is_upper_case_with_minutes)
{
	struct conn_info c = {
		.af = AF_INET, .protocol = IPPROTO_UDP, .cport = 5353, .vport = 53,
		.state = DRLB_CONN_NONE, .expires = 299,
	};
	struct test_ctx t;
	struct out o;

	test_ctx_init(&t);
	t.ctx.opts.numeric = true;
	output_conns_begin(&o, &t.ctx);
	output_conn(&o, &c);
	ck_assert_ptr_nonnull(strstr(test_out(&t), "\nUDP  04:59   NONE         0.0.0.0:5353"));
	ck_assert_str_eq(conn_state_name(DRLB_CONN_FIN_WAIT), "fin_wait");
	ck_assert_str_eq(conn_state_name(200), "unknown");
	test_ctx_free(&t);
}
END_TEST

START_TEST(json_config_has_contract_keys)
{
	struct config_info cfg = {
		.version = "0.1", .tcp = 900, .tcpfin = 120, .tcpclose = 10, .udp = 300,
		.conn_max = 1000, .conn_count = 3, .service_max = 4096, .backend_max = 64,
		.seed = { 0xab, [15] = 0x01 },
		.stats = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 },
	};
	struct test_ctx t;

	test_ctx_init(&t);
	t.ctx.opts.json = true;
	output_config(&t.ctx, &cfg);
	ck_assert_str_eq(test_out(&t),
			 "{\"version\":\"0.1\",\"tcp\":900,\"tcpfin\":120,\"tcpclose\":10,\"udp\":300,\"conn_max\":1000,\"conn_count\":3,\"service_max\":4096,\"backend_max\":64,\"seed\":\"ab000000000000000000000000000001\",\"fleet\":false,\"stats\":{\"packets\":1,\"bytes\":2,\"conns\":3,\"drop_no_backend\":4,\"drop_table_full\":5,\"drop_unreachable\":6,\"drop_backend_gone\":7,\"stateless\":8,\"icmp\":9,\"drop_too_big\":10,\"drop_ttl\":11,\"hook_prerouting\":12,\"hook_ingress\":13,\"hook_xdp\":14},\"rate\":{\"conns\":15,\"packets\":16,\"bytes\":17}}\n");
	test_ctx_free(&t);
}
END_TEST

/* The backend column lines up under the VIP column, stats under their header. */
START_TEST(plain_service_columns_align)
{
	struct service_list list;
	struct service_info svc;
	struct backend_info be;
	struct test_ctx t;
	char *lines[4], *text;
	int n = 0;

	one_service(&list, &svc, &be);
	test_ctx_init(&t);
	t.ctx.opts.numeric = true;
	t.ctx.opts.stats = true;
	output_services(&t.ctx, &list);
	text = strdup(test_out(&t));
	for (char *p = strtok(text, "\n"); p && n < 4; p = strtok(NULL, "\n"))
		lines[n++] = p;
	ck_assert_int_eq(n, 4);
	ck_assert_ptr_eq(strstr(lines[2], "10.0.0.100:80") - lines[2] + lines[3],
			 strstr(lines[3], "10.0.1.11"));
	ck_assert_int_eq(strlen(lines[0]), strlen(lines[2]));
	ck_assert_int_eq(strlen(lines[1]), strlen(lines[3]));
	ck_assert_int_eq(strncmp(lines[2], "TCP  10.0.0.100:80 ", 19), 0);
	ck_assert_int_eq(strncmp(lines[3], "  -> 10.0.1.11 ", 15), 0);
	free(text);
	test_ctx_free(&t);
}
END_TEST

/* -r: the rates per second in the counters' columns, under their own header. */
START_TEST(plain_service_rates_replace_counters)
{
	struct service_list list;
	struct service_info svc;
	struct backend_info be;
	struct test_ctx t;

	one_service(&list, &svc, &be);
	test_ctx_init(&t);
	t.ctx.opts.numeric = true;
	t.ctx.opts.stats = true;
	t.ctx.opts.rate = true;
	output_services(&t.ctx, &list);
	ck_assert_ptr_nonnull(strstr(test_out(&t), "      Pkts/s        Bytes/s    Conns/s\n"));
	ck_assert_ptr_nonnull(strstr(test_out(&t), "          40           5000          3\n"));
	ck_assert_ptr_nonnull(strstr(test_out(&t), "          30           4000          2\n"));
	ck_assert_ptr_null(strstr(test_out(&t), " 1000 "));
	test_ctx_free(&t);
}
END_TEST

/*
 * Prometheus's text format: HELP and TYPE before each family, counters
 * named _total, labels as node_exporter's ipvs collector has them.
 */
START_TEST(metrics_are_prometheus_text)
{
	struct config_info cfg = { .version = "0.1", .conn_count = 3, .conn_max = 1000,
				   .stats = { .conns = 2, .drop_ttl = 5, .hook_ingress = 9 } };
	struct service_list list;
	struct service_info svc;
	struct backend_info be;
	static const char *const want[] = {
		"# HELP drlb_connections_total Connections scheduled.\n# TYPE drlb_connections_total counter\ndrlb_connections_total 2\n",
		"# TYPE drlb_conn_table_entries gauge\ndrlb_conn_table_entries 3\n",
		"drlb_backend_incoming_packets_total{proto=\"tcp\",vip=\"10.0.0.100\",port=\"80\",backend=\"10.0.1.11\"} 7\n",
		"drlb_service_incoming_bytes_total{proto=\"tcp\",vip=\"10.0.0.100\",port=\"80\"} 1000\n",
		"backend=\"10.0.1.11\",state=\"down\"} 1\n",
		"backend=\"10.0.1.11\",state=\"up\"} 0\n",
		"drlb_drops_total{reason=\"ttl\"} 5\n",
		"drlb_hook_packets_total{hook=\"ingress\"} 9\n",
		"drlb_hook_packets_total{hook=\"xdp\"} 0\n",
		"drlb_info{version=\"0.1\"} 1\n",
	};
	struct test_ctx t;
	const char *out;

	one_service(&list, &svc, &be);
	be.health = DRLB_HEALTH_DOWN;
	test_ctx_init(&t);
	metrics_format(t.ctx.out, &cfg, &list);
	out = test_out(&t);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++)
		ck_assert_msg(strstr(out, want[i]), "no '%s' in:\n%s", want[i], out);
	/* Every sample line follows its family's TYPE line; no family twice. */
	for (const char *p = out; (p = strstr(p, "# TYPE ")); p++) {
		char again[80];
		int len = strcspn(p + 7, " ");

		snprintf(again, sizeof(again), "# TYPE %.*s ", len, p + 7);
		ck_assert_ptr_null(strstr(p + 1, again));
	}
	test_ctx_free(&t);
}
END_TEST

START_TEST(service_key_encodes_uapi)
{
	struct svc_key key = { .af = AF_INET, .protocol = IPPROTO_UDP, .port = 53 };
	struct nlattr *tb[DRLB_SVC_A_MAX + 1];
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *nest;
	unsigned char want[16] = { 192, 0, 2, 10 };

	inet_pton(AF_INET, "192.0.2.10", &key.addr.v4);
	nest = drlb_nest_key(msg, &key);
	ck_assert_ptr_nonnull(nest);
	nla_nest_end(msg, nest);
	ck_assert_int_eq(nest->nla_type, DRLB_A_SERVICE | NLA_F_NESTED);
	ck_assert_int_eq(nla_parse_nested(tb, DRLB_SVC_A_MAX, nest, NULL), 0);
	ck_assert_int_eq(nla_get_u16(tb[DRLB_SVC_A_AF]), AF_INET);
	ck_assert_int_eq(nla_get_u8(tb[DRLB_SVC_A_PROTOCOL]), IPPROTO_UDP);
	ck_assert_int_eq(nla_len(tb[DRLB_SVC_A_ADDR]), 16);
	ck_assert_mem_eq(nla_data(tb[DRLB_SVC_A_ADDR]), want, 16);
	ck_assert_int_eq(nla_len(tb[DRLB_SVC_A_PORT]), 2);
	ck_assert_mem_eq(nla_data(tb[DRLB_SVC_A_PORT]), "\x00\x35", 2);
	nlmsg_free(msg);
}
END_TEST

Suite *output_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("output");

	tcase_add_test(tc, json_escapes_quotes_and_backslash);
	tcase_add_test(tc, json_escapes_control_chars_as_u00xx);
	tcase_add_test(tc, json_replaces_invalid_utf8);
	tcase_add_test(tc, json_service_document_has_contract_keys);
	tcase_add_test(tc, json_pretty_indents_by_two);
	tcase_add_test(tc, json_conn_has_contract_keys);
	tcase_add_test(tc, plain_conn_is_upper_case_with_minutes);
	tcase_add_test(tc, json_config_has_contract_keys);
	tcase_add_test(tc, plain_service_columns_align);
	tcase_add_test(tc, plain_service_rates_replace_counters);
	tcase_add_test(tc, metrics_are_prometheus_text);
	tcase_add_test(tc, service_key_encodes_uapi);
	suite_add_tcase(s, tc);
	return s;
}
