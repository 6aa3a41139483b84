/*
 * The libcyaml schema of a profile file: the tables alone. Every value is
 * mapped as a string; profile.c converts and range-checks them, because
 * libcyaml's own number parsing takes "100abc" for 100 and its errors
 * carry no line. profile-check.c has vetted the file before it gets here.
 */
#include <stddef.h>

#include <cyaml/cyaml.h>

#include "profile.h"
#include "xmalloc.h"

#define PROFILE_SCHEMA_STRING(key, member)				\
	CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_OPTIONAL,		\
	    struct profile_yaml, member, 0, CYAML_UNLIMITED)

static const cyaml_schema_value_t profile_schema_word = {
	CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

static const cyaml_schema_field_t profile_schema_fields[] = {
	PROFILE_SCHEMA_STRING("name", name),
	PROFILE_SCHEMA_STRING("description", description),
	PROFILE_SCHEMA_STRING("extends", extends),
	PROFILE_SCHEMA_STRING("unlocked", unlocked),
	PROFILE_SCHEMA_STRING("scan_type", scan_type),
	CYAML_FIELD_SEQUENCE("discovery",
	    CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, struct profile_yaml,
	    discovery, &profile_schema_word, 0, CYAML_UNLIMITED),
	PROFILE_SCHEMA_STRING("discovery_ports", discovery_ports),
	PROFILE_SCHEMA_STRING("ports", ports),
	PROFILE_SCHEMA_STRING("top_ports", top_ports),
	PROFILE_SCHEMA_STRING("max_rate", max_rate),
	PROFILE_SCHEMA_STRING("host_max_rate", host_max_rate),
	PROFILE_SCHEMA_STRING("host_max_outstanding", host_max_outstanding),
	PROFILE_SCHEMA_STRING("max_parallel_hosts", max_parallel_hosts),
	PROFILE_SCHEMA_STRING("max_retries", max_retries),
	PROFILE_SCHEMA_STRING("initial_rtt_timeout", initial_rtt_timeout),
	PROFILE_SCHEMA_STRING("min_rtt_timeout", min_rtt_timeout),
	PROFILE_SCHEMA_STRING("max_rtt_timeout", max_rtt_timeout),
	PROFILE_SCHEMA_STRING("scan_delay", scan_delay),
	PROFILE_SCHEMA_STRING("host_timeout", host_timeout),
	PROFILE_SCHEMA_STRING("max_hosts", max_hosts),
	PROFILE_SCHEMA_STRING("max_ports_per_host", max_ports_per_host),
	PROFILE_SCHEMA_STRING("service_probes", service_probes),
	PROFILE_SCHEMA_STRING("service_max_connections",
	    service_max_connections),
	PROFILE_SCHEMA_STRING("daily_quota", daily_quota),
	PROFILE_SCHEMA_STRING("max_state_entries", max_state_entries),
	PROFILE_SCHEMA_STRING("state_entry_lifetime", state_entry_lifetime),
	PROFILE_SCHEMA_STRING("state_udp_lifetime", state_udp_lifetime),
	PROFILE_SCHEMA_STRING("state_icmp_lifetime", state_icmp_lifetime),
	PROFILE_SCHEMA_STRING("state_close_lifetime", state_close_lifetime),
	CYAML_FIELD_END
};

static const cyaml_schema_value_t profile_schema = {
	CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct profile_yaml,
	    profile_schema_fields),
};

static const cyaml_config_t profile_schema_config = {
	.log_fn = NULL,
	.mem_fn = cyaml_mem,
	.log_level = CYAML_LOG_ERROR,
	.flags = CYAML_CFG_NO_ALIAS,
};

int
profile_schema_load(const char *buf, size_t len, struct profile_yaml **y,
    char **cause)
{
	cyaml_err_t	err;

	*y = NULL;
	err = cyaml_load_data((const uint8_t *)buf, len, &profile_schema_config,
	    &profile_schema, (cyaml_data_t **)y, NULL);
	if (err != CYAML_OK) {
		xasprintf(cause, "%s", cyaml_strerror(err));
		return (-1);
	}
	return (0);
}

void
profile_schema_free(struct profile_yaml *y)
{
	if (y != NULL)
		cyaml_free(&profile_schema_config, &profile_schema, y, 0);
}
