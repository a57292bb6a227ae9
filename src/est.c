// SPDX-License-Identifier: GPL-2.0
/*
 * The rate estimator. Every DRLB_EST_INTERVAL, from the first service of a
 * namespace on, a work item samples the per-CPU counters of the namespace,
 * its services and their backends and keeps the rates over the interval
 * (connections, packets and bytes per second) for the dumps. The packet
 * path pays nothing for it, and a namespace without a service (a real
 * server's, a container's) has no timer at all.
 */
#include "est.h"
#include "service.h"

static void drlb_est_work(struct work_struct *work)
{
	struct drlb_net *dn = container_of(to_delayed_work(work), struct drlb_net, est_work);
	unsigned long elapsed;

	mutex_lock(&dn->lock);
	elapsed = jiffies - dn->est_stamp ?: 1;
	dn->est_stamp += elapsed;
	drlb_est_sample(&dn->est, dn->stats, elapsed);
	drlb_service_est(dn, elapsed);
	mutex_unlock(&dn->lock);
	queue_delayed_work(system_power_efficient_wq, &dn->est_work, DRLB_EST_INTERVAL);
}

void drlb_est_init(struct drlb_net *dn)
{
	INIT_DELAYED_WORK(&dn->est_work, drlb_est_work);
}

/* With the first service (dn->lock held); it runs until the namespace goes. */
void drlb_est_start(struct drlb_net *dn)
{
	lockdep_assert_held(&dn->lock);
	if (dn->est_on)
		return;
	dn->est_on = true;
	dn->est_stamp = jiffies;
	queue_delayed_work(system_power_efficient_wq, &dn->est_work, DRLB_EST_INTERVAL);
}

/* At namespace exit, before its services go (dn->lock not held: the work takes it). */
void drlb_est_stop(struct drlb_net *dn)
{
	cancel_delayed_work_sync(&dn->est_work);
}
