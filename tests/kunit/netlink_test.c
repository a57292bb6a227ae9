// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: requests the drlb family must refuse, each with a message saying
 * why. Messages are built as userspace would and parsed with the family's
 * strict policy, as genetlink does before calling a handler.
 */
#include <kunit/test.h>
#include <net/ipv6.h>
#include <net/netlink.h>

#include "netlink.h"
#include "service.h"
#include "test_util.h"

struct drlb_nl_req {
	struct sk_buff *skb;
	struct nlattr *tb[DRLB_A_MAX + 1];
	struct nlattr *stb[DRLB_SVC_A_MAX + 1];
	struct netlink_ext_ack extack;
};

static struct drlb_nl_req *drlb_req_new(struct kunit *test)
{
	struct drlb_nl_req *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->skb = alloc_skb(1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, r->skb);
	return r;
}

static void drlb_req_free(struct drlb_nl_req *r)
{
	kfree_skb(r->skb);
}

/* A service nest; a zero argument leaves that attribute out. */
static void drlb_req_service(struct drlb_nl_req *r, u16 af, u8 proto, __be32 addr, __be16 port,
			     const char *sched)
{
	union nf_inet_addr a = { .ip = addr };
	struct nlattr *nest = nla_nest_start(r->skb, DRLB_A_SERVICE);

	if (af)
		nla_put_u16(r->skb, DRLB_SVC_A_AF, af);
	if (proto)
		nla_put_u8(r->skb, DRLB_SVC_A_PROTOCOL, proto);
	if (addr)
		nla_put(r->skb, DRLB_SVC_A_ADDR, sizeof(a), &a);
	if (port)
		nla_put_be16(r->skb, DRLB_SVC_A_PORT, port);
	if (sched)
		nla_put_string(r->skb, DRLB_SVC_A_SCHED, sched);
	nla_nest_end(r->skb, nest);
}

static int drlb_req_parse(struct drlb_nl_req *r)
{
	return nla_parse(r->tb, DRLB_A_MAX, (struct nlattr *)r->skb->data, r->skb->len,
			 drlb_nl_policy, &r->extack);
}

static int drlb_req_service_key(struct drlb_nl_req *r, struct drlb_service_key *key)
{
	int err = drlb_req_parse(r);

	return err ?: drlb_nl_service_key(r->tb, key, r->stb, &r->extack);
}

#define VIP	htonl(0x0a000064)

static void valid_service_is_accepted(struct kunit *test)
{
	struct drlb_nl_req *r = drlb_req_new(test);
	struct drlb_service_key key;

	drlb_req_service(r, AF_INET, IPPROTO_TCP, VIP, htons(80), "wrr");
	KUNIT_ASSERT_EQ(test, drlb_req_service_key(r, &key), 0);
	KUNIT_EXPECT_EQ(test, key.af, AF_INET);
	KUNIT_EXPECT_EQ(test, key.proto, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, key.addr.ip, VIP);
	KUNIT_EXPECT_EQ(test, key.port, htons(80));
	drlb_req_free(r);
}

static void service_without_port_is_refused(struct kunit *test)
{
	struct drlb_nl_req *r = drlb_req_new(test);
	struct drlb_service_key key;

	drlb_req_service(r, AF_INET, IPPROTO_TCP, VIP, 0, NULL);
	KUNIT_EXPECT_EQ(test, drlb_req_service_key(r, &key), -EINVAL);
	KUNIT_EXPECT_STREQ(test, r->extack._msg,
			   "service needs address family, protocol, address and port");
	drlb_req_free(r);
}

static void missing_service_is_refused(struct kunit *test)
{
	struct drlb_nl_req *r = drlb_req_new(test);
	struct drlb_service_key key;

	KUNIT_EXPECT_EQ(test, drlb_req_service_key(r, &key), -EINVAL);
	KUNIT_EXPECT_STREQ(test, r->extack._msg, "missing service (DRLB_A_SERVICE)");
	drlb_req_free(r);
}

static void icmp_service_is_refused(struct kunit *test)
{
	struct drlb_nl_req *r = drlb_req_new(test);
	struct drlb_service_key key;

	drlb_req_service(r, AF_INET, IPPROTO_ICMP, VIP, htons(80), NULL);
	KUNIT_EXPECT_EQ(test, drlb_req_service_key(r, &key), -EPROTONOSUPPORT);
	KUNIT_EXPECT_STREQ(test, r->extack._msg, "protocol must be tcp or udp");
	KUNIT_EXPECT_NOT_NULL(test, r->extack.bad_attr);
	drlb_req_free(r);
}

