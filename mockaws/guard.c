/* SPDX-License-Identifier: Apache-2.0 */
/*
 * guard.c - checks that run before a request body is parsed or echoed: a one-pass scan of
 * JSON nesting that knows strings and escapes, and UTF-8 validation (RFC 3629, Table 3-7
 * of the Unicode standard) so that no reply carries bytes a client cannot decode.
 */
#include "guard.h"

#include <stdint.h>

bool mock_json_depth_ok(const char *text, size_t len, unsigned max_depth)
{
    unsigned depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_string) {
            if (c == '\\') {
                i++; /* the escaped character, whatever it is, never ends the string */
            } else if (c == '"') {
                in_string = false;
            }
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > max_depth) {
                return false;
            }
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
        }
    }
    return true;
}

/* The length of the well-formed UTF-8 sequence at s[0..len), or 0 when ill-formed. */
static size_t utf8_sequence(const unsigned char *s, size_t len)
{
    unsigned char b = s[0];
    if (b < 0x80) {
        return 1;
    }
    size_t n = b >= 0xc2 && b <= 0xdf   ? 2
               : b >= 0xe0 && b <= 0xef ? 3
               : b >= 0xf0 && b <= 0xf4 ? 4
                                        : 0;
    if (n == 0 || n > len) {
        return 0;
    }
    /* the second byte's range excludes overlongs (E0, F0), surrogates (ED) and > U+10FFFF */
    unsigned char lo = b == 0xe0 ? 0xa0 : b == 0xf0 ? 0x90 : 0x80;
    unsigned char hi = b == 0xed ? 0x9f : b == 0xf4 ? 0x8f : 0xbf;
    if (s[1] < lo || s[1] > hi) {
        return 0;
    }
    for (size_t i = 2; i < n; i++) {
        if (s[i] < 0x80 || s[i] > 0xbf) {
            return 0;
        }
    }
    return n;
}

bool mock_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        size_t n = utf8_sequence(p + i, len - i);
        if (n == 0) {
            return false;
        }
        i += n;
    }
    return true;
}

void mock_utf8_sanitize(struct idc_dynbuf *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0; /* run: well-formed bytes not yet copied, ending at i */
    while (i < len) {
        size_t n = utf8_sequence(p + i, len - i);
        if (n > 0) {
            i += n;
            run += n;
            continue;
        }
        idc_dynbuf_put(out, s + i - run, run);
        idc_dynbuf_put(out, "\xef\xbf\xbd", 3);
        i++;
        run = 0;
    }
    idc_dynbuf_put(out, s + i - run, run);
}
