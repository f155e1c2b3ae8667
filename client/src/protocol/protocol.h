/* SPDX-License-Identifier: Apache-2.0 */
/*
 * protocol.h - the wire protocols and the service descriptors (library-internal). A
 * protocol (awsJson1_1 in aws_json.c, awsQuery in aws_query.c) says how a request is
 * framed and how an error answer reads; a service descriptor names the service and
 * points at its protocol. The client core sends a request through these and knows no
 * service by name: a new service is a new descriptor in the services layer.
 */
#ifndef IDC_PROTOCOL_H
#define IDC_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>

#include "idc/error.h"
#include "idc/service.h"
#include "idc/sigv4.h"
#include "idc/transport.h"

/* The longest wait a server's retry hint is read as (a day): a client gives up far sooner. */
#define IDC_RETRY_AFTER_MAX_MS (86400 * 1000LL)

/* Room for the header a protocol adds per operation ("AWSIdentityStore.ListUsers"). */
#define IDC_PROTOCOL_HEADER_MAX 128

struct idc_protocol {
    const char *name;            /* "awsJson1_1", "awsQuery" */
    struct idc_str content_type; /* of every request */
    /*
     * The header this protocol adds for `operation`, if any (awsJson1_1: X-Amz-Target
     * "<target_prefix>.<operation>"), its value written into `buf` (IDC_PROTOCOL_HEADER_MAX
     * bytes). Sets *added to false when the protocol adds none. IDC_ERR_ARG for an
     * operation name too long for `buf`.
     */
    idc_err (*op_header)(const struct idc_service *svc, const char *operation, char *buf,
                         struct idc_sigv4_header *out, bool *added, struct idc_error *err);
    /*
     * True when `resp` is an error answer: a status of 300 or more, or a 200 whose body is
     * an error (a JSON `__type`, an XML <ErrorResponse>). Then `err` is IDC_ERR_AWS with
     * http_status, aws_code (the bare shape name: "ns#Code:uri" gives "Code"), the
     * service's message, request_id (header, else body) and `retryable` left false (the
     * caller decides). A body that is not the protocol's (an HTML page from a proxy) still
     * gives IDC_ERR_AWS, with the status, no code, and the start of the body quoted.
     */
    bool (*parse_error)(const struct idc_http_response *resp, struct idc_error *err);
    /* Milliseconds an error answer's body asks the caller to wait (RetryAfterSeconds, a
     * fraction rounded up, at most IDC_RETRY_AFTER_MAX_MS); -1: none. */
    int64_t (*retry_after_ms)(const struct idc_http_response *resp);
};

extern const struct idc_protocol idc_protocol_json;  /* awsJson1_1 (aws_json.c) */
extern const struct idc_protocol idc_protocol_query; /* awsQuery (aws_query.c) */

/* A service's endpoint in one partition, for services with one endpoint per partition. */
struct idc_service_global {
    const char *partition;      /* "aws", "aws-cn", "aws-us-gov" */
    const char *url;            /* "https://iam.amazonaws.com" */
    const char *signing_region; /* "us-east-1" */
};

struct idc_service {
    const char *title;           /* for messages: "Identity Store", "IAM" */
    const char *signing_name;    /* the SigV4 service name: "identitystore", "iam" */
    const char *endpoint_prefix; /* the first label of a regional endpoint's host */
    const char *env_name;        /* AWS_ENDPOINT_URL_<env_name>: "IDENTITYSTORE", "IAM" */
    const char *target_prefix;   /* awsJson1_1: X-Amz-Target's prefix, "AWSIdentityStore" */
    const char *api_version;     /* awsQuery: the form's Version, "2010-05-08" */
    bool needs_region;           /* regional: an endpoint needs a region */
    const struct idc_service_global *global; /* NULL-terminated, or NULL when regional */
    const struct idc_protocol *protocol;
};

/* ---- shared by both protocols (protocol.c) ---- */

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

/* ---- awsQuery's XML (aws_query.c) ---- */

#define IDC_XML_DEPTH_MAX 32 /* idc_xml_walk refuses deeper documents */

/*
 * Walks an XML document with expat, calling `leaf` for each element that holds text only:
 * `path` are the element names from the root (namespaces dropped), `depth` how many.
 * `leaf` returns nonzero to stop (the walk then returns IDC_ERR_ARG unless it set `err`).
 * Returns IDC_ERR_PARSE (malformed XML: line and column), IDC_ERR_LIMIT (deeper than 32).
 */
typedef int idc_xml_leaf_fn(const char *const *path, size_t depth, const char *text, size_t len,
                            void *ud);
idc_err idc_xml_walk(const char *xml, size_t len, idc_xml_leaf_fn *leaf, void *ud,
                     struct idc_error *err);

#endif
