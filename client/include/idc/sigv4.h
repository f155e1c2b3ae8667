/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigv4.h - AWS Signature Version 4: signing (Authorization header or presigned query)
 * and verification of a received request. The rules are written down in
 * spec/sigv4/README.md. Nothing here allocates or does I/O: text goes into the
 * caller's work buffer, bounded tables live on the stack, the clock is an argument.
 */
#ifndef IDC_SIGV4_H
#define IDC_SIGV4_H

#include <stdbool.h>
#include <stdint.h>

#include "idc/api.h"
#include "idc/crypto.h"
#include "idc/error.h"
#include "idc/str.h"

IDC_BEGIN_DECLS

#define IDC_SIGV4_MAX_HEADERS      64     /* headers in one request, signed or not */
#define IDC_SIGV4_MAX_QUERY        128    /* query parameters, the presign ones included */
#define IDC_SIGV4_SECRET_MAX       128    /* bytes of a secret access key (AWS uses 40) */
#define IDC_SIGV4_NAME_MAX         64     /* bytes of a region or a service name */
#define IDC_SIGV4_MAX_EXPIRES      604800 /* seconds: the longest presigned URL AWS accepts */
#define IDC_SIGV4_WORK_SIZE        8192   /* a work buffer this large fits any ordinary request */
#define IDC_SIGV4_SIG_HEX_LEN      64
#define IDC_SIGV4_ALGORITHM        "AWS4-HMAC-SHA256"
#define IDC_SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"
#define IDC_SIGV4_EMPTY_SHA256     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* One header as sent: the name in any case, the value as on the wire (untrimmed). */
struct idc_sigv4_header {
    struct idc_str name;
    struct idc_str value;
};

/* The request to sign or verify. Every view is borrowed for the duration of the call. */
struct idc_sigv4_request {
    struct idc_str method;                  /* "GET", "POST", ... */
    struct idc_str path;                    /* as sent, before '?'; empty means "/" */
    struct idc_str query;                   /* as sent, after '?'; may be empty */
    const struct idc_sigv4_header *headers; /* must include Host */
    size_t header_count;                    /* at most IDC_SIGV4_MAX_HEADERS */
    const uint8_t *body;                    /* hashed unless the config gives signed_body */
    size_t body_len;
};

/* Splits a request target ("/path?query") into path and query. */
void idc_sigv4_request_set_target(struct idc_sigv4_request *req, struct idc_str target);

/* Credentials. The secret is only read; nothing keeps a copy except a key cache entry. */
struct idc_sigv4_credentials {
    struct idc_str access_key_id;
    struct idc_str secret_access_key;
    struct idc_str session_token; /* empty: none */
};

enum idc_sigv4_placement {
    IDC_SIGV4_IN_HEADERS, /* Authorization header */
    IDC_SIGV4_IN_QUERY,   /* presigned URL (X-Amz-Signature in the query) */
};

enum idc_sigv4_flags {
    IDC_SIGV4_DOUBLE_ENCODE = 1u << 0,      /* encode the path again: every service but S3 */
    IDC_SIGV4_NORMALIZE_PATH = 1u << 1,     /* drop empty and dot segments: every service but S3 */
    IDC_SIGV4_OMIT_SESSION_TOKEN = 1u << 2, /* add the token after signing, unsigned */
    IDC_SIGV4_CONTENT_SHA256 = 1u << 3, /* add and sign x-amz-content-sha256 (header placement) */
};

#define IDC_SIGV4_FLAGS_DEFAULT (IDC_SIGV4_DOUBLE_ENCODE | IDC_SIGV4_NORMALIZE_PATH)
#define IDC_SIGV4_FLAGS_S3      (IDC_SIGV4_CONTENT_SHA256)

struct idc_sigv4_key_cache;

/* How to sign. Zero-initialise, then set what you need. */
struct idc_sigv4_config {
    struct idc_str region;  /* e.g. "us-east-1"; no '/', ',', space or control bytes */
    struct idc_str service; /* signing name, e.g. "identitystore" */
    int64_t time;           /* signing time, seconds since the epoch (UTC) */
    unsigned flags;         /* enum idc_sigv4_flags; 0 means S3 rules without the header */
    enum idc_sigv4_placement placement;
    uint32_t expires;           /* query placement: X-Amz-Expires, 1..IDC_SIGV4_MAX_EXPIRES */
    struct idc_str signed_body; /* empty: hex SHA-256 of the body; else used verbatim
                                   (UNSIGNED-PAYLOAD or a precomputed hex hash) */
    struct idc_sigv4_key_cache *cache; /* optional signing-key cache; NULL derives each time */
};

