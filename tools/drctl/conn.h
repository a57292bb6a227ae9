/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRCTL_CONN_H
#define DRCTL_CONN_H

#include "nl.h"

struct conn_info {
	int af;
	uint8_t protocol;
	union drctl_addr caddr;
	union drctl_addr vaddr;
	union drctl_addr daddr;
	uint16_t cport;
	uint16_t vport;
	uint8_t state;
	uint32_t expires;
};

extern const char conn_usage[];

int conn_main(struct drctl *ctx, int argc, char **argv);

#endif /* DRCTL_CONN_H */
