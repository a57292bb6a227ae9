/* SPDX-License-Identifier: GPL-2.0 */
/*
 * drlbd --metrics ADDR:PORT: drctl metrics over HTTP, on drlbd's own loop,
 * for Prometheus to scrape without node_exporter.
 */
#ifndef DRLBD_METRICS_HTTP_H
#define DRLBD_METRICS_HTTP_H

#include <stddef.h>

struct drctl;
struct drlbd_engine;
struct metrics_http;

struct metrics_http *metrics_http_open(struct drlbd_engine *engine, struct drctl *ctx,
				       const char *where, char *err, size_t errlen);
void metrics_http_close(struct metrics_http *m);

#endif /* DRLBD_METRICS_HTTP_H */
