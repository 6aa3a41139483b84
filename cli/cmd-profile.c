/*
 * `tact profile list | show NAME | check FILE`, over the profile search
 * path (cmd_profile_dirs(), cmd-common.c). The list shows every profile that loads and, for one that does not,
 * why; its strings come from files and are escaped and cut first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "output-escape.h"
#include "profile.h"
#include "tact.h"

static int	cmd_profile_list(char **);
static int	cmd_profile_show(char **, const char *);
static int	cmd_profile_check(char **, const char *);

/* The subcommands that take one argument. */
static const struct {
	const char	*name;
	int		(*fn)(char **, const char *);
} cmd_profile_table[] = {
	{ "show", cmd_profile_show },
	{ "check", cmd_profile_check },
};

/* The key limits `tact profile list` shows, with their headings. */
static const struct {
	const char	*key;
	const char	*heading;
} cmd_profile_columns[] = {
	{ "max_rate", "RATE" },
	{ "host_max_rate", "HOST-RATE" },
	{ "host_max_outstanding", "OUTSTANDING" },
	{ "max_retries", "RETRIES" },
	{ "daily_quota", "QUOTA" },
};
#define CMD_PROFILE_NCOLUMNS \
	(sizeof cmd_profile_columns / sizeof cmd_profile_columns[0])

/* The most characters of a name, a description or a reason shown. */
#define CMD_PROFILE_NAME_MAX	40
#define CMD_PROFILE_TEXT_MAX	200

static int
cmd_profile_list(char **dirs)
{
	struct profile	 *p;
	char		**names, *cause, *v, *e;
	size_t		  n, i, j;
	int		  rc = TACT_EXIT_OK;

	names = profile_names((const char *const *)dirs, &n);
	printf("%-12s", "NAME");
	for (j = 0; j < CMD_PROFILE_NCOLUMNS; j++)
		printf(" %-11s", cmd_profile_columns[j].heading);
	printf(" %s\n", "DESCRIPTION");
	for (i = 0; i < n; i++) {
		p = profile_load(names[i], (const char *const *)dirs, &cause);
		v = p != NULL ? p->name : names[i];
		e = output_escape_cut(v, strlen(v), CMD_PROFILE_NAME_MAX);
		printf("%-12s", e);
		free(e);
		free(names[i]);
		if (p == NULL) {
			e = output_escape_cut(cause, strlen(cause),
			    CMD_PROFILE_TEXT_MAX);
			printf(" error: %s\n", e);
			free(e);
			free(cause);
			rc = TACT_EXIT_RUNTIME;
			continue;
		}
		for (j = 0; j < CMD_PROFILE_NCOLUMNS; j++) {
			v = profile_value(p, cmd_profile_columns[j].key);
			e = output_escape_cut(v, strlen(v),
			    CMD_PROFILE_NAME_MAX);
			printf(" %-11s", e);
			free(e);
			free(v);
		}
		e = output_escape_cut(p->description, strlen(p->description),
		    CMD_PROFILE_TEXT_MAX);
		printf(" %s\n", e);
		free(e);
		profile_free(p);
	}
	free(names);
	return (rc);
}

static int
cmd_profile_show(char **dirs, const char *spec)
{
	struct profile	*p;
	char		*cause, *yaml;

	if ((p = profile_load(spec, (const char *const *)dirs,
	    &cause)) == NULL) {
		cmd_error(NULL, "%s", cause);
		free(cause);
		return (TACT_EXIT_INPUT);
	}
	yaml = profile_to_yaml(p);
	fputs(yaml, stdout);
	free(yaml);
	profile_free(p);
	return (TACT_EXIT_OK);
}

static int
cmd_profile_check(char **dirs, const char *spec)
{
	struct profile	*p;
	char		*cause;

	if ((p = profile_load(spec, (const char *const *)dirs,
	    &cause)) == NULL) {
		cmd_error(NULL, "%s", cause);
		free(cause);
		return (TACT_EXIT_INPUT);
	}
	profile_free(p);
	printf("%s: ok\n", spec);
	return (TACT_EXIT_OK);
}

int
cmd_profile(int argc, char **argv)
{
	char	**dirs;
	size_t	  i;
	int	  rc = -1;

	dirs = cmd_profile_dirs();
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		rc = cmd_profile_list(dirs);
	for (i = 0; argc == 3 && i < sizeof cmd_profile_table /
	    sizeof cmd_profile_table[0]; i++) {
		if (strcmp(argv[1], cmd_profile_table[i].name) == 0)
			rc = cmd_profile_table[i].fn(dirs, argv[2]);
	}
	cmd_profile_dirs_free(dirs);
	if (rc == -1) {
		cmd_error("profile", "usage: tact profile list | show name |"
		    " check file");
		return (TACT_EXIT_INPUT);
	}
	if (fflush(stdout) != 0)
		return (TACT_EXIT_RUNTIME);
	return (rc);
}
