// SPDX-License-Identifier: GPL-2.0
/*
 * The kfunc drlb's XDP program calls (include/uapi/linux/drlb.h): a packet
 * it parsed in, where the packet goes out. Copy in, copy out: no kernel
 * pointer reaches the program, nothing is acquired or released, and the
 * decision is hook.c's, on the tables and counters of the netfilter path.
 * A loaded program that calls it holds a reference on this module: rmmod
 * waits for `drctl xdp detach`.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/etherdevice.h>
#include <linux/ip.h>
#include <net/ip.h>
#include <net/xdp.h>

#include <uapi/linux/drlb.h>

#include "drlb.h"
#include "hook.h"
#include "l2.h"
#include "parse.h"
#include "xdp.h"

/* 6.1 has BTF_SET8_* and no __bpf_kfunc; 6.12 wants a set marked as kfuncs. */
#ifndef BTF_KFUNCS_START
#define BTF_KFUNCS_START BTF_SET8_START
#define BTF_KFUNCS_END BTF_SET8_END
#endif
#ifndef __bpf_kfunc
#define __bpf_kfunc noinline
#endif

/* The packet the program parsed, as the hook's parser would have put it. */
static bool drlb_xdp_pkt(const struct drlb_xdp_flow *flow, struct drlb_pkt *pkt)
{
	memset(pkt, 0, sizeof(*pkt));
	if (flow->proto != IPPROTO_TCP && flow->proto != IPPROTO_UDP)
		return false;
	if (flow->family == AF_INET) {
		pkt->key.caddr.ip = flow->saddr[0];
		pkt->key.vaddr.ip = flow->daddr[0];
	} else if (flow->family == AF_INET6) {
		memcpy(&pkt->key.caddr.in6, flow->saddr, sizeof(flow->saddr));
		memcpy(&pkt->key.vaddr.in6, flow->daddr, sizeof(flow->daddr));
	} else {
		return false;
	}
	pkt->key.af = flow->family;
	pkt->key.proto = flow->proto;
	pkt->key.cport = flow->sport;
	pkt->key.vport = flow->dport;
	pkt->syn = flow->tcp_flags & DRLB_XDP_TCP_SYN;
	pkt->ack = flow->tcp_flags & DRLB_XDP_TCP_ACK;
	pkt->fin = flow->tcp_flags & DRLB_XDP_TCP_FIN;
	pkt->rst = flow->tcp_flags & DRLB_XDP_TCP_RST;
	return true;
}

/*
 * What IP input would refuse, and frames for other hosts, are the stack's:
 * a frame not to this device's address, a length past the frame's end, a
 * bad IPv4 header checksum.
 */
static bool drlb_xdp_ours(const struct xdp_buff *xdp, const struct drlb_xdp_flow *flow)
{
	const struct ethhdr *eth = xdp->data;
	const struct iphdr *iph = xdp->data + ETH_HLEN;

	if (xdp->data + ETH_HLEN + flow->len > xdp->data_end ||
	    !ether_addr_equal(eth->h_dest, xdp->rxq->dev->dev_addr))
		return false;
	if (flow->family != AF_INET)
		return true;
	return flow->len >= sizeof(*iph) && iph->ihl >= 5 && iph->ihl * 4 <= flow->len &&
	       !ip_fast_csum(iph, iph->ihl);
}

__bpf_kfunc int drlb_xdp_forward(struct xdp_md *ctx, struct drlb_xdp_flow *flow, u32 flow__sz)
{
	struct xdp_buff *xdp = (struct xdp_buff *)ctx;
	struct net_device *dev = xdp->rxq->dev;
	struct drlb_l2_hdr hdr;
	struct drlb_pkt pkt;
	int verdict;

	if (flow__sz != sizeof(*flow) || !drlb_xdp_pkt(flow, &pkt) || !drlb_xdp_ours(xdp, flow))
		return DRLB_XDP_PASS;
	rcu_read_lock();
	verdict = drlb_hook_xdp(drlb_pernet(dev_net(dev)), &pkt, flow->len, &hdr);
	if (verdict == DRLB_XDP_FORWARD) {
		memcpy(flow->dmac, hdr.dmac, ETH_ALEN);
		memcpy(flow->smac, hdr.dev->dev_addr, ETH_ALEN);
		flow->ifindex = hdr.dev->ifindex;
	}
	rcu_read_unlock();
	return verdict;
}

BTF_KFUNCS_START(drlb_xdp_kfunc_ids)
BTF_ID_FLAGS(func, drlb_xdp_forward)
BTF_KFUNCS_END(drlb_xdp_kfunc_ids)

static const struct btf_kfunc_id_set drlb_xdp_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &drlb_xdp_kfunc_ids,
};

/*
 * Without BTF (a module built without pahole) the kernel only warns and
 * the kfunc does not exist: drctl xdp attach checks /sys/kernel/btf/drlb.
 */
int drlb_xdp_init(void)
{
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_XDP, &drlb_xdp_kfunc_set);
}
