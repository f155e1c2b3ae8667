/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport_native.c - our own HTTP/1.1 client: one kept-alive connection (TCP_NODELAY,
 * TLS through tls.h), each request sent in one write, Content-Length and chunked bodies,
 * a size cap, deadlines, HTTPS_PROXY/NO_PROXY through CONNECT, and a transparent
 * reconnect when the server closed the idle connection.
 */
#include "idc/transport.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "idc/tls.h"
#include "net.h"
#include "transport_int.h"

#define HEADER_MAX (64 * 1024)

struct native {
    struct idc_transport_config cfg;
    char ca_bundle[1024];
    char user_agent[128];
    struct idc_proxy proxy;
    bool use_proxy;
    int fd;
    bool connected;
    bool reused;          /* the connection already served a request */
    void *tls_conf;       /* idc_tls.conf_size bytes, https only */
    void *tls_conn;       /* idc_tls.conn_size bytes */
    bool tls_active;
    struct idc_dynbuf out;   /* the request being sent */
    struct idc_dynbuf in;    /* bytes received, not yet consumed */
    size_t in_pos;
    struct idc_dynbuf body;  /* the response body */
    uint64_t connections, requests;
};

/* ---- connection --------------------------------------------------------------------- */

static void disconnect(struct native *n)
{
    if (n->tls_active) {
        idc_tls.close(n->tls_conn);
        memset(n->tls_conn, 0, idc_tls.conn_size);
        n->tls_active = false;
    }
    if (n->connected) {
        close(n->fd);
        n->connected = false;
    }
    n->in.len = 0;
    n->in_pos = 0;
    n->reused = false;
}

static idc_err send_raw(struct native *n, const void *buf, size_t len, struct idc_error *err)
{
    return n->tls_active ? idc_tls.write(n->tls_conn, buf, len, n->cfg.read_timeout_ms, err)
                         : idc_net_send(n->fd, buf, len, n->cfg.read_timeout_ms, err);
}

static idc_err recv_raw(struct native *n, void *buf, size_t cap, size_t *got,
                        struct idc_error *err)
{
    return n->tls_active ? idc_tls.read(n->tls_conn, buf, cap, got, n->cfg.read_timeout_ms, err)
                         : idc_net_recv(n->fd, buf, cap, got, n->cfg.read_timeout_ms, err);
}

/* Reads more bytes into `in`; *got = 0 at EOF. */
static idc_err fill(struct native *n, size_t *got, struct idc_error *err)
{
    if (n->in_pos > 0 && n->in_pos == n->in.len) {
        n->in.len = n->in_pos = 0;
    }
    if (!idc_dynbuf_reserve(&n->in, 16384)) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory reading the response");
    }
    idc_err rc = recv_raw(n, n->in.p + n->in.len, n->in.cap - n->in.len, got, err);
    n->in.len += rc ? 0 : *got;
    return rc;
}

