/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigv4_verify.c - the receiving side of SigV4: parse the Authorization header or the
 * presigned query, check the date window, recompute the signature with the same
 * canonicaliser the signer uses and compare in constant time. Messages follow AWS's
 * wording where AWS has one (spec/sigv4/README.md, "Verification").
 */
#include "idc/sigv4.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "timefmt.h"
#include "sigv4_int.h"

#define SIGNATURE_MISMATCH_TEXT                                                                    \
    "The request signature we calculated does not match the signature you provided. Check "        \
    "your AWS Secret Access Key and signing method. Consult the service documentation for "        \
    "details."

static int shown(size_t len)
{
    return (int)(len > 64 ? 64 : len);
}

/* Splits "AKID/date/region/service/terminator" into the auth's views. */
static idc_err split_credential(struct idc_str cred, struct idc_sigv4_auth *a,
                                struct idc_error *err)
{
    struct idc_str part[5], rest = cred;
    size_t n = 0;
    while (n < 5 && idc_str_next(&rest, '/', &part[n])) {
        n++;
    }
    /* exactly five parts: the fifth ends where the credential does (no "/" after it) */
    bool complete = n == 5 && part[4].p + part[4].len == cred.p + cred.len;
    if (!complete || part[0].len == 0 || part[1].len != 8 || part[2].len == 0 || part[3].len == 0) {
        return idc_error_set(err, IDC_ERR_AUTH_MALFORMED,
                             "Credential '%.*s' is malformed: expected <access key id>/"
                             "<YYYYMMDD>/<region>/<service>/aws4_request",
                             shown(cred.len), cred.p);
    }
    a->access_key_id = part[0];
    a->scope_date = part[1];
    a->scope_region = part[2];
    a->scope_service = part[3];
    a->scope_terminator = part[4];
    a->scope = idc_str_make(part[1].p, (size_t)(cred.p + cred.len - part[1].p));
    if (part[2].len > IDC_SIGV4_NAME_MAX || part[3].len > IDC_SIGV4_NAME_MAX) {
        return idc_error_set(err, IDC_ERR_AUTH_MALFORMED,
                             "Credential's %s is %zu bytes long, over the %d a region or a service "
                             "name has",
                             part[2].len > IDC_SIGV4_NAME_MAX ? "region" : "service",
                             part[2].len > IDC_SIGV4_NAME_MAX ? part[2].len : part[3].len,
                             IDC_SIGV4_NAME_MAX);
    }
    if (!idc_str_eq(part[4], IDC_STR("aws4_request"))) {
        return idc_error_set(err, IDC_ERR_AUTH_MALFORMED,
                             "Credential should be scoped with a valid terminator: "
                             "'aws4_request', not '%.*s'.",
                             shown(part[4].len), part[4].p);
    }
    return IDC_OK;
}

/* "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..." */
static idc_err parse_header_auth(struct idc_str value, struct idc_sigv4_auth *a,
                                 struct idc_error *err)
{
    value = idc_str_trim(value);
    const char *sp = idc_str_chr(value, ' ');
    a->algorithm = sp ? idc_str_make(value.p, (size_t)(sp - value.p)) : value;
    if (!idc_str_eq(a->algorithm, IDC_STR(IDC_SIGV4_ALGORITHM))) {
        return idc_error_set(err, IDC_ERR_AUTH_MALFORMED, "Unsupported AWS 'algorithm': '%.*s'",
                             shown(a->algorithm.len), a->algorithm.p);
    }
    struct idc_str rest = sp ? idc_str_make(sp + 1, value.len - a->algorithm.len - 1)
                             : idc_str_make(value.p + value.len, 0);
    struct idc_str cred = {0}, pair, key, val;
    while (idc_str_next(&rest, ',', &pair)) {
        pair = idc_str_trim(pair);
        if (pair.len == 0) {
            continue;
        }
        if (!idc_str_split(pair, '=', &key, &val)) {
            return idc_error_set(err, IDC_ERR_AUTH_MALFORMED,
                                 "'%.*s' not a valid key=value pair (missing equal-sign) in "
                                 "Authorization header",
                                 shown(pair.len), pair.p);
        }
        if (idc_str_eq(key, IDC_STR("Credential"))) {
            cred = val;
        } else if (idc_str_eq(key, IDC_STR("SignedHeaders"))) {
            a->signed_headers = val;
        } else if (idc_str_eq(key, IDC_STR("Signature"))) {
            a->signature = val;
        }
    }
    if (cred.len == 0 || a->signed_headers.len == 0 || a->signature.len == 0) {
        return idc_error_set(
            err, IDC_ERR_AUTH_MALFORMED, "%s%s%s",
            cred.len ? "" : "Authorization header requires 'Credential' parameter. ",
            a->signature.len ? "" : "Authorization header requires 'Signature' parameter. ",
            a->signed_headers.len ? ""
                                  : "Authorization header requires 'SignedHeaders' parameter.");
    }
    return split_credential(cred, a, err);
}

