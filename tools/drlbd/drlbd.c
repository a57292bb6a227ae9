// SPDX-License-Identifier: GPL-2.0
/*
 * drlbd [-f]: the health-check daemon. It reads the services that have a
 * check from the module (drctl's netlink side), probes their backends with
 * the engine, and sets each backend's health in the kernel. It follows the
 * module's events instead of polling. The kernel keeps the health: a
 * restarted drlbd starts from it instead of flapping every backend through
 * unknown, and a dead one changes nothing in the data path. Under systemd
 * (Type=notify, WatchdogSec=) the loop itself pings the watchdog, so a
 * frozen checker is restarted instead of holding stale health.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <systemd/sd-daemon.h>

#include "checkconf.h"
#include "engine.h"
#include "kernel.h"
#include "metrics_http.h"

/* What the engine runs for one checked service of the module. */
struct checked {
	struct svc_key key;
	struct drlbd_service *svc;
	struct drlbd_check check;
	struct drlbd_target **targets;	/* data: struct target_ref */
	size_t ntargets;
	bool seen;
};

/* A target's link back to its backend in the kernel. */
struct target_ref {
	struct checked *c;
	union drctl_addr addr;
	bool seen;
};

struct daemon {
	struct drctl ctx;
	struct drlbd_engine *engine;
	struct kernel_events *events;
	struct checked **checked;
	size_t nchecked;
	bool resync_due;
	uint64_t watchdog_usec;
};

/* A turn's lines when a thousand backends change at once; more is written as it fills. */
#define LOG_BUFFER_SIZE		(64 * 1024)

static bool use_syslog;

