/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sigv4.c - signing: validation of the config, the headers or query parameters SigV4
 * adds, string to sign, signing key (with its cache) and the Authorization value.
 * No heap: text goes into the caller's work buffer, tables live on the stack.
 */
#include "idc/sigv4.h"

#include <stdio.h>
#include <string.h>

#include "timefmt.h"
#include "sigv4_int.h"

void idc_sigv4_request_set_target(struct idc_sigv4_request *req, struct idc_str target)
{
    const char *q = idc_str_chr(target, '?');
    if (q == NULL) {
        req->path = target;
        req->query = idc_str_make(target.p + target.len, 0);
        return;
    }
    req->path = idc_str_make(target.p, (size_t)(q - target.p));
    req->query = idc_str_make(q + 1, target.len - req->path.len - 1);
}

const struct idc_sigv4_header *idc_sigv4_find_header(const struct idc_sigv4_request *req,
                                                     struct idc_str name)
{
    for (size_t i = 0; i < req->header_count; i++) {
        if (idc_str_eq_nocase(req->headers[i].name, name)) {
            return &req->headers[i];
        }
    }
    return NULL;
}

/* ---- key cache and derivation ------------------------------------------------------- */

void idc_sigv4_key_cache_init(struct idc_sigv4_key_cache *cache)
{
    memset(cache, 0, sizeof *cache);
}

void idc_sigv4_key_cache_cleanup(struct idc_sigv4_key_cache *cache)
{
    if (cache != NULL) {
        idc_wipe(cache, sizeof *cache);
    }
}

/* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request") */
static void derive_key(struct idc_str secret, struct idc_str date, struct idc_str region,
                       struct idc_str service, struct idc_hmac_key *out)
{
    uint8_t k[4 + IDC_SIGV4_SECRET_MAX];
    uint8_t mac[IDC_SHA256_LEN];
    struct idc_hmac_key hk;
    memcpy(k, "AWS4", 4);
    memcpy(k + 4, secret.p, secret.len);
    idc_hmac_key_init(&hk, k, 4 + secret.len);
    idc_hmac_sha256(&hk, date.p, date.len, mac);
    idc_hmac_key_init(&hk, mac, sizeof mac);
    idc_hmac_sha256(&hk, region.p, region.len, mac);
    idc_hmac_key_init(&hk, mac, sizeof mac);
    idc_hmac_sha256(&hk, service.p, service.len, mac);
    idc_hmac_key_init(&hk, mac, sizeof mac);
    idc_hmac_sha256(&hk, "aws4_request", 12, mac);
    idc_hmac_key_init(out, mac, sizeof mac);
    idc_wipe(k, sizeof k);
    idc_wipe(mac, sizeof mac);
    idc_hmac_key_wipe(&hk);
}

static bool slot_matches(const struct idc_sigv4_cache_slot *s, struct idc_str secret,
                         struct idc_str date, struct idc_str region, struct idc_str service)
{
    return s->used && memcmp(s->date, date.p, 8) == 0 &&
           idc_str_eq(idc_str_make(s->region, s->region_len), region) &&
           idc_str_eq(idc_str_make(s->service, s->service_len), service) &&
           s->secret_len == secret.len && idc_ct_eq(s->secret, secret.p, secret.len);
}

/* The signing key for the scope, from the cache when it holds it; derived otherwise. */
static const struct idc_hmac_key *signing_key(struct idc_sigv4_key_cache *cache,
                                              struct idc_str secret, struct idc_str date,
                                              struct idc_str region, struct idc_str service,
                                              struct idc_hmac_key *scratch)
{
    /* a scope the cache's slots cannot hold (a verifier reads it from the request) is
     * derived each time, never copied into a slot */
    if (cache == NULL || secret.len > IDC_SIGV4_SECRET_MAX || region.len > IDC_SIGV4_NAME_MAX ||
        service.len > IDC_SIGV4_NAME_MAX) {
        derive_key(secret, date, region, service, scratch);
        return scratch;
    }
    for (size_t i = 0; i < IDC_SIGV4_CACHE_SLOTS; i++) {
        if (slot_matches(&cache->slot[i], secret, date, region, service)) {
            cache->hits++;
            return &cache->slot[i].key;
        }
    }
    cache->misses++;
    struct idc_sigv4_cache_slot *s = &cache->slot[cache->next];
    cache->next = (cache->next + 1) % IDC_SIGV4_CACHE_SLOTS;
    idc_wipe(s, sizeof *s);
    derive_key(secret, date, region, service, &s->key);
    memcpy(s->secret, secret.p, secret.len);
    s->secret_len = secret.len;
    memcpy(s->date, date.p, 8);
    memcpy(s->region, region.p, region.len);
    s->region_len = region.len;
    memcpy(s->service, service.p, service.len);
    s->service_len = service.len;
    s->used = true;
    return &s->key;
}

