/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigv4_int.h - what sigv4.c shares with sigv4_verify.c: the canonical-request builder,
 * the string to sign and signature step, key derivation, and the one-pass lookup of the
 * headers SigV4 treats specially. Not a public API.
 */
#ifndef IDC_SIGV4_INT_H
#define IDC_SIGV4_INT_H

#include <string.h>

#include "idc/sigv4.h"

/*
 * A writer over the caller's work buffer with a sticky "full" flag: stages append freely
 * and the caller checks once, so no stage needs an error path of its own.
 */
struct idc_sigv4_writer {
    char *p;
    size_t len;
    size_t cap;
    bool full;
    size_t wanted; /* bytes a failed reservation asked for, for the error message */
};

/* A query parameter given unencoded (presign parameters): encoded, never decoded. */
struct idc_sigv4_param {
    struct idc_str name;
    struct idc_str value;
};

/* Everything the canonical request is built from. */
struct idc_sigv4_canon {
    const struct idc_sigv4_request *req;
    unsigned flags;             /* DOUBLE_ENCODE, NORMALIZE_PATH */
    struct idc_str only_signed; /* verify: the SignedHeaders list; empty: signer's choice */
    const struct idc_sigv4_header *extra; /* headers the signer adds (X-Amz-Date, ...) */
    size_t extra_count;
    const struct idc_sigv4_param *params; /* presign parameters added to the query */
    size_t param_count;
    bool drop_signature_param; /* verify presigned: leave X-Amz-Signature out */
    struct idc_str payload_hash;
};

/* The headers signing and verification treat specially; NULL when absent. */
struct idc_sigv4_special {
    const struct idc_sigv4_header *host;
    const struct idc_sigv4_header *authorization;
    const struct idc_sigv4_header *date;
    const struct idc_sigv4_header *token;
    const struct idc_sigv4_header *content_sha256;
};

/*
 * Finds them in one pass over `req`'s headers, by any case; the first of a repeated name
 * wins, as in idc_sigv4_find_header. No heap: verification runs it on every request.
 * Inline, so signing keeps the loop in its own body as when it was sigv4.c's alone.
 */
static inline void idc_sigv4_find_special(const struct idc_sigv4_request *req,
                                          struct idc_sigv4_special *sp)
{
    *sp = (struct idc_sigv4_special){0};
    for (size_t i = req->header_count; i-- > 0;) { /* backwards: the first one wins */
        const struct idc_sigv4_header *h = &req->headers[i];
        switch (h->name.len) {
        case 4:
            sp->host = idc_str_eq_nocase(h->name, IDC_STR("host")) ? h : sp->host;
            break;
        case 10:
            sp->date = idc_str_eq_nocase(h->name, IDC_STR("x-amz-date")) ? h : sp->date;
            break;
        case 13:
            sp->authorization =
                idc_str_eq_nocase(h->name, IDC_STR("authorization")) ? h : sp->authorization;
            break;
        case 20:
            if (idc_str_eq_nocase(h->name, IDC_STR("x-amz-security-token"))) {
                sp->token = h;
            } else if (idc_str_eq_nocase(h->name, IDC_STR("x-amz-content-sha256"))) {
                sp->content_sha256 = h;
            }
            break;
        default:
            break;
        }
    }
}

/* Builds the signed-headers list and the canonical request into `w`; fills the two views. */
idc_err idc_sigv4_canonical_request(const struct idc_sigv4_canon *in, struct idc_sigv4_writer *w,
                                    struct idc_str *signed_headers, struct idc_str *creq,
                                    struct idc_error *err);

/* The signed-headers list alone (presign needs it before the query is built). */
idc_err idc_sigv4_signed_headers(const struct idc_sigv4_canon *in, struct idc_sigv4_writer *w,
                                 struct idc_str *signed_headers, struct idc_error *err);

/*
 * Writes the string to sign for `creq` and computes the signature with the key for
 * (secret, scope date, region, service), from `cache` when given. Fills
 * out->string_to_sign and out->signature (64 hex digits in `w`).
 */
idc_err idc_sigv4_string_and_signature(struct idc_str creq, struct idc_str amz_date,
                                       struct idc_str scope, struct idc_str secret,
                                       struct idc_str region, struct idc_str service,
                                       struct idc_sigv4_key_cache *cache,
                                       struct idc_sigv4_writer *w, struct idc_sigv4_result *out,
                                       struct idc_error *err);

/* Appends `n` bytes, or marks the writer full (nothing written) when they do not fit. */
static inline void idc_sigv4_writer_put(struct idc_sigv4_writer *w, const void *data, size_t n)
{
    if (n == 0) {
        return; /* data may be NULL for an empty view */
    }
    if (w->full || n > w->cap - w->len) {
        if (!w->full) {
            w->wanted = w->len + n;
        }
        w->full = true;
        return;
    }
    memcpy(w->p + w->len, data, n);
    w->len += n;
}

struct idc_str idc_sigv4_writer_view(const struct idc_sigv4_writer *w, size_t from);
idc_err idc_sigv4_writer_error(const struct idc_sigv4_writer *w, struct idc_error *err);

/* Appends `s` URI-encoded: every byte but the unreserved ones becomes %XX. */
void idc_sigv4_put_encoded(struct idc_sigv4_writer *w, struct idc_str s);

/* Hex SHA-256 of the body into `w`. */
struct idc_str idc_sigv4_body_hash(const struct idc_sigv4_request *req, struct idc_sigv4_writer *w);

/* Percent-decodes a query component into `out`; false on a bad escape or no room. */
bool idc_sigv4_query_decode(struct idc_str in, char *out, size_t cap, size_t *len);

/* True when `name` is in the ';'-separated SignedHeaders list `list` (any case). */
bool idc_sigv4_list_has(struct idc_str list, struct idc_str name);

#endif
