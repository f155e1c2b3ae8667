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

/* The configuration with its defaults applied, and the strings it points to. */
struct idc_transport_base {
    struct idc_transport_config cfg;
    char ca_bundle[1024];
    char user_agent[128];
};

/* Copies `cfg` with defaults: timeouts 10 s and 60 s, the size cap, "idcctl/<version>",
 * the CA bundle from the config or AWS_CA_BUNDLE. */
void idc_transport_base_init(struct idc_transport_base *b, const struct idc_transport_config *cfg);

/* Trace lines (nothing when no trace hook is set). */
void idc_transport_trace(const struct idc_transport_base *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "> Name: value" with the Authorization signature and X-Amz-Security-Token redacted. */
void idc_transport_trace_header(const struct idc_transport_base *b,
                                const struct idc_sigv4_header *h);

/* An empty response (retry_after -1, body ""). */
void idc_http_response_reset(struct idc_http_response *resp);
/* Fills the response fields one header carries (request id, error type, Date, ...). */
void idc_http_response_note(struct idc_http_response *r, struct idc_str name, struct idc_str v);
/* A decimal header value, -1 when it does not start with a digit; saturates. */
long idc_http_decimal(struct idc_str v);

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
