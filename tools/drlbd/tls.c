// SPDX-License-Identifier: GPL-2.0
/*
 * Without verify, any certificate is taken, as keepalived's SSL_GET without
 * a CA: the check is that the backend speaks TLS and answers. With verify,
 * the chain must lead to the system store and the certificate must name the
 * backend (sni, else host, else its address).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "tls.h"

struct tls_ctx {
	SSL_CTX *ssl_ctx;
};

struct tls {
	SSL *ssl;
	bool verify;
};

struct tls_ctx *tls_ctx_new(void)
{
	struct tls_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return NULL;
	ctx->ssl_ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx->ssl_ctx)
		goto err_free;
	/* Loaded once here, not per probe: the store is a few hundred certificates. */
	if (!SSL_CTX_set_default_verify_paths(ctx->ssl_ctx))
		goto err_ctx;
	SSL_CTX_set_min_proto_version(ctx->ssl_ctx, TLS1_2_VERSION);
	/* Each probe is one connection: no session to resume. */
	SSL_CTX_set_session_cache_mode(ctx->ssl_ctx, SSL_SESS_CACHE_OFF);
	return ctx;

err_ctx:
	SSL_CTX_free(ctx->ssl_ctx);
err_free:
	free(ctx);
	return NULL;
}

void tls_ctx_free(struct tls_ctx *ctx)
{
	if (!ctx)
		return;
	SSL_CTX_free(ctx->ssl_ctx);
	free(ctx);
}

static bool is_ip_literal(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* sni: NULL for none; verify_name: what the certificate must name. */
struct tls *tls_new(struct tls_ctx *ctx, int fd, const char *sni,
		    const char *verify_name, bool verify)
{
	struct tls *tls = calloc(1, sizeof(*tls));

	if (!tls)
		return NULL;
	tls->ssl = SSL_new(ctx->ssl_ctx);
	if (!tls->ssl || !SSL_set_fd(tls->ssl, fd))
		goto err;
	if (sni && !SSL_set_tlsext_host_name(tls->ssl, sni))
		goto err;
	tls->verify = verify;
	if (verify) {
		X509_VERIFY_PARAM *param = SSL_get0_param(tls->ssl);

		SSL_set_verify(tls->ssl, SSL_VERIFY_PEER, NULL);
		if (is_ip_literal(verify_name) ?
		    !X509_VERIFY_PARAM_set1_ip_asc(param, verify_name) :
		    !SSL_set1_host(tls->ssl, verify_name))
			goto err;
	} else {
		SSL_set_verify(tls->ssl, SSL_VERIFY_NONE, NULL);
	}
	SSL_set_connect_state(tls->ssl);
	return tls;

err:
	tls_free(tls);
	return NULL;
}

void tls_free(struct tls *tls)
{
	if (!tls)
		return;
	SSL_free(tls->ssl);
	free(tls);
}

/* What SSL_get_error() says about ret, in words for the log line. */
static enum tls_step tls_outcome(struct tls *tls, int ret, const char *what,
				 uint32_t *events, char *reason, size_t len)
{
	unsigned long e;
	long vr;

	switch (SSL_get_error(tls->ssl, ret)) {
	case SSL_ERROR_WANT_READ:
		*events = EPOLLIN;
		return TLS_WAIT;
	case SSL_ERROR_WANT_WRITE:
		*events = EPOLLOUT;
		return TLS_WAIT;
	case SSL_ERROR_ZERO_RETURN:
		snprintf(reason, len, "%s: closed by the server", what);
		return TLS_FAILED;
	default:
		break;
	}
	vr = SSL_get_verify_result(tls->ssl);
	if (tls->verify && vr != X509_V_OK) {
		snprintf(reason, len, "certificate verify failed: %s",
			 X509_verify_cert_error_string(vr));
		return TLS_FAILED;
	}
	e = ERR_get_error();
	if (e && ERR_reason_error_string(e))
		snprintf(reason, len, "%s failed: %s", what, ERR_reason_error_string(e));
	else if (e)
		snprintf(reason, len, "%s failed: error %#lx", what, e);
	else
		snprintf(reason, len, "%s failed: connection closed", what);
	return TLS_FAILED;
}

enum tls_step tls_handshake(struct tls *tls, uint32_t *events, char *reason, size_t len)
{
	int ret;

	/* The error queue is per thread: clear what an earlier probe left. */
	ERR_clear_error();
	ret = SSL_do_handshake(tls->ssl);
	if (ret == 1)
		return TLS_DONE;
	return tls_outcome(tls, ret, "tls handshake", events, reason, len);
}

enum tls_step tls_write(struct tls *tls, const void *buf, size_t n, size_t *put,
			uint32_t *events, char *reason, size_t len)
{
	int ret;

	ERR_clear_error();
	ret = SSL_write_ex(tls->ssl, buf, n, put);
	if (ret == 1)
		return TLS_DONE;
	return tls_outcome(tls, ret, "tls write", events, reason, len);
}

enum tls_step tls_read(struct tls *tls, void *buf, size_t n, size_t *got,
		       uint32_t *events, char *reason, size_t len)
{
	int ret;

	ERR_clear_error();
	ret = SSL_read_ex(tls->ssl, buf, n, got);
	if (ret == 1)
		return TLS_DONE;
	if (SSL_get_error(tls->ssl, ret) == SSL_ERROR_ZERO_RETURN) {
		*got = 0;
		return TLS_DONE;
	}
	return tls_outcome(tls, ret, "tls read", events, reason, len);
}
