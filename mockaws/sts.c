/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sts.c - mockaws's STS (awsQuery, Version 2011-06-15): GetCallerIdentity, AssumeRole and
 * AssumeRoleWithWebIdentity (spec/credentials.md, section 10; spec/mockaws/operations.md).
 * server.c calls mock_sts_dispatch, after authentication except for the web identity call,
 * which AWS serves unsigned. Issued credentials go to sessions.c, where auth.c finds them.
 */
#include "roles.h"

#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "timefmt.h"

#define STS_VERSION     "2011-06-15"
#define STS_BAD_MFA     "000000" /* the one well-formed TokenCode refused (fixtures.md) */
#define STS_MAX_CONTEXT 8

static const char *account_of(const struct mock_request *req)
{
    return req->server->world.account_id;
}

static void put_text(struct idc_dynbuf *b, const char *s)
{
    idc_xml_escape(b, s, strlen(s));
}

/* "<OpResponse xmlns=...><OpResult>" + result + "</OpResult><ResponseMetadata>...". */
static int reply_result(struct mock_request *req, const char *op, const struct idc_dynbuf *result)
{
    struct idc_dynbuf b = {0};
    idc_dynbuf_printf(&b, "<%sResponse xmlns=\"" MOCK_STS_XMLNS "\"><%sResult>", op, op);
    idc_dynbuf_put(&b, result->p, result->len);
    idc_dynbuf_printf(&b,
                      "</%sResult><ResponseMetadata><RequestId>%s</RequestId></ResponseMetadata>"
                      "</%sResponse>",
                      op, req->request_id, op);
    int rc = b.failed || result->failed
                 ? mock_reply_error(req, 500, "InternalFailure", NULL, "out of memory")
                 : mock_reply(req, 200, "text/xml", b.p, b.len);
    idc_dynbuf_free(&b);
    return rc;
}

/* ---- parameters, checked against the model's limits -------------------------------- */

enum charset { CS_ANY, CS_NAME, CS_EXTERNAL_ID, CS_SERIAL, CS_DIGITS };

struct limit {
    const char *param;  /* the form member */
    const char *member; /* as AWS names it in a ValidationError */
    size_t min, max;
    enum charset cs;
    const char *pattern;
};

static const struct limit limits[] = {
    {"RoleArn", "roleArn", 20, 2048, CS_ANY, NULL},
    {"RoleSessionName", "roleSessionName", 2, 64, CS_NAME, "[\\w+=,.@-]*"},
    {"ExternalId", "externalId", 2, 1224, CS_EXTERNAL_ID, "[\\w+=,.@:\\/-]*"},
    {"SerialNumber", "serialNumber", 9, 256, CS_SERIAL, "[\\w+=/:,.@-]*"},
    {"TokenCode", "tokenCode", 6, 6, CS_DIGITS, "[\\d]*"},
    {"WebIdentityToken", "webIdentityToken", 4, 20000, CS_ANY, NULL},
    {"ProviderId", "providerId", 4, 2048, CS_ANY, NULL},
};

static bool char_ok(enum charset cs, unsigned char c)
{
    bool word =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    switch (cs) {
    case CS_NAME:
        return word || (c && strchr("+=,.@-", c));
    case CS_EXTERNAL_ID:
        return word || (c && strchr("+=,.@:/-", c));
    case CS_SERIAL:
        return word || (c && strchr("+=/:,.@-", c));
    case CS_DIGITS:
        return c >= '0' && c <= '9';
    default:
        return true;
    }
}

/* Returns 0, or the status of the ValidationError sent for the first parameter at fault. */
static int check_limits(struct mock_request *req, const char *const *required)
{
    for (size_t r = 0; required[r] != NULL; r++) {
        if (mock_param(req, required[r]) == NULL) {
            char member[64];
            snprintf(member, sizeof member, "%s", required[r]);
            member[0] = (char)(member[0] | 0x20);
            return mock_reply_error(req, 400, "ValidationError", NULL,
                                    "1 validation error detected: Value null at '%s' failed to "
                                    "satisfy constraint: Member must not be null",
                                    member);
        }
    }
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        const struct limit *l = &limits[i];
        const char *v = mock_param(req, l->param);
        if (v == NULL) {
            continue;
        }
        size_t n = strlen(v), k = 0;
        while (k < n && char_ok(l->cs, (unsigned char)v[k])) {
            k++;
        }
        const char *what = NULL;
        char constraint[96];
        if (n < l->min) {
            snprintf(constraint, sizeof constraint,
                     "Member must have length greater than or equal to %zu", l->min);
            what = constraint;
        } else if (n > l->max) {
            snprintf(constraint, sizeof constraint,
                     "Member must have length less than or equal to %zu", l->max);
            what = constraint;
        } else if (k < n) {
            snprintf(constraint, sizeof constraint,
                     "Member must satisfy regular expression pattern: %s", l->pattern);
            what = constraint;
        }
        if (what != NULL) {
            bool secret = strcmp(l->param, "WebIdentityToken") == 0;
            return mock_reply_error(req, 400, "ValidationError", NULL,
                                    "1 validation error detected: Value '%.200s' at '%s' failed to "
                                    "satisfy constraint: %s",
                                    secret ? "***" : v, l->member, what);
        }
    }
    return 0;
}

