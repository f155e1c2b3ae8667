/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json_scan.h - byte ranges in a JSON text without building a tree (library-internal):
 * the values of top-level members, and the elements of an array, as slices of the
 * original bytes. Lets a page of users be handed on exactly as the service sent it, one
 * element parsed at a time. Every byte scanned is validated against RFC 8259 (UTF-8 and
 * surrogate pairing excepted), in one pass, without allocating or recursing.
 */
#ifndef IDC_JSON_SCAN_H
#define IDC_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "idc/error.h"
#include "idc/str.h"

/*
 * The deepest nesting of objects and arrays accepted, counting the outermost container
 * (the top-level object, or the array being walked). AWS responses nest a few levels; the
 * bound keeps the scanner's stack a fixed 64 bytes.
 */
#define IDC_JSON_DEPTH_MAX 512

/* One member wanted from a top-level object. */
struct idc_json_field {
    const char *key;      /* in: the member's name */
    struct idc_str value; /* out: its bytes (a string keeps its quotes); empty when absent */
    bool found;           /* out: the first of repeated members wins; a member whose value is null
                             counts as absent, as the AWS SDKs read it */
};

/*
 * Finds the members `fields[0..n)` of the top-level object `text` in one pass, and checks
 * that `text` is exactly one well-formed object, whitespace around it allowed.
 *   text    in      the whole response; values found point into it
 *   fields  in,out  keys in, values out; every field is reset first (n may be 0)
 * Returns IDC_ERR_PARSE when `text` is not RFC 8259 JSON or not an object, and IDC_ERR_LIMIT
 * when it nests deeper than IDC_JSON_DEPTH_MAX; both messages give the byte offset. When
 * the text ends inside a member's value, the offset is where that value starts.
 */
idc_err idc_json_fields(struct idc_str text, struct idc_json_field *fields, size_t n,
                        struct idc_error *err);

/* Walks the elements of the array `array` (its bytes, brackets included). */
struct idc_json_iter {
    struct idc_str array;
    const char *origin; /* the start of the whole text, for offsets in messages */
    size_t pos;
};

/*
 * `origin`: where the whole response starts (error offsets count from it); NULL counts from
 * the array's first byte. The iterator points into the array's bytes: they must outlive it.
 */
void idc_json_iter_init(struct idc_json_iter *it, struct idc_str array, const char *origin);
/*
 * The next element's bytes in *element (a slice of the array), validated whole; false at
 * the end, and again on every later call. *rc is IDC_OK at the end, IDC_ERR_PARSE when the
 * array or the element is not RFC 8259 JSON (or bytes other than whitespace follow the
 * ']'), IDC_ERR_LIMIT when the element nests deeper than IDC_JSON_DEPTH_MAX (the array
 * counts as one level); then false is returned and nothing is handed on.
 */
bool idc_json_iter_next(struct idc_json_iter *it, struct idc_str *element, idc_err *rc,
                        struct idc_error *err);

#endif