static void trace(struct native *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void trace(struct native *n, const char *fmt, ...)
{
    if (n->cfg.trace == NULL) {
        return;
    }
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    n->cfg.trace(n->cfg.trace_ud, line);
}

static idc_err connect_endpoint(struct native *n, struct idc_error *err)
{
    const struct idc_url *u = &n->cfg.endpoint;
    const char *host = n->use_proxy ? n->proxy.host : u->host;
    const char *port = n->use_proxy ? n->proxy.port : u->port;
    int64_t start = idc_net_now_ms();
    idc_err rc = idc_net_connect(host, port, n->cfg.connect_timeout_ms, &n->fd, err);
    if (rc) {
        return n->use_proxy ? idc_error_prefix(err, "proxy %s:%s", host, port) : rc;
    }
    n->connected = true;
    n->connections++;
    if (n->use_proxy) {
        rc = idc_proxy_connect(n->fd, &n->proxy, u, n->cfg.read_timeout_ms, err);
    }
    if (rc == IDC_OK && u->https) {
        rc = idc_tls.handshake(n->tls_conn, n->tls_conf, n->fd, u->host, n->cfg.read_timeout_ms,
                               err);
        n->tls_active = rc == IDC_OK;
    }
    if (rc) {
        disconnect(n);
        return rc;
    }
    trace(n, "* connected to %s:%s%s%s in %lld ms (connection %llu)", u->host, u->port,
          u->https ? " with TLS" : "", n->use_proxy ? " through the proxy" : "",
          (long long)(idc_net_now_ms() - start), (unsigned long long)n->connections);
    return IDC_OK;
}

/* ---- the request -------------------------------------------------------------------- */

/* Redacts what must never be shown: the signature and any token. */
static void trace_header(struct native *n, const struct idc_sigv4_header *h)
{
    if (idc_str_eq_nocase(h->name, IDC_STR("Authorization"))) {
        const char *sig = idc_str_find(h->value, IDC_STR("Signature="));
        int keep = sig ? (int)(sig - h->value.p) + 10 : (int)h->value.len;
        trace(n, "> " IDC_STR_FMT ": %.*s<redacted>", IDC_STR_ARG(h->name), keep, h->value.p);
    } else if (idc_str_eq_nocase(h->name, IDC_STR("X-Amz-Security-Token"))) {
        trace(n, "> " IDC_STR_FMT ": <redacted>", IDC_STR_ARG(h->name));
    } else {
        trace(n, "> " IDC_STR_FMT ": " IDC_STR_FMT, IDC_STR_ARG(h->name), IDC_STR_ARG(h->value));
    }
}

/* Request line, headers and body in one buffer: one write, no Nagle stall. */
static bool build_request(struct native *n, const struct idc_http_request *req)
{
    struct idc_dynbuf *o = &n->out;
    o->len = 0;
    idc_dynbuf_printf(o, IDC_STR_FMT " " IDC_STR_FMT " HTTP/1.1\r\n", IDC_STR_ARG(req->method),
                   IDC_STR_ARG(req->target));
    trace(n, "> " IDC_STR_FMT " " IDC_STR_FMT " HTTP/1.1", IDC_STR_ARG(req->method),
          IDC_STR_ARG(req->target));
    for (size_t i = 0; i < req->header_count; i++) {
        const struct idc_sigv4_header *h = &req->headers[i];
        idc_dynbuf_printf(o, IDC_STR_FMT ": " IDC_STR_FMT "\r\n", IDC_STR_ARG(h->name),
                       IDC_STR_ARG(h->value));
        trace_header(n, h);
    }
    idc_dynbuf_printf(o, "Content-Length: %zu\r\nUser-Agent: %s\r\n\r\n", req->body_len,
                   n->user_agent);
    idc_dynbuf_put(o, req->body, req->body_len);
    return !o->failed;
}

/* ---- the response ------------------------------------------------------------------- */

/* Reads until the blank line; returns the header block's length (terminator included). */
static idc_err read_head(struct native *n, size_t *head_len, bool *got_any,
                         struct idc_error *err)
{
    for (;;) {
        const char *start = n->in.p + n->in_pos;
        size_t avail = n->in.len - n->in_pos;
        const char *end = idc_str_find(idc_str_make(start, avail), IDC_STR("\r\n\r\n"));
        if (end != NULL) {
            *head_len = (size_t)(end - start) + 4;
            return IDC_OK;
        }
        if (avail > HEADER_MAX) {
            return idc_error_set(err, IDC_ERR_HTTP, "response headers are over %d bytes",
                                 HEADER_MAX);
        }
        size_t got;
        idc_err rc = fill(n, &got, err);
        if (rc) {
            return rc;
        }
        if (got == 0) {
            return idc_error_set(err, IDC_ERR_RESET, "the server closed the connection %s",
                                 *got_any || avail ? "in the middle of the response headers"
                                                   : "without answering");
        }
        *got_any = true;
    }
}

struct head {
    int status;
    long long content_length; /* -1: absent */
    bool chunked;
    bool close;
};

static void copy_value(char *dst, size_t cap, struct idc_str v)
{
    snprintf(dst, cap, IDC_STR_FMT, (int)(v.len < cap ? v.len : cap - 1), v.p);
}

static void header_field(struct head *h, struct idc_http_response *resp, struct idc_str name,
                         struct idc_str v)
{
    if (idc_str_eq_nocase(name, IDC_STR("Content-Length"))) {
        char num[32];
        copy_value(num, sizeof num, v);
        char *end;
        long long cl = strtoll(num, &end, 10);
        h->content_length = (*end == '\0' && v.len > 0 && cl >= 0) ? cl : -2;
    } else if (idc_str_eq_nocase(name, IDC_STR("Transfer-Encoding"))) {
        h->chunked = idc_str_find(v, IDC_STR("chunked")) != NULL;
    } else if (idc_str_eq_nocase(name, IDC_STR("Connection"))) {
        h->close = idc_str_eq_nocase(v, IDC_STR("close"));
    } else if (idc_str_eq_nocase(name, IDC_STR("x-amzn-RequestId")) ||
               idc_str_eq_nocase(name, IDC_STR("x-amz-request-id"))) {
        copy_value(resp->request_id, sizeof resp->request_id, v);
    } else if (idc_str_eq_nocase(name, IDC_STR("X-Amzn-ErrorType"))) {
        copy_value(resp->error_type, sizeof resp->error_type, v);
    } else if (idc_str_eq_nocase(name, IDC_STR("Date"))) {
        copy_value(resp->date, sizeof resp->date, v);
    } else if (idc_str_eq_nocase(name, IDC_STR("Content-Type"))) {
        copy_value(resp->content_type, sizeof resp->content_type, v);
    } else if (idc_str_eq_nocase(name, IDC_STR("Retry-After"))) {
        char num[32];
        copy_value(num, sizeof num, v);
        resp->retry_after = isdigit((unsigned char)num[0]) ? strtol(num, NULL, 10) : -1;
    }
}

static idc_err parse_head(struct idc_str text, struct head *h, struct idc_http_response *resp,
                          struct idc_error *err)
{
    *h = (struct head){.content_length = -1};
    const char *nl = idc_str_find(text, IDC_STR("\r\n"));
    struct idc_str line = idc_str_make(text.p, nl ? (size_t)(nl - text.p) : text.len);
    if (line.len < 12 || !idc_str_starts_with(line, IDC_STR("HTTP/1.")) || line.p[8] != ' ' ||
        !isdigit((unsigned char)line.p[9]) || !isdigit((unsigned char)line.p[10]) ||
        !isdigit((unsigned char)line.p[11])) {
        return idc_error_set(err, IDC_ERR_HTTP, "not an HTTP/1.x response: '%.*s'",
                             (int)(line.len > 60 ? 60 : line.len), line.p);
    }
    h->status = (line.p[9] - '0') * 100 + (line.p[10] - '0') * 10 + (line.p[11] - '0');
    h->close = line.p[7] == '0'; /* HTTP/1.0 closes unless told otherwise */
    size_t pos = line.len + 2;
    while (pos + 2 <= text.len) {
        const char *e = idc_str_find(idc_str_make(text.p + pos, text.len - pos), IDC_STR("\r\n"));
        struct idc_str l = idc_str_make(text.p + pos, (size_t)(e - (text.p + pos)));
        pos += l.len + 2;
        const char *colon = idc_str_chr(l, ':');
        if (l.len == 0 || colon == NULL) {
            continue;
        }
        struct idc_str name = idc_str_make(l.p, (size_t)(colon - l.p));
        header_field(h, resp, name, idc_str_trim(idc_str_make(colon + 1, l.len - name.len - 1)));
    }
    if (h->content_length == -2) {
        return idc_error_set(err, IDC_ERR_HTTP, "the response's Content-Length is not a number");
    }
    return IDC_OK;
}

/* Moves up to `want` buffered-or-received bytes into the body. */
static idc_err take_body(struct native *n, size_t want, struct idc_error *err)
{
    while (want > 0) {
        size_t avail = n->in.len - n->in_pos;
        if (avail == 0) {
            size_t got;
            idc_err rc = fill(n, &got, err);
            if (rc) {
                return rc;
            }
            if (got == 0) {
                return idc_error_set(err, IDC_ERR_RESET, "the connection closed mid-response "
                                                         "(the body is truncated)");
            }
            continue;
        }
        size_t k = avail < want ? avail : want;
        idc_dynbuf_put(&n->body, n->in.p + n->in_pos, k);
        n->in_pos += k;
        want -= k;
    }
    return n->body.failed ? idc_error_set(err, IDC_ERR_NOMEM, "out of memory for the response")
                          : IDC_OK;
}

static idc_err read_line(struct native *n, char *out, size_t cap, struct idc_error *err)
{
    for (;;) {
        const char *s = n->in.p + n->in_pos;
        size_t avail = n->in.len - n->in_pos;
        const char *e = idc_str_find(idc_str_make(s, avail), IDC_STR("\r\n"));
        if (e != NULL) {
            size_t len = (size_t)(e - s);
            snprintf(out, cap, "%.*s", (int)(len < cap ? len : cap - 1), s);
            n->in_pos += len + 2;
            return IDC_OK;
        }
        if (avail > 4096) {
            return idc_error_set(err, IDC_ERR_HTTP, "a chunk-size line is over 4096 bytes");
        }
        size_t got;
        idc_err rc = fill(n, &got, err);
        if (rc == IDC_OK && got == 0) {
            rc = idc_error_set(err, IDC_ERR_RESET, "the connection closed mid-response (a "
                                                   "chunked body cut short)");
        }
        if (rc) {
            return rc;
        }
    }
}

static idc_err read_chunked(struct native *n, size_t cap, struct idc_error *err)
{
    char line[128];
    for (;;) {
        idc_err rc = read_line(n, line, sizeof line, err);
        if (rc) {
            return rc;
        }
        char *end;
        unsigned long long size = strtoull(line, &end, 16);
        if (end == line || (*end != '\0' && *end != ';')) {
            return idc_error_set(err, IDC_ERR_HTTP, "bad chunk size line '%.40s'", line);
        }
        if (size == 0) {
            break;
        }
        if (size > cap || n->body.len + size > cap) {
            return idc_error_set(err, IDC_ERR_HTTP, "the response is over the %zu-byte cap", cap);
        }
        rc = take_body(n, (size_t)size, err);
        rc = rc ? rc : read_line(n, line, sizeof line, err);
        if (rc) {
            return rc;
        }
    }
    do { /* trailers up to the blank line */
        idc_err rc = read_line(n, line, sizeof line, err);
        if (rc) {
            return rc;
        }
    } while (line[0] != '\0');
    return IDC_OK;
}

static idc_err read_until_close(struct native *n, size_t cap, struct idc_error *err)
{
    for (;;) {
        size_t avail = n->in.len - n->in_pos;
        idc_dynbuf_put(&n->body, n->in.p + n->in_pos, avail);
        n->in_pos += avail;
        if (n->body.len > cap) {
            return idc_error_set(err, IDC_ERR_HTTP, "the response is over the %zu-byte cap", cap);
        }
        size_t got;
        idc_err rc = fill(n, &got, err);
        if (rc || got == 0) {
            return rc;
        }
    }
}

static idc_err read_body(struct native *n, const struct head *h, bool head_only,
                         struct idc_error *err)
{
    size_t cap = n->cfg.max_response;
    n->body.len = 0;
    if (head_only || h->status == 204 || h->status == 304 || (h->status >= 100 && h->status < 200)) {
        return IDC_OK;
    }
    if (h->chunked) {
        return read_chunked(n, cap, err);
    }
    if (h->content_length >= 0) {
        if ((unsigned long long)h->content_length > cap) {
            return idc_error_set(err, IDC_ERR_HTTP, "the response of %lld bytes is over the "
                                                    "%zu-byte cap",
                                 h->content_length, cap);
        }
        return take_body(n, (size_t)h->content_length, err);
    }
    return read_until_close(n, cap, err);
}

/* ---- the exchange ------------------------------------------------------------------- */

static void reset_response(struct idc_http_response *resp)
{
    *resp = (struct idc_http_response){.retry_after = -1, .body = ""};
}

/* Reads one response after the request went out. */
static idc_err receive(struct native *n, const struct idc_http_request *req,
                       struct idc_http_response *resp, struct idc_exchange_info *info,
                       bool *got_any, struct idc_error *err)
{
    size_t head_len = 0;
    struct head h;
    idc_err rc = read_head(n, &head_len, got_any, err);
    if (rc == IDC_OK) {
        rc = parse_head(idc_str_make(n->in.p + n->in_pos, head_len), &h, resp, err);
    }
    if (rc) {
        return rc;
    }
    info->got_headers = true;
    n->in_pos += head_len;
    resp->status = h.status;
    rc = read_body(n, &h, idc_str_eq(req->method, IDC_STR("HEAD")), err);
    if (rc) {
        return rc;
    }
    resp->body = n->body.p ? n->body.p : "";
    resp->body_len = n->body.len;
    if (h.close || (!h.chunked && h.content_length < 0)) {
        disconnect(n);
    } else {
        n->reused = true;
    }
    return IDC_OK;
}

static idc_err native_exchange(void *ctx, const struct idc_http_request *req,
                               struct idc_http_response *resp, struct idc_exchange_info *info,
                               struct idc_error *err)
{
    struct native *n = ctx;
    *info = (struct idc_exchange_info){0};
    reset_response(resp);
    if (!build_request(n, req)) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory building the request");
    }
    idc_err rc = IDC_OK;
    for (int attempt = 0; attempt < 2; attempt++) {
        bool reused = n->connected && n->reused;
        int64_t start = idc_net_now_ms();
        rc = n->connected ? IDC_OK : connect_endpoint(n, err);
        rc = rc ? rc : send_raw(n, n->out.p, n->out.len, err);
        info->sent = rc == IDC_OK;
        bool got_any = false;
        if (rc == IDC_OK) {
            n->requests++;
            rc = receive(n, req, resp, info, &got_any, err);
        }
        if (rc == IDC_OK) {
            trace(n, "< HTTP %d, %zu bytes, %lld ms", resp->status, resp->body_len,
                  (long long)(idc_net_now_ms() - start));
            break;
        }
        disconnect(n);
        /* A kept-alive connection the server closed while idle: open a new one, once. */
        if (!(reused && !got_any && (rc == IDC_ERR_RESET || !info->sent))) {
            break;
        }
        trace(n, "* the server closed the idle connection; reconnecting");
        info->sent = false;
    }
    info->connections = n->connections;
    info->requests = n->requests;
    return rc;
}

