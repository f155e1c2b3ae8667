/* SPDX-License-Identifier: Apache-2.0 */
/*
 * idc_sigv4_canon.c - the canonical request (spec/sigv4/README.md, "Canonical request"):
 * path encoding and normalisation, query decode-then-encode and sorting, header
 * selection, trimming and joining. Pure functions: no heap, no clock, no I/O.
 * Text is written with reserve-then-raw-write into the caller's work buffer.
 */
#include "sigv4_int.h"

#include <string.h>

/* Bytes kept as they are by URI encoding (RFC 3986 unreserved). */
static const uint8_t unreserved[256] = {
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
    ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
    ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
    ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
    ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1,
    ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1,
    ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['-'] = 1, ['_'] = 1,
    ['.'] = 1, ['~'] = 1,
};

static const char hex_upper[] = "0123456789ABCDEF";

/* ASCII lowercase without a branch: header names are lowercased a byte at a time. */
static inline unsigned char lower(unsigned char c)
{
    return (unsigned char)(c + ((unsigned)((unsigned)c - 'A' < 26u) << 5));
}

/* Header values are trimmed and inner runs folded over these bytes (as aws-c-auth does). */
static inline bool is_space(unsigned char c)
{
    return c <= ' ' && (c == ' ' || (c >= '\t' && c <= '\r'));
}

/* ---- writer ------------------------------------------------------------------------- */

static char *reserve(struct idc_sigv4_writer *w, size_t n)
{
    if (w->full || n > w->cap - w->len) {
        if (!w->full) {
            w->wanted = w->len + n;
        }
        w->full = true;
        return NULL;
    }
    return w->p + w->len;
}

static void commit(struct idc_sigv4_writer *w, const char *end)
{
    w->len = (size_t)(end - w->p);
}

static inline void put_char(struct idc_sigv4_writer *w, char c)
{
    if (!w->full && w->len < w->cap) {
        w->p[w->len++] = c;
        return;
    }
    idc_sigv4_writer_put(w, &c, 1);
}

static void put_str(struct idc_sigv4_writer *w, struct idc_str s)
{
    idc_sigv4_writer_put(w, s.p, s.len);
}

struct idc_str idc_sigv4_writer_view(const struct idc_sigv4_writer *w, size_t from)
{
    return idc_str_make(w->p + from, w->full ? 0 : w->len - from);
}

idc_err idc_sigv4_writer_error(const struct idc_sigv4_writer *w, struct idc_error *err)
{
    if (!w->full) {
        return IDC_OK;
    }
    return idc_error_set(err, IDC_ERR_SPACE,
                         "signing needs more than %zu bytes of work space (at least %zu); "
                         "pass a larger buffer (IDC_SIGV4_WORK_SIZE is %d)",
                         w->cap, w->wanted, IDC_SIGV4_WORK_SIZE);
}

/* ---- percent encoding --------------------------------------------------------------- */

enum encoding {
    ENC_PLAIN,       /* encode every byte but unreserved ones: '%' becomes %25 */
    ENC_PLAIN_SLASH, /* the same, keeping '/' (double-encoded paths) */
    ENC_DECODED,     /* decode valid %XX first, then encode (query components) */
    ENC_S3_PATH,     /* decode then encode, keeping '/' and an escaped slash as %2F */
};

/*
 * Encodes `n` bytes of `s` at `d` (or only counts when `d` is NULL). Every input byte
 * yields at most three output bytes. Returns the output length, or SIZE_MAX with `*bad`
 * set to the offset of a '%' that is not followed by two hex digits.
 */
