// SPDX-License-Identifier: GPL-2.0
/*
 * drctl top [interval SECS]: the director, live. What people watch with
 * `watch ipvsadm -Ln --rate`, but sorted (the busiest service first, the
 * busiest backend first under it), aligned, with health, drops and totals.
 * Plain ANSI on the terminal drctl runs in (ssh included): the alternate
 * screen, each frame drawn over the last, the terminal given back as it
 * was on q, ^C or a kill. Rates are the module's, over its last 2 s.
 */
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>

#include "config.h"
#include "msg.h"
#include "output.h"
#include "parse.h"
#include "service.h"
#include "top.h"

const char top_usage[] =
	"drctl top [interval SECS]   (a live view of services and backends; q quits)\n";

#define TOP_INTERVAL_DEFAULT	2
#define TOP_LINE_MAX		512

/* 999, 1.2k, 34.5M: rates in at most six characters. */
static const char *si(uint64_t v, char *buf, size_t len)
{
	static const char units[] = "kMGTPE";
	double d = v;
	int u = -1;

	if (v < 1000) {
		snprintf(buf, len, "%" PRIu64, v);
		return buf;
	}
	while (d >= 999.95 && u < 5) {
		d /= 1000;
		u++;
	}
	snprintf(buf, len, "%.1f%c", d, units[u]);
	return buf;
}

struct screen {
	FILE *f;
	unsigned int rows, cols;
	unsigned int row;	/* lines drawn in this frame */
};

/*
 * One line of the frame, cut at the terminal's width (escape sequences take
 * no column), attributes reset, the rest of the line cleared.
 */
__printf(2, 3) static void line(struct screen *s, const char *fmt, ...)
{
	char buf[TOP_LINE_MAX];
	unsigned int col = 0;
	va_list ap;
	char *p;

	if (s->row >= s->rows)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (p = buf; *p && col < s->cols; p++) {
		if (*p != '\033') {
			col++;
			continue;
		}
		while (p[1] && !(p[1] >= '@' && p[1] <= '~' && p[1] != '['))
			p++;
		if (p[1])
			p++;
	}
	*p = '\0';
	fprintf(s->f, "%s\033[m\033[K\r\n", buf);
	s->row++;
}

static int by_rate(const struct drlb_stats *a, const struct drlb_stats *b)
{
	if (a->rate_packets != b->rate_packets)
		return a->rate_packets < b->rate_packets ? 1 : -1;
	if (a->rate_conns != b->rate_conns)
		return a->rate_conns < b->rate_conns ? 1 : -1;
	return 0;
}

static int svc_cmp(const void *a, const void *b)
{
	const struct service_info *x = a, *y = b;

	return by_rate(&x->stats, &y->stats) ?: memcmp(&x->key, &y->key, sizeof(x->key));
}

static int be_cmp(const void *a, const void *b)
{
	const struct backend_info *x = a, *y = b;

	return by_rate(&x->stats, &y->stats) ?: memcmp(&x->addr, &y->addr, sizeof(x->addr));
}

#define ROW_FMT "%-4s %-30s %-9s %6s %7s %7s %8s %8s %9s"

static void row(struct screen *s, const char *c1, const char *c2, const char *health,
		const char *weight, const char *active, const char *inactive,
		const struct drlb_stats *st)
{
	char cps[16], pps[16], bps[16];

	line(s, ROW_FMT, c1, c2, health, weight, active, inactive,
	     si(st->rate_conns, cps, sizeof(cps)), si(st->rate_packets, pps, sizeof(pps)),
	     si(st->rate_bytes, bps, sizeof(bps)));
}

