/*
 * The event stream: number, stamp and checksum each record, then hand it
 * to every sink; and the one check of a record read back, which the
 * journal and the ring readers share. Also the names of the enums, in
 * tables, for every output.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "event.h"
#include "xmalloc.h"

#define EVENT_SINKS_MAX	8

static unsigned char *event_leb128_put(unsigned char *, uint32_t);
static int	event_leb128_get(const unsigned char *, size_t, size_t *,
		    uint32_t *);
static int	event_port_run_check(const struct event_port_run *, size_t);
static uint32_t	event_crc32c_soft(uint32_t, const unsigned char *, size_t);
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
static uint32_t	event_crc32c_sse42(uint32_t, const unsigned char *, size_t)
		    __attribute__((target("sse4.2")));
#endif

struct event_stream {
	uint64_t	 seq;
	struct {
		event_sink_fn	*fn;
		void		*arg;
	}		 sinks[EVENT_SINKS_MAX];
	size_t		 nsinks;
};

static const char *event_type_names[EVENT_TYPE_MAX] = {
	[EVENT_SCAN_START] = "scan-start",
	[EVENT_HOST_STATE] = "host-state",
	[EVENT_PORT_STATE] = "port-state",
	[EVENT_SERVICE] = "service",
	[EVENT_PROGRESS] = "progress",
	[EVENT_WARNING] = "warning",
	[EVENT_CONTROL] = "control",
	[EVENT_SCAN_END] = "scan-end",
	[EVENT_HOST_NAME] = "host-name",
	[EVENT_SERVICE_INFO] = "service-info",
	[EVENT_PORT_RUN] = "port-run",
};

/* The fixed part of each record type's payload. */
static const size_t event_min_lens[EVENT_TYPE_MAX] = {
	[EVENT_SCAN_START] = sizeof (struct event_scan_start),
	[EVENT_HOST_STATE] = sizeof (struct event_host),
	[EVENT_PORT_STATE] = sizeof (struct event_port),
	[EVENT_SERVICE] = sizeof (struct event_service),
	[EVENT_PROGRESS] = sizeof (struct event_progress),
	[EVENT_WARNING] = sizeof (struct event_warning),
	[EVENT_CONTROL] = sizeof (struct event_control),
	[EVENT_SCAN_END] = sizeof (struct event_scan_end),
	[EVENT_HOST_NAME] = sizeof (struct event_host_name),
	[EVENT_SERVICE_INFO] = sizeof (struct event_service_info),
	[EVENT_PORT_RUN] = sizeof (struct event_port_run),
};

static const char *event_service_keys[EVENT_SKEY_MAX] = {
	[EVENT_SKEY_SERVICE] = "service",
	[EVENT_SKEY_PRODUCT] = "product",
	[EVENT_SKEY_VERSION] = "version",
	[EVENT_SKEY_EXTRAINFO] = "extrainfo",
	[EVENT_SKEY_HOSTNAME] = "hostname",
	[EVENT_SKEY_OSTYPE] = "ostype",
	[EVENT_SKEY_DEVICETYPE] = "devicetype",
	[EVENT_SKEY_CPE] = "cpe",
	[EVENT_SKEY_CERT_SUBJECT] = "cert-subject",
	[EVENT_SKEY_CERT_ISSUER] = "cert-issuer",
	[EVENT_SKEY_CERT_SAN] = "cert-san",
};

static const char *event_service_methods[EVENT_SERVICE_METHOD_MAX] = {
	[EVENT_SERVICE_TABLE] = "table",
	[EVENT_SERVICE_PROBED] = "probed",
};

/* Nmap's spellings, so that the XML output reads as Nmap's does. */
static const char *event_reason_names[EVENT_REASON_MAX] = {
	[EVENT_REASON_NONE] = "unknown",
	[EVENT_REASON_SYN_ACK] = "syn-ack",
	[EVENT_REASON_RESET] = "reset",
	[EVENT_REASON_NO_RESPONSE] = "no-response",
	[EVENT_REASON_HOST_UNREACH] = "host-unreach",
	[EVENT_REASON_NET_UNREACH] = "net-unreach",
	[EVENT_REASON_PROTO_UNREACH] = "proto-unreach",
	[EVENT_REASON_PORT_UNREACH] = "port-unreach",
	[EVENT_REASON_ADMIN_PROHIBITED] = "admin-prohibited",
	[EVENT_REASON_ECHO_REPLY] = "echo-reply",
	[EVENT_REASON_TIMESTAMP_REPLY] = "timestamp-reply",
	[EVENT_REASON_ARP_RESPONSE] = "arp-response",
	[EVENT_REASON_UDP_RESPONSE] = "udp-response",
	[EVENT_REASON_CONN_REFUSED] = "conn-refused",
	[EVENT_REASON_LOCALHOST] = "localhost-response",
	[EVENT_REASON_USER_SET] = "user-set",
	[EVENT_REASON_ND_RESPONSE] = "nd-response",
};

