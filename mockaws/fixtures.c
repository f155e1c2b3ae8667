/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fixtures.c - loads the fixture files (spec/mockaws/fixtures.md) into the world: the
 * account, credentials with their policies, then hands the store and IAM sections to
 * identitystore.c and iam.c. Every problem stops loading with "FILE: PATH: problem".
 */
#include "mock.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "roles.h"
#include "timefmt.h"

/* ---- helpers shared by every fixture section ---------------------------------------- */

idc_err mock_fx_fail(const struct mock_fx *fx, const char *path, const char *fmt, ...)
{
    char what[sizeof fx->err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return idc_error_set(fx->err, IDC_ERR_PARSE, "%s: %s: %s", fx->file, path, what);
}

idc_err mock_fx_fail_key(const struct mock_fx *fx, const char *path, const char *key,
                         const char *fmt, ...)
{
    char what[sizeof fx->err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return idc_error_set(fx->err, IDC_ERR_PARSE, "%s: %s.%s: %s", fx->file, path, key, what);
}

idc_err mock_fx_effect(const struct mock_fx *fx, const cJSON *statement, const char *path,
                       bool *deny)
{
    const char *effect;
    idc_err rc = mock_fx_string(fx, statement, path, "Effect", true, &effect);
    if (rc) {
        return rc;
    }
    if (strcmp(effect, "Allow") != 0 && strcmp(effect, "Deny") != 0) {
        return mock_fx_fail_key(fx, path, "Effect", "expected \"Allow\" or \"Deny\", got \"%s\"",
                                effect);
    }
    *deny = effect[0] == 'D';
    return IDC_OK;
}

idc_err mock_fx_string(const struct mock_fx *fx, const cJSON *obj, const char *path,
                       const char *key, bool required, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NULL;
    if (v == NULL) {
        return required ? mock_fx_fail_key(fx, path, key, "missing required member") : IDC_OK;
    }
    if (!cJSON_IsString(v)) {
        return mock_fx_fail_key(fx, path, key, "expected a string");
    }
    *out = v->valuestring;
    return IDC_OK;
}

idc_err mock_fx_known_keys(const struct mock_fx *fx, const cJSON *obj, const char *path,
                           const char *const *known)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, obj)
    {
        size_t i = 0;
        while (known[i] != NULL && strcmp(known[i], m->string) != 0) {
            i++;
        }
        if (known[i] == NULL) {
            return mock_fx_fail(fx, path,
                                "unknown member \"%s\" (check its spelling against "
                                "spec/mockaws/fixtures.md)",
                                m->string);
        }
    }
    return IDC_OK;
}

idc_err mock_fx_time(const struct mock_fx *fx, const cJSON *obj, const char *path, const char *key,
                     bool required, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = 0;
    if (v == NULL) {
        return required ? mock_fx_fail_key(fx, path, key, "missing required member") : IDC_OK;
    }
    if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 253402300800.0) {
        *out = (int64_t)v->valuedouble;
        return IDC_OK;
    }
    if (cJSON_IsString(v) && idc_time_parse_iso(idc_str_c(v->valuestring), out, NULL) == IDC_OK) {
        return IDC_OK;
    }
    return mock_fx_fail_key(fx, path, key,
                            "expected an ISO 8601 UTC time such as \"2025-11-20T09:30:00Z\", "
                            "or epoch seconds");
}

/* ---- credentials -------------------------------------------------------------------- */

static bool all_digits(const char *s, size_t n)
{
    if (strlen(s) != n) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
    }
    return true;
}

