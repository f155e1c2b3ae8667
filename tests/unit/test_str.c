/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_str.c - string views, caller buffers, hex, constant-time compare (str.h) and the
 * error value (error.h): every IDC_ERR_SPACE leaves the output untouched and names what
 * did not fit, and a message too long for its buffer ends with "...".
 */
#include "unit.h"

#include "idc/error.h"
#include "idc/str.h"

static void test_str_eq(void **state)
{
    (void)state;
    assert_true(idc_str_eq(IDC_STR("abc"), idc_str_c("abc")));
    assert_true(idc_str_eq(IDC_STR(""), idc_str_c(NULL)));
    assert_true(idc_str_eq(idc_str_make(NULL, 0), IDC_STR("")));
    assert_false(idc_str_eq(IDC_STR("abc"), IDC_STR("abd")));
    assert_false(idc_str_eq(IDC_STR("abc"), IDC_STR("ab")));
    assert_false(idc_str_eq(IDC_STR("abc"), IDC_STR("ABC")));
    /* Views are not NUL-terminated: only the first `len` bytes count. */
    assert_true(idc_str_eq(idc_str_make("abcdef", 3), IDC_STR("abc")));
    assert_int_equal(idc_str_c(NULL).len, 0);
    assert_non_null(idc_str_c(NULL).p);
}

static void test_str_eq_nocase(void **state)
{
    (void)state;
    assert_true(idc_str_eq_nocase(IDC_STR("X-Amz-Date"), IDC_STR("x-amz-date")));
    assert_true(idc_str_eq_nocase(IDC_STR("HOST"), IDC_STR("host")));
    assert_true(idc_str_eq_nocase(IDC_STR(""), IDC_STR("")));
    assert_false(idc_str_eq_nocase(IDC_STR("host"), IDC_STR("hosts")));
    assert_false(idc_str_eq_nocase(IDC_STR("host"), IDC_STR("hast")));
    /* ASCII folding only: '@' and '`' are 0x20 apart but are not letters. */
    assert_false(idc_str_eq_nocase(IDC_STR("@"), IDC_STR("`")));
    assert_false(idc_str_eq_nocase(IDC_STR("["), IDC_STR("{")));
    assert_false(idc_str_eq_nocase(IDC_STR("\xc3\xa9"), IDC_STR("\xc3\x89")));
}

static void test_str_starts_with(void **state)
{
    (void)state;
    assert_true(idc_str_starts_with(IDC_STR("HTTP/1.1"), IDC_STR("HTTP/")));
    assert_true(idc_str_starts_with(IDC_STR("abc"), IDC_STR("abc")));
    assert_true(idc_str_starts_with(IDC_STR("abc"), IDC_STR("")));
    assert_false(idc_str_starts_with(IDC_STR("ab"), IDC_STR("abc")));
    assert_false(idc_str_starts_with(IDC_STR("http/1.1"), IDC_STR("HTTP/")));
    assert_false(idc_str_starts_with(IDC_STR(""), IDC_STR("a")));
}

static void test_str_trim(void **state)
{
    (void)state;
    struct idc_str t = idc_str_trim(IDC_STR(" \t a  b \t "));
    assert_true(idc_str_eq(t, IDC_STR("a  b"))); /* inner runs are kept */
    assert_true(idc_str_eq(idc_str_trim(IDC_STR("  x  ")), IDC_STR("x")));
    assert_true(idc_str_eq(idc_str_trim(IDC_STR("x")), IDC_STR("x")));
    assert_int_equal(idc_str_trim(IDC_STR(" \t \t")).len, 0);
    assert_int_equal(idc_str_trim(IDC_STR("")).len, 0);
    /* Only spaces and tabs: line breaks stay. */
    assert_true(idc_str_eq(idc_str_trim(IDC_STR("\na\r")), IDC_STR("\na\r")));
}

