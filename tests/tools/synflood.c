// SPDX-License-Identifier: GPL-2.0
/*
 * synflood: TCP SYNs from random (spoofed) IPv4 sources to one address and
 * port, written straight to a device with a packet socket, batched with
 * sendmmsg(). For the hardening tests and the benchmark.
 *
 * synflood IFACE DST_MAC DST_IP DST_PORT COUNT [SRC_NET [syn|ack]]
 *   SRC_NET: sources are SRC_NET.x.y with random x, y (default 172.16).
 *   ack: bare ACKs instead of SYNs, as if mid-stream (spoofed ACK floods).
 * Prints the packets sent and the rate.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH	64
#define FRAME	(sizeof(struct ether_header) + sizeof(struct iphdr) + sizeof(struct tcphdr))

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint16_t *p = data;

	for (; len > 1; len -= 2)
		sum += *p++;
	return sum;
}

/* xorshift: fast, and random enough for source addresses. */
static uint32_t rnd(void)
{
	static uint32_t x = 2463534242u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

static void frame(unsigned char *f, const unsigned char *smac, const unsigned char *dmac,
		  uint32_t net, uint32_t daddr, uint16_t dport, bool ack)
{
	struct ether_header *eth = (void *)f;
	struct iphdr *ip = (void *)(eth + 1);
	struct tcphdr *th = (void *)(ip + 1);
	struct { uint32_t s, d; uint8_t z, p; uint16_t len; } ph;
	uint32_t r = rnd();

	memcpy(eth->ether_dhost, dmac, 6);
	memcpy(eth->ether_shost, smac, 6);
	eth->ether_type = htons(ETHERTYPE_IP);
	memset(ip, 0, sizeof(*ip) + sizeof(*th));
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_TCP;
	ip->tot_len = htons(sizeof(*ip) + sizeof(*th));
	ip->saddr = htonl(net | (r & 0xffff));
	ip->daddr = daddr;
	ip->check = csum_fold(csum_add(0, ip, sizeof(*ip)));
	th->source = htons(1024 + (r >> 16) % 60000);
	th->dest = dport;
	th->seq = rnd();
	th->doff = 5;
	th->syn = !ack;
	th->ack = ack;
	th->ack_seq = ack ? rnd() : 0;
	th->window = htons(64240);
	ph = (typeof(ph)){ ip->saddr, daddr, 0, IPPROTO_TCP, htons(sizeof(*th)) };
	th->check = csum_fold(csum_add(csum_add(0, &ph, sizeof(ph)), th, sizeof(*th)));
}

int main(int argc, char **argv)
{
	unsigned char smac[6], dmac[6], frames[BATCH][FRAME];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	unsigned long count, sent = 0;
	uint32_t net = 0xac100000, daddr;
	struct timespec t0, t1;
	struct ifreq ifr = { 0 };
	unsigned int a, b;
	bool ack = false;
	double secs;
	int fd, i;

	if (argc < 6 || sscanf(argv[2], "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &dmac[0], &dmac[1],
			       &dmac[2], &dmac[3], &dmac[4], &dmac[5]) != 6 ||
	    inet_pton(AF_INET, argv[3], &daddr) != 1 ||
	    (argc > 6 && sscanf(argv[6], "%u.%u", &a, &b) != 2) ||
	    (argc > 7 && strcmp(argv[7], "syn") && strcmp(argv[7], "ack"))) {
		fprintf(stderr,
			"usage: synflood IFACE DST_MAC DST_IP DST_PORT COUNT [SRC_NET [syn|ack]]\n");
		return 2;
	}
	if (argc > 6)
		net = (a << 24) | (b << 16);
	count = strtoul(argv[5], NULL, 0);
	ack = argc > 7 && !strcmp(argv[7], "ack");
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("synflood: socket");
		return 1;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[1]);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
		fprintf(stderr, "synflood: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	memcpy(smac, ifr.ifr_hwaddr.sa_data, 6);
	sll.sll_ifindex = if_nametoindex(argv[1]);
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, dmac, 6);
	for (i = 0; i < BATCH; i++) {
		iov[i] = (struct iovec){ frames[i], FRAME };
		msgs[i].msg_hdr = (struct msghdr){ .msg_name = &sll, .msg_namelen = sizeof(sll),
						   .msg_iov = &iov[i], .msg_iovlen = 1 };
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (sent < count) {
		int n = count - sent < BATCH ? count - sent : BATCH;

		for (i = 0; i < n; i++)
			frame(frames[i], smac, dmac, net, daddr, htons(atoi(argv[4])), ack);
		n = sendmmsg(fd, msgs, n, 0);
		if (n < 0) {
			if (errno == ENOBUFS || errno == EAGAIN)
				continue;
			perror("synflood: sendmmsg");
			return 1;
		}
		sent += n;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("synflood: %lu %s in %.1f s (%.0f/s)\n", sent, ack ? "ACKs" : "SYNs", secs,
	       sent / secs);
	return 0;
}
