/* SPDX-License-Identifier: Apache-2.0 */
/*
 * roles.c - IAM roles and OIDC providers from the fixtures' Iam object (spec/mockaws/
 * fixtures.md): a role's trust policy, its permission policies merged into one, its
 * MaxSessionDuration; a provider's URL, client ids and the secret test tokens are signed
 * with. Loaded once before serving and read-only afterwards, so nothing here locks.
 */
#include "roles.h"

#include <stdlib.h>
#include <string.h>

#include "iam.h"

struct mock_roles *mock_roles_new(const char *account_id)
{
    struct mock_roles *r = calloc(1, sizeof *r);
    if (r != NULL) {
        snprintf(r->account, sizeof r->account, "%s", account_id);
    }
    return r;
}

static void role_free(struct mock_role *role)
{
    free(role->name);
    free(role->id);
    free(role->path);
    free(role->arn);
    mock_trust_free(role->trust);
    mock_policy_free(role->policy);
}

static void provider_free(struct mock_oidc *p)
{
    free(p->url);
    free(p->host);
    free(p->arn);
    for (size_t i = 0; i < p->client_id_count; i++) {
        free(p->client_ids[i]);
    }
    free(p->client_ids);
    if (p->secret != NULL) {
        idc_wipe(p->secret, strlen(p->secret));
    }
    free(p->secret);
}

void mock_roles_free(struct mock_roles *r)
{
    if (r == NULL) {
        return;
    }
    for (size_t i = 0; i < r->role_count; i++) {
        role_free(&r->roles[i]);
    }
    for (size_t i = 0; i < r->provider_count; i++) {
        provider_free(&r->providers[i]);
    }
    free(r->roles);
    free(r->providers);
    free(r);
}

const struct mock_role *mock_roles_find(const struct mock_roles *r, const char *arn)
{
    for (size_t i = 0; r != NULL && i < r->role_count; i++) {
        if (strcmp(r->roles[i].arn, arn) == 0) {
            return &r->roles[i];
        }
    }
    return NULL;
}

const struct mock_oidc *mock_roles_provider(const struct mock_roles *r, const char *issuer)
{
    for (size_t i = 0; r != NULL && i < r->provider_count; i++) {
        const struct mock_oidc *p = &r->providers[i];
        if (issuer == NULL || strcmp(p->url, issuer) == 0 || strcmp(p->host, issuer) == 0) {
            return p;
        }
    }
    return NULL;
}

static idc_err nomem(const struct mock_fx *fx)
{
    return idc_error_set(fx->err, IDC_ERR_NOMEM, "%s: out of memory", fx->file);
}

/* ---- roles -------------------------------------------------------------------------- */

/* One {PolicyName, PolicyDocument[, PolicyArn]} of InlinePolicies or AttachedPolicies. */
static idc_err add_policies(struct mock_role *role, const struct mock_fx *fx, const cJSON *node,
                            const char *path, const char *key, bool attached)
{
    static const char *const inline_known[] = {"PolicyName", "PolicyDocument", NULL};
    static const char *const attached_known[] = {"PolicyName", "PolicyArn", "PolicyDocument", NULL};
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(node, key);
    if (list == NULL) {
        return IDC_OK;
    }
    if (!cJSON_IsArray(list)) {
        return mock_fx_fail_key(fx, path, key, "expected an array");
    }
    size_t i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, list)
    {
        char at[320];
        const char *name;
        snprintf(at, sizeof at, "%.250s.%s[%zu]", path, key, i++);
        idc_err rc =
            cJSON_IsObject(item)
                ? mock_fx_known_keys(fx, item, at, attached ? attached_known : inline_known)
                : mock_fx_fail(fx, at, "expected an object");
        rc = rc ? rc : mock_fx_string(fx, item, at, "PolicyName", true, &name);
        const cJSON *doc = cJSON_GetObjectItemCaseSensitive(item, "PolicyDocument");
        if (rc == IDC_OK && doc == NULL) {
            rc = mock_fx_fail_key(fx, at, "PolicyDocument", "missing required member");
        }
        char sub[340];
        snprintf(sub, sizeof sub, "%s.PolicyDocument", at);
        struct mock_policy *p = NULL;
        rc = rc ? rc : mock_policy_parse(doc, fx->file, sub, &p, fx->err);
        if (rc == IDC_OK && !mock_policy_merge(role->policy, p)) {
            rc = nomem(fx);
        }
        if (rc) {
            return rc;
        }
    }
    return IDC_OK;
}

