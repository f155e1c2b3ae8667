/* SPDX-License-Identifier: Apache-2.0 */
/*
 * transport_common.c - what both transports do the same way (transport_int.h): the
 * configuration's defaults, the debug trace with the signature and any token redacted,
 * and the response fields read from headers.
 */
#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transport_int.h"

void idc_transport_base_init(struct idc_transport_base *b, const struct idc_transport_config *cfg)
{
    memset(b, 0, sizeof *b);
    b->cfg = *cfg;
    b->cfg.connect_timeout_ms = cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : 10000;
    b->cfg.read_timeout_ms = cfg->read_timeout_ms > 0 ? cfg->read_timeout_ms : 60000;
    b->cfg.max_response = cfg->max_response ? cfg->max_response : IDC_HTTP_MAX_RESPONSE;
    snprintf(b->user_agent, sizeof b->user_agent, "%s",
             cfg->user_agent ? cfg->user_agent : "idcctl/" IDC_LIB_VERSION);
    b->cfg.user_agent = b->user_agent;
    const char *ca = cfg->ca_bundle ? cfg->ca_bundle : getenv("AWS_CA_BUNDLE");
    if (ca != NULL && *ca != '\0') {
        snprintf(b->ca_bundle, sizeof b->ca_bundle, "%s", ca);
    }
    b->cfg.ca_bundle = b->ca_bundle[0] ? b->ca_bundle : NULL;
}

void idc_transport_trace(const struct idc_transport_base *b, const char *fmt, ...)
{
    if (b->cfg.trace == NULL) {
        return;
    }
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    b->cfg.trace(b->cfg.trace_ud, text);
}

void idc_transport_trace_header(const struct idc_transport_base *b,
                                const struct idc_sigv4_header *h)
{
    struct idc_str shown = h->value;
    bool redact = false;
    if (idc_str_eq_nocase(h->name, IDC_STR("X-Amz-Security-Token"))) {
        shown.len = 0;
        redact = true;
    } else if (idc_str_eq_nocase(h->name, IDC_STR("Authorization"))) {
        const char *sig = idc_str_find(h->value, IDC_STR("Signature="));
        shown.len = sig ? (size_t)(sig - h->value.p) + strlen("Signature=") : 0;
        redact = true;
    }
    idc_transport_trace(b, "> " IDC_STR_FMT ": " IDC_STR_FMT "%s", IDC_STR_ARG(h->name),
                        IDC_STR_ARG(shown), redact ? "<redacted>" : "");
}

void idc_http_response_reset(struct idc_http_response *resp)
{
    *resp = (struct idc_http_response){.retry_after = -1, .body = ""};
}

long idc_http_decimal(struct idc_str v)
{
    if (v.len == 0 || !isdigit((unsigned char)v.p[0])) {
        return -1;
    }
    long s = 0;
    for (size_t i = 0; i < v.len && isdigit((unsigned char)v.p[i]); i++) {
        if (s > (LONG_MAX - 9) / 10) {
            return LONG_MAX; /* saturates, as strtol does */
        }
        s = s * 10 + (v.p[i] - '0');
    }
    return s;
}

static void copy_field(char *dst, size_t cap, struct idc_str v)
{
    snprintf(dst, cap, IDC_STR_FMT, (int)(v.len < cap ? v.len : cap - 1), v.p);
}

void idc_http_response_note(struct idc_http_response *r, struct idc_str name, struct idc_str v)
{
    if (idc_str_eq_nocase(name, IDC_STR("x-amzn-RequestId")) ||
        idc_str_eq_nocase(name, IDC_STR("x-amz-request-id"))) {
        copy_field(r->request_id, sizeof r->request_id, v);
    } else if (idc_str_eq_nocase(name, IDC_STR("X-Amzn-ErrorType"))) {
        copy_field(r->error_type, sizeof r->error_type, v);
    } else if (idc_str_eq_nocase(name, IDC_STR("Date"))) {
        copy_field(r->date, sizeof r->date, v);
    } else if (idc_str_eq_nocase(name, IDC_STR("Content-Type"))) {
        copy_field(r->content_type, sizeof r->content_type, v);
    } else if (idc_str_eq_nocase(name, IDC_STR("Retry-After"))) {
        r->retry_after = idc_http_decimal(v);
    }
}
