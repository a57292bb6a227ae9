// SPDX-License-Identifier: GPL-2.0
/*
 * XDP_PASS, and nothing else: put on the bridge's end of a director's
 * veth, it gives that end the NAPI instance the director's XDP_TX frames
 * need. veth kicks its peer's NAPI after XDP_TX only when the peer runs an
 * XDP program (veth_xdp_flush()); with GRO alone the frames wait in the
 * ring. The lab (lab_xdp) and the bench attach it with ip link.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
