/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigv4_verify.c - fuzz target: a raw HTTP request as the signing suites write it, parsed
 * (idc_sigv4_request_parse), its Authorization header or presigned query parsed
 * (idc_sigv4_auth_parse) and verified with a fixed secret under both path rules; the
 * canonical query on its own. A request without authentication is signed (Authorization
 * header, then presigned query), then verified, and that round trip must succeed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "idc/sigv4.h"

#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define KEY_ID "AKIDEXAMPLE"
#define NOW    1440938160 /* 20150830T123600Z, the suites' date */

static void verify_both_ways(const struct idc_sigv4_request *req, const struct idc_sigv4_auth *a,
                             struct idc_sigv4_key_cache *cache)
{
    static const unsigned flags[] = {IDC_SIGV4_FLAGS_DEFAULT, 0};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        static char work[IDC_SIGV4_WORK_SIZE];
        struct idc_buf w = IDC_BUF(work);
        struct idc_sigv4_verify_opts o = {
            .flags = flags[i], .now = a->time, .max_skew = 300, .cache = cache};
        struct idc_sigv4_result out;
        struct idc_error err = {0};
        idc_err rc = idc_sigv4_verify(req, a, IDC_STR(SECRET), &o, &w, &out, &err);
        if (rc == IDC_ERR_SIGNATURE && out.canonical_request.len > 0) {
            char diff[512];
            idc_sigv4_explain_diff(out.canonical_request, out.string_to_sign, diff, sizeof diff);
        }
    }
}

/* Parses and verifies a request this file signed; any failure is a bug. */
static void verify_signed(const struct idc_sigv4_request *req, struct idc_sigv4_key_cache *cache,
                          const char *how)
{
    static struct idc_sigv4_auth a;
    static char work[IDC_SIGV4_WORK_SIZE];
    struct idc_buf w = IDC_BUF(work);
    struct idc_sigv4_verify_opts o = {.flags = IDC_SIGV4_FLAGS_DEFAULT, .now = NOW, .cache = cache};
    struct idc_sigv4_result v;
    struct idc_error err = {0};
    idc_err rc = idc_sigv4_auth_parse(req, &a, &err);
    if (rc == IDC_OK) {
        rc = idc_sigv4_verify(req, &a, IDC_STR(SECRET), &o, &w, &v, &err);
    }
    if (rc != IDC_OK) {
        fprintf(stderr, "a request signed here (%s) does not verify: %s: %s\n", how,
                idc_err_name(rc), err.msg);
        abort();
    }
}

/*
 * Signs `p` (which carries no authentication) with `placement`, adds what signing produced
 * (headers, or the presigned query), and verifies the result.
 */
static void round_trip(const struct idc_sigv4_parsed *p, enum idc_sigv4_placement placement,
                       struct idc_sigv4_key_cache *cache)
{
    static char work[IDC_SIGV4_WORK_SIZE];
    struct idc_buf w = IDC_BUF(work);
    struct idc_sigv4_config cfg = {
        .region = IDC_STR("us-east-1"),
        .service = IDC_STR("service"),
        .time = NOW,
        .flags = IDC_SIGV4_FLAGS_DEFAULT,
        .placement = placement,
        .expires = 900,
        .cache = cache,
    };
    struct idc_sigv4_credentials creds = {IDC_STR(KEY_ID), IDC_STR(SECRET), IDC_STR("")};
    struct idc_sigv4_result s;
    struct idc_error err = {0};
    if (idc_sigv4_sign(&cfg, &creds, &p->req, &w, &s, &err) != IDC_OK) {
        return;
    }
    if (p->req.header_count + s.add_count + 1 > IDC_SIGV4_MAX_HEADERS) {
        return;
    }
    struct idc_sigv4_header h[IDC_SIGV4_MAX_HEADERS];
    memcpy(h, p->req.headers, p->req.header_count * sizeof h[0]);
    size_t n = p->req.header_count;
    for (size_t i = 0; i < s.add_count; i++) {
        h[n++] = s.add[i];
    }
    struct idc_sigv4_request signed_req = p->req;
    if (placement == IDC_SIGV4_IN_HEADERS) {
        h[n++] = (struct idc_sigv4_header){IDC_STR("Authorization"), s.authorization};
    } else {
        signed_req.query = s.query;
    }
    signed_req.headers = h;
    signed_req.header_count = n;
    verify_signed(&signed_req, cache, placement == IDC_SIGV4_IN_HEADERS ? "header" : "query");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT) {
        return 0;
    }
    static struct idc_sigv4_parsed p;
    static struct idc_sigv4_auth a;
    struct idc_error err = {0};
    if (idc_sigv4_request_parse(idc_str_make((const char *)data, size), &p, &err) != IDC_OK) {
        return 0;
    }
    static char qbuf[IDC_SIGV4_WORK_SIZE];
    struct idc_buf q = IDC_BUF(qbuf);
    idc_sigv4_canonical_query(p.req.query, &q, &err);

    struct idc_sigv4_key_cache cache;
    idc_sigv4_key_cache_init(&cache);
    idc_err rc = idc_sigv4_auth_parse(&p.req, &a, &err);
    if (rc == IDC_OK) {
        verify_both_ways(&p.req, &a, &cache);
    } else if (rc == IDC_ERR_AUTH_MISSING) {
        round_trip(&p, IDC_SIGV4_IN_HEADERS, &cache);
        round_trip(&p, IDC_SIGV4_IN_QUERY, &cache);
    }
    idc_sigv4_key_cache_cleanup(&cache);
    return 0;
}
