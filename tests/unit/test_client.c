/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_client.c - idc_client_call's retry rules and error answers, and idc_ids_list_users'
 * paging, over the scripted in-memory transport of fake_transport.h, which answers each
 * request with the next scripted response or failure and records what it was sent. Every
 * case ends by checking that neither the secret nor the session token reached a message or a
 * trace.
 */
#include "unit.h"

#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "fake_transport.h"
#include "idc/client.h"
#include "idc/iam.h"
#include "idc/identitystore.h"
#include "timefmt.h"

#define TEST_ENDPOINT "https://identitystore.us-east-1.amazonaws.com"
#define TEST_STORE    "d-1234567890"
#define TEST_BODY     "{\"IdentityStoreId\":\"d-1234567890\"}"

#define THROTTLE_BODY "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}"
#define INTERNAL_BODY                                                                              \
    "{\"__type\":\"com.amazonaws.identitystore#InternalServerException\",\"message\":\"boom\"}"

/* ---- the case's client ------------------------------------------------------------------ */

static void note_retry(const struct idc_retry_notice *n, void *ud)
{
    struct fake *f = ud;
    f->retry_notices++;
    f->last_notice = *n;
    snprintf(f->last_cause, sizeof f->last_cause, "%s", n->cause->msg);
    f->last_notice.cause = NULL; /* not valid after the call */
}

static void client_start(struct fake *f, const struct fake_step *steps, size_t count,
                         int max_attempts)
{
    f->steps = steps;
    f->count = count;
    f->content_type = "application/x-amz-json-1.1";
    struct idc_client_config cfg = fake_client_config(f);
    cfg.service = &idc_service_identitystore;
    cfg.endpoint_url = TEST_ENDPOINT;
    cfg.session_token = f->no_token ? NULL : FAKE_TOKEN;
    cfg.max_attempts = max_attempts;
    cfg.max_backoff_ms = f->max_backoff_ms ? f->max_backoff_ms : 50;
    cfg.on_retry = note_retry;
    cfg.on_retry_ud = f;
    assert_int_equal(idc_client_new(&f->client, &cfg, &f->err), IDC_OK);
}

static idc_err call(struct fake *f, enum idc_call_kind kind)
{
    return idc_client_call(f->client, "ListUsers", TEST_BODY, strlen(TEST_BODY), kind, &f->resp,
                           &f->err);
}

static struct idc_client_stats stats(const struct fake *f)
{
    struct idc_client_stats s;
    idc_client_get_stats(f->client, &s);
    return s;
}

