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

/* Appends `s` as XML text: &, <, >, " and ' become entities. */
void idc_xml_escape(struct idc_dynbuf *b, const char *s, size_t n);

#endif
