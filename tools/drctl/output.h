/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output: the same structures printed as aligned text for people or as one
 * JSON document (-j, -p pretty) for programs.
 */
#ifndef DRCTL_OUTPUT_H
#define DRCTL_OUTPUT_H

#include "config.h"
#include "conn.h"
#include "service.h"

#define OUT_DEPTH_MAX	8

struct out {
	FILE *f;
	const struct drctl_opts *opts;
	int depth;
	bool first[OUT_DEPTH_MAX];	/* nothing written yet at this depth */
};

void json_string(FILE *f, const char *s);
void out_init(struct out *o, const struct drctl *ctx);
void out_begin_object(struct out *o, const char *key);
void out_end_object(struct out *o);
void out_begin_array(struct out *o, const char *key);
void out_end_array(struct out *o);
void out_str(struct out *o, const char *key, const char *val);
void out_u64(struct out *o, const char *key, uint64_t val);
void out_bool(struct out *o, const char *key, bool val);

/* @s in capitals, as ipvsadm prints protocols and states, into @buf. */
const char *upper(const char *s, char *buf, size_t len);
const char *conn_state_name(uint8_t state);
const char *health_name(uint8_t health);
/* A service's table digest: 8 hex digits, or "-" while no backend takes connections. */
const char *digest_text(uint32_t digest, char *buf, size_t len);
void output_services(const struct drctl *ctx, const struct service_list *list);
void output_checks(const struct drctl *ctx, const struct service_list *list);
void output_conns_begin(struct out *o, const struct drctl *ctx);
void output_conn(struct out *o, const struct conn_info *c);
void output_conns_end(struct out *o);
void output_config(const struct drctl *ctx, const struct config_info *cfg);

#endif /* DRCTL_OUTPUT_H */
