// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: what the hook learns from a packet. Packets are built byte by
 * byte as they arrive at PRE_ROUTING (data at the IP header): extension
 * header chains, fragments, ICMP errors quoting our connections, and
 * packets cut short anywhere.
 */
#include <kunit/test.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "parse.h"

#define CLIENT4	htonl(0xc0a80002)
#define VIP4	htonl(0x0a000064)

static const struct in6_addr client6 = { { { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 2 } } };
static const struct in6_addr vip6 = { { { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x64 } } };

/* A packet under construction. */
struct drlb_pb {
	u8 buf[256];
	unsigned int len;
};

static void *pb_put(struct drlb_pb *p, const void *data, unsigned int len)
{
	void *at = p->buf + p->len;

	memcpy(at, data, len);
	p->len += len;
	return at;
}

static void pb_ipv4(struct drlb_pb *p, u8 proto, __be32 saddr, __be32 daddr, __be16 frag_off)
{
	struct iphdr iph = {
		.version = 4, .ihl = 5, .ttl = 64, .protocol = proto,
		.saddr = saddr, .daddr = daddr, .frag_off = frag_off,
	};

	pb_put(p, &iph, sizeof(iph));
}

static void pb_ipv6(struct drlb_pb *p, u8 nexthdr, const struct in6_addr *saddr,
		    const struct in6_addr *daddr)
{
	struct ipv6hdr ip6 = {
		.version = 6, .nexthdr = nexthdr, .hop_limit = 64,
		.saddr = *saddr, .daddr = *daddr,
	};

	pb_put(p, &ip6, sizeof(ip6));
}

/* An 8-byte hop-by-hop, routing or destination options header. */
static void pb_ext8(struct drlb_pb *p, u8 nexthdr)
{
	u8 h[8] = { nexthdr, 0, IPV6_TLV_PADN, 4 };

	pb_put(p, h, sizeof(h));
}

static void pb_frag6(struct drlb_pb *p, u8 nexthdr, u16 offset, bool more)
{
	struct frag_hdr fh = {
		.nexthdr = nexthdr,
		.frag_off = htons(offset << 3 | (more ? IP6_MF : 0)),
		.identification = htonl(7),
	};

	pb_put(p, &fh, sizeof(fh));
}

static void pb_tcp(struct drlb_pb *p, u16 sport, u16 dport, bool syn)
{
	struct tcphdr th = {
		.source = htons(sport), .dest = htons(dport), .doff = 5, .syn = syn,
	};

	pb_put(p, &th, sizeof(th));
}

static void pb_udp(struct drlb_pb *p, u16 sport, u16 dport)
{
	struct udphdr uh = { .source = htons(sport), .dest = htons(dport), .len = htons(8) };

	pb_put(p, &uh, sizeof(uh));
}

static void pb_icmp(struct drlb_pb *p, u8 type, u8 code)
{
	struct icmphdr ic = { .type = type, .code = code };

	pb_put(p, &ic, sizeof(ic));
}

static void pb_icmp6(struct drlb_pb *p, u8 type)
{
	struct icmp6hdr ic = { .icmp6_type = type, .icmp6_mtu = htonl(1280) };

	pb_put(p, &ic, sizeof(ic));
}

/* The first @len bytes of @p as an skb at PRE_ROUTING, parsed. */
static int pb_parse(struct kunit *test, const struct drlb_pb *p, unsigned int len, u8 af,
		    struct drlb_pkt *pkt)
{
	struct sk_buff *skb = alloc_skb(len, GFP_KERNEL);
	int err;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put_data(skb, p->buf, len);
	skb_reset_network_header(skb);
	err = af == AF_INET ? drlb_parse_ipv4(skb, pkt) : drlb_parse_ipv6(skb, pkt);
	kfree_skb(skb);
	return err;
}

