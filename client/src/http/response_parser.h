/* SPDX-License-Identifier: Apache-2.0 */
/*
 * response_parser.h - the native transport's HTTP/1.1 response parser (library-internal),
 * fed from memory in pieces of any size: status line, headers, a Content-Length, chunked
 * or read-until-close body, chunk extensions and trailers, interim 1xx answers skipped.
 * Every part has a limit (spec/limits.md), and no byte is scanned twice.
 */
#ifndef IDC_RESPONSE_PARSER_H
#define IDC_RESPONSE_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dynbuf.h"
#include "idc/error.h"
#include "idc/transport.h"

#define IDC_HTTP_HEAD_MAX     (64 * 1024) /* status line and headers, blank line included */
#define IDC_HTTP_LINE_MAX     4096        /* one chunk-size line, one trailer line */
#define IDC_HTTP_TRAILERS_MAX (64 * 1024) /* all trailer lines of a chunked body */
#define IDC_HTTP_INTERIM_MAX  16          /* 1xx answers before the final one */

struct idc_http_parser {
    int state;
    bool head_only;           /* the request was HEAD: no body, whatever the headers say */
    size_t cap;               /* the body's size cap */
    size_t scanned;           /* of the head or line under way, searched so far */
    int interim;              /* 1xx answers skipped */
    long long content_length; /* -1: absent */
    bool chunked;
    bool close;      /* the server closes after this answer */
    uint64_t left;   /* bytes left in the Content-Length body or the current chunk */
    size_t trailers; /* trailer bytes so far */
};

/* Ready for one response to a request (`head_only`: HEAD) with a body of at most `cap`. */
void idc_http_parser_init(struct idc_http_parser *p, bool head_only, size_t cap);

/*
 * Consumes what it can of `data` (`len` bytes) and sets *used: a line or the head cut
 * short by the end of `data` stays unconsumed, so call again with it and more bytes
 * after it. Fills resp->status and the fields idc_http_response_note reads once the head
 * is complete, and appends the body to `body`. Returns IDC_OK (complete or wanting more:
 * see idc_http_parser_done), IDC_ERR_HTTP for a malformed answer or one over a limit
 * (the message says which), IDC_ERR_NOMEM.
 */
idc_err idc_http_parse(struct idc_http_parser *p, const char *data, size_t len, size_t *used,
                       struct idc_http_response *resp, struct idc_dynbuf *body,
                       struct idc_error *err);

/*
 * The connection closed after everything fed so far: IDC_OK when that ends the answer
 * (a body without a length), else IDC_ERR_RESET saying what was cut short (`got_any`:
 * whether any byte of this answer arrived).
 */
idc_err idc_http_parse_eof(struct idc_http_parser *p, bool got_any, struct idc_error *err);

bool idc_http_parser_done(const struct idc_http_parser *p);
bool idc_http_parser_has_head(const struct idc_http_parser *p); /* status and headers read */
/* After a complete answer: whether the connection may carry the next request. */
bool idc_http_parser_keep_alive(const struct idc_http_parser *p);

#endif
