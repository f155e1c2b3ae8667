/* SPDX-License-Identifier: Apache-2.0 */
/*
 * resolve.c - credentials, region, endpoint and network settings found as the AWS CLI
 * (botocore) finds them: the only file of libidc that reads the environment. Nothing is
 * cached: each call reads the environment and the profile files again. Messages name
 * profiles, files, variables and regions, never a key, secret or token.
 */
#include "idc/resolve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idc/str.h"
#include "profile.h"
#include "protocol.h"
#include "termtext.h"

static const struct idc_resolve_input no_input;

static bool given(const char *s)
{
    return s != NULL && s[0] != '\0';
}

/* botocore treats an empty variable as an unset one. */
static const char *env_get(const char *name)
{
    const char *v = getenv(name);
    return given(v) ? v : NULL;
}

/* A non-secret value made safe to quote: controls and bad UTF-8 escaped, cut with "...". */
struct shown {
    char s[IDC_RESOLVE_PROFILE_MAX + 4];
};

static struct shown show(struct idc_str v)
{
    struct shown out;
    idc_text_escape_to(v, out.s, sizeof out.s);
    return out;
}

/* The profile that applies: the caller's, else AWS_PROFILE, else "default". */
struct profile_choice {
    char name[IDC_RESOLVE_PROFILE_MAX + 1];
    bool requested;  /* explicit or AWS_PROFILE: it must exist, as in botocore */
    const char *via; /* " (from AWS_PROFILE)" or "" */
};

static idc_err choose_profile(const struct idc_resolve_input *in, struct profile_choice *pc,
                              struct idc_error *err)
{
    const char *name = "default";
    const char *env_profile = env_get("AWS_PROFILE");
    *pc = (struct profile_choice){.via = ""};
    if (given(in->profile)) {
        name = in->profile;
        pc->requested = true;
    } else if (env_profile != NULL) {
        name = env_profile;
        pc->requested = true;
        pc->via = " (from AWS_PROFILE)";
    }
    size_t len = strlen(name);
    if (len > IDC_RESOLVE_PROFILE_MAX) {
        return idc_error_set(err, IDC_ERR_LIMIT,
                             "profile name '%s'%s is %zu bytes, more than the %d supported; use a "
                             "shorter name",
                             show(idc_str_c(name)).s, pc->via, len, IDC_RESOLVE_PROFILE_MAX);
    }
    memcpy(pc->name, name, len + 1);
    return IDC_OK;
}

static const char *missing_note(const struct idc_profile_file *f)
{
    return f->found ? "" : " (missing)";
}

static idc_err profile_not_found(const struct idc_profile_set *s, const struct profile_choice *pc,
                                 struct idc_error *err)
{
    struct shown name = show(idc_str_c(pc->name));
    return idc_error_set(err, IDC_ERR_ARG,
                         "profile '%s'%s is not in %s%s or %s%s; check the name, or add [%s] to "
                         "the credentials file or [profile %s] to the config file",
                         name.s, pc->via, s->credentials.path, missing_note(&s->credentials),
                         s->config.path, missing_note(&s->config), name.s, name.s);
}

/* Loads the profile files and checks that a requested profile exists. */
static idc_err load_profile(const struct idc_resolve_input *in, struct profile_choice *pc,
                            struct idc_profile_set *s, bool *has, struct idc_error *err)
{
    idc_err rc = choose_profile(in, pc, err);
    if (rc != IDC_OK) {
        *s = (struct idc_profile_set){0};
        return rc;
    }
    rc = idc_profile_set_load(s, err);
    if (rc != IDC_OK) {
        return rc;
    }
    *has = idc_profile_set_has(s, idc_str_c(pc->name));
    return (!*has && pc->requested) ? profile_not_found(s, pc, err) : IDC_OK;
}

/* Checks and copies a value found in a profile, before the files are freed. */
typedef idc_err profile_take_fn(void *out, struct idc_str value, const char *source,
                                struct idc_error *err);

