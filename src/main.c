// SPDX-License-Identifier: GPL-2.0
/*
 * drlb: direct-routing layer-4 load balancer. Module and per-netns setup.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/module.h>
#include <net/genetlink.h>

#include "conn.h"
#include "drlb.h"
#include "hook.h"
#include "netlink.h"
#include "proc.h"
#include "service.h"

unsigned int drlb_net_id __read_mostly;

/* About 1/64 of memory for connections at ~100 bytes each. */
static unsigned int drlb_conn_max_default(void)
{
	u64 bytes = (u64)totalram_pages() << PAGE_SHIFT;

	return clamp_t(u64, bytes / 64 / 128, 16384, 1U << 22);
}

static int __net_init drlb_net_init(struct net *net)
{
	struct drlb_net *dn = drlb_pernet(net);
	int err;

	dn->net = net;
	mutex_init(&dn->lock);
	dn->timeouts.tcp = 900 * HZ;
	dn->timeouts.tcp_fin = 120 * HZ;
	dn->timeouts.tcp_close = 10 * HZ;
	dn->timeouts.udp = 300 * HZ;
	dn->conn_max = drlb_conn_max_default();
	dn->stats = drlb_stats_alloc();
	if (!dn->stats)
		return -ENOMEM;
	err = drlb_proc_init(dn);
	if (err)
		goto err_stats;
	err = drlb_hook_register(dn);
	if (err)
		goto err_proc;
	return 0;

err_proc:
	drlb_proc_exit(dn);
err_stats:
	drlb_stats_free(dn->stats);
	return err;
}

static void __net_exit drlb_net_exit(struct net *net)
{
	struct drlb_net *dn = drlb_pernet(net);

	/* Unregistering waits for packets in flight (synchronize_net). */
	drlb_hook_unregister(dn);
	drlb_proc_exit(dn);
	mutex_lock(&dn->lock);
	drlb_service_flush(dn);
	mutex_unlock(&dn->lock);
	drlb_conn_table_destroy(dn->conns);
	drlb_stats_free(dn->stats);
}

static struct pernet_operations drlb_net_ops = {
	.init = drlb_net_init,
	.exit = drlb_net_exit,
	.id = &drlb_net_id,
	.size = sizeof(struct drlb_net),
};

static int __init drlb_init(void)
{
	int err;

	err = drlb_conn_cache_init();
	if (err)
		return err;
	err = register_pernet_subsys(&drlb_net_ops);
	if (err)
		goto err_cache;
	/* After the namespaces: it hooks the devices of each. */
	err = drlb_ingress_init();
	if (err)
		goto err_pernet;
	err = drlb_genl_register();
	if (err)
		goto err_ingress;
	pr_info("version %s loaded\n", DRLB_VERSION);
	return 0;

err_ingress:
	drlb_ingress_exit();
err_pernet:
	unregister_pernet_subsys(&drlb_net_ops);
err_cache:
	drlb_conn_cache_exit();
	return err;
}

static void __exit drlb_exit(void)
{
	drlb_genl_unregister();
	drlb_ingress_exit();
	unregister_pernet_subsys(&drlb_net_ops);
	/* Connections, backends and services are freed by RCU callbacks. */
	rcu_barrier();
	drlb_conn_cache_exit();
}

module_init(drlb_init);
module_exit(drlb_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("drlb: direct-routing layer-4 load balancer");
MODULE_VERSION(DRLB_VERSION);
MODULE_ALIAS_GENL_FAMILY(DRLB_GENL_NAME);
