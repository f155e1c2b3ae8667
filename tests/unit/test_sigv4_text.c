/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sigv4_text.c - idc_sigv4_request_parse, the reader for the signing suites'
 * request.txt files: request line split at its first and last space, LF and CRLF, obs-fold
 * continuation lines, the body and Content-Length, and every error naming its line.
 * Also idc_sigv4_request_set_target and idc_sigv4_find_header.
 */
#include "unit.h"

#include "idc/sigv4.h"

static void check_view(struct idc_str got, const char *want)
{
    if (!idc_str_eq(got, idc_str_c(want))) {
        print_error("got  '%.*s' (%zu bytes)\nwant '%s' (%zu bytes)\n", (int)got.len, got.p,
                    got.len, want, strlen(want));
        fail();
    }
}

/* The parsed request is large (64 headers); tests keep one on the heap. */
static struct idc_sigv4_parsed *parse_ok(const char *text)
{
    struct idc_sigv4_parsed *p = test_calloc(1, sizeof *p);
    struct idc_error err = {0};
    assert_non_null(p);
    if (idc_sigv4_request_parse(idc_str_c(text), p, &err) != IDC_OK) {
        print_error("unexpected failure: %s\n", err.msg);
        test_free(p);
        fail();
    }
    assert_ptr_equal(p->req.headers, p->headers);
    return p;
}

/* Parses `text` expecting `code`; the message must contain `fragment`. */
static void parse_fails(struct idc_str text, idc_err code, const char *fragment)
{
    struct idc_sigv4_parsed *p = test_calloc(1, sizeof *p);
    struct idc_error err = {0};
    assert_non_null(p);
    idc_err rc = idc_sigv4_request_parse(text, p, &err);
    test_free(p);
    if (rc != code || err.code != code || strstr(err.msg, fragment) == NULL) {
        print_error("rc %s, message '%s'; wanted %s with '%s'\n", idc_err_name(rc), err.msg,
                    idc_err_name(code), fragment);
        fail();
    }
}

static void test_sigv4_text_suite_request(void **state)
{
    (void)state;
    struct idc_sigv4_parsed *p = parse_ok("GET /?Param2=value2&Param1=value1 HTTP/1.1\n"
                                          "Host:example.amazonaws.com\n"
                                          "My-Header1: a   b \n");
    check_view(p->req.method, "GET");
    check_view(p->target, "/?Param2=value2&Param1=value1");
    check_view(p->version, "HTTP/1.1");
    check_view(p->req.path, "/");
    check_view(p->req.query, "Param2=value2&Param1=value1");
    assert_int_equal(p->req.header_count, 2);
    check_view(p->headers[0].name, "Host");
    check_view(p->headers[0].value, "example.amazonaws.com");
    check_view(p->headers[1].name, "My-Header1");
    check_view(p->headers[1].value, " a   b "); /* as on the wire: untrimmed */
    assert_int_equal(p->req.body_len, 0);
    test_free(p);
}

static void test_sigv4_text_crlf(void **state)
{
    (void)state;
    struct idc_sigv4_parsed *p = parse_ok("POST /path HTTP/1.1\r\n"
                                          "Host:example.amazonaws.com\r\n"
                                          "X-A:1\r\n"
                                          "\r\n"
                                          "body\r\n");
    check_view(p->req.method, "POST");
    check_view(p->req.path, "/path");
    assert_int_equal(p->req.query.len, 0);
    check_view(p->version, "HTTP/1.1");
    assert_int_equal(p->req.header_count, 2);
    check_view(p->headers[0].value, "example.amazonaws.com");
    check_view(p->headers[1].value, "1");
    /* Without Content-Length the body is everything after the blank line. */
    check_view(idc_str_make((const char *)p->req.body, p->req.body_len), "body\r\n");
    test_free(p);
}

static void test_sigv4_text_obs_fold(void **state)
{
    (void)state;
    struct idc_sigv4_parsed *p = parse_ok("GET / HTTP/1.1\n"
                                          "Host:example.amazonaws.com\n"
                                          "My-Header1:value1\n"
                                          "  value2\n"
                                          "\tvalue3\n"
                                          "X-After:z\n");
    assert_int_equal(p->req.header_count, 3);
    check_view(p->headers[1].name, "My-Header1");
    /* The value runs over the continuation lines, line breaks and indentation included. */
    check_view(p->headers[1].value, "value1\n  value2\n\tvalue3");
    check_view(p->headers[2].name, "X-After");
    check_view(p->headers[2].value, "z");
    test_free(p);

    p = parse_ok("GET / HTTP/1.1\r\nHost:h\r\nX-Fold:a\r\n b\r\n\r\n");
    check_view(p->headers[1].value, "a\r\n b");
    test_free(p);
}

