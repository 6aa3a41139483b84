/*
 * The engine's system call filter (seccomp, through libseccomp). Once the
 * sockets, capture, journal, ring, control socket and outputs are open
 * and privileges are dropped, the engine only reads, writes, sends,
 * waits, connects (connect scans), accepts control clients, syncs the
 * journal, manages memory, starts its sending threads and ends; every
 * other system call kills the process (SCMP_ACT_KILL_PROCESS), so a
 * bug in a packet parser cannot become a shell, a write to a file or a
 * new socket of another kind.
 * The list is a table; a call the engine starts to make is one row, and
 * the full make check runs with the filter on.
 *
 * Two things are wider than the loop needs, for the outputs written
 * after it. They name services through the C library (getservbyport),
 * which opens the services databases each time and asks nscd first: so
 * files may be opened to read (not to write or create), and a Unix
 * socket is refused with EACCES rather than fatal (the library then
 * reads the files). The databases' NSS modules are loaded here, before
 * the filter: loading one later would need executable memory, which
 * stays forbidden. And each output is formatted into an anonymous
 * temporary file (tmpfile(), O_TMPFILE: it has no name to reach).
 */
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <linux/netlink.h>

#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <netdb.h>
#include <seccomp.h>
#include <string.h>

#include "privs.h"
#include "xmalloc.h"

/* Allowed whatever their arguments. */
static const int privs_seccomp_any[] = {
	/* descriptors: the journal, ring, outputs, pipes, timerfd */
	SCMP_SYS(read),
	SCMP_SYS(write),
	SCMP_SYS(writev),
	SCMP_SYS(close),
	SCMP_SYS(dup2),
	SCMP_SYS(dup3),
	SCMP_SYS(fcntl),
	SCMP_SYS(lseek),
	SCMP_SYS(fstat),
	SCMP_SYS(newfstatat),
	SCMP_SYS(fsync),
	SCMP_SYS(fdatasync),
	SCMP_SYS(ftruncate),
	SCMP_SYS(msync),
	/* the end of a scan: its runtime files, a failed output */
	SCMP_SYS(unlink),
	SCMP_SYS(unlinkat),
	SCMP_SYS(rmdir),
	/* the loop: epoll, the timer, polling a control client */
	SCMP_SYS(epoll_wait),
	SCMP_SYS(epoll_pwait),
	SCMP_SYS(epoll_ctl),
	SCMP_SYS(timerfd_settime),
	SCMP_SYS(timerfd_gettime),
	SCMP_SYS(poll),
	SCMP_SYS(ppoll),
	SCMP_SYS(clock_gettime),
	SCMP_SYS(clock_nanosleep),
	SCMP_SYS(nanosleep),
	SCMP_SYS(gettimeofday),
	SCMP_SYS(time),
	/* sockets already open, and the connect scan's */
	SCMP_SYS(connect),
	SCMP_SYS(accept4),
	SCMP_SYS(getsockopt),
	SCMP_SYS(setsockopt),
	SCMP_SYS(getsockname),
	SCMP_SYS(bind),
	SCMP_SYS(sendto),
	SCMP_SYS(sendmsg),
	SCMP_SYS(sendmmsg),
	SCMP_SYS(recvfrom),
	SCMP_SYS(recvmsg),
	/* memory */
	SCMP_SYS(brk),
	SCMP_SYS(munmap),
	SCMP_SYS(mremap),
	SCMP_SYS(madvise),
	SCMP_SYS(sysinfo),	/* qsort(): how much memory there is */
	/* signals (the stop signalfd), abort(), the end */
	SCMP_SYS(rt_sigreturn),
	SCMP_SYS(rt_sigprocmask),
	SCMP_SYS(rt_sigaction),
	SCMP_SYS(getpid),
	SCMP_SYS(gettid),
	SCMP_SYS(tgkill),
	SCMP_SYS(restart_syscall),
	SCMP_SYS(futex),
	SCMP_SYS(getrandom),
	SCMP_SYS(exit),
	SCMP_SYS(exit_group),
	/* a thread starting (the raw transport's sender) */
	SCMP_SYS(set_robust_list),
	SCMP_SYS(rseq),
};

/*
 * Allowed, or refused with errno_, only when argument arg, masked, is
 * value, and so is arg2 when mask2 is not 0.
 */
struct privs_seccomp_rule {
	int		 sys;
	unsigned int	 arg;
	scmp_datum_t	 mask;
	scmp_datum_t	 value;
	unsigned int	 arg2;
	scmp_datum_t	 mask2;
	scmp_datum_t	 value2;
	int		 errno_;	/* 0: allowed */
};