static idc_err native_open(void *ctx, const struct idc_transport_config *cfg,
                           struct idc_error *err)
{
    struct native *n = ctx;
    memset(n, 0, sizeof *n);
    n->cfg = *cfg;
    n->cfg.connect_timeout_ms = cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : 10000;
    n->cfg.read_timeout_ms = cfg->read_timeout_ms > 0 ? cfg->read_timeout_ms : 60000;
    n->cfg.max_response = cfg->max_response ? cfg->max_response : IDC_HTTP_MAX_RESPONSE;
    snprintf(n->user_agent, sizeof n->user_agent, "%s",
             cfg->user_agent ? cfg->user_agent : "idcctl/" IDC_LIB_VERSION);
    const char *ca = cfg->ca_bundle ? cfg->ca_bundle : getenv("AWS_CA_BUNDLE");
    if (ca != NULL && *ca != '\0') {
        snprintf(n->ca_bundle, sizeof n->ca_bundle, "%s", ca);
    }
    n->cfg.ca_bundle = n->ca_bundle[0] ? n->ca_bundle : NULL;
    n->use_proxy = cfg->endpoint.https && idc_proxy_from_env(&cfg->endpoint, &n->proxy);
    if (!cfg->endpoint.https) {
        return IDC_OK;
    }
    n->tls_conf = calloc(1, idc_tls.conf_size);
    n->tls_conn = calloc(1, idc_tls.conn_size);
    if (n->tls_conf == NULL || n->tls_conn == NULL) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory");
    }
    return idc_tls.conf_init(n->tls_conf, n->cfg.ca_bundle, err);
}

static void native_close(void *ctx)
{
    struct native *n = ctx;
    if (n == NULL) {
        return;
    }
    disconnect(n);
    if (n->tls_conf != NULL) {
        idc_tls.conf_cleanup(n->tls_conf);
    }
    free(n->tls_conf);
    free(n->tls_conn);
    idc_dynbuf_free(&n->out);
    idc_dynbuf_free(&n->in);
    idc_dynbuf_free(&n->body);
    n->tls_conf = n->tls_conn = NULL;
}

const struct idc_transport_ops idc_transport_native = {
    .name = "native",
    .ctx_size = sizeof(struct native),
    .open = native_open,
    .exchange = native_exchange,
    .close = native_close,
};
