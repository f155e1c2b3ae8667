/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport.h - one HTTP/1.1 request/response exchange over a kept-alive connection, behind
 * one table of functions per transport (native sockets + tls.h, or libcurl), as curl's vtls
 * does for TLS. Requests arrive signed: a transport adds only Content-Length and
 * User-Agent, which are not signed.
 */
#ifndef IDC_TRANSPORT_H
#define IDC_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "idc/api.h"
#include "idc/error.h"
#include "idc/sigv4.h"
#include "idc/str.h"

IDC_BEGIN_DECLS

#define IDC_HTTP_MAX_RESPONSE (16u * 1024 * 1024) /* default cap on a response body */

/* A parsed endpoint URL: scheme://host[:port][/] (a path other than "/" is refused). */
struct idc_url {
    bool https;
    char host[256];      /* without brackets for IPv6 */
    char port[8];        /* always set: "443", "80" or the given one */
    char authority[272]; /* the Host header: host, plus ":port" when not the default */
};

/* Parses http:// and https:// URLs. Returns IDC_ERR_ARG naming the part at fault. */
idc_err idc_url_parse(const char *url, struct idc_url *out, struct idc_error *err);

/* True for localhost, 127.0.0.0/8 and ::1. */
bool idc_url_is_loopback(const struct idc_url *u);

/* A debug trace line: request line, headers (signature and token redacted), status,
 * bytes, timing, retries. `line` has no trailing newline. */
typedef void idc_trace_fn(const char *line, void *ud);

/*
 * The two timeouts, the same in both transports. timeout_ms bounds one exchange as a whole:
 * connecting, sending the request and reading the whole answer (curl's TIMEOUT), so a
 * server that trickles bytes or streams without end is cut off. connect_timeout_ms bounds
 * opening a connection within it: DNS, TCP, a proxy's CONNECT and the TLS handshake
 * together (curl's CONNECTTIMEOUT; the native transport counts getaddrinfo too but cannot
 * cut it short). spec/limits.md lists every limit of an exchange.
 */
struct idc_transport_config {
    struct idc_url endpoint;
    const char *ca_bundle;   /* PEM file; NULL or "": the system store */
    const char *https_proxy; /* "http://host:port" for https:// endpoints; NULL or "": none */
    const char *no_proxy;    /* hosts that bypass the proxy, comma-separated ("localhost,
                                .corp", "*"); NULL: none */
    int connect_timeout_ms;  /* 0: 10000; DNS, TCP, proxy tunnel and TLS handshake together */
    int timeout_ms;          /* 0: 60000; the whole exchange, connecting included */
    size_t max_response;     /* 0: IDC_HTTP_MAX_RESPONSE */
    const char *user_agent;  /* NULL: "libidc/<version>" */
    idc_trace_fn *trace;     /* optional */
    void *trace_ud;
};

struct idc_http_request {
    struct idc_str method;
    struct idc_str target;                  /* "/" */
    const struct idc_sigv4_header *headers; /* Host and the signed ones */
    size_t header_count;
    const uint8_t *body;
    size_t body_len;
};

/* The response; the body is the transport's buffer, valid until the next exchange. */
struct idc_http_response {
    int status;
    char request_id[64];  /* x-amzn-RequestId (or x-amz-request-id) */
    char error_type[128]; /* X-Amzn-ErrorType */
    char date[40];        /* Date */
    char content_type[128];
    long retry_after; /* Retry-After in seconds, -1 when absent */
    const char *body;
    size_t body_len;
};

/* What happened on the wire, for the retry rules and the statistics. */
struct idc_exchange_info {
    bool sent;            /* the whole request left (false: safe to retry anything) */
    bool got_headers;     /* a status line and headers arrived */
    uint64_t connections; /* connections opened so far by this transport instance */
    uint64_t requests;    /* requests sent so far */
};

struct idc_transport_ops {
    const char *name; /* "native" or "curl" */
    size_t ctx_size;
    /*
     * Prepares (no connection yet); copies what it keeps of `cfg`. IDC_ERR_TLS for an
     * unreadable CA bundle, IDC_ERR_SPACE for a setting too long to keep (CA bundle path,
     * proxy, User-Agent), IDC_ERR_PROXY for a malformed https_proxy.
     */
    idc_err (*open)(void *ctx, const struct idc_transport_config *cfg, struct idc_error *err);
    /*
     * Sends one request and reads its response, reusing the connection when it is still
     * open and reconnecting transparently when the server closed it while idle.
     * Returns IDC_ERR_DNS, IDC_ERR_CONNECT, IDC_ERR_TIMEOUT, IDC_ERR_RESET, IDC_ERR_TLS,
     * IDC_ERR_TLS_VERIFY, IDC_ERR_HTTP (malformed, truncated or over the size cap),
     * IDC_ERR_PROXY. `info` is filled on every return.
     */
    idc_err (*exchange)(void *ctx, const struct idc_http_request *req,
                        struct idc_http_response *resp, struct idc_exchange_info *info,
                        struct idc_error *err);
    void (*close)(void *ctx); /* safe on a zeroed ctx */
};

/* The transports built in: "native" always, "curl" when built with IDC_WITH_CURL. */
const struct idc_transport_ops *idc_transport_find(const char *name);
/* The name of the i-th built-in transport ("native" is 0), NULL past the last. */
const char *idc_transport_name_at(size_t i);

IDC_END_DECLS

#endif
