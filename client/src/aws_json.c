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
        idc_protocol_fill_foreign(resp, "JSON", err);
    } else {
        const char *msg = string_member(doc, "message");
        idc_protocol_fill_aws(resp, type ? type : resp->error_type,
                              msg ? msg : string_member(doc, "Message"), err);
    }
    idc_protocol_finish(resp, string_member(doc, "RequestId"), err);
    cJSON_Delete(doc);
    return true;
}
