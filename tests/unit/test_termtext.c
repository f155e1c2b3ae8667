/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_termtext.c - terminal-safe text (termtext.c): valid UTF-8 kept, controls, C1, bidi
 * controls and every kind of invalid UTF-8 escaped, the ASCII fast path, escaping twice,
 * cutting into a small buffer without splitting a character or an escape, and libidc's
 * error messages, escaped whatever their values hold.
 */
#include "unit.h"

#include <stdlib.h>

#include "escape.h"
#include "termtext.h"

struct escape_case {
    const char *in;
    size_t len; /* 0: strlen(in) */
    const char *out;
};

static const struct escape_case cases[] = {
    {"plain ASCII, 0123456789 ~!@#$%^&*()", 0, "plain ASCII, 0123456789 ~!@#$%^&*()"},
    {"", 0, ""},
    {"Jos\xC3\xA9 \xC3\x81lvarez", 0, "Jos\xC3\xA9 \xC3\x81lvarez"},
    {"\xE5\xB1\xB1\xE7\x94\xB0 \xE5\xA4\xAA\xE9\x83\x8E", 0,
     "\xE5\xB1\xB1\xE7\x94\xB0 \xE5\xA4\xAA\xE9\x83\x8E"}, /* 山田 太郎 */
    {"emoji \xF0\x9F\x98\x80 and U+10FFFF \xF4\x8F\xBF\xBF", 0,
     "emoji \xF0\x9F\x98\x80 and U+10FFFF \xF4\x8F\xBF\xBF"},
    {"a\x1b[31mred", 0, "a\\x1b[31mred"},
    {"bell\a", 0, "bell\\x07"},
    {"one\ntwo\r\tthree", 0, "one\\ntwo\\r\\tthree"},
    {"nul\0after", 9, "nul\\x00after"},
    {"del\x7f", 0, "del\\x7f"},
    {"csi \xC2\x9B"
     "31m",
     0, "csi \\u009b31m"},                                               /* C1 CSI, valid UTF-8 */
    {"c1 \xC2\x80 \xC2\x9F \xC2\xA0", 0, "c1 \\u0080 \\u009f \xC2\xA0"}, /* NBSP is kept */
    {"overlong \xC0\xAF", 0, "overlong \\xc0\\xaf"},
    {"overlong3 \xE0\x80\xAF", 0, "overlong3 \\xe0\\x80\\xaf"},
    {"overlong4 \xF0\x80\x80\xAF", 0, "overlong4 \\xf0\\x80\\x80\\xaf"},
    {"surrogate \xED\xA0\x80", 0, "surrogate \\xed\\xa0\\x80"},
    {"beyond \xF4\x90\x80\x80", 0, "beyond \\xf4\\x90\\x80\\x80"},
    {"f5 \xF5\x80\x80\x80 ff \xFF", 0, "f5 \\xf5\\x80\\x80\\x80 ff \\xff"},
    {"lone \x80 continuation", 0, "lone \\x80 continuation"},
    {"cut \xE5\xB1", 0, "cut \\xe5\\xb1"},          /* truncated at the end */
    {"cut \xE5\xB1x", 0, "cut \\xe5\\xb1x"},        /* truncated before ASCII */
    {"cut \xF0\x9F\x98", 0, "cut \\xf0\\x9f\\x98"}, /* 3 of 4 bytes */
    {"cut \xC3", 0, "cut \\xc3"},
    {"restart \xE5\xE5\xB1\xB1", 0, "restart \\xe5\xE5\xB1\xB1"}, /* a lead, then a whole one */
    {"rlo \xE2\x80\xAE"
     "cod.exe",
     0, "rlo \\u202ecod.exe"},
    {"bidi \xE2\x80\xAA\xE2\x80\xAB\xE2\x80\xAC\xE2\x80\xAD", 0,
     "bidi \\u202a\\u202b\\u202c\\u202d"},
    {"isolates \xE2\x81\xA6\xE2\x81\xA7\xE2\x81\xA8\xE2\x81\xA9", 0,
     "isolates \\u2066\\u2067\\u2068\\u2069"},
    {"separators \xE2\x80\xA8\xE2\x80\xA9", 0, "separators \\u2028\\u2029"},
    {"back\\slash \\x1b", 0, "back\\slash \\x1b"}, /* not escaped: the output is for the eye */
};

static char *escaped(const char *s, size_t n)
{
    struct idc_dynbuf b = {0};
    idc_text_escape(&b, s, n);
    idc_dynbuf_put(&b, "", 1);
    assert_false(b.failed);
    return b.p;
}

static void test_termtext_escapes_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = cases[i].len ? cases[i].len : strlen(cases[i].in);
        char *got = escaped(cases[i].in, n);
        if (strcmp(got, cases[i].out) != 0) {
            fail_msg("case %zu: got \"%s\", want \"%s\"", i, got, cases[i].out);
        }
        /* the fixed-buffer form agrees when the buffer is large enough */
        char fixed[128];
        assert_int_equal(idc_text_escape_to(idc_str_make(cases[i].in, n), fixed, sizeof fixed),
                         strlen(cases[i].out));
        assert_string_equal(fixed, cases[i].out);
        free(got);
    }
}

static void test_termtext_escaping_twice_changes_nothing(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = cases[i].len ? cases[i].len : strlen(cases[i].in);
        char *once = escaped(cases[i].in, n);
        char *twice = escaped(once, strlen(once));
        assert_string_equal(once, twice);
        assert_int_equal(idc_text_plain_span(once, strlen(once)), strlen(once));
        free(once);
        free(twice);
    }
}

