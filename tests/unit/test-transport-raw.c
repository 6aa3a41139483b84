/*
 * The raw transport's capture (transport-raw.c): once its filter is set
 * it is locked (SO_LOCK_FILTER), so that a process that has dropped its
 * privileges cannot widen what it captures by detaching or replacing the
 * filter. Opens a capture on loopback: needs root, otherwise SKIP.
 */
#include <sys/socket.h>

#include <linux/filter.h>

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "probe.h"
#include "transport.h"

static void
test_transport_raw_locks_its_capture_filter(void)
{
	struct sock_filter	 all[] = { BPF_STMT(BPF_RET | BPF_K, 0xffff) };
	struct sock_fprog	 prog = { .len = 1, .filter = all };
	struct target_addr	 dst = { .family = AF_INET,
				     .addr = { 127, 0, 0, 1 } };
	struct transport	*t;
	char			*cause = NULL;
	int			 fd, zero = 0;

	t = transport_raw_open(&dst, NULL, "tcp and dst port 9", false,
	    &cause);
	CU_ASSERT_FATAL(t != NULL);
	fd = transport_raw_fd(t);
	CU_ASSERT(setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, &zero,
	    sizeof zero) == -1 && errno == EPERM);
	CU_ASSERT(setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof prog) == -1 && errno == EPERM);
	CU_ASSERT(setsockopt(fd, SOL_SOCKET, SO_LOCK_FILTER, &zero,
	    sizeof zero) == -1 && errno == EPERM);
	transport_raw_close(t);
}

static const struct unit_test tests[] = {
	TEST(test_transport_raw_locks_its_capture_filter),
	TEST_END
};

int
main(void)
{
	if (geteuid() != 0) {
		printf("SKIP: transport-raw: a capture needs root\n");
		return (77);
	}
	return (unit_run("transport-raw", tests));
}
