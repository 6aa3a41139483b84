/* Tests of tact's own ranking of the ports most often open. */
#include <stdint.h>
#include <stdlib.h>

#include "port-rank.h"
#include "port-spec.h"
#include "unit.h"

static size_t	distinct(const uint16_t *, size_t);

/* The number of ports in v, or (size_t)-1 when one is 0 or repeats. */
static size_t
distinct(const uint16_t *v, size_t n)
{
	uint8_t	*seen;
	size_t	 i, count = 0;

	seen = calloc(65536, 1);
	if (seen == NULL)
		abort();
	for (i = 0; i < n; i++) {
		if (v[i] == 0 || seen[v[i]]) {
			count = (size_t)-1;
			break;
		}
		seen[v[i]] = 1;
		count++;
	}
	free(seen);
	return (count);
}

static void
test_port_rank_has_1000_distinct_tcp_ports(void)
{
	const uint16_t	*v;
	size_t		 n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(v = port_rank_list(PORT_TCP, &n));
	CU_ASSERT(n >= 1000);
	CU_ASSERT_EQUAL(distinct(v, n), n);
}

static void
test_port_rank_has_100_distinct_udp_ports(void)
{
	const uint16_t	*v;
	size_t		 n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(v = port_rank_list(PORT_UDP, &n));
	CU_ASSERT(n >= 100);
	CU_ASSERT_EQUAL(distinct(v, n), n);
}

static void
test_port_rank_puts_web_ssh_and_dns_first(void)
{
	const uint16_t	*v;
	size_t		 n;

	v = port_rank_list(PORT_TCP, &n);
	CU_ASSERT_EQUAL(distinct(v, 3), 3);
	CU_ASSERT(v[0] == 80 || v[1] == 80 || v[2] == 80);
	CU_ASSERT(v[0] == 443 || v[1] == 443 || v[2] == 443);
	CU_ASSERT(v[0] == 22 || v[1] == 22 || v[2] == 22);
	v = port_rank_list(PORT_UDP, &n);
	CU_ASSERT_EQUAL(v[0], 53);
}

static void
test_port_rank_knows_no_other_protocol(void)
{
	size_t	n = 1;

	CU_ASSERT_PTR_NULL(port_rank_list(PORT_TCP | PORT_UDP, &n));
	CU_ASSERT_EQUAL(n, 0);
}

static const struct unit_test tests[] = {
	TEST(test_port_rank_has_1000_distinct_tcp_ports),
	TEST(test_port_rank_has_100_distinct_udp_ports),
	TEST(test_port_rank_puts_web_ssh_and_dns_first),
	TEST(test_port_rank_knows_no_other_protocol),
	TEST_END
};

UNIT_MAIN("port-rank", tests)
