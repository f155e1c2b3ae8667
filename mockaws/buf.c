/* SPDX-License-Identifier: Apache-2.0 */
/*
 * buf.c - mockaws's growing output buffers, with JSON and XML escaping. A failed
 * allocation marks the buffer failed instead of cutting text silently.
 */
#include "mock.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static bool grow(struct mock_buf *b, size_t extra)
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

void mock_buf_put(struct mock_buf *b, const void *data, size_t n)
{
    if (n > 0 && grow(b, n)) {
        memcpy(b->p + b->len, data, n);
        b->len += n;
    }
}

void mock_buf_str(struct mock_buf *b, const char *s)
{
    mock_buf_put(b, s, strlen(s));
}

void mock_buf_printf(struct mock_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !grow(b, (size_t)n + 1)) {
        b->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void mock_buf_json_string(struct mock_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    if (!grow(b, n + 2)) {
        return;
    }
    b->p[b->len++] = '"';
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        mock_buf_put(b, s + run, i - run);
        run = i + 1;
        char esc[6] = {'\\', (char)c, 0, 0, 0, 0};
        size_t len = 2;
        if (c == '\n') {
            esc[1] = 'n';
        } else if (c == '\r') {
            esc[1] = 'r';
        } else if (c == '\t') {
            esc[1] = 't';
        } else if (c < 0x20) {
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            len = 6;
        }
        mock_buf_put(b, esc, len);
    }
    mock_buf_put(b, s + run, n - run);
    mock_buf_put(b, "\"", 1);
}

void mock_buf_xml_text(struct mock_buf *b, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep;
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&apos;";
            break;
        default:
            continue;
        }
        mock_buf_put(b, s + run, i - run);
        mock_buf_str(b, rep);
        run = i + 1;
    }
    mock_buf_put(b, s + run, n - run);
}

void mock_buf_free(struct mock_buf *b)
{
    free(b->p);
    *b = (struct mock_buf){0};
}
