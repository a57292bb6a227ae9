/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Child processes (exec checks, quorum commands), each in its own process
 * group, watched by a pidfd on the loop and reaped there: no SIGCHLD, no
 * blocking wait while the loop runs.
 */
#ifndef DRLBD_CHILD_H
#define DRLBD_CHILD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "list.h"
#include "loop.h"

struct children {
	struct loop *loop;
	struct list_head list;	/* of struct child, until reaped */
};

struct child {
	struct list_head node;
	struct loop_watch watch;	/* the pidfd */
	struct loop_deferred deferred;
	struct children *children;
	pid_t pid;
	bool killed;
	/* NULL once detached or killed: reaped without a word */
	void (*exited)(void *data, int status);
	void *data;
};

void children_init(struct children *children, struct loop *loop);
void children_release(struct children *children);

struct child *child_spawn(struct children *children, const char *const argv[],
			  char *const envp[], void (*exited)(void *data, int status),
			  void *data, int *err);
void child_kill(struct child *ch);
void child_detach(struct child *ch);
char **child_env(const char *const extra[]);
const char *child_status_text(int status, char *buf, size_t len);

#endif /* DRLBD_CHILD_H */
