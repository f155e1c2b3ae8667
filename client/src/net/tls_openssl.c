/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tls_openssl.c - the OpenSSL 3 TLS backend (Debian 12: 3.0), called only through `idc_tls`.
 * The SSL object talks to our socket through a small BIO of our own rather than
 * SSL_set_fd: OpenSSL's socket BIO writes with write(2), which raises SIGPIPE when the
 * peer has gone, and a library must not kill its host process (net.c uses MSG_NOSIGNAL).
 */
#include "tls.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/err.h>
#include <openssl/opensslv.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "net.h"

#if OPENSSL_VERSION_MAJOR < 3
#error "libidc's openssl TLS backend needs OpenSSL 3 (Debian 12: libssl-dev)"
#endif

struct openssl_conf {
    SSL_CTX *ctx;
    BIO_METHOD *bio; /* our socket BIO; one per conf, so no global state */
};

struct openssl_conn {
    SSL *ssl;
    int fd;      /* borrowed: the caller closes it */
    bool broken; /* a fatal error happened: OpenSSL forbids SSL_shutdown afterwards */
};

/* ---- the socket BIO: send/recv with MSG_NOSIGNAL on the non-blocking fd ---------------- */

static int bio_fd(BIO *b)
{
    return (int)(intptr_t)BIO_get_data(b);
}

static int bio_write(BIO *b, const char *buf, size_t len, size_t *done)
{
    BIO_clear_retry_flags(b);
    ssize_t n;
    do {
        n = send(bio_fd(b), buf, len, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        BIO_set_retry_write(b);
    }
    *done = n > 0 ? (size_t)n : 0;
    return n > 0;
}

/* Returns 0 with *done = 0 at EOF, which SSL_get_error reports as SSL_ERROR_SYSCALL. */
static int bio_read(BIO *b, char *buf, size_t cap, size_t *done)
{
    BIO_clear_retry_flags(b);
    ssize_t n;
    do {
        n = recv(bio_fd(b), buf, cap, 0);
    } while (n < 0 && errno == EINTR);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        BIO_set_retry_read(b);
    }
    *done = n > 0 ? (size_t)n : 0;
    return n > 0;
}

/* libssl asks for flushes and probes kTLS and similar; only the flush needs a yes. */
static long bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
    (void)b;
    (void)num;
    (void)ptr;
    return cmd == BIO_CTRL_FLUSH;
}

static BIO_METHOD *bio_method_new(void)
{
    BIO_METHOD *m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "idc socket");
    if (m == NULL || !BIO_meth_set_write_ex(m, bio_write) || !BIO_meth_set_read_ex(m, bio_read) ||
        !BIO_meth_set_ctrl(m, bio_ctrl)) {
        BIO_meth_free(m);
        return NULL;
    }
    return m;
}

/* ---- error translation ---------------------------------------------------------------- */

/*
 * "openssl: <what>: <oldest queued OpenSSL error>; <todo>", its code in `native`; clears
 * the queue. A `what` cut to the message's size leaves the whole message too long, so
 * idc_error_set marks the cut.
 */
__attribute__((format(printf, 4, 5))) static idc_err
fail_queue(struct idc_error *err, idc_err code, const char *todo, const char *fmt, ...)
{
    char what[sizeof((struct idc_error *)NULL)->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    char text[256] = "no error detail from OpenSSL";
    unsigned long e = ERR_peek_error();
    if (e != 0) {
        ERR_error_string_n(e, text, sizeof text);
    }
    ERR_clear_error();
    return idc_error_set_native(err, code, (long)e, "openssl: %s: %s; %s", what, text, todo);
}

/* What kind of failure an X509_V_ERR_* result is. */
static enum idc_tls_verify_kind verify_kind(long v)
{
    switch (v) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED:
        return IDC_TLS_VERIFY_UNKNOWN_CA;
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return IDC_TLS_VERIFY_DATES;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
        return IDC_TLS_VERIFY_NAME;
    default:
        return IDC_TLS_VERIFY_OTHER;
    }
}

static idc_err fail_verify(SSL *ssl, const char *host, struct idc_error *err)
{
    long v = SSL_get_verify_result(ssl);
    ERR_clear_error();
    return idc_tls_fail_verify(err, "openssl", verify_kind(v), host,
                               X509_verify_cert_error_string(v), v);
}

