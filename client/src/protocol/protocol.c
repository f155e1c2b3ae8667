/* SPDX-License-Identifier: Apache-2.0 */
/*
 * protocol.c - what awsJson1_1 (aws_json.c) and awsQuery (aws_query.c) error answers share
 * (protocol.h): the bare error code, the message for a body that is not the protocol's
 * (a proxy's page), and the status and request id; and the service's public name.
 * Every text the server sent goes into the message escaped (termtext.h): a message, code or
 * page can hold ESC, newlines or bytes that are not UTF-8, and messages reach terminals.
 */
#include <stdio.h>
#include <string.h>

#include "idc/str.h"
#include "protocol.h"
#include "termtext.h"

void idc_protocol_bare_code(const char *type, char *out, size_t cap)
{
    const char *hash = strchr(type, '#');
    const char *start = hash ? hash + 1 : type;
    snprintf(out, cap, "%.*s", (int)strcspn(start, ":"), start);
}

/* The bare code of `type` (a server's text), escaped, into `out`. */
static void shown_code(const char *type, char *out, size_t cap)
{
    char bare[sizeof((struct idc_error *)0)->aws_code];
    idc_protocol_bare_code(type, bare, sizeof bare);
    idc_text_escape_to(idc_str_c(bare), out, cap);
}

void idc_protocol_fill_foreign(const struct idc_http_response *resp, const char *what,
                               struct idc_error *err)
{
    char type[sizeof resp->content_type + 8] = "none";
    if (resp->content_type[0]) {
        idc_text_escape_to(idc_str_c(resp->content_type), type, sizeof type);
    }
    char code[sizeof err->aws_code] = "";
    if (resp->error_type[0]) {
        shown_code(resp->error_type, code, sizeof code);
    }
    if (resp->body_len == 0) {
        idc_error_set(err, IDC_ERR_AWS,
                      "HTTP %d with an empty body (Content-Type %s)%s%s; is a proxy or a wrong "
                      "endpoint answering?",
                      resp->status, type, code[0] ? ", error type " : " and no AWS error code",
                      code);
    } else {
        char start[124];
        idc_text_escape_to(idc_str_make(resp->body, resp->body_len), start, sizeof start);
        idc_error_set(err, IDC_ERR_AWS,
                      "HTTP %d with a body that is not the service's %s (Content-Type %s%s%s): "
                      "\"%s\"; is a proxy or a wrong endpoint answering?",
                      resp->status, what, type, code[0] ? ", error type " : "", code, start);
    }
    if (err != NULL) {
        memcpy(err->aws_code, code, sizeof code);
    }
}

void idc_protocol_fill_aws(const struct idc_http_response *resp, const char *code,
                           const char *message, struct idc_error *err)
{
    char bare[sizeof err->aws_code] = "";
    shown_code(code, bare, sizeof bare);
    char shown[sizeof err->msg];
    idc_text_escape_to(idc_str_c(message), shown, sizeof shown);
    idc_error_set(err, IDC_ERR_AWS, "%s%s%s (HTTP %d)", bare[0] ? bare : "error",
                  shown[0] ? ": " : "", shown, resp->status);
    if (err != NULL) {
        memcpy(err->aws_code, bare, sizeof bare);
    }
}

void idc_protocol_finish(const struct idc_http_response *resp, const char *body_request_id,
                         struct idc_error *err)
{
    if (err != NULL) {
        err->http_status = resp->status;
        const char *rid = resp->request_id[0] ? resp->request_id : body_request_id;
        idc_text_escape_to(idc_str_c(rid), err->request_id, sizeof err->request_id);
    }
}

const char *idc_service_name(const struct idc_service *service)
{
    return service ? service->signing_name : "(no service)";
}
