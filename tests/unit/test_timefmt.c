/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_timefmt.c - the wire spellings of UTC time (timefmt.h): formatting and parsing
 * round trips at the epoch, leap days and the year 9999, HTTP dates with their weekday
 * (before the epoch too), and the texts the parsers must refuse with IDC_ERR_PARSE and a
 * message quoting the input.
 */
#include "unit.h"

#include "timefmt.h"

struct known_time {
    int64_t t;
    const char *amz;
    const char *iso;
};

static const struct known_time known[] = {
    {0, "19700101T000000Z", "1970-01-01T00:00:00Z"},
    {1440938160, "20150830T123600Z", "2015-08-30T12:36:00Z"},
    {951782400, "20000229T000000Z", "2000-02-29T00:00:00Z"},
    {951868799, "20000229T235959Z", "2000-02-29T23:59:59Z"},
    {1767268800, "20260101T120000Z", "2026-01-01T12:00:00Z"},
    {253402300799, "99991231T235959Z", "9999-12-31T23:59:59Z"},
};

#define KNOWN_COUNT (sizeof known / sizeof known[0])

static void test_timefmt_format_amz(void **state)
{
    (void)state;
    for (size_t i = 0; i < KNOWN_COUNT; i++) {
        char out[IDC_TIME_AMZ_LEN + 2];
        memset(out, '#', sizeof out);
        idc_time_format_amz(known[i].t, out);
        assert_string_equal(out, known[i].amz);
        assert_int_equal(out[IDC_TIME_AMZ_LEN + 1], '#'); /* 17 bytes, no more */
    }
}

static void test_timefmt_format_iso(void **state)
{
    (void)state;
    for (size_t i = 0; i < KNOWN_COUNT; i++) {
        char out[IDC_TIME_ISO_LEN + 2];
        memset(out, '#', sizeof out);
        idc_time_format_iso(known[i].t, out);
        assert_string_equal(out, known[i].iso);
        assert_int_equal(out[IDC_TIME_ISO_LEN + 1], '#');
    }
}

static void test_timefmt_parse_amz(void **state)
{
    (void)state;
    for (size_t i = 0; i < KNOWN_COUNT; i++) {
        int64_t t = -1;
        struct idc_error err = {0};
        assert_int_equal(idc_time_parse_amz(idc_str_c(known[i].amz), &t, &err), IDC_OK);
        assert_int_equal(t, known[i].t);
    }
}

static void test_timefmt_parse_iso(void **state)
{
    (void)state;
    for (size_t i = 0; i < KNOWN_COUNT; i++) {
        int64_t t = -1;
        struct idc_error err = {0};
        assert_int_equal(idc_time_parse_iso(idc_str_c(known[i].iso), &t, &err), IDC_OK);
        assert_int_equal(t, known[i].t);
    }
}

static void test_timefmt_round_trip_every_day(void **state)
{
    (void)state;
    /* Four years around 2000 (a leap year divisible by 400), one odd second each day. */
    for (int64_t t = 883612800 + 3723; t < 1009843200; t += 86400) {
        char amz[IDC_TIME_AMZ_LEN + 1], iso[IDC_TIME_ISO_LEN + 1];
        int64_t back = -1;
        idc_time_format_amz(t, amz);
        idc_time_format_iso(t, iso);
        assert_int_equal(idc_time_parse_amz(idc_str_c(amz), &back, NULL), IDC_OK);
        assert_int_equal(back, t);
        back = -1;
        assert_int_equal(idc_time_parse_iso(idc_str_c(iso), &back, NULL), IDC_OK);
        assert_int_equal(back, t);
        assert_memory_equal(amz, iso, 4); /* same year in both spellings */
    }
}

static void expect_amz_rejected(const char *text)
{
    int64_t t = 12345;
    struct idc_error err = {0};
    assert_int_equal(idc_time_parse_amz(idc_str_c(text), &t, &err), IDC_ERR_PARSE);
    assert_int_equal(err.code, IDC_ERR_PARSE);
    assert_int_equal(t, 12345); /* untouched */
    assert_non_null(strstr(err.msg, "YYYYMMDDTHHMMSSZ"));
    if (strlen(text) > 0 && strlen(text) <= 40) {
        assert_non_null(strstr(err.msg, text)); /* the message quotes the input */
    }
}

