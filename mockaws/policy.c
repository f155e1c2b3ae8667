/* SPDX-License-Identifier: Apache-2.0 */
/*
 * policy.c - the part of IAM policy evaluation mockaws needs: Allow and Deny statements,
 * Action or NotAction with wildcards (case-insensitive), Resource ARNs with wildcards
 * (case-sensitive). An explicit Deny wins, then every resource needs an Allow; the rest is
 * denied by default. Condition, NotResource and Principal are refused when loading.
 */
#include "mock.h"

#include <stdlib.h>
#include <string.h>

struct statement {
    bool deny;
    bool not_action;
    char **actions;
    size_t action_count;
    char **resources;
    size_t resource_count;
};

struct mock_policy {
    struct statement *st;
    size_t count;
};

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c | 0x20) : c;
}

/* Backtracks to the last '*'. */
bool mock_glob_match(const char *pat, const char *s, bool nocase)
{
    const char *star = NULL, *resume = NULL;
    while (*s) {
        char p = nocase ? lower(*pat) : *pat;
        char c = nocase ? lower(*s) : *s;
        if (*pat == '*') {
            star = pat++;
            resume = s;
        } else if (*pat != '\0' && (*pat == '?' || p == c)) {
            pat++;
            s++;
        } else if (star != NULL) {
            pat = star + 1;
            s = ++resume;
        } else {
            return false;
        }
    }
    while (*pat == '*') {
        pat++;
    }
    return *pat == '\0';
}

static bool any_match(char *const *pats, size_t n, const char *s, bool nocase)
{
    for (size_t i = 0; i < n; i++) {
        if (mock_glob_match(pats[i], s, nocase)) {
            return true;
        }
    }
    return false;
}

static bool statement_covers(const struct statement *st, const char *action, const char *resource)
{
    bool named = any_match(st->actions, st->action_count, action, true);
    if (named == st->not_action) {
        return false;
    }
    return any_match(st->resources, st->resource_count, resource, false);
}

enum mock_decision mock_policy_decide(const struct mock_policy *p, const char *action,
                                      const char *const *resources, size_t n, size_t *at)
{
    for (size_t r = 0; r < n; r++) {
        for (size_t i = 0; i < p->count; i++) {
            if (p->st[i].deny && statement_covers(&p->st[i], action, resources[r])) {
                *at = r;
                return MOCK_DENIED_EXPLICITLY;
            }
        }
    }
    for (size_t r = 0; r < n; r++) {
        bool allowed = false;
        for (size_t i = 0; i < p->count && !allowed; i++) {
            allowed = !p->st[i].deny && statement_covers(&p->st[i], action, resources[r]);
        }
        if (!allowed) {
            *at = r;
            return MOCK_DENIED_IMPLICITLY;
        }
    }
    return MOCK_ALLOWED;
}

/* ---- loading ------------------------------------------------------------------------ */

static void free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i]);
    }
    free(v);
}

/* Member `key` of the statement at `path`: a string or a non-empty array of strings, copied. */
static idc_err string_list(const struct mock_fx *fx, const cJSON *node, const char *path,
                           const char *key, char ***out, size_t *count)
{
    size_t n = cJSON_IsString(node) ? 1 : (size_t)cJSON_GetArraySize(node);
    if (!cJSON_IsString(node) && (!cJSON_IsArray(node) || n == 0)) {
        return mock_fx_fail_key(fx, path, key, "expected a string or a non-empty array of strings");
    }
    char **v = calloc(n, sizeof *v);
    if (v == NULL) {
        return idc_error_set(fx->err, IDC_ERR_NOMEM, "%s: out of memory", fx->file);
    }
    size_t i = 0;
    const cJSON *item = cJSON_IsString(node) ? node : node->child;
    for (; i < n; i++, item = item->next) {
        if (!cJSON_IsString(item) || item->valuestring[0] == '\0') {
            char at[64];
            snprintf(at, sizeof at, "%s[%zu]", key, i);
            free_strings(v, i);
            return mock_fx_fail_key(fx, path, cJSON_IsString(node) ? key : at,
                                    "expected a non-empty string");
        }
        v[i] = strdup(item->valuestring);
        if (v[i] == NULL) {
            free_strings(v, i);
            return idc_error_set(fx->err, IDC_ERR_NOMEM, "%s: out of memory", fx->file);
        }
    }
    *out = v;
    *count = n;
    return IDC_OK;
}

static idc_err refuse_unsupported(const struct mock_fx *fx, const cJSON *st, const char *path)
{
    static const char *const unsupported[] = {"Condition", "NotResource", "Principal",
                                              "NotPrincipal"};
    for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++) {
        if (cJSON_GetObjectItemCaseSensitive(st, unsupported[i]) != NULL) {
            return mock_fx_fail_key(fx, path, unsupported[i],
                                    "not supported by mockaws: remove it (evaluating the policy "
                                    "without it could allow what it was written to deny)");
        }
    }
    return IDC_OK;
}

