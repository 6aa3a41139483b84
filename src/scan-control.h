/*
 * The engine's side of the control socket (scan-control.c): a watch
 * callback for struct scan_config that takes one command, obeys it
 * through scan.h's functions, records it and answers.
 */
#ifndef SCAN_CONTROL_H
#define SCAN_CONTROL_H

#include <sys/types.h>

struct event_stream;
struct scan;

/* Where the commands are recorded, and whose are taken. */
struct scan_control {
	struct event_stream	*es;
	uid_t			 owner;	/* the user who ran the scan */
};

/*
 * Accept a command on the listening socket fd from its owner or root,
 * obey, record it in the event stream and answer it; arg is a struct
 * scan_control.
 */
void	scan_control_accept(struct scan *, int, void *);

#endif