/* The profile's `key`, when it has one, given to `take` with the source "profile NAME". */
static idc_err take_value(const struct idc_profile_set *s, const struct profile_choice *pc,
                          struct idc_str key, profile_take_fn *take, void *out,
                          struct idc_error *err)
{
    struct idc_str v;
    if (!idc_profile_set_get(s, idc_str_c(pc->name), key, &v, NULL)) {
        return IDC_OK;
    }
    char source[IDC_RESOLVE_SOURCE_MAX];
    snprintf(source, sizeof source, "profile %s", pc->name);
    return take(out, v, source, err);
}

/* The profile's `key` (region, endpoint_url) given to `take` with the source "profile NAME". */
static idc_err take_from_profile(const struct idc_resolve_input *in, struct idc_str key,
                                 profile_take_fn *take, void *out, struct idc_error *err)
{
    struct profile_choice pc;
    struct idc_profile_set s;
    bool has = false;
    idc_err rc = load_profile(in, &pc, &s, &has, err);
    rc = rc ? rc : take_value(&s, &pc, key, take, out, err);
    idc_profile_set_cleanup(&s);
    return rc;
}

/*
 * take_from_profile for a setting that only refines what the environment gives (the CA
 * bundle): a profile named by AWS_PROFILE that does not exist just has no such setting.
 * Its absence is reported where it matters, when credentials are resolved from it.
 */
static idc_err take_from_profile_if_any(const struct idc_resolve_input *in, struct idc_str key,
                                        profile_take_fn *take, void *out, struct idc_error *err)
{
    if (given(in->profile)) {
        return take_from_profile(in, key, take, out, err);
    }
    struct profile_choice pc;
    struct idc_profile_set s = {0};
    idc_err rc = choose_profile(in, &pc, err);
    rc = rc ? rc : idc_profile_set_load(&s, err);
    rc = rc ? rc : take_value(&s, &pc, key, take, out, err);
    idc_profile_set_cleanup(&s);
    return rc;
}

/* ---- credentials ------------------------------------------------------------------------ */

/* Copies one credential field; a value too long is refused without quoting it. */
static idc_err put_field(char *dst, size_t max, struct idc_str v, const char *field,
                         const char *origin, struct idc_error *err)
{
    if (v.len > max) {
        return idc_error_set(err, IDC_ERR_LIMIT,
                             "the %s from %s is %zu bytes, more than the %zu supported; check "
                             "that it holds only the %s",
                             field, origin, v.len, max, field);
    }
    memcpy(dst, v.p, v.len);
    dst[v.len] = '\0';
    return IDC_OK;
}

static idc_err creds_put(struct idc_resolve_creds *out, struct idc_str key, struct idc_str secret,
                         struct idc_str token, const char *origin, struct idc_error *err)
{
    idc_err rc =
        put_field(out->access_key_id, IDC_RESOLVE_KEY_ID_MAX, key, "access key id", origin, err);
    if (rc == IDC_OK) {
        rc = put_field(out->secret_access_key, IDC_RESOLVE_SECRET_MAX, secret, "secret access key",
                       origin, err);
    }
    if (rc == IDC_OK) {
        rc = put_field(out->session_token, IDC_RESOLVE_TOKEN_MAX, token, "session token", origin,
                       err);
    }
    out->has_session_token = rc == IDC_OK && token.len > 0;
    return rc;
}

static idc_err creds_explicit(const struct idc_resolve_input *in, struct idc_resolve_creds *out,
                              struct idc_error *err)
{
    bool id = given(in->access_key_id);
    bool secret = given(in->secret_access_key);
    if (!id && !secret) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "a session token was given without an access key id and secret "
                             "access key; give all three");
    }
    if (!id || !secret) {
        return idc_error_set(err, IDC_ERR_ARG, "an explicit %s was given without the %s; give both",
                             id ? "access key id" : "secret access key",
                             id ? "secret access key" : "access key id");
    }
    snprintf(out->source, sizeof out->source, "explicit");
    return creds_put(out, idc_str_c(in->access_key_id), idc_str_c(in->secret_access_key),
                     idc_str_c(in->session_token), "the caller", err);
}

