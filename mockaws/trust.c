/* SPDX-License-Identifier: Apache-2.0 */
/*
 * trust.c - role trust policies: who may assume a role (Principal), with which action, and
 * under which conditions (ExternalId, MFA, a web identity token's aud and sub). Only the
 * condition operators listed in roles.h load; any other is refused, never ignored.
 */
#include "roles.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum cond_op { OP_EQ, OP_NE, OP_LIKE, OP_NOT_LIKE, OP_EQ_NOCASE, OP_BOOL, OP_NULL };

static const struct {
    const char *name;
    enum cond_op op;
} operators[] = {
    {"StringEquals", OP_EQ},
    {"StringNotEquals", OP_NE},
    {"StringLike", OP_LIKE},
    {"StringNotLike", OP_NOT_LIKE},
    {"StringEqualsIgnoreCase", OP_EQ_NOCASE},
    {"Bool", OP_BOOL},
    {"Null", OP_NULL},
};

struct list {
    char **v;
    size_t n;
};

struct cond {
    enum cond_op op;
    char *key;
    struct list values;
};

struct tstatement {
    bool deny;
    bool anyone; /* Principal "*" */
    struct list aws, federated, service, actions;
    struct cond *conds;
    size_t cond_count;
};

struct mock_trust {
    struct tstatement *st;
    size_t count;
};

static void list_free(struct list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i]);
    }
    free(l->v);
    *l = (struct list){0};
}

static idc_err nomem(const struct mock_fx *fx)
{
    return idc_error_set(fx->err, IDC_ERR_NOMEM, "%s: out of memory", fx->file);
}

/* A string or a non-empty array of strings (values of a Bool condition may be JSON true). */
static idc_err list_parse(const struct mock_fx *fx, const cJSON *node, const char *path,
                          const char *key, struct list *out)
{
    size_t n = cJSON_IsArray(node) ? (size_t)cJSON_GetArraySize(node) : 1;
    if (cJSON_IsArray(node) ? n == 0 : !(cJSON_IsString(node) || cJSON_IsBool(node))) {
        return mock_fx_fail_key(fx, path, key, "expected a string or a non-empty array of strings");
    }
    out->v = calloc(n, sizeof *out->v);
    if (out->v == NULL) {
        return nomem(fx);
    }
    const cJSON *item = cJSON_IsArray(node) ? node->child : node;
    for (size_t i = 0; i < n; i++, item = item->next) {
        const char *s = cJSON_IsString(item)  ? item->valuestring
                        : cJSON_IsTrue(item)  ? "true"
                        : cJSON_IsFalse(item) ? "false"
                                              : NULL;
        if (s == NULL || s[0] == '\0') {
            return mock_fx_fail_key(fx, path, key, "expected non-empty strings");
        }
        if ((out->v[i] = strdup(s)) == NULL) {
            return nomem(fx);
        }
        out->n = i + 1;
    }
    return IDC_OK;
}

static idc_err principal_parse(const struct mock_fx *fx, const cJSON *node, const char *path,
                               struct tstatement *st)
{
    static const char *const known[] = {"AWS", "Federated", "Service", NULL};
    char sub[320];
    snprintf(sub, sizeof sub, "%.250s.Principal", path);
    if (cJSON_IsString(node) && strcmp(node->valuestring, "*") == 0) {
        st->anyone = true;
        return IDC_OK;
    }
    if (!cJSON_IsObject(node)) {
        return mock_fx_fail(fx, sub, "expected \"*\" or an object of AWS, Federated, Service");
    }
    idc_err rc = mock_fx_known_keys(fx, node, sub, known);
    const cJSON *v;
    if (rc == IDC_OK && (v = cJSON_GetObjectItemCaseSensitive(node, "AWS")) != NULL) {
        rc = list_parse(fx, v, sub, "AWS", &st->aws);
    }
    if (rc == IDC_OK && (v = cJSON_GetObjectItemCaseSensitive(node, "Federated")) != NULL) {
        rc = list_parse(fx, v, sub, "Federated", &st->federated);
    }
    if (rc == IDC_OK && (v = cJSON_GetObjectItemCaseSensitive(node, "Service")) != NULL) {
        rc = list_parse(fx, v, sub, "Service", &st->service);
    }
    return rc;
}

