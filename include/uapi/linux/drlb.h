/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * drlb: direct-routing layer-4 load balancer, generic netlink interface.
 *
 * Family "drlb", version DRLB_GENL_VERSION. Every command acts on the network
 * namespace of the sending socket and needs CAP_NET_ADMIN in the user
 * namespace owning it (GENL_UNS_ADMIN_PERM), dumps included.
 *
 * A service is keyed by (af, protocol, address, port); a backend by its
 * service and its address (DR never changes the port). Addresses are 16-byte
 * binary attributes in network order: an IPv4 address fills the first 4
 * bytes, the rest zero. Ports are u16 in network order (NLA_BE16).
 *
 * Commands (request attributes; replies carry the same tree):
 *
 * DRLB_CMD_SERVICE_NEW   DRLB_A_SERVICE { AF, PROTOCOL, ADDR, PORT,
 *                        [SCHED], [PERSIST], [MH_SIZE], [CHECK { ... }] }
 *                        Fails with EEXIST on a duplicate.
 * DRLB_CMD_SERVICE_SET   DRLB_A_SERVICE { key, [SCHED], [PERSIST], [MH_SIZE],
 *                        [CHECK { ... }] }
 *                        Changes the scheduler, persistence or health check
 *                        live; an empty CHECK nest removes the check.
 * DRLB_CMD_SERVICE_DEL   DRLB_A_SERVICE { key }
 * DRLB_CMD_SERVICE_GET   dump: every service, or only DRLB_A_SERVICE { key }.
 *                        Each message: DRLB_A_SERVICE { key, SCHED, PERSIST,
 *                        MH_SIZE, BACKENDS (count), STATS { ... },
 *                        [CHECK { ... }], [DIGEST] }
 * DRLB_CMD_BACKEND_NEW   DRLB_A_SERVICE { key } DRLB_A_BACKEND { ADDR, [WEIGHT] }
 *                        The backend must be on-link (a route with no gateway).
 * DRLB_CMD_BACKEND_SET   DRLB_A_SERVICE { key } DRLB_A_BACKEND { ADDR, [WEIGHT],
 *                        [HEALTH, [HEALTH_REASON]] }: at least one of WEIGHT
 *                        and HEALTH.
 * DRLB_CMD_BACKEND_DEL   DRLB_A_SERVICE { key } DRLB_A_BACKEND { ADDR }
 * DRLB_CMD_BACKEND_GET   dump, needs DRLB_A_SERVICE { key }. Each message:
 *                        DRLB_A_SERVICE { key } DRLB_A_BACKEND { ADDR, WEIGHT,
 *                        ACTIVE, INACTIVE, STATS { ... }, HEALTH, HEALTH_AGE,
 *                        [HEALTH_REASON] }
 * DRLB_CMD_CONN_GET      dump, optionally only DRLB_A_SERVICE { key }. Each
 *                        message: DRLB_A_CONN { AF, PROTOCOL, CADDR, CPORT,
 *                        VADDR, VPORT, DADDR, STATE, EXPIRES }
 * DRLB_CMD_CONN_FLUSH    no attributes: forget every connection.
 * DRLB_CMD_FLUSH         no attributes: delete every service (and so every
 *                        backend and connection).
 * DRLB_CMD_CONFIG_GET    reply: DRLB_A_CONFIG { every CONFIG attribute },
 *                        DRLB_A_STATS { global counters }.
 * DRLB_CMD_CONFIG_SET    DRLB_A_CONFIG { any of TIMEOUT_*, CONN_MAX, SERVICE_MAX,
 *                        BACKEND_MAX, SEED, FLEET }: all of them or, on an error,
 *                        none. In a namespace whose user namespace is not
 *                        the initial one, CONN_MAX, SERVICE_MAX and
 *                        BACKEND_MAX may not exceed the initial namespace's
 *                        (EPERM). SEED keys the Maglev and source hashes:
 *                        directors of one site share it (and save/restore
 *                        carries it), so they place flows alike. FLEET
 *                        says this director is one of several behind ECMP
 *                        or VRRP (drctl director check then warns about
 *                        what breaks a fleet); it changes no forwarding.
 *
 * Statistics (DRLB_A_STATS, nested in a service, a backend or the reply of
 * CONFIG_GET) are u64 counters summed over CPUs.
 *
 * Health: a backend is unchecked until a health checker (drlbd) sets it up
 * or down. A down backend takes no new connection from any path (the
 * schedulers, persistence, the stateless Maglev path) and keeps its
 * weight; with CHECK { ON_DOWN = DRLB_ON_DOWN_EXPIRE } its connections end
 * as it goes down. The kernel runs no check: it keeps the service's CHECK
 * for the checker (and for save/restore), and uses only ON_DOWN.
 *
 * Events: the multicast group DRLB_GENL_MCGRP_EVENTS announces every change
 * in the namespace, as a message with the command that made it and the
 * attributes of the object as it now is, as a dump shows them (a deleted
 * object: its key). CONFIG_SET carries DRLB_A_CONFIG; FLUSH and CONN_FLUSH
 * carry nothing. Joining the group needs CAP_NET_ADMIN, as a dump does.
 *
 * The generic netlink operations run without genl_mutex (parallel_ops):
 * each namespace serialises its own changes, so a long flush in one
 * namespace holds up no other. A conn dump sets NLM_F_DUMP_INTR on a
 * message when entries before it may repeat (the table changed under the
 * dump's cursor); service and backend dumps when the configuration did.
 *
 * XDP: drlb.ko, when it has BTF, gives XDP programs one kfunc,
 *
 *	int drlb_xdp_forward(struct xdp_md *ctx, struct drlb_xdp_flow *flow,
 *			     __u32 flow__sz);
 *
 * drlb's own XDP program (src/xdp/drlb.bpf.c, attached by drctl xdp attach)
 * parses a frame, fills the "in" half of @flow and calls it. The kfunc
 * does what the netfilter path does for that packet (service, connection
 * lookup or scheduling, state, counters: the same tables) and returns an
 * enum drlb_xdp_verdict. With DRLB_XDP_FORWARD it has filled the "out"
 * half: the program writes the two MAC addresses, decrements the TTL and
 * sends the frame out of IFINDEX (XDP_TX when that is where it came in).
 * DRLB_XDP_PASS leaves the packet to the kernel's stack, where the
 * netfilter path takes it as if XDP had not seen it: the kfunc counted
 * nothing for it. Everything the program does not parse fully (fragments,
 * IP options it cannot skip, IPv6 extension headers, ICMP, VLAN tags,
 * frames not sent to this host) it passes without asking. The interface
 * is a kfunc's: unstable, for drlb's own program, built from this header.
 */
#ifndef _UAPI_LINUX_DRLB_H
#define _UAPI_LINUX_DRLB_H

#include <linux/types.h>

#define DRLB_GENL_NAME		"drlb"
#define DRLB_GENL_VERSION	1
#define DRLB_GENL_MCGRP_EVENTS	"events"

#define DRLB_SCHED_NAME_MAX	16
#define DRLB_WEIGHT_MAX		65535
#define DRLB_MH_SIZE_DEFAULT	65537
#define DRLB_MH_SIZE_MAX	131071

enum drlb_cmd {
	DRLB_CMD_UNSPEC,
	DRLB_CMD_SERVICE_NEW,
	DRLB_CMD_SERVICE_SET,
	DRLB_CMD_SERVICE_DEL,
	DRLB_CMD_SERVICE_GET,
	DRLB_CMD_BACKEND_NEW,
	DRLB_CMD_BACKEND_SET,
	DRLB_CMD_BACKEND_DEL,
	DRLB_CMD_BACKEND_GET,
	DRLB_CMD_CONN_GET,
	DRLB_CMD_CONN_FLUSH,
	DRLB_CMD_FLUSH,
	DRLB_CMD_CONFIG_GET,
	DRLB_CMD_CONFIG_SET,
	__DRLB_CMD_MAX
};

#define DRLB_CMD_MAX (__DRLB_CMD_MAX - 1)

enum drlb_attr {
	DRLB_A_UNSPEC,
	DRLB_A_SERVICE,		/* nest: enum drlb_service_attr */
	DRLB_A_BACKEND,		/* nest: enum drlb_backend_attr */
	DRLB_A_CONN,		/* nest: enum drlb_conn_attr */
	DRLB_A_CONFIG,		/* nest: enum drlb_config_attr */
	DRLB_A_STATS,		/* nest: enum drlb_stats_attr */
	__DRLB_A_MAX
};

#define DRLB_A_MAX (__DRLB_A_MAX - 1)

enum drlb_service_attr {
	DRLB_SVC_A_UNSPEC,
	DRLB_SVC_A_AF,		/* u16: AF_INET or AF_INET6 */
	DRLB_SVC_A_PROTOCOL,	/* u8: IPPROTO_TCP or IPPROTO_UDP */
	DRLB_SVC_A_ADDR,	/* binary[16]: the VIP */
	DRLB_SVC_A_PORT,	/* be16: the virtual port, not 0 */
	DRLB_SVC_A_SCHED,	/* string: rr wrr lc wlc sh mh */
	DRLB_SVC_A_PERSIST,	/* u32: affinity timeout in s, 0 = off */
	DRLB_SVC_A_MH_SIZE,	/* u32: Maglev table size, a prime */
	DRLB_SVC_A_BACKENDS,	/* u32: number of backends (reply only) */
	DRLB_SVC_A_STATS,	/* nest: enum drlb_stats_attr (reply only) */
	DRLB_SVC_A_PAD,
	DRLB_SVC_A_CHECK,	/* nest: enum drlb_check_attr; empty: none */
	DRLB_SVC_A_DIGEST,	/* u32: of the hash tables, equal on directors
				 * that place flows alike (reply only; absent
				 * while no backend takes connections)
				 */
	__DRLB_SVC_A_MAX
};

#define DRLB_SVC_A_MAX (__DRLB_SVC_A_MAX - 1)

enum drlb_backend_attr {
	DRLB_BE_A_UNSPEC,
	DRLB_BE_A_ADDR,		/* binary[16], same family as the service */
	DRLB_BE_A_WEIGHT,	/* u32: 0..DRLB_WEIGHT_MAX, 0 drains */
	DRLB_BE_A_ACTIVE,	/* u32: connections established (reply) */
	DRLB_BE_A_INACTIVE,	/* u32: other connections (reply) */
	DRLB_BE_A_IFINDEX,	/* u32: egress device (reply) */
	DRLB_BE_A_STATS,	/* nest: enum drlb_stats_attr (reply) */
	DRLB_BE_A_PAD,
	DRLB_BE_A_HEALTH,	/* u8: enum drlb_health */
	DRLB_BE_A_HEALTH_AGE,	/* u32: seconds since the health changed (reply) */
	DRLB_BE_A_HEALTH_REASON,	/* string: the checker's why, with HEALTH */
	__DRLB_BE_A_MAX
};

#define DRLB_BE_A_MAX (__DRLB_BE_A_MAX - 1)
#define DRLB_HEALTH_REASON_MAX	96	/* bytes, with the NUL */

enum drlb_health {
	DRLB_HEALTH_UNCHECKED,
	DRLB_HEALTH_UP,
	DRLB_HEALTH_DOWN,
	__DRLB_HEALTH_MAX
};

/*
 * A service's health check, as drlbd runs it: times in milliseconds,
 * strings NUL-terminated. Which attributes a TYPE takes: http and https PATH,
 * STATUS, HOST; https also SNI, VERIFY; dns QUERY, QTYPE; exec ARGV.
 */
enum drlb_check_attr {
	DRLB_CHECK_A_UNSPEC,
	DRLB_CHECK_A_TYPE,	/* u8: enum drlb_check_type */
	DRLB_CHECK_A_INTERVAL,	/* u32 ms: 100..3600000, a probe started every */
	DRLB_CHECK_A_TIMEOUT,	/* u32 ms: 100..3600000, at most the interval */
	DRLB_CHECK_A_RISE,	/* u32: 1..100 successes to go up */
	DRLB_CHECK_A_FALL,	/* u32: 1..100 failures to go down */
	DRLB_CHECK_A_PORT,	/* be16: probe this port, not the service's */
	DRLB_CHECK_A_ON_DOWN,	/* u8: enum drlb_on_down */
	DRLB_CHECK_A_ALPHA,	/* flag: backends start down */
	DRLB_CHECK_A_QUORUM,	/* u32: healthy backends the service needs, 1..65535 */
	DRLB_CHECK_A_QUORUM_UP,	/* string: command run when it has them again */
	DRLB_CHECK_A_QUORUM_DOWN,	/* string: command run when it has not */
	DRLB_CHECK_A_PATH,	/* string: http(s) path, from "/" */
	DRLB_CHECK_A_STATUS,	/* u32: http(s) status wanted, 100..599 */
	DRLB_CHECK_A_HOST,	/* string: http(s) Host header */
	DRLB_CHECK_A_SNI,	/* string: https server name */
	DRLB_CHECK_A_VERIFY,	/* flag: https verifies the certificate */
	DRLB_CHECK_A_QUERY,	/* string: dns name asked */
	DRLB_CHECK_A_QTYPE,	/* u16: dns query type, 1 (A) or 28 (AAAA) */
	DRLB_CHECK_A_ARGV,	/* binary: exec command and arguments, each NUL-ended */
	__DRLB_CHECK_A_MAX
};

#define DRLB_CHECK_A_MAX (__DRLB_CHECK_A_MAX - 1)
#define DRLB_CHECK_TIME_MIN	100		/* ms */
#define DRLB_CHECK_TIME_MAX	3600000		/* ms */
#define DRLB_CHECK_COUNT_MAX	100
#define DRLB_CHECK_NAME_MAX	256	/* bytes, with the NUL: host, sni, query */
#define DRLB_CHECK_PATH_MAX	1024	/* bytes, with the NUL */
#define DRLB_CHECK_COMMAND_MAX	1024	/* bytes: a quorum command, exec's argv */

enum drlb_check_type {
	DRLB_CHECK_TCP,
	DRLB_CHECK_HTTP,
	DRLB_CHECK_HTTPS,
	DRLB_CHECK_DNS,
	DRLB_CHECK_EXEC,
	__DRLB_CHECK_TYPE_MAX
};

enum drlb_on_down {
	DRLB_ON_DOWN_KEEP,	/* its connections run out */
	DRLB_ON_DOWN_EXPIRE,	/* its connections end at once */
	__DRLB_ON_DOWN_MAX
};

enum drlb_conn_attr {
	DRLB_CONN_A_UNSPEC,
	DRLB_CONN_A_AF,		/* u16 */
	DRLB_CONN_A_PROTOCOL,	/* u8 */
	DRLB_CONN_A_CADDR,	/* binary[16]: client */
	DRLB_CONN_A_CPORT,	/* be16 */
	DRLB_CONN_A_VADDR,	/* binary[16]: VIP */
	DRLB_CONN_A_VPORT,	/* be16 */
	DRLB_CONN_A_DADDR,	/* binary[16]: backend */
	DRLB_CONN_A_STATE,	/* u8: enum drlb_conn_state */
	DRLB_CONN_A_EXPIRES,	/* u32: seconds left */
	__DRLB_CONN_A_MAX
};

#define DRLB_CONN_A_MAX (__DRLB_CONN_A_MAX - 1)

enum drlb_conn_state {
	DRLB_CONN_NONE,		/* UDP */
	DRLB_CONN_SYN_RECV,	/* TCP: client SYN seen */
	DRLB_CONN_ESTABLISHED,	/* TCP: client ACK seen */
	DRLB_CONN_FIN_WAIT,	/* TCP: client FIN seen */
	DRLB_CONN_CLOSE,	/* TCP: client RST seen */
	DRLB_CONN_PERSIST,	/* persistence: client address -> backend (CPORT 0),
				 * a key space of its own
				 */
	__DRLB_CONN_STATE_MAX
};

enum drlb_config_attr {
	DRLB_CFG_A_UNSPEC,
	DRLB_CFG_A_TIMEOUT_TCP,		/* u32 s: established */
	DRLB_CFG_A_TIMEOUT_TCP_FIN,	/* u32 s: FIN seen */
	DRLB_CFG_A_TIMEOUT_TCP_CLOSE,	/* u32 s: RST seen, SYN only */
	DRLB_CFG_A_TIMEOUT_UDP,		/* u32 s */
	DRLB_CFG_A_CONN_MAX,		/* u32: connection table bound */
	DRLB_CFG_A_CONN_COUNT,		/* u32: connections now (reply) */
	DRLB_CFG_A_VERSION,		/* string: module version (reply) */
	DRLB_CFG_A_SERVICE_MAX,		/* u32: services in this namespace, at most */
	DRLB_CFG_A_BACKEND_MAX,		/* u32: backends per service, at most */
	DRLB_CFG_A_SEED,		/* binary[16]: site seed of mh and sh hashes */
	DRLB_CFG_A_FLEET,		/* u8: 1 = one director of several */
	__DRLB_CFG_A_MAX
};

#define DRLB_CFG_A_MAX (__DRLB_CFG_A_MAX - 1)

enum drlb_stats_attr {
	DRLB_ST_A_UNSPEC,
	DRLB_ST_A_PACKETS,		/* u64 */
	DRLB_ST_A_BYTES,		/* u64 */
	DRLB_ST_A_CONNS,		/* u64: connections scheduled */
	DRLB_ST_A_DROP_NO_BACKEND,	/* u64: no usable backend */
	DRLB_ST_A_DROP_TABLE_FULL,	/* u64: table full: flow sent stateless */
	DRLB_ST_A_DROP_UNREACHABLE,	/* u64: backend neighbour failed */
	DRLB_ST_A_DROP_BACKEND_GONE,	/* u64: connection's backend deleted */
	DRLB_ST_A_STATELESS,		/* u64: forwarded by the Maglev path */
	DRLB_ST_A_PAD,
	DRLB_ST_A_ICMP,			/* u64: ICMP errors forwarded to a connection's backend */
	DRLB_ST_A_DROP_TOO_BIG,		/* u64: larger than the backend's MTU, DF set */
	DRLB_ST_A_DROP_TTL,		/* u64: TTL/hop limit ran out (a loop) */
	DRLB_ST_A_HOOK_PREROUTING,	/* u64: packets forwarded from PRE_ROUTING */
	DRLB_ST_A_HOOK_INGRESS,		/* u64: from netdev ingress (ingress_hook=1) */
	DRLB_ST_A_RATE_CONNS,		/* u64: connections/s over the last 2 s */
	DRLB_ST_A_RATE_PACKETS,		/* u64: packets/s over the last 2 s */
	DRLB_ST_A_RATE_BYTES,		/* u64: bytes/s over the last 2 s */
	DRLB_ST_A_HOOK_XDP,		/* u64: forwarded by the XDP program's kfunc */
	__DRLB_ST_A_MAX
};

#define DRLB_ST_A_MAX (__DRLB_ST_A_MAX - 1)

enum drlb_xdp_verdict {
	DRLB_XDP_PASS,		/* to the stack (and the netfilter path) */
	DRLB_XDP_FORWARD,	/* rewrite and send: @flow's out half says how */
	DRLB_XDP_DROP,		/* as the netfilter path would: counted */
};

/* TCP flags of drlb_xdp_flow.tcp_flags, as in the TCP header's byte 13. */
#define DRLB_XDP_TCP_FIN	0x01
#define DRLB_XDP_TCP_SYN	0x02
#define DRLB_XDP_TCP_RST	0x04
#define DRLB_XDP_TCP_ACK	0x10

struct drlb_xdp_flow {
	/* in: the packet, as the XDP program parsed it (network order) */
	__be32 saddr[4];	/* IPv4 in saddr[0] */
	__be32 daddr[4];
	__be16 sport;
	__be16 dport;
	__u16 len;		/* of the IP packet: header and payload */
	__u8 family;		/* AF_INET (2) or AF_INET6 (10) */
	__u8 proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	__u8 tcp_flags;		/* DRLB_XDP_TCP_* */
	__u8 pad[3];
	/* out, with DRLB_XDP_FORWARD: the backend's link-layer header */
	__u8 dmac[6];
	__u8 smac[6];
	__u32 ifindex;		/* egress device */
};

#endif /* _UAPI_LINUX_DRLB_H */
