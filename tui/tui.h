/*
 * The dashboard: screens, the key table, colour roles, the scan being
 * watched (the results store and a live view's own state) and the scan
 * builder's estimate.
 */
#ifndef TUI_H
#define TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curses.h>

#include "estimate.h"
#include "event.h"
#include "results.h"
#include "scan-dir.h"

/* The smallest terminal the screens are laid out for. */
#define TUI_MIN_COLS	80
#define TUI_MIN_ROWS	24

/* The longest text a builder field takes. */
#define TUI_FIELD_MAX	1024

/* Redraw at most this often (4 a second). */
#define TUI_FRAME_MS	250

enum tui_screen {
	SCREEN_BUILDER,
	SCREEN_LIVE,
	SCREEN_HOSTS,
	SCREEN_HOST,
	SCREEN_SCANS,
	SCREEN_HELP,
	SCREEN_MAX
};
#define SCREEN_BIT(s)	(1U << (s))
#define SCREEN_ALL	((1U << SCREEN_MAX) - 1)

/* What a colour means; screens name roles, never colours. */
enum tui_role {
	ROLE_NORMAL,
	ROLE_TITLE,
	ROLE_LABEL,
	ROLE_SELECTED,
	ROLE_OPEN,
	ROLE_CLOSED,
	ROLE_FILTERED,
	ROLE_UP,
	ROLE_DOWN,
	ROLE_ALERT,
	ROLE_WARN,
	ROLE_BAR,
	ROLE_INVALID,
	ROLE_MAX
};

enum tui_action {
	ACTION_NONE,
	ACTION_HELP,
	ACTION_QUIT,
	ACTION_BACK,
	ACTION_UP,
	ACTION_DOWN,
	ACTION_PAGE_UP,
	ACTION_PAGE_DOWN,
	ACTION_HOME,
	ACTION_END,
	ACTION_NEXT_FIELD,
	ACTION_PREV_FIELD,
	ACTION_OPEN,
	ACTION_START,
	ACTION_PAUSE,
	ACTION_SLOWER,
	ACTION_FASTER,
	ACTION_DETACH,
	ACTION_STOP,
	ACTION_LIVE,
	ACTION_HOSTS,
	ACTION_SCANS,
	ACTION_SORT,
	ACTION_FILTER,
	ACTION_EXPORT,
	ACTION_REFRESH,
	ACTION_NEW,
	ACTION_FOLD,
	ACTION_MAX
};

/*
 * The state a key may need (struct tui_key's when): all of its bits must
 * be set in tui_keys_state() for the key to work and be offered.
 */
#define TUI_WHEN_SCAN		0x01	/* a scan is watched */
#define TUI_WHEN_RUNNING	0x02	/* it runs and takes commands */
#define TUI_WHEN_PAUSED		0x04	/* it is paused */
#define TUI_WHEN_GOING		0x08	/* it runs, not paused */
#define TUI_WHEN_FIELD		0x10	/* typing into a text field */
#define TUI_WHEN_BACK		0x20	/* there is a screen to go back to */

struct tui_key {
	int		 key;
	unsigned	 screens;	/* SCREEN_BIT()s it applies to */
	unsigned	 when;		/* TUI_WHEN_* it needs, or 0 */
	enum tui_action	 action;
	const char	*name;		/* as the help screen shows it */
	const char	*hint;		/* on the status line, or NULL */
	const char	*help;		/* NULL: same as the entry above */
};

#define TUI_SCAN_RATES	256	/* rate history for the sparkline */
#define TUI_SCAN_LOG	256	/* event log lines kept */
#define TUI_SCAN_WARN	8	/* warnings kept */
#define TUI_SCAN_OPEN	256	/* open ports kept, as they were found */

/* How the host screens count ports. */
enum tui_count {
	TUI_COUNT_OPEN,
	TUI_COUNT_CLOSED,	/* closed or unfiltered */
	TUI_COUNT_FILTERED	/* filtered, open|filtered, closed|filtered */
};

/*
 * The scan being watched: the results store, fed every record in order,
 * and beside it what only a live view keeps.
 */
struct tui_scan {
	struct results		*results;
	uint64_t		 seq;		/* last record applied */
	uint64_t		 now_ns;	/* mono_ns of the last record */
	char			*targets;	/* start strings, escaped */
	char			*profile;
	char			*purpose;

	/*
	 * The whole scan's rate history, oldest first: each entry the mean
	 * rate_milli of rate_step progress records; when it is full, pairs
	 * are merged and the step doubles.
	 */
	uint32_t		 rates[TUI_SCAN_RATES];
	size_t			 nrates;	/* 0: no progress record yet */
	uint32_t		 rate_step;
	uint64_t		 rate_sum;	/* of the entry being filled */
	uint32_t		 rate_n;
	uint32_t		 peak_rate;	/* milli */

