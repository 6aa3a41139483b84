/*
 * What the probe tests (tests/unit/test-probe-*.c) build and parse their
 * hand-made packets with: our addresses and the target's, a context with
 * a fixed secret and source port base, a target for a try, and the ones'
 * complement sum written here independently of the module, so that each
 * test file holds only the packets it is about.
 */
#ifndef PROBE_FIXTURE_H
#define PROBE_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "probe.h"

extern const uint8_t	fx_src4[4];		/* 198.18.0.2, us */
extern const uint8_t	fx_dst4[4];		/* 198.19.0.10 */
extern const uint8_t	fx_src6[16];		/* 2001:2:0:1::2, us */
extern const uint8_t	fx_dst6[16];		/* 2001:2:0:2::10 */

/* Our context in family (AF_INET or AF_INET6), keyed by a fixed secret. */
struct probe_ctx	fx_ctx(int);
/* The target in family, with port (0: none) and try. */
struct probe_target	fx_target(int, uint16_t, uint8_t);
/* sum plus the 16-bit words of len bytes, folded to 16 bits. */
uint32_t		fx_sum16(uint32_t, const uint8_t *, size_t);

#endif
