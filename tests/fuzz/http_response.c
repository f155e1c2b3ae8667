/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http_response.c - fuzz target for the native transport's HTTP/1.1 response parser
 * (response_parser.h): status line, headers, Content-Length, chunked framing, trailers and
 * interim answers, fed from memory. The first byte picks the piece size and whether the
 * request was HEAD; the rest is the server's bytes. The answer fed whole and fed in pieces
 * must come out the same (a failure the same failure), every step must consume only what it was
 * given, the body stay within its cap, and a parser that is done must consume nothing more.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "response_parser.h"
#include "transport_int.h"

#define BODY_CAP 4096

struct outcome {
    idc_err rc;
    bool done;
    bool keep_alive;
    int status;
    size_t consumed;
    struct idc_dynbuf body;
};

/* Feeds `data` `piece` bytes at a time, keeping what the parser left in front of the next
 * piece, as the transport does; EOF at the end. */
static void feed(const uint8_t *data, size_t size, size_t piece, bool head_only, struct outcome *o)
{
    memset(o, 0, sizeof *o);
    struct idc_http_parser p;
    struct idc_http_response resp;
    struct idc_error err = {0};
    idc_http_parser_init(&p, head_only, BODY_CAP);
    idc_http_response_reset(&resp);
    size_t start = 0, end = 0;
    while (o->rc == IDC_OK && !idc_http_parser_done(&p)) {
        if (end == size) {
            o->rc = idc_http_parse_eof(&p, size > 0, &err);
            break;
        }
        end = end + piece < size ? end + piece : size;
        size_t used = 0;
        o->rc = idc_http_parse(&p, (const char *)data + start, end - start, &used, &resp, &o->body,
                               &err);
        if (used > end - start || o->body.len > BODY_CAP) {
            abort();
        }
        start += used;
    }
    if (o->rc == IDC_OK && idc_http_parser_done(&p)) {
        size_t used = 0;
        idc_http_parse(&p, (const char *)data + start, size - start, &used, &resp, &o->body, &err);
        if (used != 0) {
            abort(); /* a finished answer takes no more bytes: they are the next answer's */
        }
    }
    if (o->rc != IDC_OK && strlen(err.msg) == 0) {
        abort(); /* every failure says what failed */
    }
    o->done = idc_http_parser_done(&p);
    o->keep_alive = idc_http_parser_keep_alive(&p);
    o->status = resp.status;
    o->consumed = start;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > FUZZ_MAX_INPUT) {
        return 0;
    }
    size_t piece = (size_t)(data[0] & 0x7f) + 1;
    bool head_only = data[0] & 0x80;
    struct outcome whole, pieces;
    feed(data + 1, size - 1, size, head_only, &whole);
    feed(data + 1, size - 1, piece, head_only, &pieces);
    /* a failed answer's partial body is nobody's: only the failure must agree */
    bool same = whole.rc == pieces.rc && whole.done == pieces.done;
    if (same && whole.rc == IDC_OK) {
        same = whole.keep_alive == pieces.keep_alive && whole.body.len == pieces.body.len &&
               (whole.body.len == 0 || memcmp(whole.body.p, pieces.body.p, whole.body.len) == 0) &&
               whole.status == pieces.status && whole.consumed == pieces.consumed;
    }
    if (!same) {
        fprintf(stderr, "fed whole: rc %d, %zu body bytes; in pieces of %zu: rc %d, %zu\n",
                whole.rc, whole.body.len, piece, pieces.rc, pieces.body.len);
        abort();
    }
    idc_dynbuf_free(&whole.body);
    idc_dynbuf_free(&pieces.body);
    return 0;
}