static void ipv4_tcp_syn_gives_key_and_flags(struct kunit *test)
{
	struct drlb_pb p = {};
	struct drlb_pkt pkt;

	pb_ipv4(&p, IPPROTO_TCP, CLIENT4, VIP4, 0);
	pb_tcp(&p, 40000, 80, true);
	KUNIT_ASSERT_EQ(test, pb_parse(test, &p, p.len, AF_INET, &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.key.af, AF_INET);
	KUNIT_EXPECT_EQ(test, pkt.key.proto, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, pkt.key.caddr.ip, CLIENT4);
	KUNIT_EXPECT_EQ(test, pkt.key.vaddr.ip, VIP4);
	KUNIT_EXPECT_EQ(test, pkt.key.cport, htons(40000));
	KUNIT_EXPECT_EQ(test, pkt.key.vport, htons(80));
	KUNIT_EXPECT_TRUE(test, pkt.syn);
	KUNIT_EXPECT_FALSE(test, pkt.ack);
	KUNIT_EXPECT_FALSE(test, pkt.icmp);
}

static void ipv4_truncated_transport_is_refused(struct kunit *test)
{
	struct drlb_pb p = {};
	struct drlb_pkt pkt;

	pb_ipv4(&p, IPPROTO_TCP, CLIENT4, VIP4, 0);
	pb_tcp(&p, 40000, 80, true);
	/* Ports present, flags cut off. */
	KUNIT_EXPECT_EQ(test, pb_parse(test, &p, p.len - 8, AF_INET, &pkt), -EINVAL);
}

static void ipv4_fragment_is_refused(struct kunit *test)
{
	struct drlb_pb p = {};
	struct drlb_pkt pkt;

	pb_ipv4(&p, IPPROTO_UDP, CLIENT4, VIP4, htons(IP_MF));
	pb_udp(&p, 5000, 53);
	KUNIT_EXPECT_EQ(test, pb_parse(test, &p, p.len, AF_INET, &pkt), -EINVAL);
}

static void ipv4_frag_needed_gives_quoted_connection(struct kunit *test)
{
	struct drlb_pb p = {};
	struct drlb_pkt pkt;

	/* A router tells the VIP its reply to the client was too big. */
	pb_ipv4(&p, IPPROTO_ICMP, htonl(0x0a000001), VIP4, 0);
	pb_icmp(&p, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED);
	pb_ipv4(&p, IPPROTO_TCP, VIP4, CLIENT4, htons(IP_DF));
	pb_tcp(&p, 80, 40000, false);
	KUNIT_ASSERT_EQ(test, pb_parse(test, &p, p.len - 12, AF_INET, &pkt), 0);
	KUNIT_EXPECT_TRUE(test, pkt.icmp);
	KUNIT_EXPECT_EQ(test, pkt.key.proto, IPPROTO_TCP);
	KUNIT_EXPECT_EQ(test, pkt.key.caddr.ip, CLIENT4);
	KUNIT_EXPECT_EQ(test, pkt.key.vaddr.ip, VIP4);
	KUNIT_EXPECT_EQ(test, pkt.key.cport, htons(40000));
	KUNIT_EXPECT_EQ(test, pkt.key.vport, htons(80));
}

static void ipv4_icmp_not_about_us_is_refused(struct kunit *test)
{
	struct drlb_pb echo = {}, other = {}, cut = {};
	struct drlb_pkt pkt;

	pb_ipv4(&echo, IPPROTO_ICMP, CLIENT4, VIP4, 0);
	pb_icmp(&echo, ICMP_ECHO, 0);
	KUNIT_EXPECT_EQ(test, pb_parse(test, &echo, echo.len, AF_INET, &pkt), -EPROTONOSUPPORT);

	/* The quoted packet came from someone else. */
	pb_ipv4(&other, IPPROTO_ICMP, htonl(0x0a000001), VIP4, 0);
	pb_icmp(&other, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED);
	pb_ipv4(&other, IPPROTO_TCP, htonl(0x0a000063), CLIENT4, 0);
	pb_tcp(&other, 80, 40000, false);
	KUNIT_EXPECT_EQ(test, pb_parse(test, &other, other.len, AF_INET, &pkt), -EINVAL);

	/* Quoted header cut before its ports. */
	pb_ipv4(&cut, IPPROTO_ICMP, htonl(0x0a000001), VIP4, 0);
	pb_icmp(&cut, ICMP_TIME_EXCEEDED, 0);
	pb_ipv4(&cut, IPPROTO_UDP, VIP4, CLIENT4, 0);
	pb_udp(&cut, 53, 5000);
	KUNIT_EXPECT_EQ(test, pb_parse(test, &cut, cut.len - 6, AF_INET, &pkt), -EINVAL);
}

/* A redirect or a parameter problem is about this host, not the flow's path. */
static void ipv4_redirect_and_parameter_problem_stay_here(struct kunit *test)
{
	static const u8 types[] = { ICMP_REDIRECT, ICMP_PARAMETERPROB, ICMP_SOURCE_QUENCH };
	struct drlb_pkt pkt;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		struct drlb_pb p = {};

		pb_ipv4(&p, IPPROTO_ICMP, htonl(0x0a000001), VIP4, 0);
		pb_icmp(&p, types[i], 0);
		pb_ipv4(&p, IPPROTO_TCP, VIP4, CLIENT4, 0);
		pb_tcp(&p, 80, 40000, false);
		KUNIT_EXPECT_EQ(test, pb_parse(test, &p, p.len, AF_INET, &pkt), -EPROTONOSUPPORT);
	}
}

