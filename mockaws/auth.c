/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth.c - authentication and admission as AWS does them (spec/mockaws/operations.md,
 * "Authentication errors"): libidc's verifier checks the signature; this file maps each
 * failure to the service's own error, evaluates the caller's policy and applies the
 * pre-operation faults. Secrets never reach a message or the log.
 */
#include <stdio.h>
#include <stdlib.h>

#include "map.h"
#include "mock_int.h"

/* One signing-key cache per CivetWeb thread: the cache is not thread-safe by design. */
static _Thread_local struct idc_sigv4_key_cache thread_cache;

void mock_auth_thread_cleanup(void)
{
    idc_sigv4_key_cache_cleanup(&thread_cache);
}

enum auth_failure {
    AUTH_MISSING,
    AUTH_INCOMPLETE,
    AUTH_UNRECOGNIZED,
    AUTH_SIGNATURE,
    AUTH_EXPIRED_URL,
    AUTH_EXPIRED_TOKEN,
};

/* Status and code per service: Identity Store (JSON) first, IAM and STS (query) second. */
static const struct {
    int ids_status;
    const char *ids_code;
    int iam_status;
    const char *iam_code;
} failures[] = {
    [AUTH_MISSING] = {400, "MissingAuthenticationTokenException", 403,
                      "MissingAuthenticationToken"},
    [AUTH_INCOMPLETE] = {400, "IncompleteSignatureException", 400, "IncompleteSignature"},
    [AUTH_UNRECOGNIZED] = {400, "UnrecognizedClientException", 403, "InvalidClientTokenId"},
    [AUTH_SIGNATURE] = {400, "InvalidSignatureException", 403, "SignatureDoesNotMatch"},
    [AUTH_EXPIRED_URL] = {400, "InvalidSignatureException", 400, "RequestExpired"},
    [AUTH_EXPIRED_TOKEN] = {400, "ExpiredTokenException", 400, "ExpiredToken"},
};

static int fail(struct mock_request *req, enum auth_failure f, const char *message)
{
    bool ids = req->service == MOCK_IDENTITYSTORE;
    return mock_reply_error(req, ids ? failures[f].ids_status : failures[f].iam_status,
                            ids ? failures[f].ids_code : failures[f].iam_code, NULL, "%s", message);
}

/* "us-east-1", "us-gov-west-1", "ap-southeast-3": letters, dash-separated words, a number. */
static bool region_well_formed(struct idc_str r)
{
    size_t i = 0, dashes = 0;
    while (i < r.len && r.p[i] >= 'a' && r.p[i] <= 'z') {
        i++;
    }
    if (i != 2) {
        return false;
    }
    while (i < r.len && r.p[i] == '-') {
        size_t start = ++i;
        while (i < r.len &&
               ((r.p[i] >= 'a' && r.p[i] <= 'z') || (r.p[i] >= '0' && r.p[i] <= '9'))) {
            i++;
        }
        if (i == start) {
            return false;
        }
        dashes++;
    }
    return i == r.len && dashes >= 2 && r.p[r.len - 1] >= '0' && r.p[r.len - 1] <= '9';
}

static int check_scope(struct mock_request *req, const struct idc_sigv4_auth *a)
{
    bool ids = req->service == MOCK_IDENTITYSTORE;
    const char *service = ids ? "identitystore" : req->service == MOCK_STS ? "sts" : "iam";
    char msg[160];
    if (!idc_str_eq(a->scope_service, idc_str_c(service))) {
        snprintf(msg, sizeof msg, "Credential should be scoped to correct service: '%s'. ",
                 service);
        return fail(req, AUTH_SIGNATURE, msg);
    }
    bool region_ok = region_well_formed(a->scope_region) &&
                     (ids || req->service == MOCK_STS || !req->server->opt.strict_iam_region ||
                      idc_str_eq(a->scope_region, IDC_STR("us-east-1")));
    if (!region_ok) {
        return fail(req, AUTH_SIGNATURE, "Credential should be scoped to a valid region. ");
    }
    snprintf(req->region, sizeof req->region, IDC_STR_FMT, IDC_STR_ARG(a->scope_region));
    return 0;
}

