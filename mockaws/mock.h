/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mock.h - what mockaws's files share: options, the request being served, replies in one
 * write, admission (authorization plus faults), growing buffers, fixture helpers.
 * mockaws uses libidc's lowest layer only (sigv4, crypto, str, form, timefmt) and cJSON.
 */
#ifndef MOCK_H
#define MOCK_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <civetweb.h>
#include <cjson/cJSON.h>

#include "dynbuf.h"
#include "escape.h"
#include "idc/error.h"
#include "idc/sigv4.h"
#include "idc/str.h"

#define MOCK_MAX_FIXTURES       32
#define MOCK_MAX_BODY           (1024 * 1024) /* larger request bodies get 413 */
#define MOCK_ACCESS_KEY_MAX     128           /* bytes of an AccessKeyId (IAM's accessKeyIdType) */
#define MOCK_DEFAULT_THREADS    128   /* CivetWeb 1.15 holds a worker per connection, idle too */
#define MOCK_MAX_THREADS        1024  /* --threads range 1..1024 */
#define MOCK_KEEP_ALIVE_MS      5000  /* an idle kept-alive connection is closed after this */
#define MOCK_REQUEST_TIMEOUT_MS 10000 /* a request's head and body must arrive within this */
#define MOCK_IAM_XMLNS          "https://iam.amazonaws.com/doc/2010-05-08/"
#define MOCK_STS_XMLNS          "https://sts.amazonaws.com/doc/2011-06-15/"
#define MOCK_JSON_TYPE          "application/x-amz-json-1.1"

enum mock_service {
    MOCK_IDENTITYSTORE, /* awsJson1_1, X-Amz-Target: AWSIdentityStore.<Op>, skew 300 s */
    MOCK_IAM,           /* awsQuery, Action=...&Version=2010-05-08, XML, skew 900 s */
    MOCK_STS,           /* awsQuery, Action=...&Version=2011-06-15, XML, skew 900 s */
};

/* ---- faults (faults.c) ------------------------------------------------------------- */

enum mock_fault {
    MOCK_FAULT_NONE,
    MOCK_FAULT_THROTTLE, /* before the operation: ThrottlingException / Throttling */
    MOCK_FAULT_ERROR,    /* before the operation: InternalServerException / ServiceFailure */
    MOCK_FAULT_RESET,    /* after the operation: the connection drops with no response */
    MOCK_FAULT_TRUNCATE, /* after the operation: half the body, then the connection drops */
    MOCK_FAULT_SLOW,     /* the response waits --slow-ms first */
    MOCK_FAULT__COUNT
};

struct mock_fault_spec {
    double p[MOCK_FAULT__COUNT]; /* probability of each kind; p[NONE] unused */
    double total;                /* the sum of p[]; 0: faults are off */
};

/* Parses "throttle=0.1,error=0.05,..."; the sum must not exceed 1. */
idc_err mock_fault_spec_parse(const char *text, struct mock_fault_spec *out, struct idc_error *err);

struct mock_faults; /* the per-request counters */
struct mock_faults *mock_faults_new(void);
void mock_faults_free(struct mock_faults *f);

/*
 * Decides the fault for a request from the seed, the request's identity (service,
 * operation, parameters: not its date or signature) and how many times this identity has
 * been seen, so a run is reproducible whatever the thread timing and a retry draws again.
 * `identity` is the mock_fnv1a hash of those parts. Callers skip it when spec->total is 0.
 */
enum mock_fault mock_faults_draw(struct mock_faults *f, const struct mock_fault_spec *spec,
                                 uint64_t seed, uint64_t identity);

const char *mock_fault_name(enum mock_fault f);

/* ---- options ---------------------------------------------------------------------- */

struct mock_options {
    const char *fixtures[MOCK_MAX_FIXTURES];
    size_t fixture_count;
    int port;               /* 0: any free port */
    const char *bind;       /* default 127.0.0.1 */
    const char *ready_file; /* written atomically with "PORT\n" once listening */
    const char *log_path;   /* one JSON line per request */
    bool has_fixed_time;
    int64_t fixed_time; /* --fixed-time: the clock dates are checked against */
    int64_t max_skew;   /* 0: 300 s for Identity Store, 900 s for IAM */
    unsigned long synthetic_users;
    unsigned latency_ms;
    struct mock_fault_spec faults;
    uint64_t seed;
    unsigned retry_after;   /* RetryAfterSeconds sent with fault responses */
    unsigned slow_ms;       /* default 1000 */
    unsigned threads;       /* default MOCK_DEFAULT_THREADS */
    bool strict_iam_region; /* IAM requests must be signed for us-east-1 */
};

