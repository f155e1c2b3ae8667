/* SPDX-License-Identifier: Apache-2.0 */
/*
 * client.c - one signed call with retries as the AWS SDKs' standard mode does them: up to
 * 3 attempts, exponential backoff with full jitter capped at 20 s, RetryAfterSeconds /
 * Retry-After honoured, throttling and server errors retried, transport failures retried
 * as the call's kind allows, and one retry after correcting the clock from the server's
 * Date when the signature expired. The request's framing and the reading of an error
 * answer come from the service's protocol descriptor (protocol.h): no service is named here.
 */
#include "idc/client.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "protocol.h"
#include "timefmt.h"

struct idc_client {
    const struct idc_service *service;
    char region[IDC_SIGV4_NAME_MAX + 1];
    char access_key_id[129];
    char secret[IDC_SIGV4_SECRET_MAX + 1];
    char token[4096];
    struct idc_url url;
    const struct idc_transport_ops *ops;
    void *transport;
    int max_attempts, base_delay_ms, max_backoff_ms;
    bool anonymous;               /* requests go unsigned */
    idc_credentials_fn *provider; /* NULL: the configuration's keys, for good */
    void *provider_ud;
    bool have_keys;     /* the keys below are set */
    int64_t expiration; /* of the keys below; 0: never */
    idc_trace_fn *trace;
    void *trace_ud;
    idc_retry_fn *on_retry;
    void *on_retry_ud;
    struct idc_sigv4_key_cache cache;
    struct idc_client_stats stats;
    uint64_t rng;
    char work[2 * IDC_SIGV4_WORK_SIZE];
};

static void trace(struct idc_client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void trace(struct idc_client *c, const char *fmt, ...)
{
    if (c->trace == NULL) {
        return;
    }
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    c->trace(line, c->trace_ud);
}

/* ---- construction ------------------------------------------------------------------- */

static idc_err copy_setting(const char *value, char *out, size_t cap, const char *what,
                            bool required, struct idc_error *err)
{
    if (value == NULL || *value == '\0') {
        out[0] = '\0';
        return required ? idc_error_set(err, IDC_ERR_ARG, "the client needs %s", what) : IDC_OK;
    }
    return idc_str_copy(idc_str_c(value), out, cap, what, err);
}

/* The settings the client keeps; the transport copies what it needs (the CA bundle). */
static idc_err copy_config(struct idc_client *c, const struct idc_client_config *cfg,
                           struct idc_error *err)
{
    if (cfg->endpoint_url == NULL || cfg->endpoint_url[0] == '\0') {
        return idc_error_set(err, IDC_ERR_ARG, "the client needs an endpoint URL");
    }
    idc_err rc = idc_url_parse(cfg->endpoint_url, &c->url, err);
    rc = rc ? rc : copy_setting(cfg->region, c->region, sizeof c->region, "a region", true, err);
    /* an anonymous client signs nothing; a provider gives the keys at the first call */
    bool keys = !cfg->anonymous && cfg->credentials == NULL;
    rc = rc ? rc
            : copy_setting(cfg->access_key_id, c->access_key_id, sizeof c->access_key_id,
                           "an access key id", keys, err);
    rc = rc ? rc
            : copy_setting(cfg->secret_access_key, c->secret, sizeof c->secret,
                           "a secret access key", keys, err);
    return rc ? rc
              : copy_setting(cfg->session_token, c->token, sizeof c->token, "session token", false,
                             err);
}

/* "native, curl": the built-in transports, for a message. */
static void transport_names(char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; idc_transport_name_at(i) != NULL && len < cap; i++) {
        int n = snprintf(out + len, cap - len, "%s%s", i ? ", " : "", idc_transport_name_at(i));
        len += n > 0 ? (size_t)n : 0;
    }
}

static idc_err find_transport(struct idc_client *c, const struct idc_client_config *cfg,
                              struct idc_error *err)
{
    const char *name = cfg->transport ? cfg->transport : "native";
    c->ops = cfg->transport_ops ? cfg->transport_ops : idc_transport_find(name);
    if (c->ops == NULL) {
        char names[128];
        transport_names(names, sizeof names);
        return idc_error_set(err, IDC_ERR_ARG, "unknown transport '%s' (this build has %s)", name,
                             names);
    }
    return IDC_OK;
}

