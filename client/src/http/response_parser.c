/* SPDX-License-Identifier: Apache-2.0 */
/*
 * response_parser.c - HTTP/1.1 responses parsed from memory (response_parser.h), as RFC
 * 9112 frames them: a body by Transfer-Encoding chunked, else Content-Length, else up to
 * the close; no body for HEAD, 1xx, 204 and 304; interim 1xx answers skipped. Limits:
 * IDC_HTTP_HEAD_MAX for the head, IDC_HTTP_LINE_MAX per chunk-size or trailer line,
 * IDC_HTTP_TRAILERS_MAX for all trailers, the caller's cap for the body.
 */
#include "response_parser.h"

#include <ctype.h>
#include <string.h>

#include "termtext.h"
#include "transport_int.h"

enum state {
    S_HEAD,
    S_LENGTH,     /* a Content-Length body */
    S_CLOSE,      /* a body that ends with the connection */
    S_CHUNK_SIZE, /* a chunk-size line */
    S_CHUNK_DATA,
    S_CHUNK_END, /* the CRLF after a chunk's data */
    S_TRAILERS,
    S_DONE,
};

void idc_http_parser_init(struct idc_http_parser *p, bool head_only, size_t cap)
{
    *p = (struct idc_http_parser){.state = S_HEAD, .head_only = head_only, .cap = cap};
}

bool idc_http_parser_done(const struct idc_http_parser *p)
{
    return p->state == S_DONE;
}

bool idc_http_parser_has_head(const struct idc_http_parser *p)
{
    return p->state != S_HEAD;
}

bool idc_http_parser_keep_alive(const struct idc_http_parser *p)
{
    return p->state == S_DONE && !p->close;
}

/* The start of `s`, escaped for a message (termtext.h). */
static const char *shown(struct idc_str s, char out[64])
{
    idc_text_escape_to(s, out, 64);
    return out;
}

/* ---- the head ------------------------------------------------------------------------ */

struct framing {
    long long content_length; /* -1: absent */
    bool length_conflict;     /* two Content-Length values that differ */
    bool length_bad;          /* not a number */
    bool chunked;
    bool other_coding; /* a transfer coding other than a final chunked */
    bool close;        /* Connection: close (HTTP/1.1), or HTTP/1.0 without keep-alive */
    bool keep_alive;   /* Connection: keep-alive (what keeps an HTTP/1.0 answer open) */
    bool note;         /* the final answer: its other headers go to the response */
};

/* The comma-separated list `v`: whether it holds `token`, and its last element. */
static bool list_has(struct idc_str v, struct idc_str token, struct idc_str *last)
{
    bool found = false;
    for (;;) {
        const char *comma = idc_str_chr(v, ',');
        struct idc_str item =
            idc_str_trim(idc_str_make(v.p, comma ? (size_t)(comma - v.p) : v.len));
        found = found || idc_str_eq_nocase(item, token);
        *last = item;
        if (comma == NULL) {
            return found;
        }
        v = idc_str_make(comma + 1, v.len - (size_t)(comma + 1 - v.p));
    }
}

static void header_field(struct framing *f, struct idc_http_response *resp, struct idc_str name,
                         struct idc_str v)
{
    struct idc_str last;
    if (idc_str_eq_nocase(name, IDC_STR("Content-Length"))) {
        uint64_t cl;
        if (!idc_str_to_u64(v, INT64_MAX, &cl)) {
            f->length_bad = true;
        } else if (f->content_length >= 0 && (uint64_t)f->content_length != cl) {
            f->length_conflict = true;
        } else {
            f->content_length = (long long)cl;
        }
    } else if (idc_str_eq_nocase(name, IDC_STR("Transfer-Encoding"))) {
        /* chunked must be the last coding; anything else means read until the close */
        list_has(v, IDC_STR("chunked"), &last);
        f->chunked = idc_str_eq_nocase(last, IDC_STR("chunked"));
        f->other_coding = !f->chunked;
    } else if (idc_str_eq_nocase(name, IDC_STR("Connection"))) {
        f->close |= list_has(v, IDC_STR("close"), &last); /* one close in any of them counts */
        f->keep_alive |= list_has(v, IDC_STR("keep-alive"), &last);
    } else if (f->note) {
        idc_http_response_note(resp, name, v);
    }
}

