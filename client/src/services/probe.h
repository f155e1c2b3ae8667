/* SPDX-License-Identifier: Apache-2.0 */
/*
 * probe.h - the smallest signed read of each service (library-internal, for the domain's
 * check of a directory's settings): ListUsers asking for one result, so a store of any
 * size answers at once.
 */
#ifndef IDC_PROBE_H
#define IDC_PROBE_H

#include "idc/client.h"

/* Identity Store ListUsers with MaxResults=1; the answer is checked and dropped. */
idc_err idc_ids_probe(struct idc_client *c, const char *store_id, struct idc_error *err);

/* IAM ListUsers with MaxItems=1 (not GetUser: AWS refuses that without a name for role
 * sessions); the answer is checked and dropped. */
idc_err idc_iam_probe(struct idc_client *c, struct idc_error *err);

#endif
