// SPDX-License-Identifier: GPL-2.0
/*
 * realserver setup, teardown and check, each test in a network namespace of
 * its own (Check forks every test, so unshare(CLONE_NEWNET) ends with it) and
 * its state in a scratch directory: the host's sysctls are never touched.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "director.h"
#include "drctl_test.h"

static char state_dir[] = "/tmp/drctl-rs-XXXXXX";

/* A namespace with only lo (down), and an empty state directory. */
static void fresh_netns(void)
{
	ck_assert_int_eq(unshare(CLONE_NEWNET), 0);
	ck_assert_ptr_nonnull(mkdtemp(state_dir));
	ck_assert_int_eq(setenv("DRCTL_STATE_DIR", state_dir, 1), 0);
}

static void sh(const char *cmd)
{
	ck_assert_msg(system(cmd) == 0, "failed: %s", cmd);
}

static int knob(const char *iface, const char *name)
{
	char path[128];
	FILE *f;
	int val = -1;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/%s", iface, name);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%d", &val), 1);
	fclose(f);
	return val;
}

static void set_knob(const char *iface, const char *name, int val)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/conf/%s/%s", iface, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%d\n", val);
	ck_assert_int_eq(fclose(f), 0);
}

/* Both ARP knobs of iface are at these values. */
static void assert_knobs(const char *iface, int arp_ignore, int arp_announce)
{
	ck_assert_int_eq(knob(iface, "arp_ignore"), arp_ignore);
	ck_assert_int_eq(knob(iface, "arp_announce"), arp_announce);
}

