// SPDX-License-Identifier: GPL-2.0
/*
 * drctl metrics [FILE]: the module's counters in Prometheus's text format,
 * for node_exporter's textfile collector (FILE is replaced atomically, as
 * the collector needs) or, through drlbd --metrics, scraped directly.
 *
 * Names follow node_exporter's ipvs collector where it has one
 * (node_ipvs_connections_total becomes drlb_connections_total, and so on;
 * labels proto, vip, port and backend), prefixed drlb_; the rest is what
 * IPVS cannot say: health, the connection table, stateless placements,
 * drops by reason, ICMP errors, table-full events and packets per hook.
 * Every family is written whole, with its HELP and TYPE lines, and a
 * service's or backend's family exists (empty) even with none configured.
 */
#include <errno.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "config.h"
#include "metrics.h"
#include "msg.h"
#include "output.h"
#include "parse.h"
#include "service.h"

const char metrics_usage[] =
	"drctl metrics [FILE]   (Prometheus text format; FILE is replaced atomically,\n"
	"                        for node_exporter's textfile collector)\n";

enum metric_scope { SCOPE_DIRECTOR, SCOPE_SERVICE, SCOPE_BACKEND };

/* What a sample is read from. */
struct metric_src {
	const struct config_info *cfg;
	const struct service_info *svc;
	const struct backend_info *be;
};

/* A sample of the scope's counters (struct drlb_stats), or of value(). */
struct metric {
	const char *name;
	const char *type;		/* counter or gauge */
	const char *help;
	enum metric_scope scope;
	size_t stat;			/* offsetof(struct drlb_stats, ...), without value */
	uint64_t (*value)(const struct metric_src *src);
};

static uint64_t dir_entries(const struct metric_src *src) { return src->cfg->conn_count; }
static uint64_t dir_limit(const struct metric_src *src) { return src->cfg->conn_max; }
static uint64_t svc_backends(const struct metric_src *src) { return src->svc->backend_total; }
static uint64_t be_active(const struct metric_src *src) { return src->be->active; }
static uint64_t be_inactive(const struct metric_src *src) { return src->be->inactive; }
static uint64_t be_weight(const struct metric_src *src) { return src->be->weight; }

#define STAT(field)	offsetof(struct drlb_stats, field)

static const struct metric metrics[] = {
	{ "drlb_connections_total", "counter", "Connections scheduled.",
	  SCOPE_DIRECTOR, STAT(conns), NULL },
	{ "drlb_incoming_packets_total", "counter", "Packets forwarded to backends.",
	  SCOPE_DIRECTOR, STAT(packets), NULL },
	{ "drlb_incoming_bytes_total", "counter", "Bytes forwarded to backends.",
	  SCOPE_DIRECTOR, STAT(bytes), NULL },
	{ "drlb_conn_table_entries", "gauge", "Entries in the connection table.",
	  SCOPE_DIRECTOR, 0, dir_entries },
	{ "drlb_conn_table_limit", "gauge", "Entries the connection table holds at most.",
	  SCOPE_DIRECTOR, 0, dir_limit },
	{ "drlb_stateless_total", "counter",
	  "Packets placed by Maglev with no table entry (mid-stream, or the table full).",
	  SCOPE_DIRECTOR, STAT(stateless), NULL },
	{ "drlb_table_full_total", "counter",
	  "New connections that found the table full and went the stateless way.",
	  SCOPE_DIRECTOR, STAT(drop_table_full), NULL },
	{ "drlb_icmp_errors_forwarded_total", "counter",
	  "ICMP errors forwarded to the backend of the flow they quote.",
	  SCOPE_DIRECTOR, STAT(icmp), NULL },
	{ "drlb_service_connections_total", "counter", "Connections scheduled, per service.",
	  SCOPE_SERVICE, STAT(conns), NULL },
	{ "drlb_service_incoming_packets_total", "counter", "Packets forwarded, per service.",
	  SCOPE_SERVICE, STAT(packets), NULL },
	{ "drlb_service_incoming_bytes_total", "counter", "Bytes forwarded, per service.",
	  SCOPE_SERVICE, STAT(bytes), NULL },
	{ "drlb_service_backends", "gauge", "Backends of the service.",
	  SCOPE_SERVICE, 0, svc_backends },
	{ "drlb_backend_connections_total", "counter", "Connections scheduled, per backend.",
	  SCOPE_BACKEND, STAT(conns), NULL },
	{ "drlb_backend_incoming_packets_total", "counter", "Packets forwarded, per backend.",
	  SCOPE_BACKEND, STAT(packets), NULL },
	{ "drlb_backend_incoming_bytes_total", "counter", "Bytes forwarded, per backend.",
	  SCOPE_BACKEND, STAT(bytes), NULL },
	{ "drlb_backend_connections_active", "gauge", "Established connections, per backend.",
	  SCOPE_BACKEND, 0, be_active },
	{ "drlb_backend_connections_inactive", "gauge", "Other connections, per backend.",
	  SCOPE_BACKEND, 0, be_inactive },
	{ "drlb_backend_weight", "gauge", "The operator's weight of the backend.",
	  SCOPE_BACKEND, 0, be_weight },
};