static idc_err creds_env(struct idc_resolve_creds *out, struct idc_error *err)
{
    const char *id = env_get("AWS_ACCESS_KEY_ID");
    const char *secret = env_get("AWS_SECRET_ACCESS_KEY");
    if (id == NULL || secret == NULL) {
        const char *set = id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY";
        const char *unset = id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID";
        return idc_error_set(err, IDC_ERR_ARG,
                             "%s is set but %s is not; set both, or unset %s to use a profile", set,
                             unset, set);
    }
    /* AWS_SECURITY_TOKEN is the older name botocore still reads. */
    const char *token = env_get("AWS_SESSION_TOKEN");
    token = token ? token : env_get("AWS_SECURITY_TOKEN");
    snprintf(out->source, sizeof out->source, "environment");
    return creds_put(out, idc_str_c(id), idc_str_c(secret), idc_str_c(token), "the environment",
                     err);
}

static idc_err unsupported(const struct profile_choice *pc, const char *key, const char *kind,
                           struct idc_error *err)
{
    return idc_error_set(err, IDC_ERR_ARG,
                         "profile '%s' uses %s (%s), which libidc does not support yet; give "
                         "access keys in the profile or the environment",
                         show(idc_str_c(pc->name)).s, key, kind);
}

/*
 * Kinds botocore tries before the profile's static keys (its provider order: assume-role,
 * web identity, SSO, then the credentials file). Stopping here instead of falling through
 * to other keys keeps us from signing as someone the AWS CLI would not.
 */
static idc_err check_before_keys(const struct idc_profile_set *s, const struct profile_choice *pc,
                                 bool has, struct idc_error *err)
{
    static const struct {
        const char *key;
        const char *kind;
    } kinds[] = {
        {"role_arn", "assume-role"},
        {"web_identity_token_file", "web identity"},
        {"sso_session", "IAM Identity Center sign-in"},
        {"sso_start_url", "IAM Identity Center sign-in"},
    };
    struct idc_str name = idc_str_c(pc->name);
    struct idc_str v;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        /* botocore's web identity provider reads this variable before the profile. */
        bool web = strcmp(kinds[i].key, "web_identity_token_file") == 0;
        if (web && env_get("AWS_WEB_IDENTITY_TOKEN_FILE") != NULL) {
            return idc_error_set(err, IDC_ERR_ARG,
                                 "AWS_WEB_IDENTITY_TOKEN_FILE is set (web identity), whose "
                                 "temporary credentials come through STS: resolve them with "
                                 "idc_resolve_chain and a provider (provider.h), or unset it");
        }
        if (has && idc_profile_set_get(s, name, idc_str_c(kinds[i].key), &v, NULL)) {
            return unsupported(pc, kinds[i].key, kinds[i].kind, err);
        }
    }
    return IDC_OK;
}

/* The profile's keys in one file; *found stays false when the file has neither key. */
static idc_err keys_from_file(const struct idc_profile_file *f, const struct profile_choice *pc,
                              struct idc_resolve_creds *out, bool *found, struct idc_error *err)
{
    struct idc_str name = idc_str_c(pc->name);
    struct idc_str id = {"", 0}, secret = {"", 0}, token = {"", 0};
    bool has_id = idc_profile_file_get(f, name, IDC_STR("aws_access_key_id"), &id) && id.len;
    bool has_secret =
        idc_profile_file_get(f, name, IDC_STR("aws_secret_access_key"), &secret) && secret.len;
    if (!has_id && !has_secret) {
        return IDC_OK;
    }
    struct shown shown_name = show(name);
    if (!has_id || !has_secret) {
        return idc_error_set(err, IDC_ERR_ARG, "profile '%s' in %s has %s but no %s; add it",
                             shown_name.s, f->path,
                             has_id ? "aws_access_key_id" : "aws_secret_access_key",
                             has_id ? "aws_secret_access_key" : "aws_access_key_id");
    }
    if (!idc_profile_file_get(f, name, IDC_STR("aws_session_token"), &token)) {
        idc_profile_file_get(f, name, IDC_STR("aws_security_token"), &token);
    }
    char origin[IDC_RESOLVE_SOURCE_MAX + IDC_PROFILE_PATH_MAX];
    snprintf(origin, sizeof origin, "profile '%s' in %s", shown_name.s, f->path);
    snprintf(out->source, sizeof out->source, "profile %s", pc->name);
    *found = true;
    return creds_put(out, id, secret, token, origin, err);
}