static void ipv6_tcp_gives_key(struct kunit *test)
{
	struct drlb_pb p = {};
	struct drlb_pkt pkt;

	pb_ipv6(&p, IPPROTO_TCP, &client6, &vip6);
	pb_tcp(&p, 40000, 443, true);
	KUNIT_ASSERT_EQ(test, pb_parse(test, &p, p.len, AF_INET6, &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.key.af, AF_INET6);
	KUNIT_EXPECT_EQ(test, pkt.key.proto, IPPROTO_TCP);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&pkt.key.caddr.in6, &client6));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&pkt.key.vaddr.in6, &vip6));
	KUNIT_EXPECT_EQ(test, pkt.key.cport, htons(40000));
	KUNIT_EXPECT_EQ(test, pkt.key.vport, htons(443));
	KUNIT_EXPECT_TRUE(test, pkt.syn);
}

static void ipv6_extension_chain_is_skipped(struct kunit *test)
{
	struct drlb_pb p = {};
	struct drlb_pkt pkt;

	pb_ipv6(&p, NEXTHDR_HOP, &client6, &vip6);
	pb_ext8(&p, NEXTHDR_ROUTING);
	pb_ext8(&p, NEXTHDR_DEST);
	pb_ext8(&p, IPPROTO_UDP);
	pb_udp(&p, 5000, 53);
	KUNIT_ASSERT_EQ(test, pb_parse(test, &p, p.len, AF_INET6, &pkt), 0);
	KUNIT_EXPECT_EQ(test, pkt.key.proto, IPPROTO_UDP);
	KUNIT_EXPECT_EQ(test, pkt.key.cport, htons(5000));
	KUNIT_EXPECT_EQ(test, pkt.key.vport, htons(53));
}

static void ipv6_truncated_anywhere_is_refused(struct kunit *test)
{
	struct drlb_pb p = {};
	struct drlb_pkt pkt;
	unsigned int len;

	pb_ipv6(&p, NEXTHDR_HOP, &client6, &vip6);
	pb_ext8(&p, NEXTHDR_DEST);
	pb_ext8(&p, IPPROTO_UDP);
	pb_udp(&p, 5000, 53);
	/* Cut inside each extension header and inside the ports. */
	for (len = sizeof(struct ipv6hdr); len < p.len - 4; len += 4)
		KUNIT_EXPECT_LT_MSG(test, pb_parse(test, &p, len, AF_INET6, &pkt), 0,
				    "parsed %u of %u bytes", len, p.len);
	KUNIT_EXPECT_EQ(test, pb_parse(test, &p, p.len - 4, AF_INET6, &pkt), 0);
}

static void ipv6_fragments_are_refused(struct kunit *test)
{
	struct drlb_pb first = {}, later = {};
	struct drlb_pkt pkt;

	pb_ipv6(&first, NEXTHDR_FRAGMENT, &client6, &vip6);
	pb_frag6(&first, IPPROTO_UDP, 0, true);
	pb_udp(&first, 5000, 53);
	KUNIT_EXPECT_EQ(test, pb_parse(test, &first, first.len, AF_INET6, &pkt), -EINVAL);

	pb_ipv6(&later, NEXTHDR_FRAGMENT, &client6, &vip6);
	pb_frag6(&later, IPPROTO_UDP, 185, false);
	pb_udp(&later, 5000, 53);
	KUNIT_EXPECT_EQ(test, pb_parse(test, &later, later.len, AF_INET6, &pkt), -EINVAL);
}

static void ipv6_no_next_header_is_refused(struct kunit *test)
{
	struct drlb_pb p = {};
	struct drlb_pkt pkt;

	pb_ipv6(&p, NEXTHDR_DEST, &client6, &vip6);
	pb_ext8(&p, NEXTHDR_NONE);
	KUNIT_EXPECT_LT(test, pb_parse(test, &p, p.len, AF_INET6, &pkt), 0);
}