/* OpenSSL 3 reports a peer that vanished without close_notify as this reason. */
static bool is_unexpected_eof(int e)
{
    return e == SSL_ERROR_SSL &&
           ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING;
}

/*
 * A failure after the handshake while `what` ("reading the response"). SSL_ERROR_SYSCALL
 * with an empty queue is a socket error (errno, saved by the caller) or, with errno 0, an
 * end of stream without close_notify.
 */
static idc_err fail_io(struct openssl_conn *c, int e, int saved, const char *what,
                       struct idc_error *err)
{
    c->broken = true;
    bool bare = e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0;
    if (bare || is_unexpected_eof(e)) {
        ERR_clear_error();
        return idc_tls_fail_break(err, "openssl",
                                  bare && saved != 0 ? IDC_TLS_BREAK_RESET : IDC_TLS_BREAK_EOF,
                                  what, saved);
    }
    return fail_queue(err, IDC_ERR_TLS, "retry the request; if it persists, check the endpoint",
                      "TLS failed while %s", what);
}

/*
 * Waits for what OpenSSL asked for (`e` is SSL_ERROR_WANT_READ or _WRITE) until
 * `deadline`; a timeout names the whole allowance `total_ms`.
 */
static idc_err wait_want(int fd, int e, int64_t deadline, int total_ms, const char *what,
                         struct idc_error *err)
{
    short events = e == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN;
    return idc_net_wait_until(fd, events, deadline, total_ms, what, err);
}

static bool is_want(int e)
{
    return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
}

/* ---- the table's functions ------------------------------------------------------------ */

static void openssl_conf_cleanup(void *conf)
{
    struct openssl_conf *cf = conf;
    SSL_CTX_free(cf->ctx);
    BIO_meth_free(cf->bio);
    cf->ctx = NULL;
    cf->bio = NULL;
}

static idc_err openssl_conf_init(void *conf, const char *ca_file, struct idc_error *err)
{
    struct openssl_conf *cf = conf;
    ERR_clear_error();
    cf->bio = bio_method_new();
    cf->ctx = SSL_CTX_new(TLS_client_method());
    if (cf->bio == NULL || cf->ctx == NULL ||
        !SSL_CTX_set_min_proto_version(cf->ctx, TLS1_2_VERSION)) {
        openssl_conf_cleanup(cf);
        return fail_queue(err, IDC_ERR_TLS, "check the OpenSSL installation and free memory",
                          "cannot set up a TLS context");
    }
    SSL_CTX_set_verify(cf->ctx, SSL_VERIFY_PEER, NULL);
    int ok = ca_file != NULL ? SSL_CTX_load_verify_locations(cf->ctx, ca_file, NULL)
                             : SSL_CTX_set_default_verify_paths(cf->ctx);
    if (!ok) {
        openssl_conf_cleanup(cf);
        return fail_queue(err, IDC_ERR_TLS, IDC_TLS_CA_ADVICE, "cannot load the CA bundle %s",
                          ca_file != NULL ? ca_file : "of the system store");
    }
    return IDC_OK;
}

/* Host name or IP address checks, and SNI for names only (RFC 6066 forbids IPs there). */
static bool set_peer_name(SSL *ssl, const char *host)
{
    if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host)) {
        return true;
    }
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    return SSL_set1_host(ssl, host) && SSL_set_tlsext_host_name(ssl, host);
}

static idc_err new_ssl(struct openssl_conn *c, struct openssl_conf *cf, const char *host,
                       struct idc_error *err)
{
    c->ssl = SSL_new(cf->ctx);
    BIO *bio = BIO_new(cf->bio);
    if (c->ssl == NULL || bio == NULL) {
        BIO_free(bio);
        return fail_queue(err, IDC_ERR_TLS, "check free memory",
                          "cannot create a TLS connection to %s", host);
    }
    BIO_set_data(bio, (void *)(intptr_t)c->fd);
    BIO_set_init(bio, 1);
    SSL_set_bio(c->ssl, bio, bio); /* one BIO both ways: the SSL takes our one reference */
    if (!set_peer_name(c->ssl, host)) {
        return fail_queue(err, IDC_ERR_TLS, "check the endpoint's host name",
                          "cannot set %s as the expected server name", host);
    }
    return IDC_OK;
}

