/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport_native.c - our own HTTP/1.1 client: one kept-alive connection (TCP_NODELAY,
 * TLS through tls.h), each request sent in one write, Content-Length and chunked bodies,
 * a size cap, deadlines, the configured proxy through CONNECT, and a transparent
 * reconnect when the server closed the idle connection. Responses are framed by
 * response_parser.h. Each attempt has one deadline (timeout_ms) for all of it, and within
 * it the connect timeout covers TCP, the proxy's tunnel and the TLS handshake together.
 */
#include "idc/transport.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "net.h"
#include "response_parser.h"
#include "tls.h"
#include "transport_int.h"

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
    int64_t deadline;       /* of the attempt under way (idc_net_now_ms time) */
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

/* The attempt's time ran out while sending or reading: say so, and what the limit covers. */
static idc_err exchange_timed_out(struct native *n, idc_err rc, struct idc_error *err)
{
    if (rc != IDC_ERR_TIMEOUT) {
        return rc;
    }
    char where[IDC_URL_HOST_PORT_MAX];
    idc_url_host_port(&n->base.cfg.endpoint, where, sizeof where);
    return idc_error_set(err, IDC_ERR_TIMEOUT,
                         "no complete answer from %s within %d ms (the timeout of one attempt, "
                         "which covers connecting, sending and the whole answer)",
                         where, n->base.cfg.timeout_ms);
}

static idc_err send_raw(struct native *n, const void *buf, size_t len, struct idc_error *err)
{
    int ms = idc_net_ms_left(n->deadline);
    idc_err rc = n->tls_active ? idc_tls.write(n->tls_conn, buf, len, ms, err)
                               : idc_net_send(n->fd, buf, len, ms, err);
    return exchange_timed_out(n, rc, err);
}

static idc_err recv_raw(struct native *n, void *buf, size_t cap, size_t *got, struct idc_error *err)
{
    int ms = idc_net_ms_left(n->deadline);
    idc_err rc = n->tls_active ? idc_tls.read(n->tls_conn, buf, cap, got, ms, err)
                               : idc_net_recv(n->fd, buf, cap, got, ms, err);
    return exchange_timed_out(n, rc, err);
}

/* Reads more bytes into `in` after what is not consumed yet (moved to the front, so the
 * buffer holds at most one unfinished head or line besides); *got = 0 at EOF. */
static idc_err fill(struct native *n, size_t *got, struct idc_error *err)
{
    if (n->in_pos > 0) {
        memmove(n->in.p, n->in.p + n->in_pos, n->in.len - n->in_pos);
        n->in.len -= n->in_pos;
        n->in_pos = 0;
    }
    if (idc_net_now_ms() >= n->deadline) { /* a sender that always has data ready */
        return exchange_timed_out(n, IDC_ERR_TIMEOUT, err);
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
    bool attempt_limits = n->deadline < deadline; /* the attempt's deadline comes first */
    deadline = attempt_limits ? n->deadline : deadline;
    idc_err rc = idc_net_connect(peer->host, peer->port, idc_net_ms_left(deadline), &n->fd, err);
    if (rc == IDC_ERR_TIMEOUT && attempt_limits) {
        return exchange_timed_out(n, rc, err);
    }
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
        rc = attempt_limits ? exchange_timed_out(n, rc, err) : connect_timed_out(n, stage, err);
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

/* ---- the exchange ------------------------------------------------------------------- */

/* Reads one response after the request went out; the body stays in n->body. */
static idc_err receive(struct native *n, const struct idc_http_request *req,
                       struct idc_http_response *resp, struct idc_exchange_info *info,
                       bool *got_any, struct idc_error *err)
{
    struct idc_http_parser p;
    idc_http_parser_init(&p, idc_str_eq(req->method, IDC_STR("HEAD")), n->base.cfg.max_response);
    n->body.len = 0;
    n->body.failed = false;
    for (;;) {
        size_t used;
        idc_err rc = idc_http_parse(&p, n->in.p + n->in_pos, n->in.len - n->in_pos, &used, resp,
                                    &n->body, err);
        n->in_pos += used;
        info->got_headers = idc_http_parser_has_head(&p);
        if (rc || idc_http_parser_done(&p)) {
            /* Bytes after a complete answer were never asked for (a body on a 204, junk):
             * read as the next answer they would answer the wrong request. */
            bool clean = n->in_pos == n->in.len;
            if (rc == IDC_OK && (!idc_http_parser_keep_alive(&p) || !clean)) {
                disconnect(n);
            } else if (rc == IDC_OK) {
                n->reused = true;
            }
            return rc;
        }
        size_t got;
        rc = fill(n, &got, err);
        if (rc == IDC_OK && got == 0) {
            rc = idc_http_parse_eof(&p, *got_any || n->in.len > n->in_pos, err);
            if (rc == IDC_OK) {
                disconnect(n); /* the body ended with the connection */
                return IDC_OK;
            }
        }
        if (rc) {
            return rc;
        }
        *got_any = true;
    }
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
    /* One deadline for the attempt, the transparent reconnect included */
    n->deadline = idc_net_now_ms() + n->base.cfg.timeout_ms;
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