static bool token_matches(const struct mock_credential *c, struct idc_str sent)
{
    if (c->session_token == NULL) {
        return sent.len == 0;
    }
    struct idc_str want = idc_str_c(c->session_token);
    return sent.len == want.len && idc_ct_eq(sent.p, want.p, want.len);
}

/* AWS's query services show the expected canonical request and string to sign. */
static int signature_mismatch(struct mock_request *req, const struct idc_error *err,
                              const struct idc_sigv4_result *res)
{
    if (req->service == MOCK_IDENTITYSTORE || res->canonical_request.len == 0) {
        return fail(req, AUTH_SIGNATURE, err->msg);
    }
    struct idc_dynbuf m = {0};
    idc_dynbuf_printf(&m,
                      "%s\n\nThe Canonical String for this request should have been\n'" IDC_STR_FMT
                      "'\n\nThe String-to-Sign should have been\n'" IDC_STR_FMT "'\n",
                      err->msg, IDC_STR_ARG(res->canonical_request),
                      IDC_STR_ARG(res->string_to_sign));
    int status = fail(req, AUTH_SIGNATURE, m.failed ? err->msg : m.p);
    idc_dynbuf_free(&m);
    return status;
}

#define VERIFY_WORK_SIZE (4 * IDC_SIGV4_WORK_SIZE)

static int verify(struct mock_request *req, const struct idc_sigv4_auth *a)
{
    const struct mock_options *o = &req->server->opt;
    struct idc_sigv4_verify_opts opts = {
        .flags = IDC_SIGV4_FLAGS_DEFAULT,
        .now = mock_now(req->server),
        .max_skew = o->max_skew ? o->max_skew : (req->service == MOCK_IDENTITYSTORE ? 300 : 900),
        .cache = &thread_cache,
    };
    /* 32 KiB of canonical request: on the heap, as CivetWeb's workers have 100 KiB of stack */
    struct idc_buf buf = {malloc(VERIFY_WORK_SIZE), 0, VERIFY_WORK_SIZE};
    struct idc_sigv4_result res;
    struct idc_error err = {0};
    if (buf.p == NULL) {
        return mock_reply_error(req, 500, "InternalFailure", NULL, "out of memory");
    }
    idc_err rc =
        idc_sigv4_verify(&req->sig, a, idc_str_c(req->caller->secret), &opts, &buf, &res, &err);
    /* A presigned URL past X-Amz-Expires is RequestExpired; a skewed date is a bad signature. */
    bool url_expired = a->placement == IDC_SIGV4_IN_QUERY && opts.now > a->time + a->expires;
    int status = 0;
    switch (rc) {
    case IDC_OK:
        break;
    case IDC_ERR_SIGNATURE:
        status = signature_mismatch(req, &err, &res); /* res points into buf */
        break;
    case IDC_ERR_EXPIRED:
        status = fail(req, url_expired ? AUTH_EXPIRED_URL : AUTH_SIGNATURE, err.msg);
        break;
    default: /* IDC_ERR_AUTH_MALFORMED and anything else the verifier refuses */
        status = fail(req, AUTH_INCOMPLETE, err.msg);
        break;
    }
    free(buf.p);
    return status;
}

int mock_authenticate(struct mock_request *req)
{
    struct idc_sigv4_auth *a = malloc(sizeof *a); /* 4 KiB of decoded query: not on the stack */
    struct idc_error err = {0};
    if (a == NULL) {
        return mock_reply_error(req, 500, "InternalFailure", NULL, "out of memory");
    }
    idc_err rc = idc_sigv4_auth_parse(&req->sig, a, &err);
    int status = 0;
    if (rc == IDC_ERR_AUTH_MISSING) {
        status =
            fail(req, AUTH_MISSING,
                 req->service == MOCK_IDENTITYSTORE ? "Missing Authentication Token"
                                                    : "Request is missing Authentication Token");
    } else if (rc != IDC_OK) {
        status = fail(req, AUTH_INCOMPLETE, err.msg);
    }
    if (status == 0) {
        snprintf(req->access_key_id, sizeof req->access_key_id, IDC_STR_FMT,
                 IDC_STR_ARG(a->access_key_id));
        req->caller = mock_world_credential(&req->server->world, a->access_key_id);
        if (req->caller == NULL || !token_matches(req->caller, a->session_token)) {
            status = fail(req, AUTH_UNRECOGNIZED,
                          "The security token included in the request is invalid.");
        } else if (req->caller->expires != 0 && mock_now(req->server) >= req->caller->expires) {
            status = fail(req, AUTH_EXPIRED_TOKEN,
                          "The security token included in the request is expired");
        }
    }
    status = status ? status : check_scope(req, a);
    status = status ? status : verify(req, a);
    free(a);
    return status;
}

