// SPDX-License-Identifier: GPL-2.0
/*
 * The XDP floor of make bench: the cheapest XDP forward there is. Every
 * frame gets both MAC addresses rewritten and goes out of one device,
 * looking nothing up, as the tc floor does at tc ingress. bench/in-vm.sh
 * builds it in the guest with the addresses and the device as -D words:
 * FLOOR_DMAC and FLOOR_SMAC (six bytes each, comma-separated) and
 * FLOOR_IFINDEX.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

static const unsigned char dmac[ETH_ALEN] = { FLOOR_DMAC };
static const unsigned char smac[ETH_ALEN] = { FLOOR_SMAC };

SEC("xdp")
int xdp_floor(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	if ((void *)(eth + 1) > end || eth->h_proto != __builtin_bswap16(ETH_P_IP))
		return XDP_PASS;
	__builtin_memcpy(eth->h_dest, dmac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, smac, ETH_ALEN);
	return bpf_redirect(FLOOR_IFINDEX, 0);
}

char LICENSE[] SEC("license") = "GPL";