/* Decodes one query value into the auth's storage. */
static bool keep_decoded(struct idc_sigv4_auth *a, size_t *used, struct idc_str raw,
                         struct idc_str *out)
{
    size_t len;
    if (!idc_sigv4_query_decode(raw, a->decoded + *used, sizeof a->decoded - *used, &len)) {
        return false;
    }
    *out = idc_str_make(a->decoded + *used, len);
    *used += len;
    return true;
}

/* The presigned query's authentication parameters; the order of AWS's message. */
enum query_auth_param {
    QUERY_ALGORITHM,
    QUERY_CREDENTIAL,
    QUERY_DATE,
    QUERY_SIGNED_HEADERS,
    QUERY_SIGNATURE,
    QUERY_EXPIRES,
    QUERY_TOKEN, /* optional, so last */
    QUERY_AUTH_COUNT
};

static idc_err parse_query_auth(struct idc_str query, struct idc_sigv4_auth *a,
                                struct idc_error *err)
{
    static const char *const names[QUERY_AUTH_COUNT] = {
        [QUERY_ALGORITHM] = "X-Amz-Algorithm",
        [QUERY_CREDENTIAL] = "X-Amz-Credential",
        [QUERY_DATE] = "X-Amz-Date",
        [QUERY_SIGNED_HEADERS] = "X-Amz-SignedHeaders",
        [QUERY_SIGNATURE] = "X-Amz-Signature",
        [QUERY_EXPIRES] = "X-Amz-Expires",
        [QUERY_TOKEN] = "X-Amz-Security-Token",
    };
    struct idc_str vals[QUERY_AUTH_COUNT] = {{0}};
    bool seen[QUERY_AUTH_COUNT] = {false};
    size_t used = 0;
    struct idc_str rest = query, part, key, raw;
    while (idc_str_next(&rest, '&', &part)) {
        idc_str_split(part, '=', &key, &raw);
        for (size_t k = 0; k < QUERY_AUTH_COUNT; k++) {
            if (!seen[k] && idc_str_eq(key, idc_str_c(names[k]))) {
                if (!keep_decoded(a, &used, raw, &vals[k])) {
                    return idc_error_set(err, IDC_ERR_AUTH_MALFORMED,
                                         "query parameter %s has a bad percent escape or is too "
                                         "long",
                                         names[k]);
                }
                seen[k] = true;
            }
        }
    }
    bool complete = true; /* every parameter but the optional token */
    for (size_t k = 0; k < QUERY_TOKEN; k++) {
        complete &= seen[k];
    }
    if (!complete) {
        return idc_error_set(err, IDC_ERR_AUTH_MALFORMED,
                             "Query-string authentication version 4 requires the "
                             "X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, "
                             "X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
    }
    a->algorithm = vals[QUERY_ALGORITHM];
    a->amz_date = vals[QUERY_DATE];
    a->signed_headers = vals[QUERY_SIGNED_HEADERS];
    a->signature = vals[QUERY_SIGNATURE];
    a->session_token = vals[QUERY_TOKEN];
    if (!idc_str_eq(a->algorithm, IDC_STR(IDC_SIGV4_ALGORITHM))) {
        return idc_error_set(err, IDC_ERR_AUTH_MALFORMED,
                             "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
    }
    unsigned long expires = 0;
    char digits[16];
    struct idc_str expires_text = vals[QUERY_EXPIRES];
    if (expires_text.len == 0 || expires_text.len >= sizeof digits ||
        idc_str_copy(expires_text, digits, sizeof digits, "X-Amz-Expires", NULL) != IDC_OK ||
        digits[strspn(digits, "0123456789")] != '\0' ||
        (expires = strtoul(digits, NULL, 10)) > IDC_SIGV4_MAX_EXPIRES) {
        return idc_error_set(err, IDC_ERR_AUTH_MALFORMED,
                             "X-Amz-Expires must be a number of seconds up to %d (one week)",
                             IDC_SIGV4_MAX_EXPIRES);
    }
    a->expires = (uint32_t)expires;
    return split_credential(vals[QUERY_CREDENTIAL], a, err);
}

static bool query_has_algorithm(struct idc_str query)
{
    for (struct idc_str rest = query, part; idc_str_next(&rest, '&', &part);) {
        if (idc_str_starts_with(part, IDC_STR("X-Amz-Algorithm="))) {
            return true;
        }
    }
    return false;
}

idc_err idc_sigv4_auth_parse(const struct idc_sigv4_request *req, struct idc_sigv4_auth *auth,
                             struct idc_error *err)
{
    memset(auth, 0, offsetof(struct idc_sigv4_auth, decoded));
    struct idc_sigv4_special sp;
    idc_sigv4_find_special(req, &sp);
    idc_err rc;
    if (sp.authorization != NULL) {
        auth->placement = IDC_SIGV4_IN_HEADERS;
        rc = parse_header_auth(sp.authorization->value, auth, err);
    } else if (query_has_algorithm(req->query)) {
        auth->placement = IDC_SIGV4_IN_QUERY;
        rc = parse_query_auth(req->query, auth, err);
    } else {
        return idc_error_set(err, IDC_ERR_AUTH_MISSING, "Missing Authentication Token");
    }
    if (rc) {
        return rc;
    }
    if (auth->placement == IDC_SIGV4_IN_HEADERS) {
        const struct idc_sigv4_header *d = sp.date, *t = sp.token;
        if (d == NULL) {
            return idc_error_set(err, IDC_ERR_AUTH_MALFORMED,
                                 "Authorization header requires existence of an 'X-Amz-Date' "
                                 "header (a 'Date' header is not supported here).");
        }
        auth->amz_date = idc_str_trim(d->value);
        auth->session_token = t ? idc_str_trim(t->value) : IDC_STR("");
    }
    if (idc_time_parse_amz(auth->amz_date, &auth->time, NULL) != IDC_OK) {
        return idc_error_set(err, IDC_ERR_AUTH_MALFORMED,
                             "Date must be in ISO-8601 'basic format'. Got '%.*s'.",
                             shown(auth->amz_date.len), auth->amz_date.p);
    }
    return IDC_OK;
}

/* ---- verification ------------------------------------------------------------------- */

static void window_text(int64_t seconds, char *out, size_t cap)
{
    if (seconds % 60 == 0) {
        snprintf(out, cap, "%lld min.", (long long)(seconds / 60));
    } else {
        snprintf(out, cap, "%lld s.", (long long)seconds);
    }
}

/* AWS's own wording for requests outside the window (reference: aws-protocols.md 1.5). */
static idc_err check_time(const struct idc_sigv4_auth *a, const struct idc_sigv4_verify_opts *o,
                          struct idc_error *err)
{
    char date[IDC_TIME_AMZ_LEN + 1], now[IDC_TIME_AMZ_LEN + 1], edge[IDC_TIME_AMZ_LEN + 1];
    char window[32];
    idc_time_format_amz(a->time, date);
    idc_time_format_amz(o->now, now);
    window_text(o->max_skew, window, sizeof window);
    if (a->placement == IDC_SIGV4_IN_QUERY && o->now > a->time + (int64_t)a->expires) {
        return idc_error_set(err, IDC_ERR_EXPIRED,
                             "Request has expired: signed at %s for %u s, now %s", date, a->expires,
                             now);
    }
    if (o->max_skew <= 0) {
        return IDC_OK;
    }
    if (a->placement == IDC_SIGV4_IN_HEADERS && a->time < o->now - o->max_skew) {
        idc_time_format_amz(o->now - o->max_skew, edge);
        return idc_error_set(err, IDC_ERR_EXPIRED,
                             "Signature expired: %s is now earlier than %s (%s - %s)", date, edge,
                             now, window);
    }
    if (a->time > o->now + o->max_skew) {
        idc_time_format_amz(o->now + o->max_skew, edge);
        return idc_error_set(err, IDC_ERR_EXPIRED,
                             "Signature not yet current: %s is still later than %s (%s + %s)", date,
                             edge, now, window);
    }
    return IDC_OK;
}

static bool is_hex64(struct idc_str s)
{
    if (s.len != IDC_SHA256_HEX_LEN) {
        return false;
    }
    for (size_t i = 0; i < s.len; i++) {
        if (idc_hex_value((unsigned char)s.p[i]) < 0) {
            return false;
        }
    }
    return true;
}

/* The payload hash the client must have signed; checks a declared hash against the body. */
static idc_err verify_payload(const struct idc_sigv4_request *req, const struct idc_sigv4_auth *a,
                              struct idc_sigv4_writer *w, struct idc_str *hash,
                              struct idc_error *err)
{
    *hash = idc_sigv4_body_hash(req, w);
    if (!idc_sigv4_list_has(a->signed_headers, IDC_STR("x-amz-content-sha256"))) {
        return idc_sigv4_writer_error(w, err);
    }
    struct idc_sigv4_special sp;
    idc_sigv4_find_special(req, &sp);
    const struct idc_sigv4_header *h = sp.content_sha256;
    if (h == NULL) {
        return IDC_OK; /* reported as a missing signed header by the canonicaliser */
    }
    struct idc_str declared = idc_str_trim(h->value);
    if (is_hex64(declared) && !idc_str_eq(declared, *hash)) {
        return idc_error_set(err, IDC_ERR_SIGNATURE,
                             "The provided 'x-amz-content-sha256' header does not match what "
                             "was computed.");
    }
    *hash = declared;
    return idc_sigv4_writer_error(w, err);
}

static idc_err check_scope(const struct idc_sigv4_auth *a, struct idc_error *err)
{
    if (!idc_str_starts_with(a->amz_date, a->scope_date)) {
        return idc_error_set(err, IDC_ERR_SIGNATURE,
                             "Date in Credential scope does not match YYYYMMDD from ISO-8601 "
                             "version of date from HTTP: '" IDC_STR_FMT
                             "' != '%.8s', from '" IDC_STR_FMT "'.",
                             IDC_STR_ARG(a->scope_date), a->amz_date.p, IDC_STR_ARG(a->amz_date));
    }
    if (!idc_sigv4_list_has(a->signed_headers, IDC_STR("host"))) {
        return idc_error_set(err, IDC_ERR_AUTH_MALFORMED,
                             "'Host' or ':authority' must be a 'SignedHeader' in the AWS "
                             "Authorization.");
    }
    return IDC_OK;
}

idc_err idc_sigv4_verify(const struct idc_sigv4_request *req, const struct idc_sigv4_auth *auth,
                         struct idc_str secret, const struct idc_sigv4_verify_opts *opts,
                         struct idc_buf *work, struct idc_sigv4_result *out, struct idc_error *err)
{
    if (req == NULL || auth == NULL || opts == NULL || work == NULL || out == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "idc_sigv4_verify: a required argument is NULL");
    }
    if (secret.len == 0 || secret.len > IDC_SIGV4_SECRET_MAX) {
        return idc_error_set(err, IDC_ERR_ARG, "secret access key is empty or longer than %d bytes",
                             IDC_SIGV4_SECRET_MAX);
    }
    memset(out, 0, sizeof *out);
    idc_err rc = check_time(auth, opts, err);
    if (rc == IDC_OK) {
        rc = check_scope(auth, err);
    }
    if (rc) {
        return rc;
    }
    struct idc_sigv4_writer w = {.p = work->p + work->len, .cap = work->cap - work->len};
    rc = verify_payload(req, auth, &w, &out->payload_hash, err);
    if (rc) {
        return rc;
    }
    struct idc_sigv4_canon canon = {
        .req = req,
        .flags = opts->flags,
        .only_signed = auth->signed_headers,
        .drop_signature_param = auth->placement == IDC_SIGV4_IN_QUERY,
        .payload_hash = out->payload_hash,
    };
    out->amz_date = auth->amz_date;
    out->scope = auth->scope;
    rc =
        idc_sigv4_canonical_request(&canon, &w, &out->signed_headers, &out->canonical_request, err);
    if (rc == IDC_OK) {
        rc = idc_sigv4_string_and_signature(out->canonical_request, auth->amz_date, auth->scope,
                                            secret, auth->scope_region, auth->scope_service,
                                            opts->cache, &w, out, err);
    }
    if (rc) {
        return rc;
    }
    work->len += w.len;
    bool match = auth->signature.len == out->signature.len &&
                 idc_ct_eq(auth->signature.p, out->signature.p, out->signature.len);
    if (!match) {
        return idc_error_set(err, IDC_ERR_SIGNATURE, SIGNATURE_MISMATCH_TEXT);
    }
    return IDC_OK;
}

/* ---- explaining a difference -------------------------------------------------------- */

static struct idc_str line_at(struct idc_str s, size_t *pos, bool *more)
{
    size_t i = *pos;
    const char *nl = i < s.len ? memchr(s.p + i, '\n', s.len - i) : NULL;
    size_t end = nl ? (size_t)(nl - s.p) : s.len;
    *more = nl != NULL;
    *pos = nl ? end + 1 : s.len;
    return idc_str_make(s.p + i, end - i);
}

/* Names a canonical-request line from its index and the position of the blank line. */
static void part_name(size_t index, size_t blank, struct idc_str line, char *out, size_t cap)
{
    static const char *const fixed[] = {"method", "canonical URI", "canonical query string"};
    if (index < 3) {
        snprintf(out, cap, "%s", fixed[index]);
    } else if (blank == 0 || index < blank) {
        const char *colon = idc_str_chr(line, ':');
        int n = colon ? (int)(colon - line.p) : shown(line.len);
        snprintf(out, cap, "canonical header '%.*s'", n, line.p);
    } else if (index == blank) {
        snprintf(out, cap, "end of canonical headers");
    } else if (index == blank + 1) {
        snprintf(out, cap, "signed headers");
    } else {
        snprintf(out, cap, "payload hash");
    }
}

bool idc_sigv4_explain_diff(struct idc_str expected, struct idc_str actual, char *out, size_t cap)
{
    if (cap > 0) {
        out[0] = '\0';
    }
    if (idc_str_eq(expected, actual)) {
        return false;
    }
    size_t pe = 0, pa = 0, index = 0, blank = 0;
    bool more_e = true, more_a = true;
    int n = -1;
    while (more_e || more_a) {
        struct idc_str le = more_e ? line_at(expected, &pe, &more_e) : IDC_STR("");
        struct idc_str la = more_a ? line_at(actual, &pa, &more_a) : IDC_STR("");
        if (blank == 0 && index >= 3 && le.len == 0) {
            blank = index;
        }
        if (!idc_str_eq(le, la)) {
            char part[96];
            part_name(index, blank, le.len ? le : la, part, sizeof part);
            size_t col = 0;
            while (col < le.len && col < la.len && le.p[col] == la.p[col]) {
                col++;
            }
            /* Show each line from a little before the first differing byte. */
            size_t from = col > 24 ? col - 24 : 0;
            const char *dots = from ? "..." : "";
            n = snprintf(out, cap,
                         "%s differs (line %zu, column %zu): expected '%s%.*s', got '%s%.*s'", part,
                         index + 1, col + 1, dots, shown(le.len - from), le.p + from, dots,
                         shown(la.len - from), la.p + from);
            break;
        }
        index++;
    }
    if (n < 0) {
        n = snprintf(out, cap,
                     "texts differ only in a final line break (expected %zu bytes, "
                     "got %zu)",
                     expected.len, actual.len);
    }
    if (n >= 0 && (size_t)n >= cap && cap > 4) {
        memcpy(out + cap - 4, "...", 4);
    }
    return true;
}