static void seed(struct idc_client *c)
{
    if (getrandom(&c->rng, sizeof c->rng, 0) != (ssize_t)sizeof c->rng) {
        c->rng = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)c;
    }
    c->rng |= 1;
}

idc_err idc_client_new(struct idc_client **out, const struct idc_client_config *cfg,
                       struct idc_error *err)
{
    *out = NULL;
    if (cfg == NULL || cfg->service == NULL) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "the client needs a service descriptor (idc_client_config.service)");
    }
    struct idc_client *c = calloc(1, sizeof *c);
    if (c == NULL) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory");
    }
    c->service = cfg->service;
    c->max_attempts = cfg->max_attempts > 0 ? cfg->max_attempts : 3;
    c->base_delay_ms = cfg->base_delay_ms > 0 ? cfg->base_delay_ms : 1000;
    c->max_backoff_ms = cfg->max_backoff_ms > 0 ? cfg->max_backoff_ms : 20000;
    c->trace = cfg->trace;
    c->trace_ud = cfg->trace_ud;
    c->anonymous = cfg->anonymous;
    c->provider = cfg->anonymous ? NULL : cfg->credentials;
    c->provider_ud = cfg->credentials_ud;
    c->on_retry = cfg->on_retry;
    c->on_retry_ud = cfg->on_retry_ud;
    idc_sigv4_key_cache_init(&c->cache);
    seed(c);
    idc_err rc = copy_config(c, cfg, err);
    rc = rc ? rc : find_transport(c, cfg, err);
    if (rc == IDC_OK && (c->transport = calloc(1, c->ops->ctx_size)) == NULL) {
        rc = idc_error_set(err, IDC_ERR_NOMEM, "out of memory");
    }
    if (rc == IDC_OK) {
        struct idc_transport_config tc = {
            .endpoint = c->url,
            .ca_bundle = cfg->ca_bundle,
            .https_proxy = cfg->https_proxy,
            .no_proxy = cfg->no_proxy,
            .user_agent = cfg->user_agent,
            .connect_timeout_ms = cfg->connect_timeout_ms,
            .timeout_ms = cfg->timeout_ms,
            .trace = cfg->trace,
            .trace_ud = cfg->trace_ud,
        };
        rc = c->ops->open(c->transport, &tc, err);
    }
    if (rc) {
        idc_client_free(c);
        return rc;
    }
    if (!c->url.https && !idc_url_is_loopback(&c->url)) {
        trace(c, "* warning: plain http:// to %s: requests and answers travel unencrypted",
              c->url.host);
    }
    *out = c;
    return IDC_OK;
}

void idc_client_free(struct idc_client *c)
{
    if (c == NULL) {
        return;
    }
    if (c->transport != NULL) {
        c->ops->close(c->transport);
        free(c->transport);
    }
    idc_sigv4_key_cache_cleanup(&c->cache);
    idc_wipe(c, sizeof *c);
    free(c);
}

void idc_client_get_stats(const struct idc_client *c, struct idc_client_stats *out)
{
    *out = c->stats;
}

const struct idc_service *idc_client_service(const struct idc_client *c)
{
    return c->service;
}

/* ---- credentials from a provider ------------------------------------------------------- */

/* Keys for the next request: asked of the provider at first, and again as they near their
 * expiration (client.h's refresh windows). */
