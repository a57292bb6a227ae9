/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The OpenSSL layer of https checks: one client context for the engine, one
 * SSL per probe, every step non-blocking and telling the loop what to wait
 * for (EPOLLIN or EPOLLOUT) when OpenSSL wants to read or write.
 */
#ifndef DRLBD_TLS_H
#define DRLBD_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tls_ctx;
struct tls;

enum tls_step {
	TLS_DONE,	/* handshake done, or *got bytes read (0: the peer closed) */
	TLS_WAIT,	/* call again when *events is ready */
	TLS_FAILED,	/* reason says why */
};

struct tls_ctx *tls_ctx_new(void);
void tls_ctx_free(struct tls_ctx *ctx);

struct tls *tls_new(struct tls_ctx *ctx, int fd, const char *sni,
		    const char *verify_name, bool verify);
void tls_free(struct tls *tls);

enum tls_step tls_handshake(struct tls *tls, uint32_t *events, char *reason, size_t len);
enum tls_step tls_write(struct tls *tls, const void *buf, size_t n, size_t *put,
			uint32_t *events, char *reason, size_t len);
enum tls_step tls_read(struct tls *tls, void *buf, size_t n, size_t *got,
		       uint32_t *events, char *reason, size_t len);

#endif /* DRLBD_TLS_H */