/* The status line and headers in `text` (the blank line excluded). */
static idc_err parse_head(struct idc_http_parser *p, struct idc_str text,
                          struct idc_http_response *resp, struct idc_error *err)
{
    const char *nl = idc_str_find(text, IDC_STR("\r\n"));
    struct idc_str line = idc_str_make(text.p, nl ? (size_t)(nl - text.p) : text.len);
    char buf[64];
    if (line.len < 12 || !idc_str_starts_with(line, IDC_STR("HTTP/1.")) || line.p[8] != ' ' ||
        !isdigit((unsigned char)line.p[9]) || !isdigit((unsigned char)line.p[10]) ||
        !isdigit((unsigned char)line.p[11]) || (line.len > 12 && line.p[12] != ' ')) {
        return idc_error_set(err, IDC_ERR_HTTP, "not an HTTP/1.x response: '%s'", shown(line, buf));
    }
    int status = (line.p[9] - '0') * 100 + (line.p[10] - '0') * 10 + (line.p[11] - '0');
    if (status < 100) {
        return idc_error_set(err, IDC_ERR_HTTP, "the response's status %d is not one HTTP has",
                             status);
    }
    if (status == 101) {
        return idc_error_set(
            err, IDC_ERR_HTTP,
            "the server switched protocols (HTTP 101), which no request asked for");
    }
    bool http10 = line.p[7] == '0';
    /* interim answers' headers are not the answer's (a Retry-After on a 100 Continue) */
    struct framing f = {.content_length = -1, .note = status >= 200};
    size_t pos = line.len + 2;
    while (pos < text.len) {
        struct idc_str rest = idc_str_make(text.p + pos, text.len - pos);
        const char *e = idc_str_find(rest, IDC_STR("\r\n"));
        struct idc_str l = idc_str_make(rest.p, e ? (size_t)(e - rest.p) : rest.len);
        pos += l.len + 2;
        struct idc_str name, value;
        if (l.len == 0 || l.p[0] == ' ' || l.p[0] == '\t' ||
            !idc_http_header_split(l, &name, &value)) {
            continue;
        }
        /* "Content-Length : 9" would be ignored and the body misread (RFC 9112 5.1) */
        if (name.len > 0 && (name.p[name.len - 1] == ' ' || name.p[name.len - 1] == '\t')) {
            return idc_error_set(err, IDC_ERR_HTTP,
                                 "a header name in the response ends with whitespace: '%s'",
                                 shown(name, buf));
        }
        header_field(&f, resp, name, value);
    }
    if (f.length_bad || f.length_conflict) {
        return idc_error_set(err, IDC_ERR_HTTP, "the response's Content-Length is %s",
                             f.length_bad ? "not a number" : "given twice with different values");
    }
    resp->status = status;
    if (status < 200) { /* interim: the real answer follows */
        if (++p->interim > IDC_HTTP_INTERIM_MAX) {
            return idc_error_set(err, IDC_ERR_HTTP,
                                 "the server sent over %d interim (1xx) answers and no final one",
                                 IDC_HTTP_INTERIM_MAX);
        }
        return IDC_OK;
    }
    /* HTTP/1.0 closes unless told keep-alive; both a length and chunks (RFC 9112 6.3: the
     * chunks win) may be a smuggling attempt: not trusted with the next request */
    p->close = f.close || (http10 && !f.keep_alive) || (f.chunked && f.content_length >= 0);
    p->chunked = f.chunked;
    p->content_length = f.content_length;
    if (p->head_only || status == 204 || status == 304) {
        p->state = S_DONE;
    } else if (f.chunked) {
        p->state = S_CHUNK_SIZE;
    } else if (f.other_coding || f.content_length < 0) {
        p->state = S_CLOSE;
        p->close = true;
    } else if ((unsigned long long)f.content_length > p->cap) {
        return idc_error_set(err, IDC_ERR_HTTP,
                             "the response of %lld bytes is over the %zu-byte cap",
                             f.content_length, p->cap);
    } else {
        p->left = (uint64_t)f.content_length;
        p->state = p->left ? S_LENGTH : S_DONE;
    }
    return IDC_OK;
}

