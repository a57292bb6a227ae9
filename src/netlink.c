// SPDX-License-Identifier: GPL-2.0
/*
 * The "drlb" generic netlink family. This file only translates: it checks
 * attributes, calls the owning file's function under the netns lock and
 * puts the result into messages. See include/uapi/linux/drlb.h.
 */
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <uapi/linux/drlb.h>

#include "backend.h"
#include "check.h"
#include "config.h"
#include "conn.h"
#include "drlb.h"
#include "est.h"
#include "hook.h"
#include "ingress.h"
#include "netlink.h"
#include "sched.h"
#include "service.h"

/* Limits beyond the s16 of NLA_POLICY_RANGE need a range structure. */
static struct netlink_range_validation drlb_persist_range = { .max = DRLB_PERSIST_MAX };

static struct netlink_range_validation drlb_mh_size_range = {
	.min = 2, .max = DRLB_MH_SIZE_MAX,
};

static struct netlink_range_validation drlb_weight_range = { .max = DRLB_WEIGHT_MAX };

static struct netlink_range_validation drlb_timeout_range = {
	.min = 1, .max = DRLB_TIMEOUT_MAX,
};

static struct netlink_range_validation drlb_conn_max_range = {
	.min = 1, .max = DRLB_CONN_MAX_LIMIT,
};

static struct netlink_range_validation drlb_service_max_range = {
	.min = 1, .max = DRLB_SERVICE_MAX_LIMIT,
};

static struct netlink_range_validation drlb_backend_max_range = {
	.min = 1, .max = DRLB_BACKEND_MAX_LIMIT,
};

static const struct nla_policy drlb_svc_policy[DRLB_SVC_A_MAX + 1] = {
	[DRLB_SVC_A_AF] = { .type = NLA_U16 },
	[DRLB_SVC_A_PROTOCOL] = { .type = NLA_U8 },
	[DRLB_SVC_A_ADDR] = NLA_POLICY_EXACT_LEN(sizeof(union nf_inet_addr)),
	[DRLB_SVC_A_PORT] = { .type = NLA_BE16 },
	[DRLB_SVC_A_SCHED] = { .type = NLA_NUL_STRING, .len = DRLB_SCHED_NAME_MAX - 1 },
	[DRLB_SVC_A_PERSIST] = NLA_POLICY_FULL_RANGE(NLA_U32, &drlb_persist_range),
	[DRLB_SVC_A_MH_SIZE] = NLA_POLICY_FULL_RANGE(NLA_U32, &drlb_mh_size_range),
	/* Checked by check.c: its rules depend on the check type. */
	[DRLB_SVC_A_CHECK] = { .type = NLA_NESTED },
};

static const struct nla_policy drlb_be_policy[DRLB_BE_A_MAX + 1] = {
	[DRLB_BE_A_ADDR] = NLA_POLICY_EXACT_LEN(sizeof(union nf_inet_addr)),
	[DRLB_BE_A_WEIGHT] = NLA_POLICY_FULL_RANGE(NLA_U32, &drlb_weight_range),
	[DRLB_BE_A_HEALTH] = NLA_POLICY_RANGE(NLA_U8, DRLB_HEALTH_UP, DRLB_HEALTH_DOWN),
	[DRLB_BE_A_HEALTH_REASON] = { .type = NLA_NUL_STRING,
				      .len = DRLB_HEALTH_REASON_MAX - 1 },
};

static const struct nla_policy drlb_cfg_policy[DRLB_CFG_A_MAX + 1] = {
	[DRLB_CFG_A_TIMEOUT_TCP] = NLA_POLICY_FULL_RANGE(NLA_U32, &drlb_timeout_range),
	[DRLB_CFG_A_TIMEOUT_TCP_FIN] = NLA_POLICY_FULL_RANGE(NLA_U32, &drlb_timeout_range),
	[DRLB_CFG_A_TIMEOUT_TCP_CLOSE] = NLA_POLICY_FULL_RANGE(NLA_U32, &drlb_timeout_range),
	[DRLB_CFG_A_TIMEOUT_UDP] = NLA_POLICY_FULL_RANGE(NLA_U32, &drlb_timeout_range),
	[DRLB_CFG_A_CONN_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32, &drlb_conn_max_range),
	[DRLB_CFG_A_SERVICE_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32, &drlb_service_max_range),
	[DRLB_CFG_A_BACKEND_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32, &drlb_backend_max_range),
	[DRLB_CFG_A_SEED] = NLA_POLICY_EXACT_LEN(sizeof(siphash_key_t)),
	[DRLB_CFG_A_FLEET] = NLA_POLICY_MAX(NLA_U8, 1),
};

const struct nla_policy drlb_nl_policy[DRLB_A_MAX + 1] = {
	[DRLB_A_SERVICE] = NLA_POLICY_NESTED(drlb_svc_policy),
	[DRLB_A_BACKEND] = NLA_POLICY_NESTED(drlb_be_policy),
	[DRLB_A_CONFIG] = NLA_POLICY_NESTED(drlb_cfg_policy),
};

static struct genl_family drlb_family;

