// SPDX-License-Identifier: GPL-2.0
/*
 * The realserver state file: what setup changed, with the previous values,
 * so that teardown undoes exactly that and nothing an operator set by hand.
 *
 * Teardown writes what the file says as root, so the file is trusted no more
 * than input: only the two ARP knobs of valid interface names are accepted.
 * It is written privately (0600, never through a symlink), fsynced and
 * renamed into place, and one lock serialises every setup and teardown.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rsstate.h"

#define STATE_WORDS	5

/* DRCTL_STATE_DIR moves the state elsewhere, for tests. */
static const char *state_dir(void)
{
	const char *dir = getenv("DRCTL_STATE_DIR");

	return dir && *dir ? dir : REALSERVER_STATE_DIR;
}

/*
 * The state is per network namespace, as what it records is: the namespace
 * of pid 1 (the host, or a container's own) uses realserver.state, any other
 * a file named after the namespace's inode, so that real servers in several
 * namespaces of one machine (a lab) keep apart. When /proc/1/ns/net cannot
 * be read (pid 1 not ours to inspect) the inode names this namespace too:
 * never the host's file on a guess.
 */
static int state_file(const struct drctl *ctx, char *path, size_t len)
{
	struct stat self, init;

	if (stat("/proc/self/ns/net", &self)) {
		drctl_err(ctx, "cannot tell which network namespace this is (/proc/self/ns/net: %s); is /proc mounted?",
			  strerror(errno));
		return DRCTL_FAIL;
	}
	if (!stat("/proc/1/ns/net", &init) && self.st_ino == init.st_ino &&
	    self.st_dev == init.st_dev)
		snprintf(path, len, "%s/realserver.state", state_dir());
	else
		snprintf(path, len, "%s/realserver-netns-%lu.state", state_dir(),
			 (unsigned long)self.st_ino);
	return DRCTL_OK;
}

bool rs_knob_name_valid(const char *knob)
{
	return !strcmp(knob, "arp_ignore") || !strcmp(knob, "arp_announce");
}

/* As the kernel's dev_valid_name(), plus "all". */
bool rs_iface_name_valid(const char *iface)
{
	size_t len = strlen(iface);

	if (!len || len >= IFNAMSIZ || !strcmp(iface, ".") || !strcmp(iface, ".."))
		return false;
	for (const char *p = iface; *p; p++)
		if (*p == '/' || *p == ':' || isspace((unsigned char)*p))
			return false;
	return true;
}