static uint64_t metric_value(const struct metric *m, const struct metric_src *src)
{
	const struct drlb_stats *st;

	if (m->value)
		return m->value(src);
	st = m->scope == SCOPE_DIRECTOR ? &src->cfg->stats :
	     m->scope == SCOPE_SERVICE ? &src->svc->stats : &src->be->stats;
	return *(const uint64_t *)((const char *)st + m->stat);
}

static void family(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The labels of a service's or backend's sample: addresses need no escaping. */
static void labels(FILE *f, const struct service_info *svc, const struct backend_info *be)
{
	char addr[INET6_ADDRSTRLEN];

	fprintf(f, "{proto=\"%s\",vip=\"%s\",port=\"%u\"", protocol_name(svc->key.protocol),
		format_addr(svc->key.af, &svc->key.addr, addr), svc->key.port);
	if (be)
		fprintf(f, ",backend=\"%s\"", format_addr(svc->key.af, &be->addr, addr));
}

static void samples(FILE *f, const struct metric *m, const struct config_info *cfg,
		    const struct service_list *list)
{
	struct metric_src src = { .cfg = cfg };

	family(f, m->name, m->type, m->help);
	if (m->scope == SCOPE_DIRECTOR) {
		fprintf(f, "%s %" PRIu64 "\n", m->name, metric_value(m, &src));
		return;
	}
	for (size_t i = 0; i < list->count; i++) {
		src.svc = &list->svcs[i];
		if (m->scope == SCOPE_SERVICE) {
			fprintf(f, "%s", m->name);
			labels(f, src.svc, NULL);
			fprintf(f, "} %" PRIu64 "\n", metric_value(m, &src));
			continue;
		}
		for (size_t j = 0; j < src.svc->backend_count; j++) {
			src.be = &src.svc->backends[j];
			fprintf(f, "%s", m->name);
			labels(f, src.svc, src.be);
			fprintf(f, "} %" PRIu64 "\n", metric_value(m, &src));
		}
	}
}

/* The families with a label of their own: reasons, hooks, health states. */
static void labelled(FILE *f, const struct config_info *cfg, const struct service_list *list)
{
	const struct drlb_stats *st = &cfg->stats;
	const struct { const char *reason; uint64_t n; } drops[] = {
		{ "no_backend", st->drop_no_backend },
		{ "unreachable", st->drop_unreachable },
		{ "backend_gone", st->drop_backend_gone },
		{ "too_big", st->drop_too_big },
		{ "ttl", st->drop_ttl },
	};
	static const uint8_t states[] = {
		DRLB_HEALTH_UP, DRLB_HEALTH_DOWN, DRLB_HEALTH_UNCHECKED,
	};

	family(f, "drlb_drops_total", "counter", "Packets dropped, by reason.");
	for (size_t i = 0; i < ARRAY_SIZE(drops); i++)
		fprintf(f, "drlb_drops_total{reason=\"%s\"} %" PRIu64 "\n", drops[i].reason,
			drops[i].n);
	family(f, "drlb_hook_packets_total", "counter",
	       "Packets forwarded, by the hook that took them.");
	fprintf(f, "drlb_hook_packets_total{hook=\"prerouting\"} %" PRIu64 "\n",
		st->hook_prerouting);
	fprintf(f, "drlb_hook_packets_total{hook=\"ingress\"} %" PRIu64 "\n", st->hook_ingress);
	fprintf(f, "drlb_hook_packets_total{hook=\"xdp\"} %" PRIu64 "\n", st->hook_xdp);
	family(f, "drlb_backend_health", "gauge",
	       "1 for the backend's health (state up, down or unchecked), 0 for the others.");
	for (size_t i = 0; i < list->count; i++) {
		const struct service_info *svc = &list->svcs[i];

		for (size_t j = 0; j < svc->backend_count; j++) {
			for (size_t k = 0; k < ARRAY_SIZE(states); k++) {
				fprintf(f, "drlb_backend_health");
				labels(f, svc, &svc->backends[j]);
				fprintf(f, ",state=\"%s\"} %d\n", health_name(states[k]),
					svc->backends[j].health == states[k]);
			}
		}
	}
	family(f, "drlb_info", "gauge", "The module's version.");
	fputs("drlb_info{version=\"", f);
	for (const char *c = cfg->version; *c; c++)
		fprintf(f, *c == '"' || *c == '\\' ? "\\%c" : "%c", *c);
	fputs("\"} 1\n", f);
}

void metrics_format(FILE *f, const struct config_info *cfg, const struct service_list *list)
{
	for (size_t i = 0; i < ARRAY_SIZE(metrics); i++)
		samples(f, &metrics[i], cfg, list);
	labelled(f, cfg, list);
}

int metrics_write(struct drctl *ctx, FILE *f)
{
	struct service_list list;
	struct config_info cfg;
	int ret;

	ret = config_and_services_get(ctx, &cfg, &list);
	if (ret)
		return ret;
	metrics_format(f, &cfg, &list);
	service_list_free(&list);
	return DRCTL_OK;
}

/*
 * FILE, whole or not at all: read from the module first (FILE is left as
 * it was when that fails), then written beside it, synced and renamed.
 */
static int metrics_file(struct drctl *ctx, const char *path)
{
	size_t len = strlen(path), textlen = 0;
	char *tmp = NULL, *text = NULL;
	bool written;
	int fd, ret;
	FILE *f;

	f = open_memstream(&text, &textlen);
	if (!f) {
		drctl_err(ctx, "out of memory");
		return DRCTL_FAIL;
	}
	ret = metrics_write(ctx, f);
	if (fclose(f) && !ret) {
		drctl_err(ctx, "out of memory");
		ret = DRCTL_FAIL;
	}
	if (ret)
		goto out;
	ret = DRCTL_FAIL;
	tmp = malloc(len + sizeof(".XXXXXX"));
	if (!tmp) {
		drctl_err(ctx, "out of memory");
		goto out;
	}
	snprintf(tmp, len + sizeof(".XXXXXX"), "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		drctl_err(ctx, "cannot create %s: %m", tmp);
		goto out;
	}
	written = write(fd, text, textlen) == (ssize_t)textlen && !fchmod(fd, 0644) &&
		  !fsync(fd);
	if (close(fd) || !written)
		drctl_err(ctx, "cannot write %s: %m", tmp);
	else if (rename(tmp, path))
		drctl_err(ctx, "cannot rename %s to %s: %m", tmp, path);
	else
		ret = DRCTL_OK;
	if (ret)
		unlink(tmp);
out:
	free(tmp);
	free(text);
	return ret;
}

int metrics_main(struct drctl *ctx, int argc, char **argv)
{
	if (argc && !strcmp(argv[0], "help")) {
		fputs(metrics_usage, ctx->out);
		return DRCTL_OK;
	}
	if (argc > 1) {
		drctl_err(ctx, "unexpected '%s' (drctl metrics [FILE])", argv[1]);
		return DRCTL_USAGE;
	}
	if (argc)
		return metrics_file(ctx, argv[0]);
	return metrics_write(ctx, ctx->out);
}
