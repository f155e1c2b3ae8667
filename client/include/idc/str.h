/* SPDX-License-Identifier: Apache-2.0 */
/*
 * str.h - borrowed string views, caller-owned output buffers, hex, wiping and
 * constant-time comparison. Nothing here allocates.
 */
#ifndef IDC_STR_H
#define IDC_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "idc/api.h"
#include "idc/error.h"

IDC_BEGIN_DECLS

/* A borrowed view: not NUL-terminated, so strlen() on one is a bug. */
struct idc_str {
    const char *p;
    size_t len;
};

#define IDC_STR(lit)   ((struct idc_str){(lit), sizeof(lit) - 1}) /* literals only */
#define IDC_STR_FMT    "%.*s"
#define IDC_STR_ARG(s) (int)(s).len, (s).p

static inline struct idc_str idc_str_make(const char *p, size_t len)
{
    struct idc_str s = {p, len}; /* no compound literal: the header is also C++ */
    return s;
}

/* The first `c` in the view, or NULL; safe on an empty view whose pointer is NULL. */
static inline const char *idc_str_chr(struct idc_str s, char c)
{
    return s.len ? (const char *)memchr(s.p, c, s.len) : NULL;
}

/* The first occurrence of `needle` in `hay`, or NULL (an empty needle matches at the start). */
const char *idc_str_find(struct idc_str hay, struct idc_str needle);

/* A view of a C string; NULL gives the empty view. */
struct idc_str idc_str_c(const char *s);

bool idc_str_eq(struct idc_str a, struct idc_str b);
bool idc_str_eq_nocase(struct idc_str a, struct idc_str b); /* ASCII case folding */
bool idc_str_starts_with(struct idc_str s, struct idc_str prefix);

/*
 * Cuts the next piece off the front of `*rest`, up to the first `sep`: `*piece` gets what
 * comes before it and `*rest` what follows it (the separator belongs to neither). Returns
 * false, changing nothing, once `*rest` is empty, so "a&&b" gives "a", "", "b" and a
 * trailing separator gives no empty last piece:
 *     for (struct idc_str rest = query, part; idc_str_next(&rest, '&', &part);) { ... }
 */
bool idc_str_next(struct idc_str *rest, char sep, struct idc_str *piece);

/*
 * Splits `s` at its first `sep` into `*before` and `*after`. Without `sep`, `*before` is
 * all of `s`, `*after` is empty and the result is false.
 */
bool idc_str_split(struct idc_str s, char sep, struct idc_str *before, struct idc_str *after);

/* The view without leading and trailing spaces and tabs. */
struct idc_str idc_str_trim(struct idc_str s);

/*
 * Reads the whole view as a decimal number into *out: ASCII digits only (no sign, space,
 * "0x" or suffix), at least one, and a value of at most `max`. False otherwise, with *out
 * unchanged. Leading zeros are accepted ("007" is 7).
 */
bool idc_str_to_u64(struct idc_str s, uint64_t max, uint64_t *out);

/*
 * Copies the view into `out` (capacity `cap`) with a terminating NUL.
 * Returns IDC_ERR_SPACE, naming `what`, when it does not fit.
 */
idc_err idc_str_copy(struct idc_str s, char *out, size_t cap, const char *what,
                     struct idc_error *err);

/* Caller-owned output storage: writers append within `cap` and never reallocate. */
struct idc_buf {
    char *p;
    size_t len;
    size_t cap;
};

#define IDC_BUF(array) ((struct idc_buf){(array), 0, sizeof(array)})

/* Appends; on IDC_ERR_SPACE `len` is unchanged. `what` names the buffer in the message. */
idc_err idc_buf_put(struct idc_buf *b, const void *data, size_t n, const char *what,
                    struct idc_error *err);

/* Lowercase hex of `n` bytes into `out`, which must hold 2*n bytes (no NUL is written). */
void idc_hex_lower(const uint8_t *in, size_t n, char *out);

/* The value of one hex digit, or -1. */
static inline int idc_hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c |= 0x20;
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* Compares `n` bytes in time that does not depend on where they differ. */
bool idc_ct_eq(const void *a, const void *b, size_t n);

/* Clears memory that held secrets; the compiler may not elide it. */
void idc_wipe(void *p, size_t n);

IDC_END_DECLS

#endif
