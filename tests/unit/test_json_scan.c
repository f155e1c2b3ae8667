/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_json_scan.c - the skipping JSON scanner (json_scan.h): top-level members and array
 * elements as exact slices of the text, and IDC_ERR_PARSE with a byte offset for malformed
 * text, IDC_ERR_LIMIT past IDC_JSON_DEPTH_MAX. Every text is scanned from an exact-size heap
 * copy, so ASan flags a read past its end. The refusals pin what RFC 8259 requires.
 */
#include "unit.h"

#include <stdbool.h>
#include <stdlib.h>

#include "json_scan.h"
#include "idc/error.h"
#include "idc/str.h"

/* All four whitespace bytes of RFC 8259, section 2. */
#define WS " \t\r\n"

/* ---- helpers --------------------------------------------------------------------------- */

/* An exact-size heap copy of `s`: ASan flags any read of the byte after its end. */
static struct idc_str heap_copy(struct idc_str s)
{
    char *p = malloc(s.len);
    assert_true(p != NULL || s.len == 0);
    if (s.len > 0) {
        memcpy(p, s.p, s.len);
    }
    return idc_str_make(p, s.len);
}

static void heap_free(struct idc_str s)
{
    free((char *)s.p);
}

/*
 * The checks below print what differs and return false rather than fail at once, so that a
 * caller holding a heap copy frees it before failing: LeakSanitizer then stays quiet, and a
 * failing case reports only its own mismatch.
 */

/* True when `got` holds exactly the bytes of `want`; `what` names the case. */
static bool bytes_ok(const char *what, struct idc_str got, struct idc_str want)
{
    if (got.len == want.len && memcmp(got.p, want.p, want.len) == 0) {
        return true;
    }
    print_error("%s: got [" IDC_STR_FMT "] (%zu bytes), want [" IDC_STR_FMT "] (%zu bytes)\n", what,
                IDC_STR_ARG(got), got.len, IDC_STR_ARG(want), want.len);
    return false;
}

static void expect_bytes(const char *what, struct idc_str got, struct idc_str want)
{
    assert_true(bytes_ok(what, got, want));
}

/*
 * True when `rc` and `err` report malformed JSON "near byte N" with N in [lo, hi]; `text`
 * names the case. Most cases pin one offset (lo == hi); a range is for refusals where the
 * value's start, the token's start or the bad byte are all fair answers.
 */
static bool malformed_ok(struct idc_str text, idc_err rc, const struct idc_error *err, size_t lo,
                         size_t hi)
{
    const char *near = strstr(err->msg, "near byte ");
    char *end = NULL;
    unsigned long long at = near ? strtoull(near + strlen("near byte "), &end, 10) : 0;
    if (rc == IDC_ERR_PARSE && err->code == IDC_ERR_PARSE &&
        strstr(err->msg, "malformed JSON") != NULL && near != NULL &&
        end != near + strlen("near byte ") && at >= lo && at <= hi) {
        return true;
    }
    print_error("[" IDC_STR_FMT "]: got code %d, message \"%s\"; want IDC_ERR_PARSE, "
                "\"malformed JSON ... near byte N\" with N in [%zu, %zu]\n",
                IDC_STR_ARG(text), (int)rc, err->msg, lo, hi);
    return false;
}

static void expect_malformed(struct idc_str text, idc_err rc, const struct idc_error *err,
                             size_t lo, size_t hi)
{
    assert_true(malformed_ok(text, rc, err, lo, hi));
}

/* idc_json_fields on an exact-size copy of `text`, asking for member "a". */
static idc_err scan(struct idc_str text, struct idc_error *err)
{
    struct idc_str copy = heap_copy(text);
    struct idc_json_field f[] = {{.key = "a"}};
    idc_err rc = idc_json_fields(copy, f, 1, err);
    heap_free(copy);
    return rc;
}

/* A text idc_json_fields must refuse, and where the message must point. */
struct refusal {
    struct idc_str text;
    size_t lo, hi; /* the offset in the message: a byte in [lo, hi] */
};

/* Runs every case before failing, so a failure lists each case that went wrong. */
static void expect_refusals(const struct refusal *cases, size_t n)
{
    bool ok = true;
    for (size_t c = 0; c < n; c++) {
        struct idc_error err = {0};
        idc_err rc = scan(cases[c].text, &err);
        ok = malformed_ok(cases[c].text, rc, &err, cases[c].lo, cases[c].hi) && ok;
        ok = scan(cases[c].text, NULL) == rc && ok; /* err may be NULL */
    }
    assert_true(ok);
}

/* Everything one walk over an array produced. */
struct walk {
    struct idc_str el[16];
    size_t n;
    idc_err rc; /* the last *rc the iterator gave */
    struct idc_error err;
    bool overflow; /* more than 16 elements, or an element with *rc not IDC_OK */
};

/* Iterates `array`, a view into a text starting at `origin`, until it says false. */
static void walk(struct idc_str array, const char *origin, struct walk *w)
{
    struct idc_json_iter it;
    struct idc_str el;
    *w = (struct walk){0};
    idc_json_iter_init(&it, array, origin);
    while (idc_json_iter_next(&it, &el, &w->rc, &w->err)) {
        if (w->rc != IDC_OK || w->n == sizeof w->el / sizeof w->el[0]) {
            w->overflow = true;
            return;
        }
        w->el[w->n++] = el;
    }
}

/* True when walking `array` gave exactly the elements `want[0..n)`, slices of `array`. */
static bool elements_ok(struct idc_str array, const struct walk *w, const struct idc_str *want,
                        size_t n)
{
    if (w->overflow || w->rc != IDC_OK || w->n != n) {
        print_error("[" IDC_STR_FMT "]: %zu elements, code %d (%s), want %zu elements\n",
                    IDC_STR_ARG(array), w->n, (int)w->rc, w->err.msg, n);
        return false;
    }
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        ok = bytes_ok("element", w->el[i], want[i]) && ok;
        ok = ok && w->el[i].p >= array.p && w->el[i].p + w->el[i].len <= array.p + array.len;
    }
    return ok;
}

/* Walks an exact-size copy of `array` and checks its elements are `want[0..n)`. */
static void expect_elements(struct idc_str array, const struct idc_str *want, size_t n)
{
    struct idc_str copy = heap_copy(array);
    struct walk w;
    walk(copy, copy.p, &w);
    bool ok = elements_ok(copy, &w, want, n);
    heap_free(copy);
    assert_true(ok);
}

/* A text whose walk must end in IDC_ERR_PARSE after `before` elements, at a byte in [lo, hi]. */
struct iter_refusal {
    struct idc_str array;
    size_t before;
    size_t lo, hi;
};

