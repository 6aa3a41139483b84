/*
 * TLS for service detection (service-tls.c): OpenSSL driven by the
 * engine's loop, never blocking, and the certificate a service shows.
 */
#ifndef SERVICE_TLS_H
#define SERVICE_TLS_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#define SERVICE_CERT_SANS	16	/* subject alternative names kept */

struct service_cert {
	char		*subject;	/* RFC 2253: "CN=x,O=y" */
	char		*issuer;
	char		*san[SERVICE_CERT_SANS];	/* "DNS:x", "IP:a.b.c.d" */
	size_t		 nsan;
	int64_t		 not_before;	/* seconds since the epoch; 0: unknown */
	int64_t		 not_after;
	uint8_t		 sha256[32];	/* of the DER certificate */
};

struct service_tls;

/* The client context (an SSL_CTX), made once per scan. */
void		*service_tls_ctx_create(char **);
void		 service_tls_ctx_free(void *);
/* A client on the connected socket fd; NULL and cause if it fails. */
struct service_tls *service_tls_new(void *, int, char **);
void		 service_tls_free(struct service_tls *);
/*
 * Each returns what the call did; -2 when it must wait, with the epoll
 * events to wait for in *events. The handshake: 1 done, -1 failed.
 * Read: bytes, 0 at the end, -1 on an error. Write: bytes or -1.
 */
int		 service_tls_handshake(struct service_tls *, uint32_t *);
ssize_t		 service_tls_read(struct service_tls *, void *, size_t,
		    uint32_t *);
ssize_t		 service_tls_write(struct service_tls *, const void *, size_t,
		    uint32_t *);
/* The peer's certificate into c (freed with service_cert_free); -1: none. */
int		 service_tls_cert(struct service_tls *, struct service_cert *);
void		 service_cert_free(struct service_cert *);

#endif
