// SPDX-License-Identifier: GPL-2.0
/*
 * modload: insmod and rmmod for tests/e2e/run, which loads drlb.ko afresh
 * for every case: the same system calls (finit_module, delete_module with
 * O_NONBLOCK), in a static binary. kmod links libcrypto, liblzma and
 * libzstd, which cost each of its execs a quarter of a second in the
 * debug kernel's guests. (The cases that test insmod and rmmod run kmod's.)
 *
 * modload FILE [PARAM=VALUE...]   load FILE with those parameters
 * modload -r NAME                 unload module NAME
 * Exit 1, with the error, if the kernel refused; 2 on bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char params[4096] = "";
	size_t len = 0;
	int fd, i;

	if (argc == 3 && !strcmp(argv[1], "-r")) {
		if (!syscall(SYS_delete_module, argv[2], O_NONBLOCK))
			return 0;
		fprintf(stderr, "modload: unloading %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: modload FILE [PARAM=VALUE...] | modload -r NAME\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		size_t room = sizeof(params) - len;
		int n = snprintf(params + len, room, "%s%s", len ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= room) {
			fprintf(stderr, "modload: parameters too long\n");
			return 2;
		}
		len += n;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, params, 0)) {
		fprintf(stderr, "modload: loading %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}
