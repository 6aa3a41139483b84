/*
 * The commands of the tact program. Each takes its own argv (argv[0] is
 * the command's name) and returns an exit status (enum tact_exit). The
 * cmd-*.c files are the program's front end: they, main.c and tui/ are
 * the only places that print to the terminal or exit.
 */
#ifndef CMD_H
#define CMD_H

struct cmd_entry {
	const char	*name;
	const char	*usage;
	const char	*summary;
	int		(*exec)(int, char **);
};

const struct cmd_entry	*cmd_find(const char *);
void			 cmd_error(const char *, const char *, ...)
			    __attribute__((format(printf, 2, 3)));

struct scan_def;
struct scan_opts;

int	cmd_scan(int, char **);
int	cmd_scan_parse(const char *, int, char **, struct scan_opts *,
	    struct scan_def **);
int	cmd_ui(int, char **);
int	cmd_ui_attach(const char *);
int	cmd_scan_run(struct scan_opts *, struct scan_def *);
/*
 * `tact resume` (cmd-resume.c): the command; the policy checked again
 * without charging the ledger (an exit status, cause when not OK); and
 * the run of an interrupted scan from its directory, with the results
 * rebuilt from its journal (which the run takes over).
 */
struct results;
struct scan_dir;
struct port_list;
struct profile;

int	cmd_resume(int, char **);
int	cmd_resume_check(const struct scan_opts *, const struct scan_def *,
	    const struct profile *, const struct port_list *, char **);
int	cmd_scan_run_resume(struct scan_opts *, struct scan_dir *,
	    struct results *);
/* `tact report` and `tact diff` (cmd-report.c, cmd-diff.c). */
struct results;

int		 cmd_report(int, char **);
struct results	*cmd_report_load(const char *, char **);
int		 cmd_diff(int, char **);

/*
 * The estimate (cmd-estimate.c): `tact estimate`, the table `tact scan
 * --dry-run` prints, and the gate a scan passes before its first packet
 * (an exit status; cause says why when it is not TACT_EXIT_OK).
 */
struct scan_def;
struct port_list;
struct profile;

int	cmd_estimate(int, char **);
int	cmd_estimate_show(const char *, const struct scan_opts *,
	    const struct scan_def *);
int	cmd_estimate_gate(const struct scan_opts *, const struct scan_def *,
	    const struct profile *, const struct port_list *, char **);

/* Profiles (cmd-profile.c): the search path and a loader using it. */
struct profile;

int		 cmd_profile(int, char **);
char		**cmd_profile_dirs(void);
void		 cmd_profile_dirs_free(char **);
struct profile	*cmd_profile_load(const char *, char **);

/*
 * Scope (cmd-scope.c): the scope file to use (the one given, else the
 * default if it exists, else NULL) and the ledger's path (NULL when
 * neither $XDG_STATE_HOME nor $HOME is set).
 */
int		 cmd_scope(int, char **);
char		*cmd_scope_path(const char *);
char		*cmd_ledger_path(void);

/*
 * Scans on this machine (cmd-list.c, cmd-stop.c, cmd-attach.c): the scan
 * directories from the environment, and the commands.
 */
struct scan_dir_base;

int		 cmd_scan_dir_base(struct scan_dir_base *, char **);
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