static idc_err handshake_failed(struct openssl_conn *c, int e, int saved, const char *host,
                                struct idc_error *err)
{
    c->broken = true;
    if (SSL_get_verify_result(c->ssl) != X509_V_OK) {
        return fail_verify(c->ssl, host, err);
    }
    if (e == SSL_ERROR_SYSCALL || is_unexpected_eof(e)) {
        ERR_clear_error();
        return idc_error_set_native(err, IDC_ERR_RESET, saved,
                                    "openssl: %s closed the connection during the TLS handshake "
                                    "(%s); check that the endpoint speaks HTTPS on this port",
                                    host, saved != 0 ? strerror(saved) : "end of stream");
    }
    return fail_queue(err, IDC_ERR_TLS,
                      "check that the endpoint speaks HTTPS with TLS 1.2 or later",
                      "the TLS handshake with %s failed", host);
}

static void openssl_close(void *conn)
{
    struct openssl_conn *c = conn;
    if (c->ssl != NULL && !c->broken && SSL_is_init_finished(c->ssl)) {
        (void)SSL_shutdown(c->ssl); /* one try: close_notify goes out if the socket takes it */
    }
    SSL_free(c->ssl);
    ERR_clear_error();
    c->ssl = NULL;
    c->broken = false;
}

static idc_err openssl_handshake(void *conn, void *conf, int fd, const char *host, int timeout_ms,
                                 struct idc_error *err)
{
    struct openssl_conn *c = conn;
    int64_t deadline = idc_net_now_ms() + timeout_ms;
    char what[sizeof((struct idc_error *)NULL)->msg];
    snprintf(what, sizeof what, "in the TLS handshake with %s", host);
    c->fd = fd;
    c->broken = false;
    ERR_clear_error();
    idc_err rc = new_ssl(c, conf, host, err);
    while (rc == IDC_OK) {
        errno = 0;
        int r = SSL_connect(c->ssl);
        if (r == 1) {
            return IDC_OK;
        }
        int saved = errno;
        int e = SSL_get_error(c->ssl, r);
        rc = is_want(e) ? wait_want(fd, e, deadline, timeout_ms, what, err)
                        : handshake_failed(c, e, saved, host, err);
    }
    c->broken = true; /* the caller may still call close: leave nothing to free twice */
    openssl_close(c);
    return rc;
}

static idc_err openssl_write(void *conn, const void *buf, size_t len, int timeout_ms,
                             struct idc_error *err)
{
    struct openssl_conn *c = conn;
    const char *p = buf;
    int64_t deadline = idc_net_now_ms() + timeout_ms;
    while (len > 0) {
        size_t done = 0;
        ERR_clear_error();
        errno = 0;
        int r = SSL_write_ex(c->ssl, p, len, &done);
        int saved = errno;
        if (r == 1) {
            p += done;
            len -= done;
            continue;
        }
        int e = SSL_get_error(c->ssl, r);
        if (!is_want(e)) {
            return fail_io(c, e, saved, "sending the request", err);
        }
        idc_err rc = wait_want(c->fd, e, deadline, timeout_ms, "sending the request", err);
        if (rc) {
            return rc;
        }
    }
    return IDC_OK;
}

static idc_err openssl_read(void *conn, void *buf, size_t cap, size_t *got, int timeout_ms,
                            struct idc_error *err)
{
    struct openssl_conn *c = conn;
    int64_t deadline = idc_net_now_ms() + timeout_ms;
    for (;;) {
        *got = 0;
        ERR_clear_error();
        errno = 0;
        int r = SSL_read_ex(c->ssl, buf, cap, got);
        int saved = errno;
        if (r == 1) {
            return IDC_OK;
        }
        int e = SSL_get_error(c->ssl, r);
        if (e == SSL_ERROR_ZERO_RETURN) {
            *got = 0; /* close_notify: the server finished cleanly */
            return IDC_OK;
        }
        if (!is_want(e)) {
            return fail_io(c, e, saved, "reading the response", err);
        }
        idc_err rc = wait_want(c->fd, e, deadline, timeout_ms, "reading the response", err);
        if (rc) {
            return rc;
        }
    }
}

const struct idc_tls_ops idc_tls = {
    .name = "openssl",
    .conf_size = sizeof(struct openssl_conf),
    .conn_size = sizeof(struct openssl_conn),
    .conf_init = openssl_conf_init,
    .conf_cleanup = openssl_conf_cleanup,
    .handshake = openssl_handshake,
    .write = openssl_write,
    .read = openssl_read,
    .close = openssl_close,
};
