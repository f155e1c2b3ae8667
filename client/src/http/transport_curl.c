/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport_curl.c - the libcurl transport (libcurl 7.85 or later; Debian 12 has 7.88): one
 * easy handle per instance, so a whole listing keeps one connection and one TLS handshake.
 * Requests arrive signed: the given headers go out as they are and curl adds only
 * Content-Length and User-Agent. The proxy is the configuration's https_proxy and no_proxy.
 */
#include "idc/transport.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "dynbuf.h"
#include "net.h"
#include "response_parser.h"
#include "transport_int.h"

#if LIBCURL_VERSION_NUM < 0x075500
#error "the curl transport needs libcurl 7.85.0 or later (CURLOPT_PROTOCOLS_STR)"
#endif

struct curlt {
    struct idc_transport_base base;
    char base_url[sizeof((struct idc_url *)NULL)->authority + 8]; /* "https://" + authority */
    CURL *easy;
    struct curl_slist *headers; /* the current request's, rebuilt per exchange */
    struct idc_dynbuf line;     /* scratch: the URL, then one header line at a time */
    struct idc_dynbuf body;     /* the response body, valid until the next exchange */
    char errbuf[CURL_ERROR_SIZE];
    /* the exchange in progress */
    struct idc_http_response *resp;
    size_t body_to_send;
    size_t bytes_out;      /* sent after the request head, on the current connection */
    bool head_out;         /* the request head left on the current connection */
    size_t header_bytes;   /* of the final response's headers and trailers */
    bool too_many_headers; /* or too many interim (1xx) answers */
    int interim;           /* 1xx answers so far */
    bool final;            /* the head being read is the final answer's */
    bool in_trailers;      /* its head ended: trailers are not noted, as in the native one */
    bool got_status;
    long announced; /* the response's Content-Length, -1 when absent */
    bool over_cap;
    bool no_memory;
    uint64_t connections, requests;
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;
static CURLcode global_rc = CURLE_FAILED_INIT;

static void global_init(void)
{
    global_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* ---- response headers and body (curl callbacks) ------------------------------------- */

/* curl passes one whole header line at a time, the status line included. */
static size_t on_header(char *data, size_t size, size_t count, void *ud)
{
    struct curlt *t = ud;
    size_t n = size * count;
    struct idc_str line = idc_str_make(data, n);
    while (line.len > 0 && (line.p[line.len - 1] == '\n' || line.p[line.len - 1] == '\r')) {
        line.len--;
    }
    if (idc_str_starts_with(line, IDC_STR("HTTP/")) && !t->in_trailers) {
        /* A new response (after a 1xx): the fields are the final response's only. */
        idc_http_response_reset(t->resp);
        t->got_status = true;
        t->announced = -1;
        t->header_bytes = 0;
        t->final = !(line.len > 9 && line.p[9] == '1');
        t->interim += !t->final;
    }
    /* The native transport's limits: the head and the trailers together, and 1xx answers */
    t->header_bytes += n;
    if (t->header_bytes > IDC_HTTP_HEAD_MAX + IDC_HTTP_TRAILERS_MAX ||
        t->interim > IDC_HTTP_INTERIM_MAX) {
        t->too_many_headers = true;
        return 0; /* CURLE_WRITE_ERROR */
    }
    if (line.len == 0) { /* the end of a head: what follows a final one are trailers */
        t->in_trailers = t->final;
        return n;
    }
    struct idc_str name, value;
    if (!t->in_trailers && !idc_str_starts_with(line, IDC_STR("HTTP/")) &&
        idc_http_header_split(line, &name, &value)) {
        idc_http_response_note(t->resp, name, value);
        if (idc_str_eq_nocase(name, IDC_STR("Content-Length"))) {
            t->announced = idc_http_decimal(value); /* for the message when it is over the cap */
        }
    }
    return n;
}

/* Returning less than `n` makes curl stop with CURLE_WRITE_ERROR. */
static size_t on_body(char *data, size_t size, size_t count, void *ud)
{
    struct curlt *t = ud;
    size_t n = size * count;
    if (n > t->base.cfg.max_response - t->body.len) {
        t->over_cap = true;
        return 0;
    }
    idc_dynbuf_put(&t->body, data, n);
    t->no_memory = t->body.failed;
    return t->no_memory ? 0 : n;
}

/*
 * What went out on the wire. A CONNECT to a proxy is not the request. With part of a head
 * left for later, its rest counts as body: `sent` errs towards true, never towards a retry.
 */
static int on_debug(CURL *easy, curl_infotype type, char *data, size_t n, void *ud)
{
    (void)easy;
    struct curlt *t = ud;
    struct idc_str text = idc_str_make(data, n);
    if (type == CURLINFO_HEADER_OUT && !idc_str_starts_with(text, IDC_STR("CONNECT "))) {
        t->head_out = true;
        t->requests++;
    } else if (type == CURLINFO_DATA_OUT && t->head_out) {
        t->bytes_out += n;
    } else if (type == CURLINFO_TEXT &&
               idc_str_starts_with(text, IDC_STR("Connection died, retrying"))) {
        idc_transport_trace_reconnect(&t->base);
    }
    return 0;
}

/* A new socket: whatever left on an earlier connection is not this attempt's request. */
static int on_socket(void *ud, curl_socket_t fd, curlsocktype purpose)
{
    (void)fd;
    (void)purpose;
    struct curlt *t = ud;
    t->head_out = false;
    t->bytes_out = 0;
    return CURL_SOCKOPT_OK;
}

/* ---- errors ------------------------------------------------------------------------- */

static idc_err category(struct curlt *t, CURLcode cc)
{
    long tunnel = 0;
    curl_easy_getinfo(t->easy, CURLINFO_HTTP_CONNECTCODE, &tunnel);
    if (tunnel >= 300) {
        return IDC_ERR_PROXY; /* curl 7.88 reports a refused CONNECT as a receive error */
    }
    if (t->over_cap || t->too_many_headers) {
        return IDC_ERR_HTTP;
    }
    switch (cc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        return IDC_ERR_DNS;
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_PROXY:
        return IDC_ERR_PROXY;
    case CURLE_COULDNT_CONNECT:
        return IDC_ERR_CONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        return IDC_ERR_TIMEOUT;
    case CURLE_PEER_FAILED_VERIFICATION: /* CURLE_SSL_CACERT is the same code since 7.62 */
        return IDC_ERR_TLS_VERIFY;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
        return IDC_ERR_TLS;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
        return IDC_ERR_RESET;
    case CURLE_OUT_OF_MEMORY:
        return IDC_ERR_NOMEM;
    case CURLE_WRITE_ERROR:
        return t->no_memory ? IDC_ERR_NOMEM : IDC_ERR_HTTP;
    default: /* WEIRD_SERVER_REPLY, FILESIZE_EXCEEDED, BAD_CONTENT_ENCODING, ... */
        return IDC_ERR_HTTP;
    }
}

/*
 * curl checks the host name itself, after OpenSSL accepted the chain. Its verify result is
 * then X509_V_OK (0) or still curl's "not known yet" placeholder (!X509_V_OK, so 1): only a
 * real X509 error (2 and up) points at the chain or the CA bundle.
 */
static idc_err fail_verify(struct curlt *t, CURLcode cc, const char *text, struct idc_error *err)
{
    long result = 0;
    curl_easy_getinfo(t->easy, CURLINFO_SSL_VERIFYRESULT, &result);
    return idc_tls_fail_verify(err, "curl",
                               result <= 1 ? IDC_TLS_VERIFY_NAME : IDC_TLS_VERIFY_OTHER,
                               t->base.cfg.endpoint.host, text, (long)cc);
}

static idc_err fail_proxy(struct curlt *t, CURLcode cc, const char *text, struct idc_error *err)
{
    const struct idc_url *u = &t->base.cfg.endpoint;
    long answer = 0;
    curl_easy_getinfo(t->easy, CURLINFO_HTTP_CONNECTCODE, &answer);
    if (answer >= 300) {
        return idc_error_set_native(err, IDC_ERR_PROXY, (long)cc,
                                    "the proxy refused the tunnel to %s:%s with HTTP %ld (curl: "
                                    "%s); check the proxy (https_proxy, HTTPS_PROXY) and no_proxy",
                                    u->host, u->port, answer, text);
    }
    return idc_error_set_native(err, IDC_ERR_PROXY, (long)cc,
                                "curl: %s; check the proxy (https_proxy, HTTPS_PROXY) and no_proxy",
                                text);
}

/* The attempt's timeout (CURLOPT_TIMEOUT_MS) once the request left, else curl's words
 * (the connect timeout). */
static idc_err fail_timeout(struct curlt *t, CURLcode cc, const char *text, struct idc_error *err)
{
    const struct idc_url *u = &t->base.cfg.endpoint;
    if (t->head_out) {
        char where[IDC_URL_HOST_PORT_MAX];
        idc_url_host_port(u, where, sizeof where);
        return idc_error_set_native(err, IDC_ERR_TIMEOUT, (long)cc,
                                    "no complete answer from %s within %d ms (the timeout of one "
                                    "attempt, which covers connecting, sending and the whole "
                                    "answer)",
                                    where, t->base.cfg.timeout_ms);
    }
    return idc_error_set_native(err, IDC_ERR_TIMEOUT, (long)cc, "curl: %s port %s: %s", u->host,
                                u->port, text);
}

static idc_err fail_reset(CURLcode cc, const char *text, struct idc_error *err)
{
    if (cc == CURLE_PARTIAL_FILE) {
        return idc_error_set_native(err, IDC_ERR_RESET, (long)cc,
                                    "the connection closed mid-response (the body is truncated); "
                                    "curl: %s",
                                    text);
    }
    if (cc == CURLE_GOT_NOTHING) {
        return idc_error_set_native(err, IDC_ERR_RESET, (long)cc,
                                    "the server closed the connection without answering (curl: %s)",
                                    text);
    }
    return idc_error_set_native(err, IDC_ERR_RESET, (long)cc, "curl: the connection broke: %s",
                                text);
}

static idc_err fail_http(struct curlt *t, CURLcode cc, const char *text, struct idc_error *err)
{
    size_t cap = t->base.cfg.max_response;
    if (t->too_many_headers) {
        return t->interim > IDC_HTTP_INTERIM_MAX
                   ? idc_error_set_native(err, IDC_ERR_HTTP, (long)cc,
                                          "the server sent over %d interim (1xx) answers and no "
                                          "final one",
                                          IDC_HTTP_INTERIM_MAX)
                   : idc_error_set_native(err, IDC_ERR_HTTP, (long)cc,
                                          "the response's headers and trailers are over %d bytes",
                                          IDC_HTTP_HEAD_MAX + IDC_HTTP_TRAILERS_MAX);
    }
    if (cc == CURLE_FILESIZE_EXCEEDED && t->announced >= 0) {
        return idc_error_set_native(err, IDC_ERR_HTTP, (long)cc,
                                    "the response of %ld bytes is over the %zu-byte cap",
                                    t->announced, cap);
    }
    if (t->over_cap || cc == CURLE_FILESIZE_EXCEEDED) {
        return idc_error_set_native(err, IDC_ERR_HTTP, (long)cc,
                                    "the response is over the %zu-byte cap", cap);
    }
    return idc_error_set_native(err, IDC_ERR_HTTP, (long)cc,
                                "curl: a malformed response from %s: %s", t->base.cfg.endpoint.host,
                                text);
}

/* Our category and words for a failed transfer; the CURLcode goes in err->native. */
static idc_err fail_transfer(struct curlt *t, CURLcode cc, struct idc_error *err)
{
    const struct idc_url *u = &t->base.cfg.endpoint;
    char text[CURL_ERROR_SIZE + sizeof u->host + 64];
    /* curl's own text names the host (or the proxy); its bare code's text does not */
    snprintf(text, sizeof text, "%s", t->errbuf);
    if (text[0] == '\0') {
        snprintf(text, sizeof text, "%s (%s port %s)", curl_easy_strerror(cc), u->host, u->port);
    }
    switch (category(t, cc)) {
    case IDC_ERR_DNS:
        return idc_error_set_native(err, IDC_ERR_DNS, (long)cc,
                                    "curl: %s; check the endpoint's host name and the network",
                                    text);
    case IDC_ERR_PROXY:
        return fail_proxy(t, cc, text, err);
    case IDC_ERR_CONNECT:
        return idc_error_set_native(err, IDC_ERR_CONNECT, (long)cc, "curl: %s", text);
    case IDC_ERR_TIMEOUT:
        return fail_timeout(t, cc, text, err);
    case IDC_ERR_TLS_VERIFY:
        return fail_verify(t, cc, text, err);
    case IDC_ERR_TLS:
        return idc_error_set_native(err, IDC_ERR_TLS, (long)cc, "curl: TLS with %s failed: %s%s",
                                    u->host, text,
                                    cc == CURLE_SSL_CACERT_BADFILE ? "; " IDC_TLS_CA_ADVICE : "");
    case IDC_ERR_RESET:
        return fail_reset(cc, text, err);
    case IDC_ERR_NOMEM:
        return idc_error_set_native(err, IDC_ERR_NOMEM, (long)cc,
                                    "out of memory for the response (curl: %s)", text);
    default:
        return fail_http(t, cc, text, err);
    }
}

/* ---- the request -------------------------------------------------------------------- */

static bool has_header(const struct idc_http_request *req, struct idc_str name)
{
    for (size_t i = 0; i < req->header_count; i++) {
        if (idc_str_eq_nocase(req->headers[i].name, name)) {
            return true;
        }
    }
    return false;
}

/* The line in `t->line` onto the list; false when memory runs out. */
static bool append_line(struct curlt *t)
{
    if (t->line.failed) {
        return false;
    }
    struct curl_slist *grown = curl_slist_append(t->headers, t->line.p);
    t->headers = grown ? grown : t->headers;
    return grown != NULL;
}

/*
 * Exactly the given headers. "Name;" sends an empty value ("Name:" would drop it), and
 * "Name:" removes a header curl would add by itself: those would be unsigned.
 */
static bool build_headers(struct curlt *t, const struct idc_http_request *req)
{
    static const struct idc_str curl_defaults[] = {IDC_STR("Accept"), IDC_STR("Expect"),
                                                   IDC_STR("Content-Type")};
    curl_slist_free_all(t->headers);
    t->headers = NULL;
    bool ok = true;
    for (size_t i = 0; ok && i < req->header_count; i++) {
        const struct idc_sigv4_header *h = &req->headers[i];
        t->line.len = 0;
        idc_dynbuf_printf(&t->line, IDC_STR_FMT "%s" IDC_STR_FMT, IDC_STR_ARG(h->name),
                          h->value.len ? ": " : ";", IDC_STR_ARG(h->value));
        ok = append_line(t);
    }
    for (size_t i = 0; ok && i < sizeof curl_defaults / sizeof curl_defaults[0]; i++) {
        if (!has_header(req, curl_defaults[i])) {
            t->line.len = 0;
            idc_dynbuf_printf(&t->line, IDC_STR_FMT ":", IDC_STR_ARG(curl_defaults[i]));
            ok = append_line(t);
        }
    }
    return ok;
}

/* POSTFIELDS sends any body binary-safe with its Content-Length; other verbs are custom. */
static CURLcode set_method(struct curlt *t, const struct idc_http_request *req, const char *method)
{
    bool head = strcmp(method, "HEAD") == 0;
    bool custom = !head && strcmp(method, "POST") != 0;
    const void *body = head || req->body == NULL ? "" : (const void *)req->body;
    curl_off_t len = head ? 0 : (curl_off_t)req->body_len;
    t->body_to_send = (size_t)len;
    CURLcode cc = curl_easy_setopt(t->easy, CURLOPT_NOBODY, 0L);
    cc = cc ? cc : curl_easy_setopt(t->easy, CURLOPT_POSTFIELDSIZE_LARGE, len);
    cc = cc ? cc : curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, body);
    cc = cc ? cc : curl_easy_setopt(t->easy, CURLOPT_NOBODY, head ? 1L : 0L);
    return cc ? cc : curl_easy_setopt(t->easy, CURLOPT_CUSTOMREQUEST, custom ? method : NULL);
}

static idc_err prepare(struct curlt *t, const struct idc_http_request *req, struct idc_error *err)
{
    char method[32];
    if (req->method.len == 0 || req->method.len >= sizeof method) {
        return idc_error_set(err, IDC_ERR_ARG, "the HTTP method '%.*s' is empty or too long",
                             (int)(req->method.len > 40 ? 40 : req->method.len), req->method.p);
    }
    snprintf(method, sizeof method, IDC_STR_FMT, IDC_STR_ARG(req->method));
    t->line = (struct idc_dynbuf){.p = t->line.p, .cap = t->line.cap};
    idc_dynbuf_printf(&t->line, "%s" IDC_STR_FMT, t->base_url, IDC_STR_ARG(req->target));
    CURLcode cc =
        t->line.failed ? CURLE_OUT_OF_MEMORY : curl_easy_setopt(t->easy, CURLOPT_URL, t->line.p);
    idc_transport_trace_request(&t->base, req);
    if (cc == CURLE_OK && !build_headers(t, req)) {
        cc = CURLE_OUT_OF_MEMORY;
    }
    cc = cc ? cc : curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
    cc = cc ? cc : set_method(t, req, method);
    if (cc) {
        return idc_error_set(err, cc == CURLE_OUT_OF_MEMORY ? IDC_ERR_NOMEM : IDC_ERR_ARG,
                             "curl: cannot set up the request: %s", curl_easy_strerror(cc));
    }
    return IDC_OK;
}

/* ---- the exchange ------------------------------------------------------------------- */

static void trace_connected(struct curlt *t, long fresh)
{
    const struct idc_url *u = &t->base.cfg.endpoint;
    curl_off_t us = 0;
    long tunnel = 0;
    curl_easy_getinfo(t->easy, u->https ? CURLINFO_APPCONNECT_TIME_T : CURLINFO_CONNECT_TIME_T,
                      &us);
    curl_easy_getinfo(t->easy, CURLINFO_HTTP_CONNECTCODE, &tunnel);
    if (fresh <= 0 || us <= 0) {
        return; /* the kept-alive connection served it, or none was made */
    }
    idc_transport_trace_connected(&t->base, tunnel != 0, (int64_t)(us / 1000), t->connections);
}

static idc_err finish(struct curlt *t, CURLcode cc, struct idc_http_response *resp,
                      struct idc_exchange_info *info, struct idc_error *err)
{
    long fresh = 0;
    curl_easy_getinfo(t->easy, CURLINFO_NUM_CONNECTS, &fresh);
    t->connections += fresh > 0 ? (uint64_t)fresh : 0;
    info->sent = t->head_out && t->bytes_out >= t->body_to_send;
    info->got_headers = t->got_status;
    info->connections = t->connections;
    info->requests = t->requests;
    trace_connected(t, fresh);
    if (cc != CURLE_OK) {
        return fail_transfer(t, cc, err);
    }
    long status = 0;
    curl_off_t us = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME_T, &us);
    resp->status = (int)status;
    return idc_transport_finish(&t->base, &t->body, resp, (int64_t)(us / 1000), err);
}

