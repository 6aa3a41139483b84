/*
 * The commands of the tact program. Each takes its own argv (argv[0] is
 * the command's name) and returns an exit status (enum tact_exit). The
 * cmd-*.c files are the program's front end: they, main.c and tui/ are
 * the only places that print to the terminal or exit.
 */
#ifndef CMD_H
#define CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "scan-plan.h"
#include "scope.h"

struct cmd_entry {
	const char	*name;
	const char	*usage;
	const char	*summary;
	int		(*exec)(int, char **);
};

const struct cmd_entry	*cmd_find(const char *);
/* A command's usage lines (main.c); flush stdout, an exit status. */
void			 cmd_usage(const struct cmd_entry *, FILE *);
int			 cmd_flush(void);

/*
 * What every command shares (cmd-common.c): the one-line error; the
 * paths the environment gives (the profile search path, the scope file
 * to use: the one given, else the default if it exists, else NULL; the
 * ledger, NULL when neither $XDG_STATE_HOME nor $HOME is set; the scan
 * directories); and the plan of a scan, with its profile and scope file
 * loaded once, and the gate before its first packet.
 */
struct profile;
struct scan_def;
struct scan_dir_base;
struct scan_opts;

void		 cmd_error(const char *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
char		**cmd_profile_dirs(void);
void		 cmd_profile_dirs_free(char **);
struct profile	*cmd_profile_load(const char *, char **);
char		*cmd_scope_path(const char *);
char		*cmd_ledger_path(void);
/* The scan directories: dir's (--state-dir), else the environment's. */
int		 cmd_scan_dir_base(struct scan_dir_base *, const char *,
		     char **);
/*
 * --shard auto/n: the index from JOB_COMPLETION_INDEX or
 * SLURM_ARRAY_TASK_ID (less SLURM_ARRAY_TASK_MIN); -1 and cause when
 * neither is set or the one set is not an index below n.
 */
int		 cmd_shard_auto(struct scan_opts *, char **);

/* The exit status of a verdict; why it refuses, with what would allow it. */
int		 cmd_verdict_exit(enum scope_verdict);
char		*cmd_verdict_why(enum scope_verdict, const char *);

struct cmd_plan {
	struct profile		*profile;
	struct scope		*scope;		/* NULL: none */
	char			*ledger;
	struct scan_plan	 plan;
	bool			 made;		/* plan is filled in */
};

/*
 * The plan of the scan o and def (built from o) define: load o's
 * profile and scope file, find the ledger, ask whether raw sockets may
 * be opened. An exit status; cause when it is not TACT_EXIT_OK. Free
 * with cmd_plan_free() either way.
 */
int		 cmd_plan_create(struct cmd_plan *, const struct scan_opts *,
		     const struct scan_def *, char **);
void		 cmd_plan_free(struct cmd_plan *);
/*
 * The gate before the first packet: the estimate's refusals, the scope,
 * then (charge) the daily quotas charged in the ledger. A resumed scan
 * was charged when it started and passes it without charge. An exit
 * status; cause says why when it is not TACT_EXIT_OK.
 */
int		 cmd_plan_gate(const struct cmd_plan *, bool, char **);

int	cmd_scan(int, char **);
/*
 * Parse the scan options and build the scan; an exit status, or
 * CMD_DONE when -h or -V asked for nothing else (printed, nothing left
 * to free).
 */
#define CMD_DONE	(-1)
int	cmd_scan_parse(const char *, int, char **, struct scan_opts *,
	    struct scan_def **);
int	cmd_ui(int, char **);
int	cmd_ui_attach(const char *);
/*
 * Run the scan (cmd-scan-run.c) def and c's plan define, both built
 * from o; the run takes def and c over. Resuming, d is the scan's
 * directory and resumed the results rebuilt from its journal, which the
 * run takes over too; else both NULL.
 */
struct results;
struct scan_dir;

int	cmd_scan_run(struct scan_opts *, struct scan_def *, struct cmd_plan *,
	    struct scan_dir *, struct results *);
/* `tact resume` (cmd-resume.c). */
int	cmd_resume(int, char **);
/* `tact report` and `tact diff` (cmd-report.c, cmd-diff.c). */
struct results;

int		 cmd_report(int, char **);
struct results	*cmd_report_load(const char *, char **);
int		 cmd_output_options(int, char **, char **, char **);
int		 cmd_diff(int, char **);
/* `tact merge` (cmd-merge.c). */
int		 cmd_merge(int, char **);

/*
 * The estimate (cmd-estimate.c): `tact estimate`, and the table `tact
 * scan --dry-run` prints, of the scan c plans.
 */
int	cmd_estimate(int, char **);
int	cmd_estimate_show(const char *, const struct cmd_plan *);

/* Profiles (cmd-profile.c) and scope (cmd-scope.c). */
int		 cmd_profile(int, char **);
int		 cmd_scope(int, char **);

/* Scans on this machine (cmd-list.c, cmd-stop.c, cmd-attach.c). */
int		 cmd_list(int, char **);
int		 cmd_stop(int, char **);
int		 cmd_attach(int, char **);
/*
 * `tact scan --detach` (cmd-attach.c), after the scan directory is made:
 * fork. The parent waits for the child's word, says how to attach and
 * returns the exit status (0 or more) to end with. The child leaves the
 * terminal (setsid, SIGHUP ignored, stdio on /dev/null), gets -2 and
 * *ready, and calls cmd_detach_ready(*ready) once the engine runs (after
 * scan_dir_start); if it exits before that, the parent reports failure.
 * -1 and cause if it cannot fork.
 */
int		 cmd_detach(const char *, int *, char **);
void		 cmd_detach_ready(int);

#endif
