// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing shared by the command line, -b batches and restore, so that a line
 * of a saved file means exactly what the same words mean on the command line.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "parse.h"

/*
 * An exact name wins; otherwise the word must be the prefix of one name only,
 * and never selects a full_word command.
 */
const struct drctl_cmd *cmd_match(const struct drctl_cmd *cmds, const char *word,
				  bool *ambiguous)
{
	const struct drctl_cmd *found = NULL;
	size_t len = strlen(word);

	*ambiguous = false;
	if (!len)
		return NULL;
	for (const struct drctl_cmd *c = cmds; c->name; c++) {
		if (!strcmp(c->name, word))
			return c;
		if (c->full_word || strncmp(c->name, word, len))
			continue;
		if (found)
			*ambiguous = true;
		found = c;
	}
	return *ambiguous ? NULL : found;
}

int parse_u32(const struct drctl *ctx, const char *what, const char *s,
	      uint32_t min, uint32_t max, uint32_t *val)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		goto bad;
	*val = v;
	return DRCTL_OK;
bad:
	drctl_err(ctx, "invalid %s '%s' (%u-%u)", what, s, min, max);
	return DRCTL_USAGE;
}

int parse_protocol(const struct drctl *ctx, const char *s, uint8_t *protocol)
{
	if (!strcmp(s, "tcp")) {
		*protocol = IPPROTO_TCP;
		return DRCTL_OK;
	}
	if (!strcmp(s, "udp")) {
		*protocol = IPPROTO_UDP;
		return DRCTL_OK;
	}
	drctl_err(ctx, "invalid protocol '%s' (tcp or udp)", s);
	return DRCTL_USAGE;
}

int parse_addr(const char *s, int *af, union drctl_addr *addr)
{
	memset(addr, 0, sizeof(*addr));
	if (inet_pton(AF_INET, s, &addr->v4) == 1) {
		*af = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &addr->v6) == 1) {
		*af = AF_INET6;
		return 0;
	}
	return -1;
}

/*
 * Why the kernel refuses addr as a VIP or backend (src/netlink.c
 * drlb_nl_addr()), or NULL when it takes it.
 */
static const char *addr_refusal(int af, const union drctl_addr *addr)
{
	const struct in6_addr *a6 = &addr->v6;
	uint32_t a4 = ntohl(addr->v4.s_addr);

	if (af == AF_INET6) {
		if (IN6_IS_ADDR_UNSPECIFIED(a6))
			return "unspecified";
		if (IN6_IS_ADDR_LOOPBACK(a6))
			return "loopback";
		if (IN6_IS_ADDR_MULTICAST(a6))
			return "multicast";
		if (IN6_IS_ADDR_V4MAPPED(a6))
			return "IPv4-mapped";
		return NULL;
	}
	if ((a4 >> 24) == 0)
		return "0.0.0.0/8";
	if ((a4 >> 24) == 127)
		return "loopback";
	if ((a4 >> 28) == 0xe)
		return "multicast";
	if (a4 == 0xffffffff)
		return "broadcast";
	return NULL;
}

/* what ("VIP", "backend") addr must be an address the kernel takes. */
static int addr_check(const struct drctl *ctx, const char *what, int af,
		      const union drctl_addr *addr)
{
	const char *why = addr_refusal(af, addr);
	char buf[INET6_ADDRSTRLEN];

	format_addr(af, addr, buf);
	if (why) {
		drctl_err(ctx, "%s %s is not a unicast address (%s)", what, buf, why);
		return DRCTL_USAGE;
	}
	if (af == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(&addr->v6)) {
		drctl_err(ctx, "%s %s is link-local: the kernel refuses link-local IPv6 addresses",
			  what, buf);
		return DRCTL_USAGE;
	}
	return DRCTL_OK;
}

/*
 * Split "10.0.0.1:80", "[2001:db8::1]:80", "10.0.0.1", "[2001:db8::1]" or
 * "2001:db8::1" into host and port (NULL when absent). An IPv6 address needs
 * brackets to carry a port, as in URLs.
 */
static int split_host_port(const char *s, char *host, const char **port)
{
	const char *colon, *end;
	size_t len;

	*port = NULL;
	if (*s == '[') {
		end = strchr(++s, ']');
		if (!end || (end[1] && end[1] != ':'))
			return -1;
		if (end[1] == ':')
			*port = end + 2;
	} else {
		colon = strchr(s, ':');
		end = s + strlen(s);
		if (colon && !strchr(colon + 1, ':')) {
			end = colon;
			*port = colon + 1;
		}
	}
	len = end - s;
	if (len >= INET6_ADDRSTRLEN)
		return -1;
	memcpy(host, s, len);
	host[len] = '\0';
	return 0;
}

int parse_vip_port(const struct drctl *ctx, const char *s, struct svc_key *key)
{
	char host[INET6_ADDRSTRLEN];
	const char *port;
	uint32_t v;
	int ret;

	if (split_host_port(s, host, &port)) {
		drctl_err(ctx, "invalid VIP '%s'", s);
		return DRCTL_USAGE;
	}
	if (parse_addr(host, &key->af, &key->addr)) {
		drctl_err(ctx, "invalid VIP '%s'", host);
		return DRCTL_USAGE;
	}
	if (addr_check(ctx, "VIP", key->af, &key->addr))
		return DRCTL_USAGE;
	if (!port) {
		drctl_err(ctx, "missing port in '%s' (write VIP:PORT, IPv6 as [VIP]:PORT)", s);
		return DRCTL_USAGE;
	}
	ret = parse_u32(ctx, "port", port, 1, 65535, &v);
	if (ret)
		return ret;
	key->port = v;
	return DRCTL_OK;
}

