/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sts.c - AWS STS (sts.h): GetCallerIdentity, AssumeRole and AssumeRoleWithWebIdentity as
 * awsQuery forms, their XML answers read with the expat walk against the botocore model's
 * element names. Every field is copied into fixed storage, refused when it does not fit;
 * the secret and the token never reach a message.
 */
#include "idc/sts.h"

#include <stdio.h>
#include <string.h>

#include "protocol.h"
#include "query_call.h"
#include "timefmt.h"

/* STS: one endpoint per region (sts.<region>.amazonaws.com), API version 2011-06-15. */
const struct idc_service idc_service_sts = {
    .title = "STS",
    .signing_name = "sts",
    .endpoint_prefix = "sts",
    .env_name = "STS",
    .api_version = "2011-06-15",
    .needs_region = true,
    .protocol = &idc_protocol_query,
};

/* One field of an answer: its element below <ActionResult> ("Credentials/AccessKeyId"),
 * where it goes, and whether the model requires it. */
struct sts_field {
    const char *path;
    char *out;
    size_t cap;
    bool required;
    bool seen;
};

struct sts_answer {
    const char *result; /* "AssumeRoleResult" */
    struct sts_field *fields;
    size_t count;
    const char *too_long; /* the field that did not fit */
    bool saw_result;
};

static int answer_leaf(const char *const *path, size_t depth, const char *text, size_t len,
                       void *ud)
{
    struct sts_answer *a = ud;
    if (depth < 3 || strcmp(path[1], a->result) != 0) {
        return 0;
    }
    a->saw_result = true;
    char joined[96];
    int n = depth == 3 ? snprintf(joined, sizeof joined, "%s", path[2])
                       : snprintf(joined, sizeof joined, "%s/%s", path[2], path[3]);
    if (n < 0 || (size_t)n >= sizeof joined || depth > 4) {
        return 0; /* nothing the model has */
    }
    for (size_t i = 0; i < a->count; i++) {
        struct sts_field *f = &a->fields[i];
        if (!f->seen && strcmp(f->path, joined) == 0) {
            if (len >= f->cap) {
                a->too_long = f->path;
                return 1;
            }
            memcpy(f->out, text, len);
            f->out[len] = '\0';
            f->seen = true;
        }
    }
    return 0;
}

/* Reads `resp` into the fields; IDC_ERR_PARSE naming what is missing or too long. */
static idc_err read_answer(const char *action, const struct idc_http_response *resp,
                           struct sts_field *fields, size_t count, struct idc_error *err)
{
    char result[64];
    snprintf(result, sizeof result, "%sResult", action);
    struct sts_answer a = {result, fields, count, NULL, false};
    for (size_t i = 0; i < count; i++) {
        fields[i].out[0] = '\0';
        fields[i].seen = false;
    }
    idc_err rc = idc_xml_walk(resp->body, resp->body_len, answer_leaf, &a, err);
    if (a.too_long != NULL) {
        rc = idc_error_set(err, IDC_ERR_PARSE, "the %s answer's %s is longer than the model allows",
                           action, a.too_long);
    }
    for (size_t i = 0; rc == IDC_OK && i < count; i++) {
        if (fields[i].required && !fields[i].seen) {
            rc = idc_error_set(err, IDC_ERR_PARSE, "the %s answer has no %s", action,
                               fields[i].path);
        }
    }
    if (rc != IDC_OK && rc != IDC_ERR_PARSE && rc != IDC_ERR_LIMIT) {
        return rc;
    }
    if (rc != IDC_OK) {
        idc_error_prefix(err, "STS %s (request id %s)", action,
                         resp->request_id[0] ? resp->request_id : "none");
    }
    return rc;
}

/* STS issues nothing twice that matters: the SDKs retry these calls as reads. */
static idc_err sts_call(struct idc_client *c, const char *action,
                        const struct idc_query_param *params, size_t n,
                        struct idc_http_response *resp, struct idc_error *err)
{
    return idc_query_call(c, &idc_service_sts, action, params, n, IDC_CALL_IDEMPOTENT, resp, err);
}

idc_err idc_sts_get_caller_identity(struct idc_client *c, struct idc_sts_identity *out,
                                    struct idc_error *err)
{
    memset(out, 0, sizeof *out);
    struct idc_http_response resp;
    idc_err rc = sts_call(c, "GetCallerIdentity", NULL, 0, &resp, err);
    if (rc != IDC_OK) {
        return rc;
    }
    struct sts_field fields[] = {
        {"Account", out->account, sizeof out->account, true, false},
        {"Arn", out->arn, sizeof out->arn, true, false},
        {"UserId", out->user_id, sizeof out->user_id, true, false},
    };
    return read_answer("GetCallerIdentity", &resp, fields, 3, err);
}