static idc_err curlt_exchange(void *ctx, const struct idc_http_request *req,
                              struct idc_http_response *resp, struct idc_exchange_info *info,
                              struct idc_error *err)
{
    struct curlt *t = ctx;
    *info = (struct idc_exchange_info){.connections = t->connections, .requests = t->requests};
    idc_http_response_reset(resp);
    if (t->easy == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "the curl transport is not open");
    }
    idc_err rc = prepare(t, req, err);
    if (rc) {
        return rc;
    }
    t->body = (struct idc_dynbuf){.p = t->body.p, .cap = t->body.cap};
    t->resp = resp;
    t->head_out = t->got_status = t->over_cap = t->no_memory = t->too_many_headers = false;
    t->header_bytes = 0;
    t->interim = 0;
    t->final = t->in_trailers = false;
    t->bytes_out = 0;
    t->announced = -1;
    t->errbuf[0] = '\0';
    rc = finish(t, curl_easy_perform(t->easy), resp, info, err);
    t->resp = NULL;
    return rc;
}

/* ---- open and close ----------------------------------------------------------------- */

/* The defaults of struct idc_transport_config, as the native transport applies them. */
static idc_err apply_defaults(struct curlt *t, const struct idc_transport_config *cfg,
                              struct idc_error *err)
{
    idc_err rc = idc_transport_base_init(&t->base, cfg, err);
    const struct idc_url *u = &t->base.cfg.endpoint;
    snprintf(t->base_url, sizeof t->base_url, "%s://%s", u->https ? "https" : "http", u->authority);
    return rc;
}