/* The secret is never quoted: only its length is. */
static idc_err check_credential(const struct mock_world *w, const struct mock_fx *fx,
                                const char *path, const char *akid, const char *secret,
                                const char *arn)
{
    size_t akid_len = strlen(akid), secret_len = strlen(secret);
    if (akid_len == 0 || akid_len > MOCK_ACCESS_KEY_MAX) {
        return mock_fx_fail_key(fx, path, "AccessKeyId", "expected 1 to %d bytes, got %zu",
                                MOCK_ACCESS_KEY_MAX, akid_len);
    }
    if (secret_len == 0 || secret_len > IDC_SIGV4_SECRET_MAX) {
        return mock_fx_fail_key(fx, path, "SecretAccessKey", "expected 1 to %d bytes, got %zu",
                                IDC_SIGV4_SECRET_MAX, secret_len);
    }
    if (strncmp(arn, "arn:", 4) != 0) {
        return mock_fx_fail_key(fx, path, "Arn",
                                "expected an ARN such as \"arn:aws:iam::123456789012:user/name\", "
                                "got \"%s\"",
                                arn);
    }
    if (mock_world_credential(w, idc_str_c(akid)) != NULL) {
        return mock_fx_fail_key(fx, path, "AccessKeyId", "%s is defined twice", akid);
    }
    return IDC_OK;
}

static idc_err add_credential(struct mock_world *w, const struct mock_fx *fx, const cJSON *node,
                              const char *path)
{
    static const char *const known[] = {"AccessKeyId", "SecretAccessKey", "SessionToken", "Arn",
                                        "Policy",      "Expiration",      "Description",  NULL};
    const char *akid, *secret, *token, *arn;
    int64_t expires = 0;
    idc_err rc = cJSON_IsObject(node) ? mock_fx_known_keys(fx, node, path, known)
                                      : mock_fx_fail(fx, path, "expected a credential object");
    rc = rc ? rc : mock_fx_string(fx, node, path, "AccessKeyId", true, &akid);
    rc = rc ? rc : mock_fx_string(fx, node, path, "SecretAccessKey", true, &secret);
    rc = rc ? rc : mock_fx_string(fx, node, path, "SessionToken", false, &token);
    rc = rc ? rc : mock_fx_string(fx, node, path, "Arn", true, &arn);
    rc = rc ? rc : mock_fx_time(fx, node, path, "Expiration", false, &expires);
    rc = rc ? rc : check_credential(w, fx, path, akid, secret, arn);
    if (rc) {
        return rc;
    }
    char sub[256];
    snprintf(sub, sizeof sub, "%s.Policy", path);
    const cJSON *doc = cJSON_GetObjectItemCaseSensitive(node, "Policy");
    if (doc == NULL) {
        return mock_fx_fail_key(fx, path, "Policy", "missing required member");
    }
    struct mock_policy *policy;
    rc = mock_policy_parse(doc, fx->file, sub, &policy, fx->err);
    if (rc) {
        return rc;
    }
    struct mock_credential *grown = realloc(w->creds, (w->cred_count + 1) * sizeof *grown);
    if (grown == NULL) {
        mock_policy_free(policy);
        return idc_error_set(fx->err, IDC_ERR_NOMEM, "out of memory");
    }
    w->creds = grown;
    struct mock_credential *c = &w->creds[w->cred_count++];
    *c = (struct mock_credential){.access_key_id = strdup(akid),
                                  .secret = strdup(secret),
                                  .session_token = token ? strdup(token) : NULL,
                                  .arn = strdup(arn),
                                  .policy = policy,
                                  .expires = expires};
    if (c->access_key_id == NULL || c->secret == NULL || c->arn == NULL ||
        (token != NULL && c->session_token == NULL)) {
        return idc_error_set(fx->err, IDC_ERR_NOMEM, "out of memory");
    }
    return IDC_OK;
}

const struct mock_credential *mock_world_credential(const struct mock_world *w,
                                                    struct idc_str access_key_id)
{
    for (size_t i = 0; i < w->cred_count; i++) {
        if (idc_str_eq(idc_str_c(w->creds[i].access_key_id), access_key_id)) {
            return &w->creds[i];
        }
    }
    return mock_sessions_find(w->sessions, access_key_id);
}

/* ---- one file ----------------------------------------------------------------------- */

