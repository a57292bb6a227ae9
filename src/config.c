// SPDX-License-Identifier: GPL-2.0
/*
 * A namespace's settings: timeouts, ceilings, the site seed, whether this
 * director is one of a fleet. The ceilings
 * bound what one namespace may make drlb allocate (all of it is charged to
 * the memory cgroup of whoever configures it, too). Containers administer
 * their own namespaces, but a namespace whose user namespace is not the
 * initial one cannot raise a ceiling past the initial namespace's.
 */
#include <linux/mm.h>
#include <linux/netlink.h>
#include <linux/user_namespace.h>

#include "config.h"
#include "conn.h"
#include "drlb.h"
#include "service.h"

/* About 1/64 of memory for connections at ~100 bytes each. */
static unsigned int drlb_conn_max_default(void)
{
	u64 bytes = (u64)totalram_pages() << PAGE_SHIFT;

	return clamp_t(u64, bytes / 64 / 128, 16384, 1U << 22);
}

static bool drlb_config_contained(const struct drlb_net *dn)
{
	return dn->net->user_ns != &init_user_ns;
}

void drlb_config_init(struct drlb_net *dn)
{
	dn->timeouts.tcp = 900 * HZ;
	dn->timeouts.tcp_fin = 120 * HZ;
	dn->timeouts.tcp_close = 10 * HZ;
	dn->timeouts.udp = 300 * HZ;
	dn->conn_max = drlb_conn_max_default();
	dn->service_max = DRLB_SERVICE_MAX_DEFAULT;
	dn->backend_max = DRLB_BACKEND_MAX_DEFAULT;
	if (drlb_config_contained(dn)) {
		const struct drlb_net *init = drlb_pernet(&init_net);

		dn->conn_max = min(dn->conn_max, READ_ONCE(init->conn_max));
		dn->service_max = min(dn->service_max, READ_ONCE(init->service_max));
		dn->backend_max = min(dn->backend_max, READ_ONCE(init->backend_max));
	}
}

/* Is every ceiling @cfg sets one that @dn may have? */
static int drlb_config_check(const struct drlb_net *dn, const struct drlb_config *cfg,
			     struct netlink_ext_ack *extack)
{
	const struct drlb_net *init = drlb_pernet(&init_net);

	if (!drlb_config_contained(dn))
		return 0;
	if (cfg->set & DRLB_CONFIG_CONN_MAX && cfg->conn_max > READ_ONCE(init->conn_max)) {
		NL_SET_ERR_MSG(extack, "conn-max may not exceed the initial namespace's conn-max");
		return -EPERM;
	}
	if (cfg->set & DRLB_CONFIG_SERVICE_MAX &&
	    cfg->service_max > READ_ONCE(init->service_max)) {
		NL_SET_ERR_MSG(extack,
			       "service-max may not exceed the initial namespace's service-max");
		return -EPERM;
	}
	if (cfg->set & DRLB_CONFIG_BACKEND_MAX &&
	    cfg->backend_max > READ_ONCE(init->backend_max)) {
		NL_SET_ERR_MSG(extack,
			       "backend-max may not exceed the initial namespace's backend-max");
		return -EPERM;
	}
	return 0;
}

static void drlb_config_timeout(unsigned long *to, const struct drlb_config *cfg,
				unsigned int bit, u32 seconds)
{
	if (cfg->set & bit)
		WRITE_ONCE(*to, (unsigned long)seconds * HZ);
}

/* All of @cfg, or on any error none of it (dn->lock held). */
int drlb_config_set(struct drlb_net *dn, const struct drlb_config *cfg,
		    struct netlink_ext_ack *extack)
{
	struct drlb_conn_hash *conn_hash = NULL;
	int err;

	lockdep_assert_held(&dn->lock);
	err = drlb_config_check(dn, cfg, extack);
	if (err)
		return err;
	/* What can fail goes first: the bigger connection table, the reseed. */
	if (cfg->set & DRLB_CONFIG_CONN_MAX && dn->conns) {
		conn_hash = drlb_conn_hash_prepare(dn->conns, cfg->conn_max);
		if (IS_ERR(conn_hash)) {
			NL_SET_ERR_MSG(extack,
				       "no memory for a connection table of conn-max entries");
			return PTR_ERR(conn_hash);
		}
	}
	if (cfg->set & DRLB_CONFIG_SEED) {
		err = drlb_service_reseed(dn, &cfg->seed, extack);
		if (err) {
			drlb_conn_hash_abort(conn_hash);
			return err;
		}
	}
	drlb_config_timeout(&dn->timeouts.tcp, cfg, DRLB_CONFIG_TIMEOUT_TCP, cfg->timeout_tcp);
	drlb_config_timeout(&dn->timeouts.tcp_fin, cfg, DRLB_CONFIG_TIMEOUT_TCP_FIN,
			    cfg->timeout_tcp_fin);
	drlb_config_timeout(&dn->timeouts.tcp_close, cfg, DRLB_CONFIG_TIMEOUT_TCP_CLOSE,
			    cfg->timeout_tcp_close);
	drlb_config_timeout(&dn->timeouts.udp, cfg, DRLB_CONFIG_TIMEOUT_UDP, cfg->timeout_udp);
	if (cfg->set & DRLB_CONFIG_SERVICE_MAX)
		dn->service_max = cfg->service_max;
	if (cfg->set & DRLB_CONFIG_BACKEND_MAX)
		dn->backend_max = cfg->backend_max;
	if (cfg->set & DRLB_CONFIG_FLEET)
		dn->fleet = cfg->fleet;
	if (cfg->set & DRLB_CONFIG_CONN_MAX) {
		WRITE_ONCE(dn->conn_max, cfg->conn_max);
		if (dn->conns)
			drlb_conn_table_set_max(dn->conns, cfg->conn_max, conn_hash);
	}
	return 0;
}
