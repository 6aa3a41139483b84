/*
 * Fuzz the parser of captured replies, probe_packet_parse() (an IPv4
 * or IPv6 packet) and probe_packet_parse_arp(), and hand what parses to every
 * probe's match and classify, as the engine does with what pcap reads.
 */
#include <sys/socket.h>

#include <string.h>

#include "event.h"
#include "fuzz.h"
#include "probe.h"

static void	fuzz_deliver(const struct probe_ctx *,
		    const struct probe_reply *);

static void
fuzz_deliver(const struct probe_ctx *ctx, const struct probe_reply *r)
{
	const struct probe_ops *const	*p;
	struct probe_target		 t;
	struct probe_verdict		 v;

	for (p = probe_registry; *p != NULL; p++) {
		if ((*p)->match != NULL)
			(*p)->match(ctx, r, &t);
		memset(&v, 0, sizeof v);
		(*p)->classify(r, &v);
		FUZZ_CHECK(v.port_state <= EVENT_PORT_CLOSED_FILTERED);
		FUZZ_CHECK(v.reason < EVENT_REASON_MAX);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t	 src[4] = { 198, 18, 0, 1 };
	struct probe_ctx	 ctx;
	struct probe_reply	 r;
	uint8_t			*copy;

	memset(&ctx, 0, sizeof ctx);
	probe_packet_addr4(&ctx.src, src);
	ctx.secret[0] = 0x0706050403020100ULL;
	ctx.secret[1] = 0x0f0e0d0c0b0a0908ULL;
	ctx.sport_base = 40000;

	/* A copy of its exact size, so that any overread is caught. */
	copy = malloc(size == 0 ? 1 : size);
	if (size > 0)
		memcpy(copy, data, size);
	if (probe_packet_parse(copy, size, &r) == 0) {
		FUZZ_CHECK(r.type == PROBE_REPLY_TCP ||
		    r.type == PROBE_REPLY_UDP ||
		    r.type == PROBE_REPLY_ICMP ||
		    r.type == PROBE_REPLY_ICMP_ERROR ||
		    r.type == PROBE_REPLY_ND);
		FUZZ_CHECK(r.type != PROBE_REPLY_ND ||
		    (r.from.family == AF_INET6 && r.to.family == AF_INET6 &&
		    r.ttl == 255));
		fuzz_deliver(&ctx, &r);
	}
	if (probe_packet_parse_arp(copy, size, &r) == 0) {
		FUZZ_CHECK(r.type == PROBE_REPLY_ARP);
		fuzz_deliver(&ctx, &r);
	}
	free(copy);
	return (0);
}
