/*
 * The engine's side of the control socket (scan-control.c): a watch
 * callback for struct scan_config that takes one command, obeys it
 * through scan.h's functions, records it and answers.
 */
#ifndef SCAN_CONTROL_H
#define SCAN_CONTROL_H

struct scan;

/*
 * Accept a command on the listening socket fd, obey, record it in the
 * event stream arg (a struct event_stream *) and answer it.
 */
void	scan_control_accept(struct scan *, int, void *);

#endif