static idc_err no_keys(const struct idc_profile_set *s, const struct profile_choice *pc, bool has,
                       struct idc_error *err)
{
    struct shown name = show(idc_str_c(pc->name));
    if (pc->requested) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "profile '%s'%s has no aws_access_key_id and aws_secret_access_key "
                             "in %s or %s; add them to the profile",
                             name.s, pc->via, s->credentials.path, s->config.path);
    }
    return idc_error_set(err, IDC_ERR_ARG,
                         "no AWS credentials found: tried explicit keys, AWS_ACCESS_KEY_ID and "
                         "AWS_SECRET_ACCESS_KEY, and profile '%s' (%s) in %s%s and %s%s; set the "
                         "variables, AWS_PROFILE or add keys to the profile",
                         name.s, has ? "it has no keys" : "not present", s->credentials.path,
                         missing_note(&s->credentials), s->config.path, missing_note(&s->config));
}

static idc_err creds_from_profiles(const struct idc_resolve_input *in,
                                   struct idc_resolve_creds *out, struct idc_error *err)
{
    struct profile_choice pc;
    struct idc_profile_set s;
    bool has = false;
    bool found = false;
    idc_err rc = load_profile(in, &pc, &s, &has, err);
    if (rc == IDC_OK) {
        rc = check_before_keys(&s, &pc, has, err);
    }
    if (rc == IDC_OK) {
        rc = keys_from_file(&s.credentials, &pc, out, &found, err);
    }
    /* botocore runs credential_process after the credentials file, before the config file. */
    struct idc_str v;
    if (rc == IDC_OK && !found &&
        idc_profile_set_get(&s, idc_str_c(pc.name), IDC_STR("credential_process"), &v, NULL)) {
        rc = unsupported(&pc, "credential_process", "an external credential process", err);
    }
    if (rc == IDC_OK && !found) {
        rc = keys_from_file(&s.config, &pc, out, &found, err);
    }
    if (rc == IDC_OK && !found) {
        rc = no_keys(&s, &pc, has, err);
    }
    idc_profile_set_cleanup(&s);
    return rc;
}

/* ---- the chain: web identity ------------------------------------------------------------ */

struct web_setting {
    const char *variable; /* read first, unless a profile is given */
    const char *key;      /* then the profile's */
    char *out;
    size_t max;
    const char *what;
    bool found;
};

/* One web identity setting, from its variable or the profile (each found on its own). */
static idc_err web_setting(const struct idc_resolve_input *in, const struct idc_profile_set *s,
                           const struct profile_choice *pc, bool has, struct web_setting *w,
                           struct idc_error *err)
{
    const char *v = given(in->profile) ? NULL : env_get(w->variable);
    struct idc_str value = idc_str_c(v);
    char origin[IDC_RESOLVE_SOURCE_MAX + 16];
    snprintf(origin, sizeof origin, "%s", w->variable);
    if (v == NULL) {
        if (!has || !idc_profile_set_get(s, idc_str_c(pc->name), idc_str_c(w->key), &value, NULL) ||
            value.len == 0) {
            return IDC_OK;
        }
        snprintf(origin, sizeof origin, "profile %s", pc->name);
    }
    w->found = true;
    return put_field(w->out, w->max, value, w->what, origin, err);
}

/* Web identity, when a token file is set; *found stays false when none is. */
static idc_err chain_web_identity(const struct idc_resolve_input *in,
                                  const struct idc_profile_set *s, const struct profile_choice *pc,
                                  bool has, struct idc_resolve_web_identity *out, bool *found,
                                  struct idc_error *err)
{
    struct web_setting settings[] = {
        {"AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file", out->token_file,
         IDC_RESOLVE_PATH_MAX, "web identity token file path", false},
        {"AWS_ROLE_ARN", "role_arn", out->role_arn, IDC_RESOLVE_ARN_MAX, "role ARN", false},
        {"AWS_ROLE_SESSION_NAME", "role_session_name", out->session_name, IDC_RESOLVE_SESSION_MAX,
         "role session name", false},
    };
    idc_err rc = web_setting(in, s, pc, has, &settings[0], err);
    *found = rc == IDC_OK && settings[0].found;
    if (!*found) {
        return rc;
    }
    rc = web_setting(in, s, pc, has, &settings[1], err);
    rc = rc ? rc : web_setting(in, s, pc, has, &settings[2], err);
    if (rc == IDC_OK && !settings[1].found) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "web identity is set up (AWS_WEB_IDENTITY_TOKEN_FILE or "
                             "web_identity_token_file) but no role is: set AWS_ROLE_ARN, or "
                             "role_arn in profile '%s'",
                             show(idc_str_c(pc->name)).s);
    }
    bool from_env = !given(in->profile) && env_get("AWS_WEB_IDENTITY_TOKEN_FILE") != NULL;
    snprintf(out->source, sizeof out->source, from_env ? "environment" : "profile %s", pc->name);
    return rc;
}