/* Options that hold for every exchange. */
static CURLcode set_fixed_options(struct curlt *t)
{
    CURL *e = t->easy;
    CURLcode cc = curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
    cc = cc ? cc : curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    cc = cc ? cc : curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    cc = cc ? cc : curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    cc = cc ? cc : curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    cc = cc ? cc : curl_easy_setopt(e, CURLOPT_USERAGENT, t->base.user_agent);
    cc = cc ? cc
            : curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)t->base.cfg.connect_timeout_ms);
    cc = cc ? cc : curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)t->base.cfg.timeout_ms);
    cc = cc ? cc
            : curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)t->base.cfg.max_response);
    cc = cc ? cc : curl_easy_setopt(e, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
    cc = cc ? cc : curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    cc = cc ? cc : curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
    cc = cc ? cc : curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    cc = cc ? cc : curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
    cc = cc ? cc : curl_easy_setopt(e, CURLOPT_SOCKOPTFUNCTION, on_socket);
    cc = cc ? cc : curl_easy_setopt(e, CURLOPT_SOCKOPTDATA, t);
    /* The debug callback sees what left (for info->sent); it needs VERBOSE, not stderr. */
    cc = cc ? cc : curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
    cc = cc ? cc : curl_easy_setopt(e, CURLOPT_DEBUGDATA, t);
    cc = cc ? cc : curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
    /* Proxies come from the configuration only: "" keeps curl from reading HTTPS_PROXY,
     * ALL_PROXY and NO_PROXY itself, so an embedder that ignores the environment can. */
    const char *proxy = t->base.cfg.endpoint.https ? t->base.cfg.https_proxy : NULL;
    cc = cc ? cc : curl_easy_setopt(e, CURLOPT_PROXY, proxy ? proxy : ""); /* https only */
    const char *no_proxy = t->base.cfg.no_proxy;
    cc = cc ? cc : curl_easy_setopt(e, CURLOPT_NOPROXY, no_proxy ? no_proxy : "");
    if (cc == CURLE_OK && t->base.cfg.ca_bundle != NULL) {
        /* The bundle replaces the system store, as in the native transport. */
        cc = curl_easy_setopt(e, CURLOPT_CAINFO, t->base.cfg.ca_bundle);
        cc = cc ? cc : curl_easy_setopt(e, CURLOPT_CAPATH, NULL);
    }
    return cc;
}

