// SPDX-License-Identifier: GPL-2.0
/*
 * drlb: direct-routing layer-4 load balancer. Module and per-netns setup.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>

#include "config.h"
#include "conn.h"
#include "drlb.h"
#include "est.h"
#include "hook.h"
#include "ingress.h"
#include "netlink.h"
#include "proc.h"
#include "service.h"
#include "xdp.h"

unsigned int drlb_net_id __read_mostly;

static int __net_init drlb_net_init(struct net *net)
{
	struct drlb_net *dn = drlb_pernet(net);
	int err;

	dn->net = net;
	mutex_init(&dn->lock);
	INIT_LIST_HEAD(&dn->ingress);
	drlb_est_init(dn);
	drlb_config_init(dn);
	dn->stats = drlb_stats_alloc();
	if (!dn->stats)
		return -ENOMEM;
	err = drlb_proc_init(dn);
	if (err)
		goto err_stats;
	return 0;

err_stats:
	drlb_stats_free(dn->stats);
	return err;
}

/*
 * Unhook first. The core waits for a grace period between ->pre_exit and
 * ->exit (netns teardown and unregister_pernet_subsys() alike), and
 * netfilter hooks run under RCU: once it has passed, no CPU is still in a
 * hook with @dn as its priv, and ->exit may free what the hooks read.
 */
static void __net_exit drlb_net_pre_exit(struct net *net)
{
	struct drlb_net *dn = drlb_pernet(net);

	drlb_ingress_flush(dn);
	drlb_hook_disable(dn);
}

static void __net_exit drlb_net_exit(struct net *net)
{
	struct drlb_net *dn = drlb_pernet(net);

	drlb_proc_exit(dn);
	drlb_est_stop(dn);
	mutex_lock(&dn->lock);
	drlb_service_flush(dn);
	mutex_unlock(&dn->lock);
	drlb_conn_table_destroy(dn->conns);
	drlb_stats_free(dn->stats);
}

/*
 * A device that goes down or away, or changes its MTU: the backends that
 * cached a neighbour on it forget it (a held neighbour holds its device).
 */
static int drlb_netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	switch (event) {
	case NETDEV_DOWN:
	case NETDEV_UNREGISTER:
	case NETDEV_CHANGEMTU:
		drlb_service_dev_event(drlb_pernet(dev_net(dev)), dev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block drlb_netdev_notifier = {
	.notifier_call = drlb_netdev_event,
};

static struct pernet_operations drlb_net_ops = {
	.init = drlb_net_init,
	.pre_exit = drlb_net_pre_exit,
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
	err = drlb_hook_init();
	if (err)
		goto err_cache;
	err = register_pernet_subsys(&drlb_net_ops);
	if (err)
		goto err_hook;
	/* After the namespaces: these hook the devices of each. */
	err = register_netdevice_notifier(&drlb_netdev_notifier);
	if (err)
		goto err_pernet;
	err = drlb_ingress_init();
	if (err)
		goto err_notifier;
	err = drlb_xdp_init();
	if (err)
		goto err_ingress;
	err = drlb_genl_register();
	if (err)
		goto err_ingress;
	pr_info("version %s loaded\n", DRLB_VERSION);
	return 0;

err_ingress:
	drlb_ingress_exit();
err_notifier:
	unregister_netdevice_notifier(&drlb_netdev_notifier);
err_pernet:
	unregister_pernet_subsys(&drlb_net_ops);
err_hook:
	drlb_hook_exit();
err_cache:
	drlb_conn_cache_exit();
	return err;
}

static void __exit drlb_exit(void)
{
	drlb_genl_unregister();
	drlb_ingress_exit();
	unregister_netdevice_notifier(&drlb_netdev_notifier);
	unregister_pernet_subsys(&drlb_net_ops);
	/*
	 * Connections, scheduler states, backend list references and services
	 * are freed by RCU callbacks that queue no further callbacks (a last
	 * backend reference frees at once): one barrier waits for them all.
	 */
	rcu_barrier();
	drlb_hook_exit();
	drlb_conn_cache_exit();
}

module_init(drlb_init);
module_exit(drlb_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("drlb: direct-routing layer-4 load balancer");
MODULE_VERSION(DRLB_VERSION);
MODULE_ALIAS_GENL_FAMILY(DRLB_GENL_NAME);
