/* SPDX-License-Identifier: Apache-2.0 */
/*
 * resolve.h - finds credentials, region, endpoint and network settings (CA bundle, proxy)
 * the way the AWS CLI (botocore) does, from what the caller gives, the environment and the
 * shared config/credentials files, and fills a `struct idc_client_config` from them. This
 * is the one place libidc reads the environment: a program that configures its clients
 * itself never calls it, and nothing else in the library calls getenv. No global state:
 * every call reads the environment and the files afresh, so one process can resolve
 * several profiles.
 */
#ifndef IDC_RESOLVE_H
#define IDC_RESOLVE_H

#include <stdbool.h>

#include "idc/api.h"
#include "idc/client.h"
#include "idc/error.h"

IDC_BEGIN_DECLS

#define IDC_RESOLVE_KEY_ID_MAX   128  /* bytes of an access key id, without the NUL */
#define IDC_RESOLVE_SECRET_MAX   128  /* bytes of a secret access key */
#define IDC_RESOLVE_TOKEN_MAX    4096 /* bytes of a session token */
#define IDC_RESOLVE_PROFILE_MAX  128  /* bytes of a profile name */
#define IDC_RESOLVE_REGION_MAX   63   /* bytes of a region name (one DNS label) */
#define IDC_RESOLVE_URL_MAX      1024 /* bytes of an endpoint URL */
#define IDC_RESOLVE_PATH_MAX     1023 /* bytes of a CA bundle path or a proxy URL */
#define IDC_RESOLVE_NO_PROXY_MAX 2047 /* bytes of a no_proxy list */
#define IDC_RESOLVE_SOURCE_MAX   (IDC_RESOLVE_PROFILE_MAX + 32) /* "profile NAME", ... */
#define IDC_RESOLVE_ARN_MAX      2048                           /* bytes of a role ARN (arnType) */
#define IDC_RESOLVE_SESSION_MAX  64                             /* bytes of a role session name */

/* What the caller gives explicitly (command-line options). NULL or "" means "not given". */
struct idc_resolve_input {
    const char *access_key_id;     /* with secret_access_key: used before anything else */
    const char *secret_access_key; /* never copied into a message */
    const char *session_token;     /* only together with the two keys */
    const char *profile;           /* hides the AWS_* key variables, as botocore's --profile */
    const char *region;            /* before AWS_REGION, AWS_DEFAULT_REGION, the profile */
    const char *endpoint_url;      /* before AWS_ENDPOINT_URL_<SERVICE>, ... */
    const char *ca_bundle;         /* before AWS_CA_BUNDLE and the profile's ca_bundle */
};

/* Credentials in caller storage; clear with idc_resolve_creds_cleanup. */
struct idc_resolve_creds {
    char access_key_id[IDC_RESOLVE_KEY_ID_MAX + 1];
    char secret_access_key[IDC_RESOLVE_SECRET_MAX + 1];
    char session_token[IDC_RESOLVE_TOKEN_MAX + 1]; /* "" when there is none */
    bool has_session_token;              /* temporary keys: they expire, so callers warn */
    char source[IDC_RESOLVE_SOURCE_MAX]; /* "explicit", "environment", "profile NAME" */
};

/* A region, or none. */
struct idc_resolve_region {
    bool found;                            /* false: no region anywhere (not an error) */
    char name[IDC_RESOLVE_REGION_MAX + 1]; /* "" when !found */
    char source[IDC_RESOLVE_SOURCE_MAX];   /* "explicit", "AWS_REGION", "AWS_DEFAULT_REGION",
                                              "profile NAME", or "" when !found */
};

/* Where to send a service's requests and which region to sign them for. */
struct idc_resolve_endpoint {
    char url[IDC_RESOLVE_URL_MAX + 1];
    char signing_region[IDC_RESOLVE_REGION_MAX + 1];
    bool custom; /* from the caller, the environment or the profile, not the partition table */
    char source[IDC_RESOLVE_SOURCE_MAX]; /* "explicit", "AWS_ENDPOINT_URL_IAM",
                                            "AWS_ENDPOINT_URL", "profile NAME", "partition aws" */
};