idc_err idc_sigv4_string_and_signature(struct idc_str creq, struct idc_str amz_date,
                                       struct idc_str scope, struct idc_str secret,
                                       struct idc_str region, struct idc_str service,
                                       struct idc_sigv4_key_cache *cache,
                                       struct idc_sigv4_writer *w, struct idc_sigv4_result *out,
                                       struct idc_error *err)
{
    char creq_hash[IDC_SHA256_HEX_LEN];
    idc_sha256_hex(creq.p, creq.len, creq_hash);
    size_t start = w->len;
    idc_sigv4_writer_put(w, IDC_SIGV4_ALGORITHM "\n", sizeof IDC_SIGV4_ALGORITHM);
    idc_sigv4_writer_put(w, amz_date.p, amz_date.len);
    idc_sigv4_writer_put(w, "\n", 1);
    idc_sigv4_writer_put(w, scope.p, scope.len);
    idc_sigv4_writer_put(w, "\n", 1);
    idc_sigv4_writer_put(w, creq_hash, sizeof creq_hash);
    out->string_to_sign = idc_sigv4_writer_view(w, start);
    idc_err rc = idc_sigv4_writer_error(w, err);
    if (rc) {
        return rc;
    }
    struct idc_hmac_key scratch;
    uint8_t mac[IDC_SHA256_LEN];
    const struct idc_hmac_key *key =
        signing_key(cache, secret, idc_str_make(scope.p, 8), region, service, &scratch);
    idc_hmac_sha256(key, out->string_to_sign.p, out->string_to_sign.len, mac);
    if (key == &scratch) {
        idc_hmac_key_wipe(&scratch);
    }
    char hex[IDC_SIGV4_SIG_HEX_LEN];
    idc_hex_lower(mac, sizeof mac, hex);
    start = w->len;
    idc_sigv4_writer_put(w, hex, sizeof hex);
    out->signature = idc_sigv4_writer_view(w, start);
    return idc_sigv4_writer_error(w, err);
}

struct idc_str idc_sigv4_body_hash(const struct idc_sigv4_request *req, struct idc_sigv4_writer *w)
{
    char hex[IDC_SHA256_HEX_LEN];
    idc_sha256_hex(req->body_len ? req->body : (const uint8_t *)"", req->body_len, hex);
    size_t start = w->len;
    idc_sigv4_writer_put(w, hex, sizeof hex);
    return idc_sigv4_writer_view(w, start);
}

/* ---- validation --------------------------------------------------------------------- */

/*
 * Scope parts end up between '/' in the credential and inside a header: printable ASCII
 * without space, '/', ',', ';' or '='. One table load per byte.
 */
static const uint8_t plain_byte[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static bool plain_name(struct idc_str s)
{
    if (s.len == 0 || s.len > IDC_SIGV4_NAME_MAX) {
        return false;
    }
    unsigned ok = 1;
    for (size_t i = 0; i < s.len; i++) {
        ok &= plain_byte[(unsigned char)s.p[i]];
    }
    return ok != 0;
}

static bool has_line_break(struct idc_str s)
{
    return idc_str_chr(s, '\n') != NULL || idc_str_chr(s, '\r') != NULL;
}

static idc_err check_config(const struct idc_sigv4_config *cfg,
                            const struct idc_sigv4_credentials *creds, struct idc_error *err)
{
    if (!plain_name(cfg->region)) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "region '%.*s' is empty, too long or has '/', ',', ';', '=', space "
                             "or control bytes; give a region such as us-east-1",
                             (int)(cfg->region.len > 64 ? 64 : cfg->region.len), cfg->region.p);
    }
    if (!plain_name(cfg->service)) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "service '%.*s' is empty, too long or has '/', ',', ';', '=', space "
                             "or control bytes; give a signing name such as identitystore",
                             (int)(cfg->service.len > 64 ? 64 : cfg->service.len), cfg->service.p);
    }
    if (!plain_name(creds->access_key_id)) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "access key id is empty, too long or has '/', ',', ';', '=', space "
                             "or control bytes");
    }
    if (creds->secret_access_key.len == 0 || creds->secret_access_key.len > IDC_SIGV4_SECRET_MAX) {
        return idc_error_set(err, IDC_ERR_ARG, "secret access key is empty or longer than %d bytes",
                             IDC_SIGV4_SECRET_MAX);
    }
    if (has_line_break(creds->session_token)) {
        return idc_error_set(err, IDC_ERR_ARG, "session token contains a line break");
    }
    if (cfg->placement == IDC_SIGV4_IN_QUERY &&
        (cfg->expires == 0 || cfg->expires > IDC_SIGV4_MAX_EXPIRES)) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "presigned URL expiry %u s is outside 1..%d s (one week)",
                             cfg->expires, IDC_SIGV4_MAX_EXPIRES);
    }
    if (cfg->time < 0 || cfg->time > 253402300799) {
        return idc_error_set(err, IDC_ERR_ARG, "signing time %lld is outside years 1970..9999",
                             (long long)cfg->time);
    }
    return IDC_OK;
}