idc_err idc_resolve_chain(const struct idc_resolve_input *in, struct idc_resolve_chain *out,
                          struct idc_error *err)
{
    if (out == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "idc_resolve_chain: out is NULL");
    }
    in = in ? in : &no_input;
    memset(out, 0, sizeof *out);
    bool keys_first =
        given(in->access_key_id) || given(in->secret_access_key) || given(in->session_token) ||
        (!given(in->profile) && (env_get("AWS_ACCESS_KEY_ID") || env_get("AWS_SECRET_ACCESS_KEY")));
    idc_err rc = IDC_OK;
    bool web = false;
    if (!keys_first) {
        struct profile_choice pc;
        struct idc_profile_set s;
        bool has = false;
        rc = load_profile(in, &pc, &s, &has, err);
        rc = rc ? rc : chain_web_identity(in, &s, &pc, has, &out->web, &web, err);
        idc_profile_set_cleanup(&s);
    }
    if (rc == IDC_OK && web) {
        out->kind = IDC_RESOLVE_WEB_IDENTITY;
        return IDC_OK;
    }
    rc = rc ? rc : idc_resolve_credentials(in, &out->creds, err);
    if (rc != IDC_OK) {
        idc_resolve_chain_cleanup(out);
    }
    return rc;
}

void idc_resolve_chain_cleanup(struct idc_resolve_chain *chain)
{
    if (chain != NULL) {
        idc_resolve_creds_cleanup(&chain->creds);
        memset(&chain->web, 0, sizeof chain->web);
    }
}

idc_err idc_resolve_credentials(const struct idc_resolve_input *in, struct idc_resolve_creds *out,
                                struct idc_error *err)
{
    if (out == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "idc_resolve_credentials: out is NULL");
    }
    in = in ? in : &no_input;
    memset(out, 0, sizeof *out);
    idc_err rc;
    if (given(in->access_key_id) || given(in->secret_access_key) || given(in->session_token)) {
        rc = creds_explicit(in, out, err);
    } else if (given(in->profile)) {
        rc = creds_from_profiles(in, out, err); /* an explicit profile hides the variables */
    } else if (env_get("AWS_ACCESS_KEY_ID") || env_get("AWS_SECRET_ACCESS_KEY")) {
        rc = creds_env(out, err);
    } else {
        rc = creds_from_profiles(in, out, err);
    }
    if (rc != IDC_OK) {
        idc_resolve_creds_cleanup(out);
    }
    return rc;
}

void idc_resolve_creds_cleanup(struct idc_resolve_creds *creds)
{
    if (creds != NULL) {
        idc_wipe(creds, sizeof *creds);
    }
}

/* ---- region ----------------------------------------------------------------------------- */

/* Region names are DNS labels inside endpoint host names: keep them to [a-z0-9-]. */
static idc_err check_region(struct idc_str r, const char *source, struct idc_error *err)
{
    bool ok = r.len > 0 && r.len <= IDC_RESOLVE_REGION_MAX && r.p[0] >= 'a' && r.p[0] <= 'z';
    for (size_t i = 0; ok && i < r.len; i++) {
        char c = r.p[i];
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    }
    if (!ok) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "region '%s' from %s is not valid: use lowercase letters, digits and "
                             "dashes, such as us-east-1",
                             show(r).s, source);
    }
    return IDC_OK;
}

