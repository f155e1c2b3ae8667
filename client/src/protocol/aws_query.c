/* SPDX-License-Identifier: Apache-2.0 */
/*
 * aws_query.c - the awsQuery protocol (IAM, STS): a streaming XML walk over expat that hands
 * out text-only elements by path, recognising an error answer (<ErrorResponse> or the
 * <Errors><Error> layout botocore also accepts, even in a 200), building request forms, and
 * the protocol's descriptor. No DOM: memory is the element-name stack and the text of one
 * element.
 */
#include "aws_query.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <expat.h>

#include "form.h"
#include "idc/str.h"

/* ---- the walk ---------------------------------------------------------------------------- */

#define WALK_CHUNK (64u * 1024) /* bytes per XML_Parse call: XML_Parse takes an int length */

struct walk {
    XML_Parser parser;
    idc_xml_leaf_fn *leaf;
    idc_xml_end_fn *end;
    void *ud;
    struct idc_error *err;
    struct idc_dynbuf names;            /* element names, each NUL-terminated */
    size_t name_off[IDC_XML_DEPTH_MAX]; /* where each open element's name starts */
    bool has_child[IDC_XML_DEPTH_MAX];  /* the open element contains elements */
    size_t depth;                       /* open elements */
    struct idc_dynbuf text;             /* character data of the innermost element */
    idc_err rc;                         /* why the walk stopped early, or IDC_OK */
    bool stopped_by_callback;
};

static void walk_stop(struct walk *w, idc_err rc)
{
    if (w->rc == IDC_OK) {
        w->rc = rc;
    }
    XML_StopParser(w->parser, XML_FALSE);
}

/* "ns:Name" gives "Name": AWS uses a default namespace, but a prefix must not matter. */
static const char *local_name(const char *name)
{
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

/* The open elements' names; valid until the next element starts. */
static size_t walk_path(const struct walk *w, const char *path[IDC_XML_DEPTH_MAX])
{
    for (size_t i = 0; i < w->depth; i++) {
        path[i] = w->names.p + w->name_off[i];
    }
    return w->depth;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **attrs)
{
    (void)attrs;
    struct walk *w = ud;
    if (w->rc != IDC_OK) {
        return; /* expat may still deliver an event after XML_StopParser */
    }
    if (w->depth == IDC_XML_DEPTH_MAX) {
        idc_error_set(w->err, IDC_ERR_LIMIT,
                      "XML nests deeper than %d elements at line %lu (<%s>); AWS answers nest far "
                      "less, so this is not an AWS response",
                      IDC_XML_DEPTH_MAX, (unsigned long)XML_GetCurrentLineNumber(w->parser),
                      local_name(name));
        walk_stop(w, IDC_ERR_LIMIT);
        return;
    }
    if (w->depth > 0) {
        w->has_child[w->depth - 1] = true;
    }
    w->name_off[w->depth] = w->names.len;
    w->has_child[w->depth] = false;
    const char *local = local_name(name);
    idc_dynbuf_put(&w->names, local, strlen(local) + 1);
    w->text.len = 0;
    w->depth++;
    if (w->names.failed) {
        walk_stop(w, idc_error_set(w->err, IDC_ERR_NOMEM, "out of memory walking XML"));
    }
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    struct walk *w = ud;
    if (w->rc != IDC_OK) {
        return;
    }
    /* expat splits text at buffer ends and entities, so it is gathered until the close */
    if (w->depth > 0 && !w->has_child[w->depth - 1]) {
        idc_dynbuf_put(&w->text, s, (size_t)len);
        if (w->text.failed) {
            walk_stop(w, idc_error_set(w->err, IDC_ERR_NOMEM, "out of memory walking XML"));
        }
    }
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    (void)name;
    struct walk *w = ud;
    if (w->rc != IDC_OK) {
        return;
    }
    const char *path[IDC_XML_DEPTH_MAX];
    size_t depth = walk_path(w, path);
    int stop = 0;
    if (!w->has_child[depth - 1]) {
        idc_dynbuf_put(&w->text, "", 1); /* a NUL, so callbacks may treat text as a C string */
        if (w->text.failed) {
            walk_stop(w, idc_error_set(w->err, IDC_ERR_NOMEM, "out of memory walking XML"));
            return;
        }
        stop = w->leaf ? w->leaf(path, depth, w->text.p, w->text.len - 1, w->ud) : 0;
    } else if (w->end != NULL) {
        stop = w->end(path, depth, w->ud);
    }
    w->text.len = 0;
    w->depth--;
    w->names.len = w->name_off[w->depth];
    if (stop) {
        w->stopped_by_callback = true;
        walk_stop(w, IDC_ERR_ARG);
    }
}

/* AWS answers never carry a DTD; refusing one also shuts out entity expansion tricks. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
    (void)sysid, (void)pubid, (void)has_internal_subset;
    struct walk *w = ud;
    idc_error_set(w->err, IDC_ERR_PARSE,
                  "XML with a DOCTYPE (%s) at line %lu is not an AWS response; check the "
                  "endpoint URL",
                  name, (unsigned long)XML_GetCurrentLineNumber(w->parser));
    walk_stop(w, IDC_ERR_PARSE);
}

static idc_err walk_result(struct walk *w)
{
    if (w->rc == IDC_OK) {
        enum XML_Error code = XML_GetErrorCode(w->parser);
        /* expat counts columns from 0; editors and people count from 1 */
        return idc_error_set(
            w->err, IDC_ERR_PARSE, "response is not well-formed XML: %s at line %lu, column %lu",
            XML_ErrorString(code), (unsigned long)XML_GetCurrentLineNumber(w->parser),
            (unsigned long)XML_GetCurrentColumnNumber(w->parser) + 1);
    }
    if (w->stopped_by_callback && w->err->code != IDC_OK) {
        return w->err->code;
    }
    if (w->stopped_by_callback) {
        return idc_error_set(w->err, IDC_ERR_ARG, "the XML walk was stopped by its callback");
    }
    return w->rc;
}