static idc_err parse_statement(const struct mock_fx *fx, const cJSON *node, const char *path,
                               struct statement *st)
{
    static const char *const known[] = {"Sid",          "Effect",    "Action",      "NotAction",
                                        "Resource",     "Condition", "NotResource", "Principal",
                                        "NotPrincipal", NULL};
    if (!cJSON_IsObject(node)) {
        return mock_fx_fail(fx, path, "expected a statement object");
    }
    idc_err rc = refuse_unsupported(fx, node, path);
    rc = rc ? rc : mock_fx_known_keys(fx, node, path, known);
    rc = rc ? rc : mock_fx_effect(fx, node, path, &st->deny);
    if (rc) {
        return rc;
    }
    const cJSON *action = cJSON_GetObjectItemCaseSensitive(node, "Action");
    const cJSON *not_action = cJSON_GetObjectItemCaseSensitive(node, "NotAction");
    if ((action == NULL) == (not_action == NULL)) {
        return mock_fx_fail(fx, path, "a statement needs exactly one of Action and NotAction");
    }
    st->not_action = not_action != NULL;
    rc = string_list(fx, action ? action : not_action, path, action ? "Action" : "NotAction",
                     &st->actions, &st->action_count);
    if (rc) {
        return rc;
    }
    const cJSON *resource = cJSON_GetObjectItemCaseSensitive(node, "Resource");
    if (resource == NULL) {
        return mock_fx_fail_key(fx, path, "Resource", "missing required member (\"*\" or ARNs)");
    }
    return string_list(fx, resource, path, "Resource", &st->resources, &st->resource_count);
}

static idc_err check_version(const struct mock_fx *fx, const cJSON *doc, const char *path)
{
    static const char *const known[] = {"Version", "Id", "Statement", NULL};
    const char *version;
    idc_err rc = mock_fx_known_keys(fx, doc, path, known);
    rc = rc ? rc : mock_fx_string(fx, doc, path, "Version", false, &version);
    if (rc == IDC_OK && version != NULL && strcmp(version, "2012-10-17") != 0 &&
        strcmp(version, "2008-10-17") != 0) {
        return mock_fx_fail_key(fx, path, "Version",
                                "expected \"2012-10-17\" or \"2008-10-17\", got \"%s\"", version);
    }
    return rc;
}

idc_err mock_policy_parse(const cJSON *doc, const char *file, const char *path,
                          struct mock_policy **out, struct idc_error *err)
{
    struct mock_fx fx = {file, err};
    if (!cJSON_IsObject(doc)) {
        return mock_fx_fail(&fx, path, "expected a policy document object");
    }
    idc_err rc = check_version(&fx, doc, path);
    const cJSON *sts = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
    if (rc == IDC_OK && !cJSON_IsObject(sts) && !cJSON_IsArray(sts)) {
        rc = mock_fx_fail_key(&fx, path, "Statement", "%s",
                              sts == NULL ? "missing required member"
                                          : "expected an object or an array of them");
    }
    if (rc) {
        return rc;
    }
    size_t n = cJSON_IsArray(sts) ? (size_t)cJSON_GetArraySize(sts) : 1;
    struct mock_policy *p = calloc(1, sizeof *p);
    if (p == NULL || (p->st = calloc(n ? n : 1, sizeof *p->st)) == NULL) {
        free(p);
        return idc_error_set(err, IDC_ERR_NOMEM, "%s: out of memory", file);
    }
    const cJSON *node = cJSON_IsArray(sts) ? sts->child : sts;
    for (size_t i = 0; i < n && node != NULL; i++, node = node->next) {
        char sub[320];
        if (cJSON_IsArray(sts)) {
            snprintf(sub, sizeof sub, "%.250s.Statement[%zu]", path, i);
        } else {
            snprintf(sub, sizeof sub, "%.250s.Statement", path);
        }
        rc = parse_statement(&fx, node, sub, &p->st[i]);
        p->count = i + 1;
        if (rc) {
            mock_policy_free(p);
            return rc;
        }
    }
    *out = p;
    return IDC_OK;
}

struct mock_policy *mock_policy_new_empty(void)
{
    return calloc(1, sizeof(struct mock_policy));
}

bool mock_policy_merge(struct mock_policy *into, struct mock_policy *from)
{
    size_t n = into->count + from->count;
    struct statement *grown = realloc(into->st, (n ? n : 1) * sizeof *grown);
    if (grown == NULL) {
        mock_policy_free(from);
        return false;
    }
    memcpy(grown + into->count, from->st, from->count * sizeof *grown);
    into->st = grown;
    into->count = n;
    free(from->st);
    free(from);
    return true;
}

void mock_policy_free(struct mock_policy *p)
{
    if (p == NULL) {
        return;
    }
    for (size_t i = 0; i < p->count; i++) {
        free_strings(p->st[i].actions, p->st[i].action_count);
        free_strings(p->st[i].resources, p->st[i].resource_count);
    }
    free(p->st);
    free(p);
}