/* Parameters mockaws does not model: refused rather than silently ignored. */
static int refuse_unsupported(struct mock_request *req)
{
    static const char *const prefixes[] = {
        "Policy",         "PolicyArns.",       "Tags.", "TransitiveTagKeys.",
        "SourceIdentity", "ProvidedContexts.", NULL};
    for (size_t i = 0; i < req->param_count; i++) {
        for (size_t p = 0; prefixes[p] != NULL; p++) {
            const char *name = req->params[i].name;
            size_t n = strlen(prefixes[p]);
            bool dotted = prefixes[p][n - 1] == '.';
            if (dotted ? strncmp(name, prefixes[p], n) == 0 : strcmp(name, prefixes[p]) == 0) {
                return mock_reply_error(req, 400, "ValidationError", NULL,
                                        "mockaws does not support the parameter %s", name);
            }
        }
    }
    return 0;
}

/* DurationSeconds: 900 to 43200 (default 3600), then the role's and chaining's limits. */
static int duration(struct mock_request *req, const struct mock_role *role, bool chained,
                    int64_t *out)
{
    const char *v = mock_param(req, "DurationSeconds");
    *out = 3600;
    if (v != NULL) {
        char *end;
        long long d = strtoll(v, &end, 10);
        if (v[0] == '\0' || *end != '\0' || d < 900 || d > MOCK_ROLE_SESSION_MAX) {
            return mock_reply_error(
                req, 400, "ValidationError", NULL,
                "1 validation error detected: Value '%.40s' at "
                "'durationSeconds' failed to satisfy constraint: Member must "
                "have value %s",
                v, d < 900 ? "greater than or equal to 900" : "less than or equal to 43200");
        }
        *out = d;
    }
    if (chained && *out > MOCK_ROLE_CHAIN_MAX) {
        return mock_reply_error(req, 400, "ValidationError", NULL,
                                "The requested DurationSeconds exceeds the 1 hour session limit "
                                "for roles assumed by role chaining.");
    }
    if (*out > role->max_session) {
        return mock_reply_error(req, 400, "ValidationError", NULL,
                                "The requested DurationSeconds exceeds the MaxSessionDuration set "
                                "for this role.");
    }
    return 0;
}

/* ---- issuing ------------------------------------------------------------------------ */

/* AssumedRoleUser and Credentials, as both AssumeRole calls answer them. */
static bool issue(struct mock_request *req, const struct mock_role *role, int64_t seconds,
                  struct idc_dynbuf *b)
{
    const char *name = mock_param(req, "RoleSessionName");
    int64_t expires = mock_now(req->server) + seconds;
    const struct mock_credential *c =
        mock_sessions_issue(req->server->world.sessions, role, account_of(req), name, expires);
    if (c == NULL) {
        return false;
    }
    char when[IDC_TIME_ISO_LEN + 1];
    idc_time_format_iso(expires, when);
    idc_dynbuf_str(b, "<AssumedRoleUser><AssumedRoleId>");
    put_text(b, c->user_id);
    idc_dynbuf_str(b, "</AssumedRoleId><Arn>");
    put_text(b, c->arn);
    idc_dynbuf_str(b, "</Arn></AssumedRoleUser><Credentials><AccessKeyId>");
    put_text(b, c->access_key_id);
    idc_dynbuf_str(b, "</AccessKeyId><SecretAccessKey>");
    put_text(b, c->secret);
    idc_dynbuf_str(b, "</SecretAccessKey><SessionToken>");
    put_text(b, c->session_token);
    idc_dynbuf_printf(b, "</SessionToken><Expiration>%s</Expiration></Credentials>", when);
    return true;
}