static void test_str_copy_fits(void **state)
{
    (void)state;
    char out[6];
    memset(out, '#', sizeof out);
    struct idc_error err = {0};
    assert_int_equal(idc_str_copy(IDC_STR("hello"), out, sizeof out, "region", &err), IDC_OK);
    assert_string_equal(out, "hello");
    assert_int_equal(idc_str_copy(IDC_STR(""), out, 1, "region", &err), IDC_OK);
    assert_string_equal(out, "");
    /* A view stops at its length, not at a NUL. */
    assert_int_equal(idc_str_copy(idc_str_make("abcdef", 2), out, sizeof out, "x", NULL), IDC_OK);
    assert_string_equal(out, "ab");
}

static void test_str_copy_one_byte_short(void **state)
{
    (void)state;
    char out[6];
    memset(out, '#', sizeof out);
    struct idc_error err = {0};
    /* Six bytes plus the NUL need seven. */
    assert_int_equal(idc_str_copy(IDC_STR("abcdef"), out, sizeof out, "service name", &err),
                     IDC_ERR_SPACE);
    assert_int_equal(err.code, IDC_ERR_SPACE);
    assert_non_null(strstr(err.msg, "service name"));
    assert_non_null(strstr(err.msg, "6 bytes"));
    assert_non_null(strstr(err.msg, "at most 5"));
    for (size_t i = 0; i < sizeof out; i++) {
        assert_int_equal(out[i], '#'); /* nothing written */
    }
    assert_int_equal(idc_str_copy(IDC_STR("a"), out, 0, "empty", NULL), IDC_ERR_SPACE);
}

static void test_str_buf_put_appends(void **state)
{
    (void)state;
    char mem[8];
    struct idc_buf b = IDC_BUF(mem);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 8);
    assert_int_equal(idc_buf_put(&b, "abc", 3, "out", NULL), IDC_OK);
    assert_int_equal(idc_buf_put(&b, "", 0, "out", NULL), IDC_OK);
    assert_int_equal(idc_buf_put(&b, "defgh", 5, "out", NULL), IDC_OK);
    assert_int_equal(b.len, 8);
    assert_memory_equal(mem, "abcdefgh", 8);
    assert_int_equal(idc_buf_put(&b, "", 0, "out", NULL), IDC_OK); /* empty fits a full buffer */
}

static void test_str_buf_put_space(void **state)
{
    (void)state;
    char mem[8];
    memset(mem, '#', sizeof mem);
    struct idc_buf b = IDC_BUF(mem);
    struct idc_error err = {0};
    assert_int_equal(idc_buf_put(&b, "abcde", 5, "authorization value", &err), IDC_OK);
    assert_int_equal(idc_buf_put(&b, "wxyz", 4, "authorization value", &err), IDC_ERR_SPACE);
    assert_int_equal(b.len, 5);
    assert_int_equal(err.code, IDC_ERR_SPACE);
    assert_non_null(strstr(err.msg, "authorization value"));
    assert_non_null(strstr(err.msg, "4 more bytes"));
    assert_non_null(strstr(err.msg, "3 free"));
    assert_memory_equal(mem + 5, "###", 3); /* nothing written past len */
    assert_int_equal(idc_buf_put(&b, "xyz", 3, "authorization value", &err), IDC_OK);
    assert_memory_equal(mem, "abcdexyz", 8);
    assert_int_equal(idc_buf_put(&b, "!", 1, "out", NULL), IDC_ERR_SPACE);
    assert_int_equal(b.len, 8);
}