static void ipv6_packet_too_big_gives_quoted_connection(struct kunit *test)
{
	static const struct in6_addr router = { { { 0x20, 0x01, 0x0d, 0xb8, [15] = 0xfe } } };
	struct drlb_pb p = {};
	struct drlb_pkt pkt;

	pb_ipv6(&p, IPPROTO_ICMPV6, &router, &vip6);
	pb_icmp6(&p, ICMPV6_PKT_TOOBIG);
	/* The quoted reply carries an extension header of its own. */
	pb_ipv6(&p, NEXTHDR_DEST, &vip6, &client6);
	pb_ext8(&p, IPPROTO_TCP);
	pb_tcp(&p, 443, 40000, false);
	KUNIT_ASSERT_EQ(test, pb_parse(test, &p, p.len - 12, AF_INET6, &pkt), 0);
	KUNIT_EXPECT_TRUE(test, pkt.icmp);
	KUNIT_EXPECT_EQ(test, pkt.key.proto, IPPROTO_TCP);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&pkt.key.caddr.in6, &client6));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&pkt.key.vaddr.in6, &vip6));
	KUNIT_EXPECT_EQ(test, pkt.key.cport, htons(40000));
	KUNIT_EXPECT_EQ(test, pkt.key.vport, htons(443));
}

static void ipv6_icmp_not_about_us_is_refused(struct kunit *test)
{
	struct drlb_pb echo = {}, other = {}, cut = {};
	struct drlb_pkt pkt;

	pb_ipv6(&echo, IPPROTO_ICMPV6, &client6, &vip6);
	pb_icmp6(&echo, ICMPV6_ECHO_REQUEST);
	KUNIT_EXPECT_EQ(test, pb_parse(test, &echo, echo.len, AF_INET6, &pkt), -EPROTONOSUPPORT);

	pb_ipv6(&other, IPPROTO_ICMPV6, &client6, &vip6);
	pb_icmp6(&other, ICMPV6_PKT_TOOBIG);
	pb_ipv6(&other, IPPROTO_TCP, &client6, &client6);
	pb_tcp(&other, 443, 40000, false);
	KUNIT_EXPECT_EQ(test, pb_parse(test, &other, other.len, AF_INET6, &pkt), -EINVAL);

	pb_ipv6(&cut, IPPROTO_ICMPV6, &client6, &vip6);
	pb_icmp6(&cut, ICMPV6_DEST_UNREACH);
	pb_ipv6(&cut, IPPROTO_UDP, &vip6, &client6);
	pb_udp(&cut, 53, 5000);
	KUNIT_EXPECT_EQ(test, pb_parse(test, &cut, cut.len - 6, AF_INET6, &pkt), -EINVAL);
}

static void ipv6_parameter_problem_stays_here(struct kunit *test)
{
	struct drlb_pb p = {};
	struct drlb_pkt pkt;

	pb_ipv6(&p, IPPROTO_ICMPV6, &client6, &vip6);
	pb_icmp6(&p, ICMPV6_PARAMPROB);
	pb_ipv6(&p, IPPROTO_TCP, &vip6, &client6);
	pb_tcp(&p, 443, 40000, false);
	KUNIT_EXPECT_EQ(test, pb_parse(test, &p, p.len, AF_INET6, &pkt), -EPROTONOSUPPORT);
}

static struct kunit_case drlb_parse_cases[] = {
	KUNIT_CASE(ipv4_tcp_syn_gives_key_and_flags),
	KUNIT_CASE(ipv4_truncated_transport_is_refused),
	KUNIT_CASE(ipv4_fragment_is_refused),
	KUNIT_CASE(ipv4_frag_needed_gives_quoted_connection),
	KUNIT_CASE(ipv4_icmp_not_about_us_is_refused),
	KUNIT_CASE(ipv4_redirect_and_parameter_problem_stay_here),
	KUNIT_CASE(ipv6_tcp_gives_key),
	KUNIT_CASE(ipv6_extension_chain_is_skipped),
	KUNIT_CASE(ipv6_truncated_anywhere_is_refused),
	KUNIT_CASE(ipv6_fragments_are_refused),
	KUNIT_CASE(ipv6_no_next_header_is_refused),
	KUNIT_CASE(ipv6_packet_too_big_gives_quoted_connection),
	KUNIT_CASE(ipv6_icmp_not_about_us_is_refused),
	KUNIT_CASE(ipv6_parameter_problem_stays_here),
	{}
};

static struct kunit_suite drlb_parse_suite = {
	.name = "drlb_parse",
	.test_cases = drlb_parse_cases,
};

kunit_test_suite(drlb_parse_suite);