static bool query_has_param(struct idc_str query, struct idc_str name)
{
    struct idc_str part, key, value;
    for (struct idc_str rest = query; idc_str_next(&rest, '&', &part);) {
        idc_str_split(part, '=', &key, &value);
        if (idc_str_eq(key, name)) {
            return true;
        }
    }
    return false;
}

/*
 * A header name the Authorization header can carry: SignedHeaders is split on ';' and the
 * header's parts on ',', and a name with a space or a control byte is no HTTP header name
 * (the request text parser refuses those too).
 */
static bool signable_header_name(struct idc_str name)
{
    for (size_t i = 0; i < name.len; i++) {
        unsigned char c = (unsigned char)name.p[i];
        if (c <= ' ' || c >= 0x7f || c == ',' || c == ';') {
            return false;
        }
    }
    return name.len > 0;
}

static idc_err check_request(const struct idc_sigv4_config *cfg,
                             const struct idc_sigv4_request *req,
                             const struct idc_sigv4_special *sp, struct idc_error *err)
{
    static const struct idc_str presign_params[] = {
        IDC_STR("X-Amz-Signature"),      IDC_STR("X-Amz-Algorithm"),
        IDC_STR("X-Amz-Credential"),     IDC_STR("X-Amz-Date"),
        IDC_STR("X-Amz-SignedHeaders"),  IDC_STR("X-Amz-Expires"),
        IDC_STR("X-Amz-Security-Token"),
    };
    if (req->method.len == 0 || has_line_break(req->method) || idc_str_chr(req->method, ' ')) {
        return idc_error_set(err, IDC_ERR_ARG, "request method is empty or has spaces");
    }
    if (sp->host == NULL) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "request has no Host header; add the one that will be sent "
                             "(with the port when it is not the scheme's default)");
    }
    if (sp->authorization != NULL) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "request already carries an Authorization header; remove it to "
                             "sign again");
    }
    for (size_t i = 0; i < req->header_count; i++) {
        struct idc_str name = req->headers[i].name;
        if (!signable_header_name(name)) {
            return idc_error_set(err, IDC_ERR_ARG,
                                 "header name '%.*s' is empty or has a space, ',', ';' or a "
                                 "control byte: no verifier could read it in SignedHeaders",
                                 (int)(name.len > 64 ? 64 : name.len), name.p);
        }
    }
    /* the 7 presign parameters (the signature included) must fit beside the request's own
     * in the IDC_SIGV4_MAX_QUERY a verifier reads */
    size_t own = 0;
    struct idc_str part;
    for (struct idc_str rest = req->query; idc_str_next(&rest, '&', &part);) {
        own += part.len > 0;
    }
    if (cfg->placement == IDC_SIGV4_IN_QUERY && own + 7 > IDC_SIGV4_MAX_QUERY) {
        return idc_error_set(err, IDC_ERR_LIMIT,
                             "query has %zu parameters: with the 7 a presigned URL adds, that is "
                             "over the %d a verifier reads (IDC_SIGV4_MAX_QUERY)",
                             own, IDC_SIGV4_MAX_QUERY);
    }
    for (size_t i = 0; cfg->placement == IDC_SIGV4_IN_QUERY && i < 7; i++) {
        if (query_has_param(req->query, presign_params[i])) {
            return idc_error_set(err, IDC_ERR_ARG,
                                 "query already has " IDC_STR_FMT "; remove the old presign "
                                 "parameters to sign again",
                                 IDC_STR_ARG(presign_params[i]));
        }
    }
    return IDC_OK;
}

