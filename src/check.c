// SPDX-License-Identifier: GPL-2.0
/*
 * A service's health check, as the kernel keeps it for drlbd (which runs
 * it) and for save/restore: a DRLB_SVC_A_CHECK nest, checked here once,
 * kept as it came. The kernel itself acts on one thing in it, what happens
 * to a backend's connections when it goes down.
 */
#include <linux/netlink.h>
#include <net/netlink.h>
#include <uapi/linux/drlb.h>

#include "check.h"

static struct netlink_range_validation drlb_check_time_range = {
	.min = DRLB_CHECK_TIME_MIN, .max = DRLB_CHECK_TIME_MAX,
};

static struct netlink_range_validation drlb_check_count_range = {
	.min = 1, .max = DRLB_CHECK_COUNT_MAX,
};

static struct netlink_range_validation drlb_check_quorum_range = {
	.min = 1, .max = U16_MAX,
};

static struct netlink_range_validation drlb_check_status_range = {
	.min = 100, .max = 599,
};

#define DRLB_CHECK_NAME { .type = NLA_NUL_STRING, .len = DRLB_CHECK_NAME_MAX - 1 }
#define DRLB_CHECK_COMMAND { .type = NLA_NUL_STRING, .len = DRLB_CHECK_COMMAND_MAX - 1 }

static const struct nla_policy drlb_check_policy[DRLB_CHECK_A_MAX + 1] = {
	[DRLB_CHECK_A_TYPE] = NLA_POLICY_MAX(NLA_U8, __DRLB_CHECK_TYPE_MAX - 1),
	[DRLB_CHECK_A_INTERVAL] = NLA_POLICY_FULL_RANGE(NLA_U32, &drlb_check_time_range),
	[DRLB_CHECK_A_TIMEOUT] = NLA_POLICY_FULL_RANGE(NLA_U32, &drlb_check_time_range),
	[DRLB_CHECK_A_RISE] = NLA_POLICY_FULL_RANGE(NLA_U32, &drlb_check_count_range),
	[DRLB_CHECK_A_FALL] = NLA_POLICY_FULL_RANGE(NLA_U32, &drlb_check_count_range),
	[DRLB_CHECK_A_PORT] = NLA_POLICY_MIN(NLA_BE16, 1),
	[DRLB_CHECK_A_ON_DOWN] = NLA_POLICY_MAX(NLA_U8, __DRLB_ON_DOWN_MAX - 1),
	[DRLB_CHECK_A_ALPHA] = { .type = NLA_FLAG },
	[DRLB_CHECK_A_QUORUM] = NLA_POLICY_FULL_RANGE(NLA_U32, &drlb_check_quorum_range),
	[DRLB_CHECK_A_QUORUM_UP] = DRLB_CHECK_COMMAND,
	[DRLB_CHECK_A_QUORUM_DOWN] = DRLB_CHECK_COMMAND,
	[DRLB_CHECK_A_PATH] = { .type = NLA_NUL_STRING, .len = DRLB_CHECK_PATH_MAX - 1 },
	[DRLB_CHECK_A_STATUS] = NLA_POLICY_FULL_RANGE(NLA_U32, &drlb_check_status_range),
	[DRLB_CHECK_A_HOST] = DRLB_CHECK_NAME,
	[DRLB_CHECK_A_SNI] = DRLB_CHECK_NAME,
	[DRLB_CHECK_A_VERIFY] = { .type = NLA_FLAG },
	[DRLB_CHECK_A_QUERY] = DRLB_CHECK_NAME,
	[DRLB_CHECK_A_QTYPE] = { .type = NLA_U16 },
	[DRLB_CHECK_A_ARGV] = { .type = NLA_BINARY, .len = DRLB_CHECK_COMMAND_MAX },
};

/* Which check types take an attribute that only some of them do. */
static const struct {
	int attr;
	u32 types;
	const char *msg;
} drlb_check_only[] = {
	{ DRLB_CHECK_A_PATH, BIT(DRLB_CHECK_HTTP) | BIT(DRLB_CHECK_HTTPS),
	  "path is for http and https checks" },
	{ DRLB_CHECK_A_STATUS, BIT(DRLB_CHECK_HTTP) | BIT(DRLB_CHECK_HTTPS),
	  "status is for http and https checks" },
	{ DRLB_CHECK_A_HOST, BIT(DRLB_CHECK_HTTP) | BIT(DRLB_CHECK_HTTPS),
	  "host is for http and https checks" },
	{ DRLB_CHECK_A_SNI, BIT(DRLB_CHECK_HTTPS), "sni is for https checks" },
	{ DRLB_CHECK_A_VERIFY, BIT(DRLB_CHECK_HTTPS), "verify is for https checks" },
	{ DRLB_CHECK_A_QUERY, BIT(DRLB_CHECK_DNS), "query is for dns checks" },
	{ DRLB_CHECK_A_QTYPE, BIT(DRLB_CHECK_DNS), "qtype is for dns checks" },
	{ DRLB_CHECK_A_ARGV, BIT(DRLB_CHECK_EXEC), "a command is for exec checks" },
};