static idc_err conditions_parse(const struct mock_fx *fx, const cJSON *node, const char *path,
                                struct tstatement *st)
{
    char sub[320];
    snprintf(sub, sizeof sub, "%.250s.Condition", path);
    if (!cJSON_IsObject(node)) {
        return mock_fx_fail(fx, sub, "expected an object of operators");
    }
    const cJSON *opnode, *kv;
    cJSON_ArrayForEach(opnode, node)
    {
        size_t o = 0, count = sizeof operators / sizeof operators[0];
        while (o < count && strcmp(operators[o].name, opnode->string) != 0) {
            o++;
        }
        if (o == count) {
            return mock_fx_fail_key(fx, sub, opnode->string,
                                    "condition operator not supported by mockaws (StringEquals, "
                                    "StringNotEquals, StringLike, StringNotLike, "
                                    "StringEqualsIgnoreCase, Bool, Null)");
        }
        if (!cJSON_IsObject(opnode)) {
            return mock_fx_fail_key(fx, sub, opnode->string, "expected an object of keys");
        }
        cJSON_ArrayForEach(kv, opnode)
        {
            struct cond *grown = realloc(st->conds, (st->cond_count + 1) * sizeof *grown);
            if (grown == NULL) {
                return nomem(fx);
            }
            st->conds = grown;
            struct cond *c = &st->conds[st->cond_count++];
            *c = (struct cond){.op = operators[o].op, .key = strdup(kv->string)};
            char at[400];
            snprintf(at, sizeof at, "%.300s.%s", sub, opnode->string);
            idc_err rc = c->key ? list_parse(fx, kv, at, kv->string, &c->values) : nomem(fx);
            if (rc) {
                return rc;
            }
        }
    }
    return IDC_OK;
}

static idc_err statement_parse(const struct mock_fx *fx, const cJSON *node, const char *path,
                               struct tstatement *st)
{
    static const char *const known[] = {"Sid", "Effect", "Principal", "Action", "Condition", NULL};
    if (!cJSON_IsObject(node)) {
        return mock_fx_fail(fx, path, "expected a statement object");
    }
    idc_err rc = mock_fx_known_keys(fx, node, path, known);
    rc = rc ? rc : mock_fx_effect(fx, node, path, &st->deny);
    if (rc) {
        return rc;
    }
    const cJSON *principal = cJSON_GetObjectItemCaseSensitive(node, "Principal");
    const cJSON *action = cJSON_GetObjectItemCaseSensitive(node, "Action");
    const cJSON *condition = cJSON_GetObjectItemCaseSensitive(node, "Condition");
    if (principal == NULL) {
        return mock_fx_fail_key(fx, path, "Principal", "missing required member");
    }
    if (action == NULL) {
        return mock_fx_fail_key(fx, path, "Action", "missing required member");
    }
    rc = principal_parse(fx, principal, path, st);
    rc = rc ? rc : list_parse(fx, action, path, "Action", &st->actions);
    return rc || condition == NULL ? rc : conditions_parse(fx, condition, path, st);
}

idc_err mock_trust_parse(const cJSON *doc, const struct mock_fx *fx, const char *path,
                         struct mock_trust **out)
{
    static const char *const known[] = {"Version", "Id", "Statement", NULL};
    if (!cJSON_IsObject(doc)) {
        return mock_fx_fail(fx, path, "expected a policy document object");
    }
    idc_err rc = mock_fx_known_keys(fx, doc, path, known);
    const cJSON *sts = cJSON_GetObjectItemCaseSensitive(doc, "Statement");
    if (rc == IDC_OK && !cJSON_IsObject(sts) && !cJSON_IsArray(sts)) {
        rc = mock_fx_fail_key(fx, path, "Statement", "expected an object or an array of them");
    }
    if (rc) {
        return rc;
    }
    size_t n = cJSON_IsArray(sts) ? (size_t)cJSON_GetArraySize(sts) : 1;
    struct mock_trust *t = calloc(1, sizeof *t);
    if (t == NULL || (t->st = calloc(n ? n : 1, sizeof *t->st)) == NULL) {
        free(t);
        return nomem(fx);
    }
    const cJSON *node = cJSON_IsArray(sts) ? sts->child : sts;
    for (size_t i = 0; i < n && node != NULL; i++, node = node->next) {
        char sub[320];
        snprintf(sub, sizeof sub, cJSON_IsArray(sts) ? "%.250s.Statement[%zu]" : "%.250s.Statement",
                 path, i);
        t->count = i + 1;
        rc = statement_parse(fx, node, sub, &t->st[i]);
        if (rc) {
            mock_trust_free(t);
            return rc;
        }
    }
    *out = t;
    return IDC_OK;
}