static idc_err check_ca_bundle(const char *path, struct idc_error *err)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return idc_error_set(err, IDC_ERR_TLS,
                             "cannot read the CA bundle %s: %s; " IDC_TLS_CA_ADVICE, path,
                             strerror(errno));
    }
    fclose(f);
    return IDC_OK;
}

static idc_err curlt_open(void *ctx, const struct idc_transport_config *cfg, struct idc_error *err)
{
    struct curlt *t = ctx;
    memset(t, 0, sizeof *t);
    idc_err rc = apply_defaults(t, cfg, err);
    if (rc) {
        return rc;
    }
    if (pthread_once(&global_once, global_init) != 0 || global_rc != CURLE_OK) {
        return idc_error_set(err, IDC_ERR_TLS, "curl: curl_global_init failed: %s",
                             curl_easy_strerror(global_rc));
    }
    if (t->base.cfg.endpoint.https && t->base.cfg.ca_bundle != NULL) {
        rc = check_ca_bundle(t->base.cfg.ca_bundle, err);
        if (rc) {
            return rc;
        }
    }
    t->easy = curl_easy_init();
    if (t->easy == NULL) {
        return idc_error_set(err, IDC_ERR_NOMEM, "curl: curl_easy_init failed (out of memory)");
    }
    CURLcode cc = set_fixed_options(t);
    if (cc != CURLE_OK) {
        return idc_error_set_native(err, cc == CURLE_OUT_OF_MEMORY ? IDC_ERR_NOMEM : IDC_ERR_TLS,
                                    (long)cc, "curl: libcurl %s refused an option: %s",
                                    curl_version_info(CURLVERSION_NOW)->version,
                                    curl_easy_strerror(cc));
    }
    return IDC_OK;
}

static void curlt_close(void *ctx)
{
    struct curlt *t = ctx;
    if (t == NULL) {
        return;
    }
    if (t->easy != NULL) {
        curl_easy_cleanup(t->easy);
        t->easy = NULL;
    }
    curl_slist_free_all(t->headers);
    t->headers = NULL;
    idc_dynbuf_free(&t->line);
    idc_dynbuf_free(&t->body);
}

const struct idc_transport_ops idc_transport_curl = {
    .name = "curl",
    .ctx_size = sizeof(struct curlt),
    .open = curlt_open,
    .exchange = curlt_exchange,
    .close = curlt_close,
};