static void expect_iso_rejected(const char *text)
{
    int64_t t = 12345;
    struct idc_error err = {0};
    assert_int_equal(idc_time_parse_iso(idc_str_c(text), &t, &err), IDC_ERR_PARSE);
    assert_int_equal(err.code, IDC_ERR_PARSE);
    assert_int_equal(t, 12345);
    assert_non_null(strstr(err.msg, "YYYY-MM-DDTHH:MM:SSZ"));
    if (strlen(text) > 0 && strlen(text) <= 40) {
        assert_non_null(strstr(err.msg, text));
    }
}

static void test_timefmt_amz_rejects_wrong_length(void **state)
{
    (void)state;
    expect_amz_rejected("");
    expect_amz_rejected("20150830T12360Z");
    expect_amz_rejected("20150830T1236000Z");
    expect_amz_rejected("20150830T123600ZZ");
    expect_amz_rejected("20150830");
}

static void test_timefmt_amz_rejects_bad_fields(void **state)
{
    (void)state;
    expect_amz_rejected("20151330T123600Z"); /* month 13 */
    expect_amz_rejected("20150030T123600Z"); /* month 0 */
    expect_amz_rejected("20150229T123600Z"); /* 2015 is not a leap year */
    expect_amz_rejected("19000229T123600Z"); /* nor is 1900 */
    expect_amz_rejected("20150431T123600Z"); /* April has 30 days */
    expect_amz_rejected("20150800T123600Z");
    expect_amz_rejected("20150830T243600Z");
    expect_amz_rejected("20150830T126000Z");
    expect_amz_rejected("20150830T123660Z");
}

static void test_timefmt_amz_rejects_missing_z(void **state)
{
    (void)state;
    expect_amz_rejected("20150830T123600");
    expect_amz_rejected("20150830T123600X");
    expect_amz_rejected("20150830t123600Z");
    expect_amz_rejected("20150830 123600Z");
}

static void test_timefmt_amz_rejects_letters(void **state)
{
    (void)state;
    expect_amz_rejected("2015O830T123600Z");
    expect_amz_rejected("20150830T12a600Z");
    expect_amz_rejected("2015-8-3T12:36:0");
    expect_amz_rejected("+0150830T123600Z");
    expect_amz_rejected("2015-08-30T12:36:00Z"); /* the other spelling */
}

static void test_timefmt_iso_rejects(void **state)
{
    (void)state;
    expect_iso_rejected("");
    expect_iso_rejected("2015-08-30T12:36:00"); /* missing Z */
    expect_iso_rejected("2015-08-30T12:36:00+00:00");
    expect_iso_rejected("2015-08-30 12:36:00Z");
    expect_iso_rejected("2015-13-30T12:36:00Z"); /* month 13 */
    expect_iso_rejected("2015-02-29T12:36:00Z"); /* not a leap year */
    expect_iso_rejected("2015-08-30T12:36Z");    /* wrong length */
    expect_iso_rejected("2015-08-3OT12:36:00Z"); /* a letter */
    expect_iso_rejected("2015/08/30T12:36:00Z");
    expect_iso_rejected("20150830T123600Z");        /* the other spelling */
    expect_iso_rejected("2015-08-30T12:36:00.123"); /* fraction without Z */
    expect_iso_rejected("2015-08-30T12:36:00.12aZ");
}

static void test_timefmt_iso_fractional_seconds(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "2015-08-30T12:36:00.0Z",
        "2015-08-30T12:36:00.123Z",
        "2015-08-30T12:36:00.999999Z",
        "2015-08-30T12:36:00.123456789Z",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        int64_t t = -1;
        struct idc_error err = {0};
        assert_int_equal(idc_time_parse_iso(idc_str_c(texts[i]), &t, &err), IDC_OK);
        assert_int_equal(t, 1440938160); /* dropped, never rounded up */
    }
}

