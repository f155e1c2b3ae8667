/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json_scan.c - a validating JSON scanner (json_scan.h): finds where values start and end
 * without decoding or allocating anything, and checks every byte it passes over against
 * RFC 8259: structure, string escapes, no raw control bytes in strings, the number grammar
 * and the literals true, false and null. Containers nest at most IDC_JSON_DEPTH_MAX deep,
 * tracked with a fixed bit stack rather than recursion. UTF-8 is not validated, nor the
 * pairing of \uD800-\uDFFF surrogate escapes: bytes from 0x20 up pass as sent.
 */
#include "json_scan.h"

#include <stdint.h>
#include <string.h>

_Static_assert(IDC_JSON_DEPTH_MAX % 8 == 0, "the nesting stack holds whole bytes of bits");

/* Where and why a scan stopped. `at` is t.len when the text ended first. */
struct fault {
    idc_err code; /* IDC_ERR_PARSE or IDC_ERR_LIMIT */
    size_t at;
};

/* Records the fault; returns 0, the "no end" every skip_ function gives on failure. */
static size_t fail(struct fault *f, idc_err code, size_t at)
{
    f->code = code;
    f->at = at;
    return 0;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static size_t skip_ws(struct idc_str t, size_t i)
{
    while (i < t.len && is_ws(t.p[i])) {
        i++;
    }
    return i;
}

/* ---- strings --------------------------------------------------------------------------- */

static bool is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The letters that make a two-byte escape after a backslash. */
static bool is_escape_letter(char c)
{
    switch (c) {
    case '"':
    case '\\':
    case '/':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
        return true;
    default:
        return false;
    }
}

/* Past the escape whose backslash is t.p[i]; 0 when it is not one of RFC 8259 section 7. */
static size_t skip_escape(struct idc_str t, size_t i, struct fault *f)
{
    if (i + 1 >= t.len) {
        return fail(f, IDC_ERR_PARSE, t.len);
    }
    if (is_escape_letter(t.p[i + 1])) {
        return i + 2;
    }
    if (t.p[i + 1] != 'u') {
        return fail(f, IDC_ERR_PARSE, i);
    }
    for (size_t h = i + 2; h < i + 6; h++) {
        if (h >= t.len) {
            return fail(f, IDC_ERR_PARSE, t.len);
        }
        if (!is_hex(t.p[h])) {
            return fail(f, IDC_ERR_PARSE, i);
        }
    }
    return i + 6;
}

/* True for the bytes that end a run of plain string content (see string_stops8). */
static bool ends_plain(char c)
{
    return c == '"' || c == '\\' || (unsigned char)c < 0x20;
}

/* The eight bytes at `p` as one number, the first byte lowest, whatever the host's order. */
static uint64_t load8(const char *p)
{
    const unsigned char *b = (const unsigned char *)p;
    return (uint64_t)b[0] | (uint64_t)b[1] << 8 | (uint64_t)b[2] << 16 | (uint64_t)b[3] << 24 |
           (uint64_t)b[4] << 32 | (uint64_t)b[5] << 40 | (uint64_t)b[6] << 48 |
           (uint64_t)b[7] << 56;
}

/*
 * Bit 7 set in each byte of `x` that is '"', '\\' or below 0x20 (which RFC 8259 section 7
 * requires to be escaped), and maybe in bytes above such a byte. The "has a byte below n"
 * test: in (v - n * 0x01..01) & ~v & 0x80..80, a byte's high bit is set when it is below n,
 * and otherwise only by a borrow from a lower byte that is, so the lowest bit set is exact.
 * '"' and '\\' lack bit 7, so ~v has the high bits of ~x for v = x ^ them.
 */
static uint64_t string_stops8(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101u;
    uint64_t quote = (x ^ (ones * '"')) - ones, backslash = (x ^ (ones * '\\')) - ones;
    uint64_t control = x - ones * 0x20;
    return (quote | backslash | control) & ~x & (ones * 0x80);
}

/*
 * The first byte from t.p[i] on that ends a run of plain string content, or t.len. Eight
 * bytes at a time: strings are most of a ListUsers page, and with a byte loop here the
 * strict scan took 1.7 times as long as the unchecked one it replaced; now about 1.1.
 */
static size_t skip_plain(struct idc_str t, size_t i)
{
    for (; t.len - i >= 8; i += 8) {
        uint64_t stops = string_stops8(load8(t.p + i));
        if (stops != 0) {
            return i + (size_t)__builtin_ctzll(stops) / 8;
        }
    }
    while (i < t.len && !ends_plain(t.p[i])) {
        i++;
    }
    return i;
}

/*
 * Past the string whose opening quote is t.p[i]; 0 at a bad escape (f->at: its backslash),
 * a raw byte below 0x20 (f->at: that byte) or the end of the text.
 */
static size_t skip_string(struct idc_str t, size_t i, struct fault *f)
{
    for (i = skip_plain(t, i + 1); i < t.len; i = skip_plain(t, i)) {
        if (t.p[i] == '"') {
            return i + 1;
        }
        if (t.p[i] != '\\') {
            return fail(f, IDC_ERR_PARSE, i);
        }
        i = skip_escape(t, i, f);
        if (i == 0) {
            return 0;
        }
    }
    return fail(f, IDC_ERR_PARSE, t.len);
}

/* ---- numbers and literals -------------------------------------------------------------- */

static size_t skip_digits(struct idc_str t, size_t i)
{
    while (i < t.len && is_digit(t.p[i])) {
        i++;
    }
    return i;
}

/* Past the number at t.p[i], -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?; 0 if none. */
static size_t skip_number(struct idc_str t, size_t i)
{
    i += i < t.len && t.p[i] == '-';
    if (i < t.len && t.p[i] == '0') {
        i++;
    } else if (i < t.len && t.p[i] >= '1' && t.p[i] <= '9') {
        i = skip_digits(t, i + 1);
    } else {
        return 0;
    }
    if (i < t.len && t.p[i] == '.') {
        size_t frac = skip_digits(t, i + 1);
        if (frac == i + 1) {
            return 0;
        }
        i = frac;
    }
    if (i < t.len && (t.p[i] == 'e' || t.p[i] == 'E')) {
        i++;
        i += i < t.len && (t.p[i] == '+' || t.p[i] == '-');
        size_t exp = skip_digits(t, i);
        if (exp == i) {
            return 0;
        }
        i = exp;
    }
    return i;
}

/* Past `word` at t.p[i]; 0 when the text differs. */
static size_t skip_word(struct idc_str t, size_t i, struct idc_str word)
{
    bool match = t.len - i >= word.len && memcmp(t.p + i, word.p, word.len) == 0;
    return match ? i + word.len : 0;
}

/* Past the number or literal at t.p[i] (i < t.len); 0 if none. */
static size_t skip_bare(struct idc_str t, size_t i)
{
    switch (t.p[i]) {
    case 't':
        return skip_word(t, i, IDC_STR("true"));
    case 'f':
        return skip_word(t, i, IDC_STR("false"));
    case 'n':
        return skip_word(t, i, IDC_STR("null"));
    default:
        return skip_number(t, i);
    }
}

/* True for the bytes that may follow a number or literal. */
static bool ends_bare(char c)
{
    return is_ws(c) || c == ',' || c == ']' || c == '}';
}

/*
 * Past the string, number or literal at t.p[i]. A number or literal must be followed by
 * whitespace, ',', ']', '}' or the end of the text; otherwise the whole token is refused
 * at its start, so "1x" or `1"b"` is one bad value rather than a good one and a stray byte.
 */
static size_t skip_scalar(struct idc_str t, size_t i, struct fault *f)
{
    if (i >= t.len) {
        return fail(f, IDC_ERR_PARSE, t.len);
    }
    if (t.p[i] == '"') {
        return skip_string(t, i, f);
    }
    size_t end = skip_bare(t, i);
    if (end == 0 || (end < t.len && !ends_bare(t.p[end]))) {
        return fail(f, IDC_ERR_PARSE, i);
    }
    return end;
}

/* ---- containers ------------------------------------------------------------------------ */

/* The containers open around the byte being scanned: a bit per level, set for an object. */
struct nest {
    size_t depth; /* levels open, counting those around the value being skipped (>= 1) */
    char closer;  /* '}' or ']', whichever closes the innermost level */
    unsigned char object[IDC_JSON_DEPTH_MAX / 8];
};

/* Opens a level; false when it would be deeper than IDC_JSON_DEPTH_MAX. */
static bool nest_push(struct nest *n, bool object)
{
    if (n->depth >= IDC_JSON_DEPTH_MAX) {
        return false;
    }
    unsigned char bit = (unsigned char)(1u << (n->depth % 8));
    unsigned char *byte = &n->object[n->depth / 8];
    *byte = object ? (unsigned char)(*byte | bit) : (unsigned char)(*byte & ~bit);
    n->depth++;
    n->closer = object ? '}' : ']';
    return true;
}

/* Closes the innermost level. Back at the outer levels, `closer` is left meaningless. */
static void nest_pop(struct nest *n)
{
    n->depth--;
    size_t level = n->depth - 1;
    n->closer = (n->object[level / 8] >> (level % 8)) & 1 ? '}' : ']';
}

/*
 * Past a member's name, its colon and the whitespace after it: where its value starts.
 * `i` is the name's first byte; *name_end gets the byte after its closing quote. A missing
 * name or colon is refused at `i`.
 */
static size_t skip_name(struct idc_str t, size_t i, size_t *name_end, struct fault *f)
{
    if (i >= t.len || t.p[i] != '"') {
        return fail(f, IDC_ERR_PARSE, i);
    }
    *name_end = skip_string(t, i, f);
    if (*name_end == 0) {
        return 0;
    }
    size_t colon = skip_ws(t, *name_end);
    if (colon >= t.len || t.p[colon] != ':') {
        return fail(f, IDC_ERR_PARSE, colon >= t.len ? t.len : i);
    }
    return skip_ws(t, colon + 1);
}

/* What the scan of a value expects next. */
enum step {
    STEP_VALUE, /* a value */
    STEP_FIRST, /* just inside '{' or '[': the closer, or a first member or element */
    STEP_NEXT,  /* after a value: ',' and another, or the closer, or the end of the value */
};

/* Past the first byte of a value: a whole scalar, or the opener of a container. */
static size_t step_value(struct idc_str t, size_t i, struct nest *n, enum step *s, struct fault *f)
{
    if (i < t.len && (t.p[i] == '{' || t.p[i] == '[')) {
        if (!nest_push(n, t.p[i] == '{')) {
            return fail(f, IDC_ERR_LIMIT, i);
        }
        *s = STEP_FIRST;
        return i + 1;
    }
    *s = STEP_NEXT;
    return skip_scalar(t, i, f);
}

/* Where the next value starts, `i` being past '{', '[' or ',' and whitespace. */
static size_t step_into(struct idc_str t, size_t i, const struct nest *n, enum step *s,
                        struct fault *f)
{
    size_t name_end;
    *s = STEP_VALUE;
    return n->closer == '}' ? skip_name(t, i, &name_end, f) : i;
}

/*
 * Past the value starting at t.p[i] (no whitespace before it), validating all of it; 0 when
 * malformed. `outer` (>= 1) levels are open around it. When the text ends inside the value,
 * f->at is its start: a cut-off response is reported where the value it cut began.
 */
static size_t skip_value(struct idc_str t, size_t i, size_t outer, struct fault *f)
{
    struct nest n = {.depth = outer};
    enum step s = STEP_VALUE;
    size_t start = i;
    while (i != 0) {
        if (s == STEP_VALUE) {
            i = step_value(t, i, &n, &s, f);
            continue;
        }
        if (s == STEP_NEXT && n.depth == outer) {
            return i;
        }
        i = skip_ws(t, i);
        if (i < t.len && t.p[i] == n.closer) {
            nest_pop(&n);
            i++;
            s = STEP_NEXT;
        } else if (s == STEP_FIRST) {
            i = step_into(t, i, &n, &s, f);
        } else if (i < t.len && t.p[i] == ',') {
            i = step_into(t, skip_ws(t, i + 1), &n, &s, f);
        } else {
            i = fail(f, IDC_ERR_PARSE, i);
        }
    }
    if (f->at >= t.len) {
        f->at = start;
    }
    return 0;
}

/* ---- the API --------------------------------------------------------------------------- */

/* The error for fault `f`, whose offset counts from `base` bytes into the response. */
static idc_err report(struct idc_error *err, const struct fault *f, size_t base)
{
    if (f->code == IDC_ERR_LIMIT) {
        return idc_error_set(err, IDC_ERR_LIMIT,
                             "JSON in the response nests deeper than IDC_JSON_DEPTH_MAX (%d) "
                             "near byte %zu",
                             IDC_JSON_DEPTH_MAX, base + f->at);
    }
    return idc_error_set(err, IDC_ERR_PARSE, "malformed JSON in the response near byte %zu",
                         base + f->at);
}

static idc_err malformed(struct idc_error *err, size_t at)
{
    struct fault f = {IDC_ERR_PARSE, at};
    return report(err, &f, 0);
}

/* Gives `value` to the field named `key` (a member name without its quotes), if wanted; a
 * null is no value, as the AWS SDKs read it. */
static void keep_field(struct idc_str key, struct idc_str value, struct idc_json_field *fields,
                       size_t n)
{
    if (idc_str_eq(value, IDC_STR("null"))) {
        return;
    }
    for (size_t f = 0; f < n; f++) {
        if (!fields[f].found && idc_str_eq(key, idc_str_c(fields[f].key))) {
            fields[f].value = value;
            fields[f].found = true;
            return;
        }
    }
}

/* IDC_OK when only whitespace follows the top-level object's '}' at t.p[i - 1]. */
static idc_err check_end(struct idc_str t, size_t i, struct idc_error *err)
{
    i = skip_ws(t, i);
    return i == t.len ? IDC_OK : malformed(err, i);
}

idc_err idc_json_fields(struct idc_str text, struct idc_json_field *fields, size_t n,
                        struct idc_error *err)
{
    for (size_t f = 0; f < n; f++) {
        fields[f].value = idc_str_make(text.p, 0);
        fields[f].found = false;
    }
    size_t i = skip_ws(text, 0);
    if (i >= text.len || text.p[i] != '{') {
        return malformed(err, i);
    }
    i = skip_ws(text, i + 1);
    if (i < text.len && text.p[i] == '}') {
        return check_end(text, i + 1, err);
    }
    for (;;) {
        struct fault f = {IDC_ERR_PARSE, 0};
        size_t name_end = 0, vstart = skip_name(text, i, &name_end, &f);
        if (vstart == 0) {
            f.at = f.at >= text.len ? i : f.at; /* a cut-off name: at the member */
            return report(err, &f, 0);
        }
        size_t vend = skip_value(text, vstart, 1, &f); /* the object is the first level */
        if (vend == 0) {
            return report(err, &f, 0);
        }
        keep_field(idc_str_make(text.p + i + 1, name_end - i - 2),
                   idc_str_make(text.p + vstart, vend - vstart), fields, n);
        i = skip_ws(text, vend);
        if (i < text.len && text.p[i] == '}') {
            return check_end(text, i + 1, err);
        }
        if (i >= text.len || text.p[i] != ',') {
            return malformed(err, i);
        }
        i = skip_ws(text, i + 1);
    }
}

void idc_json_iter_init(struct idc_json_iter *it, struct idc_str array, const char *origin)
{
    it->array = array;
    it->origin = origin ? origin : array.p;
    it->pos = 0;
}

/*
 * The end of the walk, `i` being where the array's ']' belongs: false, with *rc IDC_OK when
 * it is there and only whitespace follows. it->pos stays on it, so later calls end alike.
 */
static bool iter_end(struct idc_json_iter *it, size_t i, idc_err *rc, struct idc_error *err)
{
    struct idc_str a = it->array;
    size_t base = (size_t)(a.p - it->origin);
    if (i >= a.len || a.p[i] != ']') {
        *rc = malformed(err, base + i);
        return false;
    }
    size_t after = skip_ws(a, i + 1);
    if (after < a.len) {
        *rc = malformed(err, base + after);
        return false;
    }
    it->pos = i;
    return false;
}

bool idc_json_iter_next(struct idc_json_iter *it, struct idc_str *element, idc_err *rc,
                        struct idc_error *err)
{
    struct idc_str a = it->array;
    size_t i = skip_ws(a, it->pos);
    size_t base = (size_t)(a.p - it->origin);
    *rc = IDC_OK;
    if (it->pos == 0) {
        if (i >= a.len || a.p[i] != '[') {
            *rc = malformed(err, base + i);
            return false;
        }
        i = skip_ws(a, i + 1);
        if (i < a.len && a.p[i] == ']') {
            return iter_end(it, i, rc, err);
        }
    } else if (i < a.len && a.p[i] == ',') {
        i = skip_ws(a, i + 1);
    } else {
        return iter_end(it, i, rc, err);
    }
    struct fault f = {IDC_ERR_PARSE, 0};
    size_t end = skip_value(a, i, 1, &f); /* the array is the first level */
    if (end == 0) {
        *rc = report(err, &f, base);
        return false;
    }
    *element = idc_str_make(a.p + i, end - i);
    it->pos = end;
    return true;
}
