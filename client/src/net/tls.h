/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tls.h - the TLS backend table used by the native HTTP transport (library-internal).
 * Exactly one backend file (tls_openssl.c or tls_mbedtls.c) is compiled and defines
 * `idc_tls`, like curl's vtls. Verification is always on: the system store or a CA bundle, and the
 * host name. Shared code allocates the backend's state (conf_size, conn_size) and never looks
 * inside.
 */
#ifndef IDC_TLS_H
#define IDC_TLS_H

#include <stdbool.h>
#include <stddef.h>

#include "idc/error.h"

struct idc_tls_ops {
    const char *name; /* "openssl" or "mbedtls" */
    size_t conf_size; /* per client: trust store, random generator, library context */
    size_t conn_size; /* per connection */

    /*
     * Loads the trust store: `ca_file` (PEM) when not NULL, else the system store
     * (/etc/ssl/certs). IDC_ERR_TLS when it cannot be read, naming the file.
     */
    idc_err (*conf_init)(void *conf, const char *ca_file, struct idc_error *err);
    void (*conf_cleanup)(void *conf); /* safe on a zeroed conf */

    /*
     * Runs the handshake over `fd`, a connected non-blocking socket, verifying the chain
     * and that the certificate names `host` (also sent as SNI). Waits at most
     * `timeout_ms` in all. Returns IDC_ERR_TLS_VERIFY (the message says why: unknown CA,
     * expired, name mismatch; for an IP address under mbedTLS 2.28, that it cannot verify
     * IP names), IDC_ERR_TIMEOUT, IDC_ERR_RESET, IDC_ERR_TLS.
     */
    idc_err (*handshake)(void *conn, void *conf, int fd, const char *host, int timeout_ms,
                         struct idc_error *err);

    /* Writes all of `len` bytes. IDC_ERR_TIMEOUT, IDC_ERR_RESET, IDC_ERR_TLS. */
    idc_err (*write)(void *conn, const void *buf, size_t len, int timeout_ms,
                     struct idc_error *err);

    /*
     * Reads up to `cap` bytes; *got = 0 means the peer closed (close_notify or EOF).
     * IDC_ERR_TIMEOUT, IDC_ERR_RESET, IDC_ERR_TLS.
     */
    idc_err (*read)(void *conn, void *buf, size_t cap, size_t *got, int timeout_ms,
                    struct idc_error *err);

    /* Sends close_notify if it can and frees the connection state; safe on a zeroed conn.
     * The caller closes the socket. */
    void (*close)(void *conn);
};

extern const struct idc_tls_ops idc_tls; /* defined by the one tls_<lib>.c */

/* ---- failure messages (tls_fail.c), shared with the curl transport ------------------- */

/* What to check when the trust store is at fault (the resolver reads AWS_CA_BUNDLE). */
#define IDC_TLS_CA_ADVICE "check the CA bundle (ca_bundle, or AWS_CA_BUNDLE: a PEM file)"

/* Why a certificate did not verify, as a backend reads its library's codes. */
enum idc_tls_verify_kind {
    IDC_TLS_VERIFY_UNKNOWN_CA, /* the chain leads to no trusted CA */
    IDC_TLS_VERIFY_DATES,      /* expired or not yet valid */
    IDC_TLS_VERIFY_NAME,       /* the certificate does not name the host */
    IDC_TLS_VERIFY_OTHER,
};

/*
 * "<lib>: TLS certificate verification failed for <host>: <detail> (<kind>); <advice>",
 * the advice chosen by `kind`; `detail` is the library's own text, `native` its code.
 * Returns IDC_ERR_TLS_VERIFY.
 */
idc_err idc_tls_fail_verify(struct idc_error *err, const char *lib, enum idc_tls_verify_kind kind,
                            const char *host, const char *detail, long native);

/* How an established TLS connection broke. */
enum idc_tls_break_kind {
    IDC_TLS_BREAK_EOF,   /* the peer closed without close_notify */
    IDC_TLS_BREAK_RESET, /* the socket failed with `sys_errno` */
};

/*
 * "<lib>: the connection was closed mid-response (no TLS close_notify) while <what>", or
 * "... was reset while <what>: <errno text>", with the advice to retry; the errno in
 * err->native. Returns IDC_ERR_RESET.
 */
idc_err idc_tls_fail_break(struct idc_error *err, const char *lib, enum idc_tls_break_kind kind,
                           const char *what, int sys_errno);

#endif
