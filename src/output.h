/*
 * Outputs: each format is a struct output_ops, a function of the results
 * store, listed in one registry in the order of enum scan_opts_output.
 */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <sys/types.h>

#include <stdio.h>

#include "results.h"
#include "scan-opts.h"

struct output_ops {
	const char	*name;
	enum scan_opts_output type;
	void		(*begin)(FILE *, const struct results *);
	void		(*host)(FILE *, const struct results *,
			    const struct results_host *);
	void		(*end)(FILE *, const struct results *);
};

extern const struct output_ops output_normal;
extern const struct output_ops output_xml;
extern const struct output_ops output_grepable;
extern const struct output_ops output_json;

/* More ports than this in one state (not open) are folded away. */
#define OUTPUT_FOLD	25

/* Is this state of h's ports folded ("Not shown", extraports)? */
bool		 output_folded(const struct results_host *, uint8_t);
/*
 * How a scan ended, as every format says it: its state (done, stopped,
 * failed, interrupted or running), when (its scan-end record, else its
 * last record) and the seconds from its start to then; why is NULL when
 * it is done, else says why it did not finish.
 */
struct output_end {
	const char	*state;
	const char	*why;
	uint64_t	 wall;
	double		 secs;
};

void		 output_end_read(const struct results *, struct output_end *);
/* A date as "Sun Nov 29 00:46:15 2026", local time. */
void		 output_date(uint64_t, char *, size_t);
/* "# tact VERSION scan initiated DATE as: ARGS", ARGS escaped. */
void		 output_initiated(FILE *, const struct results *, const char *);

/* The scan-start strings every format records: purpose, scope, profile. */
#define OUTPUT_POLICY_COUNT	3
extern const char *const output_policy[OUTPUT_POLICY_COUNT];

/*
 * -sV's cells, raw network text to escape: the SERVICE name ("ssl/http",
 * "http?" when guessed from the port; the services file's without -sV),
 * the VERSION ("product version (extrainfo)"), NULL when none; and one
 * field (EVENT_SKEY_PRODUCT to EVENT_SKEY_DEVICETYPE) or NULL.
 */
char		*output_service_name(const struct results_port *);
char		*output_service_version(const struct results_service *);
const char	*output_service_field(const struct results_service *,
		    enum event_service_key);
/* A certificate's time as ssl-cert writes it (UTC), or "unknown". */
void		 output_cert_time(int64_t, char *, size_t);

/* The output of a type, or NULL when this version has none. */
const struct output_ops *output_find(enum scan_opts_output);
/* Write the whole of results; -1 and cause when the file fails. */
int		 output_write(const struct output_ops *, FILE *,
		     const struct results *, char **);
/*
 * The same, with flags: OUTPUT_OPEN (--open) shows only the hosts with
 * a port open (or open|filtered) and only those ports; OUTPUT_APPEND
 * (--append-output) makes output_files_write() append to its files.
 */
#define OUTPUT_OPEN	0x1
#define OUTPUT_APPEND	0x2
int		 output_write_flags(const struct output_ops *, FILE *,
		     const struct results *, int, char **);

/*
 * The output files of a scan, opened before it starts so that a bad path
 * is refused before any packet. Existing files are left as they are
 * until output_files_write() has the whole of each output: it formats
 * each into a temporary file, then copies it into place. A failed write
 * leaves no partial output: the file is emptied, and removed if this
 * run created it and may still remove it. paths has SCAN_OUTPUT_MAX
 * entries, NULL for none and "-" for standard output.
 */
struct output_files;

struct output_files *output_files_open(char *const *, char **);
void		 output_files_flags(struct output_files *, int);
/*
 * Give the files this run created to uid and gid (root, before it drops
 * to that user): the user can then remove one the scan never wrote.
 */
int		 output_files_give(struct output_files *, uid_t, gid_t,
		     char **);
int		 output_files_write(struct output_files *,
		     const struct results *, char **);
void		 output_files_free(struct output_files *);

/*
 * Read an XML output, tact's or Nmap's, into a results store, as the
 * event records that would have built it; -1 and cause if it is not one,
 * or if it gives more hosts or ports (listed, or folded into extraports)
 * than these.
 */
#define OUTPUT_XML_READ_HOSTS_MAX	65536U
#define OUTPUT_XML_READ_PORTS_MAX	(1U << 22)
int		 output_xml_read(const char *, struct results *, char **);
/*
 * Write what changed from a to b: hosts that came up or went away, ports
 * whose state changed, banners (services) that changed. Returns how many
 * differences it wrote, -1 and cause if writing failed.
 */
long		 output_diff(FILE *, const struct results *,
		     const struct results *, char **);

#endif