/* `dst`: a struct idc_resolve_region (a profile_take_fn). */
static idc_err region_take(void *dst, struct idc_str r, const char *source, struct idc_error *err)
{
    struct idc_resolve_region *out = dst;
    idc_err rc = check_region(r, source, err);
    if (rc != IDC_OK) {
        return rc;
    }
    memcpy(out->name, r.p, r.len);
    out->name[r.len] = '\0';
    snprintf(out->source, sizeof out->source, "%s", source);
    out->found = true;
    return IDC_OK;
}

idc_err idc_resolve_region(const struct idc_resolve_input *in, struct idc_resolve_region *out,
                           struct idc_error *err)
{
    if (out == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "idc_resolve_region: out is NULL");
    }
    in = in ? in : &no_input;
    *out = (struct idc_resolve_region){0};
    if (given(in->region)) {
        return region_take(out, idc_str_c(in->region), "explicit", err);
    }
    static const char *const vars[] = {"AWS_REGION", "AWS_DEFAULT_REGION"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = env_get(vars[i]);
        if (v != NULL) {
            return region_take(out, idc_str_c(v), vars[i], err);
        }
    }
    return take_from_profile(in, IDC_STR("region"), region_take, out, err);
}

/* ---- endpoint --------------------------------------------------------------------------- */

static bool url_ok(struct idc_str u)
{
    struct idc_str rest;
    if (u.len >= 8 && idc_str_eq_nocase(idc_str_make(u.p, 8), IDC_STR("https://"))) {
        rest = idc_str_make(u.p + 8, u.len - 8);
    } else if (u.len >= 7 && idc_str_eq_nocase(idc_str_make(u.p, 7), IDC_STR("http://"))) {
        rest = idc_str_make(u.p + 7, u.len - 7);
    } else {
        return false;
    }
    if (rest.len == 0 || rest.p[0] == '/') {
        return false;
    }
    for (size_t i = 0; i < u.len; i++) {
        unsigned char c = (unsigned char)u.p[i];
        if (c <= 0x20 || c >= 0x7f) {
            return false;
        }
    }
    return true;
}

/* `dst`: a struct idc_resolve_endpoint (a profile_take_fn). */
static idc_err url_take(void *dst, struct idc_str u, const char *source, struct idc_error *err)
{
    struct idc_resolve_endpoint *out = dst;
    if (u.len > IDC_RESOLVE_URL_MAX) {
        return idc_error_set(err, IDC_ERR_LIMIT,
                             "endpoint URL from %s is %zu bytes, more than the %d supported; use "
                             "a shorter URL",
                             source, u.len, IDC_RESOLVE_URL_MAX);
    }
    if (!url_ok(u)) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "endpoint URL '%s' from %s is not valid: give https://host[:port] "
                             "(or http:// for a local test server)",
                             show(u).s, source);
    }
    memcpy(out->url, u.p, u.len);
    out->url[u.len] = '\0';
    snprintf(out->source, sizeof out->source, "%s", source);
    out->custom = true;
    return IDC_OK;
}

/* The caller's URL, the variables, then the profile's endpoint_url; none leaves !custom. */
static idc_err custom_url(const struct idc_resolve_input *in, const struct idc_service *service,
                          struct idc_resolve_endpoint *out, struct idc_error *err)
{
    if (given(in->endpoint_url)) {
        return url_take(out, idc_str_c(in->endpoint_url), "explicit", err);
    }
    char own[64];
    snprintf(own, sizeof own, "AWS_ENDPOINT_URL_%s", service->env_name);
    const char *vars[] = {own, "AWS_ENDPOINT_URL"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = env_get(vars[i]);
        if (v != NULL) {
            return url_take(out, idc_str_c(v), vars[i], err);
        }
    }
    return take_from_profile(in, IDC_STR("endpoint_url"), url_take, out, err);
}

struct partition {
    const char *name;
    const char *prefix;     /* regions that start with it belong here; "" for the rest */
    const char *dns_suffix; /* of regional endpoints */
};

/* From botocore's partitions.json. */
static const struct partition partitions[] = {
    {"aws-us-gov", "us-gov-", "amazonaws.com"},
    {"aws-cn", "cn-", "amazonaws.com.cn"},
    {"aws", "", "amazonaws.com"},
};

