/*
 * Privilege dropping. Root empties the bounding set (PR_CAPBSET_DROP,
 * while it still holds CAP_SETPCAP), then becomes the chosen user
 * (setgroups, setresgid, setresuid: the kernel clears the capabilities of
 * a process leaving uid 0), never uid or gid 0: the sudo user, else the
 * system user "tact", else nobody, whom other daemons share (the caller
 * is told, to say so). Then every capability set is emptied, which also
 * covers a non-root binary given cap_net_raw with setcap (its bounding
 * set stays: dropping it needs CAP_SETPCAP, which it is not given), and
 * PR_SET_NO_NEW_PRIVS makes sure no exec can give any back. The result
 * is checked, not assumed. Whether raw sockets may be opened at all is
 * asked here too: it is the privilege the scan technique depends on.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <linux/capability.h>

#include <errno.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "privs.h"
#include "strnum.h"
#include "xmalloc.h"

#define PRIVS_USER	"tact"		/* the dedicated system user */
#define PRIVS_FALLBACK	"nobody"

static int	privs_bounding_clear(char **);
static int	privs_caps_clear(char **);

int
privs_user(const char *user, const char *su, const char *sg, uid_t *uid,
    gid_t *gid, bool *fallback, char **cause)
{
	struct passwd	*pw;
	uint64_t	 u, g;
	char		*c;

	if (user == NULL && su != NULL && sg != NULL &&
	    strnum_u64(su, 1, UINT32_MAX - 1, &u, &c) == 0) {
		if (strnum_u64(sg, 0, UINT32_MAX - 1, &g, &c) != 0) {
			xasprintf(cause, "SUDO_GID: %s", c);
			free(c);
			return (-1);
		}
		if (g == 0) {
			xasprintf(cause, "SUDO_GID: will not keep running as "
			    "group 0");
			return (-1);
		}
		*uid = (uid_t)u;
		*gid = (gid_t)g;
		return (0);
	}
	if (user == NULL && getpwnam(PRIVS_USER) != NULL)
		user = PRIVS_USER;
	else if (user == NULL) {
		user = PRIVS_FALLBACK;
		*fallback = true;
	}
	if ((pw = getpwnam(user)) != NULL) {
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
	} else if (strnum_u64(user, 1, UINT32_MAX - 1, &u, &c) == 0) {
		*uid = (uid_t)u;
		*gid = (gid_t)u;
	} else {
		xasprintf(cause, "user \"%s\": no such user", user);
		return (-1);
	}
	if (*uid == 0) {
		xasprintf(cause, "user \"%s\": will not keep running as root",
		    user);
		return (-1);
	}
	if (*gid == 0) {
		xasprintf(cause, "user \"%s\": will not keep running as "
		    "group 0", user);
		return (-1);
	}
	return (0);
}

/* Empty the bounding set: no capability can come back, even by exec. */
static int
privs_bounding_clear(char **cause)
{
	int	cap;

	for (cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) != -1; cap++) {
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == -1) {
			xasprintf(cause, "bounding set: capability %d: %s",
			    cap, strerror(errno));
			return (-1);
		}
	}
	if (errno != EINVAL || cap == 0) {
		xasprintf(cause, "bounding set: %s", strerror(errno));
		return (-1);
	}
	return (0);
}

static int
privs_caps_clear(char **cause)
{
	struct __user_cap_header_struct	hdr;
	struct __user_cap_data_struct	data[2];

	memset(&hdr, 0, sizeof hdr);
	memset(data, 0, sizeof data);
	hdr.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capset, &hdr, data) == -1) {
		xasprintf(cause, "capset: %s", strerror(errno));
		return (-1);
	}
	return (0);
}

int
privs_drop(const char *user, const char *sudo_uid, const char *sudo_gid,
    char **cause)
{
	uid_t	uid;
	gid_t	gid;
	bool	fallback = false;

	if (getuid() == 0 || geteuid() == 0) {
		if (privs_user(user, sudo_uid, sudo_gid, &uid, &gid,
		    &fallback, cause) != 0)
			return (-1);
		if (privs_bounding_clear(cause) != 0)
			return (-1);
		if (setgroups(1, &gid) == -1 ||
		    setresgid(gid, gid, gid) == -1 ||
		    setresuid(uid, uid, uid) == -1) {
			xasprintf(cause, "dropping to uid %u: %s",
			    (unsigned)uid, strerror(errno));
			return (-1);
		}
	}
	if (privs_caps_clear(cause) != 0)
		return (-1);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		xasprintf(cause, "no_new_privs: %s", strerror(errno));
		return (-1);
	}
	if (getuid() != 0 && setuid(0) != -1) {
		xasprintf(cause, "could regain root after dropping it");
		return (-1);
	}
	return (fallback ? 1 : 0);
}

uid_t
privs_invoker(const char *sudo_uid)
{
	uint64_t	 u;
	char		*c;

	if (getuid() != 0 || sudo_uid == NULL)
		return (getuid());
	if (strnum_u64(sudo_uid, 1, UINT32_MAX - 1, &u, &c) != 0) {
		free(c);
		return (getuid());
	}
	return ((uid_t)u);
}

bool
privs_raw_allowed(void)
{
	int	fd;

	if ((fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW)) == -1)
		return (false);
	close(fd);
	return (true);
}
