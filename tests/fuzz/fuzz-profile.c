/*
 * Fuzz profile_load(): the input is a profile file beside a base profile
 * named "polite" that it may extend. A profile that loads must come back
 * the same from profile_to_yaml()'s text.
 */
#include <libgen.h>
#include <string.h>

#include "fuzz.h"
#include "profile.h"
#include "xmalloc.h"

static const char fuzz_base[] =
	"name: polite\n"
	"description: \"a base to extend\"\n"
	"scan_type: syn\n"
	"discovery: [icmp-echo, icmp-timestamp, tcp-syn, tcp-ack]\n"
	"discovery_ports: \"80,443\"\n"
	"top_ports: 1000\n"
	"max_rate: 100/s\n"
	"host_max_rate: 10/s\n"
	"host_max_outstanding: 4\n"
	"max_parallel_hosts: 32\n"
	"max_retries: 3\n"
	"initial_rtt_timeout: 1s\n"
	"min_rtt_timeout: 100ms\n"
	"max_rtt_timeout: 10s\n"
	"scan_delay: 0ms\n"
	"host_timeout: none\n"
	"max_hosts: 4096\n"
	"max_ports_per_host: none\n"
	"service_probes: true\n"
	"daily_quota: none\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile	*p, *again;
	const char	*dirs[2];
	char		*path, *base, *dir, *yaml, *cause = NULL;

	base = fuzz_file("polite.yaml", (const uint8_t *)fuzz_base,
	    sizeof fuzz_base - 1);
	dir = dirname(base);
	dirs[0] = dir;
	dirs[1] = NULL;
	path = fuzz_file("fuzzed.yaml", data, size);

	if ((p = profile_load(path, dirs, &cause)) == NULL) {
		FUZZ_CHECK(cause != NULL);
		free(cause);
		goto out;
	}
	FUZZ_CHECK(cause == NULL);
	yaml = profile_to_yaml(p);
	free(path);
	path = fuzz_file("again.yaml", (const uint8_t *)yaml, strlen(yaml));
	if ((again = profile_load(path, dirs, &cause)) == NULL) {
		fprintf(stderr, "%s\n", cause);
		FUZZ_CHECK(again != NULL);
	}
	FUZZ_CHECK(profile_same(p, again));
	profile_free(again);
	free(yaml);
	profile_free(p);
out:
	free(path);
	free(base);
	return (0);
}
