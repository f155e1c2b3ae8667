/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json_scan.c - fuzz target for the JSON scanner (json_scan.h): the members a ListUsers page
 * and an error answer are read by (idc_json_fields), then every element of each array
 * member and of the whole input read as an array (idc_json_iter_next). Every slice handed
 * out must lie inside the input, and a text the scanner accepts must parse with cJSON, which
 * reads the elements afterwards.
 */
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "fuzz.h"
#include "json_scan.h"

static void within(struct idc_str s, const uint8_t *data, size_t size)
{
    if (s.len > 0 && ((const uint8_t *)s.p < data || (const uint8_t *)s.p + s.len > data + size)) {
        abort();
    }
}

/*
 * What the scanner accepted, cJSON (which reads it next) must accept too; but for surrogate
 * escapes, whose pairing the scanner leaves to cJSON by design (json_scan.h).
 */
static void cjson_agrees(struct idc_str s)
{
    for (size_t i = 0; i + 2 < s.len; i++) {
        if (s.p[i] == '\\' && s.p[i + 1] == 'u' && (s.p[i + 2] == 'd' || s.p[i + 2] == 'D')) {
            return;
        }
    }
    cJSON *doc = cJSON_ParseWithLength(s.p, s.len);
    if (doc == NULL) {
        fprintf(stderr, "the scanner accepted %zu bytes that cJSON refuses\n", s.len);
        abort();
    }
    cJSON_Delete(doc);
}

static void walk(struct idc_str array, const uint8_t *data, size_t size)
{
    struct idc_json_iter it;
    struct idc_str el;
    idc_err rc = IDC_OK;
    struct idc_error err = {0};
    idc_json_iter_init(&it, array, (const char *)data);
    while (idc_json_iter_next(&it, &el, &rc, &err)) {
        within(el, data, size);
        cjson_agrees(el);
        struct idc_json_field inner[] = {{.key = "UserId"}, {.key = "Emails"}};
        if (idc_json_fields(el, inner, 2, &err) == IDC_OK) {
            within(inner[0].value, data, size);
            within(inner[1].value, data, size);
        }
    }
    /* the end is sticky: a later call hands nothing on */
    if (idc_json_iter_next(&it, &el, &rc, &err)) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT) {
        return 0;
    }
    struct idc_str text = idc_str_make((const char *)data, size);
    struct idc_json_field f[] = {{.key = "Users"},   {.key = "NextToken"}, {.key = "__type"},
                                 {.key = "message"}, {.key = "Message"},   {.key = "Groups"}};
    struct idc_error err = {0};
    if (idc_json_fields(text, f, sizeof f / sizeof f[0], &err) == IDC_OK) {
        cjson_agrees(text);
        for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
            within(f[i].value, data, size);
            if (f[i].found && f[i].value.len > 0 && f[i].value.p[0] == '[') {
                walk(f[i].value, data, size);
            }
        }
    }
    walk(text, data, size);
    return 0;
}
