// SPDX-License-Identifier: GPL-2.0
/*
 * Output. Plain text follows ipvsadm -Ln (a service line, its backends
 * indented under it, fixed columns); JSON keys are a contract for scripts.
 */
#include <inttypes.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>

#include "checkconf.h"
#include "output.h"

/*
 * The length of the valid UTF-8 sequence at s (RFC 3629: shortest form, no
 * surrogates, at most U+10FFFF), or 0.
 */
static int utf8_len(const unsigned char *s)
{
	unsigned int cp;
	int len;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	cp = s[0] & (0x7f >> len);
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/*
 * Writes s as a JSON string: control characters become \u00XX, and a byte
 * that is not valid UTF-8 (JSON text is UTF-8) U+FFFD, as decoders do.
 */
void json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		int len = utf8_len(p);

		if (!len) {
			fputs("\\ufffd", f);
			p++;
		} else if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p++);
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\u%04x", *p++);
		} else {
			fwrite(p, 1, len, f);
			p += len;
		}
	}
	fputc('"', f);
}

void out_init(struct out *o, const struct drctl *ctx)
{
	memset(o, 0, sizeof(*o));
	o->f = ctx->out;
	o->opts = &ctx->opts;
}

static void newline_indent(struct out *o)
{
	if (o->opts->pretty)
		fprintf(o->f, "\n%*s", 2 * o->depth, "");
}

/* Separator, indentation and "key": before each value. */
static void json_key(struct out *o, const char *key)
{
	if (o->depth) {
		if (!o->first[o->depth])
			fputc(',', o->f);
		o->first[o->depth] = false;
		newline_indent(o);
	}
	if (!key)
		return;
	json_string(o->f, key);
	fputs(o->opts->pretty ? ": " : ":", o->f);
}

static void json_open(struct out *o, const char *key, char open)
{
	json_key(o, key);
	fputc(open, o->f);
	if (o->depth + 1 < OUT_DEPTH_MAX)
		o->depth++;
	o->first[o->depth] = true;
}

static void json_close(struct out *o, char close)
{
	bool empty = o->first[o->depth];

	if (o->depth)
		o->depth--;
	if (!empty)
		newline_indent(o);
	fputc(close, o->f);
	if (!o->depth)
		fputc('\n', o->f);
}

void out_begin_object(struct out *o, const char *key)
{
	json_open(o, key, '{');
}

void out_end_object(struct out *o)
{
	json_close(o, '}');
}

void out_begin_array(struct out *o, const char *key)
{
	json_open(o, key, '[');
}

void out_end_array(struct out *o)
{
	json_close(o, ']');
}

void out_str(struct out *o, const char *key, const char *val)
{
	json_key(o, key);
	json_string(o->f, val);
}

void out_u64(struct out *o, const char *key, uint64_t val)
{
	json_key(o, key);
	fprintf(o->f, "%" PRIu64, val);
}

void out_bool(struct out *o, const char *key, bool val)
{
	json_key(o, key);
	fputs(val ? "true" : "false", o->f);
}

static void json_stats(struct out *o, const struct drlb_stats *st, bool global)
{
	out_begin_object(o, "stats");
	out_u64(o, "packets", st->packets);
	out_u64(o, "bytes", st->bytes);
	out_u64(o, "conns", st->conns);
	if (global) {
		out_u64(o, "drop_no_backend", st->drop_no_backend);
		out_u64(o, "drop_table_full", st->drop_table_full);
		out_u64(o, "drop_unreachable", st->drop_unreachable);
		out_u64(o, "drop_backend_gone", st->drop_backend_gone);
		out_u64(o, "stateless", st->stateless);
		out_u64(o, "icmp", st->icmp);
		out_u64(o, "drop_too_big", st->drop_too_big);
		out_u64(o, "drop_ttl", st->drop_ttl);
		out_u64(o, "hook_prerouting", st->hook_prerouting);
		out_u64(o, "hook_ingress", st->hook_ingress);
		out_u64(o, "hook_xdp", st->hook_xdp);
	}
	out_end_object(o);
	/* Per second, over the module's last 2 s. */
	out_begin_object(o, "rate");
	out_u64(o, "conns", st->rate_conns);
	out_u64(o, "packets", st->rate_packets);
	out_u64(o, "bytes", st->rate_bytes);
	out_end_object(o);
}