/* Runs every case before failing, as expect_refusals does. */
static void expect_iter_refusals(const struct iter_refusal *cases, size_t n)
{
    bool ok = true;
    for (size_t c = 0; c < n; c++) {
        struct idc_str copy = heap_copy(cases[c].array);
        struct walk w;
        walk(copy, copy.p, &w);
        heap_free(copy); /* w.el now dangles: only the count and the error are read */
        ok = malformed_ok(cases[c].array, w.rc, &w.err, cases[c].lo, cases[c].hi) && ok;
        if (w.overflow || w.n != cases[c].before) {
            print_error("[" IDC_STR_FMT "]: %zu elements before the error, want %zu\n",
                        IDC_STR_ARG(cases[c].array), w.n, cases[c].before);
            ok = false;
        }
    }
    assert_true(ok);
}

/* A member wanted and the exact bytes expected for it. */
struct want {
    const char *key;
    struct idc_str value;
};

/* True when `f[0..n)`, filled from `text`, hold the values of `want`, as slices of `text`. */
static bool members_ok(struct idc_str text, const struct idc_json_field *f, const struct want *want,
                       size_t n)
{
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        if (!f[i].found) {
            print_error("member \"%s\" not found in [" IDC_STR_FMT "]\n", want[i].key,
                        IDC_STR_ARG(text));
            ok = false;
            continue;
        }
        ok = bytes_ok(want[i].key, f[i].value, want[i].value) && ok;
        /* A slice of the text itself, not a copy. */
        ok = ok && f[i].value.p > text.p && f[i].value.p + f[i].value.len <= text.p + text.len;
    }
    return ok;
}

/* Scans an exact-size copy of `text` for the keys of `want[0..n)` and checks every value. */
static void expect_members(struct idc_str text, const struct want *want, size_t n)
{
    struct idc_json_field f[16];
    assert_true(n <= sizeof f / sizeof f[0]);
    for (size_t i = 0; i < n; i++) {
        f[i] = (struct idc_json_field){.key = want[i].key};
    }
    struct idc_str copy = heap_copy(text);
    struct idc_error err = {0};
    idc_err rc = idc_json_fields(copy, f, n, &err);
    bool ok = rc == IDC_OK && members_ok(copy, f, want, n);
    heap_free(copy);
    if (rc != IDC_OK) {
        fail_msg("[" IDC_STR_FMT "]: code %d, %s", IDC_STR_ARG(text), (int)rc, err.msg);
    }
    assert_true(ok);
}

/* ---- idc_json_fields: members found ---------------------------------------------------- */

static void test_json_scan_fields_finds_several_in_one_pass(void **state)
{
    (void)state;
    const char *doc = "{\"UserName\":\"jdoe\",\"UserId\":\"u-1\",\"Count\":3,\"Active\":true}";
    struct idc_json_field f[] = {{.key = "UserId"}, {.key = "Count"}, {.key = "UserName"}};
    struct idc_error err = {0};
    assert_int_equal(idc_json_fields(idc_str_c(doc), f, 3, &err), IDC_OK);
    for (size_t i = 0; i < 3; i++) {
        assert_true(f[i].found);
    }
    /* Each value is the slice of `doc` where the member's value sits. */
    assert_ptr_equal(f[0].value.p, strstr(doc, "\"u-1\""));
    assert_int_equal(f[0].value.len, 5);
    assert_ptr_equal(f[1].value.p, strstr(doc, "3,"));
    assert_int_equal(f[1].value.len, 1);
    assert_ptr_equal(f[2].value.p, strstr(doc, "\"jdoe\""));
    assert_int_equal(f[2].value.len, 6);
}

static void test_json_scan_fields_order_independent(void **state)
{
    (void)state;
    const struct idc_str docs[] = {
        IDC_STR("{\"a\":1,\"b\":\"two\",\"c\":[3]}"),
        IDC_STR("{\"c\":[3],\"a\":1,\"b\":\"two\"}"),
        IDC_STR("{\"b\":\"two\",\"c\":[3],\"a\":1}"),
    };
    const struct want a = {"a", IDC_STR("1")}, b = {"b", IDC_STR("\"two\"")},
                      c = {"c", IDC_STR("[3]")};
    const struct want orders[][3] = {{a, b, c}, {c, b, a}, {b, a, c}, {c, a, b}};
    for (size_t d = 0; d < sizeof docs / sizeof docs[0]; d++) {
        for (size_t o = 0; o < sizeof orders / sizeof orders[0]; o++) {
            expect_members(docs[d], orders[o], 3);
        }
    }
}

static void test_json_scan_fields_first_repeated_wins(void **state)
{
    (void)state;
    const struct want want[] = {{"a", IDC_STR("1")}, {"b", IDC_STR("2")}};
    expect_members(IDC_STR("{\"a\":1,\"b\":2,\"a\":3,\"a\":{\"x\":4}}"), want, 2);
    /* Both wanted members repeated, with values of other types: the first of each wins. */
    expect_members(IDC_STR("{\"a\":1,\"a\":\"x\",\"b\":2,\"b\":[]}"), want, 2);
}

static void test_json_scan_fields_absent_not_found(void **state)
{
    (void)state;
    struct idc_str doc = IDC_STR("{\"a\":1,\"ab\":2,\"o\":{\"b\":3},\"s\":\"c\"}");
    /* Nested members, other cases, prefixes, extensions, the empty name, a string's text. */
    struct idc_json_field f[] = {{.key = "b"},
                                 {.key = "A"},
                                 {.key = ""},
                                 {.key = "abc"},
                                 {.key = "a "},
                                 {.key = "c"},
                                 {.key = "x", .value = IDC_STR("stale"), .found = true}};
    size_t n = sizeof f / sizeof f[0];
    struct idc_error err = {0};
    assert_int_equal(idc_json_fields(doc, f, n, &err), IDC_OK);
    for (size_t i = 0; i < n; i++) {
        if (f[i].found || f[i].value.len != 0) {
            fail_msg("member \"%s\" found or not empty", f[i].key);
        }
    }
    /* An empty object has nothing; no fields at all only checks the text. */
    struct idc_json_field one[] = {{.key = "a"}};
    assert_int_equal(idc_json_fields(IDC_STR("{}"), one, 1, &err), IDC_OK);
    assert_false(one[0].found);
    assert_int_equal(one[0].value.len, 0);
    assert_int_equal(idc_json_fields(doc, NULL, 0, &err), IDC_OK);
    assert_int_equal(idc_json_fields(doc, one, 1, NULL), IDC_OK);
    assert_true(one[0].found);
}