/* The state file of this (not pid 1's) network namespace. */
static void state_path(char *path, size_t len)
{
	struct stat st;

	ck_assert_int_eq(stat("/proc/self/ns/net", &st), 0);
	snprintf(path, len, "%s/realserver-netns-%lu.state", state_dir, (unsigned long)st.st_ino);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* Runs one command line in t, split at spaces only (no comments: '#x' is a name). */
static int run(struct test_ctx *t, const char *line)
{
	char *copy = strdup(line), *argv[32], *save = NULL;
	int argc = 0, ret;

	ck_assert_ptr_nonnull(copy);
	for (char *w = strtok_r(copy, " ", &save); w && argc < 32; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	ret = drctl_run(&t->ctx, argc, argv);
	free(copy);
	return ret;
}

static int run_once(const char *line)
{
	struct test_ctx t;
	int ret;

	test_ctx_init(&t);
	ret = run(&t, line);
	test_ctx_free(&t);
	return ret;
}

static bool on_lo(const char *addr_plen)
{
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "ip addr show dev lo | grep -qw 'inet6\\? %s'", addr_plen);
	return system(cmd) == 0;
}

START_TEST(setup_brings_every_knob_to_its_value)
{
	fresh_netns();
	set_knob("all", "arp_ignore", 1);
	set_knob("all", "arp_announce", 0);
	ck_assert_int_eq(run_once("realserver setup 10.0.0.100"), DRCTL_OK);
	assert_knobs("all", 1, 2);
}
END_TEST

START_TEST(setup_dev_brings_every_knob_to_its_value)
{
	fresh_netns();
	sh("ip link add b0 type bridge && ip link set b0 up");
	set_knob("b0", "arp_ignore", 1);
	ck_assert_int_eq(run_once("realserver setup 10.0.0.100 dev b0"), DRCTL_OK);
	ck_assert_int_eq(knob("b0", "arp_announce"), 2);
	ck_assert_int_eq(run_once("realserver check 10.0.0.100 dev b0"), DRCTL_OK);
}
END_TEST

START_TEST(setup_writes_nothing_it_cannot_record)
{
	fresh_netns();
	/* No state yet, and a directory for it that cannot be created. */
	setenv("DRCTL_STATE_DIR", "/tmp/drctl-rs-nonexistent/state", 1);
	ck_assert_int_eq(run_once("realserver setup 10.0.0.100"), DRCTL_FAIL);
	assert_knobs("all", 0, 0);
	ck_assert(!on_lo("10.0.0.100/32"));
}
END_TEST

START_TEST(setup_on_all_leaves_interfaces_alone)
{
	struct test_ctx t;

	fresh_netns();
	sh("ip link add b0 type bridge && ip link set b0 up && ip addr add 192.0.2.1/24 dev b0");
	test_ctx_init(&t);
	ck_assert_int_eq(run(&t, "realserver setup 10.0.0.100"), DRCTL_OK);
	ck_assert_ptr_null(strstr(test_out(&t), "conf.b0"));
	test_ctx_free(&t);
	ck_assert_int_eq(knob("b0", "arp_ignore"), 0);
	ck_assert_int_eq(knob("all", "arp_ignore"), 1);
	ck_assert_int_eq(run_once("realserver check 10.0.0.100"), DRCTL_OK);
}
END_TEST

/* A container host: 2 knobs of 128 interfaces and of all do not fit 256 records. */
START_TEST(setup_on_128_interfaces_changes_only_all)
{
	fresh_netns();
	sh("for i in $(seq 128); do echo link add b$i up type bridge; done | ip -batch -");
	ck_assert_int_eq(run_once("realserver setup 10.0.0.100"), DRCTL_OK);
	ck_assert_int_eq(knob("b128", "arp_ignore"), 0);
	ck_assert_int_eq(run_once("realserver teardown 10.0.0.100"), DRCTL_OK);
	assert_knobs("all", 0, 0);
}
END_TEST

START_TEST(check_finds_ipv4_vip_on_another_interface)
{
	struct test_ctx t;

	fresh_netns();
	sh("ip link add b0 type bridge && ip link set b0 up && ip addr add 10.0.0.100/24 dev b0");
	ck_assert_int_eq(run_once("realserver setup 10.0.0.100"), DRCTL_OK);
	test_ctx_init(&t);
	ck_assert_int_eq(run(&t, "realserver check 10.0.0.100"), DRCTL_FAIL);
	ck_assert_ptr_nonnull(strstr(test_out(&t), "10.0.0.100 is also an address of b0"));
	test_ctx_free(&t);
}
END_TEST

START_TEST(state_keeps_an_interface_named_like_a_comment)
{
	fresh_netns();
	sh("ip link add '#x' type bridge && ip link set '#x' up");
	ck_assert_int_eq(run_once("realserver setup 10.0.0.100 dev #x"), DRCTL_OK);
	ck_assert_int_eq(knob("#x", "arp_ignore"), 1);
	ck_assert_int_eq(run_once("realserver teardown 10.0.0.100"), DRCTL_OK);
	assert_knobs("#x", 0, 0);
}
END_TEST

/* conf/../ip_forward is net.ipv4.ip_forward: a state file must not reach it. */
START_TEST(teardown_refuses_a_state_naming_other_files)
{
	char path[PATH_MAX];
	struct test_ctx t;

	fresh_netns();
	state_path(path, sizeof(path));
	write_file(path, "sysctl .. ip_forward 1\n");
	test_ctx_init(&t);
	ck_assert_int_eq(run(&t, "realserver teardown 10.0.0.100"), DRCTL_FAIL);
	ck_assert_ptr_nonnull(strstr(test_err(&t), "is corrupt"));
	test_ctx_free(&t);
	ck_assert_int_eq(knob("all", "forwarding"), 0);
}
END_TEST

START_TEST(state_is_private_and_written_through_no_symlink)
{
	char path[PATH_MAX], tmp[PATH_MAX + 4], victim[] = "/tmp/drctl-rs-victim";
	char buf[16] = "";
	struct stat st;
	FILE *f;

	fresh_netns();
	umask(0);
	state_path(path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	write_file(victim, "precious\n");
	ck_assert_int_eq(symlink(victim, tmp), 0);
	ck_assert_int_eq(run_once("realserver setup 10.0.0.100"), DRCTL_OK);
	f = fopen(victim, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
	fclose(f);
	unlink(victim);
	ck_assert_str_eq(buf, "precious\n");
	ck_assert_int_eq(lstat(path, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_mode & 0777, 0600);
}
END_TEST

/*
 * Without access to /proc/1/ns/net drctl cannot tell whether this is the
 * host's namespace: it must not take the host's state for its own.
 */
START_TEST(state_of_an_unknown_namespace_is_not_the_hosts)
{
	char host_state[PATH_MAX];
	struct test_ctx t;
	struct stat st;

	fresh_netns();
	ck_assert_int_eq(chmod(state_dir, 0777), 0);
	snprintf(host_state, sizeof(host_state), "%s/realserver.state", state_dir);
	write_file(host_state, "vip 10.0.0.100 kept\n");
	ck_assert_int_eq(setresuid(65534, 65534, 65534), 0);
	test_ctx_init(&t);
	ck_assert_int_eq(run(&t, "realserver teardown 10.0.0.100"), DRCTL_OK);
	ck_assert_ptr_nonnull(strstr(test_err(&t), "was not set up by drctl"));
	test_ctx_free(&t);
	ck_assert_int_eq(stat(host_state, &st), 0);
}
END_TEST

START_TEST(setup_refuses_ipv6_vip_already_on_lo_as_64)
{
	struct test_ctx t;

	fresh_netns();
	sh("ip addr add 2001:db8::10/64 dev lo nodad");
	test_ctx_init(&t);
	ck_assert_int_eq(run(&t, "realserver setup 2001:db8::10"), DRCTL_FAIL);
	ck_assert_ptr_null(strstr(test_out(&t), "added"));
	ck_assert_ptr_nonnull(strstr(test_err(&t), "/64"));
	test_ctx_free(&t);
	ck_assert(on_lo("2001:db8::10/64"));
}
END_TEST

START_TEST(check_dev_names_a_missing_interface)
{
	struct test_ctx t;

	fresh_netns();
	test_ctx_init(&t);
	ck_assert_int_eq(run(&t, "realserver check 10.0.0.100 dev nosuch0"), DRCTL_FAIL);
	ck_assert_str_eq(test_err(&t), "drctl: no interface 'nosuch0'\n");
	test_ctx_free(&t);
}
END_TEST

START_TEST(check_speaks_json)
{
	struct test_ctx t;

	fresh_netns();
	test_ctx_init(&t);
	t.ctx.opts.json = true;
	ck_assert_int_eq(run(&t, "realserver check 10.0.0.100"), DRCTL_FAIL);
	ck_assert_int_eq(test_out(&t)[0], '{');
	ck_assert_ptr_nonnull(strstr(test_out(&t), "\"ok\":false"));
	ck_assert_ptr_nonnull(strstr(test_out(&t),
				     "\"problems\":[\"10.0.0.100 is not an address of lo"));
	test_ctx_free(&t);
	ck_assert_int_eq(run_once("realserver setup 10.0.0.100"), DRCTL_OK);
	test_ctx_init(&t);
	t.ctx.opts.json = true;
	ck_assert_int_eq(run(&t, "realserver check 10.0.0.100"), DRCTL_OK);
	ck_assert_ptr_nonnull(strstr(test_out(&t), "\"ok\":true"));
	test_ctx_free(&t);
}
END_TEST

/* What drlb-realserver.service runs at stop: undo what the state says. */
START_TEST(teardown_all_undoes_the_state)
{
	fresh_netns();
	ck_assert_int_eq(run_once("realserver setup 10.0.0.100 10.0.0.101"), DRCTL_OK);
	ck_assert(on_lo("10.0.0.101/32"));
	ck_assert_int_eq(run_once("realserver teardown all"), DRCTL_OK);
	ck_assert(!on_lo("10.0.0.100/32"));
	ck_assert(!on_lo("10.0.0.101/32"));
	assert_knobs("all", 0, 0);
}
END_TEST

/* director check on a service whose backend has no route from here. */
START_TEST(director_check_speaks_json)
{
	struct backend_info be = { .weight = 1 };
	struct service_info svc = { .key = { .af = AF_INET, .protocol = IPPROTO_TCP, .port = 80 },
				    .sched = "rr", .backends = &be, .backend_count = 1 };
	struct service_list list = { .svcs = &svc, .count = 1 };
	struct test_ctx t;

	fresh_netns();
	inet_pton(AF_INET, "10.0.0.100", &svc.key.addr.v4);
	inet_pton(AF_INET, "192.0.2.11", &be.addr.v4);
	test_ctx_init(&t);
	t.ctx.opts.json = true;
	ck_assert_int_eq(director_check_services(&t.ctx, &list, false), DRCTL_FAIL);
	ck_assert_int_eq(test_out(&t)[0], '{');
	ck_assert_ptr_nonnull(strstr(test_out(&t), "\"ok\":false"));
	ck_assert_ptr_nonnull(strstr(test_out(&t), "192.0.2.11: no usable route"));
	ck_assert_ptr_nonnull(strstr(test_out(&t), "\"warnings\":[\"tcp 10.0.0.100:80: VIP "));
	test_ctx_free(&t);
}
END_TEST

Suite *realserver_suite(void)
{
	Suite *s = suite_create("realserver");
	TCase *tc = tcase_create("realserver");

	tcase_add_test(tc, setup_brings_every_knob_to_its_value);
	tcase_add_test(tc, setup_dev_brings_every_knob_to_its_value);
	tcase_add_test(tc, setup_writes_nothing_it_cannot_record);
	tcase_add_test(tc, setup_on_all_leaves_interfaces_alone);
	tcase_add_test(tc, setup_on_128_interfaces_changes_only_all);
	tcase_add_test(tc, check_finds_ipv4_vip_on_another_interface);
	tcase_add_test(tc, state_keeps_an_interface_named_like_a_comment);
	tcase_add_test(tc, teardown_refuses_a_state_naming_other_files);
	tcase_add_test(tc, state_is_private_and_written_through_no_symlink);
	tcase_add_test(tc, state_of_an_unknown_namespace_is_not_the_hosts);
	tcase_add_test(tc, setup_refuses_ipv6_vip_already_on_lo_as_64);
	tcase_add_test(tc, check_dev_names_a_missing_interface);
	tcase_add_test(tc, check_speaks_json);
	tcase_add_test(tc, teardown_all_undoes_the_state);
	tcase_add_test(tc, director_check_speaks_json);
	suite_add_tcase(s, tc);
	return s;
}
