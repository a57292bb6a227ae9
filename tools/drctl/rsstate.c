// SPDX-License-Identifier: GPL-2.0
/*
 * The realserver state file: what setup changed, with the previous values,
 * so that teardown undoes exactly that and nothing an operator set by hand.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rsstate.h"

struct rs_vip *rs_state_vip(struct rs_state *st, const struct rs_vip *vip)
{
	for (int i = 0; i < st->vip_count; i++) {
		if (st->vips[i].af == vip->af &&
		    !memcmp(&st->vips[i].addr, &vip->addr, sizeof(vip->addr)))
			return &st->vips[i];
	}
	return NULL;
}

static int state_load_line(struct rs_state *st, char *line)
{
	char *argv[5];
	int argc = tokenize(line, argv, 5);
	struct rs_vip *vip = &st->vips[st->vip_count];
	struct rs_sysctl *sc = &st->sysctls[st->sysctl_count];

	if (!argc)
		return 0;
	if (argc == 3 && !strcmp(argv[0], "vip") && st->vip_count < RS_MAX &&
	    !parse_addr(argv[1], &vip->af, &vip->addr)) {
		vip->added = !strcmp(argv[2], "added");
		st->vip_count++;
		return 0;
	}
	if (argc == 4 && !strcmp(argv[0], "sysctl") && st->sysctl_count < RS_MAX &&
	    strlen(argv[1]) < IFNAMSIZ && strlen(argv[2]) < KNOB_LEN) {
		snprintf(sc->iface, sizeof(sc->iface), "%s", argv[1]);
		snprintf(sc->knob, sizeof(sc->knob), "%s", argv[2]);
		sc->prev = atoi(argv[3]);
		st->sysctl_count++;
		return 0;
	}
	return -1;
}

/*
 * The state is per network namespace, as what it records is: a host (or
 * container) in the same namespace as pid 1 uses REALSERVER_STATE_FILE, any
 * other namespace a file named after the namespace's inode, so that real
 * servers in several namespaces of one machine (a lab) keep apart.
 */
static const char *state_file(void)
{
	static char path[sizeof(REALSERVER_STATE_DIR) + 64];
	struct stat self, init;

	if (path[0])
		return path;
	if (stat("/proc/self/ns/net", &self) || stat("/proc/1/ns/net", &init) ||
	    self.st_ino == init.st_ino)
		snprintf(path, sizeof(path), "%s", REALSERVER_STATE_FILE);
	else
		snprintf(path, sizeof(path), "%s/realserver-netns-%lu.state",
			 REALSERVER_STATE_DIR, (unsigned long)self.st_ino);
	return path;
}

int rs_state_load(const struct drctl *ctx, struct rs_state *st)
{
	struct line_list lines = { 0 };
	FILE *f = fopen(state_file(), "r");
	int ret = 0;

	memset(st, 0, sizeof(*st));
	if (!f && errno == ENOENT)
		return DRCTL_OK;
	if (!f || lines_read(&lines, f)) {
		drctl_err(ctx, "cannot read %s: %s", state_file(), strerror(errno));
		if (f)
			fclose(f);
		return DRCTL_FAIL;
	}
	fclose(f);
	for (size_t i = 0; !ret && i < lines.count; i++)
		ret = state_load_line(st, lines.lines[i]);
	lines_free(&lines);
	if (!ret)
		return DRCTL_OK;
	drctl_err(ctx, "%s is corrupt; fix or remove it", state_file());
	return DRCTL_FAIL;
}

static void state_write(FILE *f, const struct rs_state *st)
{
	char addr[INET6_ADDRSTRLEN];

	fprintf(f, "# drctl realserver: what setup changed, undone by teardown\n");
	for (int i = 0; i < st->vip_count; i++)
		fprintf(f, "vip %s %s\n", format_addr(st->vips[i].af, &st->vips[i].addr, addr),
			st->vips[i].added ? "added" : "kept");
	for (int i = 0; i < st->sysctl_count; i++)
		fprintf(f, "sysctl %s %s %d\n", st->sysctls[i].iface, st->sysctls[i].knob,
			st->sysctls[i].prev);
}

/* Written to a temporary file and renamed, so a crash leaves the old state. */
int rs_state_save(const struct drctl *ctx, const struct rs_state *st)
{
	char tmp[sizeof(REALSERVER_STATE_DIR) + 68];
	FILE *f;

	if (!st->vip_count && !st->sysctl_count) {
		if (unlink(state_file()) && errno != ENOENT)
			goto err;
		return DRCTL_OK;
	}
	if (mkdir(REALSERVER_STATE_DIR, 0755) && errno != EEXIST)
		goto err;
	snprintf(tmp, sizeof(tmp), "%s.tmp", state_file());
	f = fopen(tmp, "w");
	if (!f)
		goto err;
	state_write(f, st);
	if (fclose(f) || rename(tmp, state_file()))
		goto err;
	return DRCTL_OK;
err:
	drctl_err(ctx, "cannot write %s: %s", state_file(), strerror(errno));
	return DRCTL_FAIL;
}

int rs_state_note_sysctl(const struct drctl *ctx, struct rs_state *st,
			 const char *iface, const char *knob, int prev)
{
	struct rs_sysctl *sc = &st->sysctls[st->sysctl_count];

	for (int i = 0; i < st->sysctl_count; i++) {
		if (!strcmp(st->sysctls[i].iface, iface) && !strcmp(st->sysctls[i].knob, knob))
			return DRCTL_OK;	/* keep the value from before the first setup */
	}
	if (st->sysctl_count == RS_MAX || strlen(iface) >= IFNAMSIZ) {
		drctl_err(ctx, "too many changes to remember (at most %d)", RS_MAX);
		return DRCTL_FAIL;
	}
	snprintf(sc->iface, sizeof(sc->iface), "%s", iface);
	snprintf(sc->knob, sizeof(sc->knob), "%s", knob);
	sc->prev = prev;
	st->sysctl_count++;
	return DRCTL_OK;
}

