/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tls_mbedtls.c - the Mbed TLS 2.28 TLS backend (Debian 12: 2.28.3), called only through
 * `idc_tls`. Verification is REQUIRED, never OPTIONAL. 2.28 matches only DNS names, so an
 * IP-literal host is refused before any byte is sent, with a message saying so.
 * The socket callbacks are ours: send(MSG_NOSIGNAL) on the caller's non-blocking fd.
 */
#include "tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>

#include "net.h"

#if MBEDTLS_VERSION_NUMBER < 0x021C0000 || MBEDTLS_VERSION_NUMBER >= 0x03000000
#error "libidc's mbedtls TLS backend needs Mbed TLS 2.28 (Debian 12: libmbedtls-dev)"
#endif

#define SYSTEM_STORE "/etc/ssl/certs"

struct mbed_conf {
    mbedtls_ssl_config cfg;
    mbedtls_x509_crt ca;
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
};

struct mbed_conn {
    mbedtls_ssl_context ssl;
    int fd;        /* borrowed: the caller closes it */
    int sys_errno; /* the errno behind the last failed send or recv, for the message */
    bool up;       /* handshake done and no fatal error: close_notify may be sent */
};

/* ---- socket callbacks ------------------------------------------------------------------ */

static int socket_error(struct mbed_conn *c, int want, int failed)
{
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
        return want;
    }
    c->sys_errno = errno;
    return errno == ECONNRESET || errno == EPIPE ? MBEDTLS_ERR_NET_CONN_RESET : failed;
}

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    struct mbed_conn *c = ctx;
    ssize_t n;
    do {
        n = send(c->fd, buf, len > INT_MAX ? INT_MAX : len, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n >= 0 ? (int)n
                  : socket_error(c, MBEDTLS_ERR_SSL_WANT_WRITE, MBEDTLS_ERR_NET_SEND_FAILED);
}

/* 0 is end of stream: Mbed TLS turns it into MBEDTLS_ERR_SSL_CONN_EOF or a read of 0. */
static int bio_recv(void *ctx, unsigned char *buf, size_t cap)
{
    struct mbed_conn *c = ctx;
    ssize_t n;
    do {
        n = recv(c->fd, buf, cap > INT_MAX ? INT_MAX : cap, 0);
    } while (n < 0 && errno == EINTR);
    return n >= 0 ? (int)n
                  : socket_error(c, MBEDTLS_ERR_SSL_WANT_READ, MBEDTLS_ERR_NET_RECV_FAILED);
}

/* ---- error translation ----------------------------------------------------------------- */

/*
 * "mbedtls: <what>: <mbedtls_strerror> (-0xNNNN); <todo>", `ret` in `native`. A `what` cut
 * to the message's size leaves the whole message too long, so idc_error_set marks the cut.
 */
__attribute__((format(printf, 5, 6))) static idc_err
fail_code(struct idc_error *err, idc_err code, int ret, const char *todo, const char *fmt, ...)
{
    char what[sizeof((struct idc_error *)NULL)->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    char text[160];
    mbedtls_strerror(ret, text, sizeof text);
    return idc_error_set_native(err, code, ret, "mbedtls: %s: %s (-0x%04X); %s", what, text,
                                (unsigned)-ret, todo);
}

/* mbedtls_x509_crt_verify_info gives one line per problem; joined with "; " here. */
static void verify_text(uint32_t flags, char *out, size_t cap)
{
    int n = mbedtls_x509_crt_verify_info(out, cap, "", flags);
    if (n <= 0) {
        snprintf(out, cap, "verify flags 0x%08x", (unsigned)flags);
        return;
    }
    char *p = out + strlen(out);
    while (p > out && p[-1] == '\n') {
        *--p = '\0';
    }
    for (p = strchr(out, '\n'); p != NULL; p = strchr(p, '\n')) {
        *p = ',';
    }
}

/* The kind of failure the verify flags show, the most actionable first. */
static enum idc_tls_verify_kind verify_kind(uint32_t flags)
{
    if (flags & (MBEDTLS_X509_BADCERT_NOT_TRUSTED | MBEDTLS_X509_BADCERT_MISSING)) {
        return IDC_TLS_VERIFY_UNKNOWN_CA;
    }
    if (flags & (MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE)) {
        return IDC_TLS_VERIFY_DATES;
    }
    if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH) {
        return IDC_TLS_VERIFY_NAME;
    }
    return IDC_TLS_VERIFY_OTHER;
}

static idc_err fail_verify(struct mbed_conn *c, int ret, const char *host, struct idc_error *err)
{
    uint32_t flags = mbedtls_ssl_get_verify_result(&c->ssl);
    char text[256], detail[280];
    verify_text(flags, text, sizeof text);
    snprintf(detail, sizeof detail, "%s, -0x%04X", text, (unsigned)-ret);
    return idc_tls_fail_verify(err, "mbedtls", verify_kind(flags), host, detail, ret);
}

static bool is_reset(int ret)
{
    return ret == MBEDTLS_ERR_NET_CONN_RESET || ret == MBEDTLS_ERR_NET_SEND_FAILED ||
           ret == MBEDTLS_ERR_NET_RECV_FAILED;
}

/* A failure after the handshake while `what` ("reading the response"). */
static idc_err fail_io(struct mbed_conn *c, int ret, const char *what, struct idc_error *err)
{
    c->up = false;
    if (ret == 0 || ret == MBEDTLS_ERR_SSL_CONN_EOF) {
        return idc_tls_fail_break(err, "mbedtls", IDC_TLS_BREAK_EOF, what, 0);
    }
    if (is_reset(ret)) {
        return idc_tls_fail_break(err, "mbedtls", IDC_TLS_BREAK_RESET, what, c->sys_errno);
    }
    return fail_code(err, IDC_ERR_TLS, ret, "retry the request; if it persists, check the endpoint",
                     "TLS failed while %s", what);
}

static idc_err handshake_failed(struct mbed_conn *c, int ret, const char *host,
                                struct idc_error *err)
{
    if (ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
        return fail_verify(c, ret, host, err);
    }
    if (ret == MBEDTLS_ERR_SSL_CONN_EOF || is_reset(ret)) {
        const char *why = c->sys_errno != 0 ? strerror(c->sys_errno) : "end of stream";
        return fail_code(err, IDC_ERR_RESET, ret,
                         "check that the endpoint speaks HTTPS on this port",
                         "%s closed the connection during the TLS handshake (%s)", host, why);
    }
    return fail_code(err, IDC_ERR_TLS, ret, "check that the endpoint speaks HTTPS with TLS 1.2",
                     "the TLS handshake with %s failed", host);
}

/* Mbed TLS 2.28 compares only DNS names (no iPAddress SANs), so IPs are refused outright. */
static idc_err refuse_ip(const char *host, struct idc_error *err)
{
    unsigned char a[sizeof(struct in6_addr)];
    bool v4 = inet_pton(AF_INET, host, a) == 1;
    if (!v4 && inet_pton(AF_INET6, host, a) != 1) {
        return IDC_OK;
    }
    bool loopback = v4 ? a[0] == 127 : memcmp(a, &in6addr_loopback, sizeof in6addr_loopback) == 0;
    return idc_error_set(
        err, IDC_ERR_TLS_VERIFY,
        "mbedTLS 2.28 cannot verify a certificate for an IP address (%s); use the "
        "host name the certificate names%s",
        host, loopback ? ", such as localhost" : ", or a libidc built with -DIDC_TLS=openssl");
}

static bool is_want(int ret)
{
    return ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE;
}

/*
 * Waits for what Mbed TLS asked for (`ret` is MBEDTLS_ERR_SSL_WANT_READ or _WRITE) until
 * `deadline`; a timeout names the whole allowance `total_ms`.
 */
static idc_err wait_want(int fd, int ret, int64_t deadline, int total_ms, const char *what,
                         struct idc_error *err)
{
    short events = ret == MBEDTLS_ERR_SSL_WANT_WRITE ? POLLOUT : POLLIN;
    return idc_net_wait_until(fd, events, deadline, total_ms, what, err);
}

/* ---- the table's functions ------------------------------------------------------------- */

/* Each _free accepts a zeroed or initialised context, so this runs on any half-built conf. */
static void mbed_conf_cleanup(void *conf)
{
    struct mbed_conf *cf = conf;
    mbedtls_ssl_config_free(&cf->cfg);
    mbedtls_x509_crt_free(&cf->ca);
    mbedtls_ctr_drbg_free(&cf->drbg);
    mbedtls_entropy_free(&cf->entropy);
    memset(cf, 0, sizeof *cf);
}

/* Some certificates may fail to parse (the system store holds odd ones); one is enough. */
static idc_err load_ca(struct mbed_conf *cf, const char *ca_file, struct idc_error *err)
{
    const char *where = ca_file != NULL ? ca_file : SYSTEM_STORE;
    int ret = ca_file != NULL ? mbedtls_x509_crt_parse_file(&cf->ca, ca_file)
                              : mbedtls_x509_crt_parse_path(&cf->ca, SYSTEM_STORE);
    if (cf->ca.raw.p != NULL) {
        return IDC_OK;
    }
    const char *todo = IDC_TLS_CA_ADVICE;
    if (ret < 0) {
        return fail_code(err, IDC_ERR_TLS, ret, todo, "cannot load the CA bundle %s", where);
    }
    return idc_error_set(err, IDC_ERR_TLS,
                         "mbedtls: no CA certificate in %s could be used (%d failed to parse); %s",
                         where, ret, todo);
}

/* Seeds the generator, loads the trust store and sets the client defaults. */
static idc_err conf_build(struct mbed_conf *cf, const char *ca_file, struct idc_error *err)
{
    static const unsigned char pers[] = "libidc tls";
    int ret =
        mbedtls_ctr_drbg_seed(&cf->drbg, mbedtls_entropy_func, &cf->entropy, pers, sizeof pers - 1);
    if (ret != 0) {
        return fail_code(err, IDC_ERR_TLS, ret, "check that /dev/urandom is readable",
                         "cannot seed the random generator");
    }
    idc_err rc = load_ca(cf, ca_file, err);
    if (rc) {
        return rc;
    }
    ret = mbedtls_ssl_config_defaults(&cf->cfg, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                      MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0) {
        return fail_code(err, IDC_ERR_TLS, ret, "check free memory", "cannot set up a TLS context");
    }
    mbedtls_ssl_conf_authmode(&cf->cfg, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&cf->cfg, &cf->ca, NULL);
    mbedtls_ssl_conf_rng(&cf->cfg, mbedtls_ctr_drbg_random, &cf->drbg);
    mbedtls_ssl_conf_min_version(&cf->cfg, MBEDTLS_SSL_MAJOR_VERSION_3,
                                 MBEDTLS_SSL_MINOR_VERSION_3);
    return IDC_OK;
}

static idc_err mbed_conf_init(void *conf, const char *ca_file, struct idc_error *err)
{
    struct mbed_conf *cf = conf;
    mbedtls_ssl_config_init(&cf->cfg);
    mbedtls_x509_crt_init(&cf->ca);
    mbedtls_ctr_drbg_init(&cf->drbg);
    mbedtls_entropy_init(&cf->entropy);
    idc_err rc = conf_build(cf, ca_file, err);
    if (rc) {
        mbed_conf_cleanup(cf);
    }
    return rc;
}

static void mbed_close(void *conn)
{
    struct mbed_conn *c = conn;
    if (c->up) {
        (void)mbedtls_ssl_close_notify(&c->ssl); /* one try, as the socket allows */
    }
    mbedtls_ssl_free(&c->ssl); /* fine on a zeroed or already freed context */
    c->up = false;
}

static idc_err start_ssl(struct mbed_conn *c, struct mbed_conf *cf, const char *host,
                         struct idc_error *err)
{
    mbedtls_ssl_init(&c->ssl);
    int ret = mbedtls_ssl_setup(&c->ssl, &cf->cfg);
    if (ret == 0) {
        ret = mbedtls_ssl_set_hostname(&c->ssl, host); /* SNI and the name checked */
    }
    if (ret != 0) {
        return fail_code(err, IDC_ERR_TLS, ret, "check free memory and the host name",
                         "cannot set up a TLS connection to %s", host);
    }
    mbedtls_ssl_set_bio(&c->ssl, c, bio_send, bio_recv, NULL);
    return IDC_OK;
}

static idc_err mbed_handshake(void *conn, void *conf, int fd, const char *host, int timeout_ms,
                              struct idc_error *err)
{
    idc_err rc = refuse_ip(host, err);
    if (rc) {
        return rc;
    }
    struct mbed_conn *c = conn;
    int64_t deadline = idc_net_now_ms() + timeout_ms;
    char what[sizeof((struct idc_error *)NULL)->msg];
    snprintf(what, sizeof what, "in the TLS handshake with %s", host);
    c->fd = fd;
    c->sys_errno = 0;
    c->up = false;
    rc = start_ssl(c, conf, host, err);
    while (rc == IDC_OK) {
        int ret = mbedtls_ssl_handshake(&c->ssl);
        if (ret == 0) {
            c->up = true;
            return IDC_OK;
        }
        rc = is_want(ret) ? wait_want(fd, ret, deadline, timeout_ms, what, err)
                          : handshake_failed(c, ret, host, err);
    }
    mbed_close(c); /* the caller may still call close: it finds nothing left */
    return rc;
}

static idc_err mbed_write(void *conn, const void *buf, size_t len, int timeout_ms,
                          struct idc_error *err)
{
    struct mbed_conn *c = conn;
    const unsigned char *p = buf;
    int64_t deadline = idc_net_now_ms() + timeout_ms;
    while (len > 0) {
        /* After WANT_WRITE, Mbed TLS must be called again with the same data. */
        int ret = mbedtls_ssl_write(&c->ssl, p, len);
        if (ret > 0) {
            p += ret;
            len -= (size_t)ret;
            continue;
        }
        if (!is_want(ret)) {
            return fail_io(c, ret, "sending the request", err);
        }
        idc_err rc = wait_want(c->fd, ret, deadline, timeout_ms, "sending the request", err);
        if (rc) {
            return rc;
        }
    }
    return IDC_OK;
}

static idc_err mbed_read(void *conn, void *buf, size_t cap, size_t *got, int timeout_ms,
                         struct idc_error *err)
{
    struct mbed_conn *c = conn;
    int64_t deadline = idc_net_now_ms() + timeout_ms;
    *got = 0;
    for (;;) {
        int ret = mbedtls_ssl_read(&c->ssl, buf, cap > INT_MAX ? INT_MAX : cap);
        if (ret > 0) {
            *got = (size_t)ret;
            return IDC_OK;
        }
        if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
            return IDC_OK; /* the server finished cleanly: *got stays 0 */
        }
        if (!is_want(ret)) {
            return fail_io(c, ret, "reading the response", err);
        }
        idc_err rc = wait_want(c->fd, ret, deadline, timeout_ms, "reading the response", err);
        if (rc) {
            return rc;
        }
    }
}

const struct idc_tls_ops idc_tls = {
    .name = "mbedtls",
    .conf_size = sizeof(struct mbed_conf),
    .conn_size = sizeof(struct mbed_conn),
    .conf_init = mbed_conf_init,
    .conf_cleanup = mbed_conf_cleanup,
    .handshake = mbed_handshake,
    .write = mbed_write,
    .read = mbed_read,
    .close = mbed_close,
};