/* The N of the trace line "retry <attempt>/<max> in N ms"; -1 when there is none. */
static long retry_delay(const struct fake *f, const char *which)
{
    char key[64];
    snprintf(key, sizeof key, "retry %s in ", which);
    const char *p = fake_trace_find(f, key);
    return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

/* ---- retries ---------------------------------------------------------------------------- */

static void test_client_200_passes(void **state)
{
    struct fake *f = *state;
    static const struct fake_step s[] = {
        {.status = 200, .body = "{\"Users\":[]}", .request_id = "r1"}};
    client_start(f, s, 1, 0);
    assert_int_equal(call(f, IDC_CALL_READ), IDC_OK);
    assert_int_equal(f->resp.status, 200);
    assert_int_equal(f->resp.body_len, 12);
    assert_memory_equal(f->resp.body, "{\"Users\":[]}", 12);
    assert_string_equal(f->resp.request_id, "r1");
    struct idc_client_stats st = stats(f);
    assert_int_equal(st.calls, 1);
    assert_int_equal(st.requests, 1);
    assert_int_equal(st.retries, 0);
    assert_int_equal(f->requests, 1);
    assert_string_equal(f->seen[0].body, TEST_BODY);
}

static void test_client_throttle_then_ok(void **state)
{
    struct fake *f = *state;
    static const struct fake_step s[] = {
        {.status = 400, .body = THROTTLE_BODY, .request_id = "r1"},
        {.status = 200, .body = "{}", .request_id = "r2"},
    };
    client_start(f, s, 2, 0);
    assert_int_equal(call(f, IDC_CALL_READ), IDC_OK);
    assert_int_equal(f->resp.status, 200);
    assert_int_equal(stats(f).retries, 1);
    assert_int_equal(stats(f).requests, 2);
    assert_int_equal(f->requests, 2);
    assert_non_null(fake_trace_find(f, "retry 2/3 in "));
    assert_non_null(fake_trace_find(f, "ThrottlingException"));
}

static void test_client_internal_error_twice_then_ok(void **state)
{
    struct fake *f = *state;
    static const struct fake_step s[] = {
        {.status = 500, .body = INTERNAL_BODY},
        {.status = 500, .body = INTERNAL_BODY},
        {.status = 200, .body = "{}"},
    };
    client_start(f, s, 3, 0);
    assert_int_equal(call(f, IDC_CALL_READ), IDC_OK);
    assert_int_equal(f->requests, 3);
    assert_int_equal(stats(f).retries, 2);
    assert_non_null(fake_trace_find(f, "retry 3/3 in "));
}

static void test_client_gives_up_after_max_attempts(void **state)
{
    struct fake *f = *state;
    static const struct fake_step s[] = {
        {.status = 400, .body = THROTTLE_BODY, .request_id = "r1"},
        {.status = 400, .body = THROTTLE_BODY, .request_id = "r2"},
        {.status = 400, .body = THROTTLE_BODY, .request_id = "r3"},
        {.status = 400, .body = THROTTLE_BODY, .request_id = "r4"},
    };
    client_start(f, s, 4, 3);
    assert_int_equal(call(f, IDC_CALL_READ), IDC_ERR_AWS);
    assert_int_equal(f->err.code, IDC_ERR_AWS);
    assert_string_equal(f->err.aws_code, "ThrottlingException");
    assert_true(f->err.retryable);
    assert_non_null(strstr(f->err.msg, "gave up after 3 attempts"));
    assert_non_null(strstr(f->err.msg, "Rate exceeded"));
    assert_int_equal(f->err.http_status, 400);
    assert_string_equal(f->err.request_id, "r3");
    assert_int_equal(f->requests, 3);
    assert_int_equal(stats(f).retries, 2);
}

static void test_client_access_denied_not_retried(void **state)
{
    struct fake *f = *state;
    static const char message[] =
        "User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: "
        "identitystore:ListUsers on resource: arn:aws:identitystore::123456789012:"
        "identitystore/d-1234567890 because no identity-based policy allows the "
        "identitystore:ListUsers action";
    static const struct fake_step s[] = {
        {.status = 400,
         .body = "{\"__type\":\"AccessDeniedException\",\"Message\":\"User: arn:aws:iam::"
                 "123456789012:user/auditor is not authorized to perform: identitystore:"
                 "ListUsers on resource: arn:aws:identitystore::123456789012:identitystore/"
                 "d-1234567890 because no identity-based policy allows the identitystore:"
                 "ListUsers action\"}",
         .request_id = "req-denied"},
        {.status = 200, .body = "{}"},
    };
    client_start(f, s, 2, 0);
    assert_int_equal(call(f, IDC_CALL_READ), IDC_ERR_AWS);
    assert_string_equal(f->err.aws_code, "AccessDeniedException");
    assert_false(f->err.retryable);
    assert_non_null(strstr(f->err.msg, message));
    assert_null(strstr(f->err.msg, "gave up"));
    assert_int_equal(f->err.http_status, 400);
    assert_string_equal(f->err.request_id, "req-denied");
    assert_int_equal(f->requests, 1);
    assert_int_equal(stats(f).retries, 0);
}

static void test_client_retry_after_seconds_in_body(void **state)
{
    struct fake *f = *state;
    static const struct fake_step s[] = {
        {.status = 400,
         .body = "{\"__type\":\"ThrottlingException\",\"message\":\"slow down\","
                 "\"RetryAfterSeconds\":0.2501}"},
        {.status = 200, .body = "{}"},
    };
    f->max_backoff_ms = 400;
    client_start(f, s, 2, 0);
    assert_int_equal(call(f, IDC_CALL_READ), IDC_OK);
    long ms = retry_delay(f, "2/3");
    assert_true(ms >= 251); /* a fraction of a millisecond rounds up, never down */
    assert_true(ms <= 400);
    assert_int_equal(f->retry_notices, 1);
    assert_int_equal(f->last_notice.attempt, 2);
    assert_int_equal(f->last_notice.max_attempts, 3);
    assert_int_equal(f->last_notice.wait_ms, ms);
    assert_string_equal(f->last_notice.operation, "ListUsers");
    assert_non_null(strstr(f->last_cause, "slow down"));
}

static void test_client_retry_after_header(void **state)
{
    struct fake *f = *state;
    static const struct fake_step s[] = {
        {.status = 503,
         .body = "{\"__type\":\"ServiceUnavailable\",\"message\":\"later\"}",
         .retry_after = 1},
        {.status = 200, .body = "{}"},
    };
    f->max_backoff_ms = 1500;
    client_start(f, s, 2, 0);
    assert_int_equal(call(f, IDC_CALL_READ), IDC_OK);
    long ms = retry_delay(f, "2/3");
    assert_true(ms >= 1000);
    assert_true(ms <= 1500);
    assert_true(f->last_notice.server_asked || ms > 1000);
}

/* A server asking for more than the backoff cap ends the call at once, saying how long it
 * asked; the numbers that overflowed a long or a double-to-long cast are read as a day. */
static void run_asked_too_long(struct fake *f, const struct fake_step *s, const char *said)
{
    client_start(f, s, 2, 0);
    assert_int_equal(call(f, IDC_CALL_READ), IDC_ERR_AWS);
    assert_int_equal(f->requests, 1);
    assert_int_equal(stats(f).retries, 0);
    assert_int_equal(f->retry_notices, 0);
    assert_false(f->err.retryable);
    assert_non_null(strstr(f->err.msg, said));
    assert_non_null(strstr(f->err.msg, "before trying ListUsers again, longer than the 50 ms"));
    assert_non_null(strstr(f->err.msg, "try again later"));
    fake_reset(f);
}

static void test_client_retry_after_too_long(void **state)
{
    struct fake *f = *state;
    static const struct fake_step header[] = {
        {.status = 503, .body = "{\"__type\":\"ServiceUnavailable\"}", .retry_after = 3600},
        {.status = 200, .body = "{}"}};
    run_asked_too_long(f, header, "asked to wait 60 min");
    static const struct fake_step body[] = {
        {.status = 400, .body = "{\"__type\":\"ThrottlingException\",\"RetryAfterSeconds\":1e300}"},
        {.status = 200, .body = "{}"}};
    run_asked_too_long(f, body, "asked to wait 24 h");
    static const struct fake_step fraction[] = {
        {.status = 400, .body = "{\"__type\":\"ThrottlingException\",\"RetryAfterSeconds\":0.06}"},
        {.status = 200, .body = "{}"}};
    run_asked_too_long(f, fraction, "asked to wait 60 ms");
}

/* ---- credentials from a provider ----------------------------------------------------------- */

struct provider {
    int calls;
    int fail_from;      /* nonzero: the calls from this one on fail */
    int64_t expires_in; /* seconds from now of what it gives; 0: never */
};

static idc_err provide(struct idc_credentials *out, void *ud, struct idc_error *err)
{
    struct provider *p = ud;
    p->calls++;
    if (p->fail_from && p->calls >= p->fail_from) {
        return idc_error_set(err, IDC_ERR_AWS, "InvalidIdentityToken: the token has expired");
    }
    snprintf(out->access_key_id, sizeof out->access_key_id, "ASIAPROVIDED%08d", p->calls);
    snprintf(out->secret_access_key, sizeof out->secret_access_key, "%s", FAKE_SECRET);
    snprintf(out->session_token, sizeof out->session_token, "%s", FAKE_TOKEN);
    out->expiration = p->expires_in ? (int64_t)time(NULL) + p->expires_in : 0;
    return IDC_OK;
}

static void provider_start(struct fake *f, struct provider *p, const struct fake_step *s, size_t n)
{
    f->steps = s;
    f->count = n;
    f->content_type = "application/x-amz-json-1.1";
    struct idc_client_config cfg = fake_client_config(f);
    cfg.service = &idc_service_identitystore;
    cfg.endpoint_url = TEST_ENDPOINT;
    cfg.access_key_id = cfg.secret_access_key = NULL;
    cfg.credentials = provide;
    cfg.credentials_ud = p;
    assert_int_equal(idc_client_new(&f->client, &cfg, &f->err), IDC_OK);
}

/* Keys from a provider: asked once while they last, again as they near their expiration;
 * a failed refresh keeps them until the mandatory window, then fails the call. */
static void test_client_credentials_provider(void **state)
{
    struct fake *f = *state;
    static const struct fake_step ok[] = {{.status = 200, .body = "{}"},
                                          {.status = 200, .body = "{}"},
                                          {.status = 200, .body = "{}"}};
    struct provider lasting = {.expires_in = 3600};
    provider_start(f, &lasting, ok, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(call(f, IDC_CALL_READ), IDC_OK);
    }
    assert_int_equal(lasting.calls, 1);
    assert_non_null(
        strstr(fake_seen_header(&f->seen[2], "Authorization"), "Credential=ASIAPROVIDED00000001/"));
    assert_string_equal(fake_seen_header(&f->seen[0], "X-Amz-Security-Token"), FAKE_TOKEN);

    fake_reset(f);
    struct provider nearing = {.expires_in = 700}; /* inside the 15-minute window */
    provider_start(f, &nearing, ok, 3);
    assert_int_equal(call(f, IDC_CALL_READ), IDC_OK);
    assert_int_equal(call(f, IDC_CALL_READ), IDC_OK);
    assert_int_equal(nearing.calls, 2); /* refreshed before the second call */
    assert_non_null(
        strstr(fake_seen_header(&f->seen[1], "Authorization"), "Credential=ASIAPROVIDED00000002/"));

    fake_reset(f);
    struct provider flaky = {.expires_in = 700, .fail_from = 2};
    provider_start(f, &flaky, ok, 3);
    assert_int_equal(call(f, IDC_CALL_READ), IDC_OK);
    assert_int_equal(call(f, IDC_CALL_READ), IDC_OK); /* 11 min left: the old keys go on */
    assert_non_null(fake_trace_find(f, "refreshing the credentials failed"));

    fake_reset(f);
    struct provider failing = {.expires_in = 300, .fail_from = 2};
    provider_start(f, &failing, ok, 3);
    assert_int_equal(call(f, IDC_CALL_READ), IDC_OK);
    assert_int_equal(call(f, IDC_CALL_READ), IDC_ERR_AWS); /* 5 min left: must refresh */
    assert_non_null(strstr(f->err.msg, "getting credentials: InvalidIdentityToken"));
    assert_false(f->err.retryable);
    assert_int_equal(f->requests, 1);
}

/* ---- transport failures ------------------------------------------------------------------- */

struct transport_case {
    idc_err rc;
    bool sent;
    enum idc_call_kind kind;
    bool retried;
};

static void run_transport_case(struct fake *f, const struct transport_case *tc)
{
    const struct fake_step s[] = {{.rc = tc->rc, .sent = tc->sent}, {.status = 200, .body = "{}"}};
    client_start(f, s, 2, 0);
    idc_err rc = call(f, tc->kind);
    if (tc->retried) {
        assert_int_equal(rc, IDC_OK);
        assert_int_equal(f->requests, 2);
        assert_int_equal(stats(f).retries, 1);
    } else {
        assert_int_equal(rc, tc->rc);
        assert_int_equal(f->err.code, tc->rc);
        assert_false(f->err.retryable);
        assert_non_null(strstr(f->err.msg, idc_err_name(tc->rc)));
        assert_int_equal(f->requests, 1);
        assert_int_equal(stats(f).retries, 0);
    }
}

static void test_client_reset_after_send_read_retried(void **state)
{
    run_transport_case(*state, &(struct transport_case){IDC_ERR_RESET, true, IDC_CALL_READ, true});
}

static void test_client_reset_after_send_idempotent_retried(void **state)
{
    run_transport_case(*state,
                       &(struct transport_case){IDC_ERR_RESET, true, IDC_CALL_IDEMPOTENT, true});
}

static void test_client_reset_after_send_write_not_retried(void **state)
{
    run_transport_case(*state,
                       &(struct transport_case){IDC_ERR_RESET, true, IDC_CALL_WRITE, false});
}

static void test_client_reset_before_send_write_retried(void **state)
{
    run_transport_case(*state,
                       &(struct transport_case){IDC_ERR_RESET, false, IDC_CALL_WRITE, true});
}

static void test_client_tls_verify_never_retried(void **state)
{
    struct fake *f = *state;
    run_transport_case(f,
                       &(struct transport_case){IDC_ERR_TLS_VERIFY, false, IDC_CALL_READ, false});
    assert_null(fake_trace_find(f, "retry"));
}

/* ---- the clock ---------------------------------------------------------------------------- */

static void expired_step(struct fake_step *s, char *date)
{
    idc_time_format_http((int64_t)time(NULL) + 3600, date);
    *s = (struct fake_step){
        .status = 400,
        .body = "{\"__type\":\"InvalidSignatureException\",\"message\":\"Signature expired: "
                "20150830T123600Z is now earlier than 20150830T132100Z (20150830T133600Z - "
                "15 min.)\"}",
        .date = date,
    };
}

static int64_t seen_amz_date(const struct fake *f, size_t i)
{
    const char *v = fake_seen_header(&f->seen[i], "X-Amz-Date");
    assert_non_null(v);
    int64_t t = 0;
    assert_int_equal(idc_time_parse_amz(idc_str_c(v), &t, NULL), IDC_OK);
    return t;
}

static void test_client_signature_expired_corrects_clock(void **state)
{
    struct fake *f = *state;
    char date[IDC_TIME_HTTP_LEN + 1];
    struct fake_step s[2];
    expired_step(&s[0], date);
    s[1] = (struct fake_step){.status = 200, .body = "{}"};
    int64_t server = (int64_t)time(NULL) + 3600;
    client_start(f, s, 2, 1); /* one attempt: the clock retry must not use it up */
    assert_int_equal(call(f, IDC_CALL_READ), IDC_OK);
    assert_int_equal(f->requests, 2);
    int64_t first = seen_amz_date(f, 0), second = seen_amz_date(f, 1);
    assert_true(first <= server - 3590 && first >= server - 3610);
    assert_true(second >= server - 5 && second <= server + 5);
    struct idc_client_stats st = stats(f);
    assert_true(st.clock_offset >= 3595 && st.clock_offset <= 3605);
    assert_int_equal(st.retries, 0);
    assert_non_null(fake_trace_find(f, "signature expired"));
}

static void test_client_signature_expired_retried_once(void **state)
{
    struct fake *f = *state;
    char date1[IDC_TIME_HTTP_LEN + 1], date2[IDC_TIME_HTTP_LEN + 1];
    struct fake_step s[3];
    expired_step(&s[0], date1);
    expired_step(&s[1], date2);
    s[2] = (struct fake_step){.status = 200, .body = "{}"};
    client_start(f, s, 3, 0);
    assert_int_equal(call(f, IDC_CALL_READ), IDC_ERR_AWS);
    assert_string_equal(f->err.aws_code, "InvalidSignatureException");
    assert_non_null(strstr(f->err.msg, "Signature expired"));
    assert_false(f->err.retryable);
    assert_int_equal(f->requests, 2);
}

/* ---- error answers ------------------------------------------------------------------------ */

static void test_client_error_type_forms(void **state)
{
    struct fake *f = *state;
    static const struct fake_step s[] = {
        {.status = 400, .body = "{\"__type\":\"ResourceNotFoundException\",\"message\":\"a\"}"},
        {.status = 400,
         .body = "{\"__type\":\"com.amazonaws.identitystore#ResourceNotFoundException\","
                 "\"message\":\"b\"}"},
        {.status = 400,
         .body = "{\"__type\":\"aws.x#FooError:http://internal\",\"Message\":\"c\"}"},
        {.status = 400,
         .body = "{\"message\":\"d\"}",
         .error_type = "ValidationException:http://internal.amazon.com/coral/"},
    };
    static const char *const want[][2] = {
        {"ResourceNotFoundException", ": a (HTTP 400)"},
        {"ResourceNotFoundException", ": b (HTTP 400)"},
        {"FooError", ": c (HTTP 400)"},
        {"ValidationException", ": d (HTTP 400)"},
    };
    client_start(f, s, 4, 0);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(call(f, IDC_CALL_READ), IDC_ERR_AWS);
        assert_string_equal(f->err.aws_code, want[i][0]);
        assert_non_null(strstr(f->err.msg, want[i][0]));
        assert_non_null(strstr(f->err.msg, want[i][1]));
        assert_null(strstr(f->err.msg, "amazonaws"));
        assert_null(strstr(f->err.msg, "http://"));
        assert_false(f->err.retryable);
    }
    assert_int_equal(f->requests, 4);
}

