// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/net/drlb: services and backends at a glance, like /proc/net/ip_vs.
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "backend.h"
#include "conn.h"
#include "proc.h"
#include "sched.h"
#include "service.h"

static const char *drlb_proto_name(u8 proto)
{
	return proto == IPPROTO_TCP ? "TCP" : "UDP";
}

static void drlb_proc_service(struct seq_file *seq, struct drlb_service *svc)
{
	struct drlb_sched *s = rcu_dereference_protected(svc->sched,
							 lockdep_is_held(&svc->dn->lock));
	struct drlb_stats_sum sum;
	struct drlb_backend *be;

	drlb_stats_read(svc->stats, &sum);
	if (svc->key.af == AF_INET)
		seq_printf(seq, "%s  %pI4:%u", drlb_proto_name(svc->key.proto), &svc->key.addr.ip,
			   ntohs(svc->key.port));
	else
		seq_printf(seq, "%s  [%pI6c]:%u", drlb_proto_name(svc->key.proto),
			   &svc->key.addr.in6, ntohs(svc->key.port));
	seq_printf(seq, " %s persist %u  %llu %llu %llu\n",
		   s->ops->name, svc->persist, sum.cnt[DRLB_CNT_CONNS],
		   sum.cnt[DRLB_CNT_PACKETS], sum.cnt[DRLB_CNT_BYTES]);
	list_for_each_entry(be, &svc->backends, list) {
		drlb_stats_read(be->stats, &sum);
		if (svc->key.af == AF_INET)
			seq_printf(seq, "  -> %-15pI4", &be->addr.ip);
		else
			seq_printf(seq, "  -> %pI6c", &be->addr.in6);
		seq_printf(seq, " %6u %10d %10d  %llu %llu %llu\n", be->weight,
			   atomic_read(&be->active), atomic_read(&be->inactive),
			   sum.cnt[DRLB_CNT_CONNS], sum.cnt[DRLB_CNT_PACKETS],
			   sum.cnt[DRLB_CNT_BYTES]);
	}
}

static int drlb_proc_show(struct seq_file *seq, void *v)
{
	struct drlb_net *dn = drlb_pernet(seq_file_single_net(seq));
	struct drlb_service *svc;
	int i;

	mutex_lock(&dn->lock);
	seq_printf(seq, "drlb %s  connections %u/%u  buckets %u\n", DRLB_VERSION,
		   dn->conns ? atomic_read(&dn->conns->count) : 0, dn->conn_max,
		   dn->conns ? drlb_conn_nbuckets(dn->conns) : 0);
	seq_puts(seq, "Prot VIP:Port Scheduler Persist  Conns Packets Bytes\n");
	seq_puts(seq, "  -> Backend Weight ActiveConn InActConn  Conns Packets Bytes\n");
	for (i = 0; i < ARRAY_SIZE(dn->services); i++)
		hlist_for_each_entry(svc, &dn->services[i], node)
			drlb_proc_service(seq, svc);
	mutex_unlock(&dn->lock);
	return 0;
}

int drlb_proc_init(struct drlb_net *dn)
{
	if (!proc_create_net_single("drlb", 0444, dn->net->proc_net, drlb_proc_show, NULL))
		return -ENOMEM;
	return 0;
}

void drlb_proc_exit(struct drlb_net *dn)
{
	remove_proc_entry("drlb", dn->net->proc_net);
}