static const char *event_port_state_names[] = {
	[EVENT_PORT_OPEN] = "open",
	[EVENT_PORT_CLOSED] = "closed",
	[EVENT_PORT_FILTERED] = "filtered",
	[EVENT_PORT_UNFILTERED] = "unfiltered",
	[EVENT_PORT_OPEN_FILTERED] = "open|filtered",
	[EVENT_PORT_CLOSED_FILTERED] = "closed|filtered",
};

static const char *event_host_state_names[] = {
	[EVENT_HOST_UP] = "up",
	[EVENT_HOST_DOWN] = "down",
	[EVENT_HOST_SILENT] = "silent",
	[EVENT_HOST_DONE] = "done",
	[EVENT_HOST_TIMEOUT] = "timeout",
};

/* Nmap's spellings of <hostname type="">. */
static const char *event_name_type_names[] = {
	[EVENT_NAME_USER] = "user",
	[EVENT_NAME_PTR] = "PTR",
};

#define NAME_OF(table, v)						\
	((size_t)(v) < sizeof (table) / sizeof (table)[0] &&		\
	    (table)[(v)] != NULL ? (table)[(v)] : "unknown")

size_t
event_min_len(enum event_type t)
{
	if ((size_t)t >= EVENT_TYPE_MAX)
		return (0);
	return (event_min_lens[t]);
}

const char *
event_type_name(enum event_type t)
{
	return (NAME_OF(event_type_names, t));
}

const char *
event_reason_name(enum event_reason r)
{
	return (NAME_OF(event_reason_names, r));
}

const char *
event_port_state_name(enum event_port_state s)
{
	return (NAME_OF(event_port_state_names, s));
}

const char *
event_host_state_name(enum event_host_state s)
{
	return (NAME_OF(event_host_state_names, s));
}

const char *
event_name_type_name(enum event_name_type t)
{
	return (NAME_OF(event_name_type_names, t));
}

/*
 * CRC32C (Castagnoli), reflected. x86-64 CPUs with SSE4.2 compute it
 * with the crc32 instruction, 8 bytes at a time; elsewhere a byte at a
 * time from a constant table (polynomial 0x82f63b78), so that no state
 * is shared between threads.
 */