static void test_client_error_message_keys(void **state)
{
    struct fake *f = *state;
    static const struct fake_step s[] = {
        {.status = 400, .body = "{\"__type\":\"ConflictException\",\"message\":\"lower case\"}"},
        {.status = 400, .body = "{\"__type\":\"ConflictException\",\"Message\":\"upper case\"}"},
    };
    client_start(f, s, 2, 0);
    assert_int_equal(call(f, IDC_CALL_READ), IDC_ERR_AWS);
    assert_non_null(strstr(f->err.msg, "ConflictException: lower case"));
    assert_int_equal(call(f, IDC_CALL_READ), IDC_ERR_AWS);
    assert_non_null(strstr(f->err.msg, "ConflictException: upper case"));
}

static void test_client_proxy_html_page(void **state)
{
    struct fake *f = *state;
    /* A throttle first: nothing of its code may stay behind in the final error. */
    static const struct fake_step s[] = {
        {.status = 400, .body = THROTTLE_BODY, .request_id = "r1"},
        {.status = 502,
         .body = "<html><head><title>502 Bad Gateway</title></head>\r\n<body>nginx</body>"
                 "</html>",
         .content_type = "text/html"},
    };
    client_start(f, s, 2, 2);
    assert_int_equal(call(f, IDC_CALL_READ), IDC_ERR_AWS);
    assert_int_equal(f->err.http_status, 502);
    assert_string_equal(f->err.aws_code, "");
    assert_string_equal(f->err.request_id, "");
    assert_non_null(strstr(f->err.msg, "HTTP 502"));
    assert_non_null(strstr(f->err.msg, "text/html"));
    assert_non_null(strstr(f->err.msg, "<html><head><title>502 Bad Gateway</title></head>"));
    assert_int_equal(f->requests, 2);
}