void mock_trust_free(struct mock_trust *t)
{
    if (t == NULL) {
        return;
    }
    for (size_t i = 0; i < t->count; i++) {
        struct tstatement *st = &t->st[i];
        list_free(&st->aws);
        list_free(&st->federated);
        list_free(&st->service);
        list_free(&st->actions);
        for (size_t c = 0; c < st->cond_count; c++) {
            free(st->conds[c].key);
            list_free(&st->conds[c].values);
        }
        free(st->conds);
    }
    free(t->st);
    free(t);
}

/* ---- evaluation --------------------------------------------------------------------- */

/* "AWS": "*", the account ("123456789012" or its ":root" ARN), or one of the caller's ARNs. */
static bool aws_principal_matches(const char *p, const struct mock_trust_request *r)
{
    char root[64];
    snprintf(root, sizeof root, "arn:aws:iam::%s:root", r->account);
    if (strcmp(p, "*") == 0 || strcmp(p, r->account) == 0 || strcmp(p, root) == 0) {
        return true;
    }
    for (size_t i = 0; i < r->arn_count; i++) {
        if (strcmp(p, r->arns[i]) == 0) {
            return true;
        }
    }
    return false;
}

static bool principal_matches(const struct tstatement *st, const struct mock_trust_request *r)
{
    if (st->anyone) {
        return true;
    }
    const struct list *l = strcmp(r->type, "AWS") == 0         ? &st->aws
                           : strcmp(r->type, "Federated") == 0 ? &st->federated
                                                               : &st->service;
    for (size_t i = 0; i < l->n; i++) {
        bool aws = l == &st->aws;
        if (aws ? aws_principal_matches(l->v[i], r)
                : r->arn_count > 0 && strcmp(l->v[i], r->arns[0]) == 0) {
            return true;
        }
    }
    return false;
}

static const char *context_value(const struct mock_trust_request *r, const char *key)
{
    for (size_t i = 0; i < r->key_count; i++) {
        if (strcasecmp(r->keys[i], key) == 0) {
            return r->values[i];
        }
    }
    return NULL;
}

static bool value_matches(enum cond_op op, const char *pattern, const char *v)
{
    switch (op) {
    case OP_EQ:
    case OP_NE:
        return strcmp(pattern, v) == 0;
    case OP_LIKE:
    case OP_NOT_LIKE:
        return mock_glob_match(pattern, v, false);
    default: /* OP_EQ_NOCASE, OP_BOOL */
        return strcasecmp(pattern, v) == 0;
    }
}

/* Values are alternatives; a negated operator holds when none matches (or the key is absent). */
static bool condition_holds(const struct cond *c, const struct mock_trust_request *r)
{
    const char *v = context_value(r, c->key);
    if (c->op == OP_NULL) {
        bool want_absent = c->values.n > 0 && strcasecmp(c->values.v[0], "true") == 0;
        return want_absent == (v == NULL);
    }
    bool negated = c->op == OP_NE || c->op == OP_NOT_LIKE;
    if (v == NULL) {
        return negated;
    }
    bool any = false;
    for (size_t i = 0; i < c->values.n && !any; i++) {
        any = value_matches(c->op, c->values.v[i], v);
    }
    return negated ? !any : any;
}

static bool statement_matches(const struct tstatement *st, const struct mock_trust_request *r)
{
    bool action = false;
    for (size_t i = 0; i < st->actions.n && !action; i++) {
        action = mock_glob_match(st->actions.v[i], r->action, true);
    }
    if (!action || !principal_matches(st, r)) {
        return false;
    }
    for (size_t i = 0; i < st->cond_count; i++) {
        if (!condition_holds(&st->conds[i], r)) {
            return false;
        }
    }
    return true;
}

bool mock_trust_allows(const struct mock_trust *t, const struct mock_trust_request *r)
{
    bool allowed = false;
    for (size_t i = 0; i < t->count; i++) {
        if (statement_matches(&t->st[i], r)) {
            if (t->st[i].deny) {
                return false;
            }
            allowed = true;
        }
    }
    return allowed;
}
