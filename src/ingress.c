// SPDX-License-Identifier: GPL-2.0
/*
 * ingress_hook=1: drlb's netdev ingress hook (hook.c's drlb_hook_ingress) on
 * every device but loopback of every namespace with a service, from its
 * first service on, and on every device registered there after it.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/netfilter_netdev.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "drlb.h"
#include "hook.h"
#include "ingress.h"

static bool ingress_hook;
module_param(ingress_hook, bool, 0444);
MODULE_PARM_DESC(ingress_hook,
		 "also take service packets at each device's netdev ingress, before IP input (default 0)");

#ifdef CONFIG_NETFILTER_INGRESS
/* One device's netdev ingress hook. */
struct drlb_ingress {
	struct list_head list;		/* drlb_net.ingress, RTNL */
	struct nf_hook_ops ops;
};

static int drlb_ingress_add(struct drlb_net *dn, struct net_device *dev)
{
	struct drlb_ingress *in;
	int err;

	in = kzalloc(sizeof(*in), DRLB_GFP);
	if (!in)
		return -ENOMEM;
	in->ops.hook = drlb_hook_ingress;
	in->ops.pf = NFPROTO_NETDEV;
	in->ops.hooknum = NF_NETDEV_INGRESS;
	in->ops.priority = 0;
	in->ops.dev = dev;
	in->ops.priv = dn;
	err = nf_register_net_hook(dn->net, &in->ops);
	if (err) {
		kfree(in);
		return err;
	}
	list_add(&in->list, &dn->ingress);
	return 0;
}

static void drlb_ingress_del(struct drlb_net *dn, struct net_device *dev)
{
	struct drlb_ingress *in, *tmp;

	list_for_each_entry_safe(in, tmp, &dn->ingress, list) {
		if (dev && in->ops.dev != dev)
			continue;
		nf_unregister_net_hook(dn->net, &in->ops);
		list_del(&in->list);
		kfree(in);
	}
}

/*
 * From its first service on, every device of a namespace but loopback has
 * the hook while it is registered; namespaces without a service (the real
 * servers', a bridge's) pay nothing.
 */
void drlb_ingress_enable(struct drlb_net *dn)
{
	struct net_device *dev;

	if (!ingress_hook || READ_ONCE(dn->ingress_on))
		return;
	/* RTNL, then dn->lock, as WireGuard orders RTNL and device_update_lock. */
	rtnl_lock();
	if (!dn->ingress_on) {
		/* A device left without one is still served at PRE_ROUTING. */
		for_each_netdev(dn->net, dev)
			if (!(dev->flags & IFF_LOOPBACK))
				drlb_ingress_add(dn, dev);
		WRITE_ONCE(dn->ingress_on, true);
	}
	rtnl_unlock();
}

static int drlb_netdev_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct drlb_net *dn = drlb_pernet(dev_net(dev));

	if (dev->flags & IFF_LOOPBACK)
		return NOTIFY_DONE;
	switch (event) {
	case NETDEV_REGISTER:
		/* Never veto a device: without the hook it is served at PRE_ROUTING. */
		if (dn->ingress_on && drlb_ingress_add(dn, dev))
			net_warn_ratelimited("%s: no memory for its ingress hook; PRE_ROUTING serves it\n",
					     dev->name);
		break;
	case NETDEV_UNREGISTER:
		drlb_ingress_del(dn, dev);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block drlb_netdev_notifier = {
	.notifier_call = drlb_netdev_event,
};

int drlb_ingress_init(void)
{
	return ingress_hook ? register_netdevice_notifier(&drlb_netdev_notifier) : 0;
}

void drlb_ingress_exit(void)
{
	if (ingress_hook)
		unregister_netdevice_notifier(&drlb_netdev_notifier);
}

/*
 * The namespace or the module is going (pre_exit): its devices lose the
 * hook, and no device registered from now on gets one.
 */
void drlb_ingress_flush(struct drlb_net *dn)
{
	rtnl_lock();
	WRITE_ONCE(dn->ingress_on, false);
	drlb_ingress_del(dn, NULL);
	rtnl_unlock();
}
#else
int drlb_ingress_init(void)
{
	return ingress_hook ? -EOPNOTSUPP : 0;
}

void drlb_ingress_exit(void)
{
}

void drlb_ingress_enable(struct drlb_net *dn)
{
}

void drlb_ingress_flush(struct drlb_net *dn)
{
}
#endif