/* ---- GetCallerIdentity -------------------------------------------------------------- */

/* A user's UserId: the IAM user's, else AIDA and 17 characters derived from its ARN. */
static void user_id_of(struct mock_request *req, const char *arn, char *out, size_t size)
{
    size_t n = strlen(arn);
    if (n > 5 && strcmp(arn + n - 5, ":root") == 0) {
        snprintf(out, size, "%s", account_of(req));
        return;
    }
    if (mock_iam_user_id(req->server->world.iam, arn, out, size)) {
        return;
    }
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    uint64_t h = mock_fnv1a(MOCK_FNV1A_BASIS, arn, n);
    char id[22] = "AIDA";
    for (size_t i = 4; i < 21; i++, h = h * 0x9e3779b97f4a7c15ULL + i) {
        id[i] = alphabet[(h >> 59) & 31];
    }
    id[21] = '\0';
    snprintf(out, size, "%s", id);
}

/* The account in an ARN's fifth field, else the fixtures'. */
static void account_in(struct mock_request *req, const char *arn, char out[13])
{
    const char *p = arn;
    for (int i = 0; i < 4 && p != NULL; i++) {
        p = strchr(p, ':');
        p = p ? p + 1 : NULL;
    }
    if (p != NULL && strspn(p, "0123456789") == 12 && p[12] == ':') {
        memcpy(out, p, 12);
        out[12] = '\0';
    } else {
        snprintf(out, 13, "%s", account_of(req));
    }
}

/* No permission is needed, and no Deny stops it. */
static int get_caller_identity(struct mock_request *req)
{
    int rc = mock_admit_fault(req);
    if (rc) {
        return rc;
    }
    const struct mock_credential *c = req->caller;
    char user_id[160], account[13];
    if (c->user_id != NULL) {
        snprintf(user_id, sizeof user_id, "%s", c->user_id);
    } else {
        user_id_of(req, c->arn, user_id, sizeof user_id);
    }
    account_in(req, c->arn, account);
    struct idc_dynbuf b = {0};
    idc_dynbuf_str(&b, "<Arn>");
    put_text(&b, c->arn);
    idc_dynbuf_str(&b, "</Arn><UserId>");
    put_text(&b, user_id);
    idc_dynbuf_printf(&b, "</UserId><Account>%s</Account>", account);
    rc = reply_result(req, "GetCallerIdentity", &b);
    idc_dynbuf_free(&b);
    return rc;
}

/* ---- AssumeRole --------------------------------------------------------------------- */

static int assume_denied(struct mock_request *req, const char *role_arn)
{
    return mock_reply_error(req, 403, "AccessDenied", NULL,
                            "User: %s is not authorized to perform: sts:AssumeRole on "
                            "resource: %s",
                            req->caller->arn, role_arn);
}

/* SerialNumber and TokenCode: both or neither; any six digits but STS_BAD_MFA pass. */
static int check_mfa(struct mock_request *req, bool *present)
{
    const char *serial = mock_param(req, "SerialNumber");
    const char *code = mock_param(req, "TokenCode");
    *present = false;
    if ((serial == NULL) != (code == NULL)) {
        return mock_reply_error(req, 403, "AccessDenied", NULL,
                                "MultiFactorAuthentication failed, must provide both MFA serial "
                                "number and one time pass code.");
    }
    if (code != NULL && strcmp(code, STS_BAD_MFA) == 0) {
        return mock_reply_error(req, 403, "AccessDenied", NULL,
                                "MultiFactorAuthentication failed with invalid MFA one time pass "
                                "code. ");
    }
    *present = code != NULL;
    return 0;
}