/*
 * Finds credentials; the first match wins, in botocore's order:
 *   1. the caller's keys (`in` access_key_id + secret_access_key [+ session_token]);
 *   2. the caller's profile, which hides the AWS_* key variables;
 *   3. AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY [+ AWS_SESSION_TOKEN];
 *   4. the profile AWS_PROFILE, else "default", from the credentials file
 *      (AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials) and the config file
 *      (AWS_CONFIG_FILE, else ~/.aws/config); the credentials file wins for the same key.
 *   in   in   the caller's choices; NULL gives none
 *   out  out  filled on success, wiped on failure; borrowed by nothing
 * Returns IDC_ERR_ARG: one key without the other, a profile that does not exist (explicit
 * or AWS_PROFILE), a profile of a kind not supported (role_arn, web identity, SSO,
 * credential_process), nothing found (the message lists what was tried).
 * IDC_ERR_LIMIT: a value longer than its IDC_RESOLVE_*_MAX. Profile files: IDC_ERR_IO,
 * IDC_ERR_PARSE, IDC_ERR_NOMEM. No message holds a secret or a token.
 */
idc_err idc_resolve_credentials(const struct idc_resolve_input *in, struct idc_resolve_creds *out,
                                struct idc_error *err);

/* Wipes the keys and token (idc_wipe); NULL is fine. */
void idc_resolve_creds_cleanup(struct idc_resolve_creds *creds);

/* Web identity settings (spec/credentials.md 1.2): the token file is read at each use. */
struct idc_resolve_web_identity {
    char role_arn[IDC_RESOLVE_ARN_MAX + 1];
    char token_file[IDC_RESOLVE_PATH_MAX + 1];
    char session_name[IDC_RESOLVE_SESSION_MAX + 1]; /* "" when none is set */
    char source[IDC_RESOLVE_SOURCE_MAX];            /* "environment" or "profile NAME" */
};

/* What the credential chain chose. */
enum idc_resolve_kind {
    IDC_RESOLVE_KEYS,         /* keys as they are: `creds` */
    IDC_RESOLVE_WEB_IDENTITY, /* a role for a web identity token, through STS: `web` */
};

struct idc_resolve_chain {
    enum idc_resolve_kind kind;
    struct idc_resolve_creds creds;      /* IDC_RESOLVE_KEYS */
    struct idc_resolve_web_identity web; /* IDC_RESOLVE_WEB_IDENTITY */
};

/*
 * Walks botocore's credential chain as far as libidc implements it: the caller's keys,
 * AWS_ACCESS_KEY_ID (unless a profile is given), web identity (AWS_WEB_IDENTITY_TOKEN_FILE
 * with AWS_ROLE_ARN and AWS_ROLE_SESSION_NAME unless a profile is given, else the
 * profile's web_identity_token_file, role_arn and role_session_name, each setting found on
 * its own), then the profile's keys as idc_resolve_credentials finds them. provider.h turns
 * the result into credentials a client asks for. Returns idc_resolve_credentials' errors,
 * and IDC_ERR_ARG for web identity without a role.
 */
idc_err idc_resolve_chain(const struct idc_resolve_input *in, struct idc_resolve_chain *out,
                          struct idc_error *err);

/* Wipes what `chain` holds; NULL is fine. */
void idc_resolve_chain_cleanup(struct idc_resolve_chain *chain);

/*
 * Finds the region: the caller's, else AWS_REGION, else AWS_DEFAULT_REGION, else the
 * profile's `region` (profile: the caller's, else AWS_PROFILE, else "default"). Finding none
 * is not an error: out->found is false and callers say what to do ("no region: give
 * --region or set AWS_REGION").
 *   in   in   the caller's choices; NULL gives none
 *   out  out  the region and where it came from
 * Returns IDC_ERR_ARG: a region that is not lowercase letters, digits and dashes (the
 * message names where it came from), a requested profile that does not exist. Profile
 * files: IDC_ERR_IO, IDC_ERR_PARSE, IDC_ERR_NOMEM.
 */
idc_err idc_resolve_region(const struct idc_resolve_input *in, struct idc_resolve_region *out,
                           struct idc_error *err);