static void port_zero_is_refused(struct kunit *test)
{
	struct drlb_nl_req *r = drlb_req_new(test);
	struct drlb_service_key key;
	struct nlattr *nest = nla_nest_start(r->skb, DRLB_A_SERVICE);
	union nf_inet_addr a = { .ip = VIP };

	nla_put_u16(r->skb, DRLB_SVC_A_AF, AF_INET);
	nla_put_u8(r->skb, DRLB_SVC_A_PROTOCOL, IPPROTO_UDP);
	nla_put(r->skb, DRLB_SVC_A_ADDR, sizeof(a), &a);
	nla_put_be16(r->skb, DRLB_SVC_A_PORT, 0);
	nla_nest_end(r->skb, nest);
	KUNIT_EXPECT_EQ(test, drlb_req_service_key(r, &key), -EINVAL);
	KUNIT_EXPECT_STREQ(test, r->extack._msg, "service port must not be 0");
	drlb_req_free(r);
}

static void multicast_vip_is_refused(struct kunit *test)
{
	struct drlb_nl_req *r = drlb_req_new(test);
	struct drlb_service_key key;

	drlb_req_service(r, AF_INET, IPPROTO_UDP, htonl(0xe0000001), htons(53), NULL);
	KUNIT_EXPECT_EQ(test, drlb_req_service_key(r, &key), -EINVAL);
	KUNIT_EXPECT_STREQ(test, r->extack._msg, "address is not a unicast address");
	drlb_req_free(r);
}

/* A TCP service nest for @af with the 16 address bytes @a. */
static void drlb_req_service6(struct drlb_nl_req *r, u16 af, const union nf_inet_addr *a)
{
	struct nlattr *nest = nla_nest_start(r->skb, DRLB_A_SERVICE);

	nla_put_u16(r->skb, DRLB_SVC_A_AF, af);
	nla_put_u8(r->skb, DRLB_SVC_A_PROTOCOL, IPPROTO_TCP);
	nla_put(r->skb, DRLB_SVC_A_ADDR, sizeof(*a), a);
	nla_put_be16(r->skb, DRLB_SVC_A_PORT, htons(80));
	nla_nest_end(r->skb, nest);
}

static void ipv6_service_key_parses(struct kunit *test)
{
	struct drlb_nl_req *r = drlb_req_new(test);
	union nf_inet_addr a = { .ip6 = { htonl(0x20010db8), 0, 0, htonl(0x100) } };
	struct drlb_service_key key;

	drlb_req_service6(r, AF_INET6, &a);
	KUNIT_ASSERT_EQ(test, drlb_req_service_key(r, &key), 0);
	KUNIT_EXPECT_EQ(test, key.af, AF_INET6);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&key.addr.in6, &a.in6));
	drlb_req_free(r);
}

static void ipv6_link_local_vip_is_refused(struct kunit *test)
{
	struct drlb_nl_req *r = drlb_req_new(test);
	union nf_inet_addr a = { .ip6 = { htonl(0xfe800000), 0, 0, htonl(1) } };
	struct drlb_service_key key;

	drlb_req_service6(r, AF_INET6, &a);
	KUNIT_EXPECT_EQ(test, drlb_req_service_key(r, &key), -EINVAL);
	KUNIT_EXPECT_STREQ(test, r->extack._msg, "link-local IPv6 addresses are not supported");
	drlb_req_free(r);
}

static void ipv6_mapped_and_multicast_vips_are_refused(struct kunit *test)
{
	union nf_inet_addr mapped = { .ip6 = { 0, 0, htonl(0xffff), htonl(0x0a000064) } };
	union nf_inet_addr mcast = { .ip6 = { htonl(0xff020000), 0, 0, htonl(1) } };
	const union nf_inet_addr *bad[] = { &mapped, &mcast };
	struct drlb_service_key key;
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct drlb_nl_req *r = drlb_req_new(test);

		drlb_req_service6(r, AF_INET6, bad[i]);
		KUNIT_EXPECT_EQ(test, drlb_req_service_key(r, &key), -EINVAL);
		KUNIT_EXPECT_STREQ(test, r->extack._msg, "address is not a unicast address");
		drlb_req_free(r);
	}
}

static void unknown_family_is_refused(struct kunit *test)
{
	struct drlb_nl_req *r = drlb_req_new(test);
	struct drlb_service_key key;

	drlb_req_service(r, AF_PACKET, IPPROTO_TCP, VIP, htons(80), NULL);
	KUNIT_EXPECT_EQ(test, drlb_req_service_key(r, &key), -EAFNOSUPPORT);
	KUNIT_EXPECT_STREQ(test, r->extack._msg, "address family must be AF_INET or AF_INET6");
	drlb_req_free(r);
}

/* 0x0102 is no AF_INET (2) for having it in its low byte. */
static void family_is_checked_whole(struct kunit *test)
{
	struct drlb_nl_req *r = drlb_req_new(test);
	struct drlb_service_key key;

	drlb_req_service(r, 0x0100 | AF_INET, IPPROTO_TCP, VIP, htons(80), NULL);
	KUNIT_EXPECT_EQ(test, drlb_req_service_key(r, &key), -EAFNOSUPPORT);
	drlb_req_free(r);
}