static idc_err ensure_credentials(struct idc_client *c, struct idc_error *err)
{
    if (c->provider == NULL) {
        return IDC_OK;
    }
    int64_t now = (int64_t)time(NULL);
    int64_t left = c->expiration ? c->expiration - now : INT64_MAX;
    if (c->have_keys && left > IDC_CREDENTIALS_REFRESH_S) {
        return IDC_OK;
    }
    struct idc_credentials fresh = {0};
    idc_err rc = c->provider(&fresh, c->provider_ud, err);
    if (rc == IDC_OK) {
        rc = copy_setting(fresh.access_key_id, c->access_key_id, sizeof c->access_key_id,
                          "an access key id from the credential provider", true, err);
        rc = rc ? rc
                : copy_setting(fresh.secret_access_key, c->secret, sizeof c->secret,
                               "a secret access key from the credential provider", true, err);
        rc = rc ? rc
                : copy_setting(fresh.session_token, c->token, sizeof c->token,
                               "the session token from the credential provider", false, err);
        c->have_keys = rc == IDC_OK;
        c->expiration = rc == IDC_OK ? fresh.expiration : 0;
    }
    idc_wipe(&fresh, sizeof fresh);
    if (rc == IDC_OK) {
        trace(c, "* credentials from the provider (access key %.4s...)%s", c->access_key_id,
              c->expiration ? ", temporary" : "");
        return IDC_OK;
    }
    if (c->have_keys && left > IDC_CREDENTIALS_MANDATORY_S) {
        trace(c, "* refreshing the credentials failed, the current ones last %lld s more: %s",
              (long long)left, err ? err->msg : "");
        return IDC_OK;
    }
    idc_error_prefix(err, "getting credentials");
    if (err != NULL) {
        err->retryable = false; /* the provider retried its own calls already */
        err->credentials = true;
    }
    return rc;
}

/* ---- one attempt -------------------------------------------------------------------- */

struct attempt {
    struct idc_sigv4_header headers[8];
    size_t header_count;
    struct idc_exchange_info info;
};

/* Host, Content-Type and the protocol's own header, then what the signer adds. */
static idc_err sign_request(struct idc_client *c, const char *operation, const char *body,
                            size_t len, struct attempt *a, struct idc_error *err)
{
    const struct idc_protocol *proto = c->service->protocol;
    a->header_count = 0;
    a->headers[a->header_count++] =
        (struct idc_sigv4_header){IDC_STR("Host"), idc_str_c(c->url.authority)};
    a->headers[a->header_count++] =
        (struct idc_sigv4_header){IDC_STR("Content-Type"), proto->content_type};
    char *op_header = c->work; /* the protocol's header text lives at the start of the work area */
    bool added = false;
    idc_err rc = proto->op_header(c->service, operation, op_header, &a->headers[a->header_count],
                                  &added, err);
    if (rc) {
        return rc;
    }
    a->header_count += added;
    if (c->anonymous) {
        return IDC_OK; /* AssumeRoleWithWebIdentity, the SSO portal: sent as they are */
    }
    size_t used = added ? IDC_PROTOCOL_HEADER_MAX : 0;
    struct idc_sigv4_config sc = {
        .region = idc_str_c(c->region),
        .service = idc_str_c(c->service->signing_name),
        .time = (int64_t)time(NULL) + c->stats.clock_offset,
        .flags = IDC_SIGV4_FLAGS_DEFAULT,
        .cache = &c->cache,
    };
    struct idc_sigv4_credentials creds = {idc_str_c(c->access_key_id), idc_str_c(c->secret),
                                          idc_str_c(c->token)};
    struct idc_sigv4_request req = {.method = IDC_STR("POST"),
                                    .path = IDC_STR("/"),
                                    .headers = a->headers,
                                    .header_count = a->header_count,
                                    .body = (const uint8_t *)body,
                                    .body_len = len};
    struct idc_buf work = {c->work + used, 0, sizeof c->work - used};
    struct idc_sigv4_result res;
    rc = idc_sigv4_sign(&sc, &creds, &req, &work, &res, err);
    for (size_t i = 0; rc == IDC_OK && i < res.add_count; i++) {
        a->headers[a->header_count++] = res.add[i];
    }
    return rc;
}

/* ---- retry rules -------------------------------------------------------------------- */

static bool in_list(const char *code, const char *const *list)
{
    for (; *list; list++) {
        if (strcmp(code, *list) == 0) {
            return true;
        }
    }
    return false;
}

