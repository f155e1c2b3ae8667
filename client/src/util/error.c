/* SPDX-License-Identifier: Apache-2.0 */
/*
 * error.c - filling and prefixing `struct idc_error`.
 * Messages that do not fit end with "..." so a cut is always visible. Every message is
 * escaped as termtext.h says before it is kept, so whatever a value put in it (a server's
 * text, a user name an identity provider chose, a path) it is one line a terminal only
 * shows; escaping is idempotent, so text escaped before (protocol.c) is not escaped twice.
 */
#include "idc/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "idc/str.h"
#include "termtext.h"

static void mark_cut(char *msg, size_t cap, int wanted)
{
    if (wanted >= 0 && (size_t)wanted >= cap && cap > 4) {
        memcpy(msg + cap - 4, "...", 4);
    }
}

__attribute__((format(printf, 3, 0))) static void set_message(struct idc_error *err, idc_err code,
                                                              const char *fmt, va_list ap)
{
    err->code = code;
    err->native = 0;
    err->http_status = 0;
    err->retryable = false;
    err->aws_code[0] = '\0';
    err->resource_type[0] = '\0';
    err->reason[0] = '\0';
    err->request_id[0] = '\0';
    err->credentials = false;
    char text[2 * sizeof err->msg];
    int n = vsnprintf(text, sizeof text, fmt, ap);
    if (n < 0) {
        snprintf(text, sizeof text, "%s", idc_err_name(code));
    }
    mark_cut(text, sizeof text, n);
    idc_text_escape_to(idc_str_c(text), err->msg, sizeof err->msg);
}

idc_err idc_error_set(struct idc_error *err, idc_err code, const char *fmt, ...)
{
    if (err == NULL) {
        return code;
    }
    va_list ap;
    va_start(ap, fmt);
    set_message(err, code, fmt, ap);
    va_end(ap);
    return code;
}

idc_err idc_error_set_native(struct idc_error *err, idc_err code, long native, const char *fmt, ...)
{
    if (err == NULL) {
        return code;
    }
    va_list ap;
    va_start(ap, fmt);
    set_message(err, code, fmt, ap);
    va_end(ap);
    err->native = native;
    return code;
}

idc_err idc_error_prefix(struct idc_error *err, const char *fmt, ...)
{
    if (err == NULL) {
        return IDC_ERR_ARG;
    }
    char prefix[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return err->code;
    }
    char joined[2 * sizeof err->msg];
    int m = snprintf(joined, sizeof joined, "%s: %s", prefix, err->msg);
    mark_cut(joined, sizeof joined, m);
    idc_text_escape_to(idc_str_c(joined), err->msg, sizeof err->msg);
    return err->code;
}

const char *idc_err_name(idc_err code)
{
    static const char *const names[IDC_ERR__COUNT] = {
        [IDC_OK] = "IDC_OK",
        [IDC_ERR_ARG] = "IDC_ERR_ARG",
        [IDC_ERR_SPACE] = "IDC_ERR_SPACE",
        [IDC_ERR_LIMIT] = "IDC_ERR_LIMIT",
        [IDC_ERR_PARSE] = "IDC_ERR_PARSE",
        [IDC_ERR_IO] = "IDC_ERR_IO",
        [IDC_ERR_NOMEM] = "IDC_ERR_NOMEM",
        [IDC_ERR_AUTH_MISSING] = "IDC_ERR_AUTH_MISSING",
        [IDC_ERR_AUTH_MALFORMED] = "IDC_ERR_AUTH_MALFORMED",
        [IDC_ERR_SIGNATURE] = "IDC_ERR_SIGNATURE",
        [IDC_ERR_EXPIRED] = "IDC_ERR_EXPIRED",
        [IDC_ERR_MISMATCH] = "IDC_ERR_MISMATCH",
        [IDC_ERR_DNS] = "IDC_ERR_DNS",
        [IDC_ERR_CONNECT] = "IDC_ERR_CONNECT",
        [IDC_ERR_TIMEOUT] = "IDC_ERR_TIMEOUT",
        [IDC_ERR_RESET] = "IDC_ERR_RESET",
        [IDC_ERR_TLS] = "IDC_ERR_TLS",
        [IDC_ERR_TLS_VERIFY] = "IDC_ERR_TLS_VERIFY",
        [IDC_ERR_HTTP] = "IDC_ERR_HTTP",
        [IDC_ERR_PROXY] = "IDC_ERR_PROXY",
        [IDC_ERR_AWS] = "IDC_ERR_AWS",
        [IDC_ERR_NOT_FOUND] = "IDC_ERR_NOT_FOUND",
        [IDC_ERR_BUSY] = "IDC_ERR_BUSY",
    };
    if ((unsigned)code >= IDC_ERR__COUNT || names[code] == NULL) {
        return "IDC_ERR_?";
    }
    return names[code];
}
