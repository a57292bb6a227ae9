/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing shared by the command line, -b batches and restore: words,
 * numbers, addresses and ports, and the line tokeniser.
 */
#ifndef DRCTL_PARSE_H
#define DRCTL_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#include "msg.h"

/* Room for "[" IPv6 "]:" port and the NUL. */
#define ADDR_PORT_LEN	(INET6_ADDRSTRLEN + 8)
#define LINE_WORDS_MAX	64

union drctl_addr {
	struct in_addr v4;
	struct in6_addr v6;
	unsigned char raw[16];	/* as on the wire: IPv4 in the first 4 bytes */
};

/* What names a service: the key of every drlb request. */
struct svc_key {
	int af;
	uint8_t protocol;
	union drctl_addr addr;
	uint16_t port;		/* host order */
};

struct line_list {
	char **lines;
	size_t count;
	size_t size;
};

const struct drctl_cmd *cmd_match(const struct drctl_cmd *cmds, const char *word,
				  bool *ambiguous);

int parse_u32(const struct drctl *ctx, const char *what, const char *s,
	      uint32_t min, uint32_t max, uint32_t *val);
int parse_protocol(const struct drctl *ctx, const char *s, uint8_t *protocol);
int parse_addr(const char *s, int *af, union drctl_addr *addr);
int parse_vip_port(const struct drctl *ctx, const char *s, struct svc_key *key);
int parse_svc_key(const struct drctl *ctx, int argc, char **argv,
		  struct svc_key *key);
int parse_backend_addr(const struct drctl *ctx, const char *s,
		       const struct svc_key *key, union drctl_addr *addr);

const char *protocol_name(uint8_t protocol);
const char *format_addr(int af, const union drctl_addr *addr, char *buf);
const char *format_addr_port(int af, const union drctl_addr *addr, uint16_t port,
			     char *buf);

int tokenize(char *line, char **argv, int max);
int lines_add(struct line_list *list, const char *line);
int lines_read(struct line_list *list, FILE *f);
int lines_load(const struct drctl *ctx, struct line_list *list, FILE *f, const char *name);
void lines_free(struct line_list *list);

#endif /* DRCTL_PARSE_H */
