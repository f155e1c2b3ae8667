/* SPDX-License-Identifier: Apache-2.0 */
/*
 * error.h - error codes and the error value every fallible libidc function fills.
 * A function returns an idc_err and takes `struct idc_error *err` last (NULL allowed).
 * Messages say what failed, the value at fault (never a secret) and what to do.
 */
#ifndef IDC_ERROR_H
#define IDC_ERROR_H

#include <stdbool.h>
#include <stddef.h>

#include "idc/api.h"

IDC_BEGIN_DECLS

typedef enum {
    IDC_OK = 0,
    IDC_ERR_ARG,            /* invalid argument or configuration: the caller's mistake */
    IDC_ERR_SPACE,          /* the caller's buffer is too small; nothing was written */
    IDC_ERR_LIMIT,          /* a fixed bound was reached (header count, query pairs, ...) */
    IDC_ERR_PARSE,          /* malformed input text (request, escape, date, JSON) */
    IDC_ERR_IO,             /* a file or system call failed */
    IDC_ERR_NOMEM,          /* an allocation failed */
    IDC_ERR_AUTH_MISSING,   /* verify: no Authorization header and no presigned query */
    IDC_ERR_AUTH_MALFORMED, /* verify: authorization present but incomplete or malformed */
    IDC_ERR_SIGNATURE,      /* verify: the signature does not match the request */
    IDC_ERR_EXPIRED,        /* verify: the request's date is outside the allowed window */
    IDC_ERR_MISMATCH,       /* a comparison against expected data failed (test vectors) */
    IDC_ERR_DNS,            /* the host name does not resolve */
    IDC_ERR_CONNECT,        /* no address accepted the connection (refused, unreachable) */
    IDC_ERR_TIMEOUT,        /* connect or read took longer than allowed */
    IDC_ERR_RESET,          /* the peer closed or reset the connection mid-exchange */
    IDC_ERR_TLS,            /* TLS failed (handshake, protocol, trust store) */
    IDC_ERR_TLS_VERIFY,     /* the server's certificate did not verify */
    IDC_ERR_HTTP,           /* a malformed or oversized HTTP response */
    IDC_ERR_PROXY,          /* the proxy refused or broke the CONNECT tunnel */
    IDC_ERR_AWS,            /* the service answered with an error (see aws_code) */
    IDC_ERR_NOT_FOUND,      /* a local record (integration, user) does not exist */
    IDC_ERR_BUSY,           /* another process held the database past the busy timeout */
    IDC_ERR__COUNT
} idc_err;

/*
 * Filled by a failing call. `native` holds a library's own code (OpenSSL, mbedTLS, an
 * errno) or 0. For IDC_ERR_AWS, the service's answer: HTTP status, AWS error code, request
 * id; `retryable` says whether the SDKs' standard retry mode would try again. The message
 * keeps the service's own text.
 */
struct idc_error {
    idc_err code;
    long native;
    int http_status; /* 0 when no response was received */
    bool retryable;
    char aws_code[64];      /* "ThrottlingException", "NoSuchEntity", ... or "" */
    char resource_type[32]; /* a not-found answer's ResourceType ("USER", "IDENTITY_STORE"),
                               or "" */
    char reason[32];        /* a not-found answer's Reason ("KMS_KEY_NOT_FOUND": the store's
                               key is missing, not the thing), or "" */
    char request_id[64];    /* x-amzn-RequestId or the XML RequestId, or "" */
    char msg[384];
    bool credentials; /* the failure is getting credentials (a provider's, client.h), not the
                         call itself: the role, the token or the profile is at fault */
};

/*
 * Sets `err` (when not NULL) to `code` and a printf-style message; returns `code`,
 * so a failure is one `return idc_error_set(...)`. A message longer than the buffer
 * is cut and ends with "...", never silently.
 */
idc_err idc_error_set(struct idc_error *err, idc_err code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * idc_error_set that also keeps a library's own code (OpenSSL, mbedTLS, a CURLcode, an
 * errno) in err->native. Pass values, never `errno` read after another call may have run.
 */
idc_err idc_error_set_native(struct idc_error *err, idc_err code, long native, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Prefixes the message already in `err` with context ("sync prod: ..."); returns err->code.
 * A NULL `err` returns IDC_ERR_ARG.
 */
idc_err idc_error_prefix(struct idc_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The code's name, such as "IDC_ERR_SPACE"; "IDC_ERR_?" for an unknown value. */
const char *idc_err_name(idc_err code);

IDC_END_DECLS

#endif
