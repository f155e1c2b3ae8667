/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigv4_text.c - reads a raw HTTP/1.x request in the signing suites' request.txt format
 * into a struct idc_sigv4_request whose views point into the text. Used by idcctl's
 * sigv4 commands and the conformance tests; never on the network path.
 */
#include "idc/sigv4.h"

#include <string.h>

/* The next line (without its LF or CRLF); `pos` moves past the terminator. */
static struct idc_str next_line(struct idc_str text, size_t *pos, bool *terminated)
{
    size_t i = *pos;
    const char *nl = i < text.len ? memchr(text.p + i, '\n', text.len - i) : NULL;
    size_t end = nl ? (size_t)(nl - text.p) : text.len;
    *pos = nl ? end + 1 : text.len;
    *terminated = nl != NULL;
    size_t len = end - i;
    if (len > 0 && text.p[end - 1] == '\r') {
        len--;
    }
    return idc_str_make(text.p + i, len);
}

static idc_err parse_request_line(struct idc_str line, struct idc_sigv4_parsed *out,
                                  struct idc_error *err)
{
    const char *first = idc_str_chr(line, ' ');
    const char *last = line.p + line.len;
    while (last > line.p && last[-1] != ' ') {
        last--;
    }
    if (first == NULL || last - 1 == first || first == line.p) {
        return idc_error_set(err, IDC_ERR_PARSE,
                             "line 1: expected 'METHOD TARGET HTTP/1.1', got '%.*s'",
                             (int)(line.len > 80 ? 80 : line.len), line.p);
    }
    out->req.method = idc_str_make(line.p, (size_t)(first - line.p));
    out->target = idc_str_make(first + 1, (size_t)(last - 1 - (first + 1)));
    out->version = idc_str_make(last, (size_t)(line.p + line.len - last));
    if (!idc_str_starts_with(out->version, IDC_STR("HTTP/")) || out->target.len == 0) {
        return idc_error_set(err, IDC_ERR_PARSE,
                             "line 1: expected 'METHOD TARGET HTTP/1.1', got '%.*s'",
                             (int)(line.len > 80 ? 80 : line.len), line.p);
    }
    idc_sigv4_request_set_target(&out->req, out->target);
    return IDC_OK;
}

static idc_err add_header_line(struct idc_str line, size_t lineno, struct idc_sigv4_parsed *out,
                               struct idc_error *err)
{
    const char *colon = idc_str_chr(line, ':');
    if (colon == NULL) {
        return idc_error_set(err, IDC_ERR_PARSE, "line %zu: header without a colon: '%.*s'", lineno,
                             (int)(line.len > 80 ? 80 : line.len), line.p);
    }
    struct idc_str name = idc_str_make(line.p, (size_t)(colon - line.p));
    for (size_t i = 0; i < name.len; i++) {
        unsigned char c = (unsigned char)name.p[i];
        if (c <= ' ' || c >= 0x7f) {
            return idc_error_set(err, IDC_ERR_PARSE,
                                 "line %zu: header name '%.*s' has a space or control byte", lineno,
                                 (int)(name.len > 80 ? 80 : name.len), name.p);
        }
    }
    if (name.len == 0) {
        return idc_error_set(err, IDC_ERR_PARSE, "line %zu: header with an empty name", lineno);
    }
    if (out->req.header_count == IDC_SIGV4_MAX_HEADERS) {
        return idc_error_set(err, IDC_ERR_LIMIT,
                             "line %zu: more than %d headers "
                             "(IDC_SIGV4_MAX_HEADERS)",
                             lineno, IDC_SIGV4_MAX_HEADERS);
    }
    out->headers[out->req.header_count++] =
        (struct idc_sigv4_header){name, idc_str_make(colon + 1, line.len - name.len - 1)};
    return IDC_OK;
}

/* Content-Length fixes the body; a longer rest is an editor's final newline. */
static idc_err settle_body(struct idc_str rest, struct idc_sigv4_parsed *out, struct idc_error *err)
{
    const struct idc_sigv4_header *cl = idc_sigv4_find_header(&out->req, IDC_STR("Content-Length"));
    size_t len = rest.len;
    if (cl != NULL) {
        struct idc_str v = idc_str_trim(cl->value);
        uint64_t n = 0;
        if (!idc_str_to_u64(v, SIZE_MAX, &n)) {
            return idc_error_set(err, IDC_ERR_PARSE, "Content-Length '%.*s' is not a number",
                                 (int)(v.len > 32 ? 32 : v.len), v.p);
        }
        if (n > rest.len) {
            return idc_error_set(err, IDC_ERR_PARSE,
                                 "Content-Length is %zu but the body has %zu bytes", (size_t)n,
                                 rest.len);
        }
        len = (size_t)n;
    }
    out->req.body = (const uint8_t *)rest.p;
    out->req.body_len = len;
    return IDC_OK;
}

idc_err idc_sigv4_request_parse(struct idc_str text, struct idc_sigv4_parsed *out,
                                struct idc_error *err)
{
    memset(&out->req, 0, sizeof out->req);
    out->req.headers = out->headers;
    size_t pos = 0, lineno = 1;
    bool terminated;
    idc_err rc = parse_request_line(next_line(text, &pos, &terminated), out, err);
    while (rc == IDC_OK && pos < text.len) {
        struct idc_str line = next_line(text, &pos, &terminated);
        lineno++;
        if (line.len == 0) {
            break; /* the blank line: the body follows */
        }
        if (line.p[0] == ' ' || line.p[0] == '\t') {
            if (out->req.header_count == 0) {
                return idc_error_set(err, IDC_ERR_PARSE,
                                     "line %zu: continuation line before any header", lineno);
            }
            /* obs-fold: the value runs on, line break and indentation included */
            struct idc_sigv4_header *h = &out->headers[out->req.header_count - 1];
            h->value.len = (size_t)(line.p + line.len - h->value.p);
            continue;
        }
        rc = add_header_line(line, lineno, out, err);
    }
    if (rc) {
        return rc;
    }
    return settle_body(idc_str_make(text.p + pos, text.len - pos), out, err);
}
