/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport_int.h - what the transports and the TLS backends under the native one share
 * (library-internal): the backend instances for the registry, the configuration's
 * defaults, the trace lines and response fields, and the proxy rules (https_proxy,
 * no_proxy, CONNECT).
 */
#ifndef IDC_TRANSPORT_INT_H
#define IDC_TRANSPORT_INT_H

#include "dynbuf.h"
#include "idc/transport.h"
#include "net.h"
#include "tls.h"

extern const struct idc_transport_ops idc_transport_native;
extern const struct idc_transport_ops idc_transport_curl; /* with IDC_WITH_CURL */

/* ---- configuration and trace ---------------------------------------------------------- */

/* The configuration with its defaults applied, and the strings it points to. */
struct idc_transport_base {
    struct idc_transport_config cfg;
    char ca_bundle[1024];
    char https_proxy[1024];
    char no_proxy[2048];
    char user_agent[128];
};

/*
 * Copies `cfg` with defaults: timeouts 10 s and 60 s, the size cap, "libidc/<version>".
 * Settings that are "" count as not set (ca_bundle: the system store; https_proxy: none).
 * Nothing is read from the environment: that is the resolver's (resolve.h). Returns
 * IDC_ERR_SPACE, naming the setting, for one longer than its storage.
 */
idc_err idc_transport_base_init(struct idc_transport_base *b,
                                const struct idc_transport_config *cfg, struct idc_error *err);

/* Trace lines (nothing when no trace hook is set). */
void idc_transport_trace(const struct idc_transport_base *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "> Name: value" with the Authorization signature and X-Amz-Security-Token redacted. */
void idc_transport_trace_header(const struct idc_transport_base *b,
                                const struct idc_sigv4_header *h);
/* "> METHOD target HTTP/1.1", then each header as idc_transport_trace_header writes it. */
void idc_transport_trace_request(const struct idc_transport_base *b,
                                 const struct idc_http_request *req);
/* "* connected to host:port[ with TLS][ through the proxy] in N ms (connection N)". */
void idc_transport_trace_connected(const struct idc_transport_base *b, bool through_proxy,
                                   int64_t ms, uint64_t connection);
/* "* the server closed the idle connection; reconnecting". */
void idc_transport_trace_reconnect(const struct idc_transport_base *b);

/*
 * Ends an exchange that succeeded: resp->body and body_len point into `body` (a NUL follows
 * the body, not counted), and the trace gets "< HTTP <status>, <n> bytes, <ms> ms".
 * Returns IDC_ERR_NOMEM.
 */
idc_err idc_transport_finish(const struct idc_transport_base *b, struct idc_dynbuf *body,
                             struct idc_http_response *resp, int64_t ms, struct idc_error *err);

/* ---- responses ------------------------------------------------------------------------ */

/* An empty response (retry_after -1, body ""). */
void idc_http_response_reset(struct idc_http_response *resp);
/* Fills the response fields one header carries (request id, error type, Date, ...). */
void idc_http_response_note(struct idc_http_response *r, struct idc_str name, struct idc_str v);
/* A header value that is a whole decimal number (LONG_MAX when larger), else -1. */
long idc_http_decimal(struct idc_str v);
/*
 * Splits the header line "Name: value" (no line ending) at its first colon. The views point
 * into `line`; the value has no surrounding spaces or tabs. False when there is no colon.
 */
bool idc_http_header_split(struct idc_str line, struct idc_str *name, struct idc_str *value);

/* ---- URLs and the proxy --------------------------------------------------------------- */

/* Room for "[host]:port" with its NUL. */
#define IDC_URL_HOST_PORT_MAX                                                                      \
    (sizeof((struct idc_url *)NULL)->host + sizeof((struct idc_url *)NULL)->port + 3)

/* "host:port", or "[v6]:port", always with the port (CONNECT's form, and messages). */
void idc_url_host_port(const struct idc_url *u, char *out, size_t cap);

/*
 * Parses a proxy URL (`source` names where it came from in messages, "https_proxy"):
 * http:// when no scheme is given, port 1080 (curl's default) when no port is. Returns
 * IDC_ERR_PROXY naming `source` for anything malformed, for https:// (libidc speaks plain
 * HTTP to a proxy) and for user:password@, which no message repeats.
 */
idc_err idc_url_parse_proxy(const char *value, const char *source, struct idc_url *out,
                            struct idc_error *err);

struct idc_proxy {
    struct idc_url url;
    char name[IDC_URL_HOST_PORT_MAX]; /* "host:port", for messages */
};

/*
 * True when the no_proxy list `list` exempts `host`: "*", a host name (which also covers
 * its sub-domains), ".domain" or an address, comma-separated, ports ignored; curl's rules.
 */
bool idc_no_proxy_match(const char *list, const char *host);

/*
 * The proxy for `target` from the configuration's https_proxy, unless its no_proxy exempts
 * the host; *use is false when no proxy applies. Returns IDC_ERR_PROXY, naming
 * "https_proxy", when the proxy URL is malformed (idc_url_parse_proxy).
 */
idc_err idc_proxy_choose(const struct idc_transport_config *cfg, const struct idc_url *target,
                         struct idc_proxy *out, bool *use, struct idc_error *err);

/*
 * Opens a CONNECT tunnel to `target` over `fd` (connected to the proxy), all of it before
 * `deadline_ms` (idc_net_now_ms time). IDC_ERR_PROXY, IDC_ERR_TIMEOUT, IDC_ERR_RESET.
 */
idc_err idc_proxy_connect(int fd, const struct idc_proxy *proxy, const struct idc_url *target,
                          int64_t deadline_ms, struct idc_error *err);

#endif
