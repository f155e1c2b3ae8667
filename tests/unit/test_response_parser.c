/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_response_parser.c - the native transport's HTTP/1.1 response parser fed from memory:
 * each answer whole and cut into every piece size, framing by chunks, length and close,
 * interim answers, and every limit (head, chunk-size and trailer lines, trailers, body cap).
 */
#include "unit.h"

#include <stdlib.h>

#include "response_parser.h"
#include "transport_int.h"

struct parsed {
    idc_err rc;
    bool done;
    bool keep_alive;
    struct idc_http_response resp;
    struct idc_dynbuf body;
    struct idc_error err;
    size_t fed; /* bytes consumed in all */
};

/* Feeds `text` `piece` bytes at a time, as a socket would deliver it, keeping what the
 * parser left unconsumed in front of the next piece; ends with EOF when `eof`. */
static void parse(const char *text, size_t len, size_t piece, bool eof, size_t cap,
                  struct parsed *out)
{
    *out = (struct parsed){0};
    idc_http_response_reset(&out->resp);
    struct idc_http_parser p;
    idc_http_parser_init(&p, false, cap);
    size_t start = 0, end = 0;
    while (out->rc == IDC_OK && !idc_http_parser_done(&p)) {
        if (end == len) {
            if (eof) {
                out->rc = idc_http_parse_eof(&p, len > 0, &out->err);
            }
            break;
        }
        end = end + piece < len ? end + piece : len;
        size_t used = 0;
        out->rc =
            idc_http_parse(&p, text + start, end - start, &used, &out->resp, &out->body, &out->err);
        start += used;
    }
    out->fed = start;
    out->done = idc_http_parser_done(&p);
    out->keep_alive = idc_http_parser_keep_alive(&p);
}

static void parsed_free(struct parsed *p)
{
    idc_dynbuf_free(&p->body);
}

/* Every piece size from 1 byte to the whole gives the same answer. */
static void check_all_pieces(const char *text, int status, const char *body, bool keep_alive)
{
    size_t len = strlen(text);
    for (size_t piece = 1; piece <= len; piece++) {
        struct parsed p;
        parse(text, len, piece, true, 1 << 20, &p);
        assert_int_equal(p.rc, IDC_OK);
        assert_true(p.done);
        assert_int_equal(p.resp.status, status);
        assert_int_equal(p.body.len, strlen(body));
        assert_memory_equal(p.body.p ? p.body.p : "", body, strlen(body));
        assert_int_equal(p.keep_alive, keep_alive);
        parsed_free(&p);
    }
}

static void test_response_parser_content_length(void **state)
{
    (void)state;
    check_all_pieces("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nx-amzn-RequestId: r-1\r\n\r\nhello",
                     200, "hello", true);
    struct parsed p;
    const char *t = "HTTP/1.1 200 OK\r\nx-amzn-RequestId: r-1\r\nContent-Length: 0\r\n\r\n";
    parse(t, strlen(t), 1000, false, 100, &p);
    assert_string_equal(p.resp.request_id, "r-1");
    assert_true(p.done);
    parsed_free(&p);
}

static void test_response_parser_chunked_with_trailers(void **state)
{
    (void)state;
    check_all_pieces("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "5;ext=1\r\nhello\r\n1 \r\n!\r\n0\r\nX-Trailer: a\r\nY: b\r\n\r\n",
                     200, "hello!", true);
}

static void test_response_parser_until_close(void **state)
{
    (void)state;
    check_all_pieces("HTTP/1.1 500 Oops\r\nContent-Type: text/html\r\n\r\n<html>x</html>", 500,
                     "<html>x</html>", false);
    check_all_pieces("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", 200, "ok", false);
    check_all_pieces(
        "HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 2\r\n\r\nok", 200,
        "ok", false);
}