static void test_client_200_with_error_body(void **state)
{
    struct fake *f = *state;
    static const struct fake_step s[] = {
        {.status = 200, .body = "{\"__type\":\"ThrottlingException\",\"message\":\"x\"}"},
    };
    client_start(f, s, 1, 1);
    assert_int_equal(call(f, IDC_CALL_READ), IDC_ERR_AWS);
    assert_string_equal(f->err.aws_code, "ThrottlingException");
    assert_int_equal(f->err.http_status, 200);
    assert_non_null(strstr(f->err.msg, "ThrottlingException: x"));
}

/* ---- signing ------------------------------------------------------------------------------ */

static void check_signed_headers(const struct fake *f, bool token)
{
    static const char *const base[] = {"Host", "Content-Type", "X-Amz-Target", "X-Amz-Date",
                                       "Authorization"};
    const struct fake_request *r = &f->seen[0];
    assert_int_equal(r->header_count, token ? 6 : 5);
    for (size_t i = 0; i < 5; i++) {
        assert_non_null(fake_seen_header(r, base[i]));
    }
    assert_string_equal(fake_seen_header(r, "Host"), "identitystore.us-east-1.amazonaws.com");
    assert_string_equal(fake_seen_header(r, "Content-Type"), "application/x-amz-json-1.1");
    assert_string_equal(fake_seen_header(r, "X-Amz-Target"), "AWSIdentityStore.ListUsers");
    const char *auth = fake_seen_header(r, "Authorization");
    assert_true(strncmp(auth, "AWS4-HMAC-SHA256 Credential=" FAKE_KEY_ID "/", 49) == 0);
    assert_non_null(strstr(auth, "/us-east-1/identitystore/aws4_request, "));
    assert_non_null(strstr(auth, token ? "SignedHeaders=content-type;host;x-amz-date;"
                                         "x-amz-security-token;x-amz-target, Signature="
                                       : "SignedHeaders=content-type;host;x-amz-date;"
                                         "x-amz-target, Signature="));
    const char *tok = fake_seen_header(r, "X-Amz-Security-Token");
    if (token) {
        assert_non_null(tok);
        assert_string_equal(tok, FAKE_TOKEN);
    } else {
        assert_null(tok);
    }
}