/*
 * What signing produced. Views point into the work buffer (and for headers to add, into
 * the credentials): they live as long as both.
 */
struct idc_sigv4_result {
    struct idc_str canonical_request;
    struct idc_str string_to_sign;
    struct idc_str scope;          /* YYYYMMDD/region/service/aws4_request */
    struct idc_str signed_headers; /* "host;x-amz-date" */
    struct idc_str payload_hash;
    struct idc_str amz_date;        /* YYYYMMDDTHHMMSSZ */
    struct idc_str signature;       /* 64 lowercase hex digits */
    struct idc_str authorization;   /* header placement: the Authorization value */
    struct idc_str query;           /* query placement: the whole query string to send */
    struct idc_sigv4_header add[4]; /* headers the caller adds to the request, in order */
    size_t add_count;
};

/*
 * Signs `req`.
 *   cfg    in      region, service, time, flags, placement; see struct idc_sigv4_config
 *   creds  in      access key id, secret, optional session token
 *   req    in      the request as it will be sent
 *   work   in,out  caller's buffer for all text; IDC_SIGV4_WORK_SIZE fits ordinary requests
 *   out    out     views into `work`; valid until `work` is reused
 * A request that already carries X-Amz-Date keeps it: it must equal cfg->time. An existing
 * X-Amz-Security-Token or x-amz-content-sha256 is signed as is and not added again.
 * Returns IDC_ERR_SPACE (work too small), IDC_ERR_LIMIT (more than IDC_SIGV4_MAX_HEADERS
 * headers or IDC_SIGV4_MAX_QUERY query pairs), IDC_ERR_PARSE (bad percent escape in the
 * query), IDC_ERR_ARG (invalid config or credentials, no Host, already signed, a header name
 * that is empty or has a space, ',', ';' or a control byte).
 */
idc_err idc_sigv4_sign(const struct idc_sigv4_config *cfg,
                       const struct idc_sigv4_credentials *creds,
                       const struct idc_sigv4_request *req, struct idc_buf *work,
                       struct idc_sigv4_result *out, struct idc_error *err);

/*
 * Writes the canonical form of a raw query (the part after '?') into `out`: parameters
 * split on '&', each side percent-decoded then encoded again (unreserved bytes kept,
 * uppercase hex), sorted by key then value. A raw '+' is a literal plus and becomes %2B
 * (spec/sigv4/README.md, "Query string"). On failure `out->len` is unchanged.
 * Returns IDC_ERR_SPACE, IDC_ERR_LIMIT (more than IDC_SIGV4_MAX_QUERY pairs) or
 * IDC_ERR_PARSE (a '%' not followed by two hex digits).
 */
idc_err idc_sigv4_canonical_query(struct idc_str query, struct idc_buf *out, struct idc_error *err);

/* ---- signing-key cache -------------------------------------------------------------- */

#define IDC_SIGV4_CACHE_SLOTS 4

/*
 * Derived signing keys, keyed by (secret, date, region, service), with the HMAC pads
 * precomputed. Caller storage; not thread-safe (one per thread, or a lock around sign).
 * Holds secrets: call idc_sigv4_key_cache_cleanup() before it goes out of scope.
 */
struct idc_sigv4_key_cache {
    struct idc_sigv4_cache_slot {
        struct idc_hmac_key key;
        uint8_t secret[IDC_SIGV4_SECRET_MAX];
        size_t secret_len;
        char date[8];
        char region[IDC_SIGV4_NAME_MAX];
        size_t region_len;
        char service[IDC_SIGV4_NAME_MAX];
        size_t service_len;
        bool used;
    } slot[IDC_SIGV4_CACHE_SLOTS];
    unsigned next; /* slot replaced on the next miss */
    uint64_t hits;
    uint64_t misses;
};

void idc_sigv4_key_cache_init(struct idc_sigv4_key_cache *cache);
void idc_sigv4_key_cache_cleanup(struct idc_sigv4_key_cache *cache); /* wipes; NULL is fine */

/* ---- verification ------------------------------------------------------------------- */

/*
 * The authentication parts of a received request, from its Authorization header or its
 * presigned query. Views point into the request, or into `decoded` for query values.
 */
