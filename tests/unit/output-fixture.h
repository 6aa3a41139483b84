/*
 * A results store for the output tests, built the only way the engine
 * builds one: by emitting event records into it.
 */
#ifndef OUTPUT_FIXTURE_H
#define OUTPUT_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "output.h"
#include "results.h"

struct fixture {
	struct results		*results;
	struct event_stream	*es;
};

/* A store with a scan-start record carrying the strings given. */
void	 fixture_start(struct fixture *, const char *const *, size_t);
void	 fixture_host(struct fixture *, uint8_t, uint8_t, uint8_t);
void	 fixture_port(struct fixture *, uint8_t, uint16_t, uint8_t, uint8_t);
void	 fixture_banner(struct fixture *, uint8_t, uint16_t, const void *,
	     size_t);
/* The name host d was given as (EVENT_NAME_USER). */
void	 fixture_name(struct fixture *, uint8_t, const void *, size_t);
void	 fixture_end(struct fixture *, uint32_t);
/*
 * The output of ops for a scan of one host up, its last record 42.5 s
 * after its start, then as how says: "interrupted" (no more records),
 * "running" (the same, its engine still running) or "stopped" (a
 * scan-end record 43 s after the start). Local time is UTC.
 */
char	*fixture_render_unfinished(const struct output_ops *, const char *);
void	 fixture_free(struct fixture *);
/* The output of ops for the store, NUL-terminated; *len its length. */
char	*fixture_render(const struct output_ops *, struct fixture *,
	     size_t *);
/*
 * Do two stores write the same bytes, and some, in every output (normal,
 * XML, grepable, JSON), with output_write_flags' flags? The first
 * output's text of the second store, in *text if not NULL (freed by the
 * caller), where a test looks further.
 */
int	 fixture_same_outputs(const struct results *, const struct results *,
	     int, char **);
/* A banner no output may pass on as it is: ANSI, NUL, bad UTF-8. */
extern const char fixture_hostile[];
extern const size_t fixture_hostile_len;
/* Is s strict UTF-8 (as iconv checks it, not as tact's decoder does)? */
int	 fixture_utf8_valid(const char *, size_t);
/* Does s hold a byte below 0x20 other than those in allowed? */
int	 fixture_has_control(const char *, const char *);

#endif