/* The Credentials and AssumedRoleUser of an AssumeRole* answer. */
static idc_err read_credentials(const char *action, const struct idc_http_response *resp,
                                struct idc_sts_credentials *out, struct idc_error *err)
{
    char expiration[40];
    struct sts_field fields[] = {
        {"Credentials/AccessKeyId", out->access_key_id, sizeof out->access_key_id, true, false},
        {"Credentials/SecretAccessKey", out->secret_access_key, sizeof out->secret_access_key, true,
         false},
        {"Credentials/SessionToken", out->session_token, sizeof out->session_token, true, false},
        {"Credentials/Expiration", expiration, sizeof expiration, true, false},
        {"AssumedRoleUser/Arn", out->assumed_role_arn, sizeof out->assumed_role_arn, false, false},
    };
    idc_err rc = read_answer(action, resp, fields, sizeof fields / sizeof fields[0], err);
    if (rc == IDC_OK && idc_time_parse_iso(idc_str_c(expiration), &out->expiration, err)) {
        rc = idc_error_prefix(err, "STS %s: Credentials/Expiration", action);
    }
    if (rc != IDC_OK) {
        idc_wipe(out, sizeof *out); /* nothing half-read is handed on */
    }
    return rc;
}

/* "3600" for DurationSeconds, or NULL when not given. */
static const char *duration(int seconds, char buf[16])
{
    if (seconds <= 0) {
        return NULL;
    }
    snprintf(buf, 16, "%d", seconds);
    return buf;
}

static idc_err check_request(const char *action, const struct idc_sts_role_request *req, bool web,
                             struct idc_error *err)
{
    if (req == NULL || req->role_arn == NULL || req->role_arn[0] == '\0' ||
        req->session_name == NULL || req->session_name[0] == '\0') {
        return idc_error_set(err, IDC_ERR_ARG, "STS %s needs a role ARN and a session name",
                             action);
    }
    if (web && (req->web_identity_token == NULL || req->web_identity_token[0] == '\0')) {
        return idc_error_set(err, IDC_ERR_ARG, "STS %s needs a web identity token", action);
    }
    if ((req->mfa_serial == NULL) != (req->mfa_code == NULL)) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "STS %s needs both the MFA device's serial number and its code",
                             action);
    }
    return IDC_OK;
}

/* AssumeRole (signed) or AssumeRoleWithWebIdentity (`web`: the token, unsigned). */
static idc_err assume(struct idc_client *c, const char *action, bool web,
                      const struct idc_sts_role_request *req, struct idc_sts_credentials *out,
                      struct idc_error *err)
{
    memset(out, 0, sizeof *out);
    idc_err rc = check_request(action, req, web, err);
    if (rc != IDC_OK) {
        return rc;
    }
    char seconds[16];
    const struct idc_query_param params[] = {
        {"RoleArn", req->role_arn},
        {"RoleSessionName", req->session_name},
        {"DurationSeconds", duration(req->duration_seconds, seconds)},
        {"WebIdentityToken", web ? req->web_identity_token : NULL},
        {"ExternalId", web ? NULL : req->external_id},
        {"SerialNumber", web ? NULL : req->mfa_serial},
        {"TokenCode", web ? NULL : req->mfa_code},
    };
    struct idc_http_response resp;
    rc = sts_call(c, action, params, sizeof params / sizeof params[0], &resp, err);
    return rc ? rc : read_credentials(action, &resp, out, err);
}

idc_err idc_sts_assume_role(struct idc_client *c, const struct idc_sts_role_request *req,
                            struct idc_sts_credentials *out, struct idc_error *err)
{
    return assume(c, "AssumeRole", false, req, out, err);
}

idc_err idc_sts_assume_role_with_web_identity(struct idc_client *c,
                                              const struct idc_sts_role_request *req,
                                              struct idc_sts_credentials *out,
                                              struct idc_error *err)
{
    return assume(c, "AssumeRoleWithWebIdentity", true, req, out, err);
}

void idc_sts_credentials_wipe(struct idc_sts_credentials *creds)
{
    if (creds != NULL) {
        idc_wipe(creds->secret_access_key, sizeof creds->secret_access_key);
        idc_wipe(creds->session_token, sizeof creds->session_token);
    }
}
