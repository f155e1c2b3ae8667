/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json_scan.h - byte ranges in a JSON text without building a tree (library-internal):
 * the values of top-level members, and the elements of an array, as slices of the
 * original bytes. Lets a page of users be handed on exactly as the service sent it, one
 * element parsed at a time.
 */
#ifndef IDC_JSON_SCAN_H
#define IDC_JSON_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "idc/error.h"
#include "idc/str.h"

/* One member wanted from a top-level object. */
struct idc_json_field {
    const char *key;      /* in: the member's name */
    struct idc_str value; /* out: its bytes (a string keeps its quotes); empty when absent */
    bool found;           /* out: the first of repeated members wins */
};

/*
 * Finds the members `fields[0..n)` of the top-level object `text` in one pass. IDC_ERR_PARSE
 * when `text` is not a well-formed object (the message gives the byte offset).
 */
idc_err idc_json_fields(struct idc_str text, struct idc_json_field *fields, size_t n,
                        struct idc_error *err);

/* Walks the elements of the array `array` (its bytes, brackets included). */
struct idc_json_iter {
    struct idc_str array;
    const char *origin; /* the start of the whole text, for offsets in messages */
    size_t pos;
};

/* `origin`: where the whole response starts (error offsets count from it). */
void idc_json_iter_init(struct idc_json_iter *it, struct idc_str array, const char *origin);
/* The next element's bytes; false at the end. IDC_ERR_PARSE in *rc when malformed. */
bool idc_json_iter_next(struct idc_json_iter *it, struct idc_str *element, idc_err *rc,
                        struct idc_error *err);

#endif