enum drlb_nl_mcgrp {
	DRLB_NL_MCGRP_EVENTS,
};

/* What an event says changed: the object as it is now, or a deleted one's key. */
struct drlb_nl_event {
	u8 cmd;
	struct drlb_service *svc;
	struct drlb_backend *be;
	const struct drlb_service_key *key;
	const union nf_inet_addr *addr;
};

static void drlb_nl_notify(struct drlb_net *dn, const struct genl_info *info,
			   const struct drlb_nl_event *ev);

static const struct genl_multicast_group drlb_mcgrps[] = {
	/* What a dump shows, so what a dump needs. */
	[DRLB_NL_MCGRP_EVENTS] = { .name = DRLB_GENL_MCGRP_EVENTS,
				   .flags = GENL_MCAST_CAP_NET_ADMIN },
};

static_assert(DRLB_ST_A_RATE_CONNS + DRLB_EST_BYTES == DRLB_ST_A_RATE_BYTES);
static_assert(sizeof(struct drlb_conn_cursor) <= sizeof_field(struct netlink_callback, ctx));

/* The attribute of each counter (enum drlb_counter). */
static const u8 drlb_nl_stats_attr[DRLB_CNT_MAX] = {
	[DRLB_CNT_PACKETS] = DRLB_ST_A_PACKETS,
	[DRLB_CNT_BYTES] = DRLB_ST_A_BYTES,
	[DRLB_CNT_CONNS] = DRLB_ST_A_CONNS,
	[DRLB_CNT_DROP_NO_BACKEND] = DRLB_ST_A_DROP_NO_BACKEND,
	[DRLB_CNT_DROP_TABLE_FULL] = DRLB_ST_A_DROP_TABLE_FULL,
	[DRLB_CNT_DROP_UNREACHABLE] = DRLB_ST_A_DROP_UNREACHABLE,
	[DRLB_CNT_DROP_BACKEND_GONE] = DRLB_ST_A_DROP_BACKEND_GONE,
	[DRLB_CNT_STATELESS] = DRLB_ST_A_STATELESS,
	[DRLB_CNT_ICMP] = DRLB_ST_A_ICMP,
	[DRLB_CNT_DROP_TOO_BIG] = DRLB_ST_A_DROP_TOO_BIG,
	[DRLB_CNT_DROP_TTL] = DRLB_ST_A_DROP_TTL,
	[DRLB_CNT_HOOK_PREROUTING] = DRLB_ST_A_HOOK_PREROUTING,
	[DRLB_CNT_HOOK_INGRESS] = DRLB_ST_A_HOOK_INGRESS,
	[DRLB_CNT_HOOK_XDP] = DRLB_ST_A_HOOK_XDP,
};

/*
 * The attributes of a dump request. Genetlink validated them already; the
 * parse is repeated here because where it keeps its copy differs between
 * kernel versions.
 */
static int drlb_nl_dump_attrs(struct netlink_callback *cb, struct nlattr **attrs)
{
	return nlmsg_parse(cb->nlh, GENL_HDRLEN, attrs, DRLB_A_MAX, drlb_nl_policy, cb->extack);
}

/*
 * A unicast address of family @af: IPv4 in the first four bytes, zero
 * after. Link-local IPv6 is refused: it names no segment without a device.
 */
static int drlb_nl_addr(const struct nlattr *attr, u8 af, union nf_inet_addr *addr,
			struct netlink_ext_ack *extack)
{
	int type;

	nla_memcpy(addr, attr, sizeof(*addr));
	if (af == AF_INET6) {
		type = ipv6_addr_type(&addr->in6);
		if (!(type & IPV6_ADDR_UNICAST) ||
		    (type & (IPV6_ADDR_LOOPBACK | IPV6_ADDR_MAPPED))) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "address is not a unicast address");
			return -EINVAL;
		}
		if (type & IPV6_ADDR_LINKLOCAL) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "link-local IPv6 addresses are not supported");
			return -EINVAL;
		}
		return 0;
	}
	if (addr->all[1] || addr->all[2] || addr->all[3]) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "IPv4 address with non-zero padding");
		return -EINVAL;
	}
	if (ipv4_is_zeronet(addr->ip) || ipv4_is_multicast(addr->ip) ||
	    ipv4_is_lbcast(addr->ip) || ipv4_is_loopback(addr->ip)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "address is not a unicast address");
		return -EINVAL;
	}
	return 0;
}

int drlb_nl_service_key(struct nlattr **attrs, struct drlb_service_key *key,
			struct nlattr **tb, struct netlink_ext_ack *extack)
{
	struct nlattr *nest = attrs[DRLB_A_SERVICE];
	u16 af;
	int err;

