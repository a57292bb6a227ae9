/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _DRLB_EST_H
#define _DRLB_EST_H

#include "drlb.h"

/* The estimator's interval: ipvsadm --rate's 2 s. */
#define DRLB_EST_INTERVAL	(2 * HZ)

void drlb_est_init(struct drlb_net *dn);
void drlb_est_start(struct drlb_net *dn);
void drlb_est_stop(struct drlb_net *dn);

#endif /* _DRLB_EST_H */
