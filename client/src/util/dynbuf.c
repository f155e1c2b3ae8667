/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dynbuf.c - growing buffers (dynbuf.h): doubling growth, a sticky failure flag.
 */
#include "dynbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool idc_dynbuf_reserve(struct idc_dynbuf *b, size_t extra)
{
    if (b->failed) {
        return false;
    }
    if (extra <= b->cap - b->len) {
        return true;
    }
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < extra) {
        if (cap > SIZE_MAX / 2) {
            b->failed = true;
            return false;
        }
        cap *= 2;
    }
    char *p = realloc(b->p, cap);
    if (p == NULL) {
        b->failed = true;
        return false;
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void idc_dynbuf_put(struct idc_dynbuf *b, const void *data, size_t n)
{
    if (n > 0 && idc_dynbuf_reserve(b, n)) {
        memcpy(b->p + b->len, data, n);
        b->len += n;
    }
}

void idc_dynbuf_str(struct idc_dynbuf *b, const char *s)
{
    idc_dynbuf_put(b, s, strlen(s));
}

void idc_dynbuf_printf(struct idc_dynbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !idc_dynbuf_reserve(b, (size_t)n + 1)) {
        b->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void idc_dynbuf_free(struct idc_dynbuf *b)
{
    free(b->p);
    *b = (struct idc_dynbuf){0};
}