int parse_svc_key(const struct drctl *ctx, int argc, char **argv,
		  struct svc_key *key)
{
	int ret;

	memset(key, 0, sizeof(*key));
	if (argc < 2) {
		drctl_err(ctx, "missing service: expected tcp|udp VIP:PORT");
		return DRCTL_USAGE;
	}
	ret = parse_protocol(ctx, argv[0], &key->protocol);
	if (ret)
		return ret;
	return parse_vip_port(ctx, argv[1], key);
}

/* A backend is an address; "RIP:PORT" is tolerated only with the service port. */
int parse_backend_addr(const struct drctl *ctx, const char *s,
		       const struct svc_key *key, union drctl_addr *addr)
{
	char host[INET6_ADDRSTRLEN];
	const char *port;
	uint32_t v;
	int af;

	if (split_host_port(s, host, &port) || parse_addr(host, &af, addr)) {
		drctl_err(ctx, "invalid backend address '%s'", s);
		return DRCTL_USAGE;
	}
	if (af != key->af) {
		drctl_err(ctx, "backend %s is %s but the service is %s", host,
			  af == AF_INET ? "IPv4" : "IPv6",
			  key->af == AF_INET ? "IPv4" : "IPv6");
		return DRCTL_USAGE;
	}
	if (addr_check(ctx, "backend", af, addr))
		return DRCTL_USAGE;
	if (!port)
		return DRCTL_OK;
	if (parse_u32(ctx, "port", port, 1, 65535, &v))
		return DRCTL_USAGE;
	if (v != key->port) {
		drctl_err(ctx, "backend '%s': DR cannot change the port (the service port is %u)",
			  s, key->port);
		return DRCTL_USAGE;
	}
	return DRCTL_OK;
}

const char *protocol_name(uint8_t protocol)
{
	switch (protocol) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	}
	return "unknown";
}

/* buf holds INET6_ADDRSTRLEN bytes. */
const char *format_addr(int af, const union drctl_addr *addr, char *buf)
{
	if (!inet_ntop(af, addr, buf, INET6_ADDRSTRLEN))
		snprintf(buf, INET6_ADDRSTRLEN, "?");
	return buf;
}

/* buf holds ADDR_PORT_LEN bytes. */
const char *format_addr_port(int af, const union drctl_addr *addr, uint16_t port,
			     char *buf)
{
	char host[INET6_ADDRSTRLEN];

	format_addr(af, addr, host);
	snprintf(buf, ADDR_PORT_LEN, af == AF_INET6 ? "[%s]:%u" : "%s:%u", host, port);
	return buf;
}

/*
 * Split a line into words in place. A word starting with '#' starts a
 * comment. Returns the number of words, or -1 when there are more than max.
 */
/*
 * Split line into words in place, as the POSIX shell does with quotes:
 * 'single quotes' keep everything up to the next quote, a backslash keeps
 * the character after it ('\'' puts a quote inside a quoted word, as save
 * writes it). Returns the count, -1 for too many words, -2 for a quote
 * left open.
 */
int tokenize(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line, *out;

	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			return argc;
		if (argc == max)
			return -1;
		out = p;
		argv[argc++] = p;
		while (*p && !isspace((unsigned char)*p)) {
			if (*p == '\'') {
				for (p++; *p && *p != '\''; )
					*out++ = *p++;
				if (!*p)
					return -2;
				p++;
			} else if (*p == '\\' && p[1]) {
				*out++ = p[1];
				p += 2;
			} else {
				*out++ = *p++;
			}
		}
		if (!*p) {
			*out = '\0';
			return argc;
		}
		p++;
		*out = '\0';
	}
}

int lines_add(struct line_list *list, const char *line)
{
	char **lines;
	char *copy;

	if (list->count == list->size) {
		size_t size = list->size ? list->size * 2 : 64;

		lines = realloc(list->lines, size * sizeof(*lines));
		if (!lines)
			return -ENOMEM;
		list->lines = lines;
		list->size = size;
	}
	copy = strdup(line);
	if (!copy)
		return -ENOMEM;
	list->lines[list->count++] = copy;
	return 0;
}

/* Every line, blank ones included, so that line N is lines[N - 1]. */
int lines_read(struct line_list *list, FILE *f)
{
	size_t size = 0;
	char *buf = NULL;
	ssize_t len;
	int ret = 0;

	while ((len = getline(&buf, &size, f)) >= 0) {
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			buf[--len] = '\0';
		/* A NUL would silently cut the line: refuse it (line count + 1). */
		if (memchr(buf, '\0', len)) {
			ret = -EILSEQ;
			break;
		}
		ret = lines_add(list, buf);
		if (ret)
			break;
	}
	if (!ret && ferror(f))
		ret = errno ? -errno : -EIO;
	free(buf);
	return ret;
}

/* lines_read() with the message for people; name is what f is called in it. */
int lines_load(const struct drctl *ctx, struct line_list *list, FILE *f, const char *name)
{
	int err = lines_read(list, f);

	if (err == -EILSEQ) {
		drctl_err(ctx, "%s:%zu: a NUL byte in the line; drctl reads text", name,
			  list->count + 1);
		return DRCTL_USAGE;
	}
	if (err) {
		drctl_err(ctx, "cannot read %s: %s", name, strerror(-err));
		return DRCTL_FAIL;
	}
	return DRCTL_OK;
}

void lines_free(struct line_list *list)
{
	for (size_t i = 0; i < list->count; i++)
		free(list->lines[i]);
	free(list->lines);
	memset(list, 0, sizeof(*list));
}
