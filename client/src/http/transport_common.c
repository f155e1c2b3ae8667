/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport_common.c - what both transports do the same way (transport_int.h): the
 * configuration's defaults, the debug trace with the signature and any token redacted,
 * and the response fields read from headers.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/version.h"
#include "transport_int.h"

/* Copies an optional setting into the base's storage; "" counts as not set. */
static idc_err keep_setting(const char *value, char *out, size_t cap, const char *what,
                            const char **kept, struct idc_error *err)
{
    *kept = NULL;
    if (value == NULL || value[0] == '\0') {
        return IDC_OK;
    }
    idc_err rc = idc_str_copy(idc_str_c(value), out, cap, what, err);
    *kept = rc ? NULL : out;
    return rc;
}

idc_err idc_transport_base_init(struct idc_transport_base *b,
                                const struct idc_transport_config *cfg, struct idc_error *err)
{
    memset(b, 0, sizeof *b);
    b->cfg = *cfg;
    b->cfg.connect_timeout_ms = cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : 10000;
    b->cfg.timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 60000;
    b->cfg.max_response = cfg->max_response ? cfg->max_response : IDC_HTTP_MAX_RESPONSE;
    const char *ua =
        cfg->user_agent && cfg->user_agent[0] ? cfg->user_agent : "libidc/" IDC_VERSION_STRING;
    idc_err rc = keep_setting(ua, b->user_agent, sizeof b->user_agent,
                              "the User-Agent (user_agent)", &b->cfg.user_agent, err);
    rc = rc ? rc
            : keep_setting(cfg->ca_bundle, b->ca_bundle, sizeof b->ca_bundle,
                           "the CA bundle path (ca_bundle)", &b->cfg.ca_bundle, err);
    rc = rc ? rc
            : keep_setting(cfg->https_proxy, b->https_proxy, sizeof b->https_proxy,
                           "the proxy URL (https_proxy)", &b->cfg.https_proxy, err);
    rc = rc ? rc
            : keep_setting(cfg->no_proxy, b->no_proxy, sizeof b->no_proxy,
                           "the proxy exemptions (no_proxy)", &b->cfg.no_proxy, err);
    return rc;
}

void idc_transport_trace(const struct idc_transport_base *b, const char *fmt, ...)
{
    if (b->cfg.trace == NULL) {
        return;
    }
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    b->cfg.trace(text, b->cfg.trace_ud);
}

void idc_transport_trace_header(const struct idc_transport_base *b,
                                const struct idc_sigv4_header *h)
{
    struct idc_str shown = h->value;
    bool redact = false;
    if (idc_str_eq_nocase(h->name, IDC_STR("X-Amz-Security-Token"))) {
        shown.len = 0;
        redact = true;
    } else if (idc_str_eq_nocase(h->name, IDC_STR("Authorization"))) {
        const char *sig = idc_str_find(h->value, IDC_STR("Signature="));
        shown.len = sig ? (size_t)(sig - h->value.p) + strlen("Signature=") : 0;
        redact = true;
    }
    idc_transport_trace(b, "> " IDC_STR_FMT ": " IDC_STR_FMT "%s", IDC_STR_ARG(h->name),
                        IDC_STR_ARG(shown), redact ? "<redacted>" : "");
}

void idc_transport_trace_request(const struct idc_transport_base *b,
                                 const struct idc_http_request *req)
{
    idc_transport_trace(b, "> " IDC_STR_FMT " " IDC_STR_FMT " HTTP/1.1", IDC_STR_ARG(req->method),
                        IDC_STR_ARG(req->target));
    for (size_t i = 0; b->cfg.trace != NULL && i < req->header_count; i++) {
        idc_transport_trace_header(b, &req->headers[i]);
    }
}

void idc_transport_trace_connected(const struct idc_transport_base *b, bool through_proxy,
                                   int64_t ms, uint64_t connection)
{
    const struct idc_url *u = &b->cfg.endpoint;
    char where[IDC_URL_HOST_PORT_MAX];
    idc_url_host_port(u, where, sizeof where);
    idc_transport_trace(b, "* connected to %s%s%s in %lld ms (connection %llu)", where,
                        u->https ? " with TLS" : "", through_proxy ? " through the proxy" : "",
                        (long long)ms, (unsigned long long)connection);
}

void idc_transport_trace_reconnect(const struct idc_transport_base *b)
{
    idc_transport_trace(b, "* the server closed the idle connection; reconnecting");
}

idc_err idc_transport_finish(const struct idc_transport_base *b, struct idc_dynbuf *body,
                             struct idc_http_response *resp, int64_t ms, struct idc_error *err)
{
    idc_dynbuf_put(body, "", 1); /* a NUL after the body, not counted */
    if (body->failed) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory for the response");
    }
    body->len--;
    resp->body = body->p;
    resp->body_len = body->len;
    idc_transport_trace(b, "< HTTP %d, %zu bytes, %lld ms", resp->status, resp->body_len,
                        (long long)ms);
    return IDC_OK;
}

void idc_http_response_reset(struct idc_http_response *resp)
{
    *resp = (struct idc_http_response){.retry_after = -1, .body = ""};
}

long idc_http_decimal(struct idc_str v)
{
    if (v.len == 0) {
        return -1;
    }
    long n = 0;
    for (size_t i = 0; i < v.len; i++) {
        if (v.p[i] < '0' || v.p[i] > '9') {
            return -1;
        }
        int d = v.p[i] - '0';
        n = n > (LONG_MAX - d) / 10 ? LONG_MAX : n * 10 + d; /* saturates */
    }
    return n;
}

bool idc_http_header_split(struct idc_str line, struct idc_str *name, struct idc_str *value)
{
    const char *colon = idc_str_chr(line, ':');
    if (colon == NULL) {
        return false;
    }
    *name = idc_str_make(line.p, (size_t)(colon - line.p));
    *value = idc_str_trim(idc_str_make(colon + 1, line.len - name->len - 1));
    return true;
}

static void copy_field(char *dst, size_t cap, struct idc_str v)
{
    snprintf(dst, cap, IDC_STR_FMT, (int)(v.len < cap ? v.len : cap - 1), v.p);
}

void idc_http_response_note(struct idc_http_response *r, struct idc_str name, struct idc_str v)
{
    if (idc_str_eq_nocase(name, IDC_STR("x-amzn-RequestId")) ||
        idc_str_eq_nocase(name, IDC_STR("x-amz-request-id"))) {
        copy_field(r->request_id, sizeof r->request_id, v);
    } else if (idc_str_eq_nocase(name, IDC_STR("X-Amzn-ErrorType"))) {
        copy_field(r->error_type, sizeof r->error_type, v);
    } else if (idc_str_eq_nocase(name, IDC_STR("Date"))) {
        copy_field(r->date, sizeof r->date, v);
    } else if (idc_str_eq_nocase(name, IDC_STR("Content-Type"))) {
        copy_field(r->content_type, sizeof r->content_type, v);
    } else if (idc_str_eq_nocase(name, IDC_STR("Retry-After"))) {
        r->retry_after = idc_http_decimal(v);
    }
}