static inline size_t encode_core(char *d, const unsigned char *s, size_t n, enum encoding mode,
                                 size_t *bad)
{
    size_t out = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = s[i];
        bool escaped = false;
        if (c == '%' && (mode == ENC_DECODED || mode == ENC_S3_PATH)) {
            if (i + 2 >= n) {
                *bad = i;
                return SIZE_MAX;
            }
            int h = idc_hex_value(s[i + 1]);
            int l = idc_hex_value(s[i + 2]);
            if (h < 0 || l < 0) {
                *bad = i;
                return SIZE_MAX;
            }
            c = (unsigned char)(h << 4 | l);
            i += 2;
            escaped = true;
        }
        bool keep = unreserved[c] ||
                    (c == '/' && (mode == ENC_PLAIN_SLASH || (mode == ENC_S3_PATH && !escaped)));
        if (keep) {
            if (d) {
                d[out] = (char)c;
            }
            out++;
        } else {
            if (d) {
                d[out] = '%';
                d[out + 1] = hex_upper[c >> 4];
                d[out + 2] = hex_upper[c & 15];
            }
            out += 3;
        }
    }
    return out;
}

/*
 * Appends `s` encoded. Reserves the worst case (3 bytes per byte) when it fits, else the
 * exact size after a counting pass. Returns false on a bad escape (offset in `*bad`).
 */
static bool put_encoded(struct idc_sigv4_writer *w, struct idc_str s, enum encoding mode,
                        size_t *bad)
{
    const unsigned char *u = (const unsigned char *)s.p;
    size_t need = s.len * 3;
    if (w->full) {
        return true;
    }
    if (need > w->cap - w->len) {
        need = encode_core(NULL, u, s.len, mode, bad);
        if (need == SIZE_MAX) {
            return false;
        }
    }
    char *d = reserve(w, need);
    if (d == NULL) {
        return true;
    }
    size_t got = encode_core(d, u, s.len, mode, bad);
    if (got == SIZE_MAX) {
        return false;
    }
    w->len += got;
    return true;
}

void idc_sigv4_put_encoded(struct idc_sigv4_writer *w, struct idc_str s)
{
    size_t bad;
    (void)put_encoded(w, s, ENC_PLAIN, &bad); /* plain encoding cannot meet a bad escape */
}

bool idc_sigv4_query_decode(struct idc_str in, char *out, size_t cap, size_t *len)
{
    size_t o = 0;
    for (size_t i = 0; i < in.len; i++) {
        unsigned char c = (unsigned char)in.p[i];
        if (c == '%') {
            if (i + 2 >= in.len) {
                return false;
            }
            int h = idc_hex_value((unsigned char)in.p[i + 1]);
            int l = idc_hex_value((unsigned char)in.p[i + 2]);
            if (h < 0 || l < 0) {
                return false;
            }
            c = (unsigned char)(h << 4 | l);
            i += 2;
        }
        if (o == cap) {
            return false;
        }
        out[o++] = (char)c;
    }
    *len = o;
    return true;
}

/* ---- path --------------------------------------------------------------------------- */

static enum encoding path_encoding(unsigned flags)
{
    return (flags & IDC_SIGV4_DOUBLE_ENCODE) ? ENC_PLAIN_SLASH : ENC_S3_PATH;
}

static bool is_dot(struct idc_str seg)
{
    return seg.len == 1 && seg.p[0] == '.';
}

static bool is_dot_dot(struct idc_str seg)
{
    return seg.len == 2 && seg.p[0] == '.' && seg.p[1] == '.';
}

/*
 * Removes dot segments and empty segments while encoding each kept segment
 * (RFC 3986 5.2.4 plus AWS's collapsing of "//"). ".." pops the last written segment:
 * encoded segments never contain '/', so the previous '/' bounds it.
 */
static bool put_normalized_path(struct idc_sigv4_writer *w, struct idc_str path, unsigned flags,
                                size_t *bad)
{
    bool lead = path.p[0] == '/';
    bool trail = path.p[path.len - 1] == '/';
    size_t base;
    if (lead) {
        put_char(w, '/');
    }
    base = w->len;
    size_t segments = 0;
    struct idc_str seg;
    for (struct idc_str rest = path; idc_str_next(&rest, '/', &seg);) {
        if (seg.len == 0 || is_dot(seg)) {
            continue;
        }
        if (is_dot_dot(seg)) {
            if (segments > 0 && !w->full) {
                size_t k = w->len;
                while (k > base && w->p[k - 1] != '/') {
                    k--;
                }
                w->len = k > base ? k - 1 : base;
                segments--;
            }
            continue;
        }
        if (segments > 0) {
            put_char(w, '/');
        }
        if (!put_encoded(w, seg, path_encoding(flags), bad)) {
            return false;
        }
        segments++;
    }
    if (segments > 0 && trail) {
        put_char(w, '/');
    }
    if (!lead && segments == 0) {
        put_char(w, '/');
    }
    return true;
}