	if (!nest) {
		NL_SET_ERR_MSG(extack, "missing service (DRLB_A_SERVICE)");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, DRLB_SVC_A_MAX, nest, drlb_svc_policy, extack);
	if (err)
		return err;
	if (!tb[DRLB_SVC_A_AF] || !tb[DRLB_SVC_A_PROTOCOL] ||
	    !tb[DRLB_SVC_A_ADDR] || !tb[DRLB_SVC_A_PORT]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "service needs address family, protocol, address and port");
		return -EINVAL;
	}
	memset(key, 0, sizeof(*key));
	/* Checked whole: a u16 such as 0x0102 must not pass as AF_INET. */
	af = nla_get_u16(tb[DRLB_SVC_A_AF]);
	if (af != AF_INET && af != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DRLB_SVC_A_AF],
				    "address family must be AF_INET or AF_INET6");
		return -EAFNOSUPPORT;
	}
	key->af = af;
	key->proto = nla_get_u8(tb[DRLB_SVC_A_PROTOCOL]);
	if (key->proto != IPPROTO_TCP && key->proto != IPPROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DRLB_SVC_A_PROTOCOL], "protocol must be tcp or udp");
		return -EPROTONOSUPPORT;
	}
	key->port = nla_get_be16(tb[DRLB_SVC_A_PORT]);
	if (!key->port) {
		NL_SET_ERR_MSG_ATTR(extack, tb[DRLB_SVC_A_PORT], "service port must not be 0");
		return -EINVAL;
	}
	return drlb_nl_addr(tb[DRLB_SVC_A_ADDR], key->af, &key->addr, extack);
}

int drlb_nl_service_conf(struct nlattr **tb, struct drlb_service_conf *conf,
			 struct netlink_ext_ack *extack)
{
	memset(conf, 0, sizeof(*conf));
	if (tb[DRLB_SVC_A_SCHED]) {
		conf->sched = nla_data(tb[DRLB_SVC_A_SCHED]);
		if (!drlb_sched_find(conf->sched)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[DRLB_SVC_A_SCHED], "unknown scheduler");
			return -ENOENT;
		}
	}
	if (tb[DRLB_SVC_A_PERSIST]) {
		conf->has_persist = true;
		conf->persist = nla_get_u32(tb[DRLB_SVC_A_PERSIST]);
	}
	if (tb[DRLB_SVC_A_MH_SIZE]) {
		conf->mh_size = nla_get_u32(tb[DRLB_SVC_A_MH_SIZE]);
		if (!drlb_mh_size_valid(conf->mh_size)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[DRLB_SVC_A_MH_SIZE],
					    "mh-size must be a prime number");
			return -EINVAL;
		}
	}
	if (tb[DRLB_SVC_A_CHECK]) {
		conf->check = tb[DRLB_SVC_A_CHECK];
		return drlb_check_parse(conf->check, &conf->on_down, extack);
	}
	return 0;
}

static int drlb_nl_service_change(struct sk_buff *skb, struct genl_info *info)
{
	struct drlb_net *dn = drlb_pernet(genl_info_net(info));
	struct nlattr *tb[DRLB_SVC_A_MAX + 1];
	struct drlb_service_conf conf;
	struct drlb_service_key key;
	int err;

	err = drlb_nl_service_key(info->attrs, &key, tb, info->extack);
	if (!err)
		err = drlb_nl_service_conf(tb, &conf, info->extack);
	if (err)
		return err;
	mutex_lock(&dn->lock);
	if (info->genlhdr->cmd == DRLB_CMD_SERVICE_SET) {
		err = drlb_service_set(dn, &key, &conf, info->extack);
	} else {
		err = drlb_hook_enable(dn);
		if (err)
			NL_SET_ERR_MSG(info->extack, "could not hook PRE_ROUTING");
		else
			err = drlb_service_add(dn, &key, &conf, info->extack);
		if (!err)
			drlb_est_start(dn);
	}
	if (!err)
		drlb_nl_notify(dn, info, &(struct drlb_nl_event){
			.cmd = info->genlhdr->cmd, .svc = drlb_service_find(dn, &key, NULL) });
	mutex_unlock(&dn->lock);
	/* RTNL comes before dn->lock, never inside it. */
	if (!err && info->genlhdr->cmd == DRLB_CMD_SERVICE_NEW)
		drlb_ingress_enable(dn);
	return err;
}

static int drlb_nl_service_del(struct sk_buff *skb, struct genl_info *info)
{
	struct drlb_net *dn = drlb_pernet(genl_info_net(info));
	struct nlattr *tb[DRLB_SVC_A_MAX + 1];
	struct drlb_service_key key;
	int err;

	err = drlb_nl_service_key(info->attrs, &key, tb, info->extack);
	if (err)
		return err;
	mutex_lock(&dn->lock);
	err = drlb_service_del(dn, &key, info->extack);
	if (!err)
		drlb_nl_notify(dn, info, &(struct drlb_nl_event){
			.cmd = DRLB_CMD_SERVICE_DEL, .key = &key });
	mutex_unlock(&dn->lock);
	return err;
}