/* ---- policies (policy.c) ----------------------------------------------------------- */

struct mock_policy;

enum mock_decision {
    MOCK_ALLOWED,
    MOCK_DENIED_IMPLICITLY, /* no statement allows it */
    MOCK_DENIED_EXPLICITLY, /* a Deny statement matches */
};

/*
 * Parses an IAM policy document: Version, Statement (object or array) with Sid, Effect,
 * Action or NotAction, Resource. Condition, NotResource and Principal are refused.
 * Errors read "FILE: PATH.Key: problem".
 */
idc_err mock_policy_parse(const cJSON *doc, const char *file, const char *path,
                          struct mock_policy **out, struct idc_error *err);
void mock_policy_free(struct mock_policy *p);

/*
 * Decides `action` on all `n` resources at once: an explicit Deny of any of them wins, then
 * each one needs an Allow. Unless allowed, `*at` gets the index of the resource at fault
 * (the first denied explicitly, else the first that no statement allows).
 */
enum mock_decision mock_policy_decide(const struct mock_policy *p, const char *action,
                                      const char *const *resources, size_t n, size_t *at);

/* A policy with no statement (it denies everything); NULL when out of memory. */
struct mock_policy *mock_policy_new_empty(void);
/* Moves every statement of `from` to the end of `into` and frees `from`; false: out of memory. */
bool mock_policy_merge(struct mock_policy *into, struct mock_policy *from);

/* Glob match with '*' (any run) and '?' (one character), as IAM matches actions and ARNs. */
bool mock_glob_match(const char *pat, const char *s, bool nocase);

/* ---- credentials and the world (fixtures.c) --------------------------------------- */

struct mock_role; /* roles.h */

struct mock_credential {
    char *access_key_id;
    char *secret;
    char *session_token; /* NULL: long-term keys */
    char *arn;           /* "arn:aws:iam::123456789012:user/name" */
    struct mock_policy *policy;
    int64_t expires;              /* 0: never; else requests get ExpiredToken from then on */
    const struct mock_role *role; /* an issued role session's role (borrows its policy) */
    char *user_id;                /* a role session's "AROA...:SESSION"; NULL otherwise */
};

struct mock_ids;      /* Identity Store state (ids.h, ids_store.c) */
struct mock_iam;      /* IAM state (iam.h, iam_store.c) */
struct mock_roles;    /* IAM roles and OIDC providers (roles.h, roles.c) */
struct mock_sessions; /* credentials STS issued (roles.h, sessions.c) */

struct mock_world {
    char account_id[13];
    struct mock_credential *creds;
    size_t cred_count;
    struct mock_ids *ids;
    struct mock_iam *iam;
    struct mock_roles *roles;
    struct mock_sessions *sessions;
};

/* Wipes the secret and the token of `c` and frees its strings (not its policy, nor `c`). */
void mock_credential_clear(struct mock_credential *c);

/* Loads every fixture (files, or folders of *.json in name order) into `w`. */
idc_err mock_world_load(struct mock_world *w, const struct mock_options *opt,
                        struct idc_error *err);
void mock_world_free(struct mock_world *w);
const struct mock_credential *mock_world_credential(const struct mock_world *w,
                                                    struct idc_str access_key_id);

/*
 * Fixture helpers: each failure reads "FILE: PATH: problem" (spec/mockaws/fixtures.md), PATH
 * being the full JSON path of what is wrong, and returns IDC_ERR_PARSE.
 */
struct mock_fx {
    const char *file;
    struct idc_error *err;
};