/* Isolated partitions use other domains that we do not list; refusing beats guessing. */
static const char *const isolated_prefixes[] = {"us-iso-", "us-isob-", "us-isof-", "eu-isoe-"};

/* A global service's endpoint in partition `p`, from its descriptor. */
static idc_err global_endpoint(const struct idc_service *service, const struct partition *p,
                               struct idc_resolve_endpoint *out, struct idc_error *err)
{
    for (const struct idc_service_global *g = service->global; g->partition != NULL; g++) {
        if (strcmp(g->partition, p->name) == 0) {
            snprintf(out->url, sizeof out->url, "%s", g->url);
            snprintf(out->signing_region, sizeof out->signing_region, "%s", g->signing_region);
            return IDC_OK;
        }
    }
    return idc_error_set(err, IDC_ERR_ARG,
                         "%s has no built-in endpoint in partition %s; give the endpoint URL "
                         "explicitly or set AWS_ENDPOINT_URL",
                         service->title, p->name);
}

static idc_err from_partition(const struct idc_service *service, const char *region,
                              struct idc_resolve_endpoint *out, struct idc_error *err)
{
    struct idc_str r = idc_str_c(region);
    for (size_t i = 0; i < sizeof isolated_prefixes / sizeof isolated_prefixes[0]; i++) {
        if (idc_str_starts_with(r, idc_str_c(isolated_prefixes[i]))) {
            return idc_error_set(err, IDC_ERR_ARG,
                                 "region '%s' is in an isolated partition with no built-in "
                                 "endpoint; give the endpoint URL explicitly or set "
                                 "AWS_ENDPOINT_URL",
                                 show(r).s);
        }
    }
    const struct partition *p = &partitions[0];
    while (!idc_str_starts_with(r, idc_str_c(p->prefix))) {
        p++; /* the last entry's empty prefix matches every region */
    }
    snprintf(out->source, sizeof out->source, "partition %s", p->name);
    if (service->global != NULL) {
        return global_endpoint(service, p, out, err);
    }
    snprintf(out->url, sizeof out->url, "https://%s.%s.%s", service->endpoint_prefix, region,
             p->dns_suffix);
    snprintf(out->signing_region, sizeof out->signing_region, "%s", region);
    return IDC_OK;
}

idc_err idc_resolve_endpoint(const struct idc_resolve_input *in, const struct idc_service *service,
                             const struct idc_resolve_region *region,
                             struct idc_resolve_endpoint *out, struct idc_error *err)
{
    if (out == NULL || service == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "idc_resolve_endpoint: %s is NULL",
                             out == NULL ? "out" : "the service");
    }
    in = in ? in : &no_input;
    *out = (struct idc_resolve_endpoint){0};
    const char *r = (region != NULL && region->found && region->name[0]) ? region->name : NULL;
    if (r != NULL) {
        idc_err rc =
            check_region(idc_str_c(r), region->source[0] ? region->source : "the caller", err);
        if (rc != IDC_OK) {
            return rc;
        }
    }
    idc_err rc = custom_url(in, service, out, err);
    if (rc != IDC_OK) {
        return rc;
    }
    if (r == NULL && service->needs_region) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "no region for %s%s%s%s: give a region, set AWS_REGION or add "
                             "region to the profile",
                             service->title,
                             out->custom ? " (needed to sign for the endpoint from " : "",
                             out->source, out->custom ? ")" : "");
    }
    if (!out->custom) {
        /* A global service with no region at all is the aws partition's endpoint. */
        return from_partition(service, r ? r : "us-east-1", out, err);
    }
    /* botocore signs for a custom endpoint with the configured region; else us-east-1. */
    snprintf(out->signing_region, sizeof out->signing_region, "%s", r ? r : "us-east-1");
    return IDC_OK;
}

/* ---- network ---------------------------------------------------------------------------- */

/* Copies a setting into `out`; one too long is refused, naming where it came from. */
static idc_err network_put(char *out, size_t cap, struct idc_str v, const char *what,
                           const char *source, struct idc_error *err)
{
    if (v.len >= cap) {
        return idc_error_set(err, IDC_ERR_LIMIT,
                             "the %s from %s is %zu bytes, more than the %zu supported", what,
                             source, v.len, cap - 1);
    }
    memcpy(out, v.p, v.len);
    out[v.len] = '\0';
    return IDC_OK;
}

