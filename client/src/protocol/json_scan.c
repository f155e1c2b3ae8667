/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json_scan.c - a skipping JSON scanner (json_scan.h): finds where values start and end,
 * honouring strings, escapes and nesting, without decoding or allocating anything.
 */
#include "json_scan.h"

#include <string.h>

static size_t skip_ws(struct idc_str t, size_t i)
{
    while (i < t.len && (t.p[i] == ' ' || t.p[i] == '\t' || t.p[i] == '\n' || t.p[i] == '\r')) {
        i++;
    }
    return i;
}

/* Past the string starting at t.p[i] (a quote); 0 when it never closes. */
static size_t skip_string(struct idc_str t, size_t i)
{
    for (i++; i < t.len; i++) {
        if (t.p[i] == '\\') {
            i++;
        } else if (t.p[i] == '"') {
            return i + 1;
        }
    }
    return 0;
}

/* Past the value at t.p[i]; 0 when malformed. Containers are skipped by depth counting. */
static size_t skip_value(struct idc_str t, size_t i)
{
    if (i >= t.len) {
        return 0;
    }
    if (t.p[i] == '"') {
        return skip_string(t, i);
    }
    if (t.p[i] != '{' && t.p[i] != '[') {
        size_t start = i;
        while (i < t.len && strchr(",}] \t\r\n", t.p[i]) == NULL) {
            i++;
        }
        return i > start ? i : 0;
    }
    int depth = 0;
    for (; i < t.len; i++) {
        char c = t.p[i];
        if (c == '"') {
            size_t end = skip_string(t, i);
            if (end == 0) {
                return 0;
            }
            i = end - 1;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            return i + 1;
        }
    }
    return 0;
}

static idc_err malformed(struct idc_error *err, size_t at)
{
    return idc_error_set(err, IDC_ERR_PARSE, "malformed JSON in the response near byte %zu", at);
}

/* Gives `value` to the field named `key` (a member name without its quotes), if wanted. */
static void keep_field(struct idc_str key, struct idc_str value, struct idc_json_field *fields,
                       size_t n)
{
    for (size_t f = 0; f < n; f++) {
        if (!fields[f].found && idc_str_eq(key, idc_str_c(fields[f].key))) {
            fields[f].value = value;
            fields[f].found = true;
            return;
        }
    }
}

idc_err idc_json_fields(struct idc_str text, struct idc_json_field *fields, size_t n,
                        struct idc_error *err)
{
    for (size_t f = 0; f < n; f++) {
        fields[f].value = idc_str_make(text.p, 0);
        fields[f].found = false;
    }
    size_t i = skip_ws(text, 0);
    if (i >= text.len || text.p[i] != '{') {
        return malformed(err, i);
    }
    i = skip_ws(text, i + 1);
    while (i < text.len && text.p[i] != '}') {
        size_t kend = text.p[i] == '"' ? skip_string(text, i) : 0;
        size_t colon = kend ? skip_ws(text, kend) : 0;
        if (kend == 0 || colon >= text.len || text.p[colon] != ':') {
            return malformed(err, i);
        }
        size_t vstart = skip_ws(text, colon + 1), vend = skip_value(text, vstart);
        if (vend == 0) {
            return malformed(err, vstart);
        }
        keep_field(idc_str_make(text.p + i + 1, kend - i - 2),
                   idc_str_make(text.p + vstart, vend - vstart), fields, n);
        i = skip_ws(text, vend);
        if (i < text.len && text.p[i] == ',') {
            i = skip_ws(text, i + 1);
        } else if (i >= text.len || text.p[i] != '}') {
            return malformed(err, i);
        }
    }
    return i < text.len ? IDC_OK : malformed(err, i);
}

void idc_json_iter_init(struct idc_json_iter *it, struct idc_str array, const char *origin)
{
    it->array = array;
    it->origin = origin ? origin : array.p;
    it->pos = 0;
}

bool idc_json_iter_next(struct idc_json_iter *it, struct idc_str *element, idc_err *rc,
                        struct idc_error *err)
{
    struct idc_str a = it->array;
    size_t i = skip_ws(a, it->pos);
    size_t base = (size_t)(a.p - it->origin);
    *rc = IDC_OK;
    if (it->pos == 0) {
        if (i >= a.len || a.p[i] != '[') {
            *rc = malformed(err, base + i);
            return false;
        }
        i = skip_ws(a, i + 1);
    } else if (i < a.len && a.p[i] == ',') {
        i = skip_ws(a, i + 1);
    } else {
        if (i >= a.len || a.p[i] != ']') {
            *rc = malformed(err, base + i);
        }
        return false;
    }
    if (i < a.len && a.p[i] == ']' && it->pos == 0) {
        it->pos = i;
        return false;
    }
    size_t end = skip_value(a, i);
    if (end == 0) {
        *rc = malformed(err, base + i);
        return false;
    }
    *element = idc_str_make(a.p + i, end - i);
    it->pos = end;
    return true;
}