static idc_err put_path(struct idc_sigv4_writer *w, struct idc_str path, unsigned flags,
                        struct idc_error *err)
{
    size_t bad = 0;
    bool ok;
    if (path.len == 0) {
        put_char(w, '/'); /* an empty path is "/" (spec/sigv4/README.md, "Path") */
        return IDC_OK;
    }
    if (flags & IDC_SIGV4_NORMALIZE_PATH) {
        ok = put_normalized_path(w, path, flags, &bad);
    } else {
        ok = put_encoded(w, path, path_encoding(flags), &bad);
    }
    if (!ok) {
        return idc_error_set(err, IDC_ERR_PARSE,
                             "path: '%%' at offset %zu is not followed by two hex digits; "
                             "encode a literal percent sign as %%25",
                             bad);
    }
    return IDC_OK;
}

/* ---- query -------------------------------------------------------------------------- */

/* One canonical parameter: offsets of its encoded key and value in the work buffer. */
struct canon_param {
    size_t key;
    size_t key_len;
    size_t val;
    size_t val_len;
};

static int compare_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c != 0) {
        return c;
    }
    return (alen > blen) - (alen < blen);
}

/* Key, then value, bytewise on the encoded text: a total order, as sorting needs. */
static int compare_params(const char *base, const struct canon_param *a,
                          const struct canon_param *b)
{
    int c = compare_bytes(base + a->key, a->key_len, base + b->key, b->key_len);
    return c ? c : compare_bytes(base + a->val, a->val_len, base + b->val, b->val_len);
}

