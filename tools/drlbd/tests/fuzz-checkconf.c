// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer on checkconf.c. An input starting with 'S' is a struct
 * drlbd_check as netlink might fill it: drlbd_check_validate() must refuse
 * it or format it into text that parses. Any other input is words separated
 * by NUL bytes: whatever parses must validate and format, and the text must
 * parse back (split as the shell splits it) to the same text: what drctl
 * save writes, restore reads.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checkconf.h"

#define WORDS_MAX	64

/* The shell's words, for the quoting drlbd_check_format() writes. */
static int shell_split(char *s, char **argv)
{
	int argc = 0;
	char *out;

	while (*s) {
		while (*s == ' ')
			s++;
		if (!*s || argc == WORDS_MAX)
			break;
		out = s;
		argv[argc++] = s;
		while (*s && *s != ' ') {
			if (*s == '\\' && s[1]) {
				s++;
				*out++ = *s++;
				continue;
			}
			if (*s != '\'') {
				*out++ = *s++;
				continue;
			}
			for (s++; *s && *s != '\''; )
				*out++ = *s++;
			if (*s)
				s++;
		}
		if (*s)
			s++;
		*out = '\0';
	}
	return argc;
}

/* The text of a valid check parses back to the same text. */
static void round_trip(const struct drlbd_check *check)
{
	static char text[DRLBD_CHECK_TEXT_MAX], again[DRLBD_CHECK_TEXT_MAX];
	struct drlbd_check back;
	char *argv[WORDS_MAX], err[256];
	int argc;

	if (drlbd_check_format(check, text, sizeof(text)) < 0)
		abort();
	memcpy(again, text, sizeof(text));
	argc = shell_split(again, argv);
	if (drlbd_check_parse(&back, argc, argv, err, sizeof(err)))
		abort();
	if (drlbd_check_format(&back, again, sizeof(again)) < 0 || strcmp(text, again))
		abort();
}

static void struct_input(const uint8_t *data, size_t size)
{
	struct drlbd_check check;
	char err[256];

	unsigned char b;

	drlbd_check_init(&check);
	memcpy(&check, data, size < sizeof(check) ? size : sizeof(check));
	/* netlink fills a bool with 0 or 1; any other byte is no bool at all */
	memcpy(&b, &check.alpha, 1);
	check.alpha = b & 1;
	memcpy(&b, &check.verify, 1);
	check.verify = b & 1;
	if (!drlbd_check_validate(&check, err, sizeof(err)))
		round_trip(&check);
	else if (!*err || strchr(err, '\n'))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct drlbd_check check;
	char *buf, *argv[WORDS_MAX], err[256];
	int argc = 0;

	if (size && *data == 'S') {
		struct_input(data + 1, size - 1);
		return 0;
	}

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (char *w = buf; w < buf + size && argc < WORDS_MAX; w += strlen(w) + 1)
		argv[argc++] = w;
	if (!drlbd_check_parse(&check, argc, argv, err, sizeof(err))) {
		if (drlbd_check_validate(&check, err, sizeof(err)))
			abort();
		round_trip(&check);
	} else if (!*err || strchr(err, '\n')) {
		abort();	/* one line, never none */
	}
	free(buf);
	return 0;
}