/* ---- signing ------------------------------------------------------------------------ */

/* State of one signing run, so the steps stay small. */
struct sign_run {
    const struct idc_sigv4_config *cfg;
    const struct idc_sigv4_credentials *creds;
    const struct idc_sigv4_request *req;
    struct idc_sigv4_writer w;
    struct idc_sigv4_result *out;
    struct idc_sigv4_header extra[3];
    size_t extra_count;
    bool token_in_request;
    struct idc_sigv4_special special;
};

/* X-Amz-Date: a request that carries one keeps it, and it must be the signing time. */
static idc_err sign_date_and_scope(struct sign_run *r, struct idc_error *err)
{
    char date[IDC_TIME_AMZ_LEN + 1];
    idc_time_format_amz(r->cfg->time, date);
    const struct idc_sigv4_header *h = r->special.date;
    if (h != NULL && !idc_str_eq(idc_str_trim(h->value), idc_str_make(date, IDC_TIME_AMZ_LEN))) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "request carries X-Amz-Date %.*s but the signing time is %s; drop "
                             "the header or sign at its time",
                             (int)(h->value.len > 32 ? 32 : h->value.len), h->value.p, date);
    }
    size_t start = r->w.len;
    idc_sigv4_writer_put(&r->w, date, IDC_TIME_AMZ_LEN);
    r->out->amz_date = idc_sigv4_writer_view(&r->w, start);
    start = r->w.len;
    idc_sigv4_writer_put(&r->w, date, 8);
    idc_sigv4_writer_put(&r->w, "/", 1);
    idc_sigv4_writer_put(&r->w, r->cfg->region.p, r->cfg->region.len);
    idc_sigv4_writer_put(&r->w, "/", 1);
    idc_sigv4_writer_put(&r->w, r->cfg->service.p, r->cfg->service.len);
    idc_sigv4_writer_put(&r->w, "/aws4_request", 13);
    r->out->scope = idc_sigv4_writer_view(&r->w, start);
    if (h == NULL && r->cfg->placement == IDC_SIGV4_IN_HEADERS) {
        r->extra[r->extra_count++] =
            (struct idc_sigv4_header){IDC_STR("X-Amz-Date"), r->out->amz_date};
    }
    return idc_sigv4_writer_error(&r->w, err);
}

/* The payload hash: the config's value, a declared x-amz-content-sha256, or the body's. */
static idc_err sign_payload(struct sign_run *r, struct idc_error *err)
{
    const struct idc_sigv4_header *h = r->special.content_sha256;
    struct idc_str declared = h ? idc_str_trim(h->value) : IDC_STR("");
    if (r->cfg->signed_body.len > 0) {
        if (h != NULL && !idc_str_eq(declared, r->cfg->signed_body)) {
            return idc_error_set(err, IDC_ERR_ARG,
                                 "request's x-amz-content-sha256 differs from the signed body "
                                 "value " IDC_STR_FMT,
                                 IDC_STR_ARG(r->cfg->signed_body));
        }
        r->out->payload_hash = r->cfg->signed_body;
    } else if (h != NULL) {
        r->out->payload_hash = declared;
    } else {
        r->out->payload_hash = idc_sigv4_body_hash(r->req, &r->w);
    }
    bool add = (r->cfg->flags & IDC_SIGV4_CONTENT_SHA256) && h == NULL &&
               r->cfg->placement == IDC_SIGV4_IN_HEADERS;
    if (add) {
        r->extra[r->extra_count++] =
            (struct idc_sigv4_header){IDC_STR("x-amz-content-sha256"), r->out->payload_hash};
    }
    return idc_sigv4_writer_error(&r->w, err);
}