static void test_sigv4_text_request_line_first_and_last_space(void **state)
{
    (void)state;
    struct idc_sigv4_parsed *p = parse_ok("GET /example space/\xe1\x88\xb4 x?a b=c d HTTP/1.1\n"
                                          "Host:example.amazonaws.com\n");
    check_view(p->req.method, "GET");
    check_view(p->target, "/example space/\xe1\x88\xb4 x?a b=c d");
    check_view(p->req.path, "/example space/\xe1\x88\xb4 x");
    check_view(p->req.query, "a b=c d");
    check_view(p->version, "HTTP/1.1");
    test_free(p);

    p = parse_ok("GET / HTTP/1.0"); /* no line break, no headers */
    check_view(p->version, "HTTP/1.0");
    assert_int_equal(p->req.header_count, 0);
    assert_int_equal(p->req.body_len, 0);
    test_free(p);
}

static void test_sigv4_text_body_after_blank_line(void **state)
{
    (void)state;
    struct idc_sigv4_parsed *p = parse_ok("POST / HTTP/1.1\n"
                                          "Host:example.amazonaws.com\n"
                                          "\n"
                                          "Param1=value1\n"
                                          "\n"
                                          "Host:not-a-header\n");
    assert_int_equal(p->req.header_count, 1);
    check_view(idc_str_make((const char *)p->req.body, p->req.body_len),
               "Param1=value1\n\nHost:not-a-header\n");
    test_free(p);

    p = parse_ok("GET / HTTP/1.1\nHost:h\n");
    assert_int_equal(p->req.body_len, 0);
    test_free(p);
}

static void test_sigv4_text_content_length_drops_trailing_newline(void **state)
{
    (void)state;
    struct idc_sigv4_parsed *p = parse_ok("POST / HTTP/1.1\n"
                                          "Host:example.amazonaws.com\n"
                                          "Content-Length: 13 \n"
                                          "\n"
                                          "Param1=value1\n");
    assert_int_equal(p->req.body_len, 13);
    check_view(idc_str_make((const char *)p->req.body, p->req.body_len), "Param1=value1");
    test_free(p);

    p = parse_ok("POST / HTTP/1.1\nHost:h\ncontent-length:0\n\n\n");
    assert_int_equal(p->req.body_len, 0);
    test_free(p);
}

static void test_sigv4_text_content_length_too_large(void **state)
{
    (void)state;
    parse_fails(IDC_STR("POST / HTTP/1.1\nHost:h\nContent-Length:20\n\nParam1=value1"),
                IDC_ERR_PARSE, "Content-Length is 20 but the body has 13 bytes");
    parse_fails(IDC_STR("POST / HTTP/1.1\nHost:h\nContent-Length:1\n"), IDC_ERR_PARSE,
                "Content-Length is 1 but the body has 0 bytes");
}

static void test_sigv4_text_content_length_not_a_number(void **state)
{
    (void)state;
    parse_fails(IDC_STR("POST / HTTP/1.1\nHost:h\nContent-Length:1x\n\nabc"), IDC_ERR_PARSE,
                "Content-Length '1x' is not a number");
    parse_fails(IDC_STR("POST / HTTP/1.1\nHost:h\nContent-Length:-1\n\nabc"), IDC_ERR_PARSE,
                "is not a number");
    parse_fails(IDC_STR("POST / HTTP/1.1\nHost:h\nContent-Length:99999999999999999999999\n\nabc"),
                IDC_ERR_PARSE, "is not a number");
}

static void test_sigv4_text_bad_request_line(void **state)
{
    (void)state;
    static const char *const lines[] = {
        "GET/HTTP/1.1\nHost:h\n",  /* no spaces */
        "GET / FTP/1.1\nHost:h\n", /* no HTTP/ version */
        "GET /\nHost:h\n",         /* no version at all */
        " / HTTP/1.1\nHost:h\n",   /* empty method */
        "GET HTTP/1.1\nHost:h\n",  /* one space: no target */
        "GET  HTTP/1.1\nHost:h\n", /* empty target */
        "GET / \nHost:h\n",        /* empty version */
        "",                        /* nothing */
        "\nHost:h\n",              /* empty first line */
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        parse_fails(idc_str_c(lines[i]), IDC_ERR_PARSE, "line 1");
        parse_fails(idc_str_c(lines[i]), IDC_ERR_PARSE, "expected 'METHOD TARGET HTTP/1.1'");
    }
}

static void test_sigv4_text_header_without_colon(void **state)
{
    (void)state;
    parse_fails(IDC_STR("GET / HTTP/1.1\nHost:h\nNoColonHere\n"), IDC_ERR_PARSE,
                "line 3: header without a colon: 'NoColonHere'");
    parse_fails(IDC_STR("GET / HTTP/1.1\r\nHost:h\r\nX:1\r\nbad\r\n\r\n"), IDC_ERR_PARSE,
                "line 4: header without a colon");
}

static void test_sigv4_text_continuation_before_header(void **state)
{
    (void)state;
    parse_fails(IDC_STR("GET / HTTP/1.1\n  folded\nHost:h\n"), IDC_ERR_PARSE,
                "line 2: continuation line before any header");
    parse_fails(IDC_STR("GET / HTTP/1.1\n\tfolded\n"), IDC_ERR_PARSE, "line 2: continuation");
}

