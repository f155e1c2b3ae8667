/* SPDX-License-Identifier: Apache-2.0 */
/*
 * roles.h - what STS stands on: IAM roles and OIDC providers from the fixtures (roles.c),
 * trust policies (trust.c), test web identity tokens (jwt.c) and the credentials STS
 * issues (sessions.c). sts.c serves the operations; auth.c finds issued credentials.
 */
#ifndef MOCK_ROLES_H
#define MOCK_ROLES_H

#include "idc/crypto.h"
#include "mock.h"

#define MOCK_ROLE_SESSION_DEFAULT 3600  /* MaxSessionDuration when a fixture gives none */
#define MOCK_ROLE_SESSION_MAX     43200 /* the most IAM allows */
#define MOCK_ROLE_CHAIN_MAX       3600  /* a role session assuming a role gets at most this */

/* ---- trust policies (trust.c) ----------------------------------------------------- */

struct mock_trust;

/* What a trust policy is asked: may these principals do `action`, in this context? */
struct mock_trust_request {
    const char *action;      /* "sts:AssumeRole", "sts:AssumeRoleWithWebIdentity" */
    const char *type;        /* the principal type: "AWS" or "Federated" */
    const char *account;     /* the caller's account ("AWS": "ACCOUNT" and ":root" match it) */
    const char *const *arns; /* the ARNs the caller may be named by (a session: also its role) */
    size_t arn_count;
    const char *const *keys; /* condition keys ("sts:ExternalId"), compared ignoring case */
    const char *const *values;
    size_t key_count;
};

/*
 * Parses a role's AssumeRolePolicyDocument: Effect, Principal ("*" or {AWS, Federated,
 * Service}), Action, and Condition with StringEquals, StringNotEquals, StringLike,
 * StringNotLike, StringEqualsIgnoreCase, Bool and Null. Errors read "FILE: PATH: problem".
 */
idc_err mock_trust_parse(const cJSON *doc, const struct mock_fx *fx, const char *path,
                         struct mock_trust **out);
/* An explicit Deny wins; otherwise one Allow statement must match every part. */
bool mock_trust_allows(const struct mock_trust *t, const struct mock_trust_request *r);
void mock_trust_free(struct mock_trust *t);

/* ---- roles and OIDC providers (roles.c) -------------------------------------------- */

struct mock_role {
    char *name;
    char *id; /* "AROA..." */
    char *path;
    char *arn; /* "arn:aws:iam::ACCOUNT:role" + path + name */
    int64_t max_session;
    struct mock_trust *trust;
    struct mock_policy *policy; /* its inline and attached policies, merged */
};

struct mock_oidc {
    char *url;  /* "https://token.actions.githubusercontent.com" */
    char *host; /* the URL without its scheme: the provider ARN's and condition keys' name */
    char *arn;  /* "arn:aws:iam::ACCOUNT:oidc-provider/HOST" */
    char **client_ids;
    size_t client_id_count;
    char *secret; /* the HS256 key test tokens are signed with */
};

struct mock_roles {
    char account[13];
    struct mock_role *roles;
    size_t role_count;
    struct mock_oidc *providers;
    size_t provider_count;
};

struct mock_roles *mock_roles_new(const char *account_id);
void mock_roles_free(struct mock_roles *r);
/* Loads Iam.Roles and Iam.OpenIDConnectProviders from one fixture's Iam object. */
idc_err mock_roles_add_fixture(struct mock_roles *r, const struct mock_fx *fx, const cJSON *iam);
/* The role with this ARN (compared exactly), or NULL. */
const struct mock_role *mock_roles_find(const struct mock_roles *r, const char *arn);
/* The provider whose URL or host is `issuer`; a NULL issuer gives the first. NULL: none. */
const struct mock_oidc *mock_roles_provider(const struct mock_roles *r, const char *issuer);

/* ---- web identity tokens (jwt.c) --------------------------------------------------- */

struct mock_jwt {
    cJSON *claims;
    const char *signed_part; /* "HEADER.PAYLOAD" inside the token */
    size_t signed_len;
    uint8_t sig[IDC_SHA256_LEN];
};

/* Mints an HS256 JWT {iss, sub, aud, iat, exp} into `out` (NUL-terminated). */
bool mock_jwt_mint(const char *secret, const char *iss, const char *sub, const char *aud,
                   int64_t iat, int64_t exp, struct idc_dynbuf *out);
/*
 * Splits and decodes a compact JWS whose header says HS256; `why` gets the reason when it
 * is not one. The claims stay in `j` until mock_jwt_cleanup.
 */
bool mock_jwt_decode(const char *token, struct mock_jwt *j, char *why, size_t why_size);
/* True when the signature is HMAC-SHA256 of the signed part under `secret`. */
bool mock_jwt_verify(const struct mock_jwt *j, const char *secret);
void mock_jwt_cleanup(struct mock_jwt *j);

/* ---- issued credentials (sessions.c) ----------------------------------------------- */

struct mock_sessions *mock_sessions_new(void);
void mock_sessions_free(struct mock_sessions *s);
/*
 * Issues an ASIA key, a secret and a session token for `role` as session `name`, valid
 * until `expires`. The credential lives as long as the world; NULL when out of memory.
 */
const struct mock_credential *mock_sessions_issue(struct mock_sessions *s,
                                                  const struct mock_role *role, const char *account,
                                                  const char *name, int64_t expires);
const struct mock_credential *mock_sessions_find(struct mock_sessions *s,
                                                 struct idc_str access_key_id);

#endif
