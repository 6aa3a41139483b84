/*
 * Outputs: each format is a struct output_ops, a function of the results
 * store, listed in one registry in the order of enum scan_opts_output.
 */
#ifndef OUTPUT_H
#define OUTPUT_H

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

/* The output of a type, or NULL when this version has none. */
const struct output_ops *output_find(enum scan_opts_output);
/* Write the whole of results; -1 and cause when the file fails. */
int		 output_write(const struct output_ops *, FILE *,
		     const struct results *, char **);

#endif
