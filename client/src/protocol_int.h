/* SPDX-License-Identifier: Apache-2.0 */
/*
 * protocol_int.h - the two wire protocols' shared pieces (library-internal): recognising an
 * error answer and filling `struct idc_error` from it (aws_json.c for awsJson1_1,
 * aws_query.c for awsQuery XML), and a streaming XML walker over expat.
 */
#ifndef IDC_PROTOCOL_INT_H
#define IDC_PROTOCOL_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "idc/error.h"
#include "idc/transport.h"

/*
 * True when `resp` is an error answer: a status of 300 or more, or (a 200 that carries an
 * error body) a JSON `__type` / an XML <ErrorResponse>. Then `err` is IDC_ERR_AWS with
 * http_status, aws_code (the bare shape name: "ns#Code:uri" gives "Code"), the service's
 * message (`message` or `Message`), request_id (header, else body) and `retryable` left
 * false (the caller decides). A body that is not the protocol's (an HTML page from a proxy)
 * still gives IDC_ERR_AWS, with the status, no code, and a message quoting the start of
 * the body and its content type.
 */
bool idc_json_error(const struct idc_http_response *resp, struct idc_error *err);
bool idc_query_error(const struct idc_http_response *resp, struct idc_error *err);

/* ---- shared by both (protocol.c) ---- */

/* "aws.x#FooError:http://..." gives "FooError" (the Smithy rule). */
void idc_protocol_bare_code(const char *type, char *out, size_t cap);

/*
 * `err` for an error answer whose body is not the protocol's (`what`: "JSON", "XML"): the
 * status, the content type and the start of the body, or that it is empty; the code of
 * an X-Amzn-ErrorType header when there is one, so a throttle still reads as one.
 */
void idc_protocol_fill_foreign(const struct idc_http_response *resp, const char *what,
                               struct idc_error *err);

/* The service's code and message: "Code: message (HTTP n)", aws_code set. */
void idc_protocol_fill_aws(const struct idc_http_response *resp, const char *code,
                           const char *message, struct idc_error *err);

/* Sets http_status and request_id (the header's, else `body_request_id`, may be NULL). */
void idc_protocol_finish(const struct idc_http_response *resp, const char *body_request_id,
                         struct idc_error *err);

/*
 * Walks an XML document with expat, calling `leaf` for each element that holds text only:
 * `path` are the element names from the root (namespaces dropped), `depth` how many.
 * `leaf` returns nonzero to stop (the walk then returns IDC_ERR_ARG unless it set `err`).
 * Returns IDC_ERR_PARSE (malformed XML: line and column), IDC_ERR_LIMIT (deeper than 32).
 */
typedef int idc_xml_leaf_fn(void *ud, const char *const *path, size_t depth, const char *text,
                            size_t len);
idc_err idc_xml_walk(const char *xml, size_t len, idc_xml_leaf_fn *leaf, void *ud,
                     struct idc_error *err);

#endif