static void draw_service(struct screen *s, const struct service_info *svc,
			 uint64_t *active, uint64_t *inactive)
{
	char vip[ADDR_PORT_LEN], proto[8], up[16], addr[INET6_ADDRSTRLEN];
	char weight[12], act[12], inact[12];
	unsigned int nup = 0;
	uint64_t act_sum = 0, inact_sum = 0;

	for (size_t i = 0; i < svc->backend_count; i++) {
		nup += svc->backends[i].health != DRLB_HEALTH_DOWN && svc->backends[i].weight;
		act_sum += svc->backends[i].active;
		inact_sum += svc->backends[i].inactive;
	}
	*active += act_sum;
	*inactive += inact_sum;
	upper(protocol_name(svc->key.protocol), proto, sizeof(proto));
	snprintf(up, sizeof(up), "%u/%zu", nup, svc->backend_count);
	snprintf(act, sizeof(act), "%" PRIu64, act_sum);
	snprintf(inact, sizeof(inact), "%" PRIu64, inact_sum);
	row(s, proto, format_addr_port(svc->key.af, &svc->key.addr, svc->key.port, vip), up,
	    svc->sched, act, inact, &svc->stats);
	for (size_t i = 0; i < svc->backend_count; i++) {
		const struct backend_info *be = &svc->backends[i];

		snprintf(weight, sizeof(weight), "%u", be->weight);
		snprintf(act, sizeof(act), "%u", be->active);
		snprintf(inact, sizeof(inact), "%u", be->inactive);
		row(s, "  ->", format_addr(svc->key.af, &be->addr, addr),
		    be->weight ? health_name(be->health) : "drained", weight, act, inact,
		    &be->stats);
	}
}

static int draw(struct drctl *ctx, struct screen *s, unsigned int interval)
{
	const struct drlb_stats *st;
	struct service_list list;
	struct config_info cfg;
	uint64_t active = 0, inactive = 0, drops;
	char stamp[16], cps[16], pps[16], bps[16];
	time_t now = time(NULL);
	size_t backends = 0;
	struct winsize ws;
	int ret;

	ret = config_and_services_get(ctx, &cfg, &list);
	if (ret)
		return ret;
	s->rows = 24;
	s->cols = 80;
	if (!ioctl(fileno(s->f), TIOCGWINSZ, &ws) && ws.ws_row && ws.ws_col) {
		s->rows = ws.ws_row;
		s->cols = ws.ws_col < TOP_LINE_MAX ? ws.ws_col : TOP_LINE_MAX - 1;
	}
	s->row = 0;
	qsort(list.svcs, list.count, sizeof(*list.svcs), svc_cmp);
	for (size_t i = 0; i < list.count; i++) {
		qsort(list.svcs[i].backends, list.svcs[i].backend_count,
		      sizeof(*list.svcs[i].backends), be_cmp);
		backends += list.svcs[i].backend_count;
	}
	st = &cfg.stats;
	drops = st->drop_no_backend + st->drop_unreachable + st->drop_backend_gone +
		st->drop_too_big + st->drop_ttl;
	strftime(stamp, sizeof(stamp), "%H:%M:%S", localtime(&now));
	fputs("\033[H", s->f);
	line(s, "drctl top: drlb %s, every %us, rates over the last 2s (q quits)   %s",
	     cfg.version, interval, stamp);
	line(s, "Director  %zu services, %zu backends, %u of %u connections%s", list.count,
	     backends, cfg.conn_count, cfg.conn_max, cfg.fleet ? ", one of a fleet" : "");
	line(s, "Dropped   %" PRIu64 " (%" PRIu64 " no backend, %" PRIu64 " unreachable, %" PRIu64
	     " backend gone, %" PRIu64 " too big, %" PRIu64 " TTL)  stateless %" PRIu64
	     "  table full %" PRIu64, drops, st->drop_no_backend, st->drop_unreachable,
	     st->drop_backend_gone, st->drop_too_big, st->drop_ttl, st->stateless,
	     st->drop_table_full);
	line(s, "%s", "");
	line(s, "\033[7m" ROW_FMT "\033[m", "Prot", "VIP:Port", "Backends", "Sched", "Active",
	     "InAct", "Conn/s", "Pkt/s", "Bytes/s");
	line(s, ROW_FMT, "", "  -> Backend", "Health", "Weight", "", "", "", "", "");
	for (size_t i = 0; i < list.count; i++)
		draw_service(s, &list.svcs[i], &active, &inactive);
	if (!list.count)
		line(s, "(no service: drctl service add ...)");
	snprintf(stamp, sizeof(stamp), "%" PRIu64, active);
	line(s, "%-4s %-30s %-9s %6s %7s %7" PRIu64 " %8s %8s %9s", "", "Total", "", "", stamp,
	     inactive, si(st->rate_conns, cps, sizeof(cps)),
	     si(st->rate_packets, pps, sizeof(pps)), si(st->rate_bytes, bps, sizeof(bps)));
	fputs("\033[J", s->f);
	fflush(s->f);
	service_list_free(&list);
	return DRCTL_OK;
}

