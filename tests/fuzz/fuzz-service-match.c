/*
 * Fuzz the service match engine against tact's own table, as a hostile
 * service would: the input's first byte picks a probe, its second a
 * service a softmatch narrowed to (or none), the rest is the response.
 * service_db_match() must answer 1 or 0, and a match must name a
 * service (the one it was narrowed to, if any) with fields within
 * SERVICE_VALUE_MAX bytes and at most SERVICE_CPE_MAX CPEs; the
 * fallbacks and service_db_may_name() must agree with it.
 */
#include <string.h>

#include "fuzz.h"
#include "service.h"

/* Services a softmatch may have named: the second byte picks one. */
static const char *const fuzz_only[] = {
	NULL, "ftp", "ssh", "http", "domain", "smtp", "ssl"
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct service_db	*db;
	struct service_info		 info;
	const char			*only;
	char				*cause = NULL;
	size_t				 probe, k;
	int				 rc;

	if (db == NULL) {
		db = service_db_load(NULL, &cause);
		FUZZ_CHECK(db != NULL && db->nprobes > 0);
	}
	if (size < 2)
		return (0);
	probe = data[0] % db->nprobes;
	only = fuzz_only[data[1] % (sizeof fuzz_only / sizeof fuzz_only[0])];
	rc = service_db_match(db, probe, data + 2, size - 2, only, &info);
	FUZZ_CHECK(rc == 0 || rc == 1);
	if (rc == 0)
		return (0);
	FUZZ_CHECK(info.service != NULL && info.service[0] != '\0');
	FUZZ_CHECK(only == NULL || strcmp(info.service, only) == 0);
	FUZZ_CHECK(service_db_may_name(db, probe, info.service));
	for (k = 0; k < SERVICE_FIELD_MAX; k++)
		FUZZ_CHECK(info.field[k] == NULL ||
		    strlen(info.field[k]) <= SERVICE_VALUE_MAX);
	FUZZ_CHECK(info.ncpe <= SERVICE_CPE_MAX);
	for (k = 0; k < info.ncpe; k++)
		FUZZ_CHECK(info.cpe[k] != NULL &&
		    strlen(info.cpe[k]) <= SERVICE_VALUE_MAX);
	service_info_free(&info);
	return (0);
}