/* The standard retry mode's throttling and transient error codes (botocore). */
static bool retryable_code(const char *code, int status)
{
    static const char *const codes[] = {"Throttling",
                                        "ThrottlingException",
                                        "ThrottledException",
                                        "RequestThrottledException",
                                        "TooManyRequestsException",
                                        "ProvisionedThroughputExceededException",
                                        "TransactionInProgressException",
                                        "RequestLimitExceeded",
                                        "BandwidthLimitExceeded",
                                        "LimitExceededException",
                                        "RequestThrottled",
                                        "SlowDown",
                                        "PriorRequestNotComplete",
                                        "EC2ThrottledException",
                                        "RequestTimeout",
                                        "RequestTimeoutException",
                                        "InternalServerException",
                                        "InternalFailure",
                                        "InternalError",
                                        "ServiceUnavailable",
                                        "ServiceFailure",
                                        NULL};
    if (strncmp(code, "InternalServer", 14) == 0 || in_list(code, codes)) {
        return true;
    }
    return status == 500 || status == 502 || status == 503 || status == 504;
}

static bool retryable_transport(idc_err rc, enum idc_call_kind kind,
                                const struct idc_exchange_info *info)
{
    bool transient =
        rc == IDC_ERR_RESET || rc == IDC_ERR_TIMEOUT || rc == IDC_ERR_CONNECT || rc == IDC_ERR_DNS;
    if (!transient) {
        return false; /* TLS verification, malformed HTTP, a proxy's refusal: not transient */
    }
    return kind != IDC_CALL_WRITE || !info->sent;
}

bool idc_error_is_clock_skew(const struct idc_error *err)
{
    if (err == NULL || err->code != IDC_ERR_AWS) {
        return false;
    }
    if (strcmp(err->aws_code, "RequestExpired") == 0 ||
        strcmp(err->aws_code, "RequestTimeTooSkewed") == 0) {
        return true;
    }
    /* a signature error is about the time only when AWS says so in its message */
    bool signature = strcmp(err->aws_code, "InvalidSignatureException") == 0 ||
                     strcmp(err->aws_code, "SignatureDoesNotMatch") == 0;
    return signature && (strstr(err->msg, "Signature expired") != NULL ||
                         strstr(err->msg, "not yet current") != NULL);
}

/* How long the server asked to wait: the Retry-After header, else the protocol's hint in
 * the error body; -1 when it asked nothing. At most IDC_RETRY_AFTER_MAX_MS. */
static int64_t asked_wait_ms(const struct idc_client *c, const struct idc_http_response *resp)
{
    if (resp->retry_after >= 0) {
        return resp->retry_after < IDC_RETRY_AFTER_MAX_MS / 1000 ? resp->retry_after * 1000
                                                                 : IDC_RETRY_AFTER_MAX_MS;
    }
    return c->service->protocol->retry_after_ms(resp);
}

/* Full jitter: random(0, min(max, base * 2^n)), at least what the server asked. */
static int backoff_ms(struct idc_client *c, int attempt, int64_t asked_ms)
{
    double cap = (double)c->base_delay_ms * (double)(1u << (attempt < 20 ? attempt : 20));
    if (cap > c->max_backoff_ms) {
        cap = c->max_backoff_ms;
    }
    c->rng ^= c->rng << 13;
    c->rng ^= c->rng >> 7;
    c->rng ^= c->rng << 17;
    int ms = (int)((double)(c->rng >> 11) / 9007199254740992.0 * cap);
    return asked_ms > ms ? (int)asked_ms : ms; /* the caller keeps asked_ms <= max_backoff_ms */
}

/* "250 ms", "1.5 s", "20 s", "5 min", "3 h": a wait for a message. */
static void format_wait(int64_t ms, char *out, size_t cap)
{
    if (ms >= 2 * 3600000LL) {
        snprintf(out, cap, "%lld h", (long long)(ms / 3600000));
    } else if (ms >= 120000) {
        snprintf(out, cap, "%lld min", (long long)(ms / 60000));
    } else if (ms < 1000) {
        snprintf(out, cap, "%lld ms", (long long)ms);
    } else if (ms % 1000 == 0 || ms >= 10000) {
        snprintf(out, cap, "%lld s", (long long)((ms + 999) / 1000));
    } else {
        snprintf(out, cap, "%.1f s", (double)ms / 1000.0);
    }
}

