/* SPDX-License-Identifier: Apache-2.0 */
/*
 * aws_json.c - awsJson1_1 error answers (protocol_int.h): the error type from `__type` (with
 * or without "namespace#" and ":uri"), the message from `message` or `Message`, the request
 * id from x-amzn-RequestId (or the body). Bodies that are not JSON keep their status and
 * are quoted in the message, so a proxy's HTML page is still reported plainly.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "protocol_int.h"

/* "aws.x#FooError:http://..." gives "FooError" (the Smithy rule). */
static void bare_code(const char *type, char *out, size_t cap)
{
    const char *hash = strchr(type, '#');
    const char *start = hash ? hash + 1 : type;
    size_t len = strcspn(start, ":");
    snprintf(out, cap, "%.*s", (int)len, start);
}

/* The start of a body that is not the protocol's, printable only. */
static void quote_body(const struct idc_http_response *resp, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < resp->body_len && n + 1 < cap && i < 120; i++) {
        unsigned char c = (unsigned char)resp->body[i];
        out[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : ' ';
    }
    out[n] = '\0';
}

static void fill_plain(const struct idc_http_response *resp, struct idc_error *err)
{
    char start[128];
    quote_body(resp, start, sizeof start);
    idc_error_set(err, IDC_ERR_AWS,
                  "HTTP %d with a body that is not the service's JSON "
                  "(Content-Type %s): \"%s\"; is a proxy or a wrong endpoint "
                  "answering?",
                  resp->status, resp->content_type[0] ? resp->content_type : "none", start);
}

static const char *string_member(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A 200 is an error only when its body names an error type near its start. */
static bool maybe_error_body(const struct idc_http_response *resp)
{
    size_t n = resp->body_len < 256 ? resp->body_len : 256;
    return idc_str_find(idc_str_make(resp->body, n), IDC_STR("\"__type\"")) != NULL;
}

bool idc_json_error(const struct idc_http_response *resp, struct idc_error *err)
{
    if (resp->status < 300 && !maybe_error_body(resp)) {
        return false;
    }
    cJSON *doc = cJSON_ParseWithLength(resp->body, resp->body_len);
    const char *type = string_member(doc, "__type");
    if (resp->status < 300 && type == NULL) {
        cJSON_Delete(doc);
        return false;
    }
    if (!cJSON_IsObject(doc)) {
        fill_plain(resp, err);
    } else {
        char code[64] = "";
        if (type != NULL || resp->error_type[0]) {
            bare_code(type ? type : resp->error_type, code, sizeof code);
        }
        const char *msg = string_member(doc, "message");
        msg = msg ? msg : string_member(doc, "Message");
        idc_error_set(err, IDC_ERR_AWS, "%s%s%s (HTTP %d)", code[0] ? code : "error",
                      msg ? ": " : "", msg ? msg : "", resp->status);
        if (err != NULL) {
            snprintf(err->aws_code, sizeof err->aws_code, "%s", code);
        }
    }
    if (err != NULL) {
        err->http_status = resp->status;
        const char *rid = resp->request_id[0] ? resp->request_id : string_member(doc, "RequestId");
        snprintf(err->request_id, sizeof err->request_id, "%s", rid ? rid : "");
    }
    cJSON_Delete(doc);
    return true;
}
