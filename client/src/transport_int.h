/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport_int.h - what the transports share (library-internal): the backend instances
 * for the registry, and the proxy rules (HTTPS_PROXY, NO_PROXY, CONNECT).
 */
#ifndef IDC_TRANSPORT_INT_H
#define IDC_TRANSPORT_INT_H

#include "idc/dynbuf.h"
#include "idc/transport.h"

extern const struct idc_transport_ops idc_transport_native;
extern const struct idc_transport_ops idc_transport_curl; /* with IDC_WITH_CURL */

struct idc_proxy {
    char host[256];
    char port[8];
};

/*
 * The proxy for `target` from HTTPS_PROXY (or https_proxy), unless NO_PROXY (or no_proxy)
 * exempts the host: "*", a host name (which also covers its sub-domains), ".domain" or an
 * address, comma-separated. False when no proxy applies.
 */
bool idc_proxy_from_env(const struct idc_url *target, struct idc_proxy *out);

/* Opens a CONNECT tunnel to `target` over `fd` (connected to the proxy). IDC_ERR_PROXY. */
idc_err idc_proxy_connect(int fd, const struct idc_proxy *proxy, const struct idc_url *target,
                          int timeout_ms, struct idc_error *err);

#endif
