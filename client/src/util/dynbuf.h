/* SPDX-License-Identifier: Apache-2.0 */
/*
 * dynbuf.h - a growing byte buffer for the layers that may allocate (protocol, services,
 * transports, mockaws); the signer and crypto never use it. A failed allocation marks the
 * buffer failed instead of cutting text silently: check `failed` once at the end.
 */
#ifndef IDC_DYNBUF_H
#define IDC_DYNBUF_H

#include <stdbool.h>
#include <stddef.h>

struct idc_dynbuf {
    char *p;
    size_t len;
    size_t cap;
    bool failed;
};

/* Makes room for `extra` more bytes; false (and `failed`) when memory runs out. */
bool idc_dynbuf_reserve(struct idc_dynbuf *b, size_t extra);
void idc_dynbuf_put(struct idc_dynbuf *b, const void *data, size_t n);
void idc_dynbuf_str(struct idc_dynbuf *b, const char *s);
void idc_dynbuf_printf(struct idc_dynbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void idc_dynbuf_free(struct idc_dynbuf *b); /* back to zero; fine on a zeroed buffer */

#endif
