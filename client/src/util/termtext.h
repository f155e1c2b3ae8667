/* SPDX-License-Identifier: Apache-2.0 */
/*
 * termtext.h - text from outside (a server's message, a DisplayName an identity provider
 * chose) made safe for a terminal and for a one-line message, with valid UTF-8 kept as it
 * is: "José" and "山田 太郎" stay, an ESC or a stray byte shows as \x1b or \xff.
 */
#ifndef IDC_TERMTEXT_H
#define IDC_TERMTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dynbuf.h"
#include "idc/str.h"

/* The value idc_utf8_next gives for a byte that starts no valid sequence. */
#define IDC_UTF8_INVALID 0xFFFFFFFFu

/*
 * Reads one UTF-8 sequence at the start of `s` (`n` >= 1): returns its length (1 to 4) and
 * sets *cp. A byte that starts no valid sequence (a continuation byte, C0, C1, F5..FF, an
 * overlong form, a surrogate, a value past U+10FFFF, a sequence cut short) is one byte
 * long and gives IDC_UTF8_INVALID, so the caller moves on by one byte and meets the
 * sequence's other bytes one at a time.
 */
size_t idc_utf8_next(const char *s, size_t n, uint32_t *cp);

/*
 * Whether a valid code point must not reach a terminal as it is: the C0 controls (newline
 * and tab too), DEL, the C1 controls U+0080..U+009F (U+009B is a CSI, like ESC [), the
 * bidirectional embeddings, overrides and isolates U+202A..U+202E and U+2066..U+2069 (they
 * reorder what follows on the line: "Trojan Source"), and the line and paragraph separators
 * U+2028 and U+2029 (a line break to some viewers).
 */
bool idc_text_unsafe(uint32_t cp);

/* The length of the longest prefix of `s` that idc_text_escape copies as it is. */
size_t idc_text_plain_span(const char *s, size_t n);

/*
 * Appends `s` to `b` with every unsafe part escaped: \n, \r and \t; \xNN for the other C0
 * controls, DEL and each byte of invalid UTF-8; \uNNNN (lowercase hex) for the other unsafe
 * code points. Everything else, valid UTF-8 included, is copied. The result is valid UTF-8
 * and one line, and escaping it again changes nothing; a backslash is not escaped, so text
 * that spells "\x1b" shows the same as an ESC would: what this writes is for the eye, never
 * read back (JSON and CSV output carry the data exactly).
 */
void idc_text_escape(struct idc_dynbuf *b, const char *s, size_t n);

/*
 * The same into `out` (capacity `cap` >= 4) with a terminating NUL, for quoting in a
 * message without allocating. When the escaped text does not fit it is cut between two
 * characters or escapes and ends with "...". Returns the length written.
 */
size_t idc_text_escape_to(struct idc_str s, char *out, size_t cap);

#endif
