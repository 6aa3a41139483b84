/*
 * Privileges: may this process open raw sockets, and dropping them once
 * the raw socket and pcap are open: to an unprivileged user, with no
 * capabilities and no way to gain any; then a system call filter for
 * what the engine does from there on (privs-seccomp.c).
 */
#ifndef PRIVS_H
#define PRIVS_H

#include <sys/types.h>

#include <stdbool.h>

/*
 * Become user (a name or number; NULL: the user sudo ran us for, given
 * by the front end as the values of SUDO_UID and SUDO_GID, either NULL
 * when unset, else the system user "tact", else "nobody"), never uid or
 * gid 0, with an empty bounding set, no capabilities left and
 * PR_SET_NO_NEW_PRIVS. A non-root process (file capabilities) keeps its
 * user and only loses its capabilities. Returns 0, or 1 when it became
 * nobody because there is no user tact; -1 and cause.
 */
int	privs_drop(const char *, const char *, const char *, char **);

/*
 * The user privs_drop() becomes as root, as it chooses it: *uid and
 * *gid, and *fallback set when it is nobody for want of the user tact.
 * 0, or -1 and cause. What root opens for the scan and the scan's user
 * must change or remove after the drop is given to this user first.
 */
int	privs_user(const char *, const char *, const char *, uid_t *, gid_t *,
	    bool *, char **);

/*
 * Who ran us: the sudo user (the value of SUDO_UID, from the front end)
 * when we run as root, else our real uid. Ask before privs_drop.
 */
uid_t	privs_invoker(const char *);

/*
 * Allow from now on only the system calls the engine makes after its
 * setup; any other kills the process (SIGSYS). Call after privs_drop.
 */
int	privs_seccomp_enter(char **);

/* Can this process open raw sockets? (CAP_NET_RAW) */
bool	privs_raw_allowed(void);

#endif
