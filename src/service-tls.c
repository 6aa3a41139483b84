/*
 * TLS for service detection, with OpenSSL, non-blocking: the engine's
 * loop drives the handshake, reads and writes and waits on epoll for
 * what OpenSSL wants next, so no thread blocks on a slow service. No
 * certificate is verified (a scanner wants to see what is there, a
 * self-signed or expired certificate included) and every protocol
 * version and cipher OpenSSL still has is offered. The peer's
 * certificate is read for the records: subject, issuer, subject
 * alternative names, validity and the SHA-256 fingerprint of its DER.
 * The context is made before the engine drops privileges and enters
 * its system call filter, so OpenSSL reads its configuration then.
 */
#include <sys/epoll.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "service-tls.h"
#include "xmalloc.h"

struct service_tls {
	SSL	*ssl;
};

static int	tls_want(SSL *, int, uint32_t *);
static char	*tls_name(X509_NAME *);
static int64_t	tls_time(const ASN1_TIME *);

void *
service_tls_ctx_create(char **cause)
{
	SSL_CTX	*ctx;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		xasprintf(cause, "TLS: %s",
		    ERR_reason_error_string(ERR_get_error()));
		return (NULL);
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_min_proto_version(ctx, 0);
	(void)SSL_CTX_set_cipher_list(ctx, "ALL:@SECLEVEL=0");
	SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT |
	    SSL_OP_IGNORE_UNEXPECTED_EOF);
	SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	return (ctx);
}

void
service_tls_ctx_free(void *ctx)
{
	SSL_CTX_free(ctx);
}

struct service_tls *
service_tls_new(void *ctx, int fd, char **cause)
{
	struct service_tls	*t;

	t = xcalloc(1, sizeof *t);
	if ((t->ssl = SSL_new(ctx)) == NULL || SSL_set_fd(t->ssl, fd) != 1) {
		xasprintf(cause, "TLS: %s",
		    ERR_reason_error_string(ERR_get_error()));
		service_tls_free(t);
		return (NULL);
	}
	return (t);
}

void
service_tls_free(struct service_tls *t)
{
	if (t == NULL)
		return;
	SSL_free(t->ssl);
	free(t);
}

/* What an SSL call that returned rc waits for: -2 and *events, or -1. */
static int
tls_want(SSL *ssl, int rc, uint32_t *events)
{
	int	e = SSL_get_error(ssl, rc);

	ERR_clear_error();
	if (e == SSL_ERROR_WANT_READ) {
		*events = EPOLLIN;
		return (-2);
	}
	if (e == SSL_ERROR_WANT_WRITE) {
		*events = EPOLLOUT;
		return (-2);
	}
	if (e == SSL_ERROR_ZERO_RETURN)
		return (0);
	return (-1);
}

int
service_tls_handshake(struct service_tls *t, uint32_t *events)
{
	int	rc;

	if ((rc = SSL_connect(t->ssl)) == 1)
		return (1);
	rc = tls_want(t->ssl, rc, events);
	return (rc == 0 ? -1 : rc);
}

ssize_t
service_tls_read(struct service_tls *t, void *buf, size_t len,
    uint32_t *events)
{
	int	rc;

	if ((rc = SSL_read(t->ssl, buf, (int)len)) > 0)
		return (rc);
	return (tls_want(t->ssl, rc, events));
}

ssize_t
service_tls_write(struct service_tls *t, const void *buf, size_t len,
    uint32_t *events)
{
	int	rc;

	if (len == 0)
		return (0);
	if ((rc = SSL_write(t->ssl, buf, (int)len)) > 0)
		return (rc);
	rc = tls_want(t->ssl, rc, events);
	return (rc == 0 ? -1 : rc);
}

/* A name as one line, RFC 2253 order: "CN=x,O=y". */
static char *
tls_name(X509_NAME *name)
{
	BIO	*b;
	char	*p, *s;
	long	 len;

	if (name == NULL || (b = BIO_new(BIO_s_mem())) == NULL)
		return (xstrdup(""));
	X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253);
	len = BIO_get_mem_data(b, &p);
	s = xstrndup(p, len > 0 ? (size_t)len : 0);
	BIO_free(b);
	return (s);
}

/* Seconds since the epoch; 0 when it cannot be read. */
static int64_t
tls_time(const ASN1_TIME *at)
{
	struct tm	tm;

	memset(&tm, 0, sizeof tm);
	if (at == NULL || ASN1_TIME_to_tm(at, &tm) != 1)
		return (0);
	return ((int64_t)timegm(&tm));
}

int
service_tls_cert(struct service_tls *t, struct service_cert *c)
{
	GENERAL_NAMES		*sans;
	const GENERAL_NAME	*g;
	X509			*x;
	const unsigned char	*a;
	unsigned		 mdlen = 0;
	int			 i, n;
	char			*v;

	memset(c, 0, sizeof *c);
	if ((x = SSL_get1_peer_certificate(t->ssl)) == NULL)
		return (-1);
	c->subject = tls_name(X509_get_subject_name(x));
	c->issuer = tls_name(X509_get_issuer_name(x));
	c->not_before = tls_time(X509_get0_notBefore(x));
	c->not_after = tls_time(X509_get0_notAfter(x));
	(void)X509_digest(x, EVP_sha256(), c->sha256, &mdlen);
	sans = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	n = sans != NULL ? sk_GENERAL_NAME_num(sans) : 0;
	for (i = 0; i < n && c->nsan < SERVICE_CERT_SANS; i++) {
		g = sk_GENERAL_NAME_value(sans, i);
		v = NULL;
		if (g->type == GEN_DNS)
			xasprintf(&v, "DNS:%.*s",
			    ASN1_STRING_length(g->d.dNSName),
			    (const char *)ASN1_STRING_get0_data(g->d.dNSName));
		else if (g->type == GEN_IPADD &&
		    ASN1_STRING_length(g->d.iPAddress) == 4) {
			a = ASN1_STRING_get0_data(g->d.iPAddress);
			xasprintf(&v, "IP:%u.%u.%u.%u", a[0], a[1], a[2],
			    a[3]);
		}
		if (v != NULL)
			c->san[c->nsan++] = v;
	}
	GENERAL_NAMES_free(sans);
	X509_free(x);
	return (0);
}

void
service_cert_free(struct service_cert *c)
{
	size_t	i;

	free(c->subject);
	free(c->issuer);
	for (i = 0; i < c->nsan; i++)
		free(c->san[i]);
	memset(c, 0, sizeof *c);
}
