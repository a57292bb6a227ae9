/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A health check's configuration: a plain struct (fixed-size strings, no
 * pointers), so that it is copied by assignment, never freed, and filled the
 * same way by drctl's parser and by drlbd. No dependency on the event loop:
 * drctl links this file alone.
 *
 * The text form, as words (argv):
 *
 *   TYPE: tcp
 *       | http  [path PATH] [status CODE] [host NAME]
 *       | https [path PATH] [status CODE] [host NAME] [sni NAME] [verify]
 *       | dns   [query NAME] [qtype A|AAAA]
 *       | exec  COMMAND [ARG...]
 *   options: [interval SECS] [timeout SECS] [rise N] [fall N] [port PORT]
 *            [on-down keep|expire] [alpha] [quorum N] [quorum-up 'COMMAND']
 *            [quorum-down 'COMMAND']
 *
 * The text drlbd_check_format() writes quotes words as the POSIX shell does:
 * in single quotes, a quote inside as '\''; no word holds a control character.
 *
 * Options may come before or after TYPE and its words, except with exec:
 * every word after COMMAND is one of its arguments, so exec's options come
 * before it ("interval 5 exec /usr/lib/check-db --replica").
 */
#ifndef DRLBD_CHECKCONF_H
#define DRLBD_CHECKCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DRLBD_NAME_MAX		256	/* host, sni, query: DNS names are 253 */
#define DRLBD_PATH_MAX		1024
#define DRLBD_COMMAND_MAX	1024	/* quorum commands; exec's words, NUL-separated */
#define DRLBD_EXEC_ARGS_MAX	32	/* COMMAND and its arguments */
#define DRLBD_CHECK_TEXT_MAX	(4 * DRLBD_COMMAND_MAX)

#define DRLBD_INTERVAL_DEFAULT_MS	2000
#define DRLBD_TIMEOUT_DEFAULT_MS	1000
#define DRLBD_RISE_DEFAULT		2
#define DRLBD_FALL_DEFAULT		3
#define DRLBD_STATUS_DEFAULT		200
/*
 * The root, as keepalived's DNS_CHECK: every recursive resolver answers it
 * (NOERROR, no A record) from its primed root hints, without recursing. An
 * authoritative-only server refuses it: give it `query` one of its names.
 */
#define DRLBD_QUERY_DEFAULT		"."

enum drlbd_check_type {
	DRLBD_CHECK_TCP,
	DRLBD_CHECK_HTTP,
	DRLBD_CHECK_HTTPS,
	DRLBD_CHECK_DNS,
	DRLBD_CHECK_EXEC,
};

struct drlbd_check {
	enum drlbd_check_type type;
	uint32_t interval_ms;
	uint32_t timeout_ms;	/* never above interval_ms */
	uint32_t rise;
	uint32_t fall;
	uint16_t port;		/* 0: the backend's own port */
	bool alpha;
	bool on_down_expire;	/* the kernel ends a down backend's connections */
	uint32_t quorum;	/* 0: no quorum */
	char quorum_up[DRLBD_COMMAND_MAX];	/* run by /bin/sh -c; "" for none */
	char quorum_down[DRLBD_COMMAND_MAX];

	/* http and https */
	char path[DRLBD_PATH_MAX];
	uint16_t status;
	char host[DRLBD_NAME_MAX];	/* "": the backend's address */
	char sni[DRLBD_NAME_MAX];	/* https; "": host, else no SNI */
	bool verify;			/* https */

	/* dns */
	char query[DRLBD_NAME_MAX];
	uint16_t qtype;			/* 1 (A) or 28 (AAAA) */

	/* exec: exec_argc words, each NUL-terminated, one after the other */
	uint32_t exec_argc;
	char exec_words[DRLBD_COMMAND_MAX];
};

void drlbd_check_init(struct drlbd_check *check);
int drlbd_check_parse(struct drlbd_check *check, int argc, char **argv,
		      char *err, size_t errlen);
int drlbd_check_validate(const struct drlbd_check *check, char *err, size_t errlen);
int drlbd_check_format(const struct drlbd_check *check, char *buf, size_t len);
int drlbd_check_exec_argv(const struct drlbd_check *check,
			  const char *argv[DRLBD_EXEC_ARGS_MAX + 1]);
const char *drlbd_check_type_name(enum drlbd_check_type type);

#endif /* DRLBD_CHECKCONF_H */