static const uint32_t event_crc32c_table[256] = {
	0x00000000U, 0xf26b8303U, 0xe13b70f7U, 0x1350f3f4U,
	0xc79a971fU, 0x35f1141cU, 0x26a1e7e8U, 0xd4ca64ebU,
	0x8ad958cfU, 0x78b2dbccU, 0x6be22838U, 0x9989ab3bU,
	0x4d43cfd0U, 0xbf284cd3U, 0xac78bf27U, 0x5e133c24U,
	0x105ec76fU, 0xe235446cU, 0xf165b798U, 0x030e349bU,
	0xd7c45070U, 0x25afd373U, 0x36ff2087U, 0xc494a384U,
	0x9a879fa0U, 0x68ec1ca3U, 0x7bbcef57U, 0x89d76c54U,
	0x5d1d08bfU, 0xaf768bbcU, 0xbc267848U, 0x4e4dfb4bU,
	0x20bd8edeU, 0xd2d60dddU, 0xc186fe29U, 0x33ed7d2aU,
	0xe72719c1U, 0x154c9ac2U, 0x061c6936U, 0xf477ea35U,
	0xaa64d611U, 0x580f5512U, 0x4b5fa6e6U, 0xb93425e5U,
	0x6dfe410eU, 0x9f95c20dU, 0x8cc531f9U, 0x7eaeb2faU,
	0x30e349b1U, 0xc288cab2U, 0xd1d83946U, 0x23b3ba45U,
	0xf779deaeU, 0x05125dadU, 0x1642ae59U, 0xe4292d5aU,
	0xba3a117eU, 0x4851927dU, 0x5b016189U, 0xa96ae28aU,
	0x7da08661U, 0x8fcb0562U, 0x9c9bf696U, 0x6ef07595U,
	0x417b1dbcU, 0xb3109ebfU, 0xa0406d4bU, 0x522bee48U,
	0x86e18aa3U, 0x748a09a0U, 0x67dafa54U, 0x95b17957U,
	0xcba24573U, 0x39c9c670U, 0x2a993584U, 0xd8f2b687U,
	0x0c38d26cU, 0xfe53516fU, 0xed03a29bU, 0x1f682198U,
	0x5125dad3U, 0xa34e59d0U, 0xb01eaa24U, 0x42752927U,
	0x96bf4dccU, 0x64d4cecfU, 0x77843d3bU, 0x85efbe38U,
	0xdbfc821cU, 0x2997011fU, 0x3ac7f2ebU, 0xc8ac71e8U,
	0x1c661503U, 0xee0d9600U, 0xfd5d65f4U, 0x0f36e6f7U,
	0x61c69362U, 0x93ad1061U, 0x80fde395U, 0x72966096U,
	0xa65c047dU, 0x5437877eU, 0x4767748aU, 0xb50cf789U,
	0xeb1fcbadU, 0x197448aeU, 0x0a24bb5aU, 0xf84f3859U,
	0x2c855cb2U, 0xdeeedfb1U, 0xcdbe2c45U, 0x3fd5af46U,
	0x7198540dU, 0x83f3d70eU, 0x90a324faU, 0x62c8a7f9U,
	0xb602c312U, 0x44694011U, 0x5739b3e5U, 0xa55230e6U,
	0xfb410cc2U, 0x092a8fc1U, 0x1a7a7c35U, 0xe811ff36U,
	0x3cdb9bddU, 0xceb018deU, 0xdde0eb2aU, 0x2f8b6829U,
	0x82f63b78U, 0x709db87bU, 0x63cd4b8fU, 0x91a6c88cU,
	0x456cac67U, 0xb7072f64U, 0xa457dc90U, 0x563c5f93U,
	0x082f63b7U, 0xfa44e0b4U, 0xe9141340U, 0x1b7f9043U,
	0xcfb5f4a8U, 0x3dde77abU, 0x2e8e845fU, 0xdce5075cU,
	0x92a8fc17U, 0x60c37f14U, 0x73938ce0U, 0x81f80fe3U,
	0x55326b08U, 0xa759e80bU, 0xb4091bffU, 0x466298fcU,
	0x1871a4d8U, 0xea1a27dbU, 0xf94ad42fU, 0x0b21572cU,
	0xdfeb33c7U, 0x2d80b0c4U, 0x3ed04330U, 0xccbbc033U,
	0xa24bb5a6U, 0x502036a5U, 0x4370c551U, 0xb11b4652U,
	0x65d122b9U, 0x97baa1baU, 0x84ea524eU, 0x7681d14dU,
	0x2892ed69U, 0xdaf96e6aU, 0xc9a99d9eU, 0x3bc21e9dU,
	0xef087a76U, 0x1d63f975U, 0x0e330a81U, 0xfc588982U,
	0xb21572c9U, 0x407ef1caU, 0x532e023eU, 0xa145813dU,
	0x758fe5d6U, 0x87e466d5U, 0x94b49521U, 0x66df1622U,
	0x38cc2a06U, 0xcaa7a905U, 0xd9f75af1U, 0x2b9cd9f2U,
	0xff56bd19U, 0x0d3d3e1aU, 0x1e6dcdeeU, 0xec064eedU,
	0xc38d26c4U, 0x31e6a5c7U, 0x22b65633U, 0xd0ddd530U,
	0x0417b1dbU, 0xf67c32d8U, 0xe52cc12cU, 0x1747422fU,
	0x49547e0bU, 0xbb3ffd08U, 0xa86f0efcU, 0x5a048dffU,
	0x8ecee914U, 0x7ca56a17U, 0x6ff599e3U, 0x9d9e1ae0U,
	0xd3d3e1abU, 0x21b862a8U, 0x32e8915cU, 0xc083125fU,
	0x144976b4U, 0xe622f5b7U, 0xf5720643U, 0x07198540U,
	0x590ab964U, 0xab613a67U, 0xb831c993U, 0x4a5a4a90U,
	0x9e902e7bU, 0x6cfbad78U, 0x7fab5e8cU, 0x8dc0dd8fU,
	0xe330a81aU, 0x115b2b19U, 0x020bd8edU, 0xf0605beeU,
	0x24aa3f05U, 0xd6c1bc06U, 0xc5914ff2U, 0x37faccf1U,
	0x69e9f0d5U, 0x9b8273d6U, 0x88d28022U, 0x7ab90321U,
	0xae7367caU, 0x5c18e4c9U, 0x4f48173dU, 0xbd23943eU,
	0xf36e6f75U, 0x0105ec76U, 0x12551f82U, 0xe03e9c81U,
	0x34f4f86aU, 0xc69f7b69U, 0xd5cf889dU, 0x27a40b9eU,
	0x79b737baU, 0x8bdcb4b9U, 0x988c474dU, 0x6ae7c44eU,
	0xbe2da0a5U, 0x4c4623a6U, 0x5f16d052U, 0xad7d5351U,
};