/* `dst`: a struct idc_resolve_network (a profile_take_fn for its ca_bundle). */
static idc_err ca_take(void *dst, struct idc_str v, const char *source, struct idc_error *err)
{
    struct idc_resolve_network *out = dst;
    idc_err rc =
        network_put(out->ca_bundle, sizeof out->ca_bundle, v, "CA bundle path", source, err);
    if (rc == IDC_OK) {
        snprintf(out->ca_source, sizeof out->ca_source, "%s", source);
    }
    return rc;
}

/* The lowercase variable, else the uppercase one (urllib's and curl's order). */
static idc_err proxy_setting(const char *lower, const char *upper, char *out, size_t cap,
                             const char *what, struct idc_error *err)
{
    const char *name = env_get(lower) ? lower : upper;
    const char *v = env_get(name);
    return v ? network_put(out, cap, idc_str_c(v), what, name, err) : IDC_OK;
}

idc_err idc_resolve_network(const struct idc_resolve_input *in, struct idc_resolve_network *out,
                            struct idc_error *err)
{
    if (out == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "idc_resolve_network: out is NULL");
    }
    in = in ? in : &no_input;
    *out = (struct idc_resolve_network){0};
    idc_err rc;
    if (given(in->ca_bundle)) {
        rc = ca_take(out, idc_str_c(in->ca_bundle), "explicit", err);
    } else if (env_get("AWS_CA_BUNDLE") != NULL) {
        rc = ca_take(out, idc_str_c(env_get("AWS_CA_BUNDLE")), "AWS_CA_BUNDLE", err);
    } else {
        rc = take_from_profile_if_any(in, IDC_STR("ca_bundle"), ca_take, out, err);
    }
    rc = rc ? rc
            : proxy_setting("https_proxy", "HTTPS_PROXY", out->https_proxy, sizeof out->https_proxy,
                            "proxy URL", err);
    rc = rc ? rc
            : proxy_setting("no_proxy", "NO_PROXY", out->no_proxy, sizeof out->no_proxy,
                            "proxy exemption list", err);
    return rc;
}

/* ---- a whole client configuration ------------------------------------------------------- */

static const char *or_null(const char *s)
{
    return s[0] ? s : NULL;
}

void idc_resolve_fill_config(struct idc_client_config *cfg, const struct idc_service *service,
                             const struct idc_resolve_creds *creds,
                             const struct idc_resolve_endpoint *endpoint,
                             const struct idc_resolve_network *network)
{
    cfg->service = service;
    cfg->endpoint_url = endpoint->url;
    cfg->region = endpoint->signing_region;
    cfg->access_key_id = creds->access_key_id;
    cfg->secret_access_key = creds->secret_access_key;
    cfg->session_token = creds->has_session_token ? creds->session_token : NULL;
    if (network != NULL) {
        cfg->ca_bundle = or_null(network->ca_bundle);
        cfg->https_proxy = or_null(network->https_proxy);
        cfg->no_proxy = or_null(network->no_proxy);
    }
}

idc_err idc_resolve_all(const struct idc_resolve_input *in, const struct idc_service *service,
                        struct idc_resolved *out, struct idc_error *err)
{
    if (out == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "idc_resolve_all: out is NULL");
    }
    memset(out, 0, sizeof *out);
    idc_err rc = idc_resolve_region(in, &out->region, err);
    rc = rc ? rc : idc_resolve_endpoint(in, service, &out->region, &out->endpoint, err);
    rc = rc ? rc : idc_resolve_network(in, &out->network, err);
    rc = rc ? rc : idc_resolve_credentials(in, &out->creds, err);
    if (rc != IDC_OK) {
        idc_resolved_cleanup(out);
        return rc;
    }
    idc_resolve_fill_config(&out->config, service, &out->creds, &out->endpoint, &out->network);
    return IDC_OK;
}

void idc_resolved_cleanup(struct idc_resolved *r)
{
    if (r != NULL) {
        idc_wipe(r, sizeof *r);
    }
}
