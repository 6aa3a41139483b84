/*
 * What every output format shares: which port states are folded away,
 * the date format, the line that opens the text formats, and which
 * scan-start strings record why and under what authorization a scan was
 * run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output-escape.h"
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

void
output_initiated(FILE *f, const struct results *r, const char *date)
{
	const char	*args;
	char		*e;

	if ((args = results_scan_string(r, "args")) == NULL)
		args = "tact scan";
	e = output_escape_text(args, strlen(args));
	fprintf(f, "# tact %s scan initiated %s as: %s\n", PACKAGE_VERSION,
	    date, e);
	free(e);
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