static void sort_params(const char *base, struct canon_param *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct canon_param x = v[i];
        size_t j = i;
        while (j > 0 && compare_params(base, &v[j - 1], &x) > 0) {
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

static idc_err add_param(struct idc_sigv4_writer *w, struct canon_param *v, size_t *n,
                         struct idc_str key, struct idc_str val, enum encoding mode,
                         struct idc_error *err)
{
    size_t bad = 0;
    if (*n == IDC_SIGV4_MAX_QUERY) {
        return idc_error_set(err, IDC_ERR_LIMIT,
                             "query has more than %d parameters (IDC_SIGV4_MAX_QUERY)",
                             IDC_SIGV4_MAX_QUERY);
    }
    struct canon_param *p = &v[*n];
    p->key = w->len;
    bool ok = put_encoded(w, key, mode, &bad);
    p->key_len = w->len - p->key;
    p->val = w->len;
    ok = ok && put_encoded(w, val, mode, &bad);
    p->val_len = w->len - p->val;
    if (!ok) {
        return idc_error_set(err, IDC_ERR_PARSE,
                             "query parameter '%.*s': '%%' is not followed by two hex digits; "
                             "encode a literal percent sign as %%25",
                             (int)(key.len > 64 ? 64 : key.len), key.p);
    }
    (*n)++;
    return IDC_OK;
}

static bool is_signature_param(const struct idc_sigv4_writer *w, const struct canon_param *p)
{
    return idc_str_eq(idc_str_make(w->p + p->key, p->key_len), IDC_STR("X-Amz-Signature"));
}

/*
 * Splits the raw query on '&' (empty parts skipped) and each part at its first '=' (none:
 * empty value), decodes and re-encodes both sides, adds the presign parameters, sorts.
 * A raw '+' is a literal plus and becomes %2B (spec/sigv4/README.md, "Query string").
 */
static idc_err collect_params(const struct idc_sigv4_canon *in, struct idc_sigv4_writer *w,
                              struct canon_param *v, size_t *n, struct idc_error *err)
{
    struct idc_str rest = in->req->query, part, key, val;
    *n = 0;
    while (idc_str_next(&rest, '&', &part)) {
        if (part.len == 0) {
            continue;
        }
        idc_str_split(part, '=', &key, &val);
        idc_err rc = add_param(w, v, n, key, val, ENC_DECODED, err);
        if (rc) {
            return rc;
        }
        if (in->drop_signature_param && !w->full && is_signature_param(w, &v[*n - 1])) {
            (*n)--;
        }
    }
    for (size_t k = 0; k < in->param_count; k++) {
        idc_err rc = add_param(w, v, n, in->params[k].name, in->params[k].value, ENC_PLAIN, err);
        if (rc) {
            return rc;
        }
    }
    if (!w->full) {
        sort_params(w->p, v, *n);
    }
    return IDC_OK;
}

static void put_query(struct idc_sigv4_writer *w, const struct canon_param *v, size_t n)
{
    for (size_t k = 0; k < n && !w->full; k++) {
        if (k > 0) {
            put_char(w, '&');
        }
        idc_sigv4_writer_put(w, w->p + v[k].key, v[k].key_len);
        put_char(w, '=');
        idc_sigv4_writer_put(w, w->p + v[k].val, v[k].val_len);
    }
}

idc_err idc_sigv4_canonical_query(struct idc_str query, struct idc_buf *out, struct idc_error *err)
{
    struct canon_param v[IDC_SIGV4_MAX_QUERY];
    size_t n;
    struct idc_sigv4_request req = {.query = query};
    struct idc_sigv4_canon in = {.req = &req};
    struct idc_sigv4_writer w = {.p = out->p + out->len, .cap = out->cap - out->len};
    idc_err rc = collect_params(&in, &w, v, &n, err);
    if (rc) {
        return rc;
    }
    /* The encoded pieces sit at the front of the work area; the result follows them. */
    size_t start = w.len;
    put_query(&w, v, n);
    rc = idc_sigv4_writer_error(&w, err);
    if (rc) {
        return rc;
    }
    memmove(out->p + out->len, w.p + start, w.len - start);
    out->len += w.len - start;
    return IDC_OK;
}

/* ---- headers ------------------------------------------------------------------------ */

struct canon_header {
    struct idc_str name;
    struct idc_str value;
    size_t order; /* position in the request: keeps repeated headers in request order */
};

/*
 * Never signed: hop-by-hop or rewritten by proxies and clients (aws-c-auth's and botocore's
 * lists). Checked by length first: most request headers match no length here.
 */
static bool signer_skips(struct idc_str name)
{
    static const struct idc_str by_length[20][3] = {
        [2] = {IDC_STR("te")},
        [6] = {IDC_STR("expect")},
        [7] = {IDC_STR("trailer"), IDC_STR("upgrade")},
        [10] = {IDC_STR("user-agent"), IDC_STR("connection"), IDC_STR("keep-alive")},
        [13] = {IDC_STR("authorization")},
        [15] = {IDC_STR("x-amzn-trace-id")},
        [17] = {IDC_STR("transfer-encoding")},
        [18] = {IDC_STR("proxy-authenticate")},
        [19] = {IDC_STR("proxy-authorization")},
    };
    if (name.len >= 20) {
        return false;
    }
    for (size_t i = 0; i < 3 && by_length[name.len][i].len; i++) {
        if (idc_str_eq_nocase(name, by_length[name.len][i])) {
            return true;
        }
    }
    return false;
}

bool idc_sigv4_list_has(struct idc_str list, struct idc_str name)
{
    struct idc_str item;
    for (struct idc_str rest = list; idc_str_next(&rest, ';', &item);) {
        if (idc_str_eq_nocase(item, name)) {
            return true;
        }
    }
    return false;
}

static inline int compare_names(struct idc_str a, struct idc_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    for (size_t i = 0; i < n; i++) {
        int d = lower((unsigned char)a.p[i]) - lower((unsigned char)b.p[i]);
        if (d) {
            return d;
        }
    }
    return (a.len > b.len) - (a.len < b.len);
}

/* Stable insertion sort by lowercase name: requests carry a handful of headers. */
static void sort_headers(struct canon_header *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct canon_header x = v[i];
        size_t j = i;
        while (j > 0) {
            int c = compare_names(v[j - 1].name, x.name);
            if (c < 0 || (c == 0 && v[j - 1].order < x.order)) {
                break;
            }
            v[j] = v[j - 1];
            j--;
        }
        v[j] = x;
    }
}

/* Room for the request's headers plus the ones the signer adds (X-Amz-Date, token, sha). */
#define CANON_MAX_HEADERS (IDC_SIGV4_MAX_HEADERS + 3)

static idc_err push_header(struct canon_header *v, size_t *n, const struct idc_sigv4_header *h,
                           size_t order, struct idc_error *err)
{
    if (*n == CANON_MAX_HEADERS) {
        return idc_error_set(err, IDC_ERR_LIMIT,
                             "request has more than %d headers to sign (IDC_SIGV4_MAX_HEADERS)",
                             IDC_SIGV4_MAX_HEADERS);
    }
    v[*n] = (struct canon_header){h->name, h->value, order};
    (*n)++;
    return IDC_OK;
}

/* Picks the headers to sign, sorted; in verify mode, checks each listed one is present. */
static idc_err collect_headers(const struct idc_sigv4_canon *in, struct canon_header *v, size_t *n,
                               struct idc_error *err)
{
    const struct idc_sigv4_request *req = in->req;
    bool verifying = in->only_signed.len > 0;
    *n = 0;
    if (req->header_count > IDC_SIGV4_MAX_HEADERS) {
        return idc_error_set(err, IDC_ERR_LIMIT,
                             "request has %zu headers, more than %d (IDC_SIGV4_MAX_HEADERS)",
                             req->header_count, IDC_SIGV4_MAX_HEADERS);
    }
    for (size_t i = 0; i < req->header_count; i++) {
        const struct idc_sigv4_header *h = &req->headers[i];
        bool take =
            verifying ? idc_sigv4_list_has(in->only_signed, h->name) : !signer_skips(h->name);
        idc_err rc = take ? push_header(v, n, h, i, err) : IDC_OK;
        if (rc) {
            return rc;
        }
    }
    for (size_t i = 0; i < in->extra_count; i++) {
        idc_err rc = push_header(v, n, &in->extra[i], req->header_count + i, err);
        if (rc) {
            return rc;
        }
    }
    sort_headers(v, *n);
    return IDC_OK;
}

static void put_lower(struct idc_sigv4_writer *w, struct idc_str name)
{
    char *d = reserve(w, name.len);
    if (d != NULL) {
        for (size_t i = 0; i < name.len; i++) {
            d[i] = (char)lower((unsigned char)name.p[i]);
        }
        w->len += name.len;
    }
}

/* Trims the value and folds each inner run of white space, quotes included, to one space. */
static void put_folded(struct idc_sigv4_writer *w, struct idc_str value)
{
    char *d = reserve(w, value.len);
    if (d == NULL) {
        return;
    }
    const unsigned char *s = (const unsigned char *)value.p;
    size_t i = 0, n = value.len;
    char *o = d;
    while (i < n) {
        while (i < n && is_space(s[i])) {
            i++;
        }
        if (i == n) {
            break;
        }
        if (o != d) {
            *o++ = ' ';
        }
        size_t run = i;
        while (i < n && !is_space(s[i])) {
            i++;
        }
        memcpy(o, s + run, i - run);
        o += i - run;
    }
    commit(w, o);
}

static bool same_name(const struct canon_header *a, const struct canon_header *b)
{
    return compare_names(a->name, b->name) == 0;
}

/*
 * Writes the signed-headers list ("host;x-amz-date") and remembers where each lowercase
 * name landed, so the canonical header lines copy them instead of lowercasing again.
 */
static void put_signed_list(struct idc_sigv4_writer *w, const struct canon_header *v, size_t n,
                            size_t *name_at)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && same_name(&v[i - 1], &v[i])) {
            name_at[i] = name_at[i - 1];
            continue;
        }
        if (i > 0) {
            put_char(w, ';');
        }
        name_at[i] = w->len;
        put_lower(w, v[i].name);
    }
}

