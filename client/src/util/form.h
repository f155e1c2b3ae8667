/* SPDX-License-Identifier: Apache-2.0 */
/*
 * form.h - application/x-www-form-urlencoded, as the AWS query protocol (IAM) uses it:
 * in a form, '+' is a space. This is NOT the SigV4 canonical query (sigv4.h), where a
 * raw '+' is a literal plus; the two rules live in separate functions on purpose.
 */
#ifndef IDC_FORM_H
#define IDC_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "idc/error.h"
#include "idc/str.h"

/*
 * Decodes one form component: '+' becomes a space and %XX its byte.
 *   in   in      the raw component (a name or a value)
 *   out  in,out  appended to; unchanged on failure
 * Returns IDC_ERR_PARSE for a '%' not followed by two hex digits, IDC_ERR_SPACE.
 */
idc_err idc_form_decode(struct idc_str in, struct idc_buf *out, struct idc_error *err);

/*
 * Appends `in` form-encoded: unreserved bytes (A-Z a-z 0-9 - _ . ~) stay, a space
 * becomes %20 (never '+', so the result is also a valid SigV4 query component),
 * everything else %XX with uppercase hex. Returns IDC_ERR_SPACE (out unchanged).
 */
idc_err idc_form_encode(struct idc_str in, struct idc_buf *out, struct idc_error *err);

/*
 * Takes the next "name=value" pair off the front of `*rest` ("a=1&b=2"); false when none is
 * left. Empty pairs ("a=1&&b=2") are skipped; a pair without '=' has an empty value. Name
 * and value are raw views into the form (decode them with idc_form_decode).
 */
bool idc_form_next(struct idc_str *rest, struct idc_str *name, struct idc_str *value);

#endif