static void test_termtext_fast_path_finds_the_byte(void **state)
{
    (void)state;
    /* every unsafe byte at every position of a long ASCII run is found, not skipped */
    static const unsigned char bad[] = {0x00, 0x01, 0x1b, 0x1f, 0x7f, 0x80, 0x9b, 0xc2, 0xff};
    char text[40];
    for (size_t b = 0; b < sizeof bad; b++) {
        for (size_t at = 0; at < sizeof text; at++) {
            memset(text, 'a', sizeof text);
            text[at] = (char)bad[b];
            assert_int_equal(idc_text_plain_span(text, sizeof text), at);
        }
    }
    memset(text, ' ', sizeof text);
    text[sizeof text - 1] = '~';
    assert_int_equal(idc_text_plain_span(text, sizeof text), sizeof text);
}

static void test_termtext_utf8_next_reads_strictly(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(idc_utf8_next("\xC3\xA9", 2, &cp), 2);
    assert_int_equal(cp, 0xE9);
    assert_int_equal(idc_utf8_next("\xED\x9F\xBF", 3, &cp), 3); /* U+D7FF, below surrogates */
    assert_int_equal(cp, 0xD7FF);
    assert_int_equal(idc_utf8_next("\xEE\x80\x80", 3, &cp), 3); /* U+E000, above them */
    assert_int_equal(cp, 0xE000);
    assert_int_equal(idc_utf8_next("\xED\xBF\xBF", 3, &cp), 1); /* U+DFFF */
    assert_int_equal(cp, IDC_UTF8_INVALID);
    assert_int_equal(idc_utf8_next("\xC1\xBF", 2, &cp), 1); /* overlong '?' */
    assert_int_equal(cp, IDC_UTF8_INVALID);
    assert_int_equal(idc_utf8_next("\xE5\xB1\xB1", 2, &cp), 1); /* cut by the length */
    assert_int_equal(cp, IDC_UTF8_INVALID);
}

static void test_termtext_cut_keeps_characters_and_escapes_whole(void **state)
{
    (void)state;
    char out[12];
    /* fits exactly: no "..." */
    assert_int_equal(idc_text_escape_to(IDC_STR("0123456789a"), out, sizeof out), 11);
    assert_string_equal(out, "0123456789a");
    assert_int_equal(idc_text_escape_to(IDC_STR("0123456789ab"), out, sizeof out), 11);
    assert_string_equal(out, "01234567...");
    /* an escape that would not fit whole goes, with "..." */
    idc_text_escape_to(IDC_STR("012345\x1b[31m"), out, sizeof out);
    assert_string_equal(out, "012345...");
    /* a three-byte character is never split */
    idc_text_escape_to(IDC_STR("abcdef\xE5\xB1\xB1\xE7\x94\xB0"), out, sizeof out);
    assert_string_equal(out, "abcdef...");
    /* the smallest buffer */
    char tiny[4];
    idc_text_escape_to(IDC_STR("\x1b"), tiny, sizeof tiny);
    assert_string_equal(tiny, "...");
    idc_text_escape_to(IDC_STR("abc"), tiny, sizeof tiny);
    assert_string_equal(tiny, "abc");
}

static void test_termtext_error_messages_are_escaped(void **state)
{
    (void)state;
    struct idc_error err = {0};
    idc_error_set(&err, IDC_ERR_NOT_FOUND, "no user %s", "a\x1b[2Jb\nJos\xC3\xA9\xFF");
    assert_string_equal(err.msg, "no user a\\x1b[2Jb\\nJos\xC3\xA9\\xff");
    idc_error_prefix(&err, "removing %s from group %s",
                     "\xE2\x80\xAE"
                     "evil",
                     "g\a");
    assert_string_equal(err.msg, "removing \\u202eevil from group g\\x07: no user "
                                 "a\\x1b[2Jb\\nJos\xC3\xA9\\xff");
    /* a cut message still ends with "..." and never splits a character or an escape */
    char long_name[600];
    memset(long_name, 'x', sizeof long_name);
    memcpy(long_name + 370, "\xE5\xB1\xB1\x1b", 4);
    long_name[sizeof long_name - 1] = '\0';
    idc_error_set(&err, IDC_ERR_ARG, "%s", long_name);
    size_t n = strlen(err.msg);
    assert_true(n < sizeof err.msg);
    assert_string_equal(err.msg + n - 3, "...");
    assert_int_equal(idc_text_plain_span(err.msg, n), n);
}

static void test_termtext_json_output_is_valid_utf8(void **state)
{
    (void)state;
    static const char in[] = "a\"b\\c\n\x1b\x7f\xC2\x9B\xE2\x80\xAE"
                             "d\xFF\xC0\xAFJos\xC3\xA9 \xE5\xB1\xB1";
    struct idc_dynbuf b = {0};
    idc_json_quote_text(&b, in, sizeof in - 1);
    idc_dynbuf_put(&b, "", 1);
    assert_false(b.failed);
    assert_string_equal(b.p, "\"a\\\"b\\\\c\\n\\u001b\\u007f\\u009b\\u202ed"
                             "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDJos\xC3\xA9 \xE5\xB1\xB1\"");
    idc_dynbuf_free(&b);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_termtext_escapes_table),
    cmocka_unit_test(test_termtext_escaping_twice_changes_nothing),
    cmocka_unit_test(test_termtext_fast_path_finds_the_byte),
    cmocka_unit_test(test_termtext_utf8_next_reads_strictly),
    cmocka_unit_test(test_termtext_cut_keeps_characters_and_escapes_whole),
    cmocka_unit_test(test_termtext_error_messages_are_escaped),
    cmocka_unit_test(test_termtext_json_output_is_valid_utf8),
};

UNIT_MAIN(tests)