static uint32_t
event_crc32c_soft(uint32_t crc, const unsigned char *p, size_t len)
{
	while (len-- > 0)
		crc = event_crc32c_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return (crc);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
static uint32_t
event_crc32c_sse42(uint32_t crc, const unsigned char *p, size_t len)
{
	uint64_t	c = crc, w;

	for (; len >= 8; len -= 8, p += 8) {
		memcpy(&w, p, sizeof w);
		c = __builtin_ia32_crc32di(c, w);
	}
	crc = (uint32_t)c;
	for (; len > 0; len--)
		crc = __builtin_ia32_crc32qi(crc, *p++);
	return (crc);
}

uint32_t
event_crc32c(uint32_t crc, const void *buf, size_t len)
{
	if (__builtin_cpu_supports("sse4.2"))
		return (~event_crc32c_sse42(~crc, buf, len));
	return (~event_crc32c_soft(~crc, buf, len));
}
#else
uint32_t
event_crc32c(uint32_t crc, const void *buf, size_t len)
{
	return (~event_crc32c_soft(~crc, buf, len));
}
#endif

uint32_t
event_record_crc(const struct event_header *h, const void *payload)
{
	uint32_t	crc;

	crc = event_crc32c(0, (const char *)h + sizeof h->crc,
	    sizeof *h - sizeof h->crc);
	return (event_crc32c(crc, payload, h->len));
}

int
event_record_check(const void *rec, size_t avail, uint32_t max,
    char **cause)
{
	const struct event_header	*h = rec;
	const unsigned char		*p = rec;
	size_t				 i;

	if (avail < sizeof *h)
		return (0);
	if (h->version < EVENT_VERSION_MIN || h->version > EVENT_VERSION) {
		if (cause != NULL)
			xasprintf(cause, "unknown record version %u (this tact "
			    "reads %u)", h->version, EVENT_VERSION);
		return (-1);
	}
	if (h->len > max) {
		if (cause != NULL)
			xasprintf(cause, "record length %u too large", h->len);
		return (-1);
	}
	if (avail < EVENT_RECORD_SIZE(h->len))
		return (0);
	if (event_record_crc(h, h + 1) != h->crc) {
		if (cause != NULL)
			xasprintf(cause, "bad record CRC");
		return (-1);
	}
	for (i = sizeof *h + h->len; i < EVENT_RECORD_SIZE(h->len); i++) {
		if (p[i] != 0) {
			if (cause != NULL)
				xasprintf(cause, "padding not zero");
			return (-1);
		}
	}
	if (h->len < event_min_len(h->type)) {
		if (cause != NULL)
			xasprintf(cause, "%s record too short",
			    event_type_name(h->type));
		return (-1);
	}
	if (h->type == EVENT_PORT_RUN &&
	    event_port_run_check((const void *)(h + 1), h->len) != 0) {
		if (cause != NULL)
			xasprintf(cause, "port-run record: not a run of "
			    "closed or filtered ports as its count says");
		return (-1);
	}
	return (1);
}

/* An unsigned LEB128 number. */
static unsigned char *
event_leb128_put(unsigned char *p, uint32_t v)
{
	while (v >= 0x80) {
		*p++ = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	*p++ = (unsigned char)v;
	return (p);
}

/* One of at most 3 bytes (21 bits: any item); -1 past end or longer. */
static int
event_leb128_get(const unsigned char *p, size_t end, size_t *off,
    uint32_t *v)
{
	size_t	i;

	*v = 0;
	for (i = 0; i < 3 && *off < end; i++) {
		*v |= (uint32_t)(p[*off] & 0x7f) << (7 * i);
		if ((p[(*off)++] & 0x80) == 0)
			return (0);
	}
	return (-1);
}

size_t
event_port_run_encode(struct event_port_run *run, const uint16_t *ports,
    size_t n)
{
	unsigned char	*p = (unsigned char *)(run + 1);
	uint32_t	 gap;
	size_t		 i, j;

	for (i = 0; i < n; i = j + 1) {
		for (j = i; j + 1 < n && ports[j + 1] == ports[j] + 1; j++)
			continue;
		gap = i == 0 ? ports[i] : (uint32_t)(ports[i] - ports[i - 1]);
		p = event_leb128_put(p, gap << 1 | (j > i));
		if (j > i)
			p = event_leb128_put(p, (uint32_t)(j - i));
	}
	run->count = (uint32_t)n;
	return ((size_t)(p - (unsigned char *)run));
}

int
event_port_run_next(const struct event_port_run *run, size_t len,
    struct event_port_run_pos *pos, uint16_t *port)
{
	const unsigned char	*p = (const unsigned char *)(run + 1);
	size_t			 end = len - sizeof *run;
	uint32_t		 x, n = 0, first;

	if (pos->left > 0) {
		pos->left--;
		*port = ++pos->port;
		return (1);
	}
	if (pos->off >= end)
		return (0);
	first = pos->off == 0;
	if (event_leb128_get(p, end, &pos->off, &x) != 0 ||
	    ((x & 1) && (event_leb128_get(p, end, &pos->off, &n) != 0 ||
	    n == 0)))
		return (-1);
	x >>= 1;
	if (!first && x == 0)
		return (-1);
	if (!first)
		x += pos->port;
	if (x + n > 65535)
		return (-1);
	pos->port = (uint16_t)x;
	pos->left = n;
	*port = pos->port;
	return (1);
}

/*
 * A run is of closed or filtered ports (anything else is said port by
 * port); they ascend, fit its bytes exactly and are count in number.
 */
static int
event_port_run_check(const struct event_port_run *run, size_t len)
{
	struct event_port_run_pos	pos;
	uint32_t			n = 0;
	uint16_t			port;
	int				rc;

	if (run->state != EVENT_PORT_CLOSED &&
	    run->state != EVENT_PORT_FILTERED)
		return (-1);
	memset(&pos, 0, sizeof pos);
	while ((rc = event_port_run_next(run, len, &pos, &port)) == 1) {
		if (++n > run->count)
			return (-1);
	}
	return (rc == 0 && n == run->count ? 0 : -1);
}

struct event_stream *
event_stream_create(void)
{
	return (xcalloc(1, sizeof (struct event_stream)));
}

void
event_stream_free(struct event_stream *es)
{
	free(es);
}

void
event_stream_add_sink(struct event_stream *es, event_sink_fn *fn, void *arg)
{
	if (es->nsinks == EVENT_SINKS_MAX)
		abort();
	es->sinks[es->nsinks].fn = fn;
	es->sinks[es->nsinks].arg = arg;
	es->nsinks++;
}

void
event_stream_set_seq(struct event_stream *es, uint64_t seq)
{
	es->seq = seq;
}

uint64_t
event_stream_emit(struct event_stream *es, enum event_type type,
    const void *payload, size_t len)
{
	struct event_header	h;
	size_t			i;

	memset(&h, 0, sizeof h);
	h.version = EVENT_VERSION;
	h.type = (uint16_t)type;
	h.len = (uint32_t)len;
	h.seq = ++es->seq;
	h.mono_ns = clock_now_ns();
	h.crc = event_record_crc(&h, payload);
	for (i = 0; i < es->nsinks; i++)
		es->sinks[i].fn(es->sinks[i].arg, &h, payload);
	return (h.seq);
}

const char *
event_service_key(enum event_service_key k)
{
	return ((unsigned)k < EVENT_SKEY_MAX ? event_service_keys[k] : "?");
}

const char *
event_service_method_name(enum event_service_method m)
{
	if ((unsigned)m >= EVENT_SERVICE_METHOD_MAX ||
	    event_service_methods[m] == NULL)
		return ("unknown");
	return (event_service_methods[m]);
}