/* Words at spaces; only a line starting with '#' is a comment ('#x' is a name). */
static int state_words(char *line, char **argv)
{
	char *save = NULL;
	int argc = 0;

	if (line[0] == '#')
		return 0;
	for (char *w = strtok_r(line, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (argc == STATE_WORDS)
			return -1;
		argv[argc++] = w;
	}
	return argc;
}

static int state_load_line(struct rs_state *st, char *line)
{
	struct rs_vip *vip = &st->vips[st->vip_count];
	struct rs_sysctl *sc = &st->sysctls[st->sysctl_count];
	char *argv[STATE_WORDS], *end;
	int argc = state_words(line, argv);
	long prev;

	if (!argc)
		return 0;
	if (argc == 3 && !strcmp(argv[0], "vip") && st->vip_count < RS_MAX &&
	    !parse_addr(argv[1], &vip->af, &vip->addr) &&
	    (!strcmp(argv[2], "added") || !strcmp(argv[2], "kept"))) {
		vip->added = !strcmp(argv[2], "added");
		st->vip_count++;
		return 0;
	}
	if (argc != 4 || strcmp(argv[0], "sysctl") || st->sysctl_count == RS_MAX ||
	    !rs_iface_name_valid(argv[1]) || !rs_knob_name_valid(argv[2]))
		return -1;
	errno = 0;
	prev = strtol(argv[3], &end, 10);
	if (errno || *end || end == argv[3] || prev < 0 || prev > 8)
		return -1;
	snprintf(sc->iface, sizeof(sc->iface), "%s", argv[1]);
	snprintf(sc->knob, sizeof(sc->knob), "%s", argv[2]);
	sc->prev = prev;
	st->sysctl_count++;
	return 0;
}

static int state_load(const struct drctl *ctx, struct rs_state *st, const char *path)
{
	struct line_list lines = { 0 };
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
	int ret = 0;

	if (fd < 0 && errno == ENOENT)
		return DRCTL_OK;
	if (!f || lines_read(&lines, f)) {
		drctl_err(ctx, "cannot read %s: %s", path, strerror(errno));
		if (f)
			fclose(f);
		else if (fd >= 0)
			close(fd);
		lines_free(&lines);
		return DRCTL_FAIL;
	}
	fclose(f);
	for (size_t i = 0; !ret && i < lines.count; i++)
		ret = state_load_line(st, lines.lines[i]);
	lines_free(&lines);
	if (!ret)
		return DRCTL_OK;
	drctl_err(ctx, "%s is corrupt; fix or remove it", path);
	return DRCTL_FAIL;
}

/* Takes the lock, then reads the state (none yet is an empty one). */
int rs_state_open(const struct drctl *ctx, struct rs_state *st)
{
	char file[PATH_MAX], lock[PATH_MAX];

	memset(st, 0, sizeof(*st));
	st->lock_fd = -1;
	if (state_file(ctx, file, sizeof(file)))
		return DRCTL_FAIL;
	snprintf(lock, sizeof(lock), "%s/realserver.lock", state_dir());
	if (mkdir(state_dir(), 0700) && errno != EEXIST) {
		drctl_err(ctx, "cannot create %s: %s", state_dir(), strerror(errno));
		return DRCTL_FAIL;
	}
	st->lock_fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (st->lock_fd < 0 || flock(st->lock_fd, LOCK_EX)) {
		drctl_err(ctx, "cannot lock %s: %s", lock, strerror(errno));
		rs_state_close(st);
		return DRCTL_FAIL;
	}
	if (state_load(ctx, st, file)) {
		rs_state_close(st);
		return DRCTL_FAIL;
	}
	return DRCTL_OK;
}

void rs_state_close(struct rs_state *st)
{
	if (st->lock_fd >= 0)
		close(st->lock_fd);
	st->lock_fd = -1;
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

/* A new file of our own: what was at tmp (a crash's leftover, a symlink) goes. */
static FILE *tmp_create(const char *tmp)
{
	int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
	int fd = open(tmp, flags, 0600);

	if (fd < 0 && errno == EEXIST && !unlink(tmp))
		fd = open(tmp, flags, 0600);
	return fd >= 0 ? fdopen(fd, "w") : NULL;
}

/* Written to a temporary file, fsynced and renamed, so a crash leaves the old state. */
int rs_state_save(const struct drctl *ctx, const struct rs_state *st)
{
	char path[PATH_MAX], tmp[PATH_MAX + 4];
	FILE *f;
	int dir;

	if (state_file(ctx, path, sizeof(path)))
		return DRCTL_FAIL;
	if (!st->vip_count && !st->sysctl_count) {
		if (unlink(path) && errno != ENOENT)
			goto err;
		return DRCTL_OK;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = tmp_create(tmp);
	if (!f)
		goto err;
	state_write(f, st);
	if (fflush(f) || fsync(fileno(f))) {
		fclose(f);
		unlink(tmp);
		goto err;
	}
	if (fclose(f) || rename(tmp, path))
		goto err;
	dir = open(state_dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir >= 0) {
		fsync(dir);
		close(dir);
	}
	return DRCTL_OK;
err:
	drctl_err(ctx, "cannot write %s: %s", path, strerror(errno));
	return DRCTL_FAIL;
}

struct rs_vip *rs_state_vip(struct rs_state *st, const struct rs_vip *vip)
{
	for (int i = 0; i < st->vip_count; i++) {
		if (st->vips[i].af == vip->af &&
		    !memcmp(&st->vips[i].addr, &vip->addr, sizeof(vip->addr)))
			return &st->vips[i];
	}
	return NULL;
}

/* Records vip as setup found it (added: setup adds it); a VIP known before stays. */
int rs_state_note_vip(const struct drctl *ctx, struct rs_state *st, const struct rs_vip *vip)
{
	struct rs_vip *known = rs_state_vip(st, vip);

	if (known) {
		known->added |= vip->added;
		return DRCTL_OK;
	}
	if (st->vip_count == RS_MAX) {
		drctl_err(ctx, "too many VIPs to remember (at most %d)", RS_MAX);
		return DRCTL_FAIL;
	}
	st->vips[st->vip_count++] = *vip;
	return DRCTL_OK;
}

int rs_state_note_sysctl(const struct drctl *ctx, struct rs_state *st,
			 const char *iface, const char *knob, int prev)
{
	struct rs_sysctl *sc = &st->sysctls[st->sysctl_count];

	for (int i = 0; i < st->sysctl_count; i++) {
		if (!strcmp(st->sysctls[i].iface, iface) && !strcmp(st->sysctls[i].knob, knob))
			return DRCTL_OK;	/* keep the value from before the first setup */
	}
	if (!rs_iface_name_valid(iface) || !rs_knob_name_valid(knob)) {
		drctl_err(ctx, "cannot remember net.ipv4.conf.%s.%s", iface, knob);
		return DRCTL_FAIL;
	}
	if (st->sysctl_count == RS_MAX) {
		drctl_err(ctx, "too many changes to remember (at most %d)", RS_MAX);
		return DRCTL_FAIL;
	}
	snprintf(sc->iface, sizeof(sc->iface), "%s", iface);
	snprintf(sc->knob, sizeof(sc->knob), "%s", knob);
	sc->prev = prev;
	st->sysctl_count++;
	return DRCTL_OK;
}