/* ipvsadm prints protocols and states in capitals. */
const char *upper(const char *s, char *buf, size_t len)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < len; i++)
		buf[i] = ('a' <= s[i] && s[i] <= 'z') ? s[i] - 'a' + 'A' : s[i];
	buf[i] = '\0';
	return buf;
}

/* ADDR:PORT, the port by its /etc/services name unless -n (as ipvsadm and ss). */
static const char *vip_text(const struct out *o, int af, const union drctl_addr *addr,
			    uint16_t port, uint8_t protocol, char *buf)
{
	char host[INET6_ADDRSTRLEN];
	struct servent *se;

	if (o->opts->numeric)
		return format_addr_port(af, addr, port, buf);
	se = getservbyport(htons(port), protocol_name(protocol));
	if (!se)
		return format_addr_port(af, addr, port, buf);
	format_addr(af, addr, host);
	snprintf(buf, ADDR_PORT_LEN, af == AF_INET6 ? "[%s]:%s" : "%s:%s", host, se->s_name);
	return buf;
}

/*
 * One row of the service table; with -s, the digest of the service's hash
 * tables (c7, empty on backend rows) and the counters.
 */
static void service_row(const struct out *o, const char *c1, const char *c2, const char *c3,
			const char *c4, const char *c5, const char *c6, const char *c7,
			const char *const stats[3])
{
	fprintf(o->f, "%-4s %-28s %-7s %-8s %-8s ", c1, c2, c3, c4, c5);
	if (o->opts->stats)
		fprintf(o->f, "%-9s %-8s %12s %14s %10s\n", c6, c7, stats[0], stats[1],
			stats[2]);
	else
		fprintf(o->f, "%s\n", c6);
}

const char *digest_text(uint32_t digest, char *buf, size_t len)
{
	if (digest)
		snprintf(buf, len, "%08x", digest);
	else
		snprintf(buf, len, "-");
	return buf;
}

static const char *const health_names[] = {
	[DRLB_HEALTH_UNCHECKED]	= "unchecked",
	[DRLB_HEALTH_UP]	= "up",
	[DRLB_HEALTH_DOWN]	= "down",
};

const char *health_name(uint8_t health)
{
	return health < ARRAY_SIZE(health_names) ? health_names[health] : "?";
}

/* The counters, or with -r the rates, in the order of the header. */
static void stats_text(const struct out *o, const struct drlb_stats *st, char buf[3][24],
		       const char *cols[3])
{
	const uint64_t *v[2][3] = {
		{ &st->packets, &st->bytes, &st->conns },
		{ &st->rate_packets, &st->rate_bytes, &st->rate_conns },
	};

	for (int i = 0; i < 3; i++) {
		snprintf(buf[i], sizeof(buf[i]), "%" PRIu64, *v[o->opts->rate][i]);
		cols[i] = buf[i];
	}
}