	bool			 paused;
	bool			 interrupted;	/* no scan-end, engine gone */
	double			 rate_limit;	/* after the last control, or 0 */
	/* The plan's caps, from the scan-start strings; 0: none or unknown. */
	double			 max_rate;
	double			 host_max_rate;
	uint64_t		 group_size;

	char			*log[TUI_SCAN_LOG];	/* ring of lines */
	size_t			 nlog;		/* lines ever logged */
	char			*warn[TUI_SCAN_WARN];	/* escaped */
	struct target_addr	 warn_addr[TUI_SCAN_WARN]; /* family 0: none */
	size_t			 nwarn;
	struct tui_scan_open {
		struct target_addr	 addr;
		uint16_t		 port;
		uint8_t			 proto;
	}			 open[TUI_SCAN_OPEN];	/* ring */
	size_t			 nopen;		/* ports ever found open */
	uint64_t		 controls;	/* control records applied */
	char			 control_text[96]; /* what the last said */
	uint64_t		 changes;	/* bumped by every record */
};

/* A cursor in a scrolling list. */
struct tui_list {
	size_t		 cur;
	size_t		 top;
};

/* The scan builder's fields. */
enum tui_field {
	FIELD_PROFILE,
	FIELD_TARGETS,
	FIELD_PORTS,
	FIELD_SCOPE,
	FIELD_PURPOSE,
	FIELD_MAX
};

enum tui_verdict {
	VERDICT_OK,		/* may start */
	VERDICT_CONFIRM,	/* may start once the user confirms */
	VERDICT_REFUSED		/* out of scope or invalid */
};

/* What a scan built from the fields would do, before it starts. */
struct tui_estimate {
	bool		 valid;		/* est is filled in */
	struct estimate	 est;		/* libtact's estimate_compute() */
	size_t		 names;		/* hostnames to look up at Start */
	enum tui_verdict verdict;
	char		*verdict_text;
	char		*error[FIELD_MAX];	/* per field, or NULL */
};

/* tui_estimate()'s flags. */
#define TUI_ESTIMATE_RAW	0x1	/* raw sockets: SYN scans possible */
#define TUI_ESTIMATE_RESOLVE	0x2	/* look hostnames up */

struct tui;

struct screen_ops {
	const char	*name;
	void		(*enter)(struct tui *);
	void		(*leave)(struct tui *);
	void		(*draw)(struct tui *, WINDOW *);
	/* Returns true when it used the key. */
	bool		(*key)(struct tui *, int, enum tui_action);
	/* Whether the user is typing into a text field (NULL: never). */
	bool		(*editing)(struct tui *);
	void		(*tick)(struct tui *);
	/* Free the screen's data, once, when the dashboard ends. */
	void		(*free)(struct tui *);
};

/* The whole dashboard; one per process, owned by tui_run(). */
struct tui {
	enum tui_screen		 screen;
	enum tui_screen		 back[8];	/* where ACTION_BACK goes */
	size_t			 nback;
	enum tui_screen		 help_for;	/* the screen help was opened on */
	bool			 quit;
	bool			 detached;	/* quit, the scan goes on */
	bool			 dirty;
	bool			 colour;
	bool			 ascii;		/* ASCII borders, no ACS */
	WINDOW			*title;
	WINDOW			*body;
	WINDOW			*status;

	char			*self;		/* path to the tact program */
	char			*profile;	/* -T */
	char			**profile_dirs;	/* NULL-terminated */
	struct scan_dir_base	 base;		/* where scans keep files */
	char			*scope;		/* the default scope file */
	char			*targets;	/* `tact ui TARGET...`, or NULL */
	bool			 start_now;	/* start them on entering */

	struct tui_scan		*scan;		/* being watched, or NULL */
	struct tui_source	*source;	/* where its records come from */
	char			*scan_id;
	uint64_t		 attaches;	/* counts tui_attach() */

	const struct results_host *host;	/* the detail screen's */
	char			*message;	/* one line on the status bar */
	bool			 message_alert;
	uint64_t		 message_until;	/* ms: gone after it */
	int			 (*confirm)(struct tui *); /* y answers it */
	char			*confirm_text;
	char			*errors;	/* printed after endwin() */

	void			*data[SCREEN_MAX]; /* each screen's own */
};