/* One "name:value[,value...]\n" line per name; repeated headers joined in request order. */
static void put_headers(struct idc_sigv4_writer *w, const struct canon_header *v, size_t n,
                        const size_t *name_at)
{
    for (size_t i = 0; i < n && !w->full; i++) {
        if (i > 0 && same_name(&v[i - 1], &v[i])) {
            put_char(w, ',');
        } else {
            if (i > 0) {
                put_char(w, '\n');
            }
            idc_sigv4_writer_put(w, w->p + name_at[i], v[i].name.len);
            put_char(w, ':');
        }
        put_folded(w, v[i].value);
    }
    if (n > 0) {
        put_char(w, '\n');
    }
}

/* In verify mode every name of the SignedHeaders list must be among the collected ones. */
static idc_err check_listed_present(const struct idc_sigv4_canon *in, const struct canon_header *v,
                                    size_t n, struct idc_error *err)
{
    struct idc_str name;
    for (struct idc_str rest = in->only_signed; idc_str_next(&rest, ';', &name);) {
        bool found = false;
        for (size_t k = 0; k < n && !found; k++) {
            found = idc_str_eq_nocase(v[k].name, name);
        }
        if (!found) {
            return idc_error_set(err, IDC_ERR_SIGNATURE,
                                 "signed header '%.*s' is not in the request",
                                 (int)(name.len > 64 ? 64 : name.len), name.p);
        }
    }
    return IDC_OK;
}