static void test_response_parser_interim_and_bodyless(void **state)
{
    (void)state;
    check_all_pieces(
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n", 204,
        "", true);
    struct parsed p;
    struct idc_dynbuf many = {0};
    for (int i = 0; i < IDC_HTTP_INTERIM_MAX + 1; i++) {
        idc_dynbuf_printf(&many, "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n");
    }
    idc_dynbuf_printf(&many, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    parse(many.p, many.len, 4096, true, 100, &p);
    assert_int_equal(p.rc, IDC_ERR_HTTP);
    assert_non_null(strstr(p.err.msg, "interim (1xx)"));
    parsed_free(&p);
    idc_dynbuf_free(&many);
}

/* An interim answer's headers are not the final answer's: a Retry-After on a 100 Continue
 * must not make the client wait. */
static void test_response_parser_interim_headers_dropped(void **state)
{
    (void)state;
    const char *t = "HTTP/1.1 100 Continue\r\nRetry-After: 3600\r\nX-Amzn-ErrorType: Throttling\r\n"
                    "\r\nHTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n";
    struct parsed p;
    parse(t, strlen(t), 7, true, 100, &p);
    assert_int_equal(p.rc, IDC_OK);
    assert_int_equal(p.resp.status, 503);
    assert_int_equal(p.resp.retry_after, -1);
    assert_string_equal(p.resp.error_type, "");
    parsed_free(&p);
}

/* Whether the connection may carry the next request. */
static void test_response_parser_connection_reuse(void **state)
{
    (void)state;
    const struct {
        const char *text;
        bool keep_alive;
    } cases[] = {
        {"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true},
        {"HTTP/1.1 200 OK\r\nConnection: close\r\nConnection: x-foo\r\nContent-Length: 0\r\n\r\n",
         false},
        {"HTTP/1.0 200 OK\r\nConnection: x-foo\r\nContent-Length: 0\r\n\r\n", false},
        {"HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", true},
        {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
         false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct parsed p;
        parse(cases[i].text, strlen(cases[i].text), 1000, false, 100, &p);
        assert_int_equal(p.rc, IDC_OK);
        assert_true(p.done);
        if (p.keep_alive != cases[i].keep_alive) {
            fail_msg("case %zu: keep-alive %d", i, p.keep_alive);
        }
        parsed_free(&p);
    }
}

/* A HEAD answer ends after its headers, whatever its Content-Length says. */
static void test_response_parser_head_request(void **state)
{
    (void)state;
    const char *t = "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\nHTTP/1.1 200 OK\r\n";
    struct idc_http_parser p;
    idc_http_parser_init(&p, true, 100);
    struct idc_http_response resp;
    idc_http_response_reset(&resp);
    struct idc_dynbuf body = {0};
    struct idc_error err = {0};
    size_t used;
    assert_int_equal(idc_http_parse(&p, t, strlen(t), &used, &resp, &body, &err), IDC_OK);
    assert_true(idc_http_parser_done(&p));
    assert_true(idc_http_parser_keep_alive(&p));
    assert_int_equal(used, strlen("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"));
    assert_int_equal(body.len, 0);
}

static void expect_error(const char *text, size_t len, size_t cap, idc_err rc, const char *said)
{
    struct parsed p;
    parse(text, len, 1500, true, cap, &p);
    if (p.rc != rc) {
        fail_msg("'%s' gives %s (%s)", text, idc_err_name(p.rc), p.err.msg);
    }
    if (strstr(p.err.msg, said) == NULL) {
        fail_msg("'%s' does not say '%s'", p.err.msg, said);
    }
    parsed_free(&p);
}

static void test_response_parser_malformed(void **state)
{
    (void)state;
    const char *cases[][2] = {
        {"HTTP/2 200\r\n\r\n", "not an HTTP/1.x response"},
        {"SSH-2.0-OpenSSH\r\n\r\n", "not an HTTP/1.x response"},
        {"HTTP/1.1 200OK\r\n\r\n", "not an HTTP/1.x response"},
        {"HTTP/1.1 099 Low\r\n\r\n", "not one HTTP has"},
        {"HTTP/1.1 200 OK\r\nContent-Length : 2\r\n\r\nok",
         "ends with whitespace: 'Content-Length '"},
        {"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n", "switched protocols"},
        {"HTTP/1.1 200 OK\r\n\r\n"
         "0123456789012345678901234567890123456789012345678901234567890123456789"
         "0123456789012345678901234567890123456789",
         "over the 100-byte cap"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\n", "not a number"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
         "twice with different values"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size line"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n11111111111111111\r\n",
         "bad chunk size line"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", "runs past its size"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 200\r\n\r\nabc", "over the 100-byte cap"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n65\r\n", "over the 100-byte cap"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        expect_error(cases[i][0], strlen(cases[i][0]), 100, IDC_ERR_HTTP, cases[i][1]);
    }
    expect_error("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 41, 100, IDC_ERR_RESET,
                 "truncated");
    expect_error("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", 52, 100,
                 IDC_ERR_RESET, "chunked body cut short");
    expect_error("HTTP/1.1 200 OK\r\nCont", 22, 100, IDC_ERR_RESET,
                 "middle of the response headers");
    expect_error("", 0, 100, IDC_ERR_RESET, "without answering");
}

/* Endless headers, chunk-size lines, trailers and chunks each end at their limit. */
static void test_response_parser_limits(void **state)
{
    (void)state;
    struct idc_dynbuf t = {0};
    idc_dynbuf_printf(&t, "HTTP/1.1 200 OK\r\n");
    while (t.len <= IDC_HTTP_HEAD_MAX) {
        idc_dynbuf_printf(&t, "X-Filler: %0100d\r\n", 0);
    }
    expect_error(t.p, t.len, 100, IDC_ERR_HTTP, "headers are over 65536 bytes");

    t.len = 0;
    idc_dynbuf_printf(&t, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;");
    while (t.len < 2 * IDC_HTTP_LINE_MAX) {
        idc_dynbuf_put(&t, "e", 1);
    }
    expect_error(t.p, t.len, 100, IDC_ERR_HTTP, "a chunk-size line is over 4096 bytes");

    t.len = 0;
    idc_dynbuf_printf(&t, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n");
    while (t.len < 2 * IDC_HTTP_TRAILERS_MAX) {
        idc_dynbuf_printf(&t, "X-T: %0200d\r\n", 0);
    }
    expect_error(t.p, t.len, 100, IDC_ERR_HTTP, "trailers are over 65536 bytes");

    t.len = 0;
    idc_dynbuf_printf(&t, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
    while (t.len < 4096) {
        idc_dynbuf_printf(&t, "1\r\nx\r\n");
    }
    expect_error(t.p, t.len, 100, IDC_ERR_HTTP, "over the 100-byte cap");
    idc_dynbuf_free(&t);
}

/* Fed a byte at a time, a head is searched once, not once per byte. */
static void test_response_parser_no_rescan(void **state)
{
    (void)state;
    struct idc_http_parser p;
    idc_http_parser_init(&p, false, 100);
    struct idc_http_response resp;
    idc_http_response_reset(&resp);
    struct idc_dynbuf body = {0};
    struct idc_error err = {0};
    const char *t = "HTTP/1.1 200 OK\r\nA: b\r\n\r";
    size_t used;
    for (size_t n = 1; n <= strlen(t); n++) {
        assert_int_equal(idc_http_parse(&p, t, n, &used, &resp, &body, &err), IDC_OK);
        assert_int_equal(used, 0);
        assert_int_equal(p.scanned, n);
    }
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_response_parser_content_length),
    cmocka_unit_test(test_response_parser_chunked_with_trailers),
    cmocka_unit_test(test_response_parser_until_close),
    cmocka_unit_test(test_response_parser_interim_and_bodyless),
    cmocka_unit_test(test_response_parser_interim_headers_dropped),
    cmocka_unit_test(test_response_parser_connection_reuse),
    cmocka_unit_test(test_response_parser_head_request),
    cmocka_unit_test(test_response_parser_malformed),
    cmocka_unit_test(test_response_parser_limits),
    cmocka_unit_test(test_response_parser_no_rescan),
};

UNIT_MAIN(tests)