/* tui.c */
int		 tui_run(struct tui *);
void		 tui_go(struct tui *, enum tui_screen);
void		 tui_back(struct tui *);
void		 tui_message(struct tui *, bool, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
void		 tui_ask(struct tui *, int (*)(struct tui *), const char *, ...)
		     __attribute__((format(printf, 3, 4)));
void		 tui_error(struct tui *, const char *, ...)
		     __attribute__((format(printf, 2, 3)));
int		 tui_attach(struct tui *, const char *, char **);
void		 tui_detach(struct tui *);
int		 tui_control(struct tui *, enum event_control_action);
unsigned	 tui_state(struct tui *);

/* tui-source.c: a scan's records (journal, then ring) and its control. */
struct tui_source *tui_source_open(const char *, const char *, const char *,
		     char **);
struct tui_source *tui_source_attach(const struct scan_dir_base *,
		     const char *, char **);
void		 tui_source_free(struct tui_source *);
int		 tui_source_read(struct tui_source *, struct tui_scan *,
		     char **);
int		 tui_source_control(struct tui_source *,
		     enum event_control_action, char **);

/* tui-start.c */
int		 tui_start(struct tui *, char **, char **);
bool		 tui_start_id(const char *, char *);

/* tui-keys.c */
enum tui_action	 tui_keys_lookup(enum tui_screen, unsigned, int);
const struct tui_key *tui_keys_table(size_t *);
void		 tui_keys_hint(enum tui_screen, unsigned, char *, size_t);

/* tui-colour.c */
void		 tui_colour_init(struct tui *);
attr_t		 tui_colour(enum tui_role);
enum tui_role	 tui_colour_port(uint8_t);
enum tui_role	 tui_colour_host(uint8_t);

/* tui-draw.c */
void		 tui_draw_text(WINDOW *, int, int, int, enum tui_role,
		     const char *);
void		 tui_draw_printf(WINDOW *, int, int, int, enum tui_role,
		     const char *, ...) __attribute__((format(printf, 6, 7)));
void		 tui_draw_hline(struct tui *, WINDOW *, int, int, int);
void		 tui_draw_box(struct tui *, WINDOW *, int, int, int, int,
		     const char *);
void		 tui_draw_bar(WINDOW *, int, int, int, double);
size_t		 tui_draw_spark_levels(const uint32_t *, size_t, uint32_t,
		    size_t, uint8_t *, size_t);
void		 tui_draw_spark(struct tui *, WINDOW *, int, int, int,
		    const uint32_t *, size_t, uint32_t);
int		 tui_draw_wrap(WINDOW *, int, int, int, int, enum tui_role,
		    const char *);
void		 tui_draw_scroll(WINDOW *, int, size_t, size_t, size_t);
char		*tui_draw_duration(char *, size_t, uint64_t);
char		*tui_draw_count(char *, size_t, uint64_t);
bool		 tui_draw_list_key(struct tui_list *, size_t, int,
		     enum tui_action);
void		 tui_draw_list_fit(struct tui_list *, size_t, int);

/* tui-scan.c */
struct tui_scan	*tui_scan_create(void);
void		 tui_scan_free(struct tui_scan *);
int		 tui_scan_apply(struct tui_scan *, const struct event_header *,
		     const void *, char **);
const char	*tui_scan_log_line(const struct tui_scan *, size_t);
double		 tui_scan_percent(const struct tui_scan *);
bool		 tui_scan_over(const struct tui_scan *);
uint64_t	 tui_scan_since(const struct tui_scan *, uint64_t);
uint8_t		 tui_scan_host_state(const struct results_host *);
unsigned	 tui_scan_count(const struct results_host *, enum tui_count);
uint64_t	 tui_scan_host_probes(const struct results_host *);
uint32_t	 tui_scan_host_rtt(const struct results_host *);
uint8_t		 tui_scan_host_ttl(const struct results_host *);
unsigned	 tui_scan_host_percent(const struct tui_scan *,
		    const struct results_host *);
bool		 tui_scan_host_active(const struct tui_scan *,
		    const struct results_host *);
uint32_t	 tui_scan_rate_scale(const struct tui_scan *);
double		 tui_scan_binding(const struct tui_scan *, bool *);
char		*tui_scan_caught_up(const struct tui_scan *);
void		 tui_scan_note(struct tui_scan *, const char *);
bool		 tui_scan_warned(const struct tui_scan *,
		    const struct target_addr *);
const struct tui_scan_open *tui_scan_open_port(const struct tui_scan *,
		    size_t);

/* tui-estimate.c */
struct profile;
void		 tui_estimate(struct tui_estimate *, const char *,
		     const struct profile *, char *const *, int);
void		 tui_estimate_clear(struct tui_estimate *);
/*
 * The arguments of the `tact scan --detach` the fields make (argv[0]
 * "scan"; -P the profile, unless NULL; --i-have-permission if
 * permission), NULL-terminated. Without TUI_ESTIMATE_RESOLVE in flags,
 * hostnames are left out and counted in names. Free the array and copy,
 * which the target words point into.
 */
char		**tui_estimate_argv(const char *, char *const *, int, bool,
		     size_t *, char **);

/* tui-filter.c */
struct tui_filter;
struct tui_filter *tui_filter_parse(const char *, char **);
void		 tui_filter_free(struct tui_filter *);
bool		 tui_filter_match(const struct tui_filter *,
		     const struct results_host *);

extern const struct screen_ops screen_builder_ops;
extern const struct screen_ops screen_live_ops;
extern const struct screen_ops screen_hosts_ops;
extern const struct screen_ops screen_host_ops;
extern const struct screen_ops screen_scans_ops;
extern const struct screen_ops screen_help_ops;

#endif
