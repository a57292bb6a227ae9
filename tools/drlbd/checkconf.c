// SPDX-License-Identifier: GPL-2.0
/*
 * A check's words into struct drlbd_check and back. The text form
 * drlbd_check_format() writes is what drlbd_check_parse() reads, so that
 * `drctl save` followed by `drctl restore` gives the same check.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "checkconf.h"
#include "common.h"

#define QTYPE_A		1
#define QTYPE_AAAA	28
#define SECONDS_MAX	3600

/* Which check types a keyword belongs to. */
#define FOR_ANY		0x1f
#define FOR_HTTP	(BIT(DRLBD_CHECK_HTTP) | BIT(DRLBD_CHECK_HTTPS))
#define FOR_HTTPS	BIT(DRLBD_CHECK_HTTPS)
#define FOR_DNS		BIT(DRLBD_CHECK_DNS)

struct parser {
	struct drlbd_check *check;
	char *err;
	size_t errlen;
	bool have_type;
	uint32_t seen;		/* bit i: keywords[i] was given */
};

struct keyword {
	const char *name;
	unsigned int types;
	bool flag;		/* takes no value */
	int (*set)(struct parser *p, const char *name, const char *val);
};

static const char *const type_names[] = {
	[DRLBD_CHECK_TCP]	= "tcp",
	[DRLBD_CHECK_HTTP]	= "http",
	[DRLBD_CHECK_HTTPS]	= "https",
	[DRLBD_CHECK_DNS]	= "dns",
	[DRLBD_CHECK_EXEC]	= "exec",
};

const char *drlbd_check_type_name(enum drlbd_check_type type)
{
	return type_names[type];
}

void drlbd_check_init(struct drlbd_check *check)
{
	memset(check, 0, sizeof(*check));
	check->type = DRLBD_CHECK_TCP;
	check->interval_ms = DRLBD_INTERVAL_DEFAULT_MS;
	check->timeout_ms = DRLBD_TIMEOUT_DEFAULT_MS;
	check->rise = DRLBD_RISE_DEFAULT;
	check->fall = DRLBD_FALL_DEFAULT;
	check->status = DRLBD_STATUS_DEFAULT;
	snprintf(check->path, sizeof(check->path), "/");
	snprintf(check->query, sizeof(check->query), DRLBD_QUERY_DEFAULT);
	check->qtype = QTYPE_A;
}

/* One line, whatever the words quoted in it hold. */
__printf(2, 3)
static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	for (char *s = p->err; *s; s++)
		if (iscntrl((unsigned char)*s))
			*s = '?';
	return -1;
}

/* A saved check is one line of a file: no newline, no other control character. */
static bool has_control(const char *s)
{
	for (; *s; s++)
		if (iscntrl((unsigned char)*s))
			return true;
	return false;
}

/* Whole seconds or up to three decimals: "2", "0.5", "1.250". */
static int seconds_to_ms(const char *s, uint32_t *ms)
{
	uint64_t whole = 0, frac = 0;
	int digits = 0;

	if (!isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++) {
		whole = whole * 10 + (*s - '0');
		if (whole > SECONDS_MAX)
			return -1;
	}
	if (*s == '.') {
		for (s++; isdigit((unsigned char)*s) && digits < 3; s++, digits++)
			frac = frac * 10 + (*s - '0');
		if (!digits)
			return -1;
		for (; digits < 3; digits++)
			frac *= 10;
	}
	if (*s)
		return -1;
	*ms = whole * 1000 + frac;
	return 0;
}

static int set_seconds(struct parser *p, const char *name, const char *val,
		       uint32_t *ms)
{
	if (seconds_to_ms(val, ms) || *ms < 100 || *ms > SECONDS_MAX * 1000)
		return fail(p, "%s: '%s' is not a number of seconds from 0.1 to %u",
			    name, val, SECONDS_MAX);
	return 0;
}

static int set_number(struct parser *p, const char *name, const char *val,
		      uint32_t min, uint32_t max, uint32_t *n)
{
	uint64_t v = 0;
	const char *s = val;

	for (; isdigit((unsigned char)*s) && v <= max; s++)
		v = v * 10 + (*s - '0');
	if (s == val || *s || v < min || v > max)
		return fail(p, "%s: '%s' is not a number from %u to %u", name, val, min, max);
	*n = v;
	return 0;
}

static int set_interval(struct parser *p, const char *name, const char *val)
{
	return set_seconds(p, name, val, &p->check->interval_ms);
}

static int set_timeout(struct parser *p, const char *name, const char *val)
{
	return set_seconds(p, name, val, &p->check->timeout_ms);
}

