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
	int		(*exec)(int, char **);	/* NULL: not built yet */
};

const struct cmd_entry	*cmd_find(const char *);
void			 cmd_error(const char *, const char *, ...)
			    __attribute__((format(printf, 2, 3)));

struct scan_opts;

int	cmd_scan(int, char **);
int	cmd_ui(int, char **);
int	cmd_scan_run(struct scan_opts *);

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

#endif
