/*
 * The control socket: a Unix stream socket in the scan's runtime
 * directory through which `tact stop`, attach and the dashboard ask the
 * engine to pause, resume, go slower or faster, or stop. One command a
 * connection, as a line ("pause\n"); one line back, "ok[ detail]\n" or
 * "error: reason\n". Only the user who ran the scan (or root) is heard.
 */
#ifndef CONTROL_H
#define CONTROL_H

#include <sys/types.h>

#include <stdbool.h>

#include "event.h"

/* Longest command or reply line, newline included. */
#define CONTROL_LINE_MAX	256

/* Listen at path (non-blocking, close-on-exec): add the fd to epoll. */
int		 control_listen(const char *, char **);
/*
 * Accept one client and read its command. Returns the client's fd, to
 * answer with control_reply, and fills *action and *uid. Returns -1 with
 * cause when there was nobody, when the client is neither owner nor root
 * or sent no known command; such a client has been answered and closed.
 */
int		 control_accept(int, uid_t, enum event_control_action *,
		     uid_t *, char **);
/* Answer "ok[ detail]" or "error: detail" and close fd. */
void		 control_reply(int, bool, const char *);
/*
 * The client: send action to the socket at path and wait for the answer.
 * Returns 0 with *reply the answer's detail (may be empty) on "ok", -1
 * with cause otherwise.
 */
int		 control_send(const char *, enum event_control_action, char **,
		     char **);

const char	*control_action_name(enum event_control_action);
int		 control_action_parse(const char *,
		     enum event_control_action *);

#endif
