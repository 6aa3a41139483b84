/*
 * What every output format shares: which port states are folded away,
 * the date format, the line that opens the text formats, how and when
 * the scan ended, and which scan-start strings record why and under
 * what authorization a scan was run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output-escape.h"
#include "output.h"
#include "port-spec.h"
#include "xmalloc.h"

const char *const output_policy[OUTPUT_POLICY_COUNT] = {
	"purpose", "scope", "profile"
};

/* By enum event_end_status: the state and why it is not done. */
static const struct {
	const char	*state;
	const char	*why;
} output_end_status[] = {
	[EVENT_END_DONE] = { "done", NULL },
	[EVENT_END_STOPPED] = { "stopped", "stopped before the end" },
	[EVENT_END_FAILED] = { "failed", "failed" },
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

/*
 * A scan with no scan-end record ended, or is at, its last record: its
 * time is the start's wall clock plus the monotonic time between them.
 */
void
output_end_read(const struct results *r, struct output_end *e)
{
	const struct results_scan	*s = results_scan(r);
	uint64_t			 ns = s->ended ? s->end_ns : s->last_ns;

	e->secs = ns > s->start_ns ? (double)(ns - s->start_ns) / 1e9 : 0;
	if (!s->ended) {
		e->state = s->running ? "running" : "interrupted";
		e->why = s->running ? "still running" :
		    "interrupted before the end";
		e->wall = s->wall_start + (uint64_t)e->secs;
	} else if (s->status < sizeof output_end_status /
	    sizeof output_end_status[0] &&
	    output_end_status[s->status].state != NULL) {
		e->state = output_end_status[s->status].state;
		e->why = output_end_status[s->status].why;
		e->wall = s->wall_end;
	} else {
		e->state = "failed";
		e->why = "failed";
		e->wall = s->wall_end;
	}
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

/*
 * A port's SERVICE cell, as Nmap's -sV writes it: "ssl/" inside TLS,
 * "?" after a name only guessed from the port number; without -sV the
 * services file's name. Raw network text: the caller escapes it. NULL
 * when there is no name.
 */
char *
output_service_name(const struct results_port *p)
{
	const struct results_service	*sv = p->service;
	const char			*name;
	char				*s;

	if (sv == NULL) {
		name = port_spec_service(p->port, p->proto);
		return (name != NULL ? xstrdup(name) : NULL);
	}
	xasprintf(&s, "%s%s%s", sv->tunnel ? "ssl/" : "", sv->name,
	    sv->method == EVENT_SERVICE_TABLE ? "?" : "");
	return (s);
}

/*
 * The VERSION cell: "product version (extrainfo)" with the parts there
 * are; NULL when there are none. Raw network text.
 */
char *
output_service_version(const struct results_service *sv)
{
	const char	*prod, *ver, *info;
	char		*s, *t;

	if (sv == NULL)
		return (NULL);
	prod = sv->field[EVENT_SKEY_PRODUCT - EVENT_SKEY_PRODUCT];
	ver = sv->field[EVENT_SKEY_VERSION - EVENT_SKEY_PRODUCT];
	info = sv->field[EVENT_SKEY_EXTRAINFO - EVENT_SKEY_PRODUCT];
	if (prod == NULL && ver == NULL && info == NULL)
		return (NULL);
	xasprintf(&s, "%s%s%s%s%s%s", prod != NULL ? prod : "",
	    prod != NULL && ver != NULL ? " " : "", ver != NULL ? ver : "",
	    (prod != NULL || ver != NULL) && info != NULL ? " " : "",
	    info != NULL ? "(" : "", info != NULL ? info : "");
	if (info != NULL) {
		xasprintf(&t, "%s)", s);
		free(s);
		s = t;
	}
	return (s);
}

/* The field of a service record by its key, or NULL. */
const char *
output_service_field(const struct results_service *sv,
    enum event_service_key k)
{
	if (sv == NULL || k < EVENT_SKEY_PRODUCT || k >= EVENT_SKEY_CPE)
		return (NULL);
	return (sv->field[k - EVENT_SKEY_PRODUCT]);
}

/* A certificate's time as Nmap's ssl-cert writes it, UTC. */
void
output_cert_time(int64_t t, char *buf, size_t len)
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	if (t == 0 || gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		snprintf(buf, len, "unknown");
}