/* ---- admission: policy, then pre-operation faults ------------------------------------ */

static int deny(struct mock_request *req, const char *action, const char *resource, bool explicit)
{
    char msg[1024];
    if (explicit) {
        snprintf(msg, sizeof msg,
                 "User: %s is not authorized to perform: %s on resource: %s with an explicit "
                 "deny in an identity-based policy",
                 req->caller->arn, action, resource);
    } else {
        snprintf(msg, sizeof msg,
                 "User: %s is not authorized to perform: %s on resource: %s because no "
                 "identity-based policy allows the %s action",
                 req->caller->arn, action, resource, action);
    }
    bool ids = req->service == MOCK_IDENTITYSTORE;
    return mock_reply_error(req, ids ? 400 : 403, ids ? "AccessDeniedException" : "AccessDenied",
                            NULL, "%s", msg);
}

/*
 * The fault's identity: service, operation and parameters, never the date or signature.
 * Hashed in place, as "SERVICE\nOPERATION\n" then the body (or query) bytes.
 */
static enum mock_fault draw_fault(struct mock_request *req)
{
    struct mock_server *s = req->server;
    if (s->opt.faults.total <= 0) {
        return MOCK_FAULT_NONE;
    }
    char head[sizeof req->operation + 16];
    int n = snprintf(head, sizeof head, "%d\n%s\n", (int)req->service, req->operation);
    bool post = idc_str_eq(req->sig.method, IDC_STR("POST"));
    uint64_t h = mock_fnv1a(MOCK_FNV1A_BASIS, head, (size_t)n);
    h = post ? mock_fnv1a(h, req->body, req->body_len)
             : mock_fnv1a(h, req->sig.query.p, req->sig.query.len);
    return mock_faults_draw(s->faults, &s->opt.faults, s->opt.seed, h);
}

/* Throttle and error faults answer before the operation runs; the rest wait for the reply. */
static int pre_operation_fault(struct mock_request *req)
{
    enum mock_fault f = draw_fault(req);
    if (f != MOCK_FAULT_THROTTLE && f != MOCK_FAULT_ERROR) {
        req->fault = f;
        return 0;
    }
    unsigned retry = req->server->opt.retry_after;
    bool ids = req->service == MOCK_IDENTITYSTORE;
    char members[64], headers[64] = "";
    snprintf(members, sizeof members, "\"RetryAfterSeconds\":%u", retry);
    if (retry > 0) {
        snprintf(headers, sizeof headers, "Retry-After: %u\r\n", retry);
    }
    int status =
        f == MOCK_FAULT_THROTTLE
            ? mock_reply_error_headers(req, 400, ids ? "ThrottlingException" : "Throttling",
                                       ids ? members : NULL, headers, "Rate exceeded")
            : mock_reply_error_headers(req, 500, ids ? "InternalServerException" : "ServiceFailure",
                                       ids ? members : NULL, headers,
                                       "An internal error occurred (injected).");
    req->fault = f; /* for the log; the error itself went out whole */
    return status;
}

int mock_admit_fault(struct mock_request *req)
{
    return pre_operation_fault(req);
}

int mock_admit(struct mock_request *req, const char *action, const char *const *resources, size_t n)
{
    size_t at = 0;
    enum mock_decision d = mock_policy_decide(req->caller->policy, action, resources, n, &at);
    if (d != MOCK_ALLOWED) {
        return deny(req, action, resources[at], d == MOCK_DENIED_EXPLICITLY);
    }
    return pre_operation_fault(req);
}
