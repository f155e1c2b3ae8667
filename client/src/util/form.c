/* SPDX-License-Identifier: Apache-2.0 */
/*
 * form.c - form encoding and decoding for the AWS query protocol (form.h). Separate from
 * the SigV4 canonicaliser on purpose: here '+' means a space.
 */
#include "form.h"

#include <string.h>

idc_err idc_form_decode(struct idc_str in, struct idc_buf *out, struct idc_error *err)
{
    size_t start = out->len;
    for (size_t i = 0; i < in.len; i++) {
        unsigned char c = (unsigned char)in.p[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            int hi = i + 2 < in.len ? idc_hex_value((unsigned char)in.p[i + 1]) : -1;
            int lo = i + 2 < in.len ? idc_hex_value((unsigned char)in.p[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                out->len = start;
                return idc_error_set(err, IDC_ERR_PARSE,
                                     "form value '%.*s': '%%' at offset %zu is not followed by "
                                     "two hex digits",
                                     (int)(in.len > 64 ? 64 : in.len), in.p, i);
            }
            c = (unsigned char)(hi << 4 | lo);
            i += 2;
        }
        if (out->len == out->cap) {
            out->len = start;
            return idc_error_set(err, IDC_ERR_SPACE, "decoded form value does not fit %zu bytes",
                                 out->cap);
        }
        out->p[out->len++] = (char)c;
    }
    return IDC_OK;
}

static bool unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == '~';
}

idc_err idc_form_encode(struct idc_str in, struct idc_buf *out, struct idc_error *err)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t need = 0;
    for (size_t i = 0; i < in.len; i++) {
        need += unreserved((unsigned char)in.p[i]) ? 1 : 3;
    }
    if (need > out->cap - out->len) {
        return idc_error_set(err, IDC_ERR_SPACE, "form-encoded value needs %zu bytes, %zu free",
                             need, out->cap - out->len);
    }
    char *d = out->p + out->len;
    for (size_t i = 0; i < in.len; i++) {
        unsigned char c = (unsigned char)in.p[i];
        if (unreserved(c)) {
            *d++ = (char)c;
        } else {
            *d++ = '%';
            *d++ = hex[c >> 4];
            *d++ = hex[c & 15];
        }
    }
    out->len += need;
    return IDC_OK;
}

bool idc_form_next(struct idc_str *rest, struct idc_str *name, struct idc_str *value)
{
    struct idc_str part;
    while (idc_str_next(rest, '&', &part)) {
        if (part.len > 0) { /* an empty part, as in "a=1&&b=2", is skipped */
            idc_str_split(part, '=', name, value);
            return true;
        }
    }
    return false;
}
