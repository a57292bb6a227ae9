// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer on checkconf.c: the input is words separated by NUL bytes.
 * Whatever parses must format, and the text must parse back (split as the
 * shell splits it) to the same text: what drctl save writes, restore reads.
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
		argv[argc++] = out = s;
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[DRLBD_CHECK_TEXT_MAX], again[DRLBD_CHECK_TEXT_MAX];
	struct drlbd_check check;
	char *buf, *argv[WORDS_MAX], err[256];
	int argc = 0;

	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (char *w = buf; w < buf + size && argc < WORDS_MAX; w += strlen(w) + 1)
		argv[argc++] = w;
	if (!drlbd_check_parse(&check, argc, argv, err, sizeof(err))) {
		if (drlbd_check_format(&check, text, sizeof(text)) < 0)
			abort();
		memcpy(again, text, sizeof(text));
		argc = shell_split(again, argv);
		if (drlbd_check_parse(&check, argc, argv, err, sizeof(err)))
			abort();
		if (drlbd_check_format(&check, again, sizeof(again)) < 0 || strcmp(text, again))
			abort();
	} else if (!*err || strchr(err, '\n')) {
		abort();	/* one line, never none */
	}
	free(buf);
	return 0;
}
