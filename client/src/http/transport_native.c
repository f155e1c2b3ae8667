/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport_native.c - our own HTTP/1.1 client: one kept-alive connection (TCP_NODELAY,
 * TLS through tls.h), each request sent in one write, Content-Length and chunked bodies,
 * a size cap, deadlines, the configured proxy through CONNECT, and a transparent
 * reconnect when the server closed the idle connection. The connect timeout covers TCP,
 * the proxy's tunnel and the TLS handshake together; the read timeout, each wait after.
 */
#include "idc/transport.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "tls.h"
#include "net.h"
#include "termtext.h"
#include "transport_int.h"

#define HEADER_MAX (64 * 1024)

struct native {
    struct idc_transport_base base;
    struct idc_proxy proxy;
    bool use_proxy;
    int fd;
    bool connected;
    bool reused;    /* the connection already served a request */
    void *tls_conf; /* idc_tls.conf_size bytes, https only */
    void *tls_conn; /* idc_tls.conn_size bytes */
    bool tls_active;
    struct idc_dynbuf out; /* the request being sent */
    struct idc_dynbuf in;  /* bytes received, not yet consumed */
    size_t in_pos;
    struct idc_dynbuf body; /* the response body */
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
    return n->tls_active ? idc_tls.write(n->tls_conn, buf, len, n->base.cfg.read_timeout_ms, err)
                         : idc_net_send(n->fd, buf, len, n->base.cfg.read_timeout_ms, err);
}

