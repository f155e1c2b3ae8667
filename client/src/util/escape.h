/* SPDX-License-Identifier: Apache-2.0 */
/*
 * escape.h - text escaping onto growing buffers: JSON strings (the client's request bodies,
 * mockaws's answers) and XML text (mockaws's IAM answers).
 */
#ifndef IDC_ESCAPE_H
#define IDC_ESCAPE_H

#include <stddef.h>

#include "dynbuf.h"

/* Appends `s` as a quoted JSON string; control bytes, '"' and '\' escaped, UTF-8 kept. */
void idc_json_quote(struct idc_dynbuf *b, const char *s, size_t n);

/*
 * Appends `s` as a quoted JSON string for output that people and programs read: the same
 * escapes as idc_json_quote, and also DEL, the C1 controls, the bidi controls and U+2028/9
 * (termtext.h) as \u escapes, which decode to the same text. JSON must be valid UTF-8, so
 * each byte that is not part of a valid sequence becomes U+FFFD, the replacement character
 * (the one change to the data; a \u escape would name a different character).
 */
void idc_json_quote_text(struct idc_dynbuf *b, const char *s, size_t n);

/* Appends `s` as XML text: &, <, >, " and ' become entities. */
void idc_xml_escape(struct idc_dynbuf *b, const char *s, size_t n);

#endif