enum wake { WAKE_TIME, WAKE_RESIZE, WAKE_QUIT };

/*
 * Until the next frame is due, the terminal is resized, q is pressed or a
 * signal (^C, kill, hangup) comes through @sfd, drctl top's signalfd.
 */
static enum wake wait_next(int sfd, unsigned int interval)
{
	struct pollfd p[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = sfd, .events = POLLIN },
	};
	struct signalfd_siginfo si;
	struct timespec next, now;
	long ms;
	char c;

	clock_gettime(CLOCK_MONOTONIC, &next);
	next.tv_sec += interval;
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (next.tv_sec - now.tv_sec) * 1000 + (next.tv_nsec - now.tv_nsec) / 1000000;
		if (ms <= 0 || poll(p, 2, ms) == 0)
			return WAKE_TIME;
		if (p[1].revents && read(sfd, &si, sizeof(si)) == sizeof(si))
			return si.ssi_signo == SIGWINCH ? WAKE_RESIZE : WAKE_QUIT;
		if (p[0].revents & (POLLHUP | POLLERR))
			return WAKE_QUIT;
		while (p[0].revents && read(STDIN_FILENO, &c, 1) == 1)
			if (c == 'q' || c == 'Q')
				return WAKE_QUIT;
	}
}

int top_main(struct drctl *ctx, int argc, char **argv)
{
	uint32_t interval = TOP_INTERVAL_DEFAULT;
	struct screen s = { .f = ctx->out };
	sigset_t mask, saved_mask;
	struct termios saved, raw;
	int sfd, ret;

	if (argc && !strcmp(argv[0], "help")) {
		fputs(top_usage, ctx->out);
		return DRCTL_OK;
	}
	if (argc == 2 && !strcmp(argv[0], "interval")) {
		if (parse_u32(ctx, "interval", argv[1], 1, 3600, &interval))
			return DRCTL_USAGE;
	} else if (argc) {
		drctl_err(ctx, "unexpected '%s' (drctl top [interval SECS])", argv[0]);
		return DRCTL_USAGE;
	}
	if (!isatty(STDIN_FILENO) || !isatty(fileno(ctx->out)) ||
	    tcgetattr(STDIN_FILENO, &saved)) {
		drctl_err(ctx, "top needs a terminal (for one picture: drctl -s -r service show)");
		return DRCTL_USAGE;
	}
	/* It shows rates: a service's and its backends' read from one interval (service_dump). */
	ctx->opts.rate = true;
	/* The signals that end it or redraw it, read as events: the terminal is restored. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGWINCH);
	sigprocmask(SIG_BLOCK, &mask, &saved_mask);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sfd < 0) {
		drctl_err(ctx, "cannot watch signals: %m");
		sigprocmask(SIG_SETMASK, &saved_mask, NULL);
		return DRCTL_FAIL;
	}
	raw = saved;
	raw.c_lflag &= ~(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	/* The alternate screen, without the cursor; both given back at the end. */
	fputs("\033[?1049h\033[?25l\033[2J", s.f);
	while (!(ret = draw(ctx, &s, interval)) && wait_next(sfd, interval) != WAKE_QUIT)
		;
	fputs("\033[?25h\033[?1049l", s.f);
	fflush(s.f);
	tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	close(sfd);
	sigprocmask(SIG_SETMASK, &saved_mask, NULL);
	return ret;
}