static void test_client_signed_headers(void **state)
{
    struct fake *f = *state;
    static const struct fake_step s[] = {{.status = 200, .body = "{}"}};
    f->no_token = true;
    client_start(f, s, 1, 0);
    assert_int_equal(call(f, IDC_CALL_READ), IDC_OK);
    check_signed_headers(f, false);
}

static void test_client_signed_headers_with_token(void **state)
{
    struct fake *f = *state;
    static const struct fake_step s[] = {{.status = 200, .body = "{}"}};
    client_start(f, s, 1, 0);
    assert_int_equal(call(f, IDC_CALL_READ), IDC_OK);
    check_signed_headers(f, true);
}

static void test_client_operation_name_too_long(void **state)
{
    struct fake *f = *state;
    static const struct fake_step s[] = {{.status = 200, .body = "{}"}};
    client_start(f, s, 1, 0);
    /* "AWSIdentityStore." (17) and 110 bytes fill the 127 X-Amz-Target holds; 111 do not. */
    char name[200];
    memset(name, 'A', sizeof name);
    name[111] = '\0';
    assert_int_equal(idc_client_call(f->client, name, TEST_BODY, strlen(TEST_BODY), IDC_CALL_READ,
                                     &f->resp, &f->err),
                     IDC_ERR_ARG);
    assert_non_null(strstr(f->err.msg, "is 111 bytes long"));
    assert_non_null(strstr(f->err.msg, "X-Amz-Target"));
    assert_non_null(strstr(f->err.msg, "'AAAA"));
    assert_int_equal(f->requests, 0); /* refused before anything was signed or sent */
    name[110] = '\0';
    assert_int_equal(idc_client_call(f->client, name, TEST_BODY, strlen(TEST_BODY), IDC_CALL_READ,
                                     &f->resp, &f->err),
                     IDC_OK);
    const char *target = fake_seen_header(&f->seen[0], "X-Amz-Target");
    assert_non_null(target);
    assert_int_equal(strlen(target), 127);
    assert_int_equal(strncmp(target, "AWSIdentityStore.AAAA", 21), 0);
}

