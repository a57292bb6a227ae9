// SPDX-License-Identifier: GPL-2.0
/*
 * dns: one query over UDP (RFC 1035 4.1), healthy when the answer with our
 * id says NOERROR. The socket is connected, so an ICMP port unreachable
 * comes back as ECONNREFUSED rather than as a timeout.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "probe.h"

#define DNS_HEADER_LEN	12
#define DNS_FLAG_QR	0x8000
#define DNS_FLAG_RD	0x0100
#define DNS_CLASS_IN	1
#define DNS_QUERY_MAX	(DNS_HEADER_LEN + DRLBD_NAME_MAX + 2 + 4)
/* RFC 1035 2.3.4, without EDNS: enough for the header we read */
#define DNS_ANSWER_MAX	512

struct dns {
	uint16_t id;
};

static const char *const rcode_names[] = {
	"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
};

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static uint16_t get16(const unsigned char *p)
{
	return p[0] << 8 | p[1];
}

/* A random id, so that an off-path answer has to guess it (RFC 5452). */
static uint16_t dns_id(void)
{
	uint16_t id;

	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) != sizeof(id))
		id = rand();
	return id;
}

/* "ok.test" as 2 "ok" 4 "test" 0; the root "." as 0. checkconf checked it. */
static size_t dns_query(const struct probe *p, uint16_t id, unsigned char *buf)
{
	const char *name = p->check->query;
	size_t n = DNS_HEADER_LEN;

	memset(buf, 0, DNS_HEADER_LEN);
	put16(buf, id);
	put16(buf + 2, DNS_FLAG_RD);
	put16(buf + 4, 1);	/* one question */
	while (*name && strcmp(name, ".")) {
		const char *dot = strchr(name, '.');
		size_t len = dot ? (size_t)(dot - name) : strlen(name);

		buf[n++] = len;
		memcpy(buf + n, name, len);
		n += len;
		name += len + (dot ? 1 : 0);
	}
	buf[n++] = 0;
	put16(buf + n, p->check->qtype);
	put16(buf + n + 2, DNS_CLASS_IN);
	return n + 4;
}

static void dns_fail_errno(struct probe *p, int err)
{
	if (err == ECONNREFUSED)
		probe_finish(p, false, "port unreachable");
	else
		probe_finish_errno(p, err);
}

static void dns_answer(struct loop_watch *w, uint32_t events)
{
	struct probe *p = container_of(w, struct probe, watch);
	struct dns *d = p->state;
	unsigned char buf[DNS_ANSWER_MAX];
	uint16_t flags, rcode;
	ssize_t n;

	(void)events;
	n = recv(w->fd, buf, sizeof(buf), 0);
	if (n < 0) {
		if (errno != EAGAIN)
			dns_fail_errno(p, errno);
		return;
	}
	/* Not ours (a late answer to nothing, or forged): keep waiting. */
	if (n < DNS_HEADER_LEN || get16(buf) != d->id || !(get16(buf + 2) & DNS_FLAG_QR))
		return;
	flags = get16(buf + 2);
	rcode = flags & 0xf;
	if (rcode == 0)
		probe_finish(p, true, "rcode NOERROR, %u answer%s", get16(buf + 6),
			     get16(buf + 6) == 1 ? "" : "s");
	else if (rcode < ARRAY_SIZE(rcode_names))
		probe_finish(p, false, "rcode %s", rcode_names[rcode]);
	else
		probe_finish(p, false, "rcode %u", rcode);
}

static void dns_start(struct probe *p)
{
	unsigned char query[DNS_QUERY_MAX];
	struct dns *d = calloc(1, sizeof(*d));
	size_t len;
	int err;

	if (!d) {
		probe_finish(p, false, "out of memory");
		return;
	}
	p->state = d;
	d->id = dns_id();
	len = dns_query(p, d->id, query);
	err = probe_socket(p, SOCK_DGRAM, EPOLLIN, dns_answer);
	if (err) {
		probe_finish_errno(p, -err);
		return;
	}
	/* A datagram this small goes out whole or not at all. */
	if (send(p->watch.fd, query, len, 0) < 0)
		dns_fail_errno(p, errno);
}

static void dns_stop(struct probe *p)
{
	free(p->state);
	p->state = NULL;
}

const struct probe_ops probe_dns_ops = {
	.start = dns_start,
	.stop = dns_stop,
};
