/*
 * What every output format shares: which port states are folded away,
 * the date format, and which scan-start strings record why and under
 * what authorization a scan was run.
 */
#include <stdio.h>
#include <time.h>

#include "output.h"

const char *const output_policy[OUTPUT_POLICY_COUNT] = {
	"purpose", "scope", "profile"
};

/* States with more ports than OUTPUT_FOLD (not open) are folded. */
bool
output_folded(const struct results_host *h, uint8_t state)
{
	return (state != EVENT_PORT_OPEN &&
	    results_port_count(h, state) > OUTPUT_FOLD);
}

/* The local date as ctime() writes it, as Nmap's outputs show it. */
void
output_date(uint64_t wall, char *buf, size_t len)
{
	time_t		t = (time_t)wall;
	struct tm	tm;

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%a %b %e %H:%M:%S %Y", &tm) == 0)
		snprintf(buf, len, "?");
}