/* X-Amz-Security-Token: signed unless omitted; one the request already carries is kept. */
static idc_err sign_token(struct sign_run *r, struct idc_error *err)
{
    struct idc_str token = r->creds->session_token;
    const struct idc_sigv4_header *h = r->special.token;
    r->token_in_request = h != NULL;
    if (token.len == 0 || h != NULL) {
        if (h != NULL && token.len > 0 && !idc_str_eq(idc_str_trim(h->value), token)) {
            return idc_error_set(err, IDC_ERR_ARG,
                                 "request carries an X-Amz-Security-Token that differs from the "
                                 "credentials' session token");
        }
        return IDC_OK;
    }
    if (r->cfg->placement == IDC_SIGV4_IN_HEADERS &&
        !(r->cfg->flags & IDC_SIGV4_OMIT_SESSION_TOKEN)) {
        r->extra[r->extra_count++] =
            (struct idc_sigv4_header){IDC_STR("X-Amz-Security-Token"), token};
    }
    return IDC_OK;
}

static void put_param(struct idc_sigv4_writer *w, const char *name, struct idc_str value, bool amp)
{
    if (amp) {
        idc_sigv4_writer_put(w, "&", 1);
    }
    idc_sigv4_writer_put(w, name, strlen(name));
    idc_sigv4_writer_put(w, "=", 1);
    idc_sigv4_put_encoded(w, value);
}

/* The query to send: the request's own query, then the presign parameters and signature. */
static void put_presigned_query(struct sign_run *r, const struct idc_sigv4_param *params, size_t n)
{
    size_t start = r->w.len;
    struct idc_str q = r->req->query;
    idc_sigv4_writer_put(&r->w, q.p, q.len);
    for (size_t i = 0; i < n; i++) {
        char name[32];
        snprintf(name, sizeof name, IDC_STR_FMT, IDC_STR_ARG(params[i].name));
        put_param(&r->w, name, params[i].value, r->w.len > start);
    }
    put_param(&r->w, "X-Amz-Signature", r->out->signature, true);
    r->out->query = idc_sigv4_writer_view(&r->w, start);
}

static void put_authorization(struct sign_run *r)
{
    size_t start = r->w.len;
    struct idc_sigv4_writer *w = &r->w;
    idc_sigv4_writer_put(w, IDC_SIGV4_ALGORITHM " Credential=", sizeof IDC_SIGV4_ALGORITHM + 11);
    idc_sigv4_writer_put(w, r->creds->access_key_id.p, r->creds->access_key_id.len);
    idc_sigv4_writer_put(w, "/", 1);
    idc_sigv4_writer_put(w, r->out->scope.p, r->out->scope.len);
    idc_sigv4_writer_put(w, ", SignedHeaders=", 16);
    idc_sigv4_writer_put(w, r->out->signed_headers.p, r->out->signed_headers.len);
    idc_sigv4_writer_put(w, ", Signature=", 12);
    idc_sigv4_writer_put(w, r->out->signature.p, r->out->signature.len);
    r->out->authorization = idc_sigv4_writer_view(w, start);
}

/* Presign parameters in the order the suites list them; the credential is written first. */
static size_t presign_params(struct sign_run *r, struct idc_sigv4_param *p, char *expires,
                             size_t expires_cap)
{
    size_t start = r->w.len;
    idc_sigv4_writer_put(&r->w, r->creds->access_key_id.p, r->creds->access_key_id.len);
    idc_sigv4_writer_put(&r->w, "/", 1);
    idc_sigv4_writer_put(&r->w, r->out->scope.p, r->out->scope.len);
    struct idc_str credential = idc_sigv4_writer_view(&r->w, start);
    int elen = snprintf(expires, expires_cap, "%u", r->cfg->expires);
    size_t n = 0;
    p[n++] = (struct idc_sigv4_param){IDC_STR("X-Amz-Algorithm"), IDC_STR(IDC_SIGV4_ALGORITHM)};
    p[n++] = (struct idc_sigv4_param){IDC_STR("X-Amz-Credential"), credential};
    p[n++] = (struct idc_sigv4_param){IDC_STR("X-Amz-Date"), r->out->amz_date};
    p[n++] = (struct idc_sigv4_param){IDC_STR("X-Amz-SignedHeaders"), r->out->signed_headers};
    p[n++] =
        (struct idc_sigv4_param){IDC_STR("X-Amz-Expires"), idc_str_make(expires, (size_t)elen)};
    bool token = r->creds->session_token.len > 0 && !r->token_in_request;
    if (token && !(r->cfg->flags & IDC_SIGV4_OMIT_SESSION_TOKEN)) {
        p[n++] = (struct idc_sigv4_param){IDC_STR("X-Amz-Security-Token"), r->creds->session_token};
    }
    return n;
}