/* The first @ncounters counters of @stats, and the rates of @est. */
static int drlb_nl_put_stats(struct sk_buff *skb, int type, struct drlb_stats __percpu *stats,
			     int ncounters, const struct drlb_est *est)
{
	struct drlb_stats_sum sum;
	struct nlattr *nest;
	int i;

	drlb_stats_read(stats, &sum);
	nest = nla_nest_start(skb, type);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < ncounters; i++)
		if (nla_put_u64_64bit(skb, drlb_nl_stats_attr[i], sum.cnt[i], DRLB_ST_A_PAD))
			return -EMSGSIZE;
	for (i = 0; i < DRLB_EST_MAX; i++)
		if (nla_put_u64_64bit(skb, DRLB_ST_A_RATE_CONNS + i, est->rate[i], DRLB_ST_A_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int drlb_nl_put_key(struct sk_buff *skb, const struct drlb_service_key *key)
{
	if (nla_put_u16(skb, DRLB_SVC_A_AF, key->af) ||
	    nla_put_u8(skb, DRLB_SVC_A_PROTOCOL, key->proto) ||
	    nla_put(skb, DRLB_SVC_A_ADDR, sizeof(key->addr), &key->addr) ||
	    nla_put_be16(skb, DRLB_SVC_A_PORT, key->port))
		return -EMSGSIZE;
	return 0;
}

static int drlb_nl_put_service(struct sk_buff *skb, struct drlb_service *svc)
{
	struct drlb_sched *s = rcu_dereference_protected(svc->sched,
							 lockdep_is_held(&svc->dn->lock));
	struct nlattr *nest = nla_nest_start(skb, DRLB_A_SERVICE);
	u32 digest = drlb_service_digest(svc);

	if (!nest || drlb_nl_put_key(skb, &svc->key) ||
	    nla_put_string(skb, DRLB_SVC_A_SCHED, s->ops->name) ||
	    nla_put_u32(skb, DRLB_SVC_A_PERSIST, svc->persist) ||
	    nla_put_u32(skb, DRLB_SVC_A_MH_SIZE, svc->mh_size) ||
	    nla_put_u32(skb, DRLB_SVC_A_BACKENDS, svc->nr_backends) ||
	    drlb_nl_put_stats(skb, DRLB_SVC_A_STATS, svc->stats, DRLB_CNT_CONNS + 1,
			      &svc->est) ||
	    (svc->check && nla_put(skb, DRLB_SVC_A_CHECK, nla_len(svc->check),
				   nla_data(svc->check))) ||
	    (digest && nla_put_u32(skb, DRLB_SVC_A_DIGEST, digest)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static void *drlb_nl_dump_put(struct sk_buff *skb, struct netlink_callback *cb, u8 cmd)
{
	void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				&drlb_family, NLM_F_MULTI, cmd);

	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

/* cb->args[0]: hash bucket, [1]: services of that bucket already sent. */
static int drlb_nl_service_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct drlb_net *dn = drlb_pernet(sock_net(skb->sk));
	struct nlattr *tb[DRLB_SVC_A_MAX + 1];
	struct nlattr *attrs[DRLB_A_MAX + 1];
	struct drlb_service_key key;
	struct drlb_service *svc;
	bool one;
	int err;

	err = drlb_nl_dump_attrs(cb, attrs);
	if (err)
		return err;
	one = attrs[DRLB_A_SERVICE];
	if (one) {
		err = drlb_nl_service_key(attrs, &key, tb, cb->extack);
		if (err)
			return err;
	}
	mutex_lock(&dn->lock);
	cb->seq = dn->generation;
	for (; cb->args[0] < ARRAY_SIZE(dn->services); cb->args[0]++, cb->args[1] = 0) {
		long i = 0;

		hlist_for_each_entry(svc, &dn->services[cb->args[0]], node) {
			void *hdr;

			if (i++ < cb->args[1])
				continue;
			if (one && memcmp(&svc->key, &key, sizeof(key)))
				continue;
			hdr = drlb_nl_dump_put(skb, cb, DRLB_CMD_SERVICE_GET);
			if (!hdr || drlb_nl_put_service(skb, svc)) {
				if (hdr)
					genlmsg_cancel(skb, hdr);
				goto out;
			}
			genlmsg_end(skb, hdr);
			cb->args[1] = i;
		}
	}
out:
	mutex_unlock(&dn->lock);
	return err ?: skb->len;
}

int drlb_nl_backend_parse(struct nlattr **attrs, struct drlb_service_key *key,
			  union nf_inet_addr *addr, struct nlattr **btb,
			  struct netlink_ext_ack *extack)
{
	struct nlattr *tb[DRLB_SVC_A_MAX + 1];
	int err;

	err = drlb_nl_service_key(attrs, key, tb, extack);
	if (err)
		return err;
	if (!attrs[DRLB_A_BACKEND]) {
		NL_SET_ERR_MSG(extack, "missing backend (DRLB_A_BACKEND)");
		return -EINVAL;
	}
	err = nla_parse_nested(btb, DRLB_BE_A_MAX, attrs[DRLB_A_BACKEND], drlb_be_policy, extack);
	if (err)
		return err;
	if (!btb[DRLB_BE_A_ADDR]) {
		NL_SET_ERR_MSG_ATTR(extack, attrs[DRLB_A_BACKEND],
				    "missing backend address (DRLB_BE_A_ADDR)");
		return -EINVAL;
	}
	return drlb_nl_addr(btb[DRLB_BE_A_ADDR], key->af, addr, extack);
}

/* What a backend request asks, from its DRLB_BE_A_* attributes. */
static int drlb_nl_backend_conf(struct nlattr **btb, u8 cmd, struct drlb_backend_conf *conf,
				const struct nlattr *nest, struct netlink_ext_ack *extack)
{
	memset(conf, 0, sizeof(*conf));
	conf->weight = 1;
	if (btb[DRLB_BE_A_WEIGHT]) {
		conf->has_weight = true;
		conf->weight = nla_get_u32(btb[DRLB_BE_A_WEIGHT]);
	}
	if (btb[DRLB_BE_A_HEALTH] && cmd != DRLB_CMD_BACKEND_SET) {
		NL_SET_ERR_MSG_ATTR(extack, btb[DRLB_BE_A_HEALTH],
				    "health is set on a backend that exists (DRLB_CMD_BACKEND_SET)");
		return -EINVAL;
	}
	if (btb[DRLB_BE_A_HEALTH_REASON] && !btb[DRLB_BE_A_HEALTH]) {
		NL_SET_ERR_MSG_ATTR(extack, btb[DRLB_BE_A_HEALTH_REASON],
				    "a health reason needs a health (DRLB_BE_A_HEALTH)");
		return -EINVAL;
	}
	if (btb[DRLB_BE_A_HEALTH]) {
		conf->has_health = true;
		conf->health = nla_get_u8(btb[DRLB_BE_A_HEALTH]);
		if (btb[DRLB_BE_A_HEALTH_REASON])
			conf->reason = nla_data(btb[DRLB_BE_A_HEALTH_REASON]);
	}
	if (cmd == DRLB_CMD_BACKEND_SET && !conf->has_weight && !conf->has_health) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "missing backend weight or health (DRLB_BE_A_WEIGHT, DRLB_BE_A_HEALTH)");
		return -EINVAL;
	}
	return 0;
}

static int drlb_nl_backend_change(struct sk_buff *skb, struct genl_info *info)
{
	struct drlb_net *dn = drlb_pernet(genl_info_net(info));
	struct nlattr *btb[DRLB_BE_A_MAX + 1];
	u8 cmd = info->genlhdr->cmd;
	struct drlb_backend_conf conf;
	struct drlb_service_key key;
	struct drlb_service *svc;
	union nf_inet_addr addr;
	int err;

	err = drlb_nl_backend_parse(info->attrs, &key, &addr, btb, info->extack);
	if (!err)
		err = drlb_nl_backend_conf(btb, cmd, &conf, info->attrs[DRLB_A_BACKEND],
					   info->extack);
	if (err)
		return err;

	mutex_lock(&dn->lock);
	svc = drlb_service_find(dn, &key, info->extack);
	if (!svc)
		err = -ENOENT;
	else if (cmd == DRLB_CMD_BACKEND_NEW)
		err = drlb_service_backend_add(svc, &addr, conf.weight, info->extack);
	else if (cmd == DRLB_CMD_BACKEND_SET)
		err = drlb_service_backend_set(svc, &addr, &conf, info->extack);
	else
		err = drlb_service_backend_del(svc, &addr, info->extack);
	if (!err)
		drlb_nl_notify(dn, info, &(struct drlb_nl_event){
			.cmd = cmd, .svc = svc, .be = drlb_service_backend_find(svc, &addr),
			.addr = &addr });
	mutex_unlock(&dn->lock);
	if (err && !info->extack->bad_attr)
		info->extack->bad_attr = svc ? btb[DRLB_BE_A_ADDR] : info->attrs[DRLB_A_SERVICE];
	return err;
}

static int drlb_nl_put_backend(struct sk_buff *skb, struct drlb_service *svc,
			       struct drlb_backend *be)
{
	struct nlattr *nest = nla_nest_start(skb, DRLB_A_SERVICE);

	if (!nest || drlb_nl_put_key(skb, &svc->key))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	nest = nla_nest_start(skb, DRLB_A_BACKEND);
	if (!nest || nla_put(skb, DRLB_BE_A_ADDR, sizeof(be->addr), &be->addr) ||
	    nla_put_u32(skb, DRLB_BE_A_WEIGHT, be->weight) ||
	    nla_put_u32(skb, DRLB_BE_A_ACTIVE, atomic_read(&be->active)) ||
	    nla_put_u32(skb, DRLB_BE_A_INACTIVE, atomic_read(&be->inactive)) ||
	    nla_put_u32(skb, DRLB_BE_A_IFINDEX, be->ifindex) ||
	    drlb_nl_put_stats(skb, DRLB_BE_A_STATS, be->stats, DRLB_CNT_CONNS + 1,
			      &be->est) ||
	    nla_put_u8(skb, DRLB_BE_A_HEALTH, be->health) ||
	    nla_put_u32(skb, DRLB_BE_A_HEALTH_AGE,
			jiffies_to_msecs(jiffies - be->health_since) / MSEC_PER_SEC) ||
	    (be->health_reason[0] &&
	     nla_put_string(skb, DRLB_BE_A_HEALTH_REASON, be->health_reason)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* cb->args[0]: backends already sent. */
static int drlb_nl_backend_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct drlb_net *dn = drlb_pernet(sock_net(skb->sk));
	struct nlattr *tb[DRLB_SVC_A_MAX + 1];
	struct nlattr *attrs[DRLB_A_MAX + 1];
	struct drlb_service_key key;
	struct drlb_service *svc;
	struct drlb_backend *be;
	long i = 0;
	int err;

	err = drlb_nl_dump_attrs(cb, attrs);
	if (!err)
		err = drlb_nl_service_key(attrs, &key, tb, cb->extack);
	if (err)
		return err;
	mutex_lock(&dn->lock);
	cb->seq = dn->generation;
	svc = drlb_service_find(dn, &key, cb->extack);
	if (!svc) {
		err = -ENOENT;
		goto out;
	}
	list_for_each_entry(be, &svc->backends, list) {
		void *hdr;

		if (i++ < cb->args[0])
			continue;
		hdr = drlb_nl_dump_put(skb, cb, DRLB_CMD_BACKEND_GET);
		if (!hdr || drlb_nl_put_backend(skb, svc, be)) {
			if (hdr)
				genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = i;
	}
out:
	mutex_unlock(&dn->lock);
	return err ?: skb->len;
}

static int drlb_nl_put_conn(struct sk_buff *skb, const struct drlb_conn *c)
{
	const struct drlb_conn_key *k = &c->key;
	long left = READ_ONCE(c->expires) - jiffies;
	struct nlattr *nest = nla_nest_start(skb, DRLB_A_CONN);

	if (!nest || nla_put_u16(skb, DRLB_CONN_A_AF, k->af) ||
	    nla_put_u8(skb, DRLB_CONN_A_PROTOCOL, k->proto) ||
	    nla_put(skb, DRLB_CONN_A_CADDR, sizeof(k->caddr), &k->caddr) ||
	    nla_put_be16(skb, DRLB_CONN_A_CPORT, k->cport) ||
	    nla_put(skb, DRLB_CONN_A_VADDR, sizeof(k->vaddr), &k->vaddr) ||
	    nla_put_be16(skb, DRLB_CONN_A_VPORT, k->vport) ||
	    nla_put(skb, DRLB_CONN_A_DADDR, sizeof(c->backend->addr), &c->backend->addr) ||
	    nla_put_u8(skb, DRLB_CONN_A_STATE, READ_ONCE(c->state)) ||
	    nla_put_u32(skb, DRLB_CONN_A_EXPIRES, max(left, 0L) / HZ))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

struct drlb_nl_conn_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	const struct drlb_service_key *key;	/* NULL: every service */
};

/* Put out @c if the dump wants it: 1 if put, 0 if not wanted, <0 if full. */
static int drlb_nl_conn_emit(const struct drlb_conn *c, void *arg)
{
	struct drlb_nl_conn_dump *d = arg;
	void *hdr;

	if (drlb_conn_expired(c) || READ_ONCE(c->state) == DRLB_CONN_UNLINKED ||
	    (d->key && !drlb_service_owns_conn(d->key, c)))
		return 0;
	hdr = drlb_nl_dump_put(d->skb, d->cb, DRLB_CMD_CONN_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (drlb_nl_put_conn(d->skb, c)) {
		genlmsg_cancel(d->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(d->skb, hdr);
	return 1;
}

/*
 * The cursor (cb->ctx) is the last connection put out, so that entries
 * coming and going elsewhere in its bucket neither skip nor repeat any;
 * when that entry itself is gone, the bucket is walked again and the
 * messages from then on carry NLM_F_DUMP_INTR.
 */
static int drlb_nl_conn_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct drlb_conn_cursor *cur = (struct drlb_conn_cursor *)cb->ctx;
	struct drlb_net *dn = drlb_pernet(sock_net(skb->sk));
	/* Pairs with drlb_conn_table_ensure()'s release. */
	struct drlb_conn_table *t = smp_load_acquire(&dn->conns);
	struct nlattr *tb[DRLB_SVC_A_MAX + 1];
	struct nlattr *attrs[DRLB_A_MAX + 1];
	struct drlb_nl_conn_dump d = {
		.skb = skb,
		.cb = cb,
	};
	struct drlb_service_key key;
	int err;

	err = drlb_nl_dump_attrs(cb, attrs);
	if (err)
		return err;
	if (attrs[DRLB_A_SERVICE]) {
		err = drlb_nl_service_key(attrs, &key, tb, cb->extack);
		if (err)
			return err;
		d.key = &key;
	}
	if (!t)
		return 0;
	cb->seq = 1 + cur->restarts;
	drlb_conn_walk_from(t, cur, drlb_nl_conn_emit, &d);
	cb->seq = 1 + cur->restarts;
	return skb->len;
}

static int drlb_nl_conn_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct drlb_net *dn = drlb_pernet(genl_info_net(info));

	mutex_lock(&dn->lock);
	if (dn->conns)
		drlb_conn_flush_all(dn->conns);
	drlb_nl_notify(dn, info, &(struct drlb_nl_event){ .cmd = DRLB_CMD_CONN_FLUSH });
	mutex_unlock(&dn->lock);
	return 0;
}

static int drlb_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct drlb_net *dn = drlb_pernet(genl_info_net(info));

	mutex_lock(&dn->lock);
	drlb_service_flush(dn);
	drlb_nl_notify(dn, info, &(struct drlb_nl_event){ .cmd = DRLB_CMD_FLUSH });
	mutex_unlock(&dn->lock);
	return 0;
}

static int drlb_nl_put_config(struct sk_buff *skb, struct drlb_net *dn)
{
	const struct drlb_timeouts *to = &dn->timeouts;
	struct nlattr *nest = nla_nest_start(skb, DRLB_A_CONFIG);

	lockdep_assert_held(&dn->lock);
	if (!nest || nla_put_u32(skb, DRLB_CFG_A_TIMEOUT_TCP, to->tcp / HZ) ||
	    nla_put_u32(skb, DRLB_CFG_A_TIMEOUT_TCP_FIN, to->tcp_fin / HZ) ||
	    nla_put_u32(skb, DRLB_CFG_A_TIMEOUT_TCP_CLOSE, to->tcp_close / HZ) ||
	    nla_put_u32(skb, DRLB_CFG_A_TIMEOUT_UDP, to->udp / HZ) ||
	    nla_put_u32(skb, DRLB_CFG_A_CONN_MAX, dn->conn_max) ||
	    nla_put_u32(skb, DRLB_CFG_A_CONN_COUNT,
			dn->conns ? atomic_read(&dn->conns->count) : 0) ||
	    nla_put_string(skb, DRLB_CFG_A_VERSION, DRLB_VERSION) ||
	    nla_put_u32(skb, DRLB_CFG_A_SERVICE_MAX, dn->service_max) ||
	    nla_put_u32(skb, DRLB_CFG_A_BACKEND_MAX, dn->backend_max) ||
	    nla_put(skb, DRLB_CFG_A_SEED, sizeof(dn->seed), &dn->seed) ||
	    nla_put_u8(skb, DRLB_CFG_A_FLEET, dn->fleet))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return drlb_nl_put_stats(skb, DRLB_A_STATS, dn->stats, DRLB_CNT_MAX, &dn->est);
}

/* The attributes of @ev, as a dump would put them. */
static int drlb_nl_put_event(struct sk_buff *skb, struct drlb_net *dn,
			     const struct drlb_nl_event *ev)
{
	struct nlattr *nest;

	if (ev->be)
		return drlb_nl_put_backend(skb, ev->svc, ev->be);
	if (ev->addr) {
		nest = nla_nest_start(skb, DRLB_A_SERVICE);
		if (!nest || drlb_nl_put_key(skb, &ev->svc->key))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
		nest = nla_nest_start(skb, DRLB_A_BACKEND);
		if (!nest || nla_put(skb, DRLB_BE_A_ADDR, sizeof(*ev->addr), ev->addr))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
		return 0;
	}
	if (ev->svc)
		return drlb_nl_put_service(skb, ev->svc);
	if (ev->key) {
		nest = nla_nest_start(skb, DRLB_A_SERVICE);
		if (!nest || drlb_nl_put_key(skb, ev->key))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
		return 0;
	}
	if (ev->cmd == DRLB_CMD_CONFIG_SET)
		return drlb_nl_put_config(skb, dn);
	return 0;
}

/*
 * Announce a change to the events group of @dn's namespace, under dn->lock
 * so that events come in the order of the changes. As rtnetlink does, the
 * header carries the port and sequence number of the request that made the
 * change, so that a listener can tell its own changes (drlbd, setting
 * health) from others'. If the event cannot be made, listeners get
 * ENOBUFS, as for one lost to a full socket buffer, and know to dump again.
 */
static void drlb_nl_notify(struct drlb_net *dn, const struct genl_info *info,
			   const struct drlb_nl_event *ev)
{
	struct sk_buff *msg;
	void *hdr;

	lockdep_assert_held(&dn->lock);
	if (!genl_has_listeners(&drlb_family, dn->net, DRLB_NL_MCGRP_EVENTS))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		goto err;
	hdr = genlmsg_put(msg, info->snd_portid, info->snd_seq, &drlb_family, 0, ev->cmd);
	if (!hdr || drlb_nl_put_event(msg, dn, ev)) {
		nlmsg_free(msg);
		goto err;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&drlb_family, dn->net, msg, 0, DRLB_NL_MCGRP_EVENTS,
				GFP_KERNEL);
	return;
err:
	genl_set_err(&drlb_family, dn->net, 0, DRLB_NL_MCGRP_EVENTS, ENOBUFS);
}

static int drlb_nl_config_get(struct sk_buff *skb, struct genl_info *info)
{
	struct drlb_net *dn = drlb_pernet(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &drlb_family, 0, DRLB_CMD_CONFIG_GET);
	if (!hdr) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	mutex_lock(&dn->lock);
	err = drlb_nl_put_config(msg, dn);
	mutex_unlock(&dn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* Attribute @type of @tb into @val, and its bit into @cfg->set. */
static void drlb_nl_config_u32(struct nlattr **tb, int type, struct drlb_config *cfg,
			       unsigned int bit, u32 *val)
{
	if (!tb[type])
		return;
	*val = nla_get_u32(tb[type]);
	cfg->set |= bit;
}

static int drlb_nl_config_set(struct sk_buff *skb, struct genl_info *info)
{
	struct drlb_net *dn = drlb_pernet(genl_info_net(info));
	struct nlattr *tb[DRLB_CFG_A_MAX + 1];
	struct drlb_config cfg = {};
	int err;

	if (!info->attrs[DRLB_A_CONFIG]) {
		NL_SET_ERR_MSG(info->extack, "missing configuration (DRLB_A_CONFIG)");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, DRLB_CFG_A_MAX, info->attrs[DRLB_A_CONFIG],
			       drlb_cfg_policy, info->extack);
	if (err)
		return err;
	drlb_nl_config_u32(tb, DRLB_CFG_A_TIMEOUT_TCP, &cfg, DRLB_CONFIG_TIMEOUT_TCP,
			   &cfg.timeout_tcp);
	drlb_nl_config_u32(tb, DRLB_CFG_A_TIMEOUT_TCP_FIN, &cfg, DRLB_CONFIG_TIMEOUT_TCP_FIN,
			   &cfg.timeout_tcp_fin);
	drlb_nl_config_u32(tb, DRLB_CFG_A_TIMEOUT_TCP_CLOSE, &cfg, DRLB_CONFIG_TIMEOUT_TCP_CLOSE,
			   &cfg.timeout_tcp_close);
	drlb_nl_config_u32(tb, DRLB_CFG_A_TIMEOUT_UDP, &cfg, DRLB_CONFIG_TIMEOUT_UDP,
			   &cfg.timeout_udp);
	drlb_nl_config_u32(tb, DRLB_CFG_A_CONN_MAX, &cfg, DRLB_CONFIG_CONN_MAX, &cfg.conn_max);
	drlb_nl_config_u32(tb, DRLB_CFG_A_SERVICE_MAX, &cfg, DRLB_CONFIG_SERVICE_MAX,
			   &cfg.service_max);
	drlb_nl_config_u32(tb, DRLB_CFG_A_BACKEND_MAX, &cfg, DRLB_CONFIG_BACKEND_MAX,
			   &cfg.backend_max);
	if (tb[DRLB_CFG_A_SEED]) {
		nla_memcpy(&cfg.seed, tb[DRLB_CFG_A_SEED], sizeof(cfg.seed));
		cfg.set |= DRLB_CONFIG_SEED;
	}
	if (tb[DRLB_CFG_A_FLEET]) {
		cfg.fleet = nla_get_u8(tb[DRLB_CFG_A_FLEET]);
		cfg.set |= DRLB_CONFIG_FLEET;
	}
	mutex_lock(&dn->lock);
	err = drlb_config_set(dn, &cfg, info->extack);
	if (!err)
		drlb_nl_notify(dn, info, &(struct drlb_nl_event){ .cmd = DRLB_CMD_CONFIG_SET });
	mutex_unlock(&dn->lock);
	return err;
}

static const struct genl_small_ops drlb_ops[] = {
	{
		.cmd = DRLB_CMD_SERVICE_NEW,
		.doit = drlb_nl_service_change,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DRLB_CMD_SERVICE_SET,
		.doit = drlb_nl_service_change,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DRLB_CMD_SERVICE_DEL,
		.doit = drlb_nl_service_del,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DRLB_CMD_SERVICE_GET,
		.dumpit = drlb_nl_service_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DRLB_CMD_BACKEND_NEW,
		.doit = drlb_nl_backend_change,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DRLB_CMD_BACKEND_SET,
		.doit = drlb_nl_backend_change,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DRLB_CMD_BACKEND_DEL,
		.doit = drlb_nl_backend_change,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DRLB_CMD_BACKEND_GET,
		.dumpit = drlb_nl_backend_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DRLB_CMD_CONN_GET,
		.dumpit = drlb_nl_conn_dump,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DRLB_CMD_CONN_FLUSH,
		.doit = drlb_nl_conn_flush,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DRLB_CMD_FLUSH,
		.doit = drlb_nl_flush,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DRLB_CMD_CONFIG_GET,
		.doit = drlb_nl_config_get,
		.flags = GENL_UNS_ADMIN_PERM,
	}, {
		.cmd = DRLB_CMD_CONFIG_SET,
		.doit = drlb_nl_config_set,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family drlb_family = {
	.name = DRLB_GENL_NAME,
	.version = DRLB_GENL_VERSION,
	.maxattr = DRLB_A_MAX,
	.policy = drlb_nl_policy,
	.netnsok = true,
	/* Without genl_mutex: dn->lock serialises each namespace's changes. */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.small_ops = drlb_ops,
	.n_small_ops = ARRAY_SIZE(drlb_ops),
	.mcgrps = drlb_mcgrps,
	.n_mcgrps = ARRAY_SIZE(drlb_mcgrps),
};

int __init drlb_genl_register(void)
{
	return genl_register_family(&drlb_family);
}

void drlb_genl_unregister(void)
{
	genl_unregister_family(&drlb_family);
}