static int set_rise(struct parser *p, const char *name, const char *val)
{
	return set_number(p, name, val, 1, 100, &p->check->rise);
}

static int set_fall(struct parser *p, const char *name, const char *val)
{
	return set_number(p, name, val, 1, 100, &p->check->fall);
}

static int set_port(struct parser *p, const char *name, const char *val)
{
	uint32_t port;

	if (set_number(p, name, val, 1, 65535, &port))
		return -1;
	p->check->port = port;
	return 0;
}

static int set_alpha(struct parser *p, const char *name, const char *val)
{
	(void)name;
	(void)val;
	p->check->alpha = true;
	return 0;
}

static int set_on_down(struct parser *p, const char *name, const char *val)
{
	if (strcmp(val, "keep") && strcmp(val, "expire"))
		return fail(p, "%s: '%s' is not keep or expire", name, val);
	p->check->on_down_expire = !strcmp(val, "expire");
	return 0;
}

static int set_quorum(struct parser *p, const char *name, const char *val)
{
	return set_number(p, name, val, 1, 65535, &p->check->quorum);
}

static int set_string(struct parser *p, const char *name, const char *val,
		      char *dst, size_t size)
{
	if (!*val)
		return fail(p, "%s: is empty", name);
	if (has_control(val))
		return fail(p, "%s: has a control character", name);
	if (strlen(val) >= size)
		return fail(p, "%s: longer than %zu characters", name, size - 1);
	snprintf(dst, size, "%s", val);
	return 0;
}

static int set_quorum_up(struct parser *p, const char *name, const char *val)
{
	return set_string(p, name, val, p->check->quorum_up, DRLBD_COMMAND_MAX);
}

static int set_quorum_down(struct parser *p, const char *name, const char *val)
{
	return set_string(p, name, val, p->check->quorum_down, DRLBD_COMMAND_MAX);
}

static bool http_word_valid(const char *s)
{
	for (; *s; s++)
		if (!isgraph((unsigned char)*s))
			return false;
	return true;
}

/* Words that go into an HTTP request line or header as they are. */
static int set_http_word(struct parser *p, const char *name, const char *val,
			 char *dst, size_t size)
{
	if (!http_word_valid(val))
		return fail(p, "%s: '%s' has a space or control character", name, val);
	return set_string(p, name, val, dst, size);
}

static int set_path(struct parser *p, const char *name, const char *val)
{
	if (*val != '/')
		return fail(p, "%s: '%s' does not start with '/'", name, val);
	return set_http_word(p, name, val, p->check->path, DRLBD_PATH_MAX);
}

static int set_status(struct parser *p, const char *name, const char *val)
{
	uint32_t status;

	if (set_number(p, name, val, 100, 599, &status))
		return -1;
	p->check->status = status;
	return 0;
}

static int set_host(struct parser *p, const char *name, const char *val)
{
	return set_http_word(p, name, val, p->check->host, DRLBD_NAME_MAX);
}

/* Letters, digits, '-', '_' in labels of 1 to 63, dots between them. */
static bool dns_name_valid(const char *s)
{
	size_t label = 0;

	if (!strcmp(s, "."))
		return true;
	if (!*s || strlen(s) > 253)
		return false;
	for (; *s; s++) {
		if (*s == '.') {
			if (!label)
				return false;
			label = 0;
			continue;
		}
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
			return false;
		if (++label > 63)
			return false;
	}
	return true;
}

static int set_dns_name(struct parser *p, const char *name, const char *val, char *dst)
{
	if (!dns_name_valid(val))
		return fail(p, "%s: '%s' is not a DNS name (letters, digits, '-', '_', dots)",
			    name, val);
	return set_string(p, name, val, dst, DRLBD_NAME_MAX);
}

static int set_sni(struct parser *p, const char *name, const char *val)
{
	return set_dns_name(p, name, val, p->check->sni);
}

static int set_verify(struct parser *p, const char *name, const char *val)
{
	(void)name;
	(void)val;
	p->check->verify = true;
	return 0;
}

static int set_query(struct parser *p, const char *name, const char *val)
{
	return set_dns_name(p, name, val, p->check->query);
}

static int set_qtype(struct parser *p, const char *name, const char *val)
{
	if (!strcmp(val, "A"))
		p->check->qtype = QTYPE_A;
	else if (!strcmp(val, "AAAA"))
		p->check->qtype = QTYPE_AAAA;
	else
		return fail(p, "%s: '%s' is not A or AAAA", name, val);
	return 0;
}