/* A problem with the value at `path` itself (an object, an array, an array item). */
idc_err mock_fx_fail(const struct mock_fx *fx, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * A problem with member `key` of the object at `path`, present or absent: "FILE: PATH.KEY:
 * problem". `key` may itself be a relative path ("MemberId.UserId", "Action[2]").
 */
idc_err mock_fx_fail_key(const struct mock_fx *fx, const char *path, const char *key,
                         const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* A member that must be a string (or, when !required, may be absent: *out = NULL). */
idc_err mock_fx_string(const struct mock_fx *fx, const cJSON *obj, const char *path,
                       const char *key, bool required, const char **out);
/* Refuses members not in the NULL-terminated `known` list (catches misspelt keys). */
idc_err mock_fx_known_keys(const struct mock_fx *fx, const cJSON *obj, const char *path,
                           const char *const *known);
/* A statement's "Effect": "Allow", or "Deny" (*deny set). */
idc_err mock_fx_effect(const struct mock_fx *fx, const cJSON *statement, const char *path,
                       bool *deny);
/* An ISO 8601 time member as seconds since the epoch (absent and !required: *out = 0). */
idc_err mock_fx_time(const struct mock_fx *fx, const cJSON *obj, const char *path, const char *key,
                     bool required, int64_t *out);

/* ---- the server and the request being served (server.c) ---------------------------- */

struct mock_server {
    struct mock_options opt;
    struct mock_world world;
    struct mg_context *ctx;
    FILE *log;
    pthread_mutex_t log_lock;
    struct mock_faults *faults;
    int bound_port;   /* the port actually listened on */
    uint64_t id_base; /* request ids: a random base plus a counter */
    uint64_t id_counter;
};

struct mock_param {
    char *name;
    char *value;
};

struct mock_request {
    struct mock_server *server;
    struct mg_connection *conn;
    enum mock_service service;
    char request_id[37];
    int64_t started_ns;
    /* as received */
    struct idc_sigv4_request sig;
    struct idc_sigv4_header headers[IDC_SIGV4_MAX_HEADERS];
    char *body;
    size_t body_len;
    /* after authentication */
    const struct mock_credential *caller;
    char access_key_id[MOCK_ACCESS_KEY_MAX + 1];
    char region[IDC_SIGV4_NAME_MAX + 1];
    char operation[64];
    /* parameters */
    cJSON *json;               /* Identity Store: the parsed body */
    struct mock_param *params; /* IAM: the decoded form (or query) */
    size_t param_count;
    /* outcome */
    enum mock_fault fault;
    int status;
    char error_code[64];
};

/* Formats 16 random bytes as a version 4 UUID (RFC 9562, 4.4): 36 characters and a NUL. */
void mock_uuid_format(const uint8_t random[16], char out[37]);

/* The time requests are checked against: --fixed-time, or now. */
int64_t mock_now(const struct mock_server *s);

/* An IAM parameter's decoded value, or NULL. */
const char *mock_param(const struct mock_request *req, const char *name);

/*
 * Authorizes `action` on every resource for the caller, then applies a pre-operation
 * fault. Returns 0 to go on, or the status of the response it already sent (AccessDenied
 * naming the caller's ARN and the action, or a throttle/error fault).
 */
int mock_admit(struct mock_request *req, const char *action, const char *const *resources,
               size_t n);

/* The pre-operation fault alone, for calls no policy governs (GetCallerIdentity, web identity). */
int mock_admit_fault(struct mock_request *req);

/*
 * Sends a successful response: status line, Date, Content-Type, Content-Length,
 * x-amzn-RequestId and body in one write, after --latency-ms and any slow fault; a
 * reset or truncate fault drops the connection instead. Returns the status for CivetWeb.
 */
int mock_reply(struct mock_request *req, int status, const char *content_type, const char *body,
               size_t len);

/*
 * Sends an error in the service's own shape. Identity Store: JSON with __type, Message and
 * message, plus `members` (extra JSON members such as "\"ResourceType\":\"USER\"", or NULL),
 * and the X-Amzn-ErrorType header. IAM: ErrorResponse XML (Type Sender, or Receiver for
 * 5xx). Returns the status.
 */
int mock_reply_error(struct mock_request *req, int status, const char *code, const char *members,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ---- the two services --------------------------------------------------------------- */

/* Identity Store: the model in ids_store.c, the operations in identitystore.c */
struct mock_ids *mock_ids_new(void);
void mock_ids_free(struct mock_ids *ids);
idc_err mock_ids_add_fixture(struct mock_ids *ids, const struct mock_fx *fx, const cJSON *stores);
idc_err mock_ids_add_synthetic(struct mock_ids *ids, const char *store_id, unsigned long count,
                               struct idc_error *err);
int mock_ids_dispatch(struct mock_request *req);

/* IAM: the model in iam_store.c, the operations in iam.c */
struct mock_iam *mock_iam_new(const char *account_id);
void mock_iam_free(struct mock_iam *iam);
idc_err mock_iam_add_fixture(struct mock_iam *iam, const struct mock_fx *fx, const cJSON *node);
int mock_iam_dispatch(struct mock_request *req);
/* The UserId of the IAM user with this ARN into `out`; false when there is none. */
bool mock_iam_user_id(struct mock_iam *iam, const char *arn, char *out, size_t size);

/* STS: roles and providers in roles.c, issued credentials in sessions.c, operations in sts.c */
int mock_sts_dispatch(struct mock_request *req);

#endif