/*
 * Finds the endpoint of `service`: the caller's URL, else AWS_ENDPOINT_URL_<SERVICE>
 * (AWS_ENDPOINT_URL_IDENTITYSTORE, AWS_ENDPOINT_URL_IAM), else AWS_ENDPOINT_URL, else the
 * profile's `endpoint_url`, else the partition table (aws, aws-cn for cn-*, aws-us-gov
 * for us-gov-*). A service with one endpoint per partition (IAM) uses it:
 * iam.amazonaws.com signed for us-east-1, iam.cn-north-1.amazonaws.com.cn for cn-north-1,
 * iam.us-gov.amazonaws.com for us-gov-west-1. A custom URL is signed for the region as
 * botocore does (for a global service without a region, us-east-1).
 *   in       in   the caller's choices; NULL gives none
 *   service  in   &idc_service_identitystore, &idc_service_iam, ...
 *   region   in   from idc_resolve_region; NULL or !found means none
 *   out      out  URL and signing region
 * Returns IDC_ERR_ARG: a regional service (Identity Store) without a region, a malformed region, a
 * region of a partition not in the table (aws-iso*), a URL that is not http(s)://host..., a
 * requested profile that does not exist. IDC_ERR_LIMIT: a URL over IDC_RESOLVE_URL_MAX. Profile
 * files: IDC_ERR_IO, IDC_ERR_PARSE, IDC_ERR_NOMEM.
 */
idc_err idc_resolve_endpoint(const struct idc_resolve_input *in, const struct idc_service *service,
                             const struct idc_resolve_region *region,
                             struct idc_resolve_endpoint *out, struct idc_error *err);

/* Network settings: where to find trusted CAs and which proxy to go through. */
struct idc_resolve_network {
    char ca_bundle[IDC_RESOLVE_PATH_MAX + 1];    /* "" for the system store */
    char https_proxy[IDC_RESOLVE_PATH_MAX + 1];  /* "" for none */
    char no_proxy[IDC_RESOLVE_NO_PROXY_MAX + 1]; /* "" for none */
    char ca_source[IDC_RESOLVE_SOURCE_MAX];      /* "explicit", "AWS_CA_BUNDLE", "profile N" */
};

/*
 * Finds the network settings as botocore does: the CA bundle from the caller, else
 * AWS_CA_BUNDLE, else the profile's `ca_bundle`; the proxy from https_proxy, else
 * HTTPS_PROXY; the exemptions from no_proxy, else NO_PROXY (the lowercase name first, as
 * Python's urllib and curl read them). An empty variable counts as unset.
 *   in   in   the caller's choices; NULL gives none
 *   out  out  the settings, each "" when none applies
 * A profile named by AWS_PROFILE that does not exist just has no ca_bundle here (resolving
 * credentials from it is what fails), so the network settings alone never fail on it.
 * Returns IDC_ERR_LIMIT (a value longer than its IDC_RESOLVE_*_MAX, naming the variable),
 * IDC_ERR_ARG (a profile given in `in` that does not exist), the profile files' errors.
 */
idc_err idc_resolve_network(const struct idc_resolve_input *in, struct idc_resolve_network *out,
                            struct idc_error *err);

/*
 * Sets cfg's service, endpoint_url, region (the signing region), keys (session_token NULL
 * when there is none) and, when `network` is given, ca_bundle, https_proxy and no_proxy;
 * other fields are left as they are.
 *   cfg       in,out  borrows from `creds`, `endpoint` and `network`: keep them alive while
 *                     cfg is used
 *   creds     in      from idc_resolve_credentials
 *   endpoint  in      from idc_resolve_endpoint for `service`
 *   network   in      from idc_resolve_network, or NULL
 */
void idc_resolve_fill_config(struct idc_client_config *cfg, const struct idc_service *service,
                             const struct idc_resolve_creds *creds,
                             const struct idc_resolve_endpoint *endpoint,
                             const struct idc_resolve_network *network);

/*
 * Everything a client needs, resolved in one call (idc_resolve_all). `config` points into
 * the struct's own fields: keep the struct where it was filled (never copy it by value)
 * for as long as the config is used.
 */
struct idc_resolved {
    struct idc_resolve_creds creds;
    struct idc_resolve_region region;
    struct idc_resolve_endpoint endpoint;
    struct idc_resolve_network network;
    struct idc_client_config config; /* filled; points into the fields above */
};

/*
 * Credentials, region, endpoint and network for `service` in one call, and `out->config`
 * filled from them as idc_resolve_fill_config does. `out` holds the secret: clean it up
 * with idc_resolved_cleanup once the client is made (the client keeps its own copy).
 * Returns the errors of the four resolvers; `out` is wiped on failure.
 */
idc_err idc_resolve_all(const struct idc_resolve_input *in, const struct idc_service *service,
                        struct idc_resolved *out, struct idc_error *err);

/* Wipes the credentials in `r`; NULL is fine. */
void idc_resolved_cleanup(struct idc_resolved *r);

IDC_END_DECLS

#endif
