/* SPDX-License-Identifier: Apache-2.0 */
/*
 * escape.c - JSON string and XML text escaping (escape.h), copying unescaped runs whole.
 */
#include "escape.h"

#include <string.h>

void idc_json_quote(struct idc_dynbuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    if (!idc_dynbuf_reserve(b, n + 2)) {
        return;
    }
    b->p[b->len++] = '"';
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        idc_dynbuf_put(b, s + run, i - run);
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
        idc_dynbuf_put(b, esc, len);
    }
    idc_dynbuf_put(b, s + run, n - run);
    idc_dynbuf_put(b, "\"", 1);
}

void idc_xml_escape(struct idc_dynbuf *b, const char *s, size_t n)
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
        idc_dynbuf_put(b, s + run, i - run);
        idc_dynbuf_str(b, rep);
        run = i + 1;
    }
    idc_dynbuf_put(b, s + run, n - run);
}