static int assume_role(struct mock_request *req)
{
    static const char *const required[] = {"RoleArn", "RoleSessionName", NULL};
    int rc = check_limits(req, required);
    rc = rc ? rc : refuse_unsupported(req);
    const char *role_arn = mock_param(req, "RoleArn");
    const char *resources[1] = {role_arn};
    rc = rc ? rc : mock_admit(req, "sts:AssumeRole", resources, 1);
    bool mfa = false;
    rc = rc ? rc : check_mfa(req, &mfa);
    if (rc) {
        return rc;
    }
    const struct mock_credential *caller = req->caller;
    const struct mock_role *role = mock_roles_find(req->server->world.roles, role_arn);
    if (role == NULL) {
        return assume_denied(req, role_arn);
    }
    const char *arns[2] = {caller->arn, caller->role ? caller->role->arn : NULL};
    const char *keys[STS_MAX_CONTEXT], *values[STS_MAX_CONTEXT];
    size_t k = 0;
    keys[k] = "aws:PrincipalArn";
    values[k++] = caller->role ? caller->role->arn : caller->arn;
    keys[k] = "sts:RoleSessionName";
    values[k++] = mock_param(req, "RoleSessionName");
    if (mock_param(req, "ExternalId") != NULL) {
        keys[k] = "sts:ExternalId";
        values[k++] = mock_param(req, "ExternalId");
    }
    if (mfa) {
        keys[k] = "aws:MultiFactorAuthPresent";
        values[k++] = "true";
    }
    char account[13];
    account_in(req, caller->arn, account);
    struct mock_trust_request tr = {
        .action = "sts:AssumeRole",
        .type = "AWS",
        .account = account,
        .arns = arns,
        .arn_count = caller->role ? 2 : 1,
        .keys = keys,
        .values = values,
        .key_count = k,
    };
    if (!mock_trust_allows(role->trust, &tr)) {
        return assume_denied(req, role_arn);
    }
    int64_t seconds;
    rc = duration(req, role, caller->role != NULL, &seconds);
    if (rc) {
        return rc;
    }
    struct idc_dynbuf b = {0};
    rc = issue(req, role, seconds, &b)
             ? reply_result(req, "AssumeRole", &b)
             : mock_reply_error(req, 500, "InternalFailure", NULL, "out of memory");
    idc_dynbuf_free(&b);
    return rc;
}

/* ---- AssumeRoleWithWebIdentity ------------------------------------------------------ */

static int bad_token(struct mock_request *req, const char *message)
{
    return mock_reply_error(req, 400, "InvalidIdentityToken", NULL, "%s", message);
}

/* The token's aud (a string or an array) that is one of the provider's client ids. */
static const char *matching_audience(const cJSON *aud, const struct mock_oidc *p)
{
    const cJSON *item = cJSON_IsArray(aud) ? aud->child : aud;
    for (; item != NULL; item = cJSON_IsArray(aud) ? item->next : NULL) {
        for (size_t i = 0; cJSON_IsString(item) && i < p->client_id_count; i++) {
            if (strcmp(item->valuestring, p->client_ids[i]) == 0) {
                return p->client_ids[i];
            }
        }
    }
    return NULL;
}

struct web_identity {
    const struct mock_oidc *provider;
    const char *issuer;
    const char *subject;
    const char *audience;
};

/* Checks the token as AWS does; returns 0 with `wi` filled, or the status of the error sent. */
static int check_token(struct mock_request *req, const struct mock_jwt *j, struct web_identity *wi)
{
    const cJSON *iss = cJSON_GetObjectItemCaseSensitive(j->claims, "iss");
    const cJSON *sub = cJSON_GetObjectItemCaseSensitive(j->claims, "sub");
    const cJSON *exp = cJSON_GetObjectItemCaseSensitive(j->claims, "exp");
    if (!cJSON_IsString(iss)) {
        return bad_token(req, "The token has no iss claim.");
    }
    wi->issuer = iss->valuestring;
    wi->provider = mock_roles_provider(req->server->world.roles, iss->valuestring);
    if (wi->provider == NULL) {
        char message[512];
        snprintf(message, sizeof message,
                 "No OpenIDConnect provider found in your account for %.300s", iss->valuestring);
        return bad_token(req, message);
    }
    if (!mock_jwt_verify(j, wi->provider->secret)) {
        return bad_token(req, "The web identity token's signature could not be verified.");
    }
    wi->audience =
        matching_audience(cJSON_GetObjectItemCaseSensitive(j->claims, "aud"), wi->provider);
    if (wi->audience == NULL) {
        return bad_token(req, "Incorrect token audience");
    }
    if (!cJSON_IsString(sub) || sub->valuestring[0] == '\0') {
        return mock_reply_error(req, 403, "IDPRejectedClaim", NULL,
                                "The token's sub claim is missing or empty.");
    }
    wi->subject = sub->valuestring;
    if (!cJSON_IsNumber(exp)) {
        return bad_token(req, "The token has no exp claim.");
    }
    int64_t now = mock_now(req->server);
    if ((double)now >= exp->valuedouble) {
        char a[IDC_TIME_ISO_LEN + 1], b[IDC_TIME_ISO_LEN + 1];
        idc_time_format_iso(now, a);
        idc_time_format_iso((int64_t)exp->valuedouble, b);
        return mock_reply_error(req, 400, "ExpiredTokenException", NULL,
                                "Token expired: current date/time %s must be before the "
                                "expiration date/time %s",
                                a, b);
    }
    return 0;
}