/* Finds the head's end in `in`, searching only bytes not searched before. */
static idc_err take_head(struct idc_http_parser *p, struct idc_str in, size_t *used,
                         struct idc_http_response *resp, struct idc_error *err)
{
    size_t from = p->scanned > 3 ? p->scanned - 3 : 0;
    const char *end = idc_str_find(idc_str_make(in.p + from, in.len - from), IDC_STR("\r\n\r\n"));
    if (end == NULL) {
        p->scanned = in.len;
        if (in.len > IDC_HTTP_HEAD_MAX) {
            return idc_error_set(err, IDC_ERR_HTTP, "the response's headers are over %d bytes",
                                 IDC_HTTP_HEAD_MAX);
        }
        *used = 0;
        return IDC_OK;
    }
    size_t head = (size_t)(end - in.p);
    if (head + 4 > IDC_HTTP_HEAD_MAX) {
        return idc_error_set(err, IDC_ERR_HTTP, "the response's headers are over %d bytes",
                             IDC_HTTP_HEAD_MAX);
    }
    *used = head + 4;
    p->scanned = 0;
    return parse_head(p, idc_str_make(in.p, head), resp, err);
}

/* ---- chunks and trailers -------------------------------------------------------------- */

/* A chunk-size line: hex digits, then optional blanks, then the end or ";extension". */
static bool chunk_size(struct idc_str line, uint64_t *size)
{
    uint64_t v = 0;
    size_t i = 0;
    for (; i < line.len && idc_hex_value((unsigned char)line.p[i]) >= 0; i++) {
        if (v > UINT64_MAX >> 4) {
            return false;
        }
        v = v << 4 | (uint64_t)idc_hex_value((unsigned char)line.p[i]);
    }
    struct idc_str rest = idc_str_trim(idc_str_make(line.p + i, line.len - i));
    if (i == 0 || (rest.len > 0 && rest.p[0] != ';')) {
        return false;
    }
    *size = v;
    return true;
}

/* The next whole line of `in` (without CRLF) in *line, *used past it; *used = 0 when the
 * line is not complete yet. Searches only bytes not searched before (p->scanned). */
static idc_err take_line(struct idc_http_parser *p, struct idc_str in, struct idc_str *line,
                         size_t *used, const char *what, struct idc_error *err)
{
    size_t look = in.len < IDC_HTTP_LINE_MAX + 2 ? in.len : IDC_HTTP_LINE_MAX + 2;
    size_t from = p->scanned > 1 ? p->scanned - 1 : 0;
    from = from < look ? from : look;
    const char *e = idc_str_find(idc_str_make(in.p + from, look - from), IDC_STR("\r\n"));
    if (e == NULL) {
        p->scanned = look;
        *used = 0;
        return in.len >= IDC_HTTP_LINE_MAX + 2
                   ? idc_error_set(err, IDC_ERR_HTTP, "%s is over %d bytes", what,
                                   IDC_HTTP_LINE_MAX)
                   : IDC_OK;
    }
    *line = idc_str_make(in.p, (size_t)(e - in.p));
    *used = line->len + 2;
    p->scanned = 0;
    return IDC_OK;
}

static idc_err over_cap(const struct idc_http_parser *p, struct idc_error *err)
{
    return idc_error_set(err, IDC_ERR_HTTP, "the response is over the %zu-byte cap", p->cap);
}

