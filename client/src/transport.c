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

static const char *const names[] = {
    "native",
#if IDC_WITH_CURL
    "curl",
#endif
    NULL,
};

const struct idc_transport_ops *idc_transport_find(const char *name)
{
    for (size_t i = 0; i < sizeof transports / sizeof transports[0]; i++) {
        if (strcmp(transports[i]->name, name) == 0) {
            return transports[i];
        }
    }
    return NULL;
}

const char *const *idc_transport_names(void)
{
    return names;
}