static void test_client_unknown_transport(void **state)
{
    struct fake *f = *state;
    struct idc_client_config cfg = {
        .service = &idc_service_identitystore,
        .endpoint_url = TEST_ENDPOINT,
        .region = "us-east-1",
        .access_key_id = FAKE_KEY_ID,
        .secret_access_key = FAKE_SECRET,
        .transport = "carrier-pigeon",
    };
    assert_int_equal(idc_client_new(&f->client, &cfg, &f->err), IDC_ERR_ARG);
    assert_null(f->client);
    assert_non_null(strstr(f->err.msg, "unknown transport 'carrier-pigeon'"));
    assert_non_null(strstr(f->err.msg, "(this build has native"));
    if (idc_transport_find("curl") != NULL) {
        assert_non_null(strstr(f->err.msg, "native, curl)"));
    }
}

static void test_client_ca_bundle_too_long(void **state)
{
    struct fake *f = *state;
    static char path[1500];
    memset(path, 'c', sizeof path - 1);
    path[0] = '/';
    struct idc_client_config cfg = {
        .service = &idc_service_identitystore,
        .endpoint_url = TEST_ENDPOINT,
        .region = "us-east-1",
        .access_key_id = FAKE_KEY_ID,
        .secret_access_key = FAKE_SECRET,
        .ca_bundle = path,
    };
    /* The transport keeps the path; the message names where it came from. */
    assert_int_equal(idc_client_new(&f->client, &cfg, &f->err), IDC_ERR_SPACE);
    assert_null(f->client);
    assert_non_null(strstr(f->err.msg, "the CA bundle path (ca_bundle)"));
    assert_non_null(strstr(f->err.msg, "1499 bytes"));
}

static void test_client_missing_endpoint(void **state)
{
    struct fake *f = *state;
    struct idc_client_config cfg = {
        .service = &idc_service_iam,
        .endpoint_url = "",
        .region = "us-east-1",
        .access_key_id = FAKE_KEY_ID,
        .secret_access_key = FAKE_SECRET,
        .transport_ops = &fake_ops,
    };
    assert_int_equal(idc_client_new(&f->client, &cfg, &f->err), IDC_ERR_ARG);
    assert_non_null(strstr(f->err.msg, "needs an endpoint URL"));
    cfg.endpoint_url = "iam.amazonaws.com";
    assert_int_equal(idc_client_new(&f->client, &cfg, &f->err), IDC_ERR_ARG);
    assert_non_null(strstr(f->err.msg, "endpoint URL 'iam.amazonaws.com'"));
}

/* ---- ListUsers paging ------------------------------------------------------------------- */

#define USER_1                                                                                     \
    "{\"UserId\":\"u-1\",\"UserName\":\"alice\",\"DisplayName\":\"Alice\",\"UserStatus\":"         \
    "\"ENABLED\",\"Emails\":[{\"Value\":\"alice@old.example.com\",\"Primary\":false},{\"Value\":"  \
    "\"alice@example.com\",\"Primary\":true}]}"
#define USER_2                                                                                     \
    "{\"UserId\":\"u-2\",\"UserName\":\"bob\",\"UserStatus\":\"DISABLED\",\"ExternalIds\":[{"      \
    "\"Issuer\":\"https://scim.example.com\",\"Id\":\"ext-2\"}],\"Emails\":[{\"Value\":"           \
    "\"bob@example.com\"}]}"
#define USER_3 "{\"UserId\":\"u-3\",\"UserName\":\"carol \\\"]}\\\"\",\"Emails\":[]}"
#define USER_4 "{ \"UserId\" : \"u-4\", \"Name\" : {\"GivenName\":\"D[{\"}, \"ExternalIds\" : [] }"
#define USER_5 "{\"UserId\":\"u-5\",\"UserStatus\":\"ENABLED\",\"CreatedAt\":1700000000.5}"

struct expected_user {
    const char *json;
    const char *id;
    const char *status;
    const char *email;
    bool external;
};

static const struct expected_user expected_users[] = {
    {USER_1, "u-1", "ENABLED", "alice@example.com", false},
    {USER_2, "u-2", "DISABLED", "bob@example.com", true},
    {USER_3, "u-3", NULL, NULL, false},
    {USER_4, "u-4", NULL, NULL, false},
    {USER_5, "u-5", "ENABLED", NULL, false},
};

#define MAX_LISTED 16

/* What the callbacks saw. */
struct listing {
    size_t users;
    size_t stop_at; /* nonzero: the user callback returns 1 for user number stop_at */
    char *json[MAX_LISTED];
    char id[MAX_LISTED][16];
    char status[MAX_LISTED][16];
    char email[MAX_LISTED][64];
    bool external[MAX_LISTED];
    unsigned pages;
    unsigned page_no[8];
    size_t page_users[8];
    char last_id[16];
};

static void copy_or_empty(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "(null)");
}

static int on_user(const struct idc_ids_user *u, void *ud)
{
    struct listing *l = ud;
    size_t i = l->users++;
    snprintf(l->last_id, sizeof l->last_id, "%s", u->user_id);
    if (i < MAX_LISTED) {
        l->json[i] = malloc(u->json.len + 1);
        assert_non_null(l->json[i]);
        memcpy(l->json[i], u->json.p, u->json.len);
        l->json[i][u->json.len] = '\0';
        copy_or_empty(l->id[i], sizeof l->id[i], u->user_id);
        copy_or_empty(l->status[i], sizeof l->status[i], u->status);
        copy_or_empty(l->email[i], sizeof l->email[i], u->email);
        l->external[i] = u->external;
    }
    return l->stop_at != 0 && l->users == l->stop_at;
}