static void test_sigv4_text_header_name_with_space(void **state)
{
    (void)state;
    parse_fails(IDC_STR("GET / HTTP/1.1\nHost:h\nMy Header:v\n"), IDC_ERR_PARSE,
                "line 3: header name 'My Header' has a space or control byte");
    parse_fails(IDC_STR("GET / HTTP/1.1\nHost :h\n"), IDC_ERR_PARSE, "line 2: header name");
    parse_fails(IDC_STR("GET / HTTP/1.1\nX-\x01:h\n"), IDC_ERR_PARSE, "control byte");
    parse_fails(IDC_STR("GET / HTTP/1.1\n:h\n"), IDC_ERR_PARSE,
                "line 2: header with an empty name");
}

/* A request with `n` headers, Host first. */
static char *request_with_headers(size_t n)
{
    size_t cap = 64 + n * 24;
    char *text = test_malloc(cap);
    assert_non_null(text);
    int len = snprintf(text, cap, "GET / HTTP/1.1\nHost:h\n");
    for (size_t i = 1; i < n; i++) {
        len += snprintf(text + len, cap - (size_t)len, "X-H%03zu:%zu\n", i, i);
    }
    return text;
}

static void test_sigv4_text_header_limit(void **state)
{
    (void)state;
    char *text = request_with_headers(IDC_SIGV4_MAX_HEADERS);
    struct idc_sigv4_parsed *p = parse_ok(text);
    assert_int_equal(p->req.header_count, IDC_SIGV4_MAX_HEADERS);
    check_view(p->headers[IDC_SIGV4_MAX_HEADERS - 1].name, "X-H063");
    test_free(p);
    test_free(text);

    text = request_with_headers(IDC_SIGV4_MAX_HEADERS + 1);
    parse_fails(idc_str_c(text), IDC_ERR_LIMIT, "IDC_SIGV4_MAX_HEADERS");
    parse_fails(idc_str_c(text), IDC_ERR_LIMIT, "line 66: more than 64 headers");
    test_free(text);
}

static void test_sigv4_text_set_target(void **state)
{
    (void)state;
    static const struct {
        const char *target, *path, *query;
    } cases[] = {
        {"/p?q=1", "/p", "q=1"}, {"/p", "/p", ""}, {"/p?", "/p", ""},           {"?a=b", "", "a=b"},
        {"/p?a?b", "/p", "a?b"}, {"", "", ""},     {"/a%20b?x", "/a%20b", "x"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct idc_sigv4_request req = {0};
        struct idc_str target = idc_str_c(cases[i].target);
        idc_sigv4_request_set_target(&req, target);
        check_view(req.path, cases[i].path);
        check_view(req.query, cases[i].query);
        assert_ptr_equal(req.path.p, target.p); /* views into the target */
    }
}

static void test_sigv4_text_find_header_any_case(void **state)
{
    (void)state;
    struct idc_sigv4_parsed *p = parse_ok("GET / HTTP/1.1\n"
                                          "Host:first\n"
                                          "X-Amz-Date:20150830T123600Z\n"
                                          "HOST:second\n");
    const struct idc_sigv4_header *h = idc_sigv4_find_header(&p->req, IDC_STR("host"));
    assert_ptr_equal(h, &p->headers[0]); /* the first of repeated names */
    check_view(h->value, "first");
    assert_ptr_equal(idc_sigv4_find_header(&p->req, IDC_STR("HoSt")), &p->headers[0]);
    assert_ptr_equal(idc_sigv4_find_header(&p->req, IDC_STR("x-amz-date")), &p->headers[1]);
    assert_ptr_equal(idc_sigv4_find_header(&p->req, IDC_STR("X-AMZ-DATE")), &p->headers[1]);
    assert_null(idc_sigv4_find_header(&p->req, IDC_STR("Hos")));
    assert_null(idc_sigv4_find_header(&p->req, IDC_STR("Hosts")));
    assert_null(idc_sigv4_find_header(&p->req, IDC_STR("Authorization")));
    struct idc_sigv4_request empty = {0};
    assert_null(idc_sigv4_find_header(&empty, IDC_STR("Host")));
    test_free(p);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_sigv4_text_suite_request),
    cmocka_unit_test(test_sigv4_text_crlf),
    cmocka_unit_test(test_sigv4_text_obs_fold),
    cmocka_unit_test(test_sigv4_text_request_line_first_and_last_space),
    cmocka_unit_test(test_sigv4_text_body_after_blank_line),
    cmocka_unit_test(test_sigv4_text_content_length_drops_trailing_newline),
    cmocka_unit_test(test_sigv4_text_content_length_too_large),
    cmocka_unit_test(test_sigv4_text_content_length_not_a_number),
    cmocka_unit_test(test_sigv4_text_bad_request_line),
    cmocka_unit_test(test_sigv4_text_header_without_colon),
    cmocka_unit_test(test_sigv4_text_continuation_before_header),
    cmocka_unit_test(test_sigv4_text_header_name_with_space),
    cmocka_unit_test(test_sigv4_text_header_limit),
    cmocka_unit_test(test_sigv4_text_set_target),
    cmocka_unit_test(test_sigv4_text_find_header_any_case),
};

UNIT_MAIN(tests)