static void plain_service(const struct out *o, const struct service_info *svc)
{
	char proto[8], vip[ADDR_PORT_LEN], persist[12], total[12], addr[INET6_ADDRSTRLEN];
	char weight[12], active[12], inactive[12], sbuf[3][24], digest[12];
	const char *stats[3];

	upper(protocol_name(svc->key.protocol), proto, sizeof(proto));
	vip_text(o, svc->key.af, &svc->key.addr, svc->key.port, svc->key.protocol, vip);
	snprintf(persist, sizeof(persist), "%u", svc->persist);
	snprintf(total, sizeof(total), "%u", svc->backend_total);
	stats_text(o, &svc->stats, sbuf, stats);
	service_row(o, proto, vip, svc->sched, persist, total,
		    svc->check ? drlbd_check_type_name(svc->check->type) : "-",
		    digest_text(svc->digest, digest, sizeof(digest)), stats);
	for (size_t i = 0; i < svc->backend_count; i++) {
		const struct backend_info *be = &svc->backends[i];

		format_addr(svc->key.af, &be->addr, addr);
		snprintf(weight, sizeof(weight), "%u", be->weight);
		snprintf(active, sizeof(active), "%u", be->active);
		snprintf(inactive, sizeof(inactive), "%u", be->inactive);
		stats_text(o, &be->stats, sbuf, stats);
		service_row(o, "  ->", addr, weight, active, inactive, health_name(be->health), "",
			    stats);
	}
}

static void json_service(struct out *o, const struct service_info *svc)
{
	char addr[INET6_ADDRSTRLEN], digest[12];

	out_begin_object(o, NULL);
	out_str(o, "protocol", protocol_name(svc->key.protocol));
	out_str(o, "vip", format_addr(svc->key.af, &svc->key.addr, addr));
	out_u64(o, "port", svc->key.port);
	out_str(o, "sched", svc->sched);
	out_u64(o, "persist", svc->persist);
	out_u64(o, "mh_size", svc->mh_size);
	out_str(o, "digest", digest_text(svc->digest, digest, sizeof(digest)));
	out_begin_array(o, "backends");
	for (size_t i = 0; i < svc->backend_count; i++) {
		const struct backend_info *be = &svc->backends[i];

		out_begin_object(o, NULL);
		out_str(o, "address", format_addr(svc->key.af, &be->addr, addr));
		out_u64(o, "weight", be->weight);
		out_u64(o, "active", be->active);
		out_u64(o, "inactive", be->inactive);
		out_str(o, "health", health_name(be->health));
		json_stats(o, &be->stats, false);
		out_end_object(o);
	}
	out_end_array(o);
	json_stats(o, &svc->stats, false);
	out_end_object(o);
}

void output_services(const struct drctl *ctx, const struct service_list *list)
{
	static const char *const stats_hdr[2][3] = {
		{ "Packets", "Bytes", "Conns" }, { "Pkts/s", "Bytes/s", "Conns/s" },
	};
	struct out o;

	out_init(&o, ctx);
	if (ctx->opts.json) {
		out_begin_array(&o, NULL);
		for (size_t i = 0; i < list->count; i++)
			json_service(&o, &list->svcs[i]);
		out_end_array(&o);
		return;
	}
	service_row(&o, "Prot", "VIP:Port", "Sched", "Persist", "Backends", "Check", "Digest",
		    stats_hdr[ctx->opts.rate]);
	service_row(&o, "  ->", "Backend", "Weight", "Active", "InActive", "Health", "",
		    stats_hdr[ctx->opts.rate]);
	for (size_t i = 0; i < list->count; i++)
		plain_service(&o, &list->svcs[i]);
}

