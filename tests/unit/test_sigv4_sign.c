/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sigv4_sign.c - idc_sigv4_sign against known-good values from the official AWS suite
 * (shared/sigv4-suite/aws-c-auth/v4) and spec/sigv4/vectors, every config option, every
 * error path (code plus message fragment, and never the secret anywhere), work-buffer
 * sizing, the signing-key cache and idc_sigv4_canonical_query.
 */
#include "unit.h"

#include "idc/sigv4.h"

#define AKID        "AKIDEXAMPLE"
#define SECRET      "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define AKID2       "AKIAIOSFODNN7EXAMPLE"
#define SECRET2     "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define T0          1440938160 /* 2015-08-30T12:36:00Z, the suite's time */
#define EMPTY_HASH  IDC_SIGV4_EMPTY_SHA256
#define SUITE_TOKEN "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267"
#define SLASH_TOKEN "AQoDYXdzEPT//////////wEXAMPLEtoken+with/slash+and+plus=="
#define SCOPE       "20150830/us-east-1/service/aws4_request"
#define CRED_Q      "AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request"

static const char get_vanilla[] = "GET / HTTP/1.1\nHost:example.amazonaws.com\n";
static const char post_form[] = "POST / HTTP/1.1\n"
                                "Content-Type:application/x-www-form-urlencoded\n"
                                "Host:example.amazonaws.com\n"
                                "Content-Length:13\n"
                                "\n"
                                "Param1=value1";

/* get-vanilla, header placement (aws-c-auth/v4/get-vanilla/header-canonical-request.txt) */
static const char vanilla_creq[] = "GET\n/\n\nhost:example.amazonaws.com\n"
                                   "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" EMPTY_HASH;
#define VANILLA_SIG "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"

/* One signing run: the parsed request, config, credentials, work buffer and result. */
struct run {
    struct idc_sigv4_parsed parsed;
    struct idc_sigv4_config cfg;
    struct idc_sigv4_credentials creds;
    char mem[IDC_SIGV4_WORK_SIZE];
    struct idc_buf work;
    struct idc_sigv4_result res;
    struct idc_error err;
};

static void check_view(struct idc_str got, const char *want)
{
    if (!idc_str_eq(got, idc_str_c(want))) {
        print_error("got  '%.*s' (%zu bytes)\nwant '%s' (%zu bytes)\n", (int)got.len, got.p,
                    got.len, want, strlen(want));
        fail();
    }
}

static bool view_has(struct idc_str s, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= s.len && i <= s.len - n; i++) {
        if (memcmp(s.p + i, needle, n) == 0) {
            return true;
        }
    }
    return false;
}

/* A request parsed from suite-style text, signed with the suite's context by default. */
static struct run *run_new(const char *text)
{
    struct run *r = test_calloc(1, sizeof *r);
    assert_non_null(r);
    struct idc_error err = {0};
    if (idc_sigv4_request_parse(idc_str_c(text), &r->parsed, &err) != IDC_OK) {
        print_error("request text: %s\n", err.msg);
        fail();
    }
    r->cfg.region = IDC_STR("us-east-1");
    r->cfg.service = IDC_STR("service");
    r->cfg.time = T0;
    r->cfg.flags = IDC_SIGV4_FLAGS_DEFAULT;
    r->cfg.placement = IDC_SIGV4_IN_HEADERS;
    r->cfg.expires = 3600;
    r->creds.access_key_id = IDC_STR(AKID);
    r->creds.secret_access_key = IDC_STR(SECRET);
    r->creds.session_token = IDC_STR(""); /* test_sigv4_sign_zeroed_views covers {NULL, 0} */
    return r;
}

/* Every text the signer produced: no secret (nor a piece of one) may be in any of them. */
static void check_no_secret_in(struct idc_str s, struct idc_str secret)
{
    static const char *const known[] = {SECRET, SECRET2, "K7MDENG", "bPxRfiCY"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (view_has(s, known[i])) {
            print_error("secret text '%s' leaked into '%.*s'\n", known[i], (int)s.len, s.p);
            fail();
        }
    }
    if (secret.len >= 8) {
        char piece[9];
        memcpy(piece, secret.p, 8);
        piece[8] = '\0';
        assert_false(view_has(s, piece));
    }
}

static void check_no_secret(const struct run *r)
{
    struct idc_str secret = r->creds.secret_access_key;
    const struct idc_sigv4_result *o = &r->res;
    const struct idc_str views[] = {o->canonical_request, o->string_to_sign, o->scope,
                                    o->signed_headers,    o->payload_hash,   o->amz_date,
                                    o->signature,         o->authorization,  o->query};
    check_no_secret_in(idc_str_c(r->err.msg), secret);
    for (size_t i = 0; i < sizeof views / sizeof views[0]; i++) {
        check_no_secret_in(views[i], secret);
    }
    for (size_t i = 0; i < o->add_count && i < 4; i++) {
        check_no_secret_in(o->add[i].name, secret);
        check_no_secret_in(o->add[i].value, secret);
    }
    check_no_secret_in(idc_str_make(r->mem, sizeof r->mem), secret); /* all of it, used or not */
}

/* Signs into a fresh work buffer; checks the secret stayed out of everything. */
static idc_err run_sign(struct run *r)
{
    memset(r->mem, 0, sizeof r->mem);
    memset(&r->err, 0, sizeof r->err);
    r->work = IDC_BUF(r->mem);
    idc_err rc = idc_sigv4_sign(&r->cfg, &r->creds, &r->parsed.req, &r->work, &r->res, &r->err);
    check_no_secret(r);
    if (rc == IDC_OK) {
        assert_int_equal(r->res.signature.len, IDC_SIGV4_SIG_HEX_LEN);
        assert_true(r->work.len > 0);
    } else {
        assert_int_equal(r->work.len, 0);
        assert_int_equal(r->err.code, rc);
    }
    return rc;
}

static void sign_ok(struct run *r)
{
    if (run_sign(r) != IDC_OK) {
        print_error("sign failed: %s: %s\n", idc_err_name(r->err.code), r->err.msg);
        fail();
    }
}

/* Signs expecting `code` and a message containing `fragment`. */
static void sign_fails(struct run *r, idc_err code, const char *fragment)
{
    idc_err rc = run_sign(r);
    if (rc != code || strstr(r->err.msg, fragment) == NULL) {
        print_error("rc %s, message '%s'; wanted %s with '%s'\n", idc_err_name(rc), r->err.msg,
                    idc_err_name(code), fragment);
        fail();
    }
}

/* Line `n` (from 0) of a canonical request. */
static struct idc_str line_of(struct idc_str s, size_t n)
{
    size_t i = 0;
    for (; n > 0 && i < s.len; i++) {
        if (s.p[i] == '\n') {
            n--;
        }
    }
    size_t j = i;
    while (j < s.len && s.p[j] != '\n') {
        j++;
    }
    return idc_str_make(s.p + i, j - i);
}

/* The value of the header named `name` among those to add; fails when absent. */
static struct idc_str added(const struct idc_sigv4_result *res, const char *name)
{
    for (size_t i = 0; i < res->add_count; i++) {
        if (idc_str_eq(res->add[i].name, idc_str_c(name))) {
            return res->add[i].value;
        }
    }
    print_error("no header '%s' to add\n", name);
    fail();
    return IDC_STR("");
}

static bool is_added(const struct idc_sigv4_result *res, const char *name)
{
    for (size_t i = 0; i < res->add_count; i++) {
        if (idc_str_eq_nocase(res->add[i].name, idc_str_c(name))) {
            return true;
        }
    }
    return false;
}

static void copy_sig(const struct run *r, char out[IDC_SIGV4_SIG_HEX_LEN + 1])
{
    assert_int_equal(r->res.signature.len, IDC_SIGV4_SIG_HEX_LEN);
    memcpy(out, r->res.signature.p, IDC_SIGV4_SIG_HEX_LEN);
    out[IDC_SIGV4_SIG_HEX_LEN] = '\0';
}

/* ---- known answers ------------------------------------------------------------------ */