static idc_err sign_canonical(struct sign_run *r, struct idc_error *err)
{
    struct idc_sigv4_canon canon = {
        .req = r->req,
        .flags = r->cfg->flags,
        .extra = r->extra,
        .extra_count = r->extra_count,
        .payload_hash = r->out->payload_hash,
    };
    struct idc_sigv4_param params[6];
    char expires[16];
    if (r->cfg->placement == IDC_SIGV4_IN_QUERY) {
        idc_err rc = idc_sigv4_signed_headers(&canon, &r->w, &r->out->signed_headers, err);
        if (rc) {
            return rc;
        }
        canon.params = params;
        canon.param_count = presign_params(r, params, expires, sizeof expires);
    }
    idc_err rc = idc_sigv4_canonical_request(&canon, &r->w, &r->out->signed_headers,
                                             &r->out->canonical_request, err);
    if (rc) {
        return rc;
    }
    rc = idc_sigv4_string_and_signature(r->out->canonical_request, r->out->amz_date, r->out->scope,
                                        r->creds->secret_access_key, r->cfg->region,
                                        r->cfg->service, r->cfg->cache, &r->w, r->out, err);
    if (rc) {
        return rc;
    }
    if (r->cfg->placement == IDC_SIGV4_IN_QUERY) {
        /* An omitted token still travels, after the signature's parameters are fixed. */
        size_t n = canon.param_count;
        bool late_token = r->creds->session_token.len > 0 && !r->token_in_request &&
                          (r->cfg->flags & IDC_SIGV4_OMIT_SESSION_TOKEN);
        if (late_token) {
            params[n++] =
                (struct idc_sigv4_param){IDC_STR("X-Amz-Security-Token"), r->creds->session_token};
        }
        put_presigned_query(r, params, n);
    } else {
        put_authorization(r);
    }
    return idc_sigv4_writer_error(&r->w, err);
}

/* The headers the caller adds, in the order the suites show them. */
static void list_added_headers(struct sign_run *r)
{
    struct idc_sigv4_result *out = r->out;
    out->add_count = 0;
    if (r->cfg->placement != IDC_SIGV4_IN_HEADERS) {
        return;
    }
    for (size_t i = 0; i < r->extra_count; i++) {
        out->add[out->add_count++] = r->extra[i];
    }
    bool late_token = r->creds->session_token.len > 0 && !r->token_in_request &&
                      (r->cfg->flags & IDC_SIGV4_OMIT_SESSION_TOKEN);
    if (late_token) {
        out->add[out->add_count++] =
            (struct idc_sigv4_header){IDC_STR("X-Amz-Security-Token"), r->creds->session_token};
    }
    out->add[out->add_count++] =
        (struct idc_sigv4_header){IDC_STR("Authorization"), out->authorization};
}

idc_err idc_sigv4_sign(const struct idc_sigv4_config *cfg,
                       const struct idc_sigv4_credentials *creds,
                       const struct idc_sigv4_request *req, struct idc_buf *work,
                       struct idc_sigv4_result *out, struct idc_error *err)
{
    if (cfg == NULL || creds == NULL || req == NULL || work == NULL || out == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "idc_sigv4_sign: a required argument is NULL");
    }
    /* Every view is set below on success; these two and the count depend on the mode. */
    out->authorization = IDC_STR("");
    out->query = IDC_STR("");
    out->add_count = 0;
    struct sign_run r = {
        .cfg = cfg,
        .creds = creds,
        .req = req,
        .w = {.p = work->p + work->len, .cap = work->cap - work->len},
        .out = out,
    };
    idc_sigv4_find_special(req, &r.special);
    idc_err rc = check_config(cfg, creds, err);
    if (rc == IDC_OK) {
        rc = check_request(cfg, req, &r.special, err);
    }
    if (rc) {
        return rc;
    }
    rc = sign_date_and_scope(&r, err);
    if (rc == IDC_OK) {
        rc = sign_token(&r, err);
    }
    if (rc == IDC_OK) {
        rc = sign_payload(&r, err);
    }
    if (rc == IDC_OK) {
        rc = sign_canonical(&r, err);
    }
    if (rc) {
        return rc;
    }
    list_added_headers(&r);
    work->len += r.w.len;
    return IDC_OK;
}
