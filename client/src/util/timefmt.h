/* SPDX-License-Identifier: Apache-2.0 */
/*
 * timefmt.h - UTC time formats used on the wire: SigV4's basic ISO 8601
 * (YYYYMMDDTHHMMSSZ) and extended ISO 8601 (YYYY-MM-DDTHH:MM:SSZ).
 * Pure arithmetic: no locale, no time zone, no allocation.
 */
#ifndef IDC_TIMEFMT_H
#define IDC_TIMEFMT_H

#include <stdint.h>

#include "idc/error.h"
#include "idc/str.h"

#define IDC_TIME_AMZ_LEN  16 /* "20150830T123600Z" */
#define IDC_TIME_ISO_LEN  20 /* "2015-08-30T12:36:00Z" */
#define IDC_TIME_HTTP_LEN 29 /* "Sun, 30 Aug 2015 12:36:00 GMT" */

/* Writes `t` (seconds since the epoch, UTC) as YYYYMMDDTHHMMSSZ plus a NUL (17 bytes). */
void idc_time_format_amz(int64_t t, char out[IDC_TIME_AMZ_LEN + 1]);

/* Writes `t` as YYYY-MM-DDTHH:MM:SSZ plus a NUL (21 bytes). */
void idc_time_format_iso(int64_t t, char out[IDC_TIME_ISO_LEN + 1]);

/* Parses YYYYMMDDTHHMMSSZ exactly. Returns IDC_ERR_PARSE naming the text otherwise. */
idc_err idc_time_parse_amz(struct idc_str s, int64_t *t, struct idc_error *err);

/*
 * Parses extended ISO 8601 in UTC: YYYY-MM-DDTHH:MM:SS with optional fraction and a
 * final Z (fractions are dropped). Returns IDC_ERR_PARSE otherwise.
 */
idc_err idc_time_parse_iso(struct idc_str s, int64_t *t, struct idc_error *err);

/* Writes `t` as an HTTP date (RFC 9110 IMF-fixdate) plus a NUL (30 bytes). */
void idc_time_format_http(int64_t t, char out[IDC_TIME_HTTP_LEN + 1]);

/* Parses an IMF-fixdate ("Sun, 30 Aug 2015 12:36:00 GMT"). Returns IDC_ERR_PARSE otherwise. */
idc_err idc_time_parse_http(struct idc_str s, int64_t *t, struct idc_error *err);

#endif
