/* SPDX-License-Identifier: Apache-2.0 */
/*
 * str.c - string views, caller buffers, hex, constant-time compare and wiping.
 */
#include "idc/str.h"

#include <string.h>

struct idc_str idc_str_c(const char *s)
{
    return s ? idc_str_make(s, strlen(s)) : idc_str_make("", 0);
}

bool idc_str_eq(struct idc_str a, struct idc_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static inline unsigned char ascii_lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c | 0x20) : c;
}

bool idc_str_eq_nocase(struct idc_str a, struct idc_str b)
{
    if (a.len != b.len) {
        return false;
    }
    for (size_t i = 0; i < a.len; i++) {
        if (ascii_lower((unsigned char)a.p[i]) != ascii_lower((unsigned char)b.p[i])) {
            return false;
        }
    }
    return true;
}

bool idc_str_starts_with(struct idc_str s, struct idc_str prefix)
{
    return s.len >= prefix.len && (prefix.len == 0 || memcmp(s.p, prefix.p, prefix.len) == 0);
}

const char *idc_str_find(struct idc_str hay, struct idc_str needle)
{
    if (needle.len == 0) {
        return hay.p;
    }
    for (size_t i = 0; needle.len <= hay.len && i <= hay.len - needle.len; i++) {
        const char *c = memchr(hay.p + i, needle.p[0], hay.len - needle.len - i + 1);
        if (c == NULL) {
            return NULL;
        }
        i = (size_t)(c - hay.p);
        if (memcmp(c, needle.p, needle.len) == 0) {
            return c;
        }
    }
    return NULL;
}

bool idc_str_next(struct idc_str *rest, char sep, struct idc_str *piece)
{
    if (rest->len == 0) {
        return false;
    }
    const char *at = memchr(rest->p, sep, rest->len);
    size_t n = at ? (size_t)(at - rest->p) : rest->len;
    *piece = idc_str_make(rest->p, n);
    *rest = at ? idc_str_make(at + 1, rest->len - n - 1) : idc_str_make(rest->p + n, 0);
    return true;
}

bool idc_str_split(struct idc_str s, char sep, struct idc_str *before, struct idc_str *after)
{
    const char *at = idc_str_chr(s, sep);
    if (at == NULL) {
        *before = s;
        *after = idc_str_make(s.len ? s.p + s.len : s.p, 0); /* no arithmetic on a NULL view */
        return false;
    }
    *before = idc_str_make(s.p, (size_t)(at - s.p));
    *after = idc_str_make(at + 1, s.len - before->len - 1);
    return true;
}

struct idc_str idc_str_trim(struct idc_str s)
{
    while (s.len > 0 && (s.p[0] == ' ' || s.p[0] == '\t')) {
        s.p++;
        s.len--;
    }
    while (s.len > 0 && (s.p[s.len - 1] == ' ' || s.p[s.len - 1] == '\t')) {
        s.len--;
    }
    return s;
}

bool idc_str_to_u64(struct idc_str s, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned d = (unsigned char)s.p[i] - (unsigned)'0';
        if (d > 9 || d > max || v > (max - d) / 10) {
            return false; /* not a digit, or v * 10 + d would pass max (so it never wraps) */
        }
        v = v * 10 + d;
    }
    if (s.len == 0) {
        return false;
    }
    *out = v;
    return true;
}

idc_err idc_str_copy(struct idc_str s, char *out, size_t cap, const char *what,
                     struct idc_error *err)
{
    if (s.len >= cap) {
        return idc_error_set(err, IDC_ERR_SPACE, "%s is %zu bytes long, at most %zu fit", what,
                             s.len, cap ? cap - 1 : 0);
    }
    if (s.len) {
        memcpy(out, s.p, s.len);
    }
    out[s.len] = '\0';
    return IDC_OK;
}

idc_err idc_buf_put(struct idc_buf *b, const void *data, size_t n, const char *what,
                    struct idc_error *err)
{
    if (n > b->cap - b->len) {
        return idc_error_set(err, IDC_ERR_SPACE,
                             "%s needs %zu more bytes, %zu free; use a larger buffer", what, n,
                             b->cap - b->len);
    }
    if (n) {
        memcpy(b->p + b->len, data, n);
    }
    b->len += n;
    return IDC_OK;
}

/* Two lowercase hex digits per byte value: one load per input byte. */
static const char hex_pairs[512] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
    "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
    "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
    "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

void idc_hex_lower(const uint8_t *in, size_t n, char *out)
{
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        memcpy(out + 2 * i, hex_pairs + 2 * in[i], 2);
        memcpy(out + 2 * i + 2, hex_pairs + 2 * in[i + 1], 2);
        memcpy(out + 2 * i + 4, hex_pairs + 2 * in[i + 2], 2);
        memcpy(out + 2 * i + 6, hex_pairs + 2 * in[i + 3], 2);
    }
    for (; i < n; i++) {
        memcpy(out + 2 * i, hex_pairs + 2 * in[i], 2);
    }
}

bool idc_ct_eq(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a;
    const unsigned char *y = b;
    uint64_t acc = 0;
    size_t i = 0;
    /* Word at a time: no branch depends on the data, only on the length. */
    for (; i + 8 <= n; i += 8) {
        uint64_t u, v;
        memcpy(&u, x + i, 8);
        memcpy(&v, y + i, 8);
        acc |= u ^ v;
    }
    for (; i < n; i++) {
        acc |= (uint64_t)(x[i] ^ y[i]);
    }
    volatile uint64_t result = acc; /* keeps the compiler from ending the loop early */
    return result == 0;
}

void idc_wipe(void *p, size_t n)
{
    if (p != NULL && n > 0) {
        explicit_bzero(p, n);
    }
}
