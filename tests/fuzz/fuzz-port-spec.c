/*
 * Fuzz the -p parser, port_spec_parse(). The first byte picks the
 * protocols (TCP, UDP or both), the rest is the specification. What
 * parses must be a sorted list of ports 1-65535 without duplicates, of
 * the protocols asked for.
 */
#include "fuzz.h"
#include "port-spec.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct port_list	 pl;
	unsigned		 protos;
	char			*spec, *cause = NULL;
	size_t			 i;

	if (size == 0)
		return (0);
	protos = 1 + data[0] % 3;
	spec = fuzz_string(data + 1, size - 1);
	if (port_spec_parse(&pl, spec, protos, &cause) == 0) {
		FUZZ_CHECK(cause == NULL && pl.n > 0);
		for (i = 0; i < pl.n; i++) {
			FUZZ_CHECK(pl.v[i].port != 0);
			FUZZ_CHECK((pl.v[i].proto & protos) != 0);
			FUZZ_CHECK(i == 0 || pl.v[i - 1].proto <
			    pl.v[i].proto || (pl.v[i - 1].proto ==
			    pl.v[i].proto && pl.v[i - 1].port < pl.v[i].port));
			if (i < 8)	/* each reads /etc/services */
				port_spec_service(pl.v[i].port,
				    pl.v[i].proto);
		}
		FUZZ_CHECK(port_list_count(&pl, PORT_TCP) +
		    port_list_count(&pl, PORT_UDP) == pl.n);
		port_list_free(&pl);
	} else {
		FUZZ_CHECK(cause != NULL && pl.n == 0);
		free(cause);
	}
	free(spec);
	return (0);
}
