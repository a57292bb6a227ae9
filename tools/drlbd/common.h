/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's little helpers that userspace lacks, as drctl has them in
 * drctl.h; guarded, so that drctl can build checkconf.c beside its own.
 */
#ifndef DRLBD_COMMON_H
#define DRLBD_COMMON_H

#include <stddef.h>

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef __printf
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#endif
#ifndef BIT
#define BIT(nr)		(1u << (nr))
#endif
#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

#endif /* DRLBD_COMMON_H */