static void test_timefmt_parse_ignores_bytes_past_view(void **state)
{
    (void)state;
    /* Views are not NUL-terminated: a longer buffer cut to the right length parses. */
    static const char amz[] = "20150830T123600Zjunk";
    static const char iso[] = "2015-08-30T12:36:00Zjunk";
    int64_t t = -1;
    assert_int_equal(idc_time_parse_amz(idc_str_make(amz, 16), &t, NULL), IDC_OK);
    assert_int_equal(t, 1440938160);
    t = -1;
    assert_int_equal(idc_time_parse_iso(idc_str_make(iso, 20), &t, NULL), IDC_OK);
    assert_int_equal(t, 1440938160);
    assert_int_equal(idc_time_parse_amz(idc_str_make(amz, 17), &t, NULL), IDC_ERR_PARSE);
}

/* IMF-fixdate, weekday included: before the epoch too, where days count down. */
static void test_timefmt_format_http(void **state)
{
    (void)state;
    static const struct {
        int64_t t;
        const char *http;
    } cases[] = {
        {0, "Thu, 01 Jan 1970 00:00:00 GMT"},
        {1440938160, "Sun, 30 Aug 2015 12:36:00 GMT"},
        {951782400, "Tue, 29 Feb 2000 00:00:00 GMT"},
        {1767268800, "Thu, 01 Jan 2026 12:00:00 GMT"},
        {253402300799, "Fri, 31 Dec 9999 23:59:59 GMT"},
        {-1, "Wed, 31 Dec 1969 23:59:59 GMT"},
        {-518400, "Fri, 26 Dec 1969 00:00:00 GMT"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[IDC_TIME_HTTP_LEN + 2];
        memset(out, '#', sizeof out);
        idc_time_format_http(cases[i].t, out);
        assert_string_equal(out, cases[i].http);
        assert_int_equal(out[IDC_TIME_HTTP_LEN + 1], '#'); /* 30 bytes, no more */
    }
}

static void test_timefmt_http_weekday_every_day(void **state)
{
    (void)state;
    static const char *const names[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    /* Two years either side of the epoch, then round trips after it (the parser's range). */
    for (int64_t day = -730; day < 730; day++) {
        int64_t t = day * 86400 + 45296; /* 12:34:56 */
        char out[IDC_TIME_HTTP_LEN + 1];
        idc_time_format_http(t, out);
        assert_memory_equal(out, names[((day % 7) + 7) % 7], 3);
        assert_string_equal(out + 16, " 12:34:56 GMT");
        if (t >= 0) {
            int64_t back = -1;
            assert_int_equal(idc_time_parse_http(idc_str_c(out), &back, NULL), IDC_OK);
            assert_int_equal(back, t);
        }
    }
}

static void test_timefmt_http_rejects(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "Sun, 30 Aug 2015 12:36:00 UTC",  "Sun, 30 Aug 2015 12:36:00",
        "Sun, 31 Sep 2015 12:36:00 GMT",  "Sun, 30 Foo 2015 12:36:00 GMT",
        "Sunday, 30-Aug-15 12:36:00 GMT",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t t = 12345;
        struct idc_error err = {0};
        assert_int_equal(idc_time_parse_http(idc_str_c(bad[i]), &t, &err), IDC_ERR_PARSE);
        assert_int_equal(t, 12345);
        assert_non_null(strstr(err.msg, "is not an HTTP date"));
        assert_non_null(strstr(err.msg, bad[i]));
    }
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_timefmt_format_amz),
    cmocka_unit_test(test_timefmt_format_iso),
    cmocka_unit_test(test_timefmt_parse_amz),
    cmocka_unit_test(test_timefmt_parse_iso),
    cmocka_unit_test(test_timefmt_round_trip_every_day),
    cmocka_unit_test(test_timefmt_amz_rejects_wrong_length),
    cmocka_unit_test(test_timefmt_amz_rejects_bad_fields),
    cmocka_unit_test(test_timefmt_amz_rejects_missing_z),
    cmocka_unit_test(test_timefmt_amz_rejects_letters),
    cmocka_unit_test(test_timefmt_iso_rejects),
    cmocka_unit_test(test_timefmt_iso_fractional_seconds),
    cmocka_unit_test(test_timefmt_parse_ignores_bytes_past_view),
    cmocka_unit_test(test_timefmt_format_http),
    cmocka_unit_test(test_timefmt_http_weekday_every_day),
    cmocka_unit_test(test_timefmt_http_rejects),
};

UNIT_MAIN(tests)
