/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DRLB_PARSE_H
#define _DRLB_PARSE_H

#include <linux/skbuff.h>

#include "conn.h"

/*
 * What the packet path learns of a packet before deciding. For an ICMP
 * error about one of our connections, @key is that connection's, taken
 * from the packet the error quotes.
 */
struct drlb_pkt {
	struct drlb_conn_key key;
	bool syn, ack, fin, rst;
	bool icmp;
};

int drlb_parse_ipv4(const struct sk_buff *skb, struct drlb_pkt *pkt);
int drlb_parse_ipv6(const struct sk_buff *skb, struct drlb_pkt *pkt);

#endif /* _DRLB_PARSE_H */