#define PRIVS_ALL	((scmp_datum_t)0xffffffff)

static const struct privs_seccomp_rule privs_seccomp_rules[] = {
	/*
	 * The connect scan's sockets, and the route to a host (is it on
	 * the link, for ARP or ND): a UDP socket connected to it, then the
	 * interfaces from a routing netlink socket (getifaddrs) and an
	 * interface's index (if_nametoindex).
	 */
	{ SCMP_SYS(socket), 0, PRIVS_ALL, AF_INET, 0, 0, 0, 0 },
	{ SCMP_SYS(socket), 0, PRIVS_ALL, AF_INET6, 0, 0, 0, 0 },
	{ SCMP_SYS(socket), 0, PRIVS_ALL, AF_NETLINK, 2, PRIVS_ALL,
	    NETLINK_ROUTE, 0 },
	{ SCMP_SYS(ioctl), 1, PRIVS_ALL, SIOCGIFINDEX, 0, 0, 0, 0 },
	/* The C library asking nscd for a service name: told no. */
	{ SCMP_SYS(socket), 0, PRIVS_ALL, AF_UNIX, 0, 0, 0, EACCES },
	/* The services databases, to read. */
	{ SCMP_SYS(openat), 2, O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND |
	    O_TMPFILE, O_RDONLY, 0, 0, 0, 0 },
	/* The outputs' anonymous temporary files. */
	{ SCMP_SYS(openat), 2, O_ACCMODE | O_CREAT | O_TMPFILE,
	    O_RDWR | O_TMPFILE, 0, 0, 0, 0 },
	/* Is stderr a terminal? */
	{ SCMP_SYS(ioctl), 1, PRIVS_ALL, TCGETS, 0, 0, 0, 0 },
	/*
	 * Threads, not processes: clone3's flags are out of the filter's
	 * reach, so the C library is told it is missing and uses clone.
	 */
	{ SCMP_SYS(clone), 0, CLONE_THREAD, CLONE_THREAD, 0, 0, 0, 0 },
	{ SCMP_SYS(clone3), 0, 0, 0, 0, 0, 0, ENOSYS },
	/* Memory, never executable. */
	{ SCMP_SYS(mmap), 2, PROT_EXEC, 0, 0, 0, 0, 0 },
	{ SCMP_SYS(mprotect), 2, PROT_EXEC, 0, 0, 0, 0, 0 },
};

#define PRIVS_SECCOMP_NANY \
	(sizeof privs_seccomp_any / sizeof privs_seccomp_any[0])
#define PRIVS_SECCOMP_NRULES \
	(sizeof privs_seccomp_rules / sizeof privs_seccomp_rules[0])

int
privs_seccomp_enter(char **cause)
{
	const struct privs_seccomp_rule	*r;
	scmp_filter_ctx			 ctx;
	size_t				 i;
	uint32_t			 action;
	int				 error = 0;

	/* Load the services databases' modules while that is allowed. */
	(void)getservbyport(0, "tcp");
	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL) {
		xasprintf(cause, "seccomp: cannot make a filter");
		return (-1);
	}
	/* Log what it kills, where the kernel's audit log is kept. */
	(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1);
	for (i = 0; error == 0 && i < PRIVS_SECCOMP_NANY; i++)
		error = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
		    privs_seccomp_any[i], 0);
	for (i = 0; error == 0 && i < PRIVS_SECCOMP_NRULES; i++) {
		r = &privs_seccomp_rules[i];
		action = r->errno_ == 0 ? SCMP_ACT_ALLOW :
		    SCMP_ACT_ERRNO(r->errno_);
		if (r->mask2 == 0)
			error = seccomp_rule_add(ctx, action, r->sys, 1,
			    SCMP_CMP(r->arg, SCMP_CMP_MASKED_EQ, r->mask,
			    r->value));
		else
			error = seccomp_rule_add(ctx, action, r->sys, 2,
			    SCMP_CMP(r->arg, SCMP_CMP_MASKED_EQ, r->mask,
			    r->value), SCMP_CMP(r->arg2, SCMP_CMP_MASKED_EQ,
			    r->mask2, r->value2));
	}
	if (error == 0)
		error = seccomp_load(ctx);
	seccomp_release(ctx);
	if (error != 0) {
		xasprintf(cause, "seccomp: %s", strerror(-error));
		return (-1);
	}
	return (0);
}