static void test_str_hex_lower(void **state)
{
    (void)state;
    static const uint8_t in[] = {0x00, 0x01, 0x7f, 0x80, 0xab, 0xcd, 0xef, 0xff, 0x10, 0x9a};
    static const char want[] = "00017f80abcdefff109a";
    /* Every length from 0 to 10 crosses the four-byte stride and its tail. */
    for (size_t n = 0; n <= sizeof in; n++) {
        char out[2 * sizeof in + 4];
        memset(out, '#', sizeof out);
        idc_hex_lower(in, n, out);
        assert_memory_equal(out, want, 2 * n);
        for (size_t i = 2 * n; i < sizeof out; i++) {
            assert_int_equal(out[i], '#'); /* no NUL, no byte past 2n */
        }
    }
    uint8_t all[256];
    char hex[512];
    for (size_t i = 0; i < 256; i++) {
        all[i] = (uint8_t)i;
    }
    idc_hex_lower(all, sizeof all, hex);
    for (size_t i = 0; i < 256; i++) {
        char one[3];
        snprintf(one, sizeof one, "%02x", (unsigned)i);
        assert_memory_equal(hex + 2 * i, one, 2);
    }
}

static void test_str_hex_value(void **state)
{
    (void)state;
    for (int c = 0; c < 256; c++) {
        int want = -1;
        if (c >= '0' && c <= '9') {
            want = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            want = c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            want = c - 'A' + 10;
        }
        assert_int_equal(idc_hex_value((unsigned char)c), want);
    }
}

/* idc_ct_eq over `n` bytes: equal, and one byte changed at first / middle / last. */
static void check_ct_eq(size_t n)
{
    uint8_t a[64], b[64];
    for (size_t i = 0; i < n; i++) {
        a[i] = b[i] = (uint8_t)(i * 37 + 11);
    }
    assert_true(idc_ct_eq(a, b, n));
    if (n == 0) {
        a[0] = 1;
        b[0] = 2;
        assert_true(idc_ct_eq(a, b, 0)); /* nothing compared */
        return;
    }
    const size_t where[] = {0, n / 2, n - 1};
    for (size_t w = 0; w < 3; w++) {
        b[where[w]] ^= 0x01;
        assert_false(idc_ct_eq(a, b, n));
        b[where[w]] ^= 0x81; /* now the high bit differs instead */
        assert_false(idc_ct_eq(a, b, n));
        b[where[w]] ^= 0x80;
        assert_true(idc_ct_eq(a, b, n));
    }
}

static void test_str_ct_eq(void **state)
{
    (void)state;
    const size_t lengths[] = {0, 1, 7, 8, 9, 15, 16, 17, 40, 64};
    for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
        check_ct_eq(lengths[i]);
    }
    /* Unaligned views of the same bytes. */
    static const char s[] = "xx0123456789abcdef0123456789abcdef0123456789";
    static const char t[] = "y0123456789abcdef0123456789abcdef0123456789";
    assert_true(idc_ct_eq(s + 2, t + 1, 40));
    assert_false(idc_ct_eq(s + 1, t + 1, 40));
}

static void test_str_error_set_null(void **state)
{
    (void)state;
    assert_int_equal(idc_error_set(NULL, IDC_ERR_LIMIT, "ignored %d", 1), IDC_ERR_LIMIT);
    assert_int_equal(idc_error_set(NULL, IDC_OK, "ignored"), IDC_OK);
}

static void test_str_error_set_fills(void **state)
{
    (void)state;
    struct idc_error err = {.code = IDC_OK, .native = 42};
    assert_int_equal(idc_error_set(&err, IDC_ERR_PARSE, "line %d: '%s'", 3, "oops"), IDC_ERR_PARSE);
    assert_int_equal(err.code, IDC_ERR_PARSE);
    assert_int_equal(err.native, 0);
    assert_string_equal(err.msg, "line 3: 'oops'");
}

