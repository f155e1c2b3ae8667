/* SPDX-License-Identifier: Apache-2.0 */
/*
 * aws_json.c - the awsJson1_1 protocol (protocol.h): X-Amz-Target per operation, and error
 * answers: the error type from `__type` (with or without "namespace#" and ":uri"), the
 * message from `message` or `Message`, the request id from x-amzn-RequestId (or the body),
 * and RetryAfterSeconds. Bodies that are not JSON keep their status and are quoted in the
 * message, so a proxy's HTML page is still reported plainly.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "json_get.h"
#include "protocol.h"

/* A 200 is an error only when its body names an error type near its start. */
static bool maybe_error_body(const struct idc_http_response *resp)
{
    size_t n = resp->body_len < 256 ? resp->body_len : 256;
    return idc_str_find(idc_str_make(resp->body, n), IDC_STR("\"__type\"")) != NULL;
}

static bool json_error(const struct idc_http_response *resp, struct idc_error *err)
{
    if (resp->status < 300 && !maybe_error_body(resp)) {
        return false;
    }
    cJSON *doc = cJSON_ParseWithLength(resp->body, resp->body_len);
    const char *type = idc_json_get_string(doc, "__type");
    if (resp->status < 300 && type == NULL) {
        cJSON_Delete(doc);
        return false;
    }
    if (!cJSON_IsObject(doc)) {
        idc_protocol_fill_foreign(resp, "JSON", err);
    } else {
        const char *msg = idc_json_get_string(doc, "message");
        idc_protocol_fill_aws(resp, type ? type : resp->error_type,
                              msg ? msg : idc_json_get_string(doc, "Message"), err);
        /* which thing was not found: a user, a group, or the whole store */
        const char *resource = idc_json_get_string(doc, "ResourceType");
        const char *reason = idc_json_get_string(doc, "Reason");
        if (err != NULL) {
            snprintf(err->resource_type, sizeof err->resource_type, "%s", resource ? resource : "");
            snprintf(err->reason, sizeof err->reason, "%s", reason ? reason : "");
        }
    }
    idc_protocol_finish(resp, idc_json_get_string(doc, "RequestId"), err);
    cJSON_Delete(doc);
    return true;
}

/* X-Amz-Target: "<target_prefix>.<operation>". */
static idc_err json_op_header(const struct idc_service *svc, const char *operation, char *buf,
                              struct idc_sigv4_header *out, bool *added, struct idc_error *err)
{
    *added = false;
    int n = snprintf(buf, IDC_PROTOCOL_HEADER_MAX, "%s.%s", svc->target_prefix, operation);
    if (n < 0 || n >= IDC_PROTOCOL_HEADER_MAX) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "the operation name '%.40s...' is %zu bytes long; X-Amz-Target "
                             "holds at most %d (%s. and the name)",
                             operation, strlen(operation), IDC_PROTOCOL_HEADER_MAX - 1,
                             svc->target_prefix);
    }
    *out = (struct idc_sigv4_header){IDC_STR("X-Amz-Target"), idc_str_make(buf, (size_t)n)};
    *added = true;
    return IDC_OK;
}

/* RetryAfterSeconds in a JSON error body (Identity Store's throttling answer), in whole
 * milliseconds rounded up; any number over a day (1e300 too) reads as a day. */
static int64_t json_retry_after_ms(const struct idc_http_response *resp)
{
    cJSON *doc = cJSON_ParseWithLength(resp->body, resp->body_len);
    double seconds = idc_json_get_number(doc, "RetryAfterSeconds", -1);
    cJSON_Delete(doc);
    if (!(seconds >= 0)) { /* also NaN */
        return -1;
    }
    double ms = seconds * 1000.0;
    if (!(ms < (double)IDC_RETRY_AFTER_MAX_MS)) {
        return IDC_RETRY_AFTER_MAX_MS;
    }
    int64_t whole = (int64_t)ms;
    return whole + ((double)whole < ms);
}

const struct idc_protocol idc_protocol_json = {
    .name = "awsJson1_1",
    .content_type = IDC_STR("application/x-amz-json-1.1"),
    .op_header = json_op_header,
    .parse_error = json_error,
    .retry_after_ms = json_retry_after_ms,
};
