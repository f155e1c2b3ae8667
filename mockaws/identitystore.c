/* SPDX-License-Identifier: Apache-2.0 */
/*
 * identitystore.c - the Identity Store operations (spec/mockaws/operations.md). Each call
 * is parsed and validated, admitted (policy, faults), run under the state lock into a
 * buffer, and answered after the lock is released, so a slow reply never blocks writers.
 * Pages are assembled by copying each item's JSON, rendered once when it was created.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "ids.h"

/* One call: its parameters, the resources it touches, and its outcome. */
struct ids_call {
    struct mock_request *req;
    struct mock_ids *ids;
    struct ids_store *store;
    const char *store_id;
    const char *user_id;
    const char *group_id;
    const char *membership_id;
    const char *next_token;
    const char *filter_path;
    const char *filter_value;
    int max_results;
    char arn[3][192];
    const char *resources[3];
    size_t resource_count;
    /* outcome */
    struct idc_dynbuf body;
    int status;
    const char *code;
    struct idc_dynbuf members; /* extra JSON members of the error, e.g. ResourceType */
    char message[512];
};

struct ids_op {
    const char *name;
    bool writes;
    int (*parse)(struct ids_call *c); /* 0, or -1 with the error set */
    int (*run)(struct ids_call *c);   /* under the lock; 0, or -1 with the error set */
};

/* ---- errors ------------------------------------------------------------------------- */

static int fail(struct ids_call *c, const char *code, const char *members, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(struct ids_call *c, const char *code, const char *members, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->message, sizeof c->message, fmt, ap);
    va_end(ap);
    c->code = code;
    c->status = strcmp(code, "InternalServerException") == 0 ? 500 : 400;
    idc_dynbuf_free(&c->members);
    if (members != NULL) {
        idc_dynbuf_str(&c->members, members);
    }
    return -1;
}

/* ValidationException in the service's words: "1 validation error detected: Value ...". */
static int invalid(struct ids_call *c, const char *member, const char *value, const char *rule)
{
    char field[64];
    snprintf(field, sizeof field, "%s", member);
    field[0] = (char)(field[0] >= 'A' && field[0] <= 'Z' ? field[0] | 0x20 : field[0]);
    if (value == NULL) {
        return fail(c, "ValidationException", NULL,
                    "1 validation error detected: Value null at '%s' failed to satisfy "
                    "constraint: Member must not be null",
                    field);
    }
    return fail(c, "ValidationException", NULL,
                "1 validation error detected: Value '%.200s' at '%s' failed to satisfy "
                "constraint: %s",
                value, field, rule);
}

/* `id` may be the caller's text (GetUserId's AttributeValue): quoted, never pasted. */
static int not_found(struct ids_call *c, const char *type, const char *id)
{
    if (strcmp(type, "IDENTITY_STORE") == 0) {
        fail(c, "ResourceNotFoundException", NULL,
             "IdentityStore not present for IdentityStoreId: %s", id);
    } else {
        fail(c, "ResourceNotFoundException", NULL, "%s not found: %.160s", type, id);
    }
    idc_dynbuf_printf(&c->members, "\"ResourceType\":\"%s\",\"ResourceId\":", type);
    idc_json_quote(&c->members, id, strlen(id));
    return -1;
}

/* ---- parameters --------------------------------------------------------------------- */

static const char *const store_rule =
    "Member must satisfy regular expression pattern: d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-"
    "[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
static const char *const id_rule =
    "Member must satisfy regular expression pattern: ([0-9a-f]{10}-|)[A-Fa-f0-9]{8}-[A-Fa-f0-9]"
    "{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}";

/* A string member; `valid` (may be NULL) checks its form. */
static int get_string(struct ids_call *c, const cJSON *obj, const char *key, bool required,
                      bool (*valid)(const char *), const char *rule, const char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NULL;
    if (v == NULL) {
        return required ? invalid(c, key, NULL, NULL) : 0;
    }
    if (!cJSON_IsString(v)) {
        return invalid(c, key, "(not a string)", "Member must be a string");
    }
    if (valid != NULL && !valid(v->valuestring)) {
        return invalid(c, key, v->valuestring, rule);
    }
    *out = v->valuestring;
    return 0;
}