static int on_page(unsigned page, size_t users, void *ud)
{
    struct listing *l = ud;
    if (l->pages < 8) {
        l->page_no[l->pages] = page;
        l->page_users[l->pages] = users;
    }
    l->pages++;
    return 0;
}

static void listing_free(struct listing *l)
{
    for (size_t i = 0; i < MAX_LISTED; i++) {
        free(l->json[i]);
    }
}

/* A token seen before ends the listing, A-A and A-B-A alike; a null token ends it cleanly. */
static void test_client_list_users_token_cycle(void **state)
{
    struct fake *f = *state;
    static const struct fake_step cycle[] = {
        {.status = 200, .body = "{\"Users\":[" USER_1 "],\"NextToken\":\"A\"}"},
        {.status = 200, .body = "{\"Users\":[],\"NextToken\":\"B\"}"},
        {.status = 200, .body = "{\"Users\":[" USER_2 "],\"NextToken\":\"A\"}"},
        {.status = 200, .body = "{\"Users\":[]}"},
    };
    client_start(f, cycle, 4, 0);
    struct listing l = {0};
    assert_int_equal(idc_ids_list_users(f->client, TEST_STORE, on_user, on_page, &l, &f->err),
                     IDC_ERR_PARSE);
    assert_int_equal(f->requests, 3);
    assert_non_null(strstr(f->err.msg, "ListUsers page 3 (request id none): the server sent a "
                                       "NextToken it had sent on an earlier page of this listing"));
    fake_reset(f);
    static const struct fake_step same[] = {
        {.status = 200, .body = "{\"Users\":[],\"NextToken\":\"A\"}"},
        {.status = 200, .body = "{\"Users\":[],\"NextToken\":\"A\"}"},
    };
    client_start(f, same, 2, 0);
    assert_int_equal(idc_ids_list_users(f->client, TEST_STORE, on_user, NULL, &l, &f->err),
                     IDC_ERR_PARSE);
    assert_int_equal(f->requests, 2);
    fake_reset(f);
    static const struct fake_step nulls[] = {
        {.status = 200, .body = "{\"Users\":[" USER_1 "],\"NextToken\":\"A\"}"},
        {.status = 200, .body = "{\"Users\":null,\"NextToken\":null}"},
    };
    client_start(f, nulls, 2, 0);
    assert_int_equal(idc_ids_list_users(f->client, TEST_STORE, on_user, NULL, &l, &f->err), IDC_OK);
    assert_int_equal(f->requests, 2);
    assert_int_equal(l.users, 3);
    listing_free(&l);
}

static void test_client_list_users_pages(void **state)
{
    struct fake *f = *state;
    static const struct fake_step s[] = {
        {.status = 200, .body = "{\"Users\":[" USER_1 "," USER_2 "],\"NextToken\":\"tok-1/+=\"}"},
        {.status = 200,
         .body = "{\n  \"NextToken\" : \"tok-2\\u0041\\/\",\n  \"Users\" : [ " USER_3 " ,\n "
                 "  " USER_4 "\n  ]\n}\n"},
        {.status = 200, .body = "{\"Users\":[" USER_5 "]}"},
        {.status = 200, .body = "{\"Users\":[]}"},
    };
    client_start(f, s, 4, 0);
    struct listing l = {0};
    assert_int_equal(idc_ids_list_users(f->client, TEST_STORE, on_user, on_page, &l, &f->err),
                     IDC_OK);
    assert_int_equal(f->requests, 3);
    assert_string_equal(f->seen[0].body,
                        "{\"IdentityStoreId\":\"d-1234567890\",\"MaxResults\":100}");
    assert_string_equal(f->seen[1].body, "{\"IdentityStoreId\":\"d-1234567890\",\"MaxResults\":100,"
                                         "\"NextToken\":\"tok-1/+=\"}");
    assert_string_equal(f->seen[2].body, "{\"IdentityStoreId\":\"d-1234567890\",\"MaxResults\":100,"
                                         "\"NextToken\":\"tok-2A/\"}");
    assert_string_equal(fake_seen_header(&f->seen[2], "X-Amz-Target"),
                        "AWSIdentityStore.ListUsers");
    assert_int_equal(l.users, 5);
    for (size_t i = 0; i < 5; i++) {
        const struct expected_user *e = &expected_users[i];
        assert_string_equal(l.json[i], e->json);
        assert_string_equal(l.id[i], e->id);
        assert_string_equal(l.status[i], e->status ? e->status : "(null)");
        assert_string_equal(l.email[i], e->email ? e->email : "(null)");
        assert_int_equal(l.external[i], e->external);
    }
    assert_int_equal(l.pages, 3);
    assert_int_equal(l.page_no[0], 1);
    assert_int_equal(l.page_users[0], 2);
    assert_int_equal(l.page_no[1], 2);
    assert_int_equal(l.page_users[1], 2);
    assert_int_equal(l.page_no[2], 3);
    assert_int_equal(l.page_users[2], 1);
    listing_free(&l);
}