static int web_identity_trust(struct mock_request *req, const struct web_identity *wi,
                              const struct mock_role **role)
{
    char aud_key[300], sub_key[300];
    snprintf(aud_key, sizeof aud_key, "%.280s:aud", wi->provider->host);
    snprintf(sub_key, sizeof sub_key, "%.280s:sub", wi->provider->host);
    const char *keys[] = {aud_key, sub_key, "sts:RoleSessionName"};
    const char *values[] = {wi->audience, wi->subject, mock_param(req, "RoleSessionName")};
    const char *arns[] = {wi->provider->arn};
    struct mock_trust_request tr = {
        .action = "sts:AssumeRoleWithWebIdentity",
        .type = "Federated",
        .account = account_of(req),
        .arns = arns,
        .arn_count = 1,
        .keys = keys,
        .values = values,
        .key_count = 3,
    };
    *role = mock_roles_find(req->server->world.roles, mock_param(req, "RoleArn"));
    if (*role == NULL || !mock_trust_allows((*role)->trust, &tr)) {
        return mock_reply_error(req, 403, "AccessDenied", NULL,
                                "Not authorized to perform sts:AssumeRoleWithWebIdentity");
    }
    return 0;
}

static int assume_role_with_web_identity(struct mock_request *req)
{
    static const char *const required[] = {"RoleArn", "RoleSessionName", "WebIdentityToken", NULL};
    int rc = check_limits(req, required);
    rc = rc ? rc : refuse_unsupported(req);
    rc = rc ? rc : mock_admit_fault(req);
    if (rc) {
        return rc;
    }
    struct mock_jwt j;
    char why[128];
    if (!mock_jwt_decode(mock_param(req, "WebIdentityToken"), &j, why, sizeof why)) {
        char message[192];
        snprintf(message, sizeof message, "Couldn't parse the web identity token: %s", why);
        return bad_token(req, message);
    }
    struct web_identity wi = {0};
    const struct mock_role *role = NULL;
    int64_t seconds = 0;
    rc = check_token(req, &j, &wi);
    rc = rc ? rc : web_identity_trust(req, &wi, &role);
    rc = rc ? rc : duration(req, role, false, &seconds);
    if (rc == 0) {
        struct idc_dynbuf b = {0};
        idc_dynbuf_str(&b, "<SubjectFromWebIdentityToken>");
        put_text(&b, wi.subject);
        idc_dynbuf_str(&b, "</SubjectFromWebIdentityToken><Audience>");
        put_text(&b, wi.audience);
        idc_dynbuf_str(&b, "</Audience>");
        rc = issue(req, role, seconds, &b)
                 ? 0
                 : mock_reply_error(req, 500, "InternalFailure", NULL, "out of memory");
        if (rc == 0) {
            idc_dynbuf_str(&b, "<Provider>");
            put_text(&b, wi.issuer);
            idc_dynbuf_str(&b, "</Provider>");
            rc = reply_result(req, "AssumeRoleWithWebIdentity", &b);
        }
        idc_dynbuf_free(&b);
    }
    mock_jwt_cleanup(&j);
    return rc;
}

/* ---- dispatch ----------------------------------------------------------------------- */

int mock_sts_dispatch(struct mock_request *req)
{
    const char *version = mock_param(req, "Version");
    if (version != NULL && strcmp(version, STS_VERSION) != 0) {
        return mock_reply_error(req, 400, "InvalidAction", NULL,
                                "Could not find operation %s for version %s", req->operation,
                                version);
    }
    if (strcmp(req->operation, "GetCallerIdentity") == 0) {
        return get_caller_identity(req);
    }
    if (strcmp(req->operation, "AssumeRole") == 0) {
        return assume_role(req);
    }
    if (strcmp(req->operation, "AssumeRoleWithWebIdentity") == 0) {
        return assume_role_with_web_identity(req);
    }
    return mock_reply_error(req, 400, "InvalidAction", NULL,
                            "Could not find operation %s for version " STS_VERSION,
                            req->operation[0] ? req->operation : "(none)");
}
