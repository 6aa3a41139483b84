/*
 * Privileges: may this process open raw sockets, and dropping them once
 * the raw socket and pcap are open: to an unprivileged user, with no
 * capabilities and no way to gain any.
 */
#ifndef PRIVS_H
#define PRIVS_H

#include <stdbool.h>

/*
 * Become user (a name or number; NULL: the user sudo ran us for, given
 * by the front end as the values of SUDO_UID and SUDO_GID, either NULL
 * when unset, else "nobody"), with no capabilities left and
 * PR_SET_NO_NEW_PRIVS. A non-root process (file capabilities) keeps its
 * user and only loses its capabilities.
 */
int	privs_drop(const char *, const char *, const char *, char **);

/* Can this process open raw sockets? (CAP_NET_RAW) */
bool	privs_raw_allowed(void);

#endif
