/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport.c - the registry of built-in transports; the only #if on a backend, since
 * transports can coexist (native always, curl when IDC_WITH_CURL).
 */
#include <string.h>

#include "transport_int.h"

static const struct idc_transport_ops *const transports[] = {
    &idc_transport_native,
#if IDC_WITH_CURL
    &idc_transport_curl,
#endif
};

#define TRANSPORT_COUNT (sizeof transports / sizeof transports[0])

const struct idc_transport_ops *idc_transport_find(const char *name)
{
    for (size_t i = 0; i < TRANSPORT_COUNT; i++) {
        if (strcmp(transports[i]->name, name) == 0) {
            return transports[i];
        }
    }
    return NULL;
}

const char *idc_transport_name_at(size_t i)
{
    return i < TRANSPORT_COUNT ? transports[i]->name : NULL;
}