static void test_str_error_set_long_message_cut(void **state)
{
    (void)state;
    char text[1000];
    memset(text, 'x', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    struct idc_error err = {0};
    int room = (int)sizeof err.msg - 1;

    /* sizeof msg - 1 characters fit exactly: no cut. */
    assert_int_equal(idc_error_set(&err, IDC_ERR_ARG, "%.*s", room, text), IDC_ERR_ARG);
    assert_int_equal(strlen(err.msg), (size_t)room);
    assert_int_equal(err.msg[room - 1], 'x');

    /* One more is cut, and the cut shows. */
    idc_error_set(&err, IDC_ERR_ARG, "%.*s", room + 1, text);
    assert_int_equal(strlen(err.msg), (size_t)room);
    assert_string_equal(err.msg + room - 3, "...");

    idc_error_set(&err, IDC_ERR_IO, "start %s", text);
    assert_int_equal(err.code, IDC_ERR_IO);
    assert_int_equal(strlen(err.msg), sizeof err.msg - 1);
    assert_true(strncmp(err.msg, "start xxx", 9) == 0);
    assert_string_equal(err.msg + sizeof err.msg - 4, "...");
}

static void test_str_error_prefix(void **state)
{
    (void)state;
    struct idc_error err = {0};
    idc_error_set(&err, IDC_ERR_IO, "connect: refused");
    assert_int_equal(idc_error_prefix(&err, "sync %s", "prod"), IDC_ERR_IO);
    assert_string_equal(err.msg, "sync prod: connect: refused");
    assert_int_equal(err.code, IDC_ERR_IO);
    assert_int_equal(idc_error_prefix(NULL, "sync %s", "prod"), IDC_ERR_ARG);

    /* A prefix that pushes the message over the buffer is cut visibly. */
    char text[1000];
    memset(text, 'y', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    int room = (int)sizeof err.msg - 1;
    idc_error_set(&err, IDC_ERR_SPACE, "%.*s", room - 50, text);
    assert_int_equal(idc_error_prefix(&err, "%.100s", text), IDC_ERR_SPACE);
    assert_int_equal(strlen(err.msg), sizeof err.msg - 1);
    assert_string_equal(err.msg + sizeof err.msg - 4, "...");
    assert_true(strncmp(err.msg, "yyyy", 4) == 0);
}

static void test_str_err_name(void **state)
{
    (void)state;
    assert_string_equal(idc_err_name(IDC_OK), "IDC_OK");
    assert_string_equal(idc_err_name(IDC_ERR_ARG), "IDC_ERR_ARG");
    assert_string_equal(idc_err_name(IDC_ERR_SPACE), "IDC_ERR_SPACE");
    assert_string_equal(idc_err_name(IDC_ERR_LIMIT), "IDC_ERR_LIMIT");
    assert_string_equal(idc_err_name(IDC_ERR_PARSE), "IDC_ERR_PARSE");
    assert_string_equal(idc_err_name(IDC_ERR_IO), "IDC_ERR_IO");
    assert_string_equal(idc_err_name(IDC_ERR_NOMEM), "IDC_ERR_NOMEM");
    assert_string_equal(idc_err_name(IDC_ERR_AUTH_MISSING), "IDC_ERR_AUTH_MISSING");
    assert_string_equal(idc_err_name(IDC_ERR_AUTH_MALFORMED), "IDC_ERR_AUTH_MALFORMED");
    assert_string_equal(idc_err_name(IDC_ERR_SIGNATURE), "IDC_ERR_SIGNATURE");
    assert_string_equal(idc_err_name(IDC_ERR_EXPIRED), "IDC_ERR_EXPIRED");
    assert_string_equal(idc_err_name(IDC_ERR_MISMATCH), "IDC_ERR_MISMATCH");
    assert_string_equal(idc_err_name(IDC_ERR__COUNT), "IDC_ERR_?");
    assert_string_equal(idc_err_name((idc_err)1000), "IDC_ERR_?");
}

static void test_str_wipe(void **state)
{
    (void)state;
    char secret[16];
    memset(secret, 'k', sizeof secret);
    idc_wipe(secret, 8);
    for (size_t i = 0; i < 8; i++) {
        assert_int_equal(secret[i], 0);
    }
    assert_int_equal(secret[8], 'k');
    idc_wipe(NULL, 8); /* NULL is fine */
    idc_wipe(secret, 0);
    assert_int_equal(secret[8], 'k');
}

static void test_str_to_u64_accepts(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        uint64_t max;
        uint64_t want;
    } cases[] = {
        {"0", 10, 0},
        {"7", 10, 7},
        {"10", 10, 10},
        {"007", 65535, 7},
        {"65535", 65535, 65535},
        {"18446744073709551615", UINT64_MAX, UINT64_MAX},
        {"9", 9, 9},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t v = 12345;
        if (!idc_str_to_u64(idc_str_c(cases[i].text), cases[i].max, &v) || v != cases[i].want) {
            fail_msg("'%s' (max %llu): got %llu", cases[i].text, (unsigned long long)cases[i].max,
                     (unsigned long long)v);
        }
    }
    /* Only the view's bytes count: "42" of "4242". */
    uint64_t v = 0;
    assert_true(idc_str_to_u64(idc_str_make("4242", 2), 100, &v));
    assert_int_equal(v, 42);
}

static void test_str_to_u64_refuses(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        uint64_t max;
    } cases[] = {
        {"", 10},
        {" 1", 10},
        {"1 ", 10},
        {"+1", 10},
        {"-1", 10},
        {"0x1", 100},
        {"1e3", 1000},
        {"11", 10},
        {"65536", 65535},
        {"10", 9},
        {"1", 0},
        {"18446744073709551616", UINT64_MAX},
        {"99999999999999999999999", UINT64_MAX},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint64_t v = 12345;
        if (idc_str_to_u64(idc_str_c(cases[i].text), cases[i].max, &v) || v != 12345) {
            fail_msg("'%s' (max %llu) should be refused, *out untouched", cases[i].text,
                     (unsigned long long)cases[i].max);
        }
    }
    uint64_t v = 5;
    assert_false(idc_str_to_u64(idc_str_make(NULL, 0), 10, &v));
    assert_int_equal(v, 5);
}