static idc_err chunked_step(struct idc_http_parser *p, struct idc_str in, size_t body_len,
                            size_t *used, struct idc_error *err)
{
    struct idc_str line = {0};
    char buf[64];
    const char *what = p->state == S_TRAILERS ? "a trailer line" : "a chunk-size line";
    idc_err rc = take_line(p, in, &line, used, what, err);
    if (rc || *used == 0) {
        return rc;
    }
    if (p->state == S_CHUNK_END) {
        if (line.len != 0) {
            return idc_error_set(err, IDC_ERR_HTTP,
                                 "a chunk's data runs past its size (no CRLF after it)");
        }
        p->state = S_CHUNK_SIZE;
    } else if (p->state == S_CHUNK_SIZE) {
        uint64_t size;
        if (!chunk_size(line, &size)) {
            return idc_error_set(err, IDC_ERR_HTTP, "bad chunk size line '%s'", shown(line, buf));
        }
        if (size > p->cap - body_len) {
            return over_cap(p, err);
        }
        p->left = size;
        p->state = size ? S_CHUNK_DATA : S_TRAILERS;
    } else { /* S_TRAILERS: ignored, up to the blank line */
        p->trailers += *used;
        if (p->trailers > IDC_HTTP_TRAILERS_MAX) {
            return idc_error_set(err, IDC_ERR_HTTP, "the response's trailers are over %d bytes",
                                 IDC_HTTP_TRAILERS_MAX);
        }
        p->state = line.len ? S_TRAILERS : S_DONE;
    }
    return IDC_OK;
}

/* ---- the whole --------------------------------------------------------------------- */

idc_err idc_http_parse(struct idc_http_parser *p, const char *data, size_t len, size_t *used,
                       struct idc_http_response *resp, struct idc_dynbuf *body,
                       struct idc_error *err)
{
    size_t pos = 0;
    idc_err rc = IDC_OK;
    while (rc == IDC_OK && p->state != S_DONE && pos < len) {
        struct idc_str in = idc_str_make(data + pos, len - pos);
        size_t step = 0;
        switch (p->state) {
        case S_HEAD:
            rc = take_head(p, in, &step, resp, err);
            break;
        case S_CLOSE:
            step = in.len;
            if (step > p->cap - body->len) {
                rc = over_cap(p, err);
                step = 0;
                break;
            }
            idc_dynbuf_put(body, in.p, step);
            break;
        case S_LENGTH:
        case S_CHUNK_DATA:
            step = in.len < p->left ? in.len : (size_t)p->left;
            idc_dynbuf_put(body, in.p, step);
            p->left -= step;
            if (p->left == 0) {
                p->state = p->state == S_LENGTH ? S_DONE : S_CHUNK_END;
            }
            break;
        default:
            rc = chunked_step(p, in, body->len, &step, err);
            break;
        }
        if (step == 0) {
            break; /* a line or the head is not complete yet */
        }
        pos += step;
    }
    *used = pos;
    if (rc == IDC_OK && body->failed) {
        rc = idc_error_set(err, IDC_ERR_NOMEM, "out of memory for the response");
    }
    return rc;
}

idc_err idc_http_parse_eof(struct idc_http_parser *p, bool got_any, struct idc_error *err)
{
    switch (p->state) {
    case S_DONE:
        return IDC_OK;
    case S_CLOSE:
        p->state = S_DONE;
        return IDC_OK;
    case S_HEAD:
        return idc_error_set(err, IDC_ERR_RESET, "the server closed the connection %s",
                             got_any ? "in the middle of the response headers"
                                     : "without answering");
    case S_LENGTH:
        return idc_error_set(err, IDC_ERR_RESET,
                             "the connection closed mid-response (the body is truncated)");
    default:
        return idc_error_set(err, IDC_ERR_RESET,
                             "the connection closed mid-response (a chunked body cut short)");
    }
}