static const struct keyword keywords[] = {
	{ "interval",	 FOR_ANY,   false, set_interval },
	{ "timeout",	 FOR_ANY,   false, set_timeout },
	{ "rise",	 FOR_ANY,   false, set_rise },
	{ "fall",	 FOR_ANY,   false, set_fall },
	{ "port",	 FOR_ANY,   false, set_port },
	{ "alpha",	 FOR_ANY,   true,  set_alpha },
	{ "on-down",	 FOR_ANY,   false, set_on_down },
	{ "quorum",	 FOR_ANY,   false, set_quorum },
	{ "quorum-up",	 FOR_ANY,   false, set_quorum_up },
	{ "quorum-down", FOR_ANY,   false, set_quorum_down },
	{ "path",	 FOR_HTTP,  false, set_path },
	{ "status",	 FOR_HTTP,  false, set_status },
	{ "host",	 FOR_HTTP,  false, set_host },
	{ "sni",	 FOR_HTTPS, false, set_sni },
	{ "verify",	 FOR_HTTPS, true,  set_verify },
	{ "query",	 FOR_DNS,   false, set_query },
	{ "qtype",	 FOR_DNS,   false, set_qtype },
};

static const struct keyword *keyword_find(const char *word)
{
	for (size_t i = 0; i < ARRAY_SIZE(keywords); i++)
		if (!strcmp(keywords[i].name, word))
			return &keywords[i];
	return NULL;
}

static int type_find(const char *word)
{
	for (size_t i = 0; i < ARRAY_SIZE(type_names); i++)
		if (!strcmp(type_names[i], word))
			return i;
	return -1;
}

/* The words after exec: COMMAND and its arguments, all of them. */
static int set_exec(struct parser *p, int argc, char **argv)
{
	struct drlbd_check *check = p->check;
	size_t used = 0, len;

	if (!argc)
		return fail(p, "exec: missing COMMAND (exec COMMAND [ARG...])");
	if (argc > DRLBD_EXEC_ARGS_MAX)
		return fail(p, "exec: more than %d words in COMMAND and its arguments",
			    DRLBD_EXEC_ARGS_MAX);
	for (int i = 0; i < argc; i++) {
		if (has_control(argv[i]))
			return fail(p, "exec: word %d has a control character", i + 1);
		len = strlen(argv[i]) + 1;
		if (used + len > DRLBD_COMMAND_MAX)
			return fail(p, "exec: COMMAND and its arguments pass %d characters",
				    DRLBD_COMMAND_MAX - 1);
		memcpy(check->exec_words + used, argv[i], len);
		used += len;
	}
	check->exec_argc = argc;
	return 0;
}

static int keyword_apply(struct parser *p, const struct keyword *kw,
			 int argc, char **argv)
{
	unsigned int bit = 1u << (kw - keywords);

	if (kw->types != FOR_ANY) {
		if (!p->have_type)
			return fail(p, "%s: comes after the check type", kw->name);
		if (!(kw->types & (1u << p->check->type)))
			return fail(p, "%s: not an option of %s checks", kw->name,
				    type_names[p->check->type]);
	}
	if (p->seen & bit)
		return fail(p, "%s: given twice", kw->name);
	p->seen |= bit;
	if (kw->flag)
		return kw->set(p, kw->name, NULL) ? -1 : 1;
	if (argc < 2)
		return fail(p, "%s: missing value", kw->name);
	return kw->set(p, kw->name, argv[1]) ? -1 : 2;
}

static bool terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size);
}

static int strings_validate(struct parser *p)
{
	const struct drlbd_check *check = p->check;

	if (!terminated(check->quorum_up, sizeof(check->quorum_up)) ||
	    !terminated(check->quorum_down, sizeof(check->quorum_down)) ||
	    !terminated(check->path, sizeof(check->path)) ||
	    !terminated(check->host, sizeof(check->host)) ||
	    !terminated(check->sni, sizeof(check->sni)) ||
	    !terminated(check->query, sizeof(check->query)))
		return fail(p, "a string of the check has no end");
	if (has_control(check->quorum_up) || has_control(check->quorum_down))
		return fail(p, "quorum-up or quorum-down: has a control character");
	if (!dns_name_valid(check->query) || (*check->sni && !dns_name_valid(check->sni)))
		return fail(p, "query '%s' or sni '%s' is not a DNS name", check->query,
			    check->sni);
	if (*check->path != '/' || !http_word_valid(check->path) ||
	    !http_word_valid(check->host))
		return fail(p, "path '%s' or host '%s' is not one HTTP allows", check->path,
			    check->host);
	return 0;
}