static void test_str_error_set_native(void **state)
{
    (void)state;
    struct idc_error err = {0};
    assert_int_equal(idc_error_set_native(&err, IDC_ERR_RESET, 104, "reset: %s", "by peer"),
                     IDC_ERR_RESET);
    assert_int_equal(err.code, IDC_ERR_RESET);
    assert_int_equal(err.native, 104);
    assert_string_equal(err.msg, "reset: by peer");
    /* A later plain idc_error_set clears the native code again. */
    idc_error_set(&err, IDC_ERR_ARG, "x");
    assert_int_equal(err.native, 0);
    assert_int_equal(idc_error_set_native(NULL, IDC_ERR_TLS, -0x2700, "no err"), IDC_ERR_TLS);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_str_eq),
    cmocka_unit_test(test_str_eq_nocase),
    cmocka_unit_test(test_str_starts_with),
    cmocka_unit_test(test_str_trim),
    cmocka_unit_test(test_str_copy_fits),
    cmocka_unit_test(test_str_copy_one_byte_short),
    cmocka_unit_test(test_str_buf_put_appends),
    cmocka_unit_test(test_str_buf_put_space),
    cmocka_unit_test(test_str_hex_lower),
    cmocka_unit_test(test_str_hex_value),
    cmocka_unit_test(test_str_ct_eq),
    cmocka_unit_test(test_str_error_set_null),
    cmocka_unit_test(test_str_error_set_fills),
    cmocka_unit_test(test_str_error_set_long_message_cut),
    cmocka_unit_test(test_str_error_prefix),
    cmocka_unit_test(test_str_err_name),
    cmocka_unit_test(test_str_wipe),
    cmocka_unit_test(test_str_to_u64_accepts),
    cmocka_unit_test(test_str_to_u64_refuses),
    cmocka_unit_test(test_str_error_set_native),
};

UNIT_MAIN(tests)