static idc_err walk_feed(struct walk *w, const char *xml, size_t len)
{
    size_t pos = 0;
    do {
        size_t n = len - pos < WALK_CHUNK ? len - pos : WALK_CHUNK;
        bool last = pos + n == len;
        if (XML_Parse(w->parser, xml ? xml + pos : "", (int)n, last) != XML_STATUS_OK) {
            return walk_result(w);
        }
        pos += n;
    } while (pos < len);
    return IDC_OK;
}

idc_err idc_xml_walk_full(const char *xml, size_t len, idc_xml_leaf_fn *leaf, idc_xml_end_fn *end,
                          void *ud, struct idc_error *err)
{
    struct idc_error local = {0};
    struct walk w = {.leaf = leaf, .end = end, .ud = ud, .err = err ? err : &local};
    w.err->code = IDC_OK;
    w.parser = XML_ParserCreate("UTF-8");
    if (w.parser == NULL) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory creating an XML parser");
    }
    XML_SetUserData(w.parser, &w);
    XML_SetElementHandler(w.parser, on_start, on_end);
    XML_SetCharacterDataHandler(w.parser, on_text);
    XML_SetStartDoctypeDeclHandler(w.parser, on_doctype);
    idc_err rc = walk_feed(&w, xml, len);
    XML_ParserFree(w.parser);
    idc_dynbuf_free(&w.names);
    idc_dynbuf_free(&w.text);
    return rc;
}

idc_err idc_xml_walk(const char *xml, size_t len, idc_xml_leaf_fn *leaf, void *ud,
                     struct idc_error *err)
{
    return idc_xml_walk_full(xml, len, leaf, NULL, ud, err);
}

/* ---- error answers ----------------------------------------------------------------------- */

struct error_fields {
    char type[16];
    char code[128];
    char message[300];
    char request_id[64];
    bool has_code;
};

static bool name_is(const char *name, const char *want)
{
    return strcmp(name, want) == 0;
}

/* Copies a field, cut to the buffer: the whole answer is still quoted in the message. */
static void keep(char *out, size_t cap, const char *text, size_t len)
{
    snprintf(out, cap, "%.*s", (int)(len < INT_MAX ? len : INT_MAX), text);
}

/*
 * ErrorResponse/Error/X (IAM, Smithy awsQuery) or <root>/Errors/Error/X: botocore's
 * QueryParser accepts either under any root, and so do we.
 */
static int error_leaf(const char *const *path, size_t depth, const char *text, size_t len, void *ud)
{
    struct error_fields *f = ud;
    const char *name = path[depth - 1];
    bool in_error = (depth == 3 && name_is(path[1], "Error")) ||
                    (depth == 4 && name_is(path[1], "Errors") && name_is(path[2], "Error"));
    if (in_error && name_is(name, "Code")) {
        keep(f->code, sizeof f->code, text, len);
        f->has_code = true;
    } else if (in_error && name_is(name, "Message")) {
        keep(f->message, sizeof f->message, text, len);
    } else if (in_error && name_is(name, "Type")) {
        keep(f->type, sizeof f->type, text, len);
    } else if (name_is(name, "RequestId") || name_is(name, "RequestID")) {
        keep(f->request_id, sizeof f->request_id, text, len);
    }
    return 0;
}

