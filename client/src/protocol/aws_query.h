/* SPDX-License-Identifier: Apache-2.0 */
/*
 * aws_query.h - awsQuery pieces beyond protocol.h (library-internal, for the awsQuery
 * services and the unit tests): the form body of a request, and an XML walk that also
 * reports where an element with children ends, which a list needs to tell one <member>
 * from the next.
 */
#ifndef IDC_AWS_QUERY_H
#define IDC_AWS_QUERY_H

#include <stddef.h>

#include "dynbuf.h"
#include "idc/error.h"
#include "protocol.h"

/* One request parameter; a NULL value leaves the parameter out. */
struct idc_query_param {
    const char *name;  /* "UserName", "Marker", "Tags.member.1.Key" */
    const char *value; /* UTF-8 text, or NULL */
};

/*
 * Appends "Action=<action>&Version=<version>" and "&name=value" for each parameter with a
 * value, names and values form-encoded with idc_form_encode (a space is %20, '+' is %2B).
 *   out      in,out  appended to; the caller frees it
 *   action   in      the operation name ("ListUsers")
 *   version  in      the service's API version (its descriptor's api_version)
 *   params   in      `n` parameters (may be NULL when `n` is 0)
 * Returns IDC_ERR_NOMEM.
 */
idc_err idc_query_form(struct idc_dynbuf *out, const char *action, const char *version,
                       const struct idc_query_param *params, size_t n, struct idc_error *err);

/* Called when an element that held child elements closes; nonzero stops the walk. */
typedef int idc_xml_end_fn(const char *const *path, size_t depth, void *ud);

/*
 * idc_xml_walk, plus `end` (may be NULL) for each element that held child elements, at its
 * closing tag, with `path` ending in that element. Leaves are not reported to `end`.
 * The walk clears `err->code` first, so a callback that stops it can set `err` (reachable
 * through `ud`) and that code is returned. Same returns as idc_xml_walk, plus IDC_ERR_NOMEM.
 */
idc_err idc_xml_walk_full(const char *xml, size_t len, idc_xml_leaf_fn *leaf, idc_xml_end_fn *end,
                          void *ud, struct idc_error *err);

#endif
