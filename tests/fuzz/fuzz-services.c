/*
 * Fuzz the reader of nmap-services inside port_spec_top(): the input is
 * the file, and the top 1 to 2000 ports (by the input's size) of both
 * protocols are taken from it. Each protocol must get at least one port
 * and at most as many as asked for, sorted and without duplicates.
 */
#include "fuzz.h"
#include "port-spec.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct port_list	 pl;
	unsigned		 n = 1 + (unsigned)(size % 2000);
	char			*path, *cause = NULL;
	size_t			 i, tcp, udp;

	path = fuzz_file("nmap-services", data, size);
	FUZZ_CHECK(port_spec_top(&pl, n, PORT_TCP|PORT_UDP, path,
	    &cause) == 0);
	tcp = port_list_count(&pl, PORT_TCP);
	udp = port_list_count(&pl, PORT_UDP);
	FUZZ_CHECK(tcp >= 1 && tcp <= n && udp >= 1 && udp <= n);
	FUZZ_CHECK(tcp + udp == pl.n);
	for (i = 1; i < pl.n; i++) {
		FUZZ_CHECK(pl.v[i - 1].proto < pl.v[i].proto ||
		    (pl.v[i - 1].proto == pl.v[i].proto &&
		    pl.v[i - 1].port < pl.v[i].port));
	}
	port_list_free(&pl);
	free(path);
	return (0);
}