static int exec_validate(struct parser *p)
{
	const struct drlbd_check *check = p->check;
	size_t used = 0;

	if (check->type != DRLBD_CHECK_EXEC)
		return 0;
	if (!check->exec_argc || check->exec_argc > DRLBD_EXEC_ARGS_MAX)
		return fail(p, "exec: %u words, not 1 to %d", check->exec_argc,
			    DRLBD_EXEC_ARGS_MAX);
	for (uint32_t i = 0; i < check->exec_argc; i++) {
		const char *end = used < sizeof(check->exec_words) ?
			memchr(check->exec_words + used, '\0', sizeof(check->exec_words) - used) :
			NULL;

		if (!end)
			return fail(p, "exec: the words end before word %u", i + 1);
		if (has_control(check->exec_words + used))
			return fail(p, "exec: word %u has a control character", i + 1);
		used = end + 1 - check->exec_words;
	}
	return 0;
}

static int ranges_validate(struct parser *p)
{
	const struct drlbd_check *check = p->check;

	if ((unsigned int)check->type > DRLBD_CHECK_EXEC)
		return fail(p, "check type %d is none of tcp, http, https, dns, exec", check->type);
	if (check->interval_ms < 100 || check->interval_ms > SECONDS_MAX * 1000 ||
	    check->timeout_ms < 100 || check->timeout_ms > SECONDS_MAX * 1000)
		return fail(p, "interval %u ms, timeout %u ms: each must be from 100 to %u",
			    check->interval_ms, check->timeout_ms, SECONDS_MAX * 1000);
	if (check->rise < 1 || check->rise > 100 || check->fall < 1 || check->fall > 100)
		return fail(p, "rise %u, fall %u: each must be from 1 to 100",
			    check->rise, check->fall);
	if (check->quorum > 65535)
		return fail(p, "quorum: %u is not from 1 to 65535", check->quorum);
	if (check->status < 100 || check->status > 599)
		return fail(p, "status: %u is not from 100 to 599", check->status);
	if (check->qtype != QTYPE_A && check->qtype != QTYPE_AAAA)
		return fail(p, "qtype: %u is not A (1) or AAAA (28)", check->qtype);
	return 0;
}

static int check_validate(struct parser *p)
{
	const struct drlbd_check *check = p->check;

	if (ranges_validate(p) || strings_validate(p) || exec_validate(p))
		return -1;
	if (check->timeout_ms > check->interval_ms)
		return fail(p, "timeout: %g s is longer than the interval, %g s: %s",
			    check->timeout_ms / 1000.0, check->interval_ms / 1000.0,
			    "a probe must end before the next one starts");
	if (!check->quorum && (*check->quorum_up || *check->quorum_down))
		return fail(p, "%s: needs quorum N, the number of healthy backends it is about",
			    *check->quorum_up ? "quorum-up" : "quorum-down");
	return 0;
}

/*
 * Fill check from argv (defaults first). On error, return -1 with one line in
 * err saying what was wrong, naming the word it is about.
 */
int drlbd_check_parse(struct drlbd_check *check, int argc, char **argv,
		      char *err, size_t errlen)
{
	struct parser p = { .check = check, .err = err, .errlen = errlen };
	const struct keyword *kw;
	int i = 0, n, type;

	drlbd_check_init(check);
	while (i < argc) {
		type = type_find(argv[i]);
		if (type >= 0) {
			if (p.have_type)
				return fail(&p, "%s: a second check type (already %s)",
					    argv[i], type_names[check->type]);
			check->type = type;
			p.have_type = true;
			if (type == DRLBD_CHECK_EXEC) {
				if (set_exec(&p, argc - i - 1, argv + i + 1))
					return -1;
				break;
			}
			i++;
			continue;
		}
		kw = keyword_find(argv[i]);
		if (!kw)
			return fail(&p, "'%s' is neither a check type (%s) nor an option",
				    argv[i], "tcp, http, https, dns, exec");
		n = keyword_apply(&p, kw, argc - i, argv + i);
		if (n < 0)
			return -1;
		i += n;
	}
	if (!p.have_type)
		return fail(&p, "missing check type (tcp, http, https, dns or exec)");
	return check_validate(&p);
}

/*
 * For a check that did not come from drlbd_check_parse() (netlink
 * attributes): what the parser would have refused, refused the same way.
 */
int drlbd_check_validate(const struct drlbd_check *check, char *err, size_t errlen)
{
	struct parser p = { .check = (struct drlbd_check *)check, .err = err, .errlen = errlen };

	return check_validate(&p);
}

