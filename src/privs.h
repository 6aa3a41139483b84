/*
 * Dropping privileges once the raw socket and pcap are open: to an
 * unprivileged user, with no capabilities and no way to gain any.
 */
#ifndef PRIVS_H
#define PRIVS_H

/*
 * Become user (a name or number; NULL: the user sudo ran us for, from
 * SUDO_UID and SUDO_GID, else "nobody"), with no capabilities left and
 * PR_SET_NO_NEW_PRIVS. A non-root process (file capabilities) keeps its
 * user and only loses its capabilities.
 */
int	privs_drop(const char *, char **);

#endif
