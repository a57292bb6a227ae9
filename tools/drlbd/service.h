/* SPDX-License-Identifier: GPL-2.0 */
/* A service (service.c); the rest of its API is engine.h's drlbd_service_*(). */
#ifndef DRLBD_SERVICE_H
#define DRLBD_SERVICE_H

#include "engine_internal.h"

void services_remove_all(struct drlbd_engine *engine);

#endif /* DRLBD_SERVICE_H */