static bool valid_token(const char *s)
{
    size_t n = strlen(s);
    return n >= 1 && n <= 65535 &&
           strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789-+=/:_") == n;
}

/* Resources are "<prefix><id>": the store's ARN, or a user, group or membership ARN. */
static void add_resource(struct ids_call *c, const char *prefix, const char *id)
{
    snprintf(c->arn[c->resource_count], sizeof c->arn[0], "%s%s", prefix, id);
    c->resources[c->resource_count] = c->arn[c->resource_count];
    c->resource_count++;
}

/* Every operation names a store; its ARN is the first resource. */
static int parse_store(struct ids_call *c)
{
    const cJSON *j = c->req->json;
    if (get_string(c, j, "IdentityStoreId", true, ids_valid_store_id, store_rule, &c->store_id)) {
        return -1;
    }
    char prefix[96];
    snprintf(prefix, sizeof prefix, "arn:aws:identitystore::%s:identitystore/",
             c->req->server->world.account_id);
    add_resource(c, prefix, c->store_id);
    return 0;
}

static int parse_paging(struct ids_call *c)
{
    const cJSON *mr = cJSON_GetObjectItemCaseSensitive(c->req->json, "MaxResults");
    c->max_results = 100;
    if (mr != NULL) {
        double v = cJSON_IsNumber(mr) ? mr->valuedouble : -1;
        char shown[32];
        snprintf(shown, sizeof shown, "%g", v);
        if (!cJSON_IsNumber(mr) || v != (double)(int)v || v < 1 || v > 100) {
            return invalid(c, "MaxResults", cJSON_IsNumber(mr) ? shown : "(not a number)",
                           "Member must have value less than or equal to 100 and greater than or "
                           "equal to 1");
        }
        c->max_results = (int)v;
    }
    return get_string(c, c->req->json, "NextToken", false, valid_token,
                      "Member must satisfy regular expression pattern: [-a-zA-Z0-9+=/:_]*",
                      &c->next_token);
}

/* The deprecated Filters: at most one {AttributePath, AttributeValue}. */
static int parse_filter(struct ids_call *c, const char *allowed_path)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(c->req->json, "Filters");
    if (f == NULL || cJSON_GetArraySize(f) == 0) {
        return 0;
    }
    const cJSON *one = cJSON_GetArrayItem(f, 0);
    if (!cJSON_IsArray(f) || cJSON_GetArraySize(f) > 1 ||
        get_string(c, one, "AttributePath", true, NULL, NULL, &c->filter_path) ||
        get_string(c, one, "AttributeValue", true, NULL, NULL, &c->filter_value)) {
        return c->code ? -1
                       : invalid(c, "Filters", "(malformed)",
                                 "Member must have length less "
                                 "than or equal to 1");
    }
    if (strcasecmp(c->filter_path, allowed_path) != 0) {
        return invalid(c, "Filters.AttributePath", c->filter_path,
                       "only the deprecated filter on "
                       "the name is supported");
    }
    return 0;
}

/* ---- tokens ------------------------------------------------------------------------- */

/* "v1:<seq>:<check>": the check binds the token to its store, listing and position. */
static uint64_t token_check(const struct ids_call *c, const char *scope, uint64_t seq)
{
    uint64_t h = 0x6d6f636b61777331ULL ^ seq;
    const char *parts[3] = {c->store_id, c->req->operation, scope ? scope : ""};
    for (int i = 0; i < 3; i++) {
        h = mock_fnv1a(h, parts[i], strlen(parts[i]));
        h = mock_fnv1a(h, "\xff", 1); /* a byte no part holds ends each one */
    }
    return h ^ (h >> 29);
}

static void put_token(struct ids_call *c, const char *scope, uint64_t seq)
{
    idc_dynbuf_printf(&c->body, ",\"NextToken\":\"v1:%016llx:%016llx\"", (unsigned long long)seq,
                      (unsigned long long)token_check(c, scope, seq));
}

