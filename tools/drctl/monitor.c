// SPDX-License-Identifier: GPL-2.0
/*
 * drctl monitor [-j]: configuration and health changes as they happen, one
 * a line, as ip monitor prints them: the command that would make the
 * change ("backend set tcp 10.0.0.100:80 10.0.0.12 weight 1 health down:
 * connect refused, 3 of 3"), or with -j one JSON object a line.
 */
#include <string.h>
#include <unistd.h>

#include "backend.h"
#include "config.h"
#include "monitor.h"
#include "nl.h"
#include "output.h"
#include "saverestore.h"
#include "service.h"

const char monitor_usage[] =
	"drctl monitor [-j]   (configuration and health changes as they happen)\n";

/* The verb of each change, as drctl would be told to make it. */
static const char *const event_names[] = {
	[DRLB_CMD_SERVICE_NEW]	= "service add",
	[DRLB_CMD_SERVICE_SET]	= "service set",
	[DRLB_CMD_SERVICE_DEL]	= "service del",
	[DRLB_CMD_BACKEND_NEW]	= "backend add",
	[DRLB_CMD_BACKEND_SET]	= "backend set",
	[DRLB_CMD_BACKEND_DEL]	= "backend del",
	[DRLB_CMD_CONN_FLUSH]	= "conn flush",
	[DRLB_CMD_FLUSH]	= "flush",
	[DRLB_CMD_CONFIG_SET]	= "config set",
};

struct event {
	const char *name;
	struct service_info svc;
	struct backend_info be;
	bool has_svc, has_be;
	struct config_info cfg;
	bool has_cfg;
};

static int event_parse(uint8_t cmd, struct nlattr **tb, struct event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (cmd >= ARRAY_SIZE(event_names) || !event_names[cmd])
		return -1;
	ev->name = event_names[cmd];
	ev->has_svc = tb[DRLB_A_SERVICE] && !service_from_attrs(tb[DRLB_A_SERVICE], &ev->svc);
	ev->has_be = tb[DRLB_A_BACKEND] && !backend_from_attrs(tb[DRLB_A_BACKEND], &ev->be);
	ev->has_cfg = tb[DRLB_A_CONFIG] && !config_from_reply(tb, &ev->cfg);
	return 0;
}

/* The event as a drctl command line (a save line, with its own verb). */
static void event_plain(struct drctl *ctx, uint8_t cmd, const struct event *ev)
{
	char line[1024], vip[ADDR_PORT_LEN], addr[INET6_ADDRSTRLEN];
	const struct svc_key *key = &ev->svc.key;
	const char *rest = "";

	if (cmd == DRLB_CMD_SERVICE_NEW || cmd == DRLB_CMD_SERVICE_SET) {
		if (!save_service_line(line, sizeof(line), &ev->svc))
			rest = line + strlen("service add ");
	} else if (ev->has_svc) {
		format_addr_port(key->af, &key->addr, key->port, vip);
		if (ev->has_be && cmd != DRLB_CMD_BACKEND_DEL)
			snprintf(line, sizeof(line), "%s %s %s weight %u health %s%s%s",
				 protocol_name(key->protocol), vip,
				 format_addr(key->af, &ev->be.addr, addr), ev->be.weight,
				 health_name(ev->be.health), ev->be.health_reason[0] ? ": " : "",
				 ev->be.health_reason);
		else if (ev->has_be)
			snprintf(line, sizeof(line), "%s %s %s", protocol_name(key->protocol), vip,
				 format_addr(key->af, &ev->be.addr, addr));
		else
			snprintf(line, sizeof(line), "%s %s", protocol_name(key->protocol), vip);
		rest = line;
	} else if (ev->has_cfg && !save_config_line(line, sizeof(line), &ev->cfg)) {
		rest = line[0] ? line + strlen("config set ") : "";
	}
	fprintf(ctx->out, "%s%s%s\n", ev->name, rest[0] ? " " : "", rest);
}

static void event_json(struct drctl *ctx, const struct event *ev)
{
	char addr[INET6_ADDRSTRLEN];
	struct out o;

	out_init(&o, ctx);
	out_begin_object(&o, NULL);
	out_str(&o, "event", ev->name);
	if (ev->has_svc) {
		out_str(&o, "protocol", protocol_name(ev->svc.key.protocol));
		out_str(&o, "vip", format_addr(ev->svc.key.af, &ev->svc.key.addr, addr));
		out_u64(&o, "port", ev->svc.key.port);
		if (ev->svc.sched[0])
			out_str(&o, "sched", ev->svc.sched);
	}
	if (ev->has_be) {
		out_str(&o, "backend", format_addr(ev->svc.key.af, &ev->be.addr, addr));
		if (strcmp(ev->name, "backend del")) {
			out_u64(&o, "weight", ev->be.weight);
			out_str(&o, "health", health_name(ev->be.health));
			out_str(&o, "reason", ev->be.health_reason);
		}
	}
	out_end_object(&o);
	fputc('\n', ctx->out);
}

static int on_event(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct drctl *ctx = arg;
	struct event ev;

	if (!cmd) {
		drctl_warn(ctx, "events were lost (the socket overran): dump to resynchronise");
		return 0;
	}
	if (event_parse(cmd, tb, &ev))
		return 0;
	if (ctx->opts.json)
		event_json(ctx, &ev);
	else
		event_plain(ctx, cmd, &ev);
	/* Each line as it comes, through a pipe too. */
	fflush(ctx->out);
	return 0;
}

int monitor_main(struct drctl *ctx, int argc, char **argv)
{
	if (argc && !strcmp(argv[0], "help")) {
		fputs(monitor_usage, ctx->out);
		return DRCTL_OK;
	}
	if (argc) {
		drctl_err(ctx, "unexpected '%s': monitor takes no arguments (-j for JSON)",
			  argv[0]);
		return DRCTL_USAGE;
	}
	return drlb_events(ctx, on_event, ctx);
}
