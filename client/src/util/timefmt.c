/* SPDX-License-Identifier: Apache-2.0 */
/*
 * timefmt.c - civil-date arithmetic (days from 1970-01-01, proleptic Gregorian) and
 * the two ISO 8601 spellings SigV4 and the AWS APIs use.
 */
#include "timefmt.h"

#include <stdio.h>
#include <string.h>

/* Days since 1970-01-01 for a civil date; valid for any year in int64 range we accept. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

struct civil {
    int64_t year;
    unsigned month, day, hour, minute, second;
    int64_t days; /* since 1970-01-01 (a Thursday), rounded down: gives the weekday */
};

static struct civil civil_from_time(int64_t t)
{
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t secs = t - days * 86400;
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    struct civil c;
    c.day = doy - (153 * mp + 2) / 5 + 1;
    c.month = mp < 10 ? mp + 3 : mp - 9;
    c.year = (int64_t)yoe + era * 400 + (c.month <= 2);
    c.hour = (unsigned)(secs / 3600);
    c.minute = (unsigned)(secs / 60 % 60);
    c.second = (unsigned)(secs % 60);
    c.days = days;
    return c;
}

/* Writes `n` decimal digits of `v` (zero-padded) at `out`. */
static void put_digits(char *out, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void idc_time_format_amz(int64_t t, char out[IDC_TIME_AMZ_LEN + 1])
{
    struct civil c = civil_from_time(t);
    put_digits(out, (unsigned)(c.year % 10000), 4);
    put_digits(out + 4, c.month, 2);
    put_digits(out + 6, c.day, 2);
    out[8] = 'T';
    put_digits(out + 9, c.hour, 2);
    put_digits(out + 11, c.minute, 2);
    put_digits(out + 13, c.second, 2);
    out[15] = 'Z';
    out[16] = '\0';
}

void idc_time_format_iso(int64_t t, char out[IDC_TIME_ISO_LEN + 1])
{
    struct civil c = civil_from_time(t);
    put_digits(out, (unsigned)(c.year % 10000), 4);
    out[4] = '-';
    put_digits(out + 5, c.month, 2);
    out[7] = '-';
    put_digits(out + 8, c.day, 2);
    out[10] = 'T';
    put_digits(out + 11, c.hour, 2);
    out[13] = ':';
    put_digits(out + 14, c.minute, 2);
    out[16] = ':';
    put_digits(out + 17, c.second, 2);
    out[19] = 'Z';
    out[20] = '\0';
}

/* Reads `n` digits at `p`; false when any is not a digit. */
static bool get_digits(const char *p, int n, unsigned *v)
{
    unsigned acc = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9') {
            return false;
        }
        acc = acc * 10 + (unsigned)(p[i] - '0');
    }
    *v = acc;
    return true;
}

static bool civil_valid(unsigned y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s)
{
    static const unsigned char mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 ||
        s > 59) {
        return false;
    }
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(mo == 2 && d == 29 && !leap);
}

static int64_t to_time(unsigned y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s)
{
    return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

idc_err idc_time_parse_amz(struct idc_str s, int64_t *t, struct idc_error *err)
{
    unsigned y, mo, d, h, mi, sec;
    if (s.len != IDC_TIME_AMZ_LEN || s.p[8] != 'T' || s.p[15] != 'Z' || !get_digits(s.p, 4, &y) ||
        !get_digits(s.p + 4, 2, &mo) || !get_digits(s.p + 6, 2, &d) ||
        !get_digits(s.p + 9, 2, &h) || !get_digits(s.p + 11, 2, &mi) ||
        !get_digits(s.p + 13, 2, &sec) || !civil_valid(y, mo, d, h, mi, sec)) {
        return idc_error_set(err, IDC_ERR_PARSE,
                             "'%.*s' is not a date in the form YYYYMMDDTHHMMSSZ (UTC)",
                             (int)(s.len > 40 ? 40 : s.len), s.p);
    }
    *t = to_time(y, mo, d, h, mi, sec);
    return IDC_OK;
}

idc_err idc_time_parse_iso(struct idc_str s, int64_t *t, struct idc_error *err)
{
    unsigned y, mo, d, h, mi, sec;
    size_t end = 19;
    if (s.len >= 20 && s.p[19] == '.') {
        for (end = 20; end < s.len && s.p[end] >= '0' && s.p[end] <= '9'; end++) {
        }
    }
    if (s.len != end + 1 || s.p[end] != 'Z' || s.p[4] != '-' || s.p[7] != '-' ||
        (s.p[10] != 'T' && s.p[10] != 't') || s.p[13] != ':' || s.p[16] != ':' ||
        !get_digits(s.p, 4, &y) || !get_digits(s.p + 5, 2, &mo) || !get_digits(s.p + 8, 2, &d) ||
        !get_digits(s.p + 11, 2, &h) || !get_digits(s.p + 14, 2, &mi) ||
        !get_digits(s.p + 17, 2, &sec) || !civil_valid(y, mo, d, h, mi, sec)) {
        return idc_error_set(err, IDC_ERR_PARSE,
                             "'%.*s' is not a UTC time in the form YYYY-MM-DDTHH:MM:SSZ",
                             (int)(s.len > 40 ? 40 : s.len), s.p);
    }
    *t = to_time(y, mo, d, h, mi, sec);
    return IDC_OK;
}

static const char weekdays[7][4] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void idc_time_format_http(int64_t t, char out[IDC_TIME_HTTP_LEN + 1])
{
    struct civil c = civil_from_time(t);
    memcpy(out, weekdays[(c.days % 7 + 7) % 7], 3); /* 1970-01-01 was a Thursday */
    memcpy(out + 3, ", ", 2);
    put_digits(out + 5, c.day, 2);
    out[7] = ' ';
    memcpy(out + 8, months[c.month - 1], 3);
    out[11] = ' ';
    put_digits(out + 12, (unsigned)(c.year % 10000), 4);
    out[16] = ' ';
    put_digits(out + 17, c.hour, 2);
    out[19] = ':';
    put_digits(out + 20, c.minute, 2);
    out[22] = ':';
    put_digits(out + 23, c.second, 2);
    memcpy(out + 25, " GMT", 5);
}

idc_err idc_time_parse_http(struct idc_str s, int64_t *t, struct idc_error *err)
{
    unsigned d, y, h, mi, sec, mo = 0;
    bool ok = s.len == IDC_TIME_HTTP_LEN && s.p[3] == ',' && s.p[4] == ' ' && s.p[7] == ' ' &&
              s.p[11] == ' ' && s.p[16] == ' ' && s.p[19] == ':' && s.p[22] == ':' &&
              memcmp(s.p + 25, " GMT", 4) == 0 && get_digits(s.p + 5, 2, &d) &&
              get_digits(s.p + 12, 4, &y) && get_digits(s.p + 17, 2, &h) &&
              get_digits(s.p + 20, 2, &mi) && get_digits(s.p + 23, 2, &sec);
    while (ok && mo < 12 && memcmp(s.p + 8, months[mo], 3) != 0) {
        mo++;
    }
    if (!ok || mo == 12 || !civil_valid(y, mo + 1, d, h, mi, sec)) {
        return idc_error_set(err, IDC_ERR_PARSE,
                             "'%.*s' is not an HTTP date like 'Sun, 30 Aug 2015 12:36:00 GMT'",
                             (int)(s.len > 40 ? 40 : s.len), s.p);
    }
    *t = to_time(y, mo + 1, d, h, mi, sec);
    return IDC_OK;
}