__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (use_syslog) {
		vsyslog(LOG_INFO, fmt, ap);
	} else {
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * In the foreground stderr is fully buffered (main), our lines and drctl's
 * messages alike, and written out before the loop waits: the thousand
 * backends that come up at the start are a few hundred writes rather than
 * two thousand, each of which can hold the loop for a millisecond (a busy
 * journal's stream, a file on a network share).
 */
static void log_flush(void *data)
{
	(void)data;
	fflush(stderr);
}

static enum drlbd_health health_of(uint8_t kernel)
{
	return kernel == DRLB_HEALTH_UP ? DRLBD_HEALTH_UP :
	       kernel == DRLB_HEALTH_DOWN ? DRLBD_HEALTH_DOWN : DRLBD_HEALTH_UNCHECKED;
}

static void on_health(void *data, struct drlbd_target *t, const struct drlbd_change *change)
{
	struct daemon *d = data;
	struct target_ref *ref = drlbd_target_data(t);
	char reason[DRLB_HEALTH_REASON_MAX];

	snprintf(reason, sizeof(reason), "%s, %u of %u", change->reason, change->count,
		 change->of);
	/* The service first: one backend may be probed for several. */
	say("%s %s %s: %s", drlbd_service_name(drlbd_target_service(t)), drlbd_target_name(t),
	    drlbd_health_name(change->health), reason);
	/* A backend deleted meanwhile is refused: the next resync drops it. */
	kernel_set_health(&d->ctx, &ref->c->key, &ref->addr, change->health == DRLBD_HEALTH_UP,
			  reason);
}

static void on_quorum(void *data, struct drlbd_service *svc, bool met, uint32_t healthy,
		      uint32_t need)
{
	(void)data;
	say("%s: quorum %s, %u healthy of %u needed", drlbd_service_name(svc),
	    met ? "met" : "lost", healthy, need);
}

static struct checked *checked_find(struct daemon *d, const struct svc_key *key)
{
	for (size_t i = 0; i < d->nchecked; i++)
		if (!memcmp(&d->checked[i]->key, key, sizeof(*key)))
			return d->checked[i];
	return NULL;
}

static void target_gone(struct drlbd_target *t)
{
	free(drlbd_target_data(t));
	drlbd_target_remove(t);
}

/* The backends of @svc as targets of @c, each with the kernel's health. */
static void sync_targets(struct checked *c, const struct service_info *svc)
{
	struct drlbd_target ***targets = &c->targets;
	size_t *ntargets = &c->ntargets;
	/* A dump lists a backend once: those added below need no looking up. */
	size_t known = *ntargets;
	uint16_t port = c->check.port ?: svc->key.port;

	for (size_t j = 0; j < *ntargets; j++)
		((struct target_ref *)drlbd_target_data((*targets)[j]))->seen = false;
	for (size_t i = 0; i < svc->backend_count; i++) {
		const struct backend_info *be = &svc->backends[i];
		struct sockaddr_storage ss = { 0 };
		struct drlbd_target *t = NULL, **grown;
		struct target_ref *ref;
		socklen_t len;

		for (size_t j = 0; !t && j < known; j++) {
			ref = drlbd_target_data((*targets)[j]);
			if (!memcmp(&ref->addr, &be->addr, sizeof(be->addr))) {
				t = (*targets)[j];
				ref->seen = true;
			}
		}
		if (t)
			continue;
		len = kernel_sockaddr(svc->key.af, &be->addr, port, &ss);
		ref = calloc(1, sizeof(*ref));
		grown = realloc(*targets, (*ntargets + 1) * sizeof(**targets));
		if (grown)
			*targets = grown;
		if (!ref || !grown) {
			free(ref);
			continue;
		}
		ref->c = c;
		ref->addr = be->addr;
		ref->seen = true;
		t = drlbd_target_add(c->svc, (struct sockaddr *)&ss, len, health_of(be->health));
		if (!t) {
			free(ref);
			continue;
		}
		drlbd_target_set_data(t, ref);
		(*targets)[(*ntargets)++] = t;
	}
	for (size_t j = 0; j < *ntargets;) {
		if (((struct target_ref *)drlbd_target_data((*targets)[j]))->seen) {
			j++;
			continue;
		}
		target_gone((*targets)[j]);
		(*targets)[j] = (*targets)[--*ntargets];
	}
}

static void checked_free(struct checked *c)
{
	for (size_t j = 0; j < c->ntargets; j++)
		free(drlbd_target_data(c->targets[j]));
	drlbd_service_remove(c->svc);
	free(c->targets);
	free(c);
}

static struct checked *checked_add(struct daemon *d, const struct service_info *svc)
{
	struct checked *c = calloc(1, sizeof(*c));
	struct checked **grown;
	char vip[ADDR_PORT_LEN], name[ADDR_PORT_LEN + 8];

	grown = realloc(d->checked, (d->nchecked + 1) * sizeof(*grown));
	if (grown)
		d->checked = grown;
	if (!c || !grown) {
		free(c);
		return NULL;
	}
	snprintf(name, sizeof(name), "%s %s", protocol_name(svc->key.protocol),
		 format_addr_port(svc->key.af, &svc->key.addr, svc->key.port, vip));
	c->key = svc->key;
	c->check = *svc->check;
	c->svc = drlbd_service_add(d->engine, name, svc->check);
	if (!c->svc) {
		say("%s: cannot run its check: %s", name, strerror(errno));
		free(c);
		return NULL;
	}
	d->checked[d->nchecked++] = c;
	say("%s: checking", name);
	return c;
}

/* Make the engine run what the module has now. */
static void resync(void *data)
{
	struct daemon *d = data;
	struct service_list list;

	d->resync_due = false;
	if (service_dump(&d->ctx, NULL, &list)) {
		say("cannot read the services from the module");
		service_list_free(&list);
		return;
	}
	for (size_t i = 0; i < d->nchecked; i++)
		d->checked[i]->seen = false;
	for (size_t i = 0; i < list.count; i++) {
		const struct service_info *svc = &list.svcs[i];
		struct checked *c;

		if (!svc->check)
			continue;
		c = checked_find(d, &svc->key) ?: checked_add(d, svc);
		if (!c)
			continue;
		c->seen = true;
		if (memcmp(&c->check, svc->check, sizeof(c->check)) &&
		    !drlbd_service_set_check(c->svc, svc->check))
			c->check = *svc->check;
		sync_targets(c, svc);
	}
	for (size_t i = 0; i < d->nchecked;) {
		if (d->checked[i]->seen) {
			i++;
			continue;
		}
		say("%s: no longer checked", drlbd_service_name(d->checked[i]->svc));
		checked_free(d->checked[i]);
		d->checked[i] = d->checked[--d->nchecked];
	}
	service_list_free(&list);
}

/* Something changed in the module: look again, once for a burst of events. */
static void on_event(void *data)
{
	struct daemon *d = data;

	if (d->resync_due)
		return;
	d->resync_due = true;
	drlbd_engine_call_at(d->engine, now_ns() + 50000000, resync, d);
}

static void events_ready(void *data, uint32_t events)
{
	struct daemon *d = data;

	(void)events;
	kernel_events_read(d->events, on_event, d);
}

static void watchdog(void *data)
{
	struct daemon *d = data;

	sd_notify(0, "WATCHDOG=1");
	drlbd_engine_call_at(d->engine, now_ns() + (int64_t)d->watchdog_usec * 500, watchdog, d);
}

static void signal_ready(void *data, uint32_t events)
{
	struct daemon *d = data;

	struct drlbd_stats st;

	(void)events;
	/* What a benchmark or an operator wants to know of the run. */
	drlbd_engine_stats(d->engine, &st);
	say("stopping: %llu probes, %llu ok, %llu failed, %llu missed; "
	    "late mean %.3f ms, max %.3f ms", (unsigned long long)st.probes,
	    (unsigned long long)st.ok, (unsigned long long)st.failed, (unsigned long long)st.missed,
	    st.probes ? st.late_sum_ns / 1e6 / st.probes : 0.0, st.late_max_ns / 1e6);
	drlbd_engine_stop(d->engine);
}

static int print_usage(void)
{
	fprintf(stderr, "usage: drlbd [-f] [--metrics ADDR:PORT]\n"
		"  -f                   stay in the foreground, log to stderr\n"
		"  --metrics ADDR:PORT  serve drctl metrics on http://ADDR:PORT/metrics\n"
		"                       ([ADDR6]:PORT, or :PORT for every address)\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct drlbd_ops ops = {
		.health_changed = on_health, .quorum_changed = on_quorum, .before_wait = log_flush,
	};
	struct daemon d = { .ctx = { .out = stdout, .err = stderr, .prog = "drlbd" } };
	static const struct option long_options[] = {
		{ "metrics", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct metrics_http *metrics = NULL;
	const char *metrics_at = NULL;
	bool foreground = false;
	char err[128];
	sigset_t mask;
	int opt, sfd, ret = 1;

	while ((opt = getopt_long(argc, argv, "fhm:", long_options, NULL)) != -1) {
		if (opt == 'f')
			foreground = true;
		else if (opt == 'm')
			metrics_at = optarg;
		else
			return print_usage();
	}
	if (optind != argc)
		return print_usage();
	ops.data = &d;
	d.engine = drlbd_engine_new(&ops);
	d.events = kernel_events_open(&d.ctx);
	if (!d.engine || !d.events)
		goto out;
	/* Before going to the background: a bad address is the caller's to hear. */
	if (metrics_at) {
		metrics = metrics_http_open(d.engine, &d.ctx, metrics_at, err, sizeof(err));
		if (!metrics) {
			fprintf(stderr, "drlbd: %s\n", err);
			goto out;
		}
	}
	if (!foreground) {
		if (daemon(0, 0)) {
			perror("drlbd: daemon");
			goto out;
		}
		use_syslog = true;
		openlog("drlbd", LOG_PID, LOG_DAEMON);
	} else {
		setvbuf(stderr, NULL, _IOFBF, LOG_BUFFER_SIZE);
	}
	if (metrics)
		say("serving metrics on http://%s/metrics", metrics_at);
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0 || !drlbd_engine_watch(d.engine, sfd, EPOLLIN, signal_ready, &d) ||
	    !drlbd_engine_watch(d.engine, kernel_events_fd(d.events), EPOLLIN, events_ready, &d))
		goto out;
	resync(&d);
	if (sd_watchdog_enabled(0, &d.watchdog_usec) > 0)
		watchdog(&d);
	sd_notify(0, "READY=1");
	say("running: %zu checked services", d.nchecked);
	ret = drlbd_engine_run(d.engine) ? 1 : 0;
out:
	metrics_http_close(metrics);
	while (d.nchecked)
		checked_free(d.checked[--d.nchecked]);
	free(d.checked);
	kernel_events_close(d.events);
	drctl_nl_free(d.ctx.nl);
	drlbd_engine_free(d.engine);
	return ret;
}
