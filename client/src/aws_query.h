/* SPDX-License-Identifier: Apache-2.0 */
/*
 * aws_query.h - awsQuery pieces beyond protocol_int.h (library-internal, for iam.c and the
 * unit tests): the form body of a request, and an XML walk that also reports where an
 * element with children ends, which a list needs to tell one <member> from the next.
 */
#ifndef IDC_AWS_QUERY_H
#define IDC_AWS_QUERY_H

#include <stddef.h>

#include "idc/dynbuf.h"
#include "idc/error.h"
#include "protocol_int.h"

#define IDC_QUERY_VERSION "2010-05-08" /* the IAM API version every request names */
#define IDC_XML_DEPTH_MAX 32           /* idc_xml_walk refuses deeper documents */

/* One request parameter; a NULL value leaves the parameter out. */
struct idc_query_param {
    const char *name;  /* "UserName", "Marker", "Tags.member.1.Key" */
    const char *value; /* UTF-8 text, or NULL */
};

/*
 * Appends "Action=<action>&Version=2010-05-08" and "&name=value" for each parameter with a
 * value, names and values form-encoded with idc_form_encode (a space is %20, '+' is %2B).
 *   out     in,out  appended to; the caller frees it
 *   action  in      the operation name ("ListUsers")
 *   params  in      `n` parameters (may be NULL when `n` is 0)
 * Returns IDC_ERR_NOMEM.
 */
idc_err idc_query_form(struct idc_dynbuf *out, const char *action,
                       const struct idc_query_param *params, size_t n, struct idc_error *err);

/* Called when an element that held child elements closes; nonzero stops the walk. */
typedef int idc_xml_end_fn(void *ud, const char *const *path, size_t depth);

/*
 * idc_xml_walk, plus `end` (may be NULL) for each element that held child elements, at its
 * closing tag, with `path` ending in that element. Leaves are not reported to `end`.
 * The walk clears `err->code` first, so a callback that stops it can set `err` (reachable
 * through `ud`) and that code is returned. Same returns as idc_xml_walk, plus IDC_ERR_NOMEM.
 */
idc_err idc_xml_walk_full(const char *xml, size_t len, idc_xml_leaf_fn *leaf, idc_xml_end_fn *end,
                          void *ud, struct idc_error *err);

#endif
