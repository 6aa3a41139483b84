/*
 * The hosts screen's filter, typed by the user: words that must all
 * match. "open:22" (or "open:22/udp") keeps hosts with that port open,
 * "service:ssh" hosts with an open port of that service, "state:up"
 * hosts in that state, and any other word is looked for in the address.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "port-spec.h"
#include "strnum.h"
#include "tui.h"
#include "xmalloc.h"

enum tui_filter_kind {
	FILTER_TEXT,
	FILTER_OPEN,
	FILTER_SERVICE,
	FILTER_STATE
};

struct tui_filter_term {
	enum tui_filter_kind	 kind;
	char			*text;
	uint16_t		 port;
	uint8_t			 proto;		/* 0: either */
	uint8_t			 state;
};

struct tui_filter {
	struct tui_filter_term	*v;
	size_t			 n;
};

static const struct {
	const char		*prefix;
	enum tui_filter_kind	 kind;
} tui_filter_prefixes[] = {
	{ "open:", FILTER_OPEN },
	{ "service:", FILTER_SERVICE },
	{ "state:", FILTER_STATE },
};

static const char *tui_filter_states[] = {
	[EVENT_HOST_UP] = "up",
	[EVENT_HOST_DOWN] = "down",
	[EVENT_HOST_SILENT] = "silent",
	[EVENT_HOST_TIMEOUT] = "timeout",
};

static int	tui_filter_term(struct tui_filter_term *, const char *,
		    char **);
static int	tui_filter_port(struct tui_filter_term *, const char *,
		    char **);
static bool	tui_filter_one(const struct tui_filter_term *,
		    const struct results_host *);

static int
tui_filter_port(struct tui_filter_term *f, const char *arg, char **cause)
{
	char		*num, *slash, *c;
	uint64_t	 port;

	num = xstrdup(arg);
	if ((slash = strchr(num, '/')) != NULL) {
		*slash++ = '\0';
		if (strcmp(slash, "tcp") == 0)
			f->proto = PORT_TCP;
		else if (strcmp(slash, "udp") == 0)
			f->proto = PORT_UDP;
		else {
			xasprintf(cause, "open:%s: want tcp or udp after /",
			    arg);
			free(num);
			return (-1);
		}
	}
	if (strnum_u64(num, 1, 65535, &port, &c) != 0) {
		xasprintf(cause, "open:%s: %s", arg, c);
		free(c);
		free(num);
		return (-1);
	}
	f->port = (uint16_t)port;
	free(num);
	return (0);
}

static int
tui_filter_term(struct tui_filter_term *f, const char *word, char **cause)
{
	const char	*arg = word;
	size_t		 i, len;

	memset(f, 0, sizeof *f);
	f->kind = FILTER_TEXT;
	for (i = 0; i < sizeof tui_filter_prefixes /
	    sizeof tui_filter_prefixes[0]; i++) {
		len = strlen(tui_filter_prefixes[i].prefix);
		if (strncmp(word, tui_filter_prefixes[i].prefix, len) == 0) {
			f->kind = tui_filter_prefixes[i].kind;
			arg = word + len;
			break;
		}
	}
	f->text = xstrdup(arg);
	switch (f->kind) {
	case FILTER_OPEN:
		return (tui_filter_port(f, arg, cause));
	case FILTER_STATE:
		for (i = 1; i < sizeof tui_filter_states /
		    sizeof tui_filter_states[0]; i++) {
			if (tui_filter_states[i] != NULL &&
			    strcmp(arg, tui_filter_states[i]) == 0) {
				f->state = (uint8_t)i;
				return (0);
			}
		}
		xasprintf(cause, "state:%s: want up, down, silent or timeout",
		    arg);
		return (-1);
	case FILTER_SERVICE:
		if (*arg == '\0') {
			xasprintf(cause, "service: needs a name, as "
			    "service:ssh");
			return (-1);
		}
		return (0);
	case FILTER_TEXT:
		return (0);
	}
	return (0);
}

/* A filter from the typed text; NULL and *cause for a bad word. */
struct tui_filter *
tui_filter_parse(const char *text, char **cause)
{
	struct tui_filter	*f;
	char			*copy, *p, *word;

	f = xcalloc(1, sizeof *f);
	copy = p = xstrdup(text);
	while ((word = strsep(&p, " \t")) != NULL) {
		if (*word == '\0')
			continue;
		f->v = xreallocarray(f->v, f->n + 1, sizeof *f->v);
		if (tui_filter_term(&f->v[f->n++], word, cause) != 0) {
			free(copy);
			tui_filter_free(f);
			return (NULL);
		}
	}
	free(copy);
	return (f);
}

void
tui_filter_free(struct tui_filter *f)
{
	size_t	i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++)
		free(f->v[i].text);
	free(f->v);
	free(f);
}

static bool
tui_filter_one(const struct tui_filter_term *f, const struct results_host *h)
{
	const struct results_port	*p;
	const char			*svc;
	char				 addr[64];
	size_t				 i;

	switch (f->kind) {
	case FILTER_TEXT:
		target_addr_str(&h->addr, addr, sizeof addr);
		return (strcasestr(addr, f->text) != NULL);
	case FILTER_STATE:
		return (tui_scan_host_state(h) == f->state);
	case FILTER_OPEN:
	case FILTER_SERVICE:
		/* Open ports are held one by one, never in runs. */
		for (i = 0; i < h->nports; i++) {
			p = &h->ports[i];
			if (p->state != EVENT_PORT_OPEN)
				continue;
			if (f->kind == FILTER_OPEN) {
				if (p->port == f->port && (f->proto == 0 ||
				    f->proto == p->proto))
					return (true);
				continue;
			}
			/* -sV's name where it ran, else the port's. */
			svc = p->service != NULL ? p->service->name :
			    port_spec_service(p->port, p->proto);
			if (svc != NULL && strcasecmp(svc, f->text) == 0)
				return (true);
		}
		return (false);
	}
	return (false);
}

bool
tui_filter_match(const struct tui_filter *f, const struct results_host *h)
{
	size_t	i;

	if (f == NULL)
		return (true);
	for (i = 0; i < f->n; i++) {
		if (!tui_filter_one(&f->v[i], h))
			return (false);
	}
	return (true);
}