static idc_err load_account(struct mock_world *w, const struct mock_fx *fx, const cJSON *root)
{
    const char *account;
    idc_err rc = mock_fx_string(fx, root, "$", "AccountId", false, &account);
    if (rc || account == NULL) {
        return rc;
    }
    if (!all_digits(account, 12)) {
        return mock_fx_fail_key(fx, "$", "AccountId", "expected 12 digits, got \"%s\"", account);
    }
    if (w->account_id[0] != '\0' && strcmp(w->account_id, account) != 0) {
        return mock_fx_fail_key(fx, "$", "AccountId",
                                "%s differs from %s set by an earlier fixture", account,
                                w->account_id);
    }
    memcpy(w->account_id, account, 13);
    return IDC_OK;
}

static idc_err load_document(struct mock_world *w, const struct mock_fx *fx, const cJSON *root)
{
    idc_err rc = IDC_OK;
    size_t i = 0;
    const cJSON *c;
    const cJSON *creds = cJSON_GetObjectItemCaseSensitive(root, "Credentials");
    if (creds != NULL && !cJSON_IsArray(creds)) {
        return mock_fx_fail_key(fx, "$", "Credentials", "expected an array");
    }
    cJSON_ArrayForEach(c, creds)
    {
        char path[64];
        snprintf(path, sizeof path, "$.Credentials[%zu]", i++);
        rc = rc ? rc : add_credential(w, fx, c, path);
    }
    const cJSON *stores = cJSON_GetObjectItemCaseSensitive(root, "IdentityStores");
    if (rc == IDC_OK && stores != NULL) {
        rc = mock_ids_add_fixture(w->ids, fx, stores);
    }
    const cJSON *iam = cJSON_GetObjectItemCaseSensitive(root, "Iam");
    if (rc == IDC_OK && iam != NULL) {
        rc = mock_iam_add_fixture(w->iam, fx, iam);
    }
    if (rc == IDC_OK && iam != NULL) {
        rc = mock_roles_add_fixture(w->roles, fx, iam);
    }
    return rc;
}

/* The parsed files, kept until every one is loaded: the account comes first. */
struct parsed_file {
    char *path;
    cJSON *root;
};

struct parsed_set {
    struct parsed_file *v;
    size_t n;
};

static void parsed_set_free(struct parsed_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        free(set->v[i].path);
        cJSON_Delete(set->v[i].root);
    }
    free(set->v);
}

static idc_err parse_file(struct parsed_set *set, const char *path, struct idc_error *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return idc_error_set(err, IDC_ERR_IO, "%s: %s", path, strerror(errno));
    }
    struct idc_dynbuf text = {0};
    char chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        idc_dynbuf_put(&text, chunk, got);
    }
    bool bad_read = ferror(f) != 0;
    fclose(f);
    if (bad_read || text.failed) {
        idc_dynbuf_free(&text);
        return idc_error_set(err, IDC_ERR_IO, "%s: cannot read the file", path);
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text.p ? text.p : "", text.len, &end, false);
    size_t at = end && text.p ? (size_t)(end - text.p) : 0;
    idc_dynbuf_free(&text);
    if (root == NULL) {
        return idc_error_set(err, IDC_ERR_PARSE, "%s: not valid JSON near byte %zu", path, at);
    }
    struct parsed_file *grown = realloc(set->v, (set->n + 1) * sizeof *grown);
    char *copy = strdup(path);
    if (grown == NULL || copy == NULL) {
        free(copy);
        cJSON_Delete(root);
        set->v = grown ? grown : set->v;
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory");
    }
    set->v = grown;
    set->v[set->n++] = (struct parsed_file){copy, root};
    return IDC_OK;
}

