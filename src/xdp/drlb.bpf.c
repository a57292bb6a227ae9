// SPDX-License-Identifier: GPL-2.0
/*
 * drlb's XDP program: the fast path in front of drlb.ko's netfilter path,
 * on the same tables. It parses an untagged Ethernet frame with IPv4 or
 * IPv6 and TCP or UDP, asks drlb.ko's kfunc drlb_xdp_forward() where the
 * packet goes (lookup or scheduling, state and counters are the module's),
 * and sends it there: destination and source MAC rewritten, one hop less,
 * XDP_TX out of the device it came in on, bpf_redirect() out of another.
 * Whatever it does not handle in full goes on to the stack untouched
 * (XDP_PASS), where the netfilter path takes it: fragments, IPv4 options
 * past the transport header's reach, IPv6 extension headers, ICMP (errors
 * quoting a flow are the skb path's), VLAN tags, broadcast and multicast,
 * a last hop, and whatever the kfunc passes (no service, an unresolved
 * neighbour, too big for the segment). Attached by drctl xdp attach.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include <linux/drlb.h>

#define AF_INET		2
#define AF_INET6	10
#define IP_MF		0x2000
#define IP_OFFSET	0x1fff

extern int drlb_xdp_forward(struct xdp_md *ctx, struct drlb_xdp_flow *flow,
			    __u32 flow__sz) __ksym;

/* The ports, and TCP's flags, of the transport header at @l4. */
static __always_inline int parse_ports(void *l4, void *end, struct drlb_xdp_flow *flow)
{
	struct tcphdr *th = l4;
	struct udphdr *uh = l4;

	if (flow->proto == IPPROTO_TCP) {
		if ((void *)(th + 1) > end)
			return -1;
		flow->sport = th->source;
		flow->dport = th->dest;
		flow->tcp_flags = ((__u8 *)th)[13];
		return 0;
	}
	if (flow->proto == IPPROTO_UDP) {
		if ((void *)(uh + 1) > end)
			return -1;
		flow->sport = uh->source;
		flow->dport = uh->dest;
		return 0;
	}
	return -1;
}

static __always_inline int parse_ipv4(struct iphdr *iph, void *end, struct drlb_xdp_flow *flow)
{
	if ((void *)(iph + 1) > end || iph->version != 4 || iph->ihl < 5)
		return -1;
	/* A fragment is defrag's; a last hop is dropped (and counted) by the skb path. */
	if (iph->frag_off & bpf_htons(IP_MF | IP_OFFSET) || iph->ttl <= 1)
		return -1;
	flow->family = AF_INET;
	flow->proto = iph->protocol;
	flow->len = bpf_ntohs(iph->tot_len);
	flow->saddr[0] = iph->saddr;
	flow->daddr[0] = iph->daddr;
	return parse_ports((void *)iph + iph->ihl * 4, end, flow);
}

static __always_inline int parse_ipv6(struct ipv6hdr *ip6, void *end, struct drlb_xdp_flow *flow)
{
	if ((void *)(ip6 + 1) > end || ip6->version != 6 || ip6->hop_limit <= 1)
		return -1;
	flow->family = AF_INET6;
	/* Extension headers (fragments among them) are the skb path's. */
	flow->proto = ip6->nexthdr;
	flow->len = sizeof(*ip6) + bpf_ntohs(ip6->payload_len);
	__builtin_memcpy(flow->saddr, &ip6->saddr, sizeof(flow->saddr));
	__builtin_memcpy(flow->daddr, &ip6->daddr, sizeof(flow->daddr));
	return parse_ports(ip6 + 1, end, flow);
}

/* One hop less, as the skb path does: IPv4's checksum updated in step (RFC 1624). */
static __always_inline void hop(void *l3, __u8 family)
{
	struct ipv6hdr *ip6 = l3;
	struct iphdr *iph = l3;
	__u32 sum;

	if (family == AF_INET6) {
		ip6->hop_limit--;
		return;
	}
	sum = iph->check + bpf_htons(0x0100);
	iph->check = sum + (sum >= 0xffff);
	iph->ttl--;
}

SEC("xdp")
int drlb_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct drlb_xdp_flow flow = {};
	struct ethhdr *eth = data;
	void *l3 = eth + 1;
	int verdict;

	if (l3 > end || eth->h_dest[0] & 1)
		return XDP_PASS;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		if (parse_ipv4(l3, end, &flow))
			return XDP_PASS;
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		if (parse_ipv6(l3, end, &flow))
			return XDP_PASS;
	} else {
		return XDP_PASS;
	}
	verdict = drlb_xdp_forward(ctx, &flow, sizeof(flow));
	if (verdict == DRLB_XDP_DROP)
		return XDP_DROP;
	if (verdict != DRLB_XDP_FORWARD)
		return XDP_PASS;
	hop(l3, flow.family);
	__builtin_memcpy(eth->h_dest, flow.dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, flow.smac, ETH_ALEN);
	if (flow.ifindex == ctx->ingress_ifindex)
		return XDP_TX;
	return bpf_redirect(flow.ifindex, 0);
}

char LICENSE[] SEC("license") = "GPL";