static void short_address_fails_policy(struct kunit *test)
{
	struct drlb_nl_req *r = drlb_req_new(test);
	struct nlattr *nest = nla_nest_start(r->skb, DRLB_A_SERVICE);
	__be32 a = VIP;

	nla_put(r->skb, DRLB_SVC_A_ADDR, sizeof(a), &a);
	nla_nest_end(r->skb, nest);
	KUNIT_EXPECT_LT(test, drlb_req_parse(r), 0);
	KUNIT_EXPECT_NOT_NULL(test, r->extack._msg);
	KUNIT_EXPECT_NOT_NULL(test, r->extack.bad_attr);
	drlb_req_free(r);
}

static void weight_above_max_fails_policy(struct kunit *test)
{
	struct drlb_nl_req *r = drlb_req_new(test);
	struct nlattr *nest = nla_nest_start(r->skb, DRLB_A_BACKEND);

	nla_put_u32(r->skb, DRLB_BE_A_WEIGHT, DRLB_WEIGHT_MAX + 1);
	nla_nest_end(r->skb, nest);
	KUNIT_EXPECT_EQ(test, drlb_req_parse(r), -ERANGE);
	KUNIT_EXPECT_NOT_NULL(test, r->extack._msg);
	drlb_req_free(r);
}

static void weight_at_max_passes_policy(struct kunit *test)
{
	struct drlb_nl_req *r = drlb_req_new(test);
	struct nlattr *nest = nla_nest_start(r->skb, DRLB_A_BACKEND);

	nla_put_u32(r->skb, DRLB_BE_A_WEIGHT, DRLB_WEIGHT_MAX);
	nla_nest_end(r->skb, nest);
	KUNIT_EXPECT_EQ(test, drlb_req_parse(r), 0);
	drlb_req_free(r);
}

static void reply_only_attribute_is_refused(struct kunit *test)
{
	struct drlb_nl_req *r = drlb_req_new(test);
	struct nlattr *nest = nla_nest_start(r->skb, DRLB_A_STATS);

	nla_put_u64_64bit(r->skb, DRLB_ST_A_PACKETS, 1, DRLB_ST_A_PAD);
	nla_nest_end(r->skb, nest);
	KUNIT_EXPECT_LT(test, drlb_req_parse(r), 0);
	drlb_req_free(r);
}

static void unknown_scheduler_is_refused(struct kunit *test)
{
	struct drlb_nl_req *r = drlb_req_new(test);
	struct drlb_service_conf conf;
	struct drlb_service_key key;

	drlb_req_service(r, AF_INET, IPPROTO_TCP, VIP, htons(80), "fifo");
	KUNIT_ASSERT_EQ(test, drlb_req_service_key(r, &key), 0);
	KUNIT_EXPECT_EQ(test, drlb_nl_service_conf(r->stb, &conf, &r->extack), -ENOENT);
	KUNIT_EXPECT_STREQ(test, r->extack._msg, "unknown scheduler");
	drlb_req_free(r);
}

static void backend_without_address_is_refused(struct kunit *test)
{
	struct drlb_nl_req *r = drlb_req_new(test);
	struct nlattr *btb[DRLB_BE_A_MAX + 1];
	struct drlb_service_key key;
	union nf_inet_addr addr;
	struct nlattr *nest;

	drlb_req_service(r, AF_INET, IPPROTO_TCP, VIP, htons(80), NULL);
	nest = nla_nest_start(r->skb, DRLB_A_BACKEND);
	nla_put_u32(r->skb, DRLB_BE_A_WEIGHT, 3);
	nla_nest_end(r->skb, nest);
	KUNIT_ASSERT_EQ(test, drlb_req_parse(r), 0);
	KUNIT_EXPECT_EQ(test, drlb_nl_backend_parse(r->tb, &key, &addr, btb, &r->extack),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, r->extack._msg, "missing backend address (DRLB_BE_A_ADDR)");
	drlb_req_free(r);
}

static struct kunit_case drlb_netlink_cases[] = {
	KUNIT_CASE(valid_service_is_accepted),
	KUNIT_CASE(service_without_port_is_refused),
	KUNIT_CASE(missing_service_is_refused),
	KUNIT_CASE(icmp_service_is_refused),
	KUNIT_CASE(port_zero_is_refused),
	KUNIT_CASE(multicast_vip_is_refused),
	KUNIT_CASE(ipv6_service_key_parses),
	KUNIT_CASE(ipv6_link_local_vip_is_refused),
	KUNIT_CASE(ipv6_mapped_and_multicast_vips_are_refused),
	KUNIT_CASE(unknown_family_is_refused),
	KUNIT_CASE(family_is_checked_whole),
	KUNIT_CASE(short_address_fails_policy),
	KUNIT_CASE(weight_above_max_fails_policy),
	KUNIT_CASE(weight_at_max_passes_policy),
	KUNIT_CASE(reply_only_attribute_is_refused),
	KUNIT_CASE(unknown_scheduler_is_refused),
	KUNIT_CASE(backend_without_address_is_refused),
	{}
};

static struct kunit_suite drlb_netlink_suite = {
	.name = "drlb_netlink",
	.test_cases = drlb_netlink_cases,
};

kunit_test_suite(drlb_netlink_suite);