static idc_err role_fields(struct mock_roles *r, struct mock_role *role, const struct mock_fx *fx,
                           const cJSON *node, const char *path)
{
    static const char *const known[] = {"RoleName",
                                        "RoleId",
                                        "Path",
                                        "Arn",
                                        "CreateDate",
                                        "Description",
                                        "MaxSessionDuration",
                                        "AssumeRolePolicyDocument",
                                        "InlinePolicies",
                                        "AttachedPolicies",
                                        NULL};
    const char *name, *id, *rpath, *arn;
    idc_err rc = cJSON_IsObject(node) ? mock_fx_known_keys(fx, node, path, known)
                                      : mock_fx_fail(fx, path, "expected a role object");
    rc = rc ? rc : mock_fx_string(fx, node, path, "RoleName", true, &name);
    rc = rc ? rc : mock_fx_string(fx, node, path, "RoleId", true, &id);
    rc = rc ? rc : mock_fx_string(fx, node, path, "Path", false, &rpath);
    rc = rc ? rc : mock_fx_string(fx, node, path, "Arn", false, &arn);
    if (rc) {
        return rc;
    }
    size_t n = strlen(name);
    if (n == 0 || n > 64 || !iam_all_in(name, n, 0x21, 0x7e)) {
        return mock_fx_fail_key(fx, path, "RoleName", "expected 1 to 64 of [\\w+=,.@-]");
    }
    for (size_t i = 0; i < n; i++) {
        if (!iam_is_name_char((unsigned char)name[i])) {
            return mock_fx_fail_key(fx, path, "RoleName", "expected 1 to 64 of [\\w+=,.@-]");
        }
    }
    if (strncmp(id, "AROA", 4) != 0) {
        return mock_fx_fail_key(fx, path, "RoleId", "expected an id starting AROA, got \"%s\"", id);
    }
    rpath = rpath ? rpath : "/";
    if (!iam_path_ok(rpath)) {
        return mock_fx_fail_key(fx, path, "Path", "expected \"/\" or \"/.../\", got \"%s\"", rpath);
    }
    size_t len = strlen(r->account) + strlen(rpath) + n + 32;
    role->arn = malloc(len);
    role->name = strdup(name);
    role->id = strdup(id);
    role->path = strdup(rpath);
    if (role->arn == NULL || role->name == NULL || role->id == NULL || role->path == NULL) {
        return nomem(fx);
    }
    snprintf(role->arn, len, "arn:aws:iam::%s:role%s%s", r->account, rpath, name);
    if (arn != NULL && strcmp(arn, role->arn) != 0) {
        return mock_fx_fail_key(fx, path, "Arn", "\"%s\" differs from the derived \"%s\"", arn,
                                role->arn);
    }
    if (mock_roles_find(r, role->arn) != NULL) {
        return mock_fx_fail_key(fx, path, "RoleName", "%s is defined twice", role->arn);
    }
    return IDC_OK;
}

static idc_err role_limits(struct mock_role *role, const struct mock_fx *fx, const cJSON *node,
                           const char *path)
{
    int64_t created;
    idc_err rc = mock_fx_time(fx, node, path, "CreateDate", false, &created);
    const cJSON *max = cJSON_GetObjectItemCaseSensitive(node, "MaxSessionDuration");
    role->max_session = MOCK_ROLE_SESSION_DEFAULT;
    if (rc == IDC_OK && max != NULL) {
        if (!cJSON_IsNumber(max) || max->valuedouble < MOCK_ROLE_SESSION_DEFAULT ||
            max->valuedouble > MOCK_ROLE_SESSION_MAX) {
            return mock_fx_fail_key(fx, path, "MaxSessionDuration",
                                    "expected seconds from %d to %d", MOCK_ROLE_SESSION_DEFAULT,
                                    MOCK_ROLE_SESSION_MAX);
        }
        role->max_session = (int64_t)max->valuedouble;
    }
    return rc;
}

static idc_err add_role(struct mock_roles *r, const struct mock_fx *fx, const cJSON *node,
                        const char *path)
{
    struct mock_role role = {0};
    idc_err rc = role_fields(r, &role, fx, node, path);
    rc = rc ? rc : role_limits(&role, fx, node, path);
    const cJSON *trust = cJSON_GetObjectItemCaseSensitive(node, "AssumeRolePolicyDocument");
    char sub[320];
    snprintf(sub, sizeof sub, "%.250s.AssumeRolePolicyDocument", path);
    if (rc == IDC_OK && trust == NULL) {
        rc = mock_fx_fail_key(fx, path, "AssumeRolePolicyDocument", "missing required member");
    }
    rc = rc ? rc : mock_trust_parse(trust, fx, sub, &role.trust);
    if (rc == IDC_OK && (role.policy = mock_policy_new_empty()) == NULL) {
        rc = nomem(fx);
    }
    rc = rc ? rc : add_policies(&role, fx, node, path, "InlinePolicies", false);
    rc = rc ? rc : add_policies(&role, fx, node, path, "AttachedPolicies", true);
    struct mock_role *grown = rc ? NULL : realloc(r->roles, (r->role_count + 1) * sizeof *grown);
    if (grown == NULL) {
        role_free(&role);
        return rc ? rc : nomem(fx);
    }
    r->roles = grown;
    r->roles[r->role_count++] = role;
    return IDC_OK;
}

