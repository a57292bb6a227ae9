// SPDX-License-Identifier: GPL-2.0
/*
 * exec: COMMAND with its ARGs, no shell, healthy when it exits 0 within the
 * timeout. It learns what to check from its environment:
 *   DRLB_BACKEND_ADDR  10.0.0.12, 2001:db8::12
 *   DRLB_BACKEND_PORT  the port probed (the check's port, else the backend's)
 *   DRLB_SERVICE       the service's name, "tcp 10.0.0.100:80"
 * At the timeout its process group is killed (SIGKILL) and reaped on the loop.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe.h"

#define ENV_ADDR_MAX	(sizeof("DRLB_BACKEND_ADDR=") + INET6_ADDRSTRLEN)
#define ENV_PORT_MAX	(sizeof("DRLB_BACKEND_PORT=65535"))

struct exec {
	struct child *child;	/* NULL once it exited */
};

static void exec_exited(void *data, int status)
{
	struct probe *p = data;
	struct exec *e = p->state;
	char text[64];

	e->child = NULL;
	child_status_text(status, text, sizeof(text));
	probe_finish(p, !strcmp(text, "exit 0"), "%s", text);
}

static void exec_start(struct probe *p)
{
	const char *argv[DRLBD_EXEC_ARGS_MAX + 1];
	char addr[ENV_ADDR_MAX], port[ENV_PORT_MAX], text[INET6_ADDRSTRLEN];
	char *service, **env;
	struct exec *e;
	int err = 0;

	drlbd_check_exec_argv(p->check, argv);
	e = calloc(1, sizeof(*e));
	if (!e || asprintf(&service, "DRLB_SERVICE=%s", p->env->service) < 0) {
		free(e);
		probe_finish(p, false, "out of memory");
		return;
	}
	p->state = e;
	snprintf(addr, sizeof(addr), "DRLB_BACKEND_ADDR=%s",
		 probe_addr_text(p, text, sizeof(text)));
	snprintf(port, sizeof(port), "DRLB_BACKEND_PORT=%u", probe_port(p));
	env = child_env((const char *const[]){ addr, port, service, NULL });
	if (env)
		e->child = child_spawn(p->env->children, argv, env, exec_exited, p, &err);
	free(env);
	free(service);
	if (!env)
		probe_finish(p, false, "out of memory");
	else if (!e->child)
		probe_finish(p, false, "cannot run %s: %s", argv[0], strerror(err));
}

static void exec_stop(struct probe *p)
{
	struct exec *e = p->state;

	if (!e)
		return;
	if (e->child)
		child_kill(e->child);
	free(e);
	p->state = NULL;
}

const struct probe_ops probe_exec_ops = {
	.start = exec_start,
	.stop = exec_stop,
};
