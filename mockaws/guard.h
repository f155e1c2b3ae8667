/* SPDX-License-Identifier: Apache-2.0 */
/*
 * guard.h - cheap checks a request body passes before any parser sees it: JSON nesting
 * depth (cJSON recurses once per level, on a worker stack of CivetWeb's fixed 100 KiB) and
 * UTF-8 validity. Pure functions over borrowed bytes: no heap, no recursion.
 */
#ifndef MOCK_GUARD_H
#define MOCK_GUARD_H

#include <stdbool.h>
#include <stddef.h>

#include "dynbuf.h"

/* Deepest JSON nesting a request body may have (the body's own object is level 1). */
#define MOCK_MAX_JSON_DEPTH 64

/*
 * True when no object or array in the `len` bytes at `text` is nested deeper than
 * `max_depth`, brackets inside strings (escapes included) not counting. Unbalanced or
 * invalid JSON within the limit passes: the parser refuses it afterwards.
 */
bool mock_json_depth_ok(const char *text, size_t len, unsigned max_depth);

/* True when the `len` bytes at `s` are well-formed UTF-8 (RFC 3629: no overlongs, no
 * surrogates, nothing past U+10FFFF). */
bool mock_utf8_valid(const char *s, size_t len);

/* Appends `s` to `out` with each ill-formed UTF-8 sequence replaced by U+FFFD. */
void mock_utf8_sanitize(struct idc_dynbuf *out, const char *s, size_t len);

#endif
