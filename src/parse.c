// SPDX-License-Identifier: GPL-2.0
/*
 * Packet parsing for the hook: the connection key of a TCP or UDP packet to
 * a VIP, or of the packet an ICMP error about one of our connections
 * quotes. Every read goes through skb_header_pointer(): a truncated packet
 * is refused, never read past its end.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "parse.h"

/* Ports (and for TCP the flags) of the transport header at @off. */
static int drlb_parse_ports(const struct sk_buff *skb, unsigned int off, struct drlb_pkt *pkt)
{
	struct tcphdr _th;
	const struct tcphdr *th;

	/* The ports lead both headers; TCP also needs its flags. */
	th = skb_header_pointer(skb, off, pkt->key.proto == IPPROTO_TCP ?
				sizeof(_th) : 2 * sizeof(__be16), &_th);
	if (!th)
		return -EINVAL;
	pkt->key.cport = th->source;
	pkt->key.vport = th->dest;
	if (pkt->key.proto == IPPROTO_TCP) {
		pkt->syn = th->syn;
		pkt->ack = th->ack;
		pkt->fin = th->fin;
		pkt->rst = th->rst;
	}
	return 0;
}

/*
 * The quoted packet went from the VIP to the client: its source is our
 * side of the connection. Only its ports are needed, and an error quotes
 * at least 8 bytes of the transport header.
 */
static int drlb_parse_quoted_ports(const struct sk_buff *skb, unsigned int off,
				   struct drlb_pkt *pkt)
{
	__be16 _ports[2];
	const __be16 *ports;

	ports = skb_header_pointer(skb, off, sizeof(_ports), _ports);
	if (!ports)
		return -EINVAL;
	pkt->key.vport = ports[0];
	pkt->key.cport = ports[1];
	pkt->icmp = true;
	return 0;
}

static int drlb_parse_icmp4(const struct sk_buff *skb, unsigned int off, __be32 daddr,
			    struct drlb_pkt *pkt)
{
	struct icmphdr _ic;
	const struct icmphdr *ic;
	struct iphdr _iph;
	const struct iphdr *iph;

	ic = skb_header_pointer(skb, off, sizeof(_ic), &_ic);
	if (!ic)
		return -EINVAL;
	/*
	 * Only errors about the flow's path: not a redirect (for this host's
	 * routing), nor a parameter problem or source quench.
	 */
	if (ic->type != ICMP_DEST_UNREACH && ic->type != ICMP_TIME_EXCEEDED)
		return -EPROTONOSUPPORT;
	off += sizeof(_ic);
	iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return -EINVAL;
	/* About a packet the VIP sent, to the address it was sent to. */
	if (iph->saddr != daddr)
		return -EINVAL;
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return -EPROTONOSUPPORT;
	/* A later fragment quotes no ports. */
	if (iph->frag_off & htons(IP_OFFSET))
		return -EINVAL;
	pkt->key.proto = iph->protocol;
	pkt->key.vaddr.ip = iph->saddr;
	pkt->key.caddr.ip = iph->daddr;
	return drlb_parse_quoted_ports(skb, off + iph->ihl * 4, pkt);
}

/* @skb's data is at its IPv4 header, which the IP layer has checked. */
int drlb_parse_ipv4(const struct sk_buff *skb, struct drlb_pkt *pkt)
{
	const struct iphdr *iph = ip_hdr(skb);

	memset(pkt, 0, sizeof(*pkt));
	pkt->key.af = AF_INET;
	/* Defrag ran before us: a fragment here is one it gave up on. */
	if (ip_is_fragment(iph))
		return -EINVAL;
	if (iph->protocol == IPPROTO_ICMP)
		return drlb_parse_icmp4(skb, ip_hdrlen(skb), iph->daddr, pkt);
	if (iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
		return -EPROTONOSUPPORT;
	pkt->key.proto = iph->protocol;
	pkt->key.caddr.ip = iph->saddr;
	pkt->key.vaddr.ip = iph->daddr;
	return drlb_parse_ports(skb, ip_hdrlen(skb), pkt);
}

/*
 * The transport protocol of the IPv6 packet whose header is at @*off, and
 * in @*off where its header starts, past any extension headers. A fragment
 * is refused: defrag ran before us, and a quoted one may lack its ports.
 */
static int drlb_ipv6_transport(const struct sk_buff *skb, unsigned int *off)
{
	unsigned short frag_off;
	int flags = 0;
	int proto;

	proto = ipv6_find_hdr(skb, off, -1, &frag_off, &flags);
	if (proto < 0)
		return proto;
	if (frag_off || (flags & IP6_FH_F_FRAG))
		return -EINVAL;
	return proto;
}

static int drlb_parse_icmp6(const struct sk_buff *skb, unsigned int off,
			    const struct in6_addr *daddr, struct drlb_pkt *pkt)
{
	struct icmp6hdr _ic;
	const struct icmp6hdr *ic;
	struct ipv6hdr _ip6;
	const struct ipv6hdr *ip6;
	int proto;

	ic = skb_header_pointer(skb, off, sizeof(_ic), &_ic);
	if (!ic)
		return -EINVAL;
	if (ic->icmp6_type != ICMPV6_DEST_UNREACH && ic->icmp6_type != ICMPV6_PKT_TOOBIG &&
	    ic->icmp6_type != ICMPV6_TIME_EXCEED)
		return -EPROTONOSUPPORT;
	off += sizeof(_ic);
	ip6 = skb_header_pointer(skb, off, sizeof(_ip6), &_ip6);
	if (!ip6 || ip6->version != 6 || !ipv6_addr_equal(&ip6->saddr, daddr))
		return -EINVAL;
	proto = drlb_ipv6_transport(skb, &off);
	if (proto < 0)
		return proto;
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return -EPROTONOSUPPORT;
	pkt->key.proto = proto;
	pkt->key.vaddr.in6 = ip6->saddr;
	pkt->key.caddr.in6 = ip6->daddr;
	return drlb_parse_quoted_ports(skb, off, pkt);
}

/* @skb's data is at its IPv6 header, which the IPv6 layer has checked. */
int drlb_parse_ipv6(const struct sk_buff *skb, struct drlb_pkt *pkt)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	unsigned int off = 0;
	int proto;

	memset(pkt, 0, sizeof(*pkt));
	pkt->key.af = AF_INET6;
	proto = drlb_ipv6_transport(skb, &off);
	if (proto < 0)
		return proto;
	if (proto == IPPROTO_ICMPV6)
		return drlb_parse_icmp6(skb, off, &ip6->daddr, pkt);
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return -EPROTONOSUPPORT;
	pkt->key.proto = proto;
	pkt->key.caddr.in6 = ip6->saddr;
	pkt->key.vaddr.in6 = ip6->daddr;
	return drlb_parse_ports(skb, off, pkt);
}
