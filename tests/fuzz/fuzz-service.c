/*
 * Fuzz the service probe database and matcher: service_db_parse() on the
 * input up to its first NUL (the grammar of nmap-service-probes), then
 * every probe's matches, fallbacks and templates against the bytes after
 * it, as a service's response. What parses must have a probe, orders
 * must name real probes (only UDP ones for a UDP port), and a match must give a service name and
 * fields within SERVICE_VALUE_MAX bytes; a failure fills cause with the
 * source's name.
 */
#include <string.h>

#include "fuzz.h"
#include "port-spec.h"
#include "service.h"

#define FUZZ_PROBES	16	/* matched against, at most */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct service_db	*db;
	struct service_info	 info;
	const uint8_t		*nul, *resp;
	size_t			 len, rlen, i, k, n, *order;
	char			*cause = NULL;

	nul = memchr(data, '\0', size);
	len = nul != NULL ? (size_t)(nul - data) : size;
	resp = nul != NULL ? nul + 1 : data + size;
	rlen = size - (size_t)(resp - data);
	db = service_db_parse("fuzz", (const char *)data, len, &cause);
	if (db == NULL) {
		FUZZ_CHECK(cause != NULL && strncmp(cause, "fuzz:", 5) == 0);
		free(cause);
		return (0);
	}
	FUZZ_CHECK(cause == NULL && db->nprobes > 0);
	order = calloc(db->nprobes, sizeof *order);
	FUZZ_CHECK(order != NULL);
	n = service_db_order(db, rlen > 0 ? resp[0] : 80, PORT_TCP, rlen & 1,
	    9, order);
	FUZZ_CHECK(n <= db->nprobes);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(order[i] < db->nprobes);
	n = service_db_order(db, rlen > 1 ? resp[1] : 53, PORT_UDP, false, 9,
	    order);
	FUZZ_CHECK(n <= db->nprobes);
	for (i = 0; i < n; i++)
		FUZZ_CHECK(order[i] < db->nprobes &&
		    db->probes[order[i]].proto == PORT_UDP);
	for (i = 0; i < db->nprobes && i < FUZZ_PROBES; i++) {
		if (service_db_match(db, i, resp, rlen, NULL, &info) != 1)
			continue;
		FUZZ_CHECK(info.service != NULL && info.service[0] != '\0');
		for (k = 0; k < SERVICE_FIELD_MAX; k++)
			FUZZ_CHECK(info.field[k] == NULL ||
			    strlen(info.field[k]) <= SERVICE_VALUE_MAX);
		FUZZ_CHECK(info.ncpe <= SERVICE_CPE_MAX);
		(void)service_db_may_name(db, i, info.service);
		service_info_free(&info);
	}
	free(order);
	service_db_free(db);
	return (0);
}