/* The root element's local name, skipping a BOM, the XML declaration and comments. */
static struct idc_str root_name(struct idc_str body)
{
    size_t i = 0;
    if (body.len >= 3 && memcmp(body.p, "\xEF\xBB\xBF", 3) == 0) {
        i = 3;
    }
    for (;;) {
        while (i < body.len && strchr(" \t\r\n", body.p[i]) != NULL) {
            i++;
        }
        struct idc_str rest = idc_str_make(body.p + i, body.len - i);
        if (!idc_str_starts_with(rest, IDC_STR("<?")) &&
            !idc_str_starts_with(rest, IDC_STR("<!--"))) {
            break;
        }
        struct idc_str end = rest.p[1] == '?' ? IDC_STR("?>") : IDC_STR("-->");
        const char *close = idc_str_find(rest, end);
        if (close == NULL) {
            return idc_str_make("", 0);
        }
        i = (size_t)(close - body.p) + end.len;
    }
    if (i >= body.len || body.p[i] != '<') {
        return idc_str_make("", 0);
    }
    size_t start = ++i;
    while (i < body.len && strchr(" \t\r\n/>", body.p[i]) == NULL) {
        if (body.p[i] == ':') {
            start = i + 1;
        }
        i++;
    }
    return idc_str_make(body.p + start, i - start);
}

static bool query_error(const struct idc_http_response *resp, struct idc_error *err)
{
    struct idc_str body = idc_str_make(resp->body ? resp->body : "", resp->body_len);
    if (resp->status < 300 && !idc_str_eq(root_name(body), IDC_STR("ErrorResponse"))) {
        return false;
    }
    struct idc_error local = {0};
    err = err ? err : &local;
    struct error_fields f = {0};
    idc_err rc = idc_xml_walk(body.p, body.len, error_leaf, &f, NULL);
    if (rc != IDC_OK || !f.has_code) {
        idc_protocol_fill_foreign(resp, "XML", err);
    } else {
        idc_protocol_fill_aws(resp, f.code, f.message, err);
    }
    idc_protocol_finish(resp, f.request_id, err);
    return true;
}

/* ---- request forms ----------------------------------------------------------------------- */

static void form_put(struct idc_dynbuf *out, const char *text)
{
    struct idc_str in = idc_str_c(text);
    if (in.len > (SIZE_MAX - 1) / 3 || !idc_dynbuf_reserve(out, 3 * in.len + 1)) {
        out->failed = true;
        return;
    }
    /* 3 bytes per input byte is the most encoding can need, so this cannot fail */
    struct idc_buf room = {out->p + out->len, 0, out->cap - out->len};
    if (idc_form_encode(in, &room, NULL) == IDC_OK) {
        out->len += room.len;
    } else {
        out->failed = true;
    }
}

idc_err idc_query_form(struct idc_dynbuf *out, const char *action, const char *version,
                       const struct idc_query_param *params, size_t n, struct idc_error *err)
{
    idc_dynbuf_str(out, "Action=");
    form_put(out, action);
    idc_dynbuf_str(out, "&Version=");
    form_put(out, version);
    for (size_t i = 0; i < n; i++) {
        if (params[i].value == NULL) {
            continue;
        }
        idc_dynbuf_str(out, "&");
        form_put(out, params[i].name);
        idc_dynbuf_str(out, "=");
        form_put(out, params[i].value);
    }
    if (out->failed) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory building the %s request form",
                             action);
    }
    return IDC_OK;
}

/* ---- the descriptor ---------------------------------------------------------------------- */

/* The form body carries Action: no header per operation. */
static idc_err query_op_header(const struct idc_service *svc, const char *operation, char *buf,
                               struct idc_sigv4_header *out, bool *added, struct idc_error *err)
{
    (void)svc;
    (void)operation;
    (void)buf;
    (void)out;
    (void)err;
    *added = false;
    return IDC_OK;
}

/* awsQuery error bodies carry no retry hint; the Retry-After header is the transport's. */
static int64_t query_retry_after_ms(const struct idc_http_response *resp)
{
    (void)resp;
    return -1;
}

const struct idc_protocol idc_protocol_query = {
    .name = "awsQuery",
    .content_type = IDC_STR("application/x-www-form-urlencoded; charset=utf-8"),
    .op_header = query_op_header,
    .parse_error = query_error,
    .retry_after_ms = query_retry_after_ms,
};