/* The seq a page starts after: 0 without a token. */
static int token_position(struct ids_call *c, const char *scope, uint64_t *seq)
{
    unsigned long long s, check;
    char tail;
    *seq = 0;
    if (c->next_token == NULL) {
        return 0;
    }
    if (sscanf(c->next_token, "v1:%16llx:%16llx%c", &s, &check, &tail) != 2 ||
        check != token_check(c, scope, s)) {
        return fail(c, "ValidationException", NULL,
                    "The NextToken is not valid for this request; "
                    "start over without one.");
    }
    *seq = s;
    return 0;
}

/* ---- listing ------------------------------------------------------------------------ */

typedef bool item_filter(const struct ids_call *c, const struct ids_item *it);

/* {"<key>":[item,...],"NextToken":...}: items after the token that pass `keep`. */
static int list_items(struct ids_call *c, const struct ids_list *l, const char *key,
                      item_filter *keep, const char *scope)
{
    uint64_t after;
    if (token_position(c, scope, &after)) {
        return -1;
    }
    size_t i = ids_list_after(l, after);
    if (i < l->n) { /* one allocation for a page of items of about the size of the first */
        size_t n = l->n - i < (size_t)c->max_results ? l->n - i : (size_t)c->max_results;
        idc_dynbuf_reserve(&c->body, 128 + n * (l->v[i]->json_len + 1));
    }
    idc_dynbuf_printf(&c->body, "{\"%s\":[", key);
    int taken = 0;
    uint64_t last = after;
    for (; i < l->n; i++) {
        const struct ids_item *it = l->v[i];
        if (keep != NULL && !keep(c, it)) {
            continue;
        }
        if (taken == c->max_results) {
            break;
        }
        if (taken++ > 0) {
            idc_dynbuf_put(&c->body, ",", 1);
        }
        idc_dynbuf_put(&c->body, it->json, it->json_len);
        last = it->seq;
    }
    idc_dynbuf_put(&c->body, "]", 1);
    if (i < l->n) {
        put_token(c, scope, last);
    }
    idc_dynbuf_put(&c->body, "}", 1);
    return 0;
}

static bool user_name_matches(const struct ids_call *c, const struct ids_item *it)
{
    return strcmp(((const struct ids_user *)(const void *)it)->name, c->filter_value) == 0;
}

static bool group_name_matches(const struct ids_call *c, const struct ids_item *it)
{
    return strcmp(((const struct ids_group *)(const void *)it)->name, c->filter_value) == 0;
}

static bool in_group(const struct ids_call *c, const struct ids_item *it)
{
    return strcmp(((const struct ids_membership *)(const void *)it)->group_id, c->group_id) == 0;
}

static bool of_member(const struct ids_call *c, const struct ids_item *it)
{
    return strcmp(((const struct ids_membership *)(const void *)it)->user_id, c->user_id) == 0;
}

/* ---- operations --------------------------------------------------------------------- */

static int parse_list_users(struct ids_call *c)
{
    return parse_store(c) || parse_paging(c) || parse_filter(c, "UserName") ? -1 : 0;
}

static int run_list_users(struct ids_call *c)
{
    return list_items(c, &c->store->users, "Users", c->filter_path ? user_name_matches : NULL,
                      c->filter_value);
}

static int parse_list_groups(struct ids_call *c)
{
    return parse_store(c) || parse_paging(c) || parse_filter(c, "DisplayName") ? -1 : 0;
}

static int run_list_groups(struct ids_call *c)
{
    return list_items(c, &c->store->groups, "Groups", c->filter_path ? group_name_matches : NULL,
                      c->filter_value);
}

static int parse_user(struct ids_call *c)
{
    if (parse_store(c) ||
        get_string(c, c->req->json, "UserId", true, ids_valid_resource_id, id_rule, &c->user_id)) {
        return -1;
    }
    add_resource(c, "arn:aws:identitystore:::user/", c->user_id);
    return 0;
}

static struct ids_user *find_user(struct ids_call *c)
{
    struct ids_user *u = mock_map_get(&c->store->user_by_id, c->user_id);
    if (u == NULL) {
        not_found(c, "USER", c->user_id);
    }
    return u;
}

static int run_describe_user(struct ids_call *c)
{
    struct ids_user *u = find_user(c);
    if (u == NULL) {
        return -1;
    }
    idc_dynbuf_put(&c->body, u->item.json, u->item.json_len);
    return 0;
}