int drlbd_check_exec_argv(const struct drlbd_check *check,
			  const char *argv[DRLBD_EXEC_ARGS_MAX + 1])
{
	const char *word = check->exec_words;

	for (uint32_t i = 0; i < check->exec_argc; i++) {
		argv[i] = word;
		word += strlen(word) + 1;
	}
	argv[check->exec_argc] = NULL;
	return check->exec_argc;
}

struct text {
	char *buf;
	size_t len;
	size_t used;
	bool overflow;
};

__printf(2, 3)
static void text_add(struct text *t, const char *fmt, ...)
{
	size_t room = t->used < t->len ? t->len - t->used : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->used, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		t->overflow = true;
	else
		t->used += n;
}

/* A word as the shell reads it: bare when safe, else in single quotes. */
static void text_word(struct text *t, const char *word)
{
	bool bare = *word;

	for (const char *s = word; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_./:@%+=,-", *s))
			bare = false;
	if (bare) {
		text_add(t, " %s", word);
		return;
	}
	text_add(t, " '");
	for (const char *s = word; *s; s++)
		text_add(t, *s == '\'' ? "'\\''" : "%c", *s);
	text_add(t, "'");
}

static void text_seconds(struct text *t, const char *name, uint32_t ms)
{
	char frac[5];
	int digits = 3;

	if (!(ms % 1000)) {
		text_add(t, " %s %u", name, ms / 1000);
		return;
	}
	snprintf(frac, sizeof(frac), ".%03u", ms % 1000);
	while (frac[digits] == '0')
		frac[digits--] = '\0';
	text_add(t, " %s %u%s", name, ms / 1000, frac);
}

static void format_type_words(struct text *t, const struct drlbd_check *check)
{
	switch (check->type) {
	case DRLBD_CHECK_HTTP:
	case DRLBD_CHECK_HTTPS:
		if (strcmp(check->path, "/")) {
			text_add(t, " path");
			text_word(t, check->path);
		}
		if (check->status != DRLBD_STATUS_DEFAULT)
			text_add(t, " status %u", check->status);
		if (*check->host) {
			text_add(t, " host");
			text_word(t, check->host);
		}
		if (*check->sni)
			text_add(t, " sni %s", check->sni);
		if (check->verify)
			text_add(t, " verify");
		break;
	case DRLBD_CHECK_DNS:
		if (strcmp(check->query, DRLBD_QUERY_DEFAULT))
			text_add(t, " query %s", check->query);
		if (check->qtype == QTYPE_AAAA)
			text_add(t, " qtype AAAA");
		break;
	default:
		break;
	}
}

static void format_options(struct text *t, const struct drlbd_check *check)
{
	if (check->interval_ms != DRLBD_INTERVAL_DEFAULT_MS)
		text_seconds(t, "interval", check->interval_ms);
	if (check->timeout_ms != DRLBD_TIMEOUT_DEFAULT_MS)
		text_seconds(t, "timeout", check->timeout_ms);
	if (check->rise != DRLBD_RISE_DEFAULT)
		text_add(t, " rise %u", check->rise);
	if (check->fall != DRLBD_FALL_DEFAULT)
		text_add(t, " fall %u", check->fall);
	if (check->port)
		text_add(t, " port %u", check->port);
	if (check->on_down_expire)
		text_add(t, " on-down expire");
	if (check->alpha)
		text_add(t, " alpha");
	if (check->quorum)
		text_add(t, " quorum %u", check->quorum);
	if (*check->quorum_up) {
		text_add(t, " quorum-up");
		text_word(t, check->quorum_up);
	}
	if (*check->quorum_down) {
		text_add(t, " quorum-down");
		text_word(t, check->quorum_down);
	}
}

/*
 * The canonical text: TYPE, its words, then the options, each only when it
 * is not the default; exec last, after the options. Returns the length, or
 * -1 when buf is too small (DRLBD_CHECK_TEXT_MAX always suffices).
 */
int drlbd_check_format(const struct drlbd_check *check, char *buf, size_t len)
{
	struct text t = { .buf = buf, .len = len };
	const char *argv[DRLBD_EXEC_ARGS_MAX + 1];

	if (check->type != DRLBD_CHECK_EXEC) {
		text_add(&t, " %s", type_names[check->type]);
		format_type_words(&t, check);
		format_options(&t, check);
	} else {
		format_options(&t, check);
		text_add(&t, " exec");
		drlbd_check_exec_argv(check, argv);
		for (const char **arg = argv; *arg; arg++)
			text_word(&t, *arg);
	}
	if (t.overflow)
		return -1;
	/* every word went in with a space before it */
	memmove(buf, buf + 1, t.used--);
	return t.used;
}