static void test_json_scan_fields_value_bytes_by_type(void **state)
{
    (void)state;
    struct idc_str doc = IDC_STR("{\"s\":\"x y\",\"n\":-12.5e+3,\"i\":0,\"E\":1E-7,\"t\":true,"
                                 "\"f\":false,\"z\":null,\"o\":{\"k\":[1,{}]},\"a\":[],"
                                 "\"eo\":{},\"e\":\"\"}");
    const struct want want[] = {
        {"s", IDC_STR("\"x y\"")},        {"n", IDC_STR("-12.5e+3")}, {"i", IDC_STR("0")},
        {"E", IDC_STR("1E-7")},           {"t", IDC_STR("true")},     {"f", IDC_STR("false")},
        {"o", IDC_STR("{\"k\":[1,{}]}")}, {"a", IDC_STR("[]")},       {"eo", IDC_STR("{}")},
        {"e", IDC_STR("\"\"")},
    };
    expect_members(doc, want, sizeof want / sizeof want[0]);
}

/* A null member is no member, as the AWS SDKs read it: an emulator's "NextToken": null. */
static void test_json_scan_fields_null_is_absent(void **state)
{
    (void)state;
    struct idc_json_field f[] = {{.key = "z"}, {.key = "d"}};
    struct idc_error err = {0};
    assert_int_equal(idc_json_fields(IDC_STR("{\"z\":null,\"d\":null,\"d\":\"x\"}"), f, 2, &err),
                     IDC_OK);
    assert_false(f[0].found);
    assert_true(f[1].found); /* a later real value still counts */
    assert_true(idc_str_eq(f[1].value, IDC_STR("\"x\"")));
}

static void test_json_scan_fields_string_keeps_quotes(void **state)
{
    (void)state;
    const struct want want[] = {
        {"s", IDC_STR("\"abc\"")},
        {"e", IDC_STR("\"\"")},
        {"q", IDC_STR("\"\\\"quoted\\\"\"")}, /* escapes stay as sent, undecoded */
    };
    expect_members(IDC_STR("{\"s\":\"abc\",\"e\":\"\",\"q\":\"\\\"quoted\\\"\"}"), want, 3);
}