static int run_delete_user(struct ids_call *c)
{
    struct ids_user *u = find_user(c);
    if (u == NULL) {
        return -1;
    }
    ids_store_delete_user(c->store, u);
    idc_dynbuf_str(&c->body, "{}");
    return 0;
}

static int parse_member(struct ids_call *c)
{
    const cJSON *member = cJSON_GetObjectItemCaseSensitive(c->req->json, "MemberId");
    if (parse_store(c) || parse_paging(c)) {
        return -1;
    }
    if (!cJSON_IsObject(member)) {
        return invalid(c, "MemberId", NULL, NULL);
    }
    if (get_string(c, member, "UserId", true, ids_valid_resource_id, id_rule, &c->user_id)) {
        return -1;
    }
    add_resource(c, "arn:aws:identitystore:::user/", c->user_id);
    return 0;
}

static int run_memberships_for_member(struct ids_call *c)
{
    return find_user(c)
               ? list_items(c, &c->store->memberships, "GroupMemberships", of_member, c->user_id)
               : -1;
}

static int parse_group(struct ids_call *c)
{
    if (parse_store(c) || get_string(c, c->req->json, "GroupId", true, ids_valid_resource_id,
                                     id_rule, &c->group_id)) {
        return -1;
    }
    add_resource(c, "arn:aws:identitystore:::group/", c->group_id);
    return 0;
}

static int parse_group_paged(struct ids_call *c)
{
    return parse_group(c) || parse_paging(c) ? -1 : 0;
}

static struct ids_group *find_group(struct ids_call *c)
{
    struct ids_group *g = mock_map_get(&c->store->group_by_id, c->group_id);
    if (g == NULL) {
        not_found(c, "GROUP", c->group_id);
    }
    return g;
}

static int run_describe_group(struct ids_call *c)
{
    struct ids_group *g = find_group(c);
    if (g == NULL) {
        return -1;
    }
    idc_dynbuf_put(&c->body, g->item.json, g->item.json_len);
    return 0;
}

static int run_group_memberships(struct ids_call *c)
{
    return find_group(c)
               ? list_items(c, &c->store->memberships, "GroupMemberships", in_group, c->group_id)
               : -1;
}

static int parse_membership(struct ids_call *c)
{
    if (parse_store(c) || get_string(c, c->req->json, "MembershipId", true, ids_valid_resource_id,
                                     id_rule, &c->membership_id)) {
        return -1;
    }
    add_resource(c, "arn:aws:identitystore:::membership/", c->membership_id);
    return 0;
}

static int run_delete_membership(struct ids_call *c)
{
    struct ids_membership *m = mock_map_get(&c->store->membership_by_id, c->membership_id);
    if (m == NULL) {
        return not_found(c, "GROUP_MEMBERSHIP", c->membership_id);
    }
    ids_store_delete_membership(c->store, m);
    idc_dynbuf_str(&c->body, "{}");
    return 0;
}

/* ---- GetUserId ---------------------------------------------------------------------- */

static int parse_get_user_id(struct ids_call *c)
{
    const cJSON *alt = cJSON_GetObjectItemCaseSensitive(c->req->json, "AlternateIdentifier");
    if (parse_store(c)) {
        return -1;
    }
    const cJSON *unique = cJSON_GetObjectItemCaseSensitive(alt, "UniqueAttribute");
    const cJSON *external = cJSON_GetObjectItemCaseSensitive(alt, "ExternalId");
    if (!cJSON_IsObject(alt) || (unique == NULL) == (external == NULL)) {
        return invalid(c, "AlternateIdentifier", alt ? "(malformed)" : NULL,
                       "Member must have exactly one of ExternalId and UniqueAttribute");
    }
    if (external != NULL) {
        c->filter_path = "externalId";
        return get_string(c, external, "Issuer", true, NULL, NULL, &c->group_id) ||
                       get_string(c, external, "Id", true, NULL, NULL, &c->filter_value)
                   ? -1
                   : 0;
    }
    if (get_string(c, unique, "AttributePath", true, NULL, NULL, &c->filter_path) ||
        get_string(c, unique, "AttributeValue", true, NULL, NULL, &c->filter_value)) {
        return -1;
    }
    if (strcasecmp(c->filter_path, "userName") != 0 &&
        strcasecmp(c->filter_path, "emails.value") != 0) {
        return invalid(c, "AlternateIdentifier.UniqueAttribute.AttributePath", c->filter_path,
                       "the only valid paths are userName and emails.value");
    }
    return 0;
}

