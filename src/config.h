/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DRLB_CONFIG_H
#define _DRLB_CONFIG_H

#include <linux/siphash.h>
#include <linux/types.h>

struct drlb_net;
struct netlink_ext_ack;

#define DRLB_TIMEOUT_MAX		(30 * 24 * 3600)
#define DRLB_PERSIST_MAX		(7 * 24 * 3600)
#define DRLB_CONN_MAX_LIMIT		BIT(26)
#define DRLB_SERVICE_MAX_LIMIT		BIT(20)
#define DRLB_BACKEND_MAX_LIMIT		BIT(16)
#define DRLB_SERVICE_MAX_DEFAULT	4096
#define DRLB_BACKEND_MAX_DEFAULT	4096

/* A change of the namespace's settings: what @set names, nothing else. */
struct drlb_config {
	unsigned int set;		/* DRLB_CONFIG_* */
	u32 timeout_tcp;		/* seconds */
	u32 timeout_tcp_fin;
	u32 timeout_tcp_close;
	u32 timeout_udp;
	u32 conn_max;
	u32 service_max;
	u32 backend_max;
	siphash_key_t seed;
	bool fleet;
};

#define DRLB_CONFIG_TIMEOUT_TCP		BIT(0)
#define DRLB_CONFIG_TIMEOUT_TCP_FIN	BIT(1)
#define DRLB_CONFIG_TIMEOUT_TCP_CLOSE	BIT(2)
#define DRLB_CONFIG_TIMEOUT_UDP		BIT(3)
#define DRLB_CONFIG_CONN_MAX		BIT(4)
#define DRLB_CONFIG_SERVICE_MAX		BIT(5)
#define DRLB_CONFIG_BACKEND_MAX		BIT(6)
#define DRLB_CONFIG_SEED		BIT(7)
#define DRLB_CONFIG_FLEET		BIT(8)

void drlb_config_init(struct drlb_net *dn);
int drlb_config_set(struct drlb_net *dn, const struct drlb_config *cfg,
		    struct netlink_ext_ack *extack);

#endif /* _DRLB_CONFIG_H */
