/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tls_fail.c - the TLS failure messages both TLS backends and the curl transport word
 * alike (tls.h): each maps its own library's codes to a kind, and the words live here once.
 */
#include <stdio.h>
#include <string.h>

#include "tls.h"

/* The words for `kind` in a message, and *advice, what to do about it. */
static const char *verify_words(enum idc_tls_verify_kind kind, const char **advice)
{
    switch (kind) {
    case IDC_TLS_VERIFY_UNKNOWN_CA:
        *advice = IDC_TLS_CA_ADVICE;
        return "unknown CA";
    case IDC_TLS_VERIFY_DATES:
        *advice = "check the server's certificate dates and this machine's clock";
        return "expired or not yet valid";
    case IDC_TLS_VERIFY_NAME:
        *advice = "connect with a name the certificate lists";
        return "hostname mismatch";
    default:
        *advice = "check the server's certificate chain and the CA bundle (ca_bundle, or "
                  "AWS_CA_BUNDLE: a PEM file)";
        return "rejected";
    }
}

idc_err idc_tls_fail_verify(struct idc_error *err, const char *lib, enum idc_tls_verify_kind kind,
                            const char *host, const char *detail, long native)
{
    const char *advice;
    const char *words = verify_words(kind, &advice);
    if (kind == IDC_TLS_VERIFY_NAME) {
        return idc_error_set_native(err, IDC_ERR_TLS_VERIFY, native,
                                    "%s: TLS certificate verification failed for %s: the "
                                    "certificate does not name %s (%s); %s",
                                    lib, host, host, detail, advice);
    }
    return idc_error_set_native(err, IDC_ERR_TLS_VERIFY, native,
                                "%s: TLS certificate verification failed for %s: %s (%s); %s", lib,
                                host, detail, words, advice);
}

idc_err idc_tls_fail_break(struct idc_error *err, const char *lib, enum idc_tls_break_kind kind,
                           const char *what, int sys_errno)
{
    if (kind == IDC_TLS_BREAK_RESET) {
        return idc_error_set_native(err, IDC_ERR_RESET, sys_errno,
                                    "%s: the connection was reset while %s: %s; retry the request",
                                    lib, what, strerror(sys_errno));
    }
    return idc_error_set(err, IDC_ERR_RESET,
                         "%s: the connection was closed mid-response (no TLS close_notify) while "
                         "%s; retry the request",
                         lib, what);
}