/* The server asked for a wait longer than the client's cap: the call ends with the cause,
 * saying how long it asked. */
static idc_err asked_too_long(struct idc_client *c, const char *operation, int64_t asked_ms,
                              idc_err rc, struct idc_error *e)
{
    char asked[32], cap[32];
    format_wait(asked_ms, asked, sizeof asked);
    format_wait(c->max_backoff_ms, cap, sizeof cap);
    e->retryable = false;
    idc_error_prefix(e,
                     "the server asked to wait %s before trying %s again, longer than the %s "
                     "this client waits between attempts; try again later",
                     asked, operation, cap);
    return rc;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* Learns the offset between the server's Date and ours; false when there is none. */
static bool correct_clock(struct idc_client *c, const struct idc_http_response *resp)
{
    int64_t server;
    if (resp->date[0] == '\0' ||
        idc_time_parse_http(idc_str_c(resp->date), &server, NULL) != IDC_OK) {
        return false;
    }
    c->stats.clock_offset = server - (int64_t)time(NULL);
    trace(c, "* signature expired: the server's clock is %+lld s from ours; signing again",
          (long long)c->stats.clock_offset);
    return true;
}

/* ---- the call ----------------------------------------------------------------------- */

/* One attempt: IDC_OK, or an error in `err` with retryable set as the rules say. */
static idc_err attempt_once(struct idc_client *c, const char *operation, const char *body,
                            size_t len, enum idc_call_kind kind, struct idc_http_response *resp,
                            struct idc_error *err)
{
    struct attempt a;
    idc_err rc = ensure_credentials(c, err);
    rc = rc ? rc : sign_request(c, operation, body, len, &a, err);
    if (rc) {
        return rc;
    }
    struct idc_http_request req = {IDC_STR("POST"), IDC_STR("/"),          a.headers,
                                   a.header_count,  (const uint8_t *)body, len};
    rc = c->ops->exchange(c->transport, &req, resp, &a.info, err);
    c->stats.requests = a.info.requests;
    c->stats.connections = a.info.connections;
    if (rc) {
        if (err != NULL) {
            err->retryable = retryable_transport(rc, kind, &a.info);
        }
        return rc;
    }
    if (!c->service->protocol->parse_error(resp, err)) {
        return IDC_OK;
    }
    if (err != NULL) {
        err->retryable = retryable_code(err->aws_code, resp->status);
    }
    return IDC_ERR_AWS;
}

idc_err idc_client_call(struct idc_client *c, const char *operation, const char *body,
                        size_t body_len, enum idc_call_kind kind, struct idc_http_response *resp,
                        struct idc_error *err)
{
    struct idc_error local = {0};
    struct idc_error *e = err ? err : &local;
    bool clock_fixed = false;
    c->stats.calls++;
    for (int attempt = 1;; attempt++) {
        idc_err rc = attempt_once(c, operation, body, body_len, kind, resp, e);
        if (rc == IDC_OK) {
            return IDC_OK;
        }
        if (rc == IDC_ERR_AWS && !clock_fixed && idc_error_is_clock_skew(e) &&
            correct_clock(c, resp)) {
            clock_fixed = true;
            attempt--; /* the clock retry does not count as an attempt */
            continue;
        }
        if (!e->retryable || attempt >= c->max_attempts) {
            if (e->retryable) {
                idc_error_prefix(e, "gave up after %d attempts", attempt);
            }
            return rc;
        }
        int64_t asked = rc == IDC_ERR_AWS ? asked_wait_ms(c, resp) : -1;
        if (asked > c->max_backoff_ms) {
            return asked_too_long(c, operation, asked, rc, e);
        }
        int ms = backoff_ms(c, attempt - 1, asked);
        trace(c, "* retry %d/%d in %d ms after: %s", attempt + 1, c->max_attempts, ms, e->msg);
        if (c->on_retry != NULL) {
            struct idc_retry_notice notice = {operation, attempt + 1, c->max_attempts,
                                              ms,        asked >= ms, e};
            c->on_retry(&notice, c->on_retry_ud);
        }
        c->stats.retries++;
        sleep_ms(ms);
    }
}