static struct ids_user *user_by_external_id(const struct ids_call *c)
{
    for (size_t i = 0; i < c->store->users.n; i++) {
        struct ids_user *u = (struct ids_user *)c->store->users.v[i];
        for (size_t k = 0; k < u->external_count; k++) {
            const char *nl = strchr(u->external[k], '\n');
            if ((size_t)(nl - u->external[k]) == strlen(c->group_id) &&
                strncmp(u->external[k], c->group_id, strlen(c->group_id)) == 0 &&
                strcmp(nl + 1, c->filter_value) == 0) {
                return u;
            }
        }
    }
    return NULL;
}

static int run_get_user_id(struct ids_call *c)
{
    struct ids_user *u;
    if (strcmp(c->filter_path, "externalId") == 0) {
        u = user_by_external_id(c);
    } else if (strcasecmp(c->filter_path, "userName") == 0) {
        u = mock_map_get(&c->store->user_by_name, c->filter_value);
    } else {
        u = mock_map_get(&c->store->user_by_email, c->filter_value);
    }
    if (u == NULL) {
        return not_found(c, "USER", c->filter_value);
    }
    idc_dynbuf_printf(&c->body, "{\"IdentityStoreId\":\"%s\",\"UserId\":\"%s\"}", c->store->id,
                      u->item.id);
    return 0;
}

/* ---- CreateUser --------------------------------------------------------------------- */

static int parse_create_user(struct ids_call *c)
{
    const cJSON *j = c->req->json;
    const char *name, *display;
    if (parse_store(c) || get_string(c, j, "UserName", true, NULL, NULL, &name) ||
        get_string(c, j, "DisplayName", true, NULL, NULL, &display)) {
        return -1;
    }
    c->filter_value = name;
    if (!cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(j, "Name"))) {
        return invalid(c, "Name", NULL, NULL);
    }
    return 0;
}

static cJSON *new_user_json(struct ids_call *c, const char *user_id)
{
    /* Output-only members a client may send are dropped: the service sets them. */
    static const char *const dropped[] = {"IdentityStoreId", "Extensions", "UserId",
                                          "UserStatus",      "CreatedAt",  "UpdatedAt",
                                          "CreatedBy",       "UpdatedBy"};
    cJSON *u = cJSON_Duplicate(c->req->json, true);
    for (size_t i = 0; i < sizeof dropped / sizeof dropped[0]; i++) {
        cJSON_DeleteItemFromObjectCaseSensitive(u, dropped[i]);
    }
    cJSON *m = u ? u->child : NULL;
    while (m != NULL) { /* members unknown to the User shape are ignored */
        cJSON *next = m->next;
        if (!ids_user_member_known(m->string)) {
            cJSON_Delete(cJSON_DetachItemViaPointer(u, m));
        }
        m = next;
    }
    double now = (double)mock_now(c->req->server);
    bool ok = u && cJSON_AddStringToObject(u, "UserId", user_id) &&
              cJSON_AddStringToObject(u, "UserStatus", "ENABLED") &&
              cJSON_AddNumberToObject(u, "CreatedAt", now) &&
              cJSON_AddNumberToObject(u, "UpdatedAt", now) &&
              cJSON_AddStringToObject(u, "CreatedBy", c->req->caller->arn) &&
              cJSON_AddStringToObject(u, "UpdatedBy", c->req->caller->arn);
    if (!ok) {
        cJSON_Delete(u);
        return NULL;
    }
    return u;
}