idc_err idc_sigv4_signed_headers(const struct idc_sigv4_canon *in, struct idc_sigv4_writer *w,
                                 struct idc_str *signed_headers, struct idc_error *err)
{
    struct canon_header v[CANON_MAX_HEADERS];
    size_t n;
    idc_err rc = collect_headers(in, v, &n, err);
    if (rc) {
        return rc;
    }
    size_t start = w->len;
    size_t name_at[CANON_MAX_HEADERS];
    put_signed_list(w, v, n, name_at);
    *signed_headers = idc_sigv4_writer_view(w, start);
    return idc_sigv4_writer_error(w, err);
}

idc_err idc_sigv4_canonical_request(const struct idc_sigv4_canon *in, struct idc_sigv4_writer *w,
                                    struct idc_str *signed_headers, struct idc_str *creq,
                                    struct idc_error *err)
{
    struct canon_header hv[CANON_MAX_HEADERS];
    struct canon_param qv[IDC_SIGV4_MAX_QUERY];
    size_t hn, qn;
    idc_err rc = collect_headers(in, hv, &hn, err);
    if (rc == IDC_OK && in->only_signed.len > 0) {
        rc = check_listed_present(in, hv, hn, err);
    }
    if (rc == IDC_OK) {
        rc = collect_params(in, w, qv, &qn, err); /* encoded pieces go before the request */
    }
    if (rc) {
        return rc;
    }
    size_t list_start = w->len;
    size_t name_at[CANON_MAX_HEADERS];
    put_signed_list(w, hv, hn, name_at);
    *signed_headers = idc_sigv4_writer_view(w, list_start);

    size_t start = w->len;
    put_str(w, in->req->method);
    put_char(w, '\n');
    rc = put_path(w, in->req->path, in->flags, err);
    if (rc) {
        return rc;
    }
    put_char(w, '\n');
    put_query(w, qv, qn);
    put_char(w, '\n');
    put_headers(w, hv, hn, name_at);
    put_char(w, '\n');
    put_str(w, *signed_headers);
    put_char(w, '\n');
    put_str(w, in->payload_hash);
    *creq = idc_sigv4_writer_view(w, start);
    return idc_sigv4_writer_error(w, err);
}