/* Health age: 42s, 7m12s, 3h05m, 2d04h. */
static const char *age_text(uint32_t s, char *buf, size_t len)
{
	if (s < 60)
		snprintf(buf, len, "%us", s);
	else if (s < 3600)
		snprintf(buf, len, "%um%02us", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%uh%02um", s / 3600, s / 60 % 60);
	else
		snprintf(buf, len, "%ud%02uh", s / 86400, s / 3600 % 24);
	return buf;
}

static void json_check(struct out *o, const struct service_info *svc)
{
	char addr[INET6_ADDRSTRLEN], text[DRLBD_CHECK_TEXT_MAX];

	out_begin_object(o, NULL);
	out_str(o, "protocol", protocol_name(svc->key.protocol));
	out_str(o, "vip", format_addr(svc->key.af, &svc->key.addr, addr));
	out_u64(o, "port", svc->key.port);
	if (drlbd_check_format(svc->check, text, sizeof(text)) < 0)
		text[0] = '\0';
	out_str(o, "check", text);
	out_begin_array(o, "backends");
	for (size_t i = 0; i < svc->backend_count; i++) {
		const struct backend_info *be = &svc->backends[i];

		out_begin_object(o, NULL);
		out_str(o, "address", format_addr(svc->key.af, &be->addr, addr));
		out_str(o, "health", health_name(be->health));
		out_u64(o, "since", be->health_age);
		out_str(o, "reason", be->health_reason);
		out_end_object(o);
	}
	out_end_array(o);
	out_end_object(o);
}

static void plain_check(const struct out *o, const struct service_info *svc)
{
	char vip[ADDR_PORT_LEN], addr[INET6_ADDRSTRLEN], text[DRLBD_CHECK_TEXT_MAX], age[16];

	if (drlbd_check_format(svc->check, text, sizeof(text)) < 0)
		text[0] = '\0';
	fprintf(o->f, "%s %s  %s\n", protocol_name(svc->key.protocol),
		vip_text(o, svc->key.af, &svc->key.addr, svc->key.port, svc->key.protocol, vip),
		text);
	for (size_t i = 0; i < svc->backend_count; i++) {
		const struct backend_info *be = &svc->backends[i];

		fprintf(o->f, "  -> %-28s %-9s %-8s %s\n",
			format_addr(svc->key.af, &be->addr, addr),
			health_name(be->health), age_text(be->health_age, age, sizeof(age)),
			be->health_reason);
	}
}

/* drctl check show: the services that have a check, their backends' health. */
void output_checks(const struct drctl *ctx, const struct service_list *list)
{
	struct out o;

	out_init(&o, ctx);
	if (ctx->opts.json)
		out_begin_array(&o, NULL);
	for (size_t i = 0; i < list->count; i++) {
		if (!list->svcs[i].check)
			continue;
		if (ctx->opts.json)
			json_check(&o, &list->svcs[i]);
		else
			plain_check(&o, &list->svcs[i]);
	}
	if (ctx->opts.json)
		out_end_array(&o);
}

static const char *const state_names[] = {
	[DRLB_CONN_NONE]	= "none",
	[DRLB_CONN_SYN_RECV]	= "syn_recv",
	[DRLB_CONN_ESTABLISHED]	= "established",
	[DRLB_CONN_FIN_WAIT]	= "fin_wait",
	[DRLB_CONN_CLOSE]	= "close",
	[DRLB_CONN_PERSIST]	= "persist",
};

const char *conn_state_name(uint8_t state)
{
	return state < __DRLB_CONN_STATE_MAX ? state_names[state] : "unknown";
}

void output_conns_begin(struct out *o, const struct drctl *ctx)
{
	out_init(o, ctx);
	if (ctx->opts.json)
		out_begin_array(o, NULL);
	else
		fprintf(o->f, "%-4s %-7s %-12s %-28s %-28s %s\n", "Pro", "Expires", "State",
			"Client", "VIP:Port", "Backend");
}

void output_conn(struct out *o, const struct conn_info *c)
{
	char proto[8], state[16], expires[16], client[ADDR_PORT_LEN], vip[ADDR_PORT_LEN];
	char addr[INET6_ADDRSTRLEN];
	const char *name = conn_state_name(c->state);

	if (o->opts->json) {
		out_begin_object(o, NULL);
		out_str(o, "protocol", protocol_name(c->protocol));
		out_str(o, "client", format_addr(c->af, &c->caddr, addr));
		out_u64(o, "cport", c->cport);
		out_str(o, "vip", format_addr(c->af, &c->vaddr, addr));
		out_u64(o, "vport", c->vport);
		out_str(o, "backend", format_addr(c->af, &c->daddr, addr));
		out_str(o, "state", name);
		out_u64(o, "expires", c->expires);
		out_end_object(o);
		return;
	}
	snprintf(expires, sizeof(expires), "%02u:%02u", c->expires / 60, c->expires % 60);
	fprintf(o->f, "%-4s %-7s %-12s %-28s %-28s %s\n",
		upper(protocol_name(c->protocol), proto, sizeof(proto)), expires,
		upper(name, state, sizeof(state)),
		format_addr_port(c->af, &c->caddr, c->cport, client),
		vip_text(o, c->af, &c->vaddr, c->vport, c->protocol, vip),
		format_addr(c->af, &c->daddr, addr));
}

void output_conns_end(struct out *o)
{
	if (o->opts->json)
		out_end_array(o);
}

static void json_config(struct out *o, const struct config_info *cfg)
{
	char seed[2 * DRCTL_SEED_LEN + 1];

	out_begin_object(o, NULL);
	out_str(o, "version", cfg->version);
	out_u64(o, "tcp", cfg->tcp);
	out_u64(o, "tcpfin", cfg->tcpfin);
	out_u64(o, "tcpclose", cfg->tcpclose);
	out_u64(o, "udp", cfg->udp);
	out_u64(o, "conn_max", cfg->conn_max);
	out_u64(o, "conn_count", cfg->conn_count);
	out_u64(o, "service_max", cfg->service_max);
	out_u64(o, "backend_max", cfg->backend_max);
	config_seed_format(cfg->seed, seed);
	out_str(o, "seed", seed);
	out_bool(o, "fleet", cfg->fleet);
	json_stats(o, &cfg->stats, true);
	out_end_object(o);
}

void output_config(const struct drctl *ctx, const struct config_info *cfg)
{
	const struct drlb_stats *st = &cfg->stats;
	char seed[2 * DRCTL_SEED_LEN + 1];
	struct out o;

	out_init(&o, ctx);
	if (ctx->opts.json) {
		json_config(&o, cfg);
		return;
	}
	fprintf(o.f, "drlb %s\n", cfg->version);
	fprintf(o.f, "Timeouts    tcp %us  tcpfin %us  tcpclose %us  udp %us\n",
		cfg->tcp, cfg->tcpfin, cfg->tcpclose, cfg->udp);
	fprintf(o.f, "Connections %u of at most %u\n", cfg->conn_count, cfg->conn_max);
	config_seed_format(cfg->seed, seed);
	fprintf(o.f, "Limits      service-max %u  backend-max %u  seed %s\n",
		cfg->service_max, cfg->backend_max, seed);
	fprintf(o.f, "Fleet       %s\n", cfg->fleet ?
		"on: one director of several (ECMP or VRRP)" : "off: the only director");
	if (!ctx->opts.stats)
		return;
	fprintf(o.f, "Forwarded   %" PRIu64 " packets  %" PRIu64 " bytes  %" PRIu64
		" connections  %" PRIu64 " stateless (Maglev, no table entry)  %" PRIu64
		" ICMP errors\n", st->packets, st->bytes, st->conns, st->stateless, st->icmp);
	fprintf(o.f, "Dropped     %" PRIu64 " no backend  %" PRIu64 " table full  %" PRIu64
		" unreachable  %" PRIu64 " backend gone  %" PRIu64 " too big  %" PRIu64
		" TTL ran out\n",
		st->drop_no_backend, st->drop_table_full, st->drop_unreachable,
		st->drop_backend_gone, st->drop_too_big, st->drop_ttl);
	fprintf(o.f, "Hooks       %" PRIu64 " packets from PRE_ROUTING  %" PRIu64
		" from netdev ingress  %" PRIu64 " from XDP\n", st->hook_prerouting,
		st->hook_ingress, st->hook_xdp);
	fprintf(o.f, "Rates       %" PRIu64 " connections/s  %" PRIu64 " packets/s  %" PRIu64
		" bytes/s  (over the last 2 s)\n",
		st->rate_conns, st->rate_packets, st->rate_bytes);
}