static void test_client_list_users_callback_stops(void **state)
{
    struct fake *f = *state;
    static const struct fake_step s[] = {
        {.status = 200, .body = "{\"Users\":[" USER_1 "," USER_2 "],\"NextToken\":\"tok-1\"}"},
        {.status = 200, .body = "{\"Users\":[" USER_5 "]}"},
    };
    for (size_t stop_at = 1; stop_at <= 2; stop_at++) {
        /* Stopping at the page's last user must not fetch the next page either. */
        idc_client_free(f->client);
        memset(f->seen, 0, sizeof f->seen[0]);
        f->requests = f->next = 0;
        client_start(f, s, 2, 0);
        struct listing l = {.stop_at = stop_at};
        assert_int_equal(idc_ids_list_users(f->client, TEST_STORE, on_user, on_page, &l, &f->err),
                         IDC_OK);
        assert_int_equal(l.users, stop_at);
        assert_string_equal(l.last_id, stop_at == 1 ? "u-1" : "u-2");
        assert_int_equal(f->requests, 1);
        free(f->seen[0].body);
        f->seen[0].body = NULL;
        listing_free(&l);
    }
}

static void test_client_list_users_huge_page(void **state)
{
    struct fake *f = *state;
    enum { USERS = 10000 };
    size_t cap = (size_t)USERS * 128 + 64, n = 0;
    char *body = malloc(cap);
    assert_non_null(body);
    n += (size_t)snprintf(body + n, cap - n, "{\"Users\":[");
    for (int i = 0; i < USERS; i++) {
        n += (size_t)snprintf(body + n, cap - n,
                              "%s{\"UserId\":\"u-%05d\",\"UserName\":\"user%05d\",\"Emails\":[{"
                              "\"Value\":\"user%05d@example.com\",\"Primary\":true}]}",
                              i ? "," : "", i, i, i);
    }
    n += (size_t)snprintf(body + n, cap - n, "]}");
    const struct fake_step s[] = {{.status = 200, .body = body, .body_len = n}};
    client_start(f, s, 1, 0);
    struct listing l = {0};
    idc_err rc = idc_ids_list_users(f->client, TEST_STORE, on_user, on_page, &l, &f->err);
    free(body);
    assert_int_equal(rc, IDC_OK);
    assert_int_equal(l.users, USERS);
    assert_string_equal(l.last_id, "u-09999");
    assert_string_equal(l.email[3], "user00003@example.com");
    assert_int_equal(l.pages, 1);
    assert_int_equal(l.page_users[0], USERS);
    assert_int_equal(f->requests, 1);
    listing_free(&l);
}

static void test_client_list_users_malformed_pages(void **state)
{
    struct fake *f = *state;
    static const struct {
        const char *body;
        const char *fragment;
    } pages[] = {
        {"{\"Users\":[{\"UserId\":\"u-1\"},{\"UserId\":\"u-2\"", "byte"},
        {"{\"Users\":{\"UserId\":\"u-1\"}}", "byte"},
        {"{\"Users\":[{\"UserName\":\"no-id\"}]}", "no UserId"},
        {"{\"Users\":[],\"NextToken\":5}", "NextToken is not a string"},
        {"{\"NextToken\":\"t\"}", "no Users member"},
        {"<html>oops</html>", "byte"},
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        idc_client_free(f->client);
        f->client = NULL;
        struct fake_step s[] = {{.status = 200, .body = pages[i].body}};
        f->next = 0;
        client_start(f, s, 1, 0);
        struct listing l = {0};
        idc_err rc = idc_ids_list_users(f->client, TEST_STORE, on_user, on_page, &l, &f->err);
        listing_free(&l);
        if (rc != IDC_ERR_PARSE || strstr(f->err.msg, pages[i].fragment) == NULL) {
            fail_msg("page %zu: %s: %s", i, idc_err_name(rc), f->err.msg);
        }
        assert_int_equal(l.pages, 0);
    }
}

static void test_client_list_users_offset_in_page(void **state)
{
    struct fake *f = *state;
    /* The second user starts at byte 27 with no comma before it: the message gives that byte. */
    static const struct fake_step s[] = {
        {.status = 200, .body = "{\"Users\":[{\"UserId\":\"u-1\"} {\"UserId\":\"u-2\"}]}"},
    };
    client_start(f, s, 1, 0);
    struct listing l = {0};
    assert_int_equal(idc_ids_list_users(f->client, TEST_STORE, on_user, on_page, &l, &f->err),
                     IDC_ERR_PARSE);
    listing_free(&l);
    assert_non_null(strstr(f->err.msg, "near byte 27"));
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_client_200_passes, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_throttle_then_ok, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_internal_error_twice_then_ok, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_gives_up_after_max_attempts, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_access_denied_not_retried, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_retry_after_seconds_in_body, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_retry_after_header, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_retry_after_too_long, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_credentials_provider, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_reset_after_send_read_retried, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_reset_after_send_idempotent_retried, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_reset_after_send_write_not_retried, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_reset_before_send_write_retried, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_tls_verify_never_retried, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_signature_expired_corrects_clock, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_signature_expired_retried_once, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_error_type_forms, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_error_message_keys, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_proxy_html_page, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_200_with_error_body, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_signed_headers, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_signed_headers_with_token, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_operation_name_too_long, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_unknown_transport, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_ca_bundle_too_long, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_missing_endpoint, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_list_users_pages, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_list_users_token_cycle, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_list_users_callback_stops, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_list_users_huge_page, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_list_users_malformed_pages, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_client_list_users_offset_in_page, fake_setup,
                                    fake_teardown),
};

UNIT_MAIN(tests)
