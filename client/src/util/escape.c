/* SPDX-License-Identifier: Apache-2.0 */
/*
 * escape.c - JSON string and XML text escaping (escape.h), copying unescaped runs whole.
 * idc_json_quote keeps every byte (request bodies, mockaws's answers); idc_json_quote_text
 * is for output that may reach a terminal and must be valid JSON.
 */
#include "escape.h"

#include <stdint.h>
#include <string.h>

#include "termtext.h"

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

void idc_json_quote_text(struct idc_dynbuf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    idc_dynbuf_put(b, "\"", 1);
    size_t i = 0;
    while (i < n) {
        size_t run = idc_text_plain_span(s + i, n - i);
        const char *quote = run ? memchr(s + i, '"', run) : NULL;
        const char *slash = run ? memchr(s + i, '\\', run) : NULL;
        if (quote && slash) {
            run = (size_t)((quote < slash ? quote : slash) - (s + i));
        } else if (quote || slash) {
            run = (size_t)((quote ? quote : slash) - (s + i));
        }
        idc_dynbuf_put(b, s + i, run);
        i += run;
        if (i == n) {
            break;
        }
        uint32_t cp;
        size_t len = idc_utf8_next(s + i, n - i, &cp);
        char esc[6] = {'\\', (char)cp, 0, 0, 0, 0};
        size_t esc_len = 2;
        if (cp == IDC_UTF8_INVALID) {
            memcpy(esc, "\xEF\xBF\xBD", 3); /* U+FFFD */
            esc_len = 3;
        } else if (cp == '\n' || cp == '\r' || cp == '\t') {
            esc[1] = cp == '\n' ? 'n' : cp == '\r' ? 'r' : 't';
        } else if (cp != '"' && cp != '\\') {
            memcpy(esc, "\\u", 2);
            for (int k = 0; k < 4; k++) {
                esc[2 + k] = hex[(cp >> (12 - 4 * k)) & 15];
            }
            esc_len = 6;
        }
        idc_dynbuf_put(b, esc, esc_len);
        i += len;
    }
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