static void test_json_scan_fields_escapes_in_strings_and_keys(void **state)
{
    (void)state;
    /* {"q":"say \"hi\"","p":"C:\\dir\\","k\"ey":"v1","back\\":"v2",
     *  "all":"\"\\\/\b\f\n\r\t","after":"end"} */
    struct idc_str doc = IDC_STR("{\"q\":\"say \\\"hi\\\"\",\"p\":\"C:\\\\dir\\\\\","
                                 "\"k\\\"ey\":\"v1\",\"back\\\\\":\"v2\","
                                 "\"all\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"after\":\"end\"}");
    const struct want want[] = {
        {"q", IDC_STR("\"say \\\"hi\\\"\"")},
        {"p", IDC_STR("\"C:\\\\dir\\\\\"")}, /* ends in an escaped backslash, then the quote */
        {"k\\\"ey", IDC_STR("\"v1\"")},      /* names compare as sent: k\"ey */
        {"back\\\\", IDC_STR("\"v2\"")},     /* back\\ */
        {"all", IDC_STR("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"")},
        {"after", IDC_STR("\"end\"")}, /* reached: no escape above ended a string early */
    };
    expect_members(doc, want, sizeof want / sizeof want[0]);
}

static void test_json_scan_fields_unicode_escapes(void **state)
{
    (void)state;
    /* {"u":"caf\u00e9 \ud83d\ude00","\u0061":1,"a":2,"é":"é\u00E9","del":"<DEL>"} */
    struct idc_str doc = IDC_STR("{\"u\":\"caf\\u00e9 \\ud83d\\ude00\",\"\\u0061\":1,\"a\":2,"
                                 "\"\xc3\xa9\":\"\xc3\xa9\\u00E9\",\"del\":\"\x7f\"}");
    const struct want want[] = {
        {"u", IDC_STR("\"caf\\u00e9 \\ud83d\\ude00\"")},
        /* Names are compared as sent, not decoded: "\u0061" is not "a" here. AWS member
         * names are plain ASCII, so this only matters for a hand-made document. */
        {"\\u0061", IDC_STR("1")},
        {"a", IDC_STR("2")},
        {"\xc3\xa9", IDC_STR("\"\xc3\xa9\\u00E9\"")}, /* raw UTF-8 in names and values */
        {"del", IDC_STR("\"\x7f\"")},                 /* DEL is not a control byte in JSON */
    };
    expect_members(doc, want, sizeof want / sizeof want[0]);
}

static void test_json_scan_fields_nested_skipped(void **state)
{
    (void)state;
    /* Nested members named "a" are not the top-level "a"; brackets, braces, commas and
     * colons inside strings do not count. */
    struct idc_str doc = IDC_STR("{\"o\":{\"a\":1,\"b\":{\"a\":[2,{\"a\":3}]}},"
                                 "\"l\":[[1,[2]],{\"x\":\"]}\"},\"[{\",[]],"
                                 "\"s\":\"{\\\"a\\\":5}\",\"}],:\":\"{[,:\",\"a\":4}");
    const struct want want[] = {
        {"a", IDC_STR("4")},
        {"o", IDC_STR("{\"a\":1,\"b\":{\"a\":[2,{\"a\":3}]}}")},
        {"l", IDC_STR("[[1,[2]],{\"x\":\"]}\"},\"[{\",[]]")},
        {"s", IDC_STR("\"{\\\"a\\\":5}\"")},
        {"}],:", IDC_STR("\"{[,:\"")},
    };
    expect_members(doc, want, sizeof want / sizeof want[0]);
}

static void test_json_scan_fields_whitespace_everywhere(void **state)
{
    (void)state;
    /* RFC 8259 allows whitespace before and after every structural byte and the text. */
    struct idc_str doc = IDC_STR(WS "{" WS "\"a\"" WS ":" WS "1" WS "," WS "\"b\"" WS ":" WS "[" WS
                                    "1" WS "," WS "{" WS "\"c\"" WS ":" WS "\"d\"" WS "}" WS "]" WS
                                    "," WS "\"e\"" WS ":" WS "\"f\"" WS "}" WS);
    const struct want want[] = {
        {"a", IDC_STR("1")},
        {"b", IDC_STR("[" WS "1" WS "," WS "{" WS "\"c\"" WS ":" WS "\"d\"" WS "}" WS "]")},
        {"e", IDC_STR("\"f\"")},
    };
    expect_members(doc, want, sizeof want / sizeof want[0]);
    struct idc_json_field f[] = {{.key = "a"}};
    struct idc_str empty = heap_copy(IDC_STR(WS "{" WS "}" WS));
    idc_err rc = idc_json_fields(empty, f, 1, NULL);
    heap_free(empty);
    assert_int_equal(rc, IDC_OK);
    assert_false(f[0].found);
}

/* ---- idc_json_fields: refusals --------------------------------------------------------- */

static void test_json_scan_refuses_non_object(void **state)
{
    (void)state;
    const struct refusal cases[] = {
        {IDC_STR("[]"), 0, 0},
        {IDC_STR("[{\"a\":1}]"), 0, 0},
        {IDC_STR("\"{}\""), 0, 0},
        {IDC_STR("x{}"), 0, 0},
        {IDC_STR("}"), 0, 0},
        {IDC_STR("\n\t [1]"), 3, 3},
        {IDC_STR("\f{}"), 0, 0},           /* form feed is not JSON whitespace */
        {IDC_STR("\xef\xbb\xbf{}"), 0, 0}, /* nor is a byte order mark */
    };
    expect_refusals(cases, sizeof cases / sizeof cases[0]);
}

static void test_json_scan_refuses_lone_value(void **state)
{
    (void)state;
    const struct refusal cases[] = {
        /* A lone value as the whole text. */
        {IDC_STR("1"), 0, 0},
        {IDC_STR("-0.5"), 0, 0},
        {IDC_STR("\"a\""), 0, 0},
        {IDC_STR("true"), 0, 0},
        {IDC_STR("null"), 0, 0},
        {IDC_STR(" 1"), 1, 1},
        /* A lone value where a member belongs. */
        {IDC_STR("{\"a\"}"), 1, 1},
        {IDC_STR("{1}"), 1, 1},
        {IDC_STR("{\"a\":1,2}"), 7, 7},
        {IDC_STR("{\"a\":1,\"b\"}"), 7, 7},
    };
    expect_refusals(cases, sizeof cases / sizeof cases[0]);
}

static void test_json_scan_refuses_empty_input(void **state)
{
    (void)state;
    const struct refusal cases[] = {
        {IDC_STR(""), 0, 0},
        {IDC_STR("   "), 3, 3},
        {IDC_STR(WS), 4, 4},
    };
    expect_refusals(cases, sizeof cases / sizeof cases[0]);
    struct idc_error err = {0};
    struct idc_json_field f[] = {{.key = "a", .found = true}};
    expect_malformed(IDC_STR("(null)"), idc_json_fields(idc_str_make(NULL, 0), f, 1, &err), &err, 0,
                     0);
    assert_false(f[0].found);
}

static void test_json_scan_refuses_unterminated_string(void **state)
{
    (void)state;
    /* The offset is where the string (or the container holding it) starts. */
    const struct refusal cases[] = {
        {IDC_STR("{\"a\":\"abc}"), 5, 5},
        {IDC_STR("{\"a\":\"abc\\\"}"), 5, 5}, /* the quote is escaped */
        {IDC_STR("{\"a\":\"abc\\"), 5, 5},    /* the text ends in a backslash */
        {IDC_STR("{\"a\":\""), 5, 5},
        {IDC_STR("{\"abc:1}"), 1, 1},
        {IDC_STR("{\""), 1, 1},
        {IDC_STR("{\"a\\"), 1, 1},
        {IDC_STR("{\"a\":[\"x]}"), 5, 5},
        {IDC_STR("{\"a\":{\"k\":\"v}}"), 5, 5},
    };
    expect_refusals(cases, sizeof cases / sizeof cases[0]);
}

static void test_json_scan_refuses_missing_colon(void **state)
{
    (void)state;
    /* The offset is the start of the member whose colon is missing. */
    const struct refusal cases[] = {
        {IDC_STR("{\"a\" 1}"), 1, 1},
        {IDC_STR("{\"a\"1}"), 1, 1},
        {IDC_STR("{\"a\";1}"), 1, 1},
        {IDC_STR("{\"a\"=1}"), 1, 1},
        {IDC_STR("{\"a\""), 1, 1},
        {IDC_STR("{\"a\" }"), 1, 1},
        {IDC_STR("{\"a\":1,\"b\" 2}"), 7, 7},
    };
    expect_refusals(cases, sizeof cases / sizeof cases[0]);
}

static void test_json_scan_refuses_missing_comma(void **state)
{
    (void)state;
    /* The offset is the byte where the comma belongs. */
    const struct refusal cases[] = {
        {IDC_STR("{\"a\":1 \"b\":2}"), 7, 7},
        {IDC_STR("{\"a\":\"x\"\"b\":2}"), 8, 8},
        {IDC_STR("{\"a\":\"x\" \"b\":2}"), 9, 9},
        {IDC_STR("{\"a\":{}\"b\":2}"), 7, 7},
        {IDC_STR("{\"a\":[] \"b\":2}"), 8, 8},
        {IDC_STR("{\"a\":true false}"), 10, 10},
        {IDC_STR("{\"a\":1]"), 6, 6},
    };
    expect_refusals(cases, sizeof cases / sizeof cases[0]);
}

static void test_json_scan_refuses_missing_name_or_value(void **state)
{
    (void)state;
    const struct refusal cases[] = {
        {IDC_STR("{,}"), 1, 1},
        {IDC_STR("{:1}"), 1, 1},
        {IDC_STR("{a:1}"), 1, 1},
        {IDC_STR("{'a':1}"), 1, 1},
        {IDC_STR("{\"a\":1,,\"b\":2}"), 7, 7},
        {IDC_STR("{\"a\":}"), 5, 5},
        {IDC_STR("{\"a\":,\"b\":1}"), 5, 5},
        {IDC_STR("{\"a\":]}"), 5, 5},
        {IDC_STR("{\"a\":" WS "}"), 9, 9},
    };
    expect_refusals(cases, sizeof cases / sizeof cases[0]);
}

/* A document with every kind of value, escapes and nesting, and nothing after its '}'. */
static const char prefix_doc[] =
    "{\"Users\":[{\"UserId\":\"u-1\",\"Name\":\"a \\\"q\\\" \\\\ \\u00e9\",\"Emails\":"
    "[{\"Value\":\"x@example.com\",\"Primary\":true}]},{\"UserId\":\"u-2\",\"Tags\":[],"
    "\"N\":-1.5e3,\"O\":{}}], \"NextToken\" : \"t\\\\\\\"k\",\"Z\":null,\"F\":false}";

static void test_json_scan_refuses_truncated_text(void **state)
{
    (void)state;
    size_t full = sizeof prefix_doc - 1;
    struct idc_json_field f[] = {{.key = "Users"}, {.key = "NextToken"}, {.key = "F"}};
    /* Every cut, down to nothing: each is refused, none reads past its end (ASan). */
    for (size_t len = 0; len < full; len++) {
        struct idc_str cut = heap_copy(idc_str_make(prefix_doc, len));
        struct idc_error err = {0};
        idc_err rc = idc_json_fields(cut, f, 3, &err);
        heap_free(cut);
        expect_malformed(idc_str_make(prefix_doc, len), rc, &err, 0, len);
    }
    const struct want want[] = {{"NextToken", IDC_STR("\"t\\\\\\\"k\"")}, {"F", IDC_STR("false")}};
    expect_members(idc_str_make(prefix_doc, full), want, 2);
}

/*
 * idc_json_fields on an exact-size heap text: `head`, `open` x depth, `close` x depth (none
 * when `close` is NULL), `tail`. *value_len gets the length of member "a" when found, else 0.
 */
static idc_err scan_nested(const char *head, const char *open, const char *close, const char *tail,
                           size_t depth, size_t *value_len, struct idc_error *err)
{
    size_t h = strlen(head), o = strlen(open), c = close ? strlen(close) : 0, t = strlen(tail);
    size_t len = h + depth * (o + c) + t;
    char *mem = malloc(len);
    assert_non_null(mem);
    char *at = mem;
    memcpy(at, head, h);
    at += h;
    for (size_t d = 0; d < depth; d++, at += o) {
        memcpy(at, open, o);
    }
    for (size_t d = 0; close != NULL && d < depth; d++, at += c) {
        memcpy(at, close, c);
    }
    memcpy(at, tail, t);
    struct idc_json_field f[] = {{.key = "a"}};
    idc_err rc = idc_json_fields(idc_str_make(mem, len), f, 1, err);
    *value_len = f[0].found ? f[0].value.len : 0;
    free(mem);
    return rc;
}

/* The iterator over an exact-size heap text: `open` x depth, then `close` x depth (or none). */
static void walk_nested(char open, char close, size_t depth, struct walk *w)
{
    size_t len = close ? 2 * depth : depth;
    char *mem = malloc(len);
    assert_non_null(mem);
    memset(mem, open, depth);
    memset(mem + depth, close, len - depth);
    walk(idc_str_make(mem, len), mem, w);
    w->el[0].p = NULL; /* about to dangle: only lengths are read */
    free(mem);
}

/* True when `rc` and `err` refuse nesting past IDC_JSON_DEPTH_MAX "near byte `at`". */
static bool too_deep_ok(idc_err rc, const struct idc_error *err, size_t at)
{
    char near[64];
    snprintf(near, sizeof near, "near byte %zu", at);
    if (rc == IDC_ERR_LIMIT && err->code == IDC_ERR_LIMIT &&
        strstr(err->msg, "IDC_JSON_DEPTH_MAX (512)") != NULL && strstr(err->msg, near) != NULL) {
        return true;
    }
    print_error("got code %d, message \"%s\"; want IDC_ERR_LIMIT naming IDC_JSON_DEPTH_MAX "
                "(512) and %s\n",
                (int)rc, err->msg, near);
    return false;
}

static void test_json_scan_deep_nesting(void **state)
{
    (void)state;
    /*
     * Depth is a fixed bit stack, not recursion. IDC_JSON_DEPTH_MAX levels, counting the
     * top-level object (or the array walked), are taken whole; the opener of one more is
     * refused with IDC_ERR_LIMIT, and so are 100,000 levels, closed or not: the scan stops
     * at the limit, so a deep text that is also unclosed is refused as too deep.
     */
    const size_t max = IDC_JSON_DEPTH_MAX, deep = 100000;
    assert_int_equal(max, 512); /* the messages below name it */
    struct idc_error err = {0};
    size_t len = 0;

    /* Unclosed '[' at the top level is not an object; after '{', a '{' is not a name. */
    expect_malformed(IDC_STR("[[[..."), scan_nested("", "[", NULL, "", deep, &len, &err), &err, 0,
                     0);
    expect_malformed(IDC_STR("{{{..."), scan_nested("", "{", NULL, "", deep, &len, &err), &err, 1,
                     1);
    /* {"a":[[[...  never closed, as deep as allowed: refused at the value. */
    expect_malformed(IDC_STR("{\"a\":[[[..."),
                     scan_nested("{\"a\":", "[", NULL, "", max - 1, &len, &err), &err, 5, 5);
    /* {"a":[[[...]]]} as deep as allowed: the scanner takes it whole. */
    assert_int_equal(scan_nested("{\"a\":", "[", "]", "}", max - 1, &len, &err), IDC_OK);
    assert_int_equal(len, 2 * (max - 1));
    /* {"a":{{{...}}}} is not JSON, however deep: a '{' is not a name (this used to pass). */
    expect_malformed(IDC_STR("{\"a\":{{{...}}}}"),
                     scan_nested("{\"a\":", "{", "}", "}", deep, &len, &err), &err, 6, 6);
    /* {"a":[{"a":[...]}]}: objects and arrays alternating, 2 + 2 * 255 = 512 levels. */
    assert_int_equal(scan_nested("{\"a\":[", "{\"a\":[", "]}", "]}", 255, &len, &err), IDC_OK);
    assert_int_equal(len, 2 + 255 * 8);

    /* One level more: refused at the 513th opener ('[' at 5 + 511; '{' at 6 + 6 * 255). */
    assert_true(too_deep_ok(scan_nested("{\"a\":", "[", "]", "}", max, &len, &err), &err, 516));
    assert_true(
        too_deep_ok(scan_nested("{\"a\":[", "{\"a\":[", "]}", "]}", 256, &len, &err), &err, 1536));
    /* 100,000 levels, balanced or never closed, of either kind: refused at the same byte. */
    assert_true(too_deep_ok(scan_nested("{\"a\":", "[", "]", "}", deep, &len, &err), &err, 516));
    assert_true(too_deep_ok(scan_nested("{\"a\":", "[", NULL, "", deep, &len, &err), &err, 516));
    assert_true(
        too_deep_ok(scan_nested("{\"a\":[", "{\"a\":[", "]}", "]}", deep, &len, &err), &err, 1536));
    assert_true(
        too_deep_ok(scan_nested("{\"a\":[", "{\"a\":[", NULL, "", deep, &len, &err), &err, 1536));
    assert_int_equal(scan_nested("{\"a\":", "[", "]", "}", deep, &len, NULL), IDC_ERR_LIMIT);

    /* The iterator alike: the array is a level, so max levels give one element 2 * max - 2
     * bytes long; unclosed within the limit is refused at the element, deeper as too deep. */
    struct walk w;
    walk_nested('[', ']', max, &w);
    assert_int_equal(w.rc, IDC_OK);
    assert_int_equal(w.n, 1);
    assert_int_equal(w.el[0].len, 2 * max - 2);
    walk_nested('[', 0, max, &w);
    expect_malformed(IDC_STR("[[[..."), w.rc, &w.err, 1, 1);
    walk_nested('[', ']', max + 1, &w);
    assert_true(too_deep_ok(w.rc, &w.err, 512));
    assert_int_equal(w.n, 0);
    walk_nested('[', ']', deep, &w);
    assert_true(too_deep_ok(w.rc, &w.err, 512));
    walk_nested('[', 0, deep, &w);
    assert_true(too_deep_ok(w.rc, &w.err, 512));
    assert_int_equal(w.n, 0);
}

/* ---- idc_json_fields: refusals of every other byte RFC 8259 forbids ---------------------- */

static void test_json_scan_refuses_trailing_garbage(void **state)
{
    (void)state;
    /*
     * Only whitespace may follow the object's closing '}': a body with junk or a second
     * object after the first is not well-formed (this used to pass).
     */
    const struct refusal cases[] = {
        {IDC_STR("{\"a\":1}x"), 7, 7},
        {IDC_STR("{\"a\":1}}"), 7, 7},
        {IDC_STR("{}{}"), 2, 2},
        {IDC_STR("{\"a\":1} ,"), 8, 8},
        {IDC_STR("{\"Users\":[]}{\"Users\":[{}]}"), 12, 12},
    };
    expect_refusals(cases, sizeof cases / sizeof cases[0]);
}

static void test_json_scan_refuses_bad_escape(void **state)
{
    (void)state;
    /*
     * Only the escapes of RFC 8259 section 7 pass, in values and in names: a backslash
     * followed by anything else, or \u without four hex digits, is refused ({"a":"\x"} used
     * to pass). The offset may be the string's start or the backslash.
     */
    const struct refusal cases[] = {
        {IDC_STR("{\"a\":\"\\x\"}"), 5, 6},   {IDC_STR("{\"a\":\"\\'\"}"), 5, 6},
        {IDC_STR("{\"a\":\"\\a\"}"), 5, 6},   {IDC_STR("{\"a\":\"\\U0041\"}"), 5, 6},
        {IDC_STR("{\"a\":\"\\u12\"}"), 5, 6}, {IDC_STR("{\"a\":\"\\u12g4\"}"), 5, 6},
        {IDC_STR("{\"a\":\"x\\ y\"}"), 5, 7}, {IDC_STR("{\"\\x\":1}"), 1, 2},
        {IDC_STR("{\"a\":[\"\\x\"]}"), 5, 7},
    };
    expect_refusals(cases, sizeof cases / sizeof cases[0]);
}

static void test_json_scan_refuses_control_byte_in_string(void **state)
{
    (void)state;
    /*
     * Bytes below 0x20 must be escaped inside strings (RFC 8259 section 7). A user's bytes
     * are stored as sent (inventory), so a raw control byte would reach the database; the
     * scanner refuses it ({"a":"x<0x01>"} used to pass).
     */
    const struct refusal cases[] = {
        {IDC_STR("{\"a\":\"x\x01\"}"), 5, 7},        {IDC_STR("{\"a\":\"\t\"}"), 5, 6},
        {IDC_STR("{\"a\":\"line\nbreak\"}"), 5, 10}, {IDC_STR("{\"a\":\"\x1f\"}"), 5, 6},
        {IDC_STR("{\"a\":\"\0\"}"), 5, 6},           {IDC_STR("{\"k\x02\":1}"), 1, 3},
        {IDC_STR("{\"a\":[\"\r\"]}"), 5, 7},
    };
    expect_refusals(cases, sizeof cases / sizeof cases[0]);
}

static void test_json_scan_refuses_missing_comma_after_literal(void **state)
{
    (void)state;
    /*
     * A member right after a number or literal without a comma is refused, not swallowed
     * into its value. Before the fix, a ListUsers page whose NextToken followed a number that
     * way (the last case) was read as the last page: the listing stopped early with no error
     * ({"a":1"b":2} gave a = 1"b":2, and {"a":1[2]} was refused near byte 8 instead of 6).
     */
    const struct refusal cases[] = {
        {IDC_STR("{\"a\":1\"b\":2}"), 5, 6},
        {IDC_STR("{\"a\":true\"b\":2}"), 5, 9},
        {IDC_STR("{\"a\":null{}}"), 5, 9},
        {IDC_STR("{\"a\":1[2]}"), 5, 6},
        {IDC_STR("{\"Users\":[],\"Count\":0\"NextToken\":\"t\"}"), 20, 21},
    };
    expect_refusals(cases, sizeof cases / sizeof cases[0]);
}

static void test_json_scan_refuses_bad_literal(void **state)
{
    (void)state;
    /*
     * Numbers follow the grammar of RFC 8259 section 6 and the literals are exactly true,
     * false and null (section 3), rather than any run of bytes up to a delimiter ({"a":tru}
     * used to pass).
     */
    const struct refusal cases[] = {
        {IDC_STR("{\"a\":tru}"), 5, 8},  {IDC_STR("{\"a\":nul}"), 5, 8},
        {IDC_STR("{\"a\":True}"), 5, 9}, {IDC_STR("{\"a\":nullx}"), 5, 10},
        {IDC_STR("{\"a\":abc}"), 5, 8},  {IDC_STR("{\"a\":'x'}"), 5, 8},
        {IDC_STR("{\"a\":-}"), 5, 6},    {IDC_STR("{\"a\":+1}"), 5, 7},
        {IDC_STR("{\"a\":01}"), 5, 7},   {IDC_STR("{\"a\":1.}"), 5, 7},
        {IDC_STR("{\"a\":.5}"), 5, 7},   {IDC_STR("{\"a\":1e}"), 5, 7},
        {IDC_STR("{\"a\":0x1F}"), 5, 9}, {IDC_STR("{\"a\":NaN}"), 5, 8},
        {IDC_STR("{\"a\":1\f}"), 5, 7},
    };
    expect_refusals(cases, sizeof cases / sizeof cases[0]);
}

static void test_json_scan_refuses_trailing_comma(void **state)
{
    (void)state;
    /*
     * After a ',' a member must follow, not '}' (RFC 8259 section 4; {"a":1,} used to pass).
     */
    const struct refusal cases[] = {
        {IDC_STR("{\"a\":1,}"), 6, 7},
        {IDC_STR("{\"a\":1," WS "}"), 6, 11},
    };
    expect_refusals(cases, sizeof cases / sizeof cases[0]);
}

static void test_json_scan_refuses_malformed_nested_value(void **state)
{
    (void)state;
    /*
     * A nested object or array is validated, not skipped by counting brackets of either
     * kind: its members and elements are checked, and a ']' never closes a '{'. The header
     * promises IDC_ERR_PARSE for any text that is not a well-formed object ({"a":{]} used
     * to pass with a = {]).
     */
    const struct refusal cases[] = {
        {IDC_STR("{\"a\":{]}"), 5, 6},    {IDC_STR("{\"a\":[}}"), 5, 6},
        {IDC_STR("{\"a\":[1}}"), 5, 7},   {IDC_STR("{\"a\":[1,,2]}"), 5, 8},
        {IDC_STR("{\"a\":[1 2]}"), 5, 8}, {IDC_STR("{\"a\":{\"b\"}}"), 5, 9},
        {IDC_STR("{\"a\":{1:2}}"), 5, 6}, {IDC_STR("{\"a\":[x]}"), 5, 6},
    };
    expect_refusals(cases, sizeof cases / sizeof cases[0]);
}

/* ---- idc_json_iter_next ---------------------------------------------------------------- */

static void test_json_scan_iter_empty_array(void **state)
{
    (void)state;
    expect_elements(IDC_STR("[]"), NULL, 0);
    expect_elements(IDC_STR("[ ]"), NULL, 0);
    expect_elements(IDC_STR(WS "[" WS "]" WS), NULL, 0);
}

static void test_json_scan_iter_one_element(void **state)
{
    (void)state;
    const struct idc_str one[] = {IDC_STR("1")};
    expect_elements(IDC_STR("[1]"), one, 1);
    const struct idc_str str[] = {IDC_STR("\"x,]\"")};
    expect_elements(IDC_STR("[\"x,]\"]"), str, 1);
    const struct idc_str obj[] = {IDC_STR("{\"UserId\":\"u-1\"}")};
    expect_elements(IDC_STR("[{\"UserId\":\"u-1\"}]"), obj, 1);
}

static void test_json_scan_iter_many_elements(void **state)
{
    (void)state;
    const struct idc_str want[] = {
        IDC_STR("1"), IDC_STR("2"), IDC_STR("3"), IDC_STR("4"),  IDC_STR("5"),  IDC_STR("6"),
        IDC_STR("7"), IDC_STR("8"), IDC_STR("9"), IDC_STR("10"), IDC_STR("11"), IDC_STR("12"),
    };
    expect_elements(IDC_STR("[1,2,3,4,5,6,7,8,9,10,11,12]"), want, 12);
}

static void test_json_scan_iter_nested_elements(void **state)
{
    (void)state;
    const struct idc_str want[] = {
        IDC_STR("[1,[2,3]]"), IDC_STR("{\"a\":[4,{\"b\":\"]\"}],\"c\":{}}"),
        IDC_STR("[]"),        IDC_STR("{}"),
        IDC_STR("[[[]]]"),
    };
    expect_elements(IDC_STR("[[1,[2,3]],{\"a\":[4,{\"b\":\"]\"}],\"c\":{}},[],{},[[[]]]]"), want,
                    5);
}

static void test_json_scan_iter_mixed_types(void **state)
{
    (void)state;
    const struct idc_str want[] = {
        IDC_STR("\"s\""),         IDC_STR("-1.5e-3"), IDC_STR("true"),
        IDC_STR("false"),         IDC_STR("null"),    IDC_STR("0"),
        IDC_STR("{\"k\":\"v\"}"), IDC_STR("[0]"),     IDC_STR("\"\""),
        IDC_STR("\"\\\"\\\\\""),
    };
    expect_elements(
        IDC_STR("[\"s\",-1.5e-3,true,false,null,0,{\"k\":\"v\"},[0],\"\",\"\\\"\\\\\"]"), want, 10);
}

static void test_json_scan_iter_whitespace(void **state)
{
    (void)state;
    const struct idc_str want[] = {IDC_STR("1"), IDC_STR("\"two\""),
                                   IDC_STR("[" WS "3" WS "," WS "{" WS "}" WS "]")};
    expect_elements(IDC_STR(WS "[" WS "1" WS "," WS "\"two\"" WS "," WS "[" WS "3" WS "," WS "{" WS
                               "}" WS "]" WS "]" WS),
                    want, 3);
}

static void test_json_scan_iter_end_repeats(void **state)
{
    (void)state;
    struct idc_json_iter it;
    struct idc_str el = IDC_STR("untouched");
    idc_err rc = IDC_ERR_ARG;
    idc_json_iter_init(&it, IDC_STR("[7]"), NULL);
    assert_true(idc_json_iter_next(&it, &el, &rc, NULL));
    assert_int_equal(rc, IDC_OK);
    expect_bytes("element", el, IDC_STR("7"));
    /* Once at the end, every further call says so again, without an error. */
    for (int i = 0; i < 3; i++) {
        rc = IDC_ERR_ARG;
        assert_false(idc_json_iter_next(&it, &el, &rc, NULL));
        assert_int_equal(rc, IDC_OK);
    }
    idc_json_iter_init(&it, IDC_STR("[]"), NULL);
    for (int i = 0; i < 3; i++) {
        rc = IDC_ERR_ARG;
        assert_false(idc_json_iter_next(&it, &el, &rc, NULL));
        assert_int_equal(rc, IDC_OK);
    }
}

static void test_json_scan_iter_over_fields_value(void **state)
{
    (void)state;
    /* The way a ListUsers page is read: find Users, then walk it; offsets count from the page. */
    struct idc_str page = heap_copy(
        IDC_STR("{\"Users\":[{\"UserId\":\"a\"},{\"UserId\":\"b\"}],\"NextToken\":\"t\"}"));
    struct idc_json_field f[] = {{.key = "Users"}, {.key = "NextToken"}};
    idc_err rc = idc_json_fields(page, f, 2, NULL);
    struct walk w;
    walk(f[0].value, page.p, &w);
    const struct idc_str users[] = {IDC_STR("{\"UserId\":\"a\"}"), IDC_STR("{\"UserId\":\"b\"}")};
    bool ok = rc == IDC_OK && elements_ok(f[0].value, &w, users, 2) && w.el[0].p == page.p + 10;
    heap_free(page);
    assert_true(ok);

    /* Users is not an array: refused at its first byte, counted from the page. */
    struct idc_str text = IDC_STR("{\"Count\":1,\"Users\":{}}");
    page = heap_copy(text);
    rc = idc_json_fields(page, f, 2, NULL);
    walk(f[0].value, page.p, &w);
    heap_free(page);
    assert_int_equal(rc, IDC_OK);
    expect_malformed(text, w.rc, &w.err, 19, 19);

    /* Users absent: the empty value is refused rather than read as an empty array. */
    text = IDC_STR("{\"Count\":1}");
    page = heap_copy(text);
    rc = idc_json_fields(page, f, 2, NULL);
    walk(f[0].value, page.p, &w);
    heap_free(page);
    assert_int_equal(rc, IDC_OK);
    assert_false(f[0].found);
    expect_malformed(text, w.rc, &w.err, 0, 0);
}

static void test_json_scan_iter_offsets_from_origin(void **state)
{
    (void)state;
    /* `origin` NULL counts from the array's first byte; otherwise from origin. */
    const char *text = "{\"Users\":[1 2]}";
    struct idc_str array = idc_str_make(text + 9, 5);
    struct walk w;
    walk(array, NULL, &w);
    expect_malformed(array, w.rc, &w.err, 3, 3);
    assert_int_equal(w.n, 1);
    walk(array, text, &w);
    expect_malformed(array, w.rc, &w.err, 12, 12);
    assert_int_equal(w.n, 1);
}

static void test_json_scan_iter_refuses_malformed(void **state)
{
    (void)state;
    const struct iter_refusal cases[] = {
        {IDC_STR(""), 0, 0, 0},
        {IDC_STR("{}"), 0, 0, 0},
        {IDC_STR("1"), 0, 0, 0},
        {IDC_STR("  x"), 0, 2, 2},
        {IDC_STR("["), 0, 1, 1},
        {IDC_STR("[" WS), 0, 5, 5},
        {IDC_STR("[,1]"), 0, 1, 1},
        {IDC_STR("[1,]"), 1, 3, 3},
        {IDC_STR("[1,,2]"), 1, 3, 3},
        {IDC_STR("[1 2]"), 1, 3, 3},
        {IDC_STR("[\"a\" \"b\"]"), 1, 5, 5},
        {IDC_STR("[1}"), 1, 2, 2},
        {IDC_STR("[\"a]"), 0, 1, 1},
        {IDC_STR("[\"a\\\"]"), 0, 1, 1},
        {IDC_STR("[{\"a\":\"]}"), 0, 1, 1},
        {IDC_STR("[[1,2]"), 1, 6, 6},
        {IDC_STR("[1,{\"a\":1},"), 2, 11, 11},
    };
    expect_iter_refusals(cases, sizeof cases / sizeof cases[0]);
}

static void test_json_scan_iter_refuses_truncated(void **state)
{
    (void)state;
    static const char array[] =
        "[{\"UserId\":\"u-1\",\"Emails\":[{\"Value\":\"x@example.com\",\"Primary\":true}]},"
        " \"s\\\"]\" , -1.5e3,true,null,[[],{}],{\"k\":\"}\"}]";
    size_t full = sizeof array - 1;
    /* Every cut ends in IDC_ERR_PARSE, and no read goes past it (ASan). */
    for (size_t len = 0; len < full; len++) {
        struct idc_str cut = heap_copy(idc_str_make(array, len));
        struct walk w;
        walk(cut, cut.p, &w);
        heap_free(cut);
        assert_false(w.overflow);
        expect_malformed(idc_str_make(array, len), w.rc, &w.err, 0, len);
    }
    const struct idc_str want[] = {
        IDC_STR("{\"UserId\":\"u-1\",\"Emails\":[{\"Value\":\"x@example.com\",\"Primary\":true}]}"),
        IDC_STR("\"s\\\"]\""),
        IDC_STR("-1.5e3"),
        IDC_STR("true"),
        IDC_STR("null"),
        IDC_STR("[[],{}]"),
        IDC_STR("{\"k\":\"}\"}"),
    };
    expect_elements(idc_str_make(array, full), want, 7);
}

static void test_json_scan_iter_refuses_malformed_element(void **state)
{
    (void)state;
    /*
     * Elements are validated like member values (see the refusals above), so a malformed
     * one is refused before it is handed on. The caller parses each user with cJSON, which
     * would catch most of these, but a scalar element is checked by no one else (walking
     * [[1}] used to yield the element [1} and end without an error).
     */
    const struct iter_refusal cases[] = {
        {IDC_STR("[[1}]"), 0, 1, 3},     {IDC_STR("[{]]"), 0, 1, 2},
        {IDC_STR("[1\"x\"]"), 0, 1, 2},  {IDC_STR("[tru]"), 0, 1, 4},
        {IDC_STR("[\"\\x\"]"), 0, 1, 2}, {IDC_STR("[\"a\x01\"]"), 0, 1, 3},
    };
    expect_iter_refusals(cases, sizeof cases / sizeof cases[0]);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_json_scan_fields_finds_several_in_one_pass),
    cmocka_unit_test(test_json_scan_fields_order_independent),
    cmocka_unit_test(test_json_scan_fields_first_repeated_wins),
    cmocka_unit_test(test_json_scan_fields_absent_not_found),
    cmocka_unit_test(test_json_scan_fields_value_bytes_by_type),
    cmocka_unit_test(test_json_scan_fields_null_is_absent),
    cmocka_unit_test(test_json_scan_fields_string_keeps_quotes),
    cmocka_unit_test(test_json_scan_fields_escapes_in_strings_and_keys),
    cmocka_unit_test(test_json_scan_fields_unicode_escapes),
    cmocka_unit_test(test_json_scan_fields_nested_skipped),
    cmocka_unit_test(test_json_scan_fields_whitespace_everywhere),
    cmocka_unit_test(test_json_scan_refuses_non_object),
    cmocka_unit_test(test_json_scan_refuses_lone_value),
    cmocka_unit_test(test_json_scan_refuses_empty_input),
    cmocka_unit_test(test_json_scan_refuses_unterminated_string),
    cmocka_unit_test(test_json_scan_refuses_missing_colon),
    cmocka_unit_test(test_json_scan_refuses_missing_comma),
    cmocka_unit_test(test_json_scan_refuses_missing_name_or_value),
    cmocka_unit_test(test_json_scan_refuses_truncated_text),
    cmocka_unit_test(test_json_scan_deep_nesting),
    cmocka_unit_test(test_json_scan_refuses_trailing_garbage),
    cmocka_unit_test(test_json_scan_refuses_bad_escape),
    cmocka_unit_test(test_json_scan_refuses_control_byte_in_string),
    cmocka_unit_test(test_json_scan_refuses_missing_comma_after_literal),
    cmocka_unit_test(test_json_scan_refuses_bad_literal),
    cmocka_unit_test(test_json_scan_refuses_trailing_comma),
    cmocka_unit_test(test_json_scan_refuses_malformed_nested_value),
    cmocka_unit_test(test_json_scan_iter_empty_array),
    cmocka_unit_test(test_json_scan_iter_one_element),
    cmocka_unit_test(test_json_scan_iter_many_elements),
    cmocka_unit_test(test_json_scan_iter_nested_elements),
    cmocka_unit_test(test_json_scan_iter_mixed_types),
    cmocka_unit_test(test_json_scan_iter_whitespace),
    cmocka_unit_test(test_json_scan_iter_end_repeats),
    cmocka_unit_test(test_json_scan_iter_over_fields_value),
    cmocka_unit_test(test_json_scan_iter_offsets_from_origin),
    cmocka_unit_test(test_json_scan_iter_refuses_malformed),
    cmocka_unit_test(test_json_scan_iter_refuses_truncated),
    cmocka_unit_test(test_json_scan_iter_refuses_malformed_element),
};

UNIT_MAIN(tests)
