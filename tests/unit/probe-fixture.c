/*
 * The probe tests' addresses, context, targets and checksum sum: one
 * copy for test-probe-icmp.c, test-probe-udp.c, test-probe-tcp-syn.c and
 * test-probe-nd.c (see probe-fixture.h).
 */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "probe-fixture.h"

const uint8_t	fx_src4[4] = { 198, 18, 0, 2 };
const uint8_t	fx_dst4[4] = { 198, 19, 0, 10 };
const uint8_t	fx_src6[16] = { 0x20, 0x01, 0, 2, 0, 0, 0, 1,
		    0, 0, 0, 0, 0, 0, 0, 2 };
const uint8_t	fx_dst6[16] = { 0x20, 0x01, 0, 2, 0, 0, 0, 2,
		    0, 0, 0, 0, 0, 0, 0, 0x10 };

struct probe_ctx
fx_ctx(int family)
{
	struct probe_ctx	ctx;

	memset(&ctx, 0, sizeof ctx);
	if (family == AF_INET6)
		probe_packet_addr6(&ctx.src, fx_src6);
	else
		probe_packet_addr4(&ctx.src, fx_src4);
	ctx.secret[0] = 0x0123456789abcdefULL;
	ctx.secret[1] = 0xfedcba9876543210ULL;
	ctx.sport_base = 40000;
	return (ctx);
}

struct probe_target
fx_target(int family, uint16_t port, uint8_t try)
{
	struct probe_target	t;

	memset(&t, 0, sizeof t);
	if (family == AF_INET6)
		probe_packet_addr6(&t.dst, fx_dst6);
	else
		probe_packet_addr4(&t.dst, fx_dst4);
	t.port = port;
	t.try = try;
	return (t);
}

uint32_t
fx_sum16(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t	i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len % 2)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum > 0xffff)
		sum = (sum >> 16) + (sum & 0xffff);
	return (sum);
}
