/*
 * `tact scope check FILE | show [FILE]`; show without a file shows the
 * default scope file (cmd_scope_path(), cmd-common.c). check refuses a
 * scope that is not valid now (exit 3), as a scan would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "scope.h"
#include "tact.h"
#include "xmalloc.h"

static void	 cmd_scope_list(const char *, char **, size_t);
static int	 cmd_scope_show(const char *);

static void
cmd_scope_list(const char *key, char **v, size_t n)
{
	size_t	i;

	if (n == 0)
		return;
	printf("%s:\n", key);
	for (i = 0; i < n; i++)
		printf("  - %s\n", v[i]);
}

static int
cmd_scope_show(const char *path)
{
	struct scope	*s;
	char		*cause, *why = NULL;
	time_t		 now = time(NULL);

	if ((s = scope_load(path, &cause)) == NULL) {
		cmd_error(NULL, "%s", cause);
		free(cause);
		return (TACT_EXIT_INPUT);
	}
	printf("# %s\n", s->path);
	printf("reference: %s\n", s->reference);
	printf("authorized_by: %s\n", s->authorized_by);
	if (s->valid_from_text != NULL)
		printf("valid_from: %s\n", s->valid_from_text);
	printf("valid_until: %s\n", s->valid_until_text);
	if (scope_valid(s, now, &why) == 0)
		printf("# status: valid now, for %lld more hours\n",
		    (long long)((s->valid_until - now) / 3600));
	else {
		printf("# status: NOT VALID: %s\n", why);
		free(why);
	}
	cmd_scope_list("networks", s->networks, s->nnetworks);
	cmd_scope_list("hostnames", s->hostnames, s->nhostnames);
	cmd_scope_list("exclude", s->excludes, s->nexcludes);
	scope_free(s);
	return (TACT_EXIT_OK);
}

int
cmd_scope(int argc, char **argv)
{
	struct scope	*s;
	char		*cause, *path;
	int		 rc;

	if (argc == 3 && strcmp(argv[1], "check") == 0) {
		if ((s = scope_load(argv[2], &cause)) == NULL) {
			cmd_error(NULL, "%s", cause);
			free(cause);
			return (TACT_EXIT_INPUT);
		}
		/* A scan would refuse it now: so does check. */
		if (scope_valid(s, time(NULL), &cause) != 0) {
			cmd_error("scope", "%s: %s", argv[2], cause);
			free(cause);
			scope_free(s);
			return (TACT_EXIT_POLICY);
		}
		scope_free(s);
		printf("%s: ok\n", argv[2]);
	} else if ((argc == 2 || argc == 3) && strcmp(argv[1], "show") == 0) {
		if ((path = cmd_scope_path(argc == 3 ? argv[2] : NULL)) ==
		    NULL) {
			cmd_error("scope", "no scope file (give one, or write"
			    " ~/.config/tact/scope.yaml)");
			return (TACT_EXIT_INPUT);
		}
		rc = cmd_scope_show(path);
		free(path);
		if (rc != TACT_EXIT_OK)
			return (rc);
	} else {
		cmd_error("scope", "usage: tact scope check file |"
		    " show [file]");
		return (TACT_EXIT_INPUT);
	}
	return (fflush(stdout) == 0 ? TACT_EXIT_OK : TACT_EXIT_RUNTIME);
}
