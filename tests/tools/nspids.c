// SPDX-License-Identifier: GPL-2.0
/*
 * nspids: the processes in network namespaces, as `ip netns pids` finds
 * them, for the lab's helpers: under TCG, and more with KASAN, a bash loop
 * over /proc costs seconds where one small process costs a fraction of one.
 *
 * nspids [-1] NS...     print the pids in /run/netns/NS... (-1: the first)
 * nspids -k NS...       kill -9 them, and wait until none is left (5 s)
 * Zombies have no namespace to follow and are not counted. Exit 1 if -1
 * found none, or -k left some.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define MAX_NS	16

static struct stat ns[MAX_NS];
static int nr_ns;

static bool in_lab_ns(pid_t pid)
{
	char path[64];
	struct stat st;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
	if (stat(path, &st))
		return false;
	for (i = 0; i < nr_ns; i++)
		if (st.st_dev == ns[i].st_dev && st.st_ino == ns[i].st_ino)
			return true;
	return false;
}

/* Call fn on every pid in the namespaces; stop at the first if first. */
static int scan(void (*fn)(pid_t), bool first)
{
	pid_t self = getpid();
	struct dirent *d;
	int found = 0;
	DIR *proc;

	proc = opendir("/proc");
	if (!proc) {
		perror("nspids: /proc");
		exit(2);
	}
	while ((d = readdir(proc))) {
		pid_t pid;

		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		pid = atoi(d->d_name);
		if (pid == self || !in_lab_ns(pid))
			continue;
		fn(pid);
		found++;
		if (first)
			break;
	}
	closedir(proc);
	return found;
}

static void print_pid(pid_t pid)
{
	printf("%d\n", pid);
}

static void kill_pid(pid_t pid)
{
	kill(pid, SIGKILL);
}

int main(int argc, char **argv)
{
	const struct timespec tick = { .tv_nsec = 20 * 1000 * 1000 };
	bool do_kill = false, first = false;
	int i, tries;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-k"))
			do_kill = true;
		else if (!strcmp(argv[i], "-1"))
			first = true;
		else
			break;
	}
	if (i == argc) {
		fprintf(stderr, "usage: nspids [-1|-k] NS...\n");
		return 2;
	}
	for (; i < argc; i++) {
		char path[256];

		if (nr_ns == MAX_NS) {
			fprintf(stderr, "nspids: more than %d namespaces\n", MAX_NS);
			return 2;
		}
		snprintf(path, sizeof(path), "/run/netns/%s", argv[i]);
		/* A namespace that is not there has no processes. */
		if (!stat(path, &ns[nr_ns]))
			nr_ns++;
	}
	if (!nr_ns)
		return first ? 1 : 0;
	if (!do_kill)
		return scan(print_pid, first) || !first ? 0 : 1;
	/* Kill what is there, again for what a dying process forked. */
	for (tries = 0; tries < 250; tries++) {
		if (!scan(kill_pid, false))
			return 0;
		nanosleep(&tick, NULL);
	}
	fprintf(stderr, "nspids: processes left in the namespaces after 5 s\n");
	return 1;
}