struct idc_sigv4_auth {
    enum idc_sigv4_placement placement;
    struct idc_str algorithm;
    struct idc_str access_key_id;
    struct idc_str scope; /* date/region/service/terminator */
    struct idc_str scope_date;
    struct idc_str scope_region;
    struct idc_str scope_service;
    struct idc_str scope_terminator; /* "aws4_request" when well formed */
    struct idc_str signed_headers;
    struct idc_str signature;
    struct idc_str amz_date;      /* X-Amz-Date header or query parameter */
    struct idc_str session_token; /* X-Amz-Security-Token, empty when absent */
    int64_t time;                 /* amz_date parsed */
    uint32_t expires;             /* query placement: X-Amz-Expires */
    char decoded[4096];           /* storage for percent-decoded query values (tokens run long) */
};

/*
 * Finds and parses the authentication parts of `req`.
 * Returns IDC_ERR_AUTH_MISSING when the request carries neither an Authorization header
 * nor X-Amz-Algorithm in its query, IDC_ERR_AUTH_MALFORMED when a part is missing or
 * malformed (the message says which, in AWS's words where AWS has them).
 */
idc_err idc_sigv4_auth_parse(const struct idc_sigv4_request *req, struct idc_sigv4_auth *auth,
                             struct idc_error *err);

/* How to verify. */
struct idc_sigv4_verify_opts {
    unsigned flags;   /* IDC_SIGV4_DOUBLE_ENCODE and/or IDC_SIGV4_NORMALIZE_PATH */
    int64_t now;      /* the verifier's clock, seconds since the epoch */
    int64_t max_skew; /* seconds X-Amz-Date may differ from `now`; 0 skips the check */
    struct idc_sigv4_key_cache *cache; /* optional */
};

/*
 * Recomputes the signature of `req` with `secret` and compares it in constant time.
 *   auth  in  from idc_sigv4_auth_parse (the caller looked up the secret by its key id)
 *   out   out the canonical request and string to sign the verifier computed, for
 *             explaining a mismatch; views into `work`
 * Returns IDC_ERR_EXPIRED (date outside the window, or a presigned URL past its expiry),
 * IDC_ERR_AUTH_MALFORMED (Host not among the signed headers: AWS calls that an incomplete
 * signature), IDC_ERR_SIGNATURE (mismatch, scope date not the X-Amz-Date day, a signed
 * header missing, x-amz-content-sha256 not the body's hash), IDC_ERR_SPACE,
 * IDC_ERR_LIMIT, IDC_ERR_PARSE.
 */
idc_err idc_sigv4_verify(const struct idc_sigv4_request *req, const struct idc_sigv4_auth *auth,
                         struct idc_str secret, const struct idc_sigv4_verify_opts *opts,
                         struct idc_buf *work, struct idc_sigv4_result *out, struct idc_error *err);

/*
 * Explains how two canonical requests differ: names the first differing part (method,
 * canonical URI, canonical query, a header by name, signed headers, payload hash) with
 * both lines, into `out` (NUL-terminated, cut with "..." when long). Returns false
 * when they are equal.
 */
bool idc_sigv4_explain_diff(struct idc_str expected, struct idc_str actual, char *out, size_t cap);

/* ---- raw HTTP request text --------------------------------------------------------- */

/* A request parsed from text; every view points into that text. */
struct idc_sigv4_parsed {
    struct idc_sigv4_request req;
    struct idc_str target;  /* path and query as in the request line */
    struct idc_str version; /* "HTTP/1.1" */
    struct idc_sigv4_header headers[IDC_SIGV4_MAX_HEADERS];
};

/*
 * Parses a raw HTTP/1.x request as the signing test suites write it: the request line is
 * split at its first and its last space (paths may hold spaces and UTF-8), then
 * `Name:value` lines (a line starting with a space or tab continues the previous value),
 * LF or CRLF endings, a blank line, then the body. With Content-Length the body is that
 * many bytes (a trailing newline left by an editor is dropped).
 * Returns IDC_ERR_PARSE naming the line at fault, IDC_ERR_LIMIT for too many headers.
 */
idc_err idc_sigv4_request_parse(struct idc_str text, struct idc_sigv4_parsed *out,
                                struct idc_error *err);

/* The first header named `name` (any case), or NULL. */
const struct idc_sigv4_header *idc_sigv4_find_header(const struct idc_sigv4_request *req,
                                                     struct idc_str name);

IDC_END_DECLS

#endif