static void test_sigv4_sign_get_vanilla_header(void **state)
{
    (void)state;
    struct run *r = run_new(get_vanilla);
    sign_ok(r);
    check_view(r->res.canonical_request, vanilla_creq);
    check_view(r->res.string_to_sign,
               "AWS4-HMAC-SHA256\n20150830T123600Z\n" SCOPE "\n"
               "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
    check_view(r->res.signature, VANILLA_SIG);
    check_view(r->res.scope, SCOPE);
    check_view(r->res.signed_headers, "host;x-amz-date");
    check_view(r->res.payload_hash, EMPTY_HASH);
    check_view(r->res.amz_date, "20150830T123600Z");
    check_view(r->res.authorization, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" SCOPE
                                     ", SignedHeaders=host;x-amz-date, Signature=" VANILLA_SIG);
    assert_int_equal(r->res.query.len, 0);
    assert_int_equal(r->res.add_count, 2);
    check_view(added(&r->res, "X-Amz-Date"), "20150830T123600Z");
    check_view(added(&r->res, "Authorization"),
               "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" SCOPE
               ", SignedHeaders=host;x-amz-date, Signature=" VANILLA_SIG);
    /* Every view points into the work buffer's used part. */
    assert_true(r->res.signature.p >= r->mem && r->res.signature.p + 64 <= r->mem + r->work.len);
    test_free(r);
}

static void test_sigv4_sign_get_vanilla_query(void **state)
{
    (void)state;
    struct run *r = run_new(get_vanilla);
    r->cfg.placement = IDC_SIGV4_IN_QUERY;
    sign_ok(r);
    check_view(r->res.canonical_request,
               "GET\n/\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" CRED_Q
               "&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host\n"
               "host:example.amazonaws.com\n\nhost\n" EMPTY_HASH);
    check_view(r->res.signature,
               "e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d");
    check_view(r->res.query,
               "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" CRED_Q
               "&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600"
               "&X-Amz-Signature=e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d");
    check_view(r->res.signed_headers, "host");
    assert_int_equal(r->res.add_count, 0); /* nothing to add: all of it is in the query */
    assert_int_equal(r->res.authorization.len, 0);
    test_free(r);
}

static void test_sigv4_sign_query_expires_value(void **state)
{
    (void)state;
    struct run *r = run_new(get_vanilla);
    r->cfg.placement = IDC_SIGV4_IN_QUERY;
    r->cfg.expires = 86400;
    sign_ok(r);
    assert_true(view_has(line_of(r->res.canonical_request, 2), "&X-Amz-Expires=86400&"));
    assert_true(view_has(r->res.query, "&X-Amz-Expires=86400&"));
    assert_false(view_has(r->res.signature, "e93c787ed7f371d5c6b165c1b38ede95"));
    r->cfg.expires = IDC_SIGV4_MAX_EXPIRES;
    sign_ok(r);
    assert_true(view_has(r->res.query, "&X-Amz-Expires=604800&"));
    r->cfg.expires = 1;
    sign_ok(r);
    assert_true(view_has(r->res.query, "&X-Amz-Expires=1&"));
    test_free(r);
}

static void test_sigv4_sign_session_token_header(void **state)
{
    (void)state;
    struct run *r = run_new(get_vanilla);
    r->creds.session_token = IDC_STR(SUITE_TOKEN);
    sign_ok(r);
    check_view(r->res.canonical_request,
               "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n"
               "x-amz-security-token:" SUITE_TOKEN
               "\n\nhost;x-amz-date;x-amz-security-token\n" EMPTY_HASH);
    check_view(r->res.signature,
               "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8");
    assert_int_equal(r->res.add_count, 3);
    check_view(added(&r->res, "X-Amz-Date"), "20150830T123600Z");
    check_view(added(&r->res, "X-Amz-Security-Token"), SUITE_TOKEN);
    check_view(added(&r->res, "Authorization"),
               "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" SCOPE
               ", SignedHeaders=host;x-amz-date;x-amz-security-token, "
               "Signature=07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8");
    test_free(r);
}

static void test_sigv4_sign_session_token_query(void **state)
{
    (void)state;
    struct run *r = run_new(get_vanilla);
    r->creds.session_token = IDC_STR(SUITE_TOKEN);
    r->cfg.placement = IDC_SIGV4_IN_QUERY;
    sign_ok(r);
    check_view(line_of(r->res.canonical_request, 2),
               "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" CRED_Q
               "&X-Amz-Date=20150830T123600Z&X-Amz-Expires=3600&X-Amz-Security-Token=" SUITE_TOKEN
               "&X-Amz-SignedHeaders=host");
    check_view(r->res.signature,
               "7ff2b50b376cb4d151970630573d6291dc128cc5c2a12ffb237f73cc53f67b6c");
    assert_true(view_has(r->res.query, "&X-Amz-Security-Token=" SUITE_TOKEN "&"));
    assert_int_equal(r->res.add_count, 0);
    test_free(r);
}

static void test_sigv4_sign_session_token_omitted_header(void **state)
{
    (void)state;
    /* spec/sigv4/vectors/session-token-omitted: the signature is get-vanilla's. */
    struct run *r = run_new(get_vanilla);
    r->creds.session_token = IDC_STR(SLASH_TOKEN);
    r->cfg.flags |= IDC_SIGV4_OMIT_SESSION_TOKEN;
    sign_ok(r);
    check_view(r->res.canonical_request, vanilla_creq);
    check_view(r->res.signature, VANILLA_SIG);
    assert_false(view_has(r->res.canonical_request, "security-token"));
    assert_int_equal(r->res.add_count, 3);
    check_view(added(&r->res, "X-Amz-Security-Token"), SLASH_TOKEN); /* sent, unsigned */
    check_view(added(&r->res, "X-Amz-Date"), "20150830T123600Z");
    assert_true(view_has(added(&r->res, "Authorization"), "SignedHeaders=host;x-amz-date, "));
    test_free(r);
}

static void test_sigv4_sign_session_token_omitted_query(void **state)
{
    (void)state;
    struct run *r = run_new(get_vanilla);
    r->creds.session_token = IDC_STR(SLASH_TOKEN);
    r->cfg.flags |= IDC_SIGV4_OMIT_SESSION_TOKEN;
    r->cfg.placement = IDC_SIGV4_IN_QUERY;
    sign_ok(r);
    check_view(r->res.signature,
               "e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d");
    assert_false(view_has(r->res.canonical_request, "Security-Token"));
    check_view(r->res.query,
               "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" CRED_Q
               "&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=3600"
               "&X-Amz-Security-Token=AQoDYXdzEPT%2F%2F%2F%2F%2F%2F%2F%2F%2F%2FwEXAMPLEtoken%2Bwith"
               "%2Fslash%2Band%2Bplus%3D%3D"
               "&X-Amz-Signature=e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d");
    test_free(r);
}

static void test_sigv4_sign_content_sha256_header(void **state)
{
    (void)state;
    /* aws-c-auth/v4/post-x-www-form-urlencoded (sign_body: true) */
    struct run *r = run_new(post_form);
    r->cfg.flags |= IDC_SIGV4_CONTENT_SHA256;
    sign_ok(r);
    check_view(r->res.canonical_request,
               "POST\n/\n\ncontent-length:13\ncontent-type:application/x-www-form-urlencoded\n"
               "host:example.amazonaws.com\nx-amz-content-sha256:"
               "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\n"
               "x-amz-date:20150830T123600Z\n\n"
               "content-length;content-type;host;x-amz-content-sha256;x-amz-date\n"
               "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
    check_view(r->res.signature,
               "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b");
    assert_int_equal(r->res.add_count, 3);
    check_view(added(&r->res, "x-amz-content-sha256"),
               "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
    check_view(added(&r->res, "X-Amz-Date"), "20150830T123600Z");
    check_view(added(&r->res, "Authorization"),
               "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" SCOPE
               ", SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date, "
               "Signature=d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b");
    test_free(r);
}

static void test_sigv4_sign_content_sha256_query(void **state)
{
    (void)state;
    /* Query placement hashes the body but adds no header. */
    struct run *r = run_new(post_form);
    r->cfg.flags |= IDC_SIGV4_CONTENT_SHA256;
    r->cfg.placement = IDC_SIGV4_IN_QUERY;
    sign_ok(r);
    check_view(r->res.signature,
               "89a40deed0f26f9461242825a082d2222717248abc7ab41f552ad84a94ad46e9");
    assert_true(
        view_has(r->res.query, "&X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost&"));
    assert_false(view_has(r->res.canonical_request, "x-amz-content-sha256"));
    assert_int_equal(r->res.add_count, 0);
    test_free(r);
}

static void test_sigv4_sign_body_hash_without_header(void **state)
{
    (void)state;
    /* spec/sigv4/vectors/body-post-json-no-header: body hashed, no x-amz-content-sha256 */
    struct run *r = run_new("POST / HTTP/1.1\nHost:example.amazonaws.com\n"
                            "Content-Type:application/json\nContent-Length:23\n\n"
                            "{\"hello\":\"world\",\"n\":1}");
    sign_ok(r);
    check_view(r->res.payload_hash,
               "32b769982a3a6e2df120530b06dcbaf1e8f75e004ceea92ac3e91bd7a248d728");
    check_view(r->res.signature,
               "b834a40cd5c866833de8df4d3024cdc115dfc4b68d5e3f11bfa98fb37f73781d");
    assert_false(is_added(&r->res, "x-amz-content-sha256"));
    assert_int_equal(r->res.add_count, 2);
    /* spec/sigv4/vectors/body-post-json: the same with the header */
    r->cfg.flags |= IDC_SIGV4_CONTENT_SHA256;
    sign_ok(r);
    check_view(r->res.signature,
               "813d788ac5dc19f0ee7475ce3408e60509e5254316bc2ad2bce2f038210a9922");
    test_free(r);
}

static void test_sigv4_sign_unsigned_payload(void **state)
{
    (void)state;
    /* aws-c-auth-removed-upstream/v4/post-unsigned-payload (its header-* files) */
    struct run *r = run_new("POST / HTTP/1.1\nHost:example.amazonaws.com\nContent-Length:13\n\n"
                            "Param1=value1\n");
    r->cfg.signed_body = IDC_STR(IDC_SIGV4_UNSIGNED_PAYLOAD);
    r->cfg.flags |= IDC_SIGV4_CONTENT_SHA256;
    sign_ok(r);
    check_view(r->res.canonical_request,
               "POST\n/\n\ncontent-length:13\nhost:example.amazonaws.com\n"
               "x-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:20150830T123600Z\n\n"
               "content-length;host;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD");
    check_view(r->res.signature,
               "9fb60e8938d2178a7d63b49e055d1e65d8f6226f38846e8e0293bf43ce29050c");
    check_view(added(&r->res, "x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
    /* Without the flag the value is still the payload hash, but no header is added. */
    r->cfg.flags &= ~(unsigned)IDC_SIGV4_CONTENT_SHA256;
    sign_ok(r);
    check_view(line_of(r->res.canonical_request, 8), "UNSIGNED-PAYLOAD");
    check_view(r->res.payload_hash, "UNSIGNED-PAYLOAD");
    assert_false(is_added(&r->res, "x-amz-content-sha256"));
    assert_false(view_has(r->res.canonical_request, "x-amz-content-sha256"));
    test_free(r);
}

static void test_sigv4_sign_double_encode_on(void **state)
{
    (void)state;
    /* spec/sigv4/vectors/path-pre-encoded */
    struct run *r = run_new("GET /arn%3Aaws%3Afoo/%20x HTTP/1.1\nHost:example.amazonaws.com\n");
    sign_ok(r);
    check_view(line_of(r->res.canonical_request, 1), "/arn%253Aaws%253Afoo/%2520x");
    check_view(r->res.signature,
               "37f8b99beccb30769eb4d057700e97c5551282c4f2bea9a907f1798047ed2684");
    test_free(r);
}

static void test_sigv4_sign_double_encode_off(void **state)
{
    (void)state;
    /* spec/sigv4/vectors/path-s3-single-encode: S3 rules, body hash header added */
    struct run *r = run_new("GET /example-bucket//photos/./2015%2008/a%2Bb%3Dc.jpg HTTP/1.1\n"
                            "Host:example.amazonaws.com\n");
    r->cfg.flags = IDC_SIGV4_FLAGS_S3;
    sign_ok(r);
    check_view(line_of(r->res.canonical_request, 1),
               "/example-bucket//photos/./2015%2008/a%2Bb%3Dc.jpg");
    check_view(r->res.signature,
               "bd02bbb9098c45b0451ddc89ea81edf1e725f4dcd6c9b058d40c38960623cf3a");
    check_view(added(&r->res, "x-amz-content-sha256"), EMPTY_HASH);
    test_free(r);

    r = run_new("GET /arn%3Aaws%3Afoo/%20x HTTP/1.1\nHost:example.amazonaws.com\n");
    r->cfg.flags = IDC_SIGV4_NORMALIZE_PATH;
    sign_ok(r);
    check_view(line_of(r->res.canonical_request, 1), "/arn%3Aaws%3Afoo/%20x");
    test_free(r);
}

static void test_sigv4_sign_normalize_path_on(void **state)
{
    (void)state;
    /* spec/sigv4/vectors/path-dot-segments */
    struct run *r = run_new("GET //a/./b/../c/ HTTP/1.1\nHost:example.amazonaws.com\n");
    sign_ok(r);
    check_view(line_of(r->res.canonical_request, 1), "/a/c/");
    check_view(r->res.signature,
               "03815191a982245f233767bed9d5022ca4cf6dc96e4c7598525bfdbc1932b50c");
    test_free(r);

    static const struct {
        const char *path, *want;
    } cases[] = {
        {"//a/./b/../c", "/a/c"}, {"/./", "/"},   {"//", "/"},           {"/a/b/../..", "/"},
        {"/../a", "/a"},          {"/a/..", "/"}, {"/a//b///", "/a/b/"}, {"/a/b/c/../../d", "/a/d"},
    };
    r = run_new(get_vanilla);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        r->parsed.req.path = idc_str_c(cases[i].path);
        sign_ok(r);
        check_view(line_of(r->res.canonical_request, 1), cases[i].want);
    }
    test_free(r);
}

static void test_sigv4_sign_normalize_path_off(void **state)
{
    (void)state;
    /* aws-c-auth/v4/get-slashes-unnormalized and get-relative-relative-unnormalized */
    struct run *r = run_new("GET //example// HTTP/1.1\nHost:example.amazonaws.com\n");
    r->cfg.flags = IDC_SIGV4_DOUBLE_ENCODE;
    sign_ok(r);
    check_view(line_of(r->res.canonical_request, 1), "//example//");
    check_view(r->res.signature,
               "87cca117541a147f6df867677d98a7d80dff226d2bfca9e4ffa899665623c7e5");
    test_free(r);

    r = run_new("GET /example1/example2/../.. HTTP/1.1\nHost:example.amazonaws.com\n");
    r->cfg.flags = IDC_SIGV4_DOUBLE_ENCODE;
    sign_ok(r);
    check_view(line_of(r->res.canonical_request, 1), "/example1/example2/../..");
    check_view(r->res.signature,
               "dc33e0856fd4baca4d7aa2146c38958283844764f38c74252a333df5e613003b");
    test_free(r);

    r = run_new("GET //a/./b/../c HTTP/1.1\nHost:example.amazonaws.com\n");
    r->cfg.flags = IDC_SIGV4_DOUBLE_ENCODE;
    sign_ok(r);
    check_view(line_of(r->res.canonical_request, 1), "//a/./b/../c");
    r->cfg.flags = IDC_SIGV4_FLAGS_DEFAULT;
    sign_ok(r);
    check_view(line_of(r->res.canonical_request, 1), "/a/c");
    test_free(r);
}

static void test_sigv4_sign_empty_path_is_root(void **state)
{
    (void)state;
    struct run *r = run_new(get_vanilla);
    const unsigned flag_sets[] = {IDC_SIGV4_FLAGS_DEFAULT, 0, IDC_SIGV4_DOUBLE_ENCODE,
                                  IDC_SIGV4_NORMALIZE_PATH};
    for (size_t i = 0; i < sizeof flag_sets / sizeof flag_sets[0]; i++) {
        r->parsed.req.path = IDC_STR("");
        r->cfg.flags = flag_sets[i];
        sign_ok(r);
        check_view(r->res.canonical_request, vanilla_creq);
        check_view(r->res.signature, VANILLA_SIG);
    }
    test_free(r);
}

static void test_sigv4_sign_keeps_matching_amz_date(void **state)
{
    (void)state;
    struct run *r = run_new("GET / HTTP/1.1\nHost:example.amazonaws.com\n"
                            "X-Amz-Date:20150830T123600Z\n");
    sign_ok(r);
    check_view(r->res.canonical_request, vanilla_creq); /* one x-amz-date line */
    check_view(r->res.signature, VANILLA_SIG);
    assert_int_equal(r->res.add_count, 1); /* only Authorization: the date is already there */
    assert_false(is_added(&r->res, "X-Amz-Date"));
    check_view(r->res.add[0].name, "Authorization");
    test_free(r);

    r = run_new("GET / HTTP/1.1\nHost:example.amazonaws.com\nx-amz-date: 20150830T123600Z \n");
    sign_ok(r);
    check_view(r->res.signature, VANILLA_SIG);
    assert_int_equal(r->res.add_count, 1);
    test_free(r);
}

static void test_sigv4_sign_rejects_other_amz_date(void **state)
{
    (void)state;
    struct run *r = run_new("GET / HTTP/1.1\nHost:example.amazonaws.com\n"
                            "X-Amz-Date:20150830T123700Z\n");
    sign_fails(r, IDC_ERR_ARG, "X-Amz-Date 20150830T123700Z");
    sign_fails(r, IDC_ERR_ARG, "signing time is 20150830T123600Z");
    r->cfg.time = T0 + 60;
    sign_ok(r);
    test_free(r);
}

static void test_sigv4_sign_query_raw_plus(void **state)
{
    (void)state;
    /* spec/sigv4/vectors/query-raw-plus */
    struct run *r = run_new("GET /?c+d=e+f HTTP/1.1\nHost:example.amazonaws.com\n");
    sign_ok(r);
    check_view(line_of(r->res.canonical_request, 2), "c%2Bd=e%2Bf");
    check_view(r->res.signature,
               "4aa124f03c3a1e473ea0b7034b959eb059c911fb434aa814c2d1c98b0b9b1187");
    r->cfg.placement = IDC_SIGV4_IN_QUERY;
    sign_ok(r);
    check_view(r->res.signature,
               "99d092ff14f39c4bd2dcbbd59f23705b11753572820a3a0a0bb5c7d1c90ed7b2");
    assert_true(idc_str_starts_with(r->res.query, IDC_STR("c+d=e+f&X-Amz-Algorithm=")));
    test_free(r);
}

static void test_sigv4_sign_query_pct2b_either_case(void **state)
{
    (void)state;
    /* spec/sigv4/vectors/query-pct2b-lower and query-pct2b-upper: one result */
    static const char *const texts[] = {
        "GET /?k%2b=v%2b HTTP/1.1\nHost:example.amazonaws.com\n",
        "GET /?k%2B=v%2B HTTP/1.1\nHost:example.amazonaws.com\n",
        "GET /?k+=v+ HTTP/1.1\nHost:example.amazonaws.com\n",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        struct run *r = run_new(texts[i]);
        sign_ok(r);
        check_view(line_of(r->res.canonical_request, 2), "k%2B=v%2B");
        check_view(r->res.signature,
                   "062eed2d4034b86c9cbf2bb4adf89b16cd6b2796cfe3cde63df746560f598a4e");
        test_free(r);
    }
}

static void test_sigv4_sign_query_valueless_key(void **state)
{
    (void)state;
    /* spec/sigv4/vectors/query-valueless-key */
    struct run *r = run_new("GET /?acl HTTP/1.1\nHost:example.amazonaws.com\n");
    sign_ok(r);
    check_view(line_of(r->res.canonical_request, 2), "acl=");
    check_view(r->res.signature,
               "06f239ec83cd47b28ade495a426887f0c088d2396a702f8cd8fda356f210797d");
    r->cfg.placement = IDC_SIGV4_IN_QUERY;
    sign_ok(r);
    check_view(r->res.signature,
               "7e77cb041f9c3a30052c9f54bc028a48db8301e44abc2da18108845d785e26e3");
    test_free(r);
}

static void test_sigv4_sign_query_repeated_key_sorted_by_value(void **state)
{
    (void)state;
    /* spec/sigv4/vectors/query-repeated-key-reverse */
    struct run *r = run_new("GET /?k=b&k=a HTTP/1.1\nHost:example.amazonaws.com\n");
    sign_ok(r);
    check_view(line_of(r->res.canonical_request, 2), "k=a&k=b");
    check_view(r->res.signature,
               "76c15988d5ea4aae6b20dc9edef77799186912cdbcca588598e6f852b5b6f957");
    test_free(r);
}

static void test_sigv4_sign_host_with_port(void **state)
{
    (void)state;
    /* spec/sigv4/vectors/header-host-port */
    struct run *r = run_new("GET / HTTP/1.1\nHost:example.amazonaws.com:8443\n");
    sign_ok(r);
    check_view(line_of(r->res.canonical_request, 3), "host:example.amazonaws.com:8443");
    check_view(r->res.signature,
               "6c603abd17f7fbcfc7898db27fd6c82700a814be690b4fdeb418d9bf88d6df2c");
    r->cfg.placement = IDC_SIGV4_IN_QUERY;
    sign_ok(r);
    check_view(r->res.signature,
               "46a9c34117660f45f320d40f15027f5e0d8297d081b55a84b7c72743aecbb7a9");
    test_free(r);
}

static void test_sigv4_sign_header_values_trimmed_and_joined(void **state)
{
    (void)state;
    /* spec/sigv4/vectors/header-value-whitespace and header-repeated-name */
    struct run *r = run_new("GET / HTTP/1.1\nHost:example.amazonaws.com\n"
                            "My-Header1:   a   b   \nMy-Header2:\tc\t\td \t e\t \n");
    sign_ok(r);
    check_view(line_of(r->res.canonical_request, 4), "my-header1:a b");
    check_view(line_of(r->res.canonical_request, 5), "my-header2:c d e");
    check_view(r->res.signature,
               "8977115caea8da0913b0e5a5161a0ca9110f625574eec52f926c275d7482b35b");
    test_free(r);

    r = run_new("GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Repeat:zeta\n"
                "x-repeat:alpha   beta\nX-REPEAT:gamma\n");
    sign_ok(r);
    check_view(line_of(r->res.canonical_request, 5), "x-repeat:zeta,alpha beta,gamma");
    check_view(r->res.signed_headers, "host;x-amz-date;x-repeat");
    check_view(r->res.signature,
               "0350fbdfb5eb59f3b9b3051be886f09db22f236492c023645aca0f344d3d27a1");
    test_free(r);
}

static void test_sigv4_sign_skips_hop_by_hop_headers(void **state)
{
    (void)state;
    /* User-Agent and friends are never signed, so they do not change the signature. */
    struct run *r = run_new("GET / HTTP/1.1\nHost:example.amazonaws.com\nUser-Agent:curl/8\n"
                            "Connection:keep-alive\nX-Amzn-Trace-Id:Root=1\nExpect:100-continue\n");
    sign_ok(r);
    check_view(r->res.canonical_request, vanilla_creq);
    check_view(r->res.signature, VANILLA_SIG);
    test_free(r);
}

static void test_sigv4_sign_zeroed_views(void **state)
{
    (void)state;
    /*
     * "Zero-initialise, then set what you need": a zeroed view is {NULL, 0}, the empty
     * value of every optional field, and must sign like "" (no NULL reaches memchr/memcmp;
     * the sanitizer build aborts on that).
     */
    struct run *r = run_new(get_vanilla);
    struct idc_sigv4_credentials creds = {.access_key_id = IDC_STR(AKID),
                                          .secret_access_key = IDC_STR(SECRET)};
    struct idc_sigv4_config cfg = {.region = IDC_STR("us-east-1"),
                                   .service = IDC_STR("service"),
                                   .time = T0,
                                   .flags = IDC_SIGV4_FLAGS_DEFAULT};
    struct idc_sigv4_request req = {.method = IDC_STR("GET"),
                                    .headers = r->parsed.headers,
                                    .header_count = r->parsed.req.header_count};
    r->creds = creds;
    r->cfg = cfg;
    r->parsed.req = req;
    sign_ok(r);
    check_view(r->res.signature, VANILLA_SIG);
    r->cfg.placement = IDC_SIGV4_IN_QUERY;
    r->cfg.expires = 3600;
    sign_ok(r);
    check_view(r->res.signature,
               "e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d");
    test_free(r);
}

/* ---- work buffer sizing ------------------------------------------------------------- */

struct sized_case {
    const char *text;
    enum idc_sigv4_placement placement;
    unsigned flags;
    const char *token;
};

/* The output of a signing run copied out of its work buffer. */
struct kept_output {
    char creq[1024], sts[256], sig[65], auth[512], query[1024];
};

static void keep_view(char *dst, size_t cap, struct idc_str s)
{
    assert_true(s.len < cap);
    if (s.len > 0) {
        memcpy(dst, s.p, s.len);
    }
    dst[s.len] = '\0';
}

static void keep_output(const struct idc_sigv4_result *res, struct kept_output *k)
{
    keep_view(k->creq, sizeof k->creq, res->canonical_request);
    keep_view(k->sts, sizeof k->sts, res->string_to_sign);
    keep_view(k->sig, sizeof k->sig, res->signature);
    keep_view(k->auth, sizeof k->auth, res->authorization);
    keep_view(k->query, sizeof k->query, res->query);
}

/*
 * Signs `c` with work buffers of every size from 0 to past what it needs, each holding 5
 * bytes of earlier content. Each run succeeds with the reference output or fails with
 * IDC_ERR_SPACE, leaving len and the earlier content alone. With `exact`, every size
 * from the needed one up must succeed and every smaller one fail.
 */
static void sweep_work_sizes(const struct sized_case *c, bool exact)
{
    struct run *r = run_new(c->text);
    r->cfg.placement = c->placement;
    r->cfg.flags = c->flags;
    r->creds.session_token = idc_str_c(c->token);
    sign_ok(r);
    size_t needed = r->work.len;
    struct kept_output *want = test_calloc(2, sizeof *want);
    assert_non_null(want);
    keep_output(&r->res, &want[0]);
    bool succeeded = false;
    for (size_t n = 0; n <= needed + 16; n++) {
        char *mem = test_malloc(5 + n); /* exact size: ASan sees any write past it */
        assert_non_null(mem);
        memcpy(mem, "keep!", 5);
        struct idc_buf work = {mem, 5, 5 + n};
        struct idc_error err = {0};
        struct idc_sigv4_result res;
        idc_err rc = idc_sigv4_sign(&r->cfg, &r->creds, &r->parsed.req, &work, &res, &err);
        check_no_secret_in(idc_str_c(err.msg), r->creds.secret_access_key);
        assert_memory_equal(mem, "keep!", 5);
        if (rc == IDC_OK) {
            keep_output(&res, &want[1]);
            assert_memory_equal(&want[0], &want[1], sizeof want[0]);
            assert_int_equal(work.len, 5 + needed);
            assert_true(res.signature.p >= mem + 5 && res.signature.p < mem + 5 + n);
            succeeded = true;
        } else {
            if (rc != IDC_ERR_SPACE) {
                print_error("size %zu: %s %s\n", n, idc_err_name(rc), err.msg);
                fail();
            }
            assert_int_equal(work.len, 5);
            assert_non_null(strstr(err.msg, "IDC_SIGV4_WORK_SIZE"));
            assert_false(succeeded); /* a larger buffer never fails once a smaller one worked */
        }
        if (exact) {
            assert_int_equal(rc, n >= needed ? IDC_OK : IDC_ERR_SPACE);
        }
        test_free(mem);
    }
    assert_true(succeeded);
    test_free(want);
    test_free(r);
}

static void test_sigv4_sign_work_too_small(void **state)
{
    (void)state;
    static const struct sized_case cases[] = {
        {get_vanilla, IDC_SIGV4_IN_HEADERS, IDC_SIGV4_FLAGS_DEFAULT, NULL},
        {post_form, IDC_SIGV4_IN_HEADERS, IDC_SIGV4_FLAGS_DEFAULT | IDC_SIGV4_CONTENT_SHA256,
         SUITE_TOKEN},
        {"GET /a%20b/c?z=1&a=%7e&b=x+y HTTP/1.1\nHost:example.amazonaws.com\n", IDC_SIGV4_IN_QUERY,
         IDC_SIGV4_FLAGS_DEFAULT, SLASH_TOKEN},
        {"GET /a/c?k=v HTTP/1.1\nHost:example.amazonaws.com\n", IDC_SIGV4_IN_QUERY,
         IDC_SIGV4_FLAGS_DEFAULT | IDC_SIGV4_OMIT_SESSION_TOKEN, SLASH_TOKEN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sweep_work_sizes(&cases[i], true);
    }
}

static void test_sigv4_sign_work_too_small_dot_segments(void **state)
{
    (void)state;
    /* Popped ".." segments are written first, so the peak may exceed the final length. */
    static const struct sized_case c = {
        "GET /aaaa/bbbbbbbb/../c/./d/../../e?x=%41 HTTP/1.1\nHost:example.amazonaws.com\n",
        IDC_SIGV4_IN_HEADERS, IDC_SIGV4_FLAGS_DEFAULT, NULL};
    sweep_work_sizes(&c, false);
}

/* ---- errors ------------------------------------------------------------------------- */

static void test_sigv4_sign_bad_query_escape(void **state)
{
    (void)state;
    static const char *const queries[] = {"a=%zz", "a=b%", "a=%2", "%g1=v", "k=1&b=%%41"};
    struct run *r = run_new(get_vanilla);
    for (size_t p = 0; p < 2; p++) {
        r->cfg.placement = p ? IDC_SIGV4_IN_QUERY : IDC_SIGV4_IN_HEADERS;
        for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
            r->parsed.req.query = idc_str_c(queries[i]);
            sign_fails(r, IDC_ERR_PARSE, "is not followed by two hex digits");
            assert_non_null(strstr(r->err.msg, "query parameter"));
        }
    }
    r->parsed.req.query = IDC_STR("a=%zz");
    sign_fails(r, IDC_ERR_PARSE, "query parameter 'a'");
    test_free(r);
}

static void test_sigv4_sign_bad_path_escape_s3(void **state)
{
    (void)state;
    /* S3 rules decode the path, so a stray '%' is an error; double encoding makes it %25. */
    struct run *r = run_new("GET /a%zz/b HTTP/1.1\nHost:example.amazonaws.com\n");
    r->cfg.flags = 0;
    sign_fails(r, IDC_ERR_PARSE, "path: '%' at offset");
    r->cfg.flags = IDC_SIGV4_FLAGS_DEFAULT;
    sign_ok(r);
    check_view(line_of(r->res.canonical_request, 1), "/a%25zz/b");
    test_free(r);
}

/* `n` headers, Host first, into `h` (names and values in `names`). */
static void fill_headers(struct idc_sigv4_header *h, char (*names)[16], size_t n)
{
    h[0] = (struct idc_sigv4_header){IDC_STR("Host"), IDC_STR("example.amazonaws.com")};
    for (size_t i = 1; i < n; i++) {
        snprintf(names[i], sizeof names[i], "X-H%03u", (unsigned)(i % 1000));
        h[i] = (struct idc_sigv4_header){idc_str_c(names[i]), IDC_STR("v")};
    }
}

static void test_sigv4_sign_too_many_headers(void **state)
{
    (void)state;
    struct idc_sigv4_header h[IDC_SIGV4_MAX_HEADERS + 1];
    char names[IDC_SIGV4_MAX_HEADERS + 1][16];
    fill_headers(h, names, IDC_SIGV4_MAX_HEADERS + 1);
    struct run *r = run_new(get_vanilla);
    r->parsed.req.headers = h;
    r->parsed.req.header_count = IDC_SIGV4_MAX_HEADERS + 1;
    sign_fails(r, IDC_ERR_LIMIT, "IDC_SIGV4_MAX_HEADERS");
    assert_non_null(strstr(r->err.msg, "64"));
    r->cfg.placement = IDC_SIGV4_IN_QUERY;
    sign_fails(r, IDC_ERR_LIMIT, "IDC_SIGV4_MAX_HEADERS");
    /* One fewer than the bound leaves room for the X-Amz-Date the signer adds. */
    r->cfg.placement = IDC_SIGV4_IN_HEADERS;
    r->parsed.req.header_count = IDC_SIGV4_MAX_HEADERS - 1;
    sign_ok(r);
    test_free(r);
}

static void test_sigv4_sign_max_headers_accepted(void **state)
{
    (void)state;
    /*
     * sigv4.h: header_count is "at most IDC_SIGV4_MAX_HEADERS" and IDC_ERR_LIMIT is for
     * "more than" that, so a request with exactly the bound must sign (as it parses).
     */
    struct idc_sigv4_header h[IDC_SIGV4_MAX_HEADERS];
    char names[IDC_SIGV4_MAX_HEADERS][16];
    fill_headers(h, names, IDC_SIGV4_MAX_HEADERS);
    struct run *r = run_new(get_vanilla);
    r->parsed.req.headers = h;
    r->parsed.req.header_count = IDC_SIGV4_MAX_HEADERS;
    r->cfg.placement = IDC_SIGV4_IN_QUERY; /* adds no header */
    sign_ok(r);
    r->cfg.placement = IDC_SIGV4_IN_HEADERS; /* adds X-Amz-Date */
    sign_ok(r);
    test_free(r);
}

/* "k000=1&k001=1&..." with `n` pairs (7n - 1 bytes); caller frees. */
static char *query_with_pairs(size_t n)
{
    size_t cap = n * 7 + 1, len = 0;
    char *q = test_malloc(cap);
    assert_non_null(q);
    q[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        len += (size_t)snprintf(q + len, cap - len, "%sk%03zu=1", i ? "&" : "", i);
    }
    return q;
}

static void test_sigv4_sign_too_many_query_pairs(void **state)
{
    (void)state;
    struct run *r = run_new(get_vanilla);
    char *q = query_with_pairs(IDC_SIGV4_MAX_QUERY + 1);
    r->parsed.req.query = idc_str_c(q);
    sign_fails(r, IDC_ERR_LIMIT, "IDC_SIGV4_MAX_QUERY");
    assert_non_null(strstr(r->err.msg, "128"));
    test_free(q);

    q = query_with_pairs(IDC_SIGV4_MAX_QUERY);
    r->parsed.req.query = idc_str_c(q);
    sign_ok(r);
    /* Presigning adds up to seven parameters (the signature too), and the bound counts them:
     * a URL that leaves them no room would be signed but never verify (found by fuzzing). */
    r->cfg.placement = IDC_SIGV4_IN_QUERY;
    sign_fails(r, IDC_ERR_LIMIT, "IDC_SIGV4_MAX_QUERY");
    test_free(q);
    q = query_with_pairs(IDC_SIGV4_MAX_QUERY - 6);
    r->parsed.req.query = idc_str_c(q);
    sign_fails(r, IDC_ERR_LIMIT, "query has 122 parameters: with the 7 a presigned URL adds");
    test_free(q);
    q = query_with_pairs(IDC_SIGV4_MAX_QUERY - 7);
    r->parsed.req.query = idc_str_c(q);
    sign_ok(r);
    test_free(q);
    test_free(r);
}

static void test_sigv4_sign_no_host(void **state)
{
    (void)state;
    struct run *r = run_new("GET / HTTP/1.1\nX-Other:example.amazonaws.com\n");
    sign_fails(r, IDC_ERR_ARG, "no Host header");
    r->parsed.req.header_count = 0;
    sign_fails(r, IDC_ERR_ARG, "no Host header");
    test_free(r);
}

static void test_sigv4_sign_already_authorized(void **state)
{
    (void)state;
    struct run *r = run_new("GET / HTTP/1.1\nHost:example.amazonaws.com\n"
                            "authorization:AWS4-HMAC-SHA256 Credential=x\n");
    sign_fails(r, IDC_ERR_ARG, "already carries an Authorization header");
    r->cfg.placement = IDC_SIGV4_IN_QUERY;
    sign_fails(r, IDC_ERR_ARG, "already carries an Authorization header");
    test_free(r);
}

/*
 * Found by fuzzing (tests/fuzz/sigv4_verify.c): a header named "X-Amz-,ate" was signed, and
 * the Authorization header that came out could not be parsed back ("not a valid key=value
 * pair"); a ';' in a name would split it in SignedHeaders. Such names are refused.
 */
static void test_sigv4_sign_header_name_unlistable(void **state)
{
    (void)state;
    static const char *const names[] = {"X-Amz-,ate", "a;b", "X y", "X\x01", "X\x7f", "\xc3\xa9"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct run *r = run_new("POST / HTTP/1.1\nHost:example.amazonaws.com\nX-Other:v\n");
        r->parsed.headers[1].name = idc_str_c(names[i]);
        sign_fails(r, IDC_ERR_ARG, "has a space, ',', ';' or a control byte");
        r->cfg.placement = IDC_SIGV4_IN_QUERY;
        r->cfg.expires = 60;
        sign_fails(r, IDC_ERR_ARG, "no verifier could read it in SignedHeaders");
        test_free(r);
    }
    struct run *r = run_new("POST / HTTP/1.1\nHost:example.amazonaws.com\nX-Other:v\n");
    r->parsed.headers[1].name = IDC_STR("");
    sign_fails(r, IDC_ERR_ARG, "header name '' is empty");
    test_free(r);
}

static void test_sigv4_sign_bad_region_service_key_id(void **state)
{
    (void)state;
    static const char *const bad[] = {"us/east", "us,east", "us\neast", "us east",   "us;east",
                                      "us=east", "",        "us\x7f",   "us\xc3\xa9"};
    char long_name[IDC_SIGV4_NAME_MAX + 2];
    memset(long_name, 'a', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    struct run *r = run_new(get_vanilla);
    for (size_t i = 0; i <= sizeof bad / sizeof bad[0]; i++) {
        struct idc_str v =
            i < sizeof bad / sizeof bad[0] ? idc_str_c(bad[i]) : idc_str_c(long_name);
        r->cfg.region = v;
        sign_fails(r, IDC_ERR_ARG, "region '");
        r->cfg.region = IDC_STR("us-east-1");
        r->cfg.service = v;
        sign_fails(r, IDC_ERR_ARG, "service '");
        r->cfg.service = IDC_STR("service");
        r->creds.access_key_id = v;
        sign_fails(r, IDC_ERR_ARG, "access key id is empty, too long or has '/'");
        r->creds.access_key_id = IDC_STR(AKID);
    }
    long_name[IDC_SIGV4_NAME_MAX] = '\0'; /* exactly the bound is fine */
    r->cfg.region = idc_str_c(long_name);
    sign_ok(r);
    test_free(r);
}

static void test_sigv4_sign_bad_secret(void **state)
{
    (void)state;
    char secret[IDC_SIGV4_SECRET_MAX + 1];
    for (size_t i = 0; i < sizeof secret; i++) {
        secret[i] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"[i % 40];
    }
    struct run *r = run_new(get_vanilla);
    r->creds.secret_access_key = IDC_STR("");
    sign_fails(r, IDC_ERR_ARG, "secret access key is empty or longer than 128 bytes");
    r->creds.secret_access_key = idc_str_make(secret, sizeof secret);
    sign_fails(r, IDC_ERR_ARG, "secret access key is empty or longer than 128 bytes");
    r->creds.secret_access_key = idc_str_make(secret, IDC_SIGV4_SECRET_MAX);
    sign_ok(r);
    test_free(r);
}

static void test_sigv4_sign_presign_expiry_bounds(void **state)
{
    (void)state;
    struct run *r = run_new(get_vanilla);
    r->cfg.placement = IDC_SIGV4_IN_QUERY;
    r->cfg.expires = 0;
    sign_fails(r, IDC_ERR_ARG, "expiry 0 s is outside 1..604800 s");
    r->cfg.expires = IDC_SIGV4_MAX_EXPIRES + 1;
    sign_fails(r, IDC_ERR_ARG, "expiry 604801 s is outside 1..604800 s");
    r->cfg.expires = IDC_SIGV4_MAX_EXPIRES;
    sign_ok(r);
    /* Header placement ignores the field. */
    r->cfg.placement = IDC_SIGV4_IN_HEADERS;
    r->cfg.expires = 0;
    sign_ok(r);
    test_free(r);
}

static void test_sigv4_sign_presign_already_signed(void **state)
{
    (void)state;
    static const char *const queries[] = {
        "X-Amz-Signature=abc",    "a=1&X-Amz-Signature=abc&b=2",      "X-Amz-Signature",
        "X-Amz-Credential=x%2Fy", "X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Security-Token=t",
    };
    struct run *r = run_new(get_vanilla);
    r->cfg.placement = IDC_SIGV4_IN_QUERY;
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        r->parsed.req.query = idc_str_c(queries[i]);
        sign_fails(r, IDC_ERR_ARG, "remove the old presign parameters");
    }
    r->parsed.req.query = IDC_STR("X-Amz-Signature=abc");
    sign_fails(r, IDC_ERR_ARG, "query already has X-Amz-Signature");
    r->parsed.req.query = IDC_STR("X-Amz-Signatures=1"); /* another name */
    sign_ok(r);
    test_free(r);
}

static void test_sigv4_sign_other_bad_arguments(void **state)
{
    (void)state;
    struct run *r = run_new(get_vanilla);
    struct idc_error err = {0};
    assert_int_equal(idc_sigv4_sign(NULL, &r->creds, &r->parsed.req, &r->work, &r->res, &err),
                     IDC_ERR_ARG);
    assert_non_null(strstr(err.msg, "required argument is NULL"));
    assert_int_equal(idc_sigv4_sign(&r->cfg, &r->creds, &r->parsed.req, NULL, &r->res, NULL),
                     IDC_ERR_ARG);

    r->creds.session_token = IDC_STR("tok\nen");
    sign_fails(r, IDC_ERR_ARG, "session token contains a line break");
    r->creds.session_token = IDC_STR("tok\ren");
    sign_fails(r, IDC_ERR_ARG, "session token contains a line break");
    r->creds.session_token = IDC_STR("");

    r->cfg.time = -1;
    sign_fails(r, IDC_ERR_ARG, "outside years 1970..9999");
    r->cfg.time = 253402300800;
    sign_fails(r, IDC_ERR_ARG, "outside years 1970..9999");
    r->cfg.time = T0;

    r->parsed.req.method = IDC_STR("");
    sign_fails(r, IDC_ERR_ARG, "request method is empty or has spaces");
    r->parsed.req.method = IDC_STR("G T");
    sign_fails(r, IDC_ERR_ARG, "request method is empty or has spaces");
    test_free(r);

    r = run_new("PUT / HTTP/1.1\nHost:example.amazonaws.com\nx-amz-content-sha256:abc\n");
    r->cfg.signed_body = IDC_STR(IDC_SIGV4_UNSIGNED_PAYLOAD);
    sign_fails(r, IDC_ERR_ARG, "x-amz-content-sha256 differs from the signed body value");
    test_free(r);

    r = run_new("GET / HTTP/1.1\nHost:example.amazonaws.com\nX-Amz-Security-Token:other\n");
    r->creds.session_token = IDC_STR(SUITE_TOKEN);
    sign_fails(r, IDC_ERR_ARG, "X-Amz-Security-Token that differs");
    test_free(r);
}

static void test_sigv4_sign_existing_token_and_hash_headers_kept(void **state)
{
    (void)state;
    /* A request that already carries the token signs it as is and adds nothing twice. */
    struct run *r = run_new("GET / HTTP/1.1\nHost:example.amazonaws.com\n"
                            "X-Amz-Security-Token:" SUITE_TOKEN "\n");
    r->creds.session_token = IDC_STR(SUITE_TOKEN);
    sign_ok(r);
    check_view(r->res.signature,
               "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8");
    assert_false(is_added(&r->res, "X-Amz-Security-Token"));
    assert_int_equal(r->res.add_count, 2);
    test_free(r);

    r = run_new("POST / HTTP/1.1\nHost:example.amazonaws.com\nContent-Length:13\n"
                "x-amz-content-sha256:UNSIGNED-PAYLOAD\n\nParam1=value1");
    r->cfg.flags |= IDC_SIGV4_CONTENT_SHA256;
    sign_ok(r);
    check_view(r->res.signature,
               "9fb60e8938d2178a7d63b49e055d1e65d8f6226f38846e8e0293bf43ce29050c");
    assert_false(is_added(&r->res, "x-amz-content-sha256"));
    test_free(r);
}

/* ---- signing-key cache -------------------------------------------------------------- */

/* Signs `r` without a cache and returns the signature in `out`. */
static void uncached_sig(struct run *r, char out[IDC_SIGV4_SIG_HEX_LEN + 1])
{
    struct idc_sigv4_key_cache *saved = r->cfg.cache;
    r->cfg.cache = NULL;
    sign_ok(r);
    copy_sig(r, out);
    r->cfg.cache = saved;
}

/* Signs `r` with its cache; checks the counters moved as `hit` says and the signature
 * equals the uncached one. Returns the signature in `out`. */
static void cached_sig(struct run *r, bool hit, char out[IDC_SIGV4_SIG_HEX_LEN + 1])
{
    struct idc_sigv4_key_cache *c = r->cfg.cache;
    uint64_t hits = c->hits, misses = c->misses;
    char plain[IDC_SIGV4_SIG_HEX_LEN + 1];
    sign_ok(r);
    copy_sig(r, out);
    assert_int_equal(c->hits, hits + (hit ? 1 : 0));
    assert_int_equal(c->misses, misses + (hit ? 0 : 1));
    uncached_sig(r, plain);
    assert_string_equal(out, plain);
}

static void test_sigv4_key_cache_miss_then_hit(void **state)
{
    (void)state;
    struct idc_sigv4_key_cache cache;
    memset(&cache, 0xa5, sizeof cache);
    idc_sigv4_key_cache_init(&cache);
    assert_int_equal(cache.hits, 0);
    assert_int_equal(cache.misses, 0);
    struct run *r = run_new(get_vanilla);
    r->cfg.cache = &cache;
    char first[65], second[65];
    cached_sig(r, false, first);
    assert_string_equal(first, VANILLA_SIG);
    cached_sig(r, true, second);
    assert_string_equal(second, VANILLA_SIG);
    r->cfg.placement = IDC_SIGV4_IN_QUERY; /* same key, other placement */
    cached_sig(r, true, second);
    assert_string_equal(second, "e93c787ed7f371d5c6b165c1b38ede9550f4dce4144713e844b25b7192d3865d");
    idc_sigv4_key_cache_cleanup(&cache);
    test_free(r);
}

static void test_sigv4_key_cache_rotated_secret_is_miss(void **state)
{
    (void)state;
    struct idc_sigv4_key_cache cache;
    idc_sigv4_key_cache_init(&cache);
    struct run *r = run_new(get_vanilla);
    r->cfg.cache = &cache;
    char a[65], b[65], again[65];
    cached_sig(r, false, a);
    /* Same length, one byte different ('+' became '/'): the cache must not serve A's key. */
    r->creds.secret_access_key = IDC_STR(SECRET2);
    cached_sig(r, false, b);
    assert_string_not_equal(a, b);
    r->creds.secret_access_key = IDC_STR(SECRET "X"); /* a longer secret with A's prefix */
    cached_sig(r, false, again);
    assert_string_not_equal(again, a);
    r->creds.secret_access_key = IDC_STR("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKE");
    cached_sig(r, false, again); /* a shorter one */
    assert_string_not_equal(again, a);
    r->creds.secret_access_key = IDC_STR(SECRET);
    cached_sig(r, true, again);
    assert_string_equal(again, a);
    idc_sigv4_key_cache_cleanup(&cache);
    test_free(r);
}

static void test_sigv4_key_cache_scope_change_is_miss(void **state)
{
    (void)state;
    struct idc_sigv4_key_cache cache;
    idc_sigv4_key_cache_init(&cache);
    struct run *r = run_new(get_vanilla);
    r->cfg.cache = &cache;
    char base[65], s[65];
    cached_sig(r, false, base);

    r->cfg.time = T0 + 86400; /* next day */
    cached_sig(r, false, s);
    assert_string_not_equal(s, base);
    r->cfg.time = T0 + 60; /* same day: same key, new string to sign */
    cached_sig(r, true, s);
    assert_string_not_equal(s, base);
    r->cfg.time = T0;

    r->cfg.region = IDC_STR("us-west-2");
    cached_sig(r, false, s);
    assert_string_not_equal(s, base);
    r->cfg.region = IDC_STR("us-east-1");

    r->cfg.service = IDC_STR("servicf");
    cached_sig(r, false, s);
    assert_string_not_equal(s, base);
    r->cfg.service = IDC_STR("service");

    cached_sig(r, true, s); /* still cached: four keys fit */
    assert_string_equal(s, base);
    idc_sigv4_key_cache_cleanup(&cache);
    test_free(r);
}

static void test_sigv4_key_cache_evicts_in_turn(void **state)
{
    (void)state;
    static const char *const regions[] = {"r-1", "r-2", "r-3", "r-4", "r-5"};
    struct idc_sigv4_key_cache cache;
    idc_sigv4_key_cache_init(&cache);
    struct run *r = run_new(get_vanilla);
    r->cfg.cache = &cache;
    char s[65];
    assert_int_equal(IDC_SIGV4_CACHE_SLOTS, 4);
    for (size_t i = 0; i < 5; i++) {
        r->cfg.region = idc_str_c(regions[i]);
        cached_sig(r, false, s);
    }
    /* r-5 replaced r-1, the oldest; each later miss replaces the next slot in turn. */
    static const struct {
        size_t region;
        bool hit;
    } steps[] = {{4, true},  {3, true},  {2, true},  {1, true}, {0, false}, {2, true},
                 {1, false}, {2, false}, {3, false}, {0, true}, {4, false}, {0, false}};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        r->cfg.region = idc_str_c(regions[steps[i].region]);
        cached_sig(r, steps[i].hit, s);
    }
    idc_sigv4_key_cache_cleanup(&cache);
    test_free(r);
}

static void test_sigv4_key_cache_cleanup_zeroes(void **state)
{
    (void)state;
    struct idc_sigv4_key_cache cache, zero;
    memset(&zero, 0, sizeof zero);
    idc_sigv4_key_cache_init(&cache);
    assert_memory_equal(&cache, &zero, sizeof cache);
    struct run *r = run_new(get_vanilla);
    r->cfg.cache = &cache;
    sign_ok(r);
    assert_true(cache.slot[0].used);
    assert_memory_equal(cache.slot[0].secret, SECRET, 40);
    idc_sigv4_key_cache_cleanup(&cache);
    assert_memory_equal(&cache, &zero, sizeof cache);
    idc_sigv4_key_cache_cleanup(NULL);
    test_free(r);
}

/* ---- idc_sigv4_canonical_query ------------------------------------------------------ */

static void check_canonical_query(const char *raw, const char *want)
{
    char mem[512];
    memcpy(mem, "pre:", 4);
    struct idc_buf out = {mem, 4, sizeof mem};
    struct idc_error err = {0};
    idc_err rc = idc_sigv4_canonical_query(idc_str_c(raw), &out, &err);
    if (rc != IDC_OK) {
        print_error("'%s': %s\n", raw, err.msg);
        fail();
    }
    assert_memory_equal(mem, "pre:", 4); /* appends */
    check_view(idc_str_make(mem + 4, out.len - 4), want);
}

static void test_sigv4_canonical_query_valueless_and_empty_parts(void **state)
{
    (void)state;
    check_canonical_query("", "");
    check_canonical_query("acl", "acl=");
    check_canonical_query("acl=", "acl=");
    check_canonical_query("b&a", "a=&b=");
    check_canonical_query("a=1&&b=2&", "a=1&b=2");
    check_canonical_query("&&&", "");
    check_canonical_query("a=b=c", "a=b%3Dc"); /* split at the first '=' */
    check_canonical_query("=v", "=v");
}

static void test_sigv4_canonical_query_encoding(void **state)
{
    (void)state;
    check_canonical_query("c+d=e+f", "c%2Bd=e%2Bf"); /* a raw '+' is a plus */
    check_canonical_query("k%2b=v%2b", "k%2B=v%2B");
    check_canonical_query("k%2B=v%2B", "k%2B=v%2B");
    check_canonical_query("a=%7e&b=~&c=%41%2d%5F%2E", "a=~&b=~&c=A-_.");
    check_canonical_query("a=x y&b=%20&c=%2f/", "a=x%20y&b=%20&c=%2F%2F");
    check_canonical_query("k=%e1%88%b4", "k=%E1%88%B4");
    check_canonical_query("k=\xe1\x88\xb4", "k=%E1%88%B4");
    check_canonical_query("k=%00", "k=%00");
}

static void test_sigv4_canonical_query_sorts_after_encoding(void **state)
{
    (void)state;
    /*
     * spec/sigv4/vectors/query-sort-raw-utf8 and query-sort-after-encoding: the UTF-8 key
     * is compared in its encoded form, so '%' (0x25) puts it before 'a', although its raw
     * first byte (0xF0) is after every ASCII byte.
     */
    check_canonical_query("a=1&\xf0\x9f\x8d\xba=2", "%F0%9F%8D%BA=2&a=1");
    check_canonical_query("a=1&%F0%9F%8D%BA=2", "%F0%9F%8D%BA=2&a=1");
    check_canonical_query("b=1&B=2&a=3&A=4", "A=4&B=2&a=3&b=1"); /* bytewise: upper first */
    check_canonical_query("k=b&k=a&k=", "k=&k=a&k=b");           /* then by value */
    check_canonical_query("ab=1&a=2&a-=3", "a=2&a-=3&ab=1");
    /* "%2B" sorts by its encoded text too: "a%2B" < "a-" ('%' < '-') */
    check_canonical_query("a-=1&a+=2", "a%2B=2&a-=1");
}

static void test_sigv4_canonical_query_space_leaves_len(void **state)
{
    (void)state;
    static const char raw[] = "z=%7e&a=x y&m=1";
    static const char want[] = "a=x%20y&m=1&z=~";
    bool succeeded = false;
    for (size_t cap = 0; cap <= 2 * sizeof want + 16; cap++) {
        char *mem = test_malloc(3 + cap);
        assert_non_null(mem);
        memcpy(mem, "pre", 3);
        struct idc_buf out = {mem, 3, 3 + cap};
        struct idc_error err = {0};
        idc_err rc = idc_sigv4_canonical_query(IDC_STR(raw), &out, &err);
        assert_memory_equal(mem, "pre", 3);
        if (rc == IDC_OK) {
            check_view(idc_str_make(mem + 3, out.len - 3), want);
            succeeded = true;
        } else {
            assert_int_equal(rc, IDC_ERR_SPACE);
            assert_int_equal(out.len, 3);
            assert_false(succeeded);
            /* Encoded pieces plus the result: well under three bytes per input byte. */
            assert_true(cap < 3 * (sizeof raw - 1) + sizeof want - 1);
        }
        test_free(mem);
    }
    assert_true(succeeded);
}

static void test_sigv4_canonical_query_errors(void **state)
{
    (void)state;
    char mem[64];
    struct idc_buf out = {mem, 2, sizeof mem};
    struct idc_error err = {0};
    static const char *const bad[] = {"a=%zz", "a=b%", "a=%2", "%=1", "a=1&b%g0=2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(idc_sigv4_canonical_query(idc_str_c(bad[i]), &out, &err), IDC_ERR_PARSE);
        assert_non_null(strstr(err.msg, "not followed by two hex digits"));
        assert_int_equal(out.len, 2);
    }
    char big[4096];
    struct idc_buf wide = IDC_BUF(big);
    char *q = query_with_pairs(IDC_SIGV4_MAX_QUERY + 1);
    assert_int_equal(idc_sigv4_canonical_query(idc_str_c(q), &wide, &err), IDC_ERR_LIMIT);
    assert_non_null(strstr(err.msg, "IDC_SIGV4_MAX_QUERY"));
    assert_int_equal(wide.len, 0);
    test_free(q);
    q = query_with_pairs(IDC_SIGV4_MAX_QUERY);
    assert_int_equal(idc_sigv4_canonical_query(idc_str_c(q), &wide, &err), IDC_OK);
    assert_int_equal(wide.len, IDC_SIGV4_MAX_QUERY * 7 - 1);
    test_free(q);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_sigv4_sign_get_vanilla_header),
    cmocka_unit_test(test_sigv4_sign_get_vanilla_query),
    cmocka_unit_test(test_sigv4_sign_query_expires_value),
    cmocka_unit_test(test_sigv4_sign_session_token_header),
    cmocka_unit_test(test_sigv4_sign_session_token_query),
    cmocka_unit_test(test_sigv4_sign_session_token_omitted_header),
    cmocka_unit_test(test_sigv4_sign_session_token_omitted_query),
    cmocka_unit_test(test_sigv4_sign_content_sha256_header),
    cmocka_unit_test(test_sigv4_sign_content_sha256_query),
    cmocka_unit_test(test_sigv4_sign_body_hash_without_header),
    cmocka_unit_test(test_sigv4_sign_unsigned_payload),
    cmocka_unit_test(test_sigv4_sign_double_encode_on),
    cmocka_unit_test(test_sigv4_sign_double_encode_off),
    cmocka_unit_test(test_sigv4_sign_normalize_path_on),
    cmocka_unit_test(test_sigv4_sign_normalize_path_off),
    cmocka_unit_test(test_sigv4_sign_empty_path_is_root),
    cmocka_unit_test(test_sigv4_sign_keeps_matching_amz_date),
    cmocka_unit_test(test_sigv4_sign_rejects_other_amz_date),
    cmocka_unit_test(test_sigv4_sign_query_raw_plus),
    cmocka_unit_test(test_sigv4_sign_query_pct2b_either_case),
    cmocka_unit_test(test_sigv4_sign_query_valueless_key),
    cmocka_unit_test(test_sigv4_sign_query_repeated_key_sorted_by_value),
    cmocka_unit_test(test_sigv4_sign_host_with_port),
    cmocka_unit_test(test_sigv4_sign_header_values_trimmed_and_joined),
    cmocka_unit_test(test_sigv4_sign_skips_hop_by_hop_headers),
    cmocka_unit_test(test_sigv4_sign_zeroed_views),
    cmocka_unit_test(test_sigv4_sign_work_too_small),
    cmocka_unit_test(test_sigv4_sign_work_too_small_dot_segments),
    cmocka_unit_test(test_sigv4_sign_bad_query_escape),
    cmocka_unit_test(test_sigv4_sign_bad_path_escape_s3),
    cmocka_unit_test(test_sigv4_sign_too_many_headers),
    cmocka_unit_test(test_sigv4_sign_max_headers_accepted),
    cmocka_unit_test(test_sigv4_sign_too_many_query_pairs),
    cmocka_unit_test(test_sigv4_sign_no_host),
    cmocka_unit_test(test_sigv4_sign_header_name_unlistable),
    cmocka_unit_test(test_sigv4_sign_already_authorized),
    cmocka_unit_test(test_sigv4_sign_bad_region_service_key_id),
    cmocka_unit_test(test_sigv4_sign_bad_secret),
    cmocka_unit_test(test_sigv4_sign_presign_expiry_bounds),
    cmocka_unit_test(test_sigv4_sign_presign_already_signed),
    cmocka_unit_test(test_sigv4_sign_other_bad_arguments),
    cmocka_unit_test(test_sigv4_sign_existing_token_and_hash_headers_kept),
    cmocka_unit_test(test_sigv4_key_cache_miss_then_hit),
    cmocka_unit_test(test_sigv4_key_cache_rotated_secret_is_miss),
    cmocka_unit_test(test_sigv4_key_cache_scope_change_is_miss),
    cmocka_unit_test(test_sigv4_key_cache_evicts_in_turn),
    cmocka_unit_test(test_sigv4_key_cache_cleanup_zeroes),
    cmocka_unit_test(test_sigv4_canonical_query_valueless_and_empty_parts),
    cmocka_unit_test(test_sigv4_canonical_query_encoding),
    cmocka_unit_test(test_sigv4_canonical_query_sorts_after_encoding),
    cmocka_unit_test(test_sigv4_canonical_query_space_leaves_len),
    cmocka_unit_test(test_sigv4_canonical_query_errors),
};

UNIT_MAIN(tests)
