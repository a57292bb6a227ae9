/* SPDX-License-Identifier: GPL-2.0 */
#ifndef DRCTL_RSSTATE_H
#define DRCTL_RSSTATE_H

#include <net/if.h>

#include "parse.h"

#ifndef REALSERVER_STATE_DIR	/* the fuzzer keeps its own */
#define REALSERVER_STATE_DIR	"/run/drctl"
#endif

#define RS_MAX		256
#define KNOB_LEN	16

struct rs_vip {
	int af;
	union drctl_addr addr;
	bool added;		/* state: setup added it to lo (else it was there) */
};

struct rs_sysctl {
	char iface[IFNAMSIZ];
	char knob[KNOB_LEN];
	int prev;
};

/* What setup changed in this network namespace, held under a lock while open. */
struct rs_state {
	struct rs_vip vips[RS_MAX];
	int vip_count;
	struct rs_sysctl sysctls[RS_MAX];
	int sysctl_count;
	int lock_fd;
};

bool rs_knob_name_valid(const char *knob);
bool rs_iface_name_valid(const char *iface);

int rs_state_open(const struct drctl *ctx, struct rs_state *st);
int rs_state_save(const struct drctl *ctx, const struct rs_state *st);
void rs_state_close(struct rs_state *st);

struct rs_vip *rs_state_vip(struct rs_state *st, const struct rs_vip *vip);
int rs_state_note_vip(const struct drctl *ctx, struct rs_state *st, const struct rs_vip *vip);
int rs_state_note_sysctl(const struct drctl *ctx, struct rs_state *st,
			 const char *iface, const char *knob, int prev);

#endif /* DRCTL_RSSTATE_H */