/* ---- OIDC providers ----------------------------------------------------------------- */

static idc_err provider_fields(struct mock_roles *r, struct mock_oidc *p, const struct mock_fx *fx,
                               const cJSON *node, const char *path)
{
    static const char *const known[] = {"Url",         "ClientIDList", "ThumbprintList",
                                        "HS256Secret", "Description",  NULL};
    const char *url, *secret;
    idc_err rc = cJSON_IsObject(node) ? mock_fx_known_keys(fx, node, path, known)
                                      : mock_fx_fail(fx, path, "expected a provider object");
    rc = rc ? rc : mock_fx_string(fx, node, path, "Url", true, &url);
    rc = rc ? rc : mock_fx_string(fx, node, path, "HS256Secret", true, &secret);
    if (rc) {
        return rc;
    }
    if (strncmp(url, "https://", 8) != 0 || url[8] == '\0' || strchr(url + 8, '/') == url + 8) {
        return mock_fx_fail_key(fx, path, "Url", "expected https://HOST[/PATH], got \"%s\"", url);
    }
    if (strlen(secret) < 16) {
        return mock_fx_fail_key(fx, path, "HS256Secret", "expected at least 16 bytes, got %zu",
                                strlen(secret));
    }
    size_t len = strlen(r->account) + strlen(url) + 40;
    p->url = strdup(url);
    p->host = strdup(url + 8);
    p->secret = strdup(secret);
    p->arn = malloc(len);
    if (p->url == NULL || p->host == NULL || p->secret == NULL || p->arn == NULL) {
        return nomem(fx);
    }
    snprintf(p->arn, len, "arn:aws:iam::%s:oidc-provider/%s", r->account, p->host);
    if (mock_roles_provider(r, p->url) != NULL) {
        return mock_fx_fail_key(fx, path, "Url", "%s is defined twice", url);
    }
    return IDC_OK;
}

static idc_err provider_clients(struct mock_oidc *p, const struct mock_fx *fx, const cJSON *node,
                                const char *path)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(node, "ClientIDList");
    if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0) {
        return mock_fx_fail_key(fx, path, "ClientIDList", "expected a non-empty array of strings");
    }
    p->client_ids = calloc((size_t)cJSON_GetArraySize(list), sizeof *p->client_ids);
    if (p->client_ids == NULL) {
        return nomem(fx);
    }
    const cJSON *item;
    cJSON_ArrayForEach(item, list)
    {
        if (!cJSON_IsString(item) || item->valuestring[0] == '\0') {
            char at[64];
            snprintf(at, sizeof at, "ClientIDList[%zu]", p->client_id_count);
            return mock_fx_fail_key(fx, path, at, "expected a non-empty string");
        }
        if ((p->client_ids[p->client_id_count] = strdup(item->valuestring)) == NULL) {
            return nomem(fx);
        }
        p->client_id_count++;
    }
    return IDC_OK;
}

static idc_err add_provider(struct mock_roles *r, const struct mock_fx *fx, const cJSON *node,
                            const char *path)
{
    struct mock_oidc p = {0};
    idc_err rc = provider_fields(r, &p, fx, node, path);
    rc = rc ? rc : provider_clients(&p, fx, node, path);
    struct mock_oidc *grown =
        rc ? NULL : realloc(r->providers, (r->provider_count + 1) * sizeof *grown);
    if (grown == NULL) {
        provider_free(&p);
        return rc ? rc : nomem(fx);
    }
    r->providers = grown;
    r->providers[r->provider_count++] = p;
    return IDC_OK;
}

typedef idc_err add_fn(struct mock_roles *r, const struct mock_fx *fx, const cJSON *node,
                       const char *path);

static idc_err load_list(struct mock_roles *r, const struct mock_fx *fx, const cJSON *iam,
                         const char *key, add_fn *add)
{
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(iam, key);
    if (list == NULL) {
        return IDC_OK;
    }
    if (!cJSON_IsArray(list)) {
        return mock_fx_fail_key(fx, "$.Iam", key, "expected an array");
    }
    size_t i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, list)
    {
        char path[64];
        snprintf(path, sizeof path, "$.Iam.%s[%zu]", key, i++);
        idc_err rc = add(r, fx, item, path);
        if (rc) {
            return rc;
        }
    }
    return IDC_OK;
}

idc_err mock_roles_add_fixture(struct mock_roles *r, const struct mock_fx *fx, const cJSON *iam)
{
    idc_err rc = load_list(r, fx, iam, "OpenIDConnectProviders", add_provider);
    return rc ? rc : load_list(r, fx, iam, "Roles", add_role);
}
