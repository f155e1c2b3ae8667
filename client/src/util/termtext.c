/* SPDX-License-Identifier: Apache-2.0 */
/*
 * termtext.c - terminal-safe text (termtext.h): a strict UTF-8 reader and one escaper that
 * both the library's error messages and idcctl's output use. Plain ASCII, by far the most
 * text, is checked eight bytes at a time and copied in whole runs.
 */
#include "termtext.h"

#include <string.h>

size_t idc_utf8_next(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned char c = p[0];
    *cp = IDC_UTF8_INVALID;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v;
    unsigned char lo = 0x80, hi = 0xBF; /* the range of the second byte (RFC 3629, 4) */
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0Fu;
        lo = c == 0xE0 ? 0xA0 : lo; /* below: overlong */
        hi = c == 0xED ? 0x9F : hi; /* above: a surrogate, U+D800..U+DFFF */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07u;
        lo = c == 0xF0 ? 0x90 : lo; /* below: overlong */
        hi = c == 0xF4 ? 0x8F : hi; /* above: past U+10FFFF */
    } else {
        return 1; /* a continuation byte, C0/C1 (always overlong) or F5..FF */
    }
    if (n < len || p[1] < lo || p[1] > hi) {
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            return 1;
        }
        v = (v << 6) | (p[i] & 0x3Fu);
    }
    *cp = v;
    return len;
}

bool idc_text_unsafe(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

/* Whether all eight bytes are printable ASCII (0x20..0x7E), with no branch per byte. */
static inline bool word_is_plain(uint64_t v)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t below_space = (v - ones * 0x20) & ~v & highs; /* exact for bytes below 0x80 */
    uint64_t x = v ^ (ones * 0x7F);                        /* a zero byte where v had DEL */
    uint64_t del = (x - ones) & ~x & highs;
    return ((v & highs) | below_space | del) == 0;
}

size_t idc_text_plain_span(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (n - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            if (word_is_plain(w)) {
                i += 8;
                continue;
            }
        }
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = idc_utf8_next(s + i, n - i, &cp);
        if (cp == IDC_UTF8_INVALID || idc_text_unsafe(cp)) {
            break;
        }
        i += len;
    }
    return i;
}

/*
 * The escape for the unsafe sequence at the start of `s` (not plain, by
 * idc_text_plain_span) into `esc`, which holds 7 bytes; returns the bytes it stands for.
 */
static size_t escape_one(const char *s, size_t n, char esc[7], size_t *esc_len)
{
    static const char hex[] = "0123456789abcdef";
    uint32_t cp;
    size_t len = idc_utf8_next(s, n, &cp);
    if (cp == '\n' || cp == '\r' || cp == '\t') {
        esc[0] = '\\';
        esc[1] = cp == '\n' ? 'n' : cp == '\r' ? 'r' : 't';
        *esc_len = 2;
    } else if (cp == IDC_UTF8_INVALID || cp < 0x20 || cp == 0x7F) {
        unsigned char c = (unsigned char)s[0];
        memcpy(esc, "\\x", 2);
        esc[2] = hex[c >> 4];
        esc[3] = hex[c & 15];
        *esc_len = 4;
    } else {
        memcpy(esc, "\\u", 2);
        for (int i = 0; i < 4; i++) {
            esc[2 + i] = hex[(cp >> (12 - 4 * i)) & 15];
        }
        *esc_len = 6;
    }
    return len;
}

void idc_text_escape(struct idc_dynbuf *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t run = idc_text_plain_span(s + i, n - i);
        idc_dynbuf_put(b, s + i, run);
        i += run;
        if (i < n) {
            char esc[7];
            size_t esc_len;
            i += escape_one(s + i, n - i, esc, &esc_len);
            idc_dynbuf_put(b, esc, esc_len);
        }
    }
}

size_t idc_text_escape_to(struct idc_str s, char *out, size_t cap)
{
    size_t at = 0, i = 0;
    size_t keep = 0; /* the last boundary with room for "..." and the NUL after it */
    while (i < s.len) {
        size_t run = idc_text_plain_span(s.p + i, s.len - i);
        if (run > 0 && at + run + 4 <= cap) {
            memcpy(out + at, s.p + i, run); /* a whole run with room to spare: no cut in it */
            at += run;
            i += run;
            keep = at;
            continue;
        }
        /* one character or escape at a time, so a cut never splits either */
        char esc[7];
        const char *piece = esc;
        size_t piece_len, len;
        if (run > 0) {
            uint32_t cp;
            len = idc_utf8_next(s.p + i, s.len - i, &cp);
            piece = s.p + i;
            piece_len = len;
        } else {
            len = escape_one(s.p + i, s.len - i, esc, &piece_len);
        }
        if (piece_len > cap - 1 - at) {
            memcpy(out + keep, "...", 3);
            out[keep + 3] = '\0';
            return keep + 3;
        }
        memcpy(out + at, piece, piece_len);
        at += piece_len;
        i += len;
        keep = at <= cap - 4 ? at : keep;
    }
    out[at] = '\0';
    return at;
}