static int json_files(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return d->d_name[0] != '.' && n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

/* A file, or every *.json in a folder in name order. */
static idc_err parse_path(struct parsed_set *set, const char *path, struct idc_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        return idc_error_set(err, IDC_ERR_IO, "fixtures %s: %s", path, strerror(errno));
    }
    if (!S_ISDIR(st.st_mode)) {
        return parse_file(set, path, err);
    }
    struct dirent **list;
    int n = scandir(path, &list, json_files, alphasort);
    if (n < 0) {
        return idc_error_set(err, IDC_ERR_IO, "fixtures %s: %s", path, strerror(errno));
    }
    idc_err rc =
        n == 0 ? idc_error_set(err, IDC_ERR_IO, "fixtures %s: no *.json file", path) : IDC_OK;
    for (int i = 0; i < n; i++) {
        char file[4096];
        snprintf(file, sizeof file, "%s/%s", path, list[i]->d_name);
        rc = rc ? rc : parse_file(set, file, err);
        free(list[i]);
    }
    free(list);
    return rc;
}

static idc_err check_top_level(struct mock_world *w, const struct mock_fx *fx, const cJSON *root)
{
    static const char *const known[] = {"AccountId",      "Description", "Credentials",
                                        "IdentityStores", "Iam",         NULL};
    if (!cJSON_IsObject(root)) {
        return mock_fx_fail(fx, "$", "expected a JSON object");
    }
    idc_err rc = mock_fx_known_keys(fx, root, "$", known);
    return rc ? rc : load_account(w, fx, root);
}

static idc_err load_set(struct mock_world *w, const struct parsed_set *set, struct idc_error *err)
{
    idc_err rc = IDC_OK;
    for (size_t i = 0; i < set->n && rc == IDC_OK; i++) {
        struct mock_fx fx = {set->v[i].path, err};
        rc = check_top_level(w, &fx, set->v[i].root);
    }
    if (rc == IDC_OK && w->account_id[0] == '\0') {
        return idc_error_set(err, IDC_ERR_PARSE,
                             "no fixture sets AccountId; add \"AccountId\": "
                             "\"123456789012\" to one of them");
    }
    w->ids = rc ? NULL : mock_ids_new();
    w->iam = rc ? NULL : mock_iam_new(w->account_id);
    w->roles = rc ? NULL : mock_roles_new(w->account_id);
    w->sessions = rc ? NULL : mock_sessions_new();
    if (rc == IDC_OK &&
        (w->ids == NULL || w->iam == NULL || w->roles == NULL || w->sessions == NULL)) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < set->n && rc == IDC_OK; i++) {
        struct mock_fx fx = {set->v[i].path, err};
        rc = load_document(w, &fx, set->v[i].root);
    }
    return rc;
}

idc_err mock_world_load(struct mock_world *w, const struct mock_options *opt, struct idc_error *err)
{
    *w = (struct mock_world){0};
    struct parsed_set set = {0};
    idc_err rc = opt->fixture_count == 0
                     ? idc_error_set(err, IDC_ERR_ARG, "no fixtures: give --fixtures PATH")
                     : IDC_OK;
    for (size_t i = 0; i < opt->fixture_count && rc == IDC_OK; i++) {
        rc = parse_path(&set, opt->fixtures[i], err);
    }
    rc = rc ? rc : load_set(w, &set, err);
    parsed_set_free(&set);
    if (rc == IDC_OK && opt->synthetic_users > 0) {
        rc = mock_ids_add_synthetic(w->ids, "d-1234567890", opt->synthetic_users, err);
    }
    return rc;
}

void mock_credential_clear(struct mock_credential *c)
{
    if (c->secret != NULL) {
        idc_wipe(c->secret, strlen(c->secret));
    }
    if (c->session_token != NULL) {
        idc_wipe(c->session_token, strlen(c->session_token));
    }
    free(c->access_key_id);
    free(c->secret);
    free(c->session_token);
    free(c->arn);
    free(c->user_id);
    c->access_key_id = c->secret = c->session_token = c->arn = c->user_id = NULL;
}

void mock_world_free(struct mock_world *w)
{
    for (size_t i = 0; i < w->cred_count; i++) {
        mock_policy_free(w->creds[i].policy);
        mock_credential_clear(&w->creds[i]);
    }
    free(w->creds);
    mock_ids_free(w->ids);
    mock_iam_free(w->iam);
    mock_roles_free(w->roles);
    mock_sessions_free(w->sessions);
    *w = (struct mock_world){0};
}
