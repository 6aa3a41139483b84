/*
 * Fuzz the XML reader, output_xml_read(), as `tact diff` uses it: the
 * input is an XML file. A file that is refused must say why in one
 * line that names it, with no control character; one that reads must
 * give no more hosts and ports than the caps, each host's ports sorted
 * and found by results_port_find(), and must compare the same with
 * itself and with what reading tact's own XML output of it gives.
 * Nothing may be written to stderr (libtact never prints; libxml2 would).
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "output.h"
#include "port-spec.h"
#include "results.h"
#include "xmalloc.h"

/* Past this many ports, the round trip through the writer is skipped. */
#define FUZZ_ROUND_TRIP_PORTS	100000

static void	fuzz_check_store(const struct results *);
static void	fuzz_check_cause(const char *, const char *);
static void	fuzz_round_trip(const struct results *);
static size_t	fuzz_ports(const struct results *);
static int	fuzz_read(const char *, struct results *, char **);

/* output_xml_read() with stderr sent to a file that must stay empty. */
static int
fuzz_read(const char *path, struct results *r, char **cause)
{
	static int	 fd = -1;
	struct stat	 sb;
	char		*err;
	int		 saved, rc;

	if (fd == -1) {
		err = fuzz_file("stderr", NULL, 0);
		fd = open(err, O_RDWR|O_CREAT|O_TRUNC|O_CLOEXEC, 0600);
		free(err);
		if (fd == -1)
			abort();
	}
	fflush(stderr);
	if ((saved = dup(STDERR_FILENO)) == -1 ||
	    dup2(fd, STDERR_FILENO) == -1)
		abort();
	rc = output_xml_read(path, r, cause);
	fflush(stderr);
	if (dup2(saved, STDERR_FILENO) == -1 || fstat(fd, &sb) == -1)
		abort();
	close(saved);
	FUZZ_CHECK(sb.st_size == 0);
	return (rc);
}

static size_t
fuzz_ports(const struct results *r)
{
	size_t	i, n = 0;

	for (i = 0; i < results_host_count(r); i++)
		n += results_host(r, i)->nports;
	return (n);
}

static void
fuzz_check_cause(const char *path, const char *cause)
{
	const char	*c;

	FUZZ_CHECK(cause != NULL);
	FUZZ_CHECK(strncmp(cause, path, strlen(path)) == 0);
	FUZZ_CHECK(cause[strlen(path)] == ':');
	for (c = cause; *c != '\0'; c++)
		FUZZ_CHECK((unsigned char)*c >= 0x20 && *c != 0x7f);
}

static void
fuzz_check_store(const struct results *r)
{
	const struct results_host	*h;
	const struct results_port	*p;
	struct results_port		 buf;
	size_t				 i, j;

	FUZZ_CHECK(results_scan(r)->started);
	FUZZ_CHECK(results_host_count(r) <= OUTPUT_XML_READ_HOSTS_MAX);
	FUZZ_CHECK(fuzz_ports(r) <= OUTPUT_XML_READ_PORTS_MAX);
	for (i = 0; i < results_host_count(r); i++) {
		h = results_host(r, i);
		FUZZ_CHECK(results_host_find(r, &h->addr) == h);
		for (j = 0; j < h->nports; j++) {
			p = &h->ports[j];
			FUZZ_CHECK(p->proto == PORT_TCP || p->proto == PORT_UDP);
			FUZZ_CHECK(p->port != 0);
			FUZZ_CHECK(j == 0 || p[-1].proto < p->proto ||
			    (p[-1].proto == p->proto && p[-1].port < p->port));
			FUZZ_CHECK(results_port_find(h, p->port, p->proto,
			    &buf) == p);
		}
	}
}

/*
 * tact's XML output of what was read reads back with the same hosts up
 * and ports in the same states; banners only where the writer lists the
 * port (it folds most closed and filtered ones, banner and all).
 */
static void
fuzz_round_trip(const struct results *r)
{
	const struct results_host	*h, *h2;
	const struct results_port	*p, *p2;
	struct results_port		 buf;
	struct results			*r2;
	char				*path, *cause = NULL;
	FILE				*f;
	size_t				 i, j;

	path = fuzz_file("round-trip.xml", NULL, 0);
	if ((f = fopen(path, "w")) == NULL)
		abort();
	FUZZ_CHECK(output_write(output_find(SCAN_OUTPUT_XML), f, r,
	    &cause) == 0);
	if (fclose(f) != 0)
		abort();
	r2 = results_create();
	if (fuzz_read(path, r2, &cause) != 0) {
		fprintf(stderr, "round trip: %s\n", cause);
		abort();
	}
	for (i = 0; i < results_host_count(r); i++) {
		h = results_host(r, i);
		h2 = results_host_find(r2, &h->addr);
		if (h->state != EVENT_HOST_UP) {
			FUZZ_CHECK(h2 == NULL);
			continue;
		}
		FUZZ_CHECK(h2 != NULL && h2->state == EVENT_HOST_UP);
		FUZZ_CHECK(h2->nports == h->nports);
		for (j = 0; j < h->nports; j++) {
			p = &h->ports[j];
			p2 = results_port_find(h2, p->port, p->proto, &buf);
			FUZZ_CHECK(p2 != NULL && p2->state == p->state);
			if (!output_folded(h, p->state))
				FUZZ_CHECK((p->banner == NULL) ==
				    (p2->banner == NULL));
		}
	}
	FUZZ_CHECK(results_hosts_up(r2) == results_hosts_up(r));
	results_free(r2);
	free(path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE	*null;
	struct results	*r;
	char		*path, *cause = NULL;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		abort();
	path = fuzz_file("input.xml", data, size);
	r = results_create();
	if (fuzz_read(path, r, &cause) != 0) {
		fuzz_check_cause(path, cause);
		free(cause);
	} else {
		FUZZ_CHECK(cause == NULL);
		fuzz_check_store(r);
		FUZZ_CHECK(output_diff(null, r, r, &cause) == 0);
		if (fuzz_ports(r) <= FUZZ_ROUND_TRIP_PORTS)
			fuzz_round_trip(r);
	}
	results_free(r);
	free(path);
	return (0);
}