static int run_create_user(struct ids_call *c)
{
    uint8_t r[5 + 16];
    char user_id[10 + 1 + 37];
    struct ids_why why = {"", "out of memory"};
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
        return fail(c, "InternalServerException", NULL, "no randomness for a new user id");
    }
    /* As the service makes them: 10 hex digits, a dash, a UUID. */
    idc_hex_lower(r, 5, user_id);
    user_id[10] = '-';
    mock_uuid_format(r + 5, user_id + 11);
    if (mock_map_get(&c->store->user_by_name, c->filter_value) != NULL) {
        return fail(c, "ConflictException", "\"Reason\":\"UNIQUENESS_CONSTRAINT_VIOLATION\"",
                    "Duplicate UserName");
    }
    cJSON *src = new_user_json(c, user_id);
    struct ids_user *u = src ? ids_user_build(src, c->store->id, &why) : NULL;
    cJSON_Delete(src);
    if (u == NULL || !ids_store_add_user(c->store, u, &why)) {
        ids_user_free(u);
        return fail(c, "ValidationException", NULL, "%s%s%s", why.member, why.member[0] ? ": " : "",
                    why.problem);
    }
    idc_dynbuf_printf(&c->body, "{\"IdentityStoreId\":\"%s\",\"UserId\":\"%s\"}", c->store->id,
                      user_id);
    return 0;
}

/* ---- dispatch ----------------------------------------------------------------------- */

static const struct ids_op ops[] = {
    {"ListUsers", false, parse_list_users, run_list_users},
    {"DescribeUser", false, parse_user, run_describe_user},
    {"GetUserId", false, parse_get_user_id, run_get_user_id},
    {"DeleteUser", true, parse_user, run_delete_user},
    {"CreateUser", true, parse_create_user, run_create_user},
    {"ListGroups", false, parse_list_groups, run_list_groups},
    {"DescribeGroup", false, parse_group, run_describe_group},
    {"ListGroupMemberships", false, parse_group_paged, run_group_memberships},
    {"ListGroupMembershipsForMember", false, parse_member, run_memberships_for_member},
    {"DeleteGroupMembership", true, parse_membership, run_delete_membership},
};

/* Finds the store (in the request's signing region) and runs the operation under the lock. */
static void run_locked(struct ids_call *c, const struct ids_op *op)
{
    struct mock_ids *ids = c->ids;
    if (op->writes) {
        pthread_rwlock_wrlock(&ids->lock);
    } else {
        pthread_rwlock_rdlock(&ids->lock);
    }
    c->store = ids_find_store(ids, c->store_id);
    /* A store in another region gets the same answer as a missing one, as from AWS. */
    if (c->store == NULL || strcmp(c->store->region, c->req->region) != 0) {
        not_found(c, "IDENTITY_STORE", c->store_id);
    } else {
        op->run(c);
    }
    pthread_rwlock_unlock(&ids->lock);
}

int mock_ids_dispatch(struct mock_request *req)
{
    const struct ids_op *op = NULL;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0] && op == NULL; i++) {
        op = strcmp(ops[i].name, req->operation) == 0 ? &ops[i] : NULL;
    }
    if (op == NULL) {
        return mock_reply_error(req, 400, "UnknownOperationException", NULL, "Unknown operation %s",
                                req->operation);
    }
    struct ids_call *c = calloc(1, sizeof *c);
    if (c == NULL) {
        return mock_reply_error(req, 500, "InternalServerException", NULL, "out of memory");
    }
    c->req = req;
    c->ids = req->server->world.ids;
    int status;
    char action[96];
    snprintf(action, sizeof action, "identitystore:%s", op->name);
    status = op->parse(c) == 0 ? mock_admit(req, action, c->resources, c->resource_count) : 0;
    if (status == 0 && c->code == NULL) {
        run_locked(c, op);
    }
    if (c->members.len > 0) {
        idc_dynbuf_put(&c->members, "", 1); /* mock_reply_error takes a C string */
    }
    if (c->body.failed || c->members.failed) {
        fail(c, "InternalServerException", NULL, "out of memory");
    }
    if (status == 0) {
        status = c->code ? mock_reply_error(req, c->status, c->code,
                                            c->members.len ? c->members.p : NULL, "%s", c->message)
                         : mock_reply(req, 200, MOCK_JSON_TYPE, c->body.p, c->body.len);
    }
    idc_dynbuf_free(&c->body);
    idc_dynbuf_free(&c->members);
    free(c);
    return status;
}