/* exec's argv: words, each ended by a NUL, the first not empty. */
static bool drlb_check_argv_valid(const struct nlattr *attr)
{
	const char *argv = nla_data(attr);
	int len = nla_len(attr);

	return len > 1 && argv[0] && !argv[len - 1];
}

static int drlb_check_strings(struct nlattr **tb, struct netlink_ext_ack *extack)
{
	if (tb[DRLB_CHECK_A_PATH] && *(char *)nla_data(tb[DRLB_CHECK_A_PATH]) != '/') {
		NL_SET_ERR_MSG_ATTR(extack, tb[DRLB_CHECK_A_PATH], "path must start with '/'");
		return -EINVAL;
	}
	if (tb[DRLB_CHECK_A_QTYPE]) {
		u16 qtype = nla_get_u16(tb[DRLB_CHECK_A_QTYPE]);

		/* A and AAAA: what a DNS service's real servers must answer. */
		if (qtype != 1 && qtype != 28) {
			NL_SET_ERR_MSG_ATTR(extack, tb[DRLB_CHECK_A_QTYPE],
					    "qtype must be 1 (A) or 28 (AAAA)");
			return -EINVAL;
		}
	}
	if (tb[DRLB_CHECK_A_ARGV] && !drlb_check_argv_valid(tb[DRLB_CHECK_A_ARGV])) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DRLB_CHECK_A_ARGV],
				    "exec command must be NUL-terminated words, the first not empty");
		return -EINVAL;
	}
	return 0;
}

/*
 * Is @nest a check drlbd can run? An empty nest is: it removes the check.
 * *@on_down is what the kernel does when a backend goes down.
 */
int drlb_check_parse(const struct nlattr *nest, u8 *on_down, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[DRLB_CHECK_A_MAX + 1];
	unsigned int i;
	u8 type;
	int err;

	*on_down = DRLB_ON_DOWN_KEEP;
	if (!nla_len(nest))
		return 0;
	err = nla_parse_nested(tb, DRLB_CHECK_A_MAX, nest, drlb_check_policy, extack);
	if (err)
		return err;
	if (!tb[DRLB_CHECK_A_TYPE]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "missing check type (DRLB_CHECK_A_TYPE)");
		return -EINVAL;
	}
	type = nla_get_u8(tb[DRLB_CHECK_A_TYPE]);
	for (i = 0; i < ARRAY_SIZE(drlb_check_only); i++) {
		if (tb[drlb_check_only[i].attr] && !(drlb_check_only[i].types & BIT(type))) {
			/* NL_SET_ERR_MSG() takes literals only: a table's is static too. */
			if (extack)
				extack->_msg = drlb_check_only[i].msg;
			NL_SET_BAD_ATTR(extack, tb[drlb_check_only[i].attr]);
			return -EINVAL;
		}
	}
	if (type == DRLB_CHECK_EXEC && !tb[DRLB_CHECK_A_ARGV]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "an exec check needs a command");
		return -EINVAL;
	}
	if (tb[DRLB_CHECK_A_QUORUM_UP] && !tb[DRLB_CHECK_A_QUORUM]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DRLB_CHECK_A_QUORUM_UP], "quorum-up needs quorum");
		return -EINVAL;
	}
	if (tb[DRLB_CHECK_A_QUORUM_DOWN] && !tb[DRLB_CHECK_A_QUORUM]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DRLB_CHECK_A_QUORUM_DOWN],
				    "quorum-down needs quorum");
		return -EINVAL;
	}
	if (tb[DRLB_CHECK_A_INTERVAL] && tb[DRLB_CHECK_A_TIMEOUT] &&
	    nla_get_u32(tb[DRLB_CHECK_A_TIMEOUT]) > nla_get_u32(tb[DRLB_CHECK_A_INTERVAL])) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DRLB_CHECK_A_TIMEOUT],
				    "timeout must not be longer than the interval");
		return -EINVAL;
	}
	err = drlb_check_strings(tb, extack);
	if (err)
		return err;
	if (tb[DRLB_CHECK_A_ON_DOWN])
		*on_down = nla_get_u8(tb[DRLB_CHECK_A_ON_DOWN]);
	return 0;
}
