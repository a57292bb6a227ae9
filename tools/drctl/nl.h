/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink plumbing: the drlb generic netlink socket (family lookup, version
 * check, requests, acks, dumps, extended-ack messages), and the rtnetlink
 * socket that host.c asks about routes, addresses and neighbours.
 */
#ifndef DRCTL_NL_H
#define DRCTL_NL_H

#include <errno.h>
#include <stdint.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <linux/drlb.h>

#include "parse.h"

struct drlb_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t conns;
	uint64_t drop_no_backend;
	uint64_t drop_table_full;
	uint64_t drop_unreachable;
	uint64_t drop_backend_gone;
	uint64_t stateless;
	uint64_t icmp;
	uint64_t drop_too_big;
	uint64_t drop_ttl;
	uint64_t hook_prerouting;	/* forwarded, by the hook that took them */
	uint64_t hook_ingress;
	uint64_t hook_xdp;
	/* Per second over the module's last estimator interval (2 s). */
	uint64_t rate_conns;
	uint64_t rate_packets;
	uint64_t rate_bytes;
};

/* Called for each reply message with its top-level DRLB_A_* attributes. */
typedef int (*drlb_reply_fn)(struct nlattr **tb, void *arg);
/*
 * Called for each event, with the command that made it (0: events were
 * lost) and its attributes; returns 0 to go on, an exit code to stop (-1:
 * stop with DRCTL_OK).
 */
typedef int (*drlb_event_fn)(uint8_t cmd, struct nlattr **tb, void *arg);

struct nl_msg *drlb_msg_new(struct drctl *ctx, uint8_t cmd, int flags);
struct nlattr *drlb_nest_key(struct nl_msg *msg, const struct svc_key *key);
int drlb_request(struct drctl *ctx, struct nl_msg *msg, drlb_reply_fn fn,
		 void *arg);
int drlb_simple(struct drctl *ctx, uint8_t cmd);
int drlb_events(struct drctl *ctx, drlb_event_fn fn, void *arg);
struct nl_sock *drlb_events_socket(struct drctl *ctx);
uint32_t drlb_request_port(struct drctl *ctx);

int drlb_get_addr(const struct nlattr *attr, union drctl_addr *addr);
uint32_t drlb_get_u32(const struct nlattr *attr);
int drlb_parse_stats(struct nlattr *nest, struct drlb_stats *st);

struct nl_sock *drctl_rtnl(struct drctl *ctx);

void drctl_nl_free(struct drctl_nl *nl);

#endif /* DRCTL_NL_H */