static idc_err recv_raw(struct native *n, void *buf, size_t cap, size_t *got, struct idc_error *err)
{
    return n->tls_active
               ? idc_tls.read(n->tls_conn, buf, cap, got, n->base.cfg.read_timeout_ms, err)
               : idc_net_recv(n->fd, buf, cap, got, n->base.cfg.read_timeout_ms, err);
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

/* A step of connecting ran out of the connect timeout: say which, and what the timeout covers. */
static idc_err connect_timed_out(struct native *n, const char *stage, struct idc_error *err)
{
    char where[IDC_URL_HOST_PORT_MAX];
    idc_url_host_port(&n->base.cfg.endpoint, where, sizeof where);
    return idc_error_set(err, IDC_ERR_TIMEOUT,
                         "timed out after %d ms %s %s (the connect timeout, which covers TCP, "
                         "the proxy's tunnel and the TLS handshake together)",
                         n->base.cfg.connect_timeout_ms, stage, where);
}

/* TCP, then the proxy's tunnel, then TLS: one deadline for them all, as curl's
 * CONNECTTIMEOUT in the other transport. */
static idc_err connect_endpoint(struct native *n, struct idc_error *err)
{
    const struct idc_url *u = &n->base.cfg.endpoint;
    const struct idc_url *peer = n->use_proxy ? &n->proxy.url : u;
    int64_t start = idc_net_now_ms();
    int64_t deadline = start + n->base.cfg.connect_timeout_ms;
    idc_err rc =
        idc_net_connect(peer->host, peer->port, n->base.cfg.connect_timeout_ms, &n->fd, err);
    if (rc) {
        return n->use_proxy ? idc_error_prefix(err, "proxy %s", n->proxy.name) : rc;
    }
    n->connected = true;
    n->connections++;
    const char *stage = "waiting for the proxy's tunnel to";
    if (n->use_proxy) {
        rc = idc_proxy_connect(n->fd, &n->proxy, u, deadline, err);
    }
    if (rc == IDC_OK && u->https) {
        stage = "in the TLS handshake with";
        rc = idc_tls.handshake(n->tls_conn, n->tls_conf, n->fd, u->host, idc_net_ms_left(deadline),
                               err);
        n->tls_active = rc == IDC_OK;
    }
    if (rc == IDC_ERR_TIMEOUT) {
        rc = connect_timed_out(n, stage, err);
    }
    if (rc) {
        disconnect(n);
        return rc;
    }
    idc_transport_trace_connected(&n->base, n->use_proxy, idc_net_now_ms() - start, n->connections);
    return IDC_OK;
}

/* ---- the request -------------------------------------------------------------------- */

/* Request line, headers and body in one buffer: one write, no Nagle stall. */
static bool build_request(struct native *n, const struct idc_http_request *req)
{
    struct idc_dynbuf *o = &n->out;
    o->len = 0;
    idc_dynbuf_printf(o, IDC_STR_FMT " " IDC_STR_FMT " HTTP/1.1\r\n", IDC_STR_ARG(req->method),
                      IDC_STR_ARG(req->target));
    for (size_t i = 0; i < req->header_count; i++) {
        const struct idc_sigv4_header *h = &req->headers[i];
        idc_dynbuf_printf(o, IDC_STR_FMT ": " IDC_STR_FMT "\r\n", IDC_STR_ARG(h->name),
                          IDC_STR_ARG(h->value));
    }
    idc_dynbuf_printf(o, "Content-Length: %zu\r\nUser-Agent: %s\r\n\r\n", req->body_len,
                      n->base.user_agent);
    idc_dynbuf_put(o, req->body, req->body_len);
    return !o->failed;
}

/* ---- the response ------------------------------------------------------------------- */

/* Reads until the blank line; returns the header block's length (terminator included). */
static idc_err read_head(struct native *n, size_t *head_len, bool *got_any, struct idc_error *err)
{
    for (;;) {
        const char *start = n->in.p + n->in_pos;
        size_t avail = n->in.len - n->in_pos;
        const char *end = idc_str_find(idc_str_make(start, avail), IDC_STR("\r\n\r\n"));
        if (end != NULL) {
            *head_len = (size_t)(end - start) + 4;
            return *head_len <= HEADER_MAX
                       ? IDC_OK
                       : idc_error_set(err, IDC_ERR_HTTP, "response headers are over %d bytes",
                                       HEADER_MAX);
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
    long long content_length; /* -1: absent, -2: not a number */
    bool chunked;
    bool close;
    bool bodyless; /* HEAD, 1xx, 204, 304: no body, whatever the headers say (RFC 9112 6.3) */
};

static void header_field(struct head *h, struct idc_http_response *resp, struct idc_str name,
                         struct idc_str v)
{
    if (idc_str_eq_nocase(name, IDC_STR("Content-Length"))) {
        uint64_t cl;
        h->content_length = idc_str_to_u64(v, INT64_MAX, &cl) ? (long long)cl : -2;
    } else if (idc_str_eq_nocase(name, IDC_STR("Transfer-Encoding"))) {
        h->chunked = idc_str_find(v, IDC_STR("chunked")) != NULL;
    } else if (idc_str_eq_nocase(name, IDC_STR("Connection"))) {
        h->close = idc_str_eq_nocase(v, IDC_STR("close"));
    } else {
        idc_http_response_note(resp, name, v);
    }
}

static idc_err parse_head(struct idc_str text, bool head_only, struct head *h,
                          struct idc_http_response *resp, struct idc_error *err)
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
    h->bodyless = head_only || h->status < 200 || h->status == 204 || h->status == 304;
    size_t pos = line.len + 2;
    while (pos + 2 <= text.len) {
        const char *e = idc_str_find(idc_str_make(text.p + pos, text.len - pos), IDC_STR("\r\n"));
        struct idc_str l = idc_str_make(text.p + pos, (size_t)(e - (text.p + pos)));
        pos += l.len + 2;
        struct idc_str name, value;
        if (idc_http_header_split(l, &name, &value)) {
            header_field(h, resp, name, value);
        }
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
                return idc_error_set(err, IDC_ERR_RESET,
                                     "the connection closed mid-response "
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

/* The next line without its CRLF: a view into `in`, valid until the next fill. */
static idc_err read_line(struct native *n, struct idc_str *line, struct idc_error *err)
{
    for (;;) {
        const char *s = n->in.p + n->in_pos;
        size_t avail = n->in.len - n->in_pos;
        const char *e = idc_str_find(idc_str_make(s, avail), IDC_STR("\r\n"));
        if (e != NULL) {
            *line = idc_str_make(s, (size_t)(e - s));
            n->in_pos += line->len + 2;
            return IDC_OK;
        }
        if (avail > 4096) {
            return idc_error_set(err, IDC_ERR_HTTP,
                                 "a chunk-size or trailer line is over 4096 bytes");
        }
        size_t got;
        idc_err rc = fill(n, &got, err);
        if (rc == IDC_OK && got == 0) {
            rc = idc_error_set(err, IDC_ERR_RESET,
                               "the connection closed mid-response (a "
                               "chunked body cut short)");
        }
        if (rc) {
            return rc;
        }
    }
}

/* A chunk-size line: hex digits, then optional blanks, then the end or ";extension". */
static bool chunk_size(struct idc_str line, uint64_t *size)
{
    uint64_t v = 0;
    size_t i = 0;
    for (; i < line.len && idc_hex_value((unsigned char)line.p[i]) >= 0; i++) {
        if (v > UINT64_MAX >> 4) {
            return false;
        }
        v = v << 4 | (uint64_t)idc_hex_value((unsigned char)line.p[i]);
    }
    struct idc_str rest = idc_str_trim(idc_str_make(line.p + i, line.len - i));
    if (i == 0 || (rest.len > 0 && rest.p[0] != ';')) {
        return false;
    }
    *size = v;
    return true;
}

static idc_err bad_chunk_line(struct idc_str line, struct idc_error *err)
{
    char shown[44];
    idc_text_escape_to(line, shown, sizeof shown);
    return idc_error_set(err, IDC_ERR_HTTP, "bad chunk size line '%s'", shown);
}

static idc_err read_chunked(struct native *n, size_t cap, struct idc_error *err)
{
    struct idc_str line;
    for (;;) {
        uint64_t size = 0;
        idc_err rc = read_line(n, &line, err);
        if (rc == IDC_OK && !chunk_size(line, &size)) {
            rc = bad_chunk_line(line, err);
        }
        if (rc) {
            return rc;
        }
        if (size == 0) {
            break;
        }
        if (size > cap - n->body.len) {
            return idc_error_set(err, IDC_ERR_HTTP, "the response is over the %zu-byte cap", cap);
        }
        rc = take_body(n, (size_t)size, err);
        rc = rc ? rc : read_line(n, &line, err);
        if (rc == IDC_OK && line.len != 0) {
            rc = idc_error_set(err, IDC_ERR_HTTP,
                               "a chunk's data runs past its size (no CRLF after %llu bytes)",
                               (unsigned long long)size);
        }
        if (rc) {
            return rc;
        }
    }
    do { /* trailers, up to the blank line */
        idc_err rc = read_line(n, &line, err);
        if (rc) {
            return rc;
        }
    } while (line.len != 0);
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

static idc_err read_body(struct native *n, const struct head *h, struct idc_error *err)
{
    size_t cap = n->base.cfg.max_response;
    n->body.len = 0;
    n->body.failed = false;
    if (h->bodyless) {
        return IDC_OK;
    }
    if (h->chunked) {
        return read_chunked(n, cap, err);
    }
    if (h->content_length >= 0) {
        if ((unsigned long long)h->content_length > cap) {
            return idc_error_set(err, IDC_ERR_HTTP,
                                 "the response of %lld bytes is over the "
                                 "%zu-byte cap",
                                 h->content_length, cap);
        }
        return take_body(n, (size_t)h->content_length, err);
    }
    return read_until_close(n, cap, err);
}

/* ---- the exchange ------------------------------------------------------------------- */

/* Reads one response after the request went out; the body stays in n->body. */
static idc_err receive(struct native *n, const struct idc_http_request *req,
                       struct idc_http_response *resp, struct idc_exchange_info *info,
                       bool *got_any, struct idc_error *err)
{
    size_t head_len = 0;
    struct head h;
    bool head_only = idc_str_eq(req->method, IDC_STR("HEAD"));
    idc_err rc = read_head(n, &head_len, got_any, err);
    if (rc == IDC_OK) {
        rc = parse_head(idc_str_make(n->in.p + n->in_pos, head_len), head_only, &h, resp, err);
    }
    if (rc) {
        return rc;
    }
    info->got_headers = true;
    n->in_pos += head_len;
    resp->status = h.status;
    rc = read_body(n, &h, err);
    if (rc) {
        return rc;
    }
    /* Without a length or chunks, the body ended with the connection. */
    if (h.close || (!h.bodyless && !h.chunked && h.content_length < 0)) {
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
    idc_http_response_reset(resp);
    if (!build_request(n, req)) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory building the request");
    }
    idc_transport_trace_request(&n->base, req);
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
            rc = idc_transport_finish(&n->base, &n->body, resp, idc_net_now_ms() - start, err);
            break;
        }
        disconnect(n);
        /* A kept-alive connection the server closed while idle: open a new one, once. */
        if (!(reused && !got_any && (rc == IDC_ERR_RESET || !info->sent))) {
            break;
        }
        idc_transport_trace_reconnect(&n->base);
        info->sent = false;
    }
    info->connections = n->connections;
    info->requests = n->requests;
    return rc;
}

static idc_err native_open(void *ctx, const struct idc_transport_config *cfg, struct idc_error *err)
{
    struct native *n = ctx;
    memset(n, 0, sizeof *n);
    idc_err rc = idc_transport_base_init(&n->base, cfg, err);
    if (rc == IDC_OK && cfg->endpoint.https) {
        rc = idc_proxy_choose(&n->base.cfg, &cfg->endpoint, &n->proxy, &n->use_proxy, err);
    }
    if (rc || !cfg->endpoint.https) {
        return rc;
    }
    n->tls_conf = calloc(1, idc_tls.conf_size);
    n->tls_conn = calloc(1, idc_tls.conn_size);
    if (n->tls_conf == NULL || n->tls_conn == NULL) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory");
    }
    return idc_tls.conf_init(n->tls_conf, n->base.cfg.ca_bundle, err);
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
