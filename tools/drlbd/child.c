// SPDX-License-Identifier: GPL-2.0
/*
 * posix_spawn(), not fork(): it is a vfork-like clone that does not copy the
 * daemon's page tables, which matters with a thousand exec checks a second.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"

extern char **environ;

/*
 * The daemon's environment without its own DRLB_ variables, then extra
 * (NULL-terminated). Free the array alone: the strings are not copied.
 */
char **child_env(const char *const extra[])
{
	size_t n = 0, more = 0, i = 0;
	char **env;

	while (environ && environ[n])
		n++;
	while (extra[more])
		more++;
	env = calloc(n + more + 1, sizeof(*env));
	if (!env)
		return NULL;
	for (size_t j = 0; j < n; j++)
		if (strncmp(environ[j], "DRLB_", 5))
			env[i++] = environ[j];
	for (size_t j = 0; j < more; j++)
		env[i++] = (char *)extra[j];
	return env;
}

void children_init(struct children *children, struct loop *loop)
{
	children->loop = loop;
	list_init(&children->list);
}

static void child_forget(struct child *ch)
{
	loop_watch_del(ch->children->loop, &ch->watch);
	close(ch->watch.fd);
	list_del(&ch->node);
	loop_free_later(ch->children->loop, &ch->deferred, ch);
}

static void child_exited(struct loop_watch *w, uint32_t events)
{
	struct child *ch = container_of(w, struct child, watch);
	int status;

	(void)events;
	if (waitpid(ch->pid, &status, WNOHANG) <= 0)
		return;
	child_forget(ch);
	if (ch->exited)
		ch->exited(ch->data, status);
}

/*
 * At shutdown: the killed are reaped now (SIGKILL is not long in coming);
 * the others (a quorum command) are left to finish, and to init.
 */
void children_release(struct children *children)
{
	struct child *ch, *next;

	list_for_each_entry_safe(ch, next, &children->list, node) {
		if (ch->killed)
			waitpid(ch->pid, NULL, 0);
		child_forget(ch);
	}
}

static int spawn_attrs(posix_spawnattr_t *attr, posix_spawn_file_actions_t *fa)
{
	sigset_t none, all;

	sigemptyset(&none);
	sigfillset(&all);
	/* Its own group, to kill it whole; the daemon's masks and ignores not inherited. */
	if (posix_spawnattr_init(attr))
		return -1;
	if (posix_spawnattr_setflags(attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
				     POSIX_SPAWN_SETSIGDEF) ||
	    posix_spawnattr_setpgroup(attr, 0) ||
	    posix_spawnattr_setsigmask(attr, &none) ||
	    posix_spawnattr_setsigdefault(attr, &all))
		goto err_attr;
	if (posix_spawn_file_actions_init(fa))
		goto err_attr;
	/* stdin and stdout to /dev/null; stderr stays, for the journal */
	if (posix_spawn_file_actions_addopen(fa, 0, "/dev/null", O_RDONLY, 0) ||
	    posix_spawn_file_actions_addopen(fa, 1, "/dev/null", O_WRONLY, 0))
		goto err_fa;
	return 0;

err_fa:
	posix_spawn_file_actions_destroy(fa);
err_attr:
	posix_spawnattr_destroy(attr);
	return -1;
}

/* argv[0] is looked up in PATH. On failure NULL, *err the errno. */
struct child *child_spawn(struct children *children, const char *const argv[],
			  char *const envp[], void (*exited)(void *data, int status),
			  void *data, int *err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	struct child *ch;

	ch = calloc(1, sizeof(*ch));
	if (!ch)
		goto err;
	if (spawn_attrs(&attr, &fa)) {
		*err = ENOMEM;
		goto err_free;
	}
	*err = posix_spawnp(&ch->pid, argv[0], &fa, &attr, (char *const *)argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (*err) {
		free(ch);
		return NULL;
	}
	ch->watch.fd = syscall(SYS_pidfd_open, ch->pid, 0);
	if (ch->watch.fd < 0 ||
	    loop_watch_add(children->loop, &ch->watch, ch->watch.fd, EPOLLIN, child_exited))
		goto err_kill;
	ch->children = children;
	ch->exited = exited;
	ch->data = data;
	list_add_tail(&ch->node, &children->list);
	return ch;

err_kill:
	*err = ch->watch.fd < 0 ? errno : ENOMEM;
	/* Cannot watch it, so do not leave it running: the one blocking wait. */
	kill(-ch->pid, SIGKILL);
	waitpid(ch->pid, NULL, 0);
	if (ch->watch.fd >= 0)
		close(ch->watch.fd);
err_free:
	free(ch);
	return NULL;
err:
	*err = errno;
	return NULL;
}

/* Its whole group, so a shell script's children go too. Reaped on the loop. */
void child_kill(struct child *ch)
{
	kill(-ch->pid, SIGKILL);
	ch->killed = true;
	ch->exited = NULL;
}

void child_detach(struct child *ch)
{
	ch->exited = NULL;
}

const char *child_status_text(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "wait status %#x", status);
	return buf;
}
