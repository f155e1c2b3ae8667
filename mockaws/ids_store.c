/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ids_store.c - the Identity Store model: stores loaded from fixtures (and synthetic users),
 * their users, groups and memberships with indexes, and each item's JSON rendered once,
 * in the API's member order, when it is created. Validation follows the botocore model.
 */
#include "ids.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_get.h"
#include "timefmt.h"

/* ---- ids ---------------------------------------------------------------------------- */

/*
 * The botocore patterns, which AWS quotes in its ValidationException: IdentityStoreId is
 * lowercase hex throughout; a ResourceId's 10-digit prefix is lowercase, but its UUID
 * "[A-Fa-f0-9]" in either case. The service issues lowercase ids, so an uppercase UUID is
 * well formed and simply not found.
 */
static bool hex_run(const char *s, size_t n, bool upper_ok)
{
    for (size_t i = 0; i < n; i++) {
        char c = upper_ok && s[i] >= 'A' && s[i] <= 'F' ? (char)(s[i] | 0x20) : s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

static bool is_uuid(const char *s, bool upper_ok)
{
    return strlen(s) == 36 && hex_run(s, 8, upper_ok) && s[8] == '-' &&
           hex_run(s + 9, 4, upper_ok) && s[13] == '-' && hex_run(s + 14, 4, upper_ok) &&
           s[18] == '-' && hex_run(s + 19, 4, upper_ok) && s[23] == '-' &&
           hex_run(s + 24, 12, upper_ok);
}

bool ids_valid_store_id(const char *s)
{
    return (strlen(s) == 12 && s[0] == 'd' && s[1] == '-' && hex_run(s + 2, 10, false)) ||
           is_uuid(s, false);
}

bool ids_valid_resource_id(const char *s)
{
    return is_uuid(s, true) ||
           (strlen(s) == 47 && hex_run(s, 10, false) && s[10] == '-' && is_uuid(s + 11, true));
}

/* ---- the User shape ----------------------------------------------------------------- */

enum field_kind { F_STRING, F_ID, F_STATUS, F_TIME, F_OBJECT, F_LIST };

struct sub_shape {
    const char *keys[9]; /* strings, except those in `bools` */
    const char *bools[2];
    const char *required[3];
};

struct field {
    const char *name;
    enum field_kind kind;
    const struct sub_shape *shape;
    int min, max; /* list sizes */
};

static const struct sub_shape name_shape = {.keys = {"Formatted", "FamilyName", "GivenName",
                                                     "MiddleName", "HonorificPrefix",
                                                     "HonorificSuffix"}};
static const struct sub_shape email_shape = {.keys = {"Value", "Type", "Primary"},
                                             .bools = {"Primary"}};
static const struct sub_shape address_shape = {.keys = {"StreetAddress", "Locality", "Region",
                                                        "PostalCode", "Country", "Formatted",
                                                        "Type", "Primary"},
                                               .bools = {"Primary"}};
static const struct sub_shape photo_shape = {
    .keys = {"Value", "Type", "Display", "Primary"}, .bools = {"Primary"}, .required = {"Value"}};
static const struct sub_shape external_shape = {.keys = {"Issuer", "Id"},
                                                .required = {"Issuer", "Id"}};

/* The members of User in the API's order (botocore identitystore 2020-06-15). */
static const struct field user_fields[] = {
    {"UserId", F_ID, NULL, 0, 0},
    {"UserName", F_STRING, NULL, 0, 0},
    {"ExternalIds", F_LIST, &external_shape, 1, 10},
    {"Name", F_OBJECT, &name_shape, 0, 0},
    {"DisplayName", F_STRING, NULL, 0, 0},
    {"NickName", F_STRING, NULL, 0, 0},
    {"ProfileUrl", F_STRING, NULL, 0, 0},
    {"Emails", F_LIST, &email_shape, 0, 1},
    {"Addresses", F_LIST, &address_shape, 0, 1},
    {"PhoneNumbers", F_LIST, &email_shape, 0, 1},
    {"UserType", F_STRING, NULL, 0, 0},
    {"Title", F_STRING, NULL, 0, 0},
    {"PreferredLanguage", F_STRING, NULL, 0, 0},
    {"Locale", F_STRING, NULL, 0, 0},
    {"Timezone", F_STRING, NULL, 0, 0},
    {"UserStatus", F_STATUS, NULL, 0, 0},
    {"Photos", F_LIST, &photo_shape, 1, 3},
    {"Website", F_STRING, NULL, 0, 0},
    {"Birthdate", F_STRING, NULL, 0, 0},
    {"Roles", F_LIST, &email_shape, 0, 1},
    {"CreatedAt", F_TIME, NULL, 0, 0},
    {"CreatedBy", F_STRING, NULL, 0, 0},
    {"UpdatedAt", F_TIME, NULL, 0, 0},
    {"UpdatedBy", F_STRING, NULL, 0, 0},
};

static const struct field group_fields[] = {
    {"GroupId", F_ID, NULL, 0, 0},
    {"DisplayName", F_STRING, NULL, 0, 0},
    {"ExternalIds", F_LIST, &external_shape, 1, 10},
    {"Description", F_STRING, NULL, 0, 0},
    {"CreatedAt", F_TIME, NULL, 0, 0},
    {"UpdatedAt", F_TIME, NULL, 0, 0},
    {"CreatedBy", F_STRING, NULL, 0, 0},
    {"UpdatedBy", F_STRING, NULL, 0, 0},
};

static bool why_set(struct ids_why *why, const char *member, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Fills `why`; returns false, so a check can end with `return why_set(...)`. */
static bool why_set(struct ids_why *why, const char *member, const char *fmt, ...)
{
    va_list ap;
    snprintf(why->member, sizeof why->member, "%s", member);
    va_start(ap, fmt);
    vsnprintf(why->problem, sizeof why->problem, fmt, ap);
    va_end(ap);
    return false;
}

static bool in_list(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n && list[i] != NULL; i++) {
        if (strcmp(list[i], s) == 0) {
            return true;
        }
    }
    return false;
}

/* One object of a sub-shape (Name, an e-mail, an external id ...) at member path `where`. */
static bool check_sub(const cJSON *obj, const struct sub_shape *shape, const char *where,
                      struct ids_why *why)
{
    const cJSON *m;
    char member[sizeof why->member];
    if (!cJSON_IsObject(obj)) {
        return why_set(why, where, "expected an object");
    }
    cJSON_ArrayForEach(m, obj)
    {
        bool is_bool = in_list(shape->bools, 2, m->string);
        if (!in_list(shape->keys, 9, m->string)) {
            return why_set(why, where, "unknown member \"%s\"", m->string);
        }
        if (is_bool ? !cJSON_IsBool(m) : !cJSON_IsString(m)) {
            snprintf(member, sizeof member, "%s.%s", where, m->string);
            return why_set(why, member, "expected %s", is_bool ? "true or false" : "a string");
        }
    }
    for (size_t i = 0; i < 3 && shape->required[i] != NULL; i++) {
        if (cJSON_GetObjectItemCaseSensitive(obj, shape->required[i]) == NULL) {
            snprintf(member, sizeof member, "%s.%s", where, shape->required[i]);
            return why_set(why, member, "missing required member");
        }
    }
    return true;
}

static bool check_list(const cJSON *v, const struct field *f, struct ids_why *why)
{
    int n = cJSON_GetArraySize(v);
    if (!cJSON_IsArray(v) || n < f->min || n > f->max) {
        return why_set(why, f->name, "expected an array of %d to %d objects", f->min, f->max);
    }
    int i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, v)
    {
        char where[64];
        snprintf(where, sizeof where, "%s[%d]", f->name, i++);
        if (!check_sub(item, f->shape, where, why)) {
            return false;
        }
    }
    return true;
}

/* Checks one member and appends it, converted for the wire, to `out`. */
static bool copy_field(cJSON *out, const cJSON *v, const struct field *f, struct ids_why *why)
{
    bool ok = true;
    int64_t t = 0;
    switch (f->kind) {
    case F_ID:
        ok = cJSON_IsString(v) && ids_valid_resource_id(v->valuestring);
        break;
    case F_STRING:
        ok = cJSON_IsString(v) && v->valuestring[0] != '\0' && strlen(v->valuestring) <= 1024;
        break;
    case F_STATUS:
        ok = cJSON_IsString(v) &&
             (strcmp(v->valuestring, "ENABLED") == 0 || strcmp(v->valuestring, "DISABLED") == 0);
        break;
    case F_TIME:
        ok = (cJSON_IsNumber(v) && v->valuedouble >= 0) ||
             (cJSON_IsString(v) &&
              idc_time_parse_iso(idc_str_c(v->valuestring), &t, NULL) == IDC_OK);
        break;
    case F_OBJECT:
        return check_sub(v, f->shape, f->name, why) &&
               cJSON_AddItemToObject(out, f->name, cJSON_Duplicate(v, true));
    case F_LIST:
        return check_list(v, f, why) &&
               cJSON_AddItemToObject(out, f->name, cJSON_Duplicate(v, true));
    }
    if (!ok) {
        static const char *const expected[] = {
            [F_STRING] = "a non-empty string of at most 1024 bytes",
            [F_ID] = "an id of 10 hex digits, a dash and a UUID (or a UUID)",
            [F_STATUS] = "\"ENABLED\" or \"DISABLED\"",
            [F_TIME] = "an ISO 8601 UTC time or epoch seconds",
        };
        if (cJSON_IsString(v)) {
            return why_set(why, f->name, "expected %s, got \"%.60s\"", expected[f->kind],
                           v->valuestring);
        }
        return why_set(why, f->name, "expected %s", expected[f->kind]);
    }
    if (f->kind == F_TIME) {
        return cJSON_AddNumberToObject(out, f->name,
                                       cJSON_IsNumber(v) ? v->valuedouble : (double)t);
    }
    return cJSON_AddItemToObject(out, f->name, cJSON_Duplicate(v, true));
}

/* Checks `src` against `fields` and renders it, IdentityStoreId first. NULL + why on error. */
static char *render(const cJSON *src, const struct field *fields, size_t n, const char *store_id,
                    const char *const *required, struct ids_why *why)
{
    const cJSON *m;
    if (!cJSON_IsObject(src)) {
        why_set(why, "", "expected an object");
        return NULL;
    }
    cJSON_ArrayForEach(m, src)
    {
        size_t i = 0;
        while (i < n && strcmp(fields[i].name, m->string) != 0) {
            i++;
        }
        if (i == n && strcmp(m->string, "IdentityStoreId") != 0) {
            why_set(why, "", "unknown member \"%s\"", m->string);
            return NULL;
        }
    }
    for (size_t i = 0; required[i] != NULL; i++) {
        if (cJSON_GetObjectItemCaseSensitive(src, required[i]) == NULL) {
            why_set(why, required[i], "missing required member");
            return NULL;
        }
    }
    cJSON *out = cJSON_CreateObject();
    bool ok = out != NULL && cJSON_AddStringToObject(out, "IdentityStoreId", store_id);
    for (size_t i = 0; ok && i < n; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(src, fields[i].name);
        ok = v == NULL || copy_field(out, v, &fields[i], why);
    }
    char *json = ok ? cJSON_PrintUnformatted(out) : NULL;
    cJSON_Delete(out);
    if (ok && json == NULL) {
        why_set(why, "", "out of memory");
    }
    return json;
}

void ids_user_free(struct ids_user *u)
{
    if (u == NULL) {
        return;
    }
    for (size_t i = 0; i < u->external_count; i++) {
        free(u->external[i]);
    }
    free(u->external);
    free(u->item.id);
    free(u->item.json);
    free(u->name);
    free(u->email);
    free(u);
}

static bool keep_external_ids(struct ids_user *u, const cJSON *list)
{
    size_t n = (size_t)cJSON_GetArraySize(list);
    u->external = n ? calloc(n, sizeof *u->external) : NULL;
    if (n && u->external == NULL) {
        return false;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, list)
    {
        const char *issuer = idc_json_get_string(e, "Issuer"), *id = idc_json_get_string(e, "Id");
        size_t len = strlen(issuer) + strlen(id) + 2;
        char *pair = malloc(len);
        if (pair == NULL) {
            return false;
        }
        snprintf(pair, len, "%s\n%s", issuer, id);
        u->external[u->external_count++] = pair;
    }
    return true;
}

struct ids_user *ids_user_build(const cJSON *src, const char *store_id, struct ids_why *why)
{
    static const char *const required[] = {"UserId", "UserName", NULL};
    char *json = render(src, user_fields, sizeof user_fields / sizeof user_fields[0], store_id,
                        required, why);
    struct ids_user *u = json ? calloc(1, sizeof *u) : NULL;
    if (u == NULL) {
        free(json);
        return NULL;
    }
    u->item.json = json;
    u->item.json_len = strlen(json);
    const cJSON *emails = cJSON_GetObjectItemCaseSensitive(src, "Emails");
    const char *email = idc_json_get_string(cJSON_GetArrayItem(emails, 0), "Value");
    u->item.id = strdup(idc_json_get_string(src, "UserId"));
    u->name = strdup(idc_json_get_string(src, "UserName"));
    u->email = email ? strdup(email) : NULL;
    bool ok = u->item.id && u->name && (email == NULL || u->email) &&
              keep_external_ids(u, cJSON_GetObjectItemCaseSensitive(src, "ExternalIds"));
    if (!ok) {
        why_set(why, "", "out of memory");
        ids_user_free(u);
        return NULL;
    }
    return u;
}

/* ---- lists and indexes -------------------------------------------------------------- */

static bool list_push(struct ids_list *l, struct ids_item *it)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        struct ids_item **v = realloc(l->v, cap * sizeof *v);
        if (v == NULL) {
            return false;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = it;
    return true;
}

size_t ids_list_after(const struct ids_list *l, uint64_t seq)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (l->v[mid]->seq <= seq) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static void list_remove(struct ids_list *l, const struct ids_item *it)
{
    size_t i = ids_list_after(l, it->seq - 1);
    if (i < l->n && l->v[i] == it) {
        memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof l->v[0]);
        l->n--;
    }
}

struct ids_store *ids_find_store(const struct mock_ids *ids, const char *id)
{
    for (size_t i = 0; i < ids->count; i++) {
        if (strcmp(ids->stores[i]->id, id) == 0) {
            return ids->stores[i];
        }
    }
    return NULL;
}

bool ids_store_add_user(struct ids_store *s, struct ids_user *u, struct ids_why *why)
{
    if (mock_map_get(&s->user_by_id, u->item.id) != NULL) {
        return why_set(why, "UserId", "%s is already in store %s", u->item.id, s->id);
    }
    if (mock_map_get(&s->user_by_name, u->name) != NULL) {
        return why_set(why, "UserName", "%s is already in store %s", u->name, s->id);
    }
    u->item.seq = ++s->next_seq;
    bool ok = list_push(&s->users, &u->item);
    ok = ok && mock_map_put(&s->user_by_id, u->item.id, u);
    ok = ok && mock_map_put(&s->user_by_name, u->name, u);
    ok = ok && (u->email == NULL || mock_map_get(&s->user_by_email, u->email) ||
                mock_map_put(&s->user_by_email, u->email, u));
    if (!ok) {
        why_set(why, "", "out of memory");
    }
    return ok;
}

void ids_store_delete_membership(struct ids_store *s, struct ids_membership *m)
{
    list_remove(&s->memberships, &m->item);
    mock_map_remove(&s->membership_by_id, m->item.id);
    free(m->item.id);
    free(m->item.json);
    free(m->group_id);
    free(m->user_id);
    free(m);
}

void ids_store_delete_user(struct ids_store *s, struct ids_user *u)
{
    for (size_t i = s->memberships.n; i-- > 0;) {
        struct ids_membership *m = (struct ids_membership *)s->memberships.v[i];
        if (strcmp(m->user_id, u->item.id) == 0) {
            ids_store_delete_membership(s, m);
        }
    }
    list_remove(&s->users, &u->item);
    mock_map_remove(&s->user_by_id, u->item.id);
    mock_map_remove(&s->user_by_name, u->name);
    if (u->email != NULL && mock_map_get(&s->user_by_email, u->email) == u) {
        mock_map_remove(&s->user_by_email, u->email);
    }
    ids_user_free(u);
}

/* ---- loading fixtures --------------------------------------------------------------- */

/* In a fixture error the member joins the object's JSON path ("$...Users[3].UserStatus"). */
static idc_err fail_why(const struct mock_fx *fx, const char *where, const struct ids_why *why)
{
    if (why->member[0] == '\0') {
        return mock_fx_fail(fx, where, "%s", why->problem);
    }
    return mock_fx_fail_key(fx, where, why->member, "%s", why->problem);
}

bool ids_user_member_known(const char *name)
{
    for (size_t i = 0; i < sizeof user_fields / sizeof user_fields[0]; i++) {
        if (strcmp(user_fields[i].name, name) == 0) {
            return true;
        }
    }
    return false;
}

static idc_err add_user(struct ids_store *s, const struct mock_fx *fx, const cJSON *node,
                        const char *where)
{
    struct ids_why why = {"", ""};
    struct ids_user *u = ids_user_build(node, s->id, &why);
    if (u == NULL || !ids_store_add_user(s, u, &why)) {
        ids_user_free(u);
        return fail_why(fx, where, &why);
    }
    return IDC_OK;
}

/* Refuses a second group with the same GroupId or DisplayName, naming which. */
static idc_err group_unique(const struct ids_store *s, const struct mock_fx *fx, const char *where,
                            const char *id, const char *name)
{
    if (mock_map_get(&s->group_by_id, id) != NULL) {
        return mock_fx_fail_key(fx, where, "GroupId", "%s is already in store %s", id, s->id);
    }
    if (mock_map_get(&s->group_by_name, name) != NULL) {
        return mock_fx_fail_key(fx, where, "DisplayName", "%s is already in store %s", name, s->id);
    }
    return IDC_OK;
}

static idc_err add_group(struct ids_store *s, const struct mock_fx *fx, const cJSON *node,
                         const char *where)
{
    static const char *const required[] = {"GroupId", "DisplayName", NULL};
    struct ids_why why = {"", ""};
    char *json = render(node, group_fields, sizeof group_fields / sizeof group_fields[0], s->id,
                        required, &why);
    if (json == NULL) {
        return fail_why(fx, where, &why);
    }
    const char *id = idc_json_get_string(node, "GroupId"),
               *name = idc_json_get_string(node, "DisplayName");
    idc_err rc = group_unique(s, fx, where, id, name);
    struct ids_group *g = rc ? NULL : calloc(1, sizeof *g);
    if (g == NULL) {
        free(json);
        return rc ? rc : idc_error_set(fx->err, IDC_ERR_NOMEM, "out of memory");
    }
    *g = (struct ids_group){{++s->next_seq, strdup(id), json, strlen(json)}, strdup(name)};
    bool ok = g->item.id && g->name && list_push(&s->groups, &g->item) &&
              mock_map_put(&s->group_by_id, g->item.id, g) &&
              mock_map_put(&s->group_by_name, g->name, g);
    return ok ? IDC_OK : idc_error_set(fx->err, IDC_ERR_NOMEM, "out of memory");
}

/* A membership's JSON is small and fixed: built here directly. */
static idc_err add_membership(struct ids_store *s, const struct mock_fx *fx, const cJSON *node,
                              const char *where)
{
    static const char *const known[] = {"MembershipId", "GroupId",         "MemberId",
                                        "CreatedAt",    "UpdatedAt",       "CreatedBy",
                                        "UpdatedBy",    "IdentityStoreId", NULL};
    const char *id, *group;
    idc_err rc = cJSON_IsObject(node) ? mock_fx_known_keys(fx, node, where, known)
                                      : mock_fx_fail(fx, where, "expected an object");
    rc = rc ? rc : mock_fx_string(fx, node, where, "MembershipId", true, &id);
    rc = rc ? rc : mock_fx_string(fx, node, where, "GroupId", true, &group);
    if (rc) {
        return rc;
    }
    const char *user =
        idc_json_get_string(cJSON_GetObjectItemCaseSensitive(node, "MemberId"), "UserId");
    if (!ids_valid_resource_id(id)) {
        return mock_fx_fail_key(fx, where, "MembershipId",
                                "expected an id of 10 hex digits, a dash and a UUID (or a UUID), "
                                "got \"%s\"",
                                id);
    }
    if (mock_map_get(&s->membership_by_id, id) != NULL) {
        return mock_fx_fail_key(fx, where, "MembershipId", "%s is already in store %s", id, s->id);
    }
    if (mock_map_get(&s->group_by_id, group) == NULL) {
        return mock_fx_fail_key(fx, where, "GroupId", "%s is not a group of store %s", group,
                                s->id);
    }
    if (user == NULL) {
        return mock_fx_fail_key(fx, where, "MemberId.UserId", "missing required member");
    }
    if (mock_map_get(&s->user_by_id, user) == NULL) {
        return mock_fx_fail_key(fx, where, "MemberId.UserId", "%s is not a user of store %s", user,
                                s->id);
    }
    int64_t created, updated;
    rc = mock_fx_time(fx, node, where, "CreatedAt", false, &created);
    rc = rc ? rc : mock_fx_time(fx, node, where, "UpdatedAt", false, &updated);
    if (rc) {
        return rc;
    }
    struct idc_dynbuf j = {0};
    idc_dynbuf_printf(&j,
                      "{\"IdentityStoreId\":\"%s\",\"MembershipId\":\"%s\",\"GroupId\":\"%s\","
                      "\"MemberId\":{\"UserId\":\"%s\"}",
                      s->id, id, group, user);
    if (created) {
        idc_dynbuf_printf(&j, ",\"CreatedAt\":%lld", (long long)created);
    }
    if (updated) {
        idc_dynbuf_printf(&j, ",\"UpdatedAt\":%lld", (long long)updated);
    }
    idc_dynbuf_put(&j, "}", 2);
    struct ids_membership *m = calloc(1, sizeof *m);
    if (m == NULL || j.failed) {
        free(m);
        idc_dynbuf_free(&j);
        return idc_error_set(fx->err, IDC_ERR_NOMEM, "out of memory");
    }
    *m = (struct ids_membership){
        {++s->next_seq, strdup(id), j.p, j.len - 1}, strdup(group), strdup(user)};
    bool ok = m->item.id && m->group_id && m->user_id && list_push(&s->memberships, &m->item) &&
              mock_map_put(&s->membership_by_id, m->item.id, m);
    return ok ? IDC_OK : idc_error_set(fx->err, IDC_ERR_NOMEM, "out of memory");
}

typedef idc_err add_fn(struct ids_store *, const struct mock_fx *, const cJSON *, const char *);

/* Each item of array member `key` of the store at `path` (absent: none). */
static idc_err add_each(struct ids_store *s, const struct mock_fx *fx, const cJSON *store,
                        const char *path, const char *key, add_fn *add)
{
    int i = 0;
    const cJSON *node;
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(store, key);
    if (list != NULL && !cJSON_IsArray(list)) {
        return mock_fx_fail_key(fx, path, key, "expected an array");
    }
    cJSON_ArrayForEach(node, list)
    {
        char where[128];
        snprintf(where, sizeof where, "%s.%s[%d]", path, key, i++);
        idc_err rc = add(s, fx, node, where);
        if (rc) {
            return rc;
        }
    }
    return IDC_OK;
}

static void store_free(struct ids_store *s)
{
    if (s == NULL) {
        return;
    }
    while (s->users.n > 0) {
        ids_store_delete_user(s, (struct ids_user *)s->users.v[s->users.n - 1]);
    }
    while (s->memberships.n > 0) {
        ids_store_delete_membership(s, (struct ids_membership *)s->memberships.v[0]);
    }
    for (size_t i = 0; i < s->groups.n; i++) {
        struct ids_group *g = (struct ids_group *)s->groups.v[i];
        free(g->item.id);
        free(g->item.json);
        free(g->name);
        free(g);
    }
    free(s->users.v);
    free(s->groups.v);
    free(s->memberships.v);
    struct mock_map *maps[] = {&s->user_by_id,  &s->user_by_name,  &s->user_by_email,
                               &s->group_by_id, &s->group_by_name, &s->membership_by_id};
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++) {
        mock_map_free(maps[i]);
    }
    free(s->id);
    free(s->region);
    free(s);
}

static idc_err new_store(struct mock_ids *ids, const struct mock_fx *fx, const cJSON *node,
                         const char *where, struct ids_store **out)
{
    static const char *const known[] = {"IdentityStoreId", "Region",           "Users",
                                        "Groups",          "GroupMemberships", NULL};
    const char *id, *region;
    idc_err rc = cJSON_IsObject(node) ? mock_fx_known_keys(fx, node, where, known)
                                      : mock_fx_fail(fx, where, "expected an object");
    rc = rc ? rc : mock_fx_string(fx, node, where, "IdentityStoreId", true, &id);
    rc = rc ? rc : mock_fx_string(fx, node, where, "Region", true, &region);
    if (rc) {
        return rc;
    }
    if (!ids_valid_store_id(id)) {
        return mock_fx_fail_key(fx, where, "IdentityStoreId",
                                "expected d- and 10 hex digits (or a UUID), got \"%s\"", id);
    }
    if (ids_find_store(ids, id) != NULL) {
        return mock_fx_fail_key(fx, where, "IdentityStoreId", "%s is defined twice", id);
    }
    struct ids_store **grown = realloc(ids->stores, (ids->count + 1) * sizeof *grown);
    struct ids_store *s = calloc(1, sizeof *s);
    if (grown != NULL) {
        ids->stores = grown;
    }
    if (grown == NULL || s == NULL || (s->id = strdup(id)) == NULL ||
        (s->region = strdup(region)) == NULL) {
        store_free(s);
        return idc_error_set(fx->err, IDC_ERR_NOMEM, "out of memory");
    }
    ids->stores[ids->count++] = s;
    *out = s;
    return IDC_OK;
}

idc_err mock_ids_add_fixture(struct mock_ids *ids, const struct mock_fx *fx, const cJSON *stores)
{
    int i = 0;
    const cJSON *node;
    if (!cJSON_IsArray(stores)) {
        return mock_fx_fail_key(fx, "$", "IdentityStores", "expected an array");
    }
    cJSON_ArrayForEach(node, stores)
    {
        char where[64];
        struct ids_store *s = NULL;
        snprintf(where, sizeof where, "$.IdentityStores[%d]", i++);
        idc_err rc = new_store(ids, fx, node, where, &s);
        rc = rc ? rc : add_each(s, fx, node, where, "Users", add_user);
        rc = rc ? rc : add_each(s, fx, node, where, "Groups", add_group);
        rc = rc ? rc : add_each(s, fx, node, where, "GroupMemberships", add_membership);
        if (rc) {
            return rc;
        }
    }
    return IDC_OK;
}

/* ---- synthetic users (spec/mockaws/fixtures.md, "Synthetic users") ----------------- */

static struct ids_user *synthetic_user(const char *store_id, unsigned long i)
{
    struct ids_user *u = calloc(1, sizeof *u);
    char id[64], name[48], email[80], json[768];
    if (u == NULL) {
        return NULL;
    }
    snprintf(id, sizeof id, "5a5a5a5a5a-00000000-0000-4000-8000-%012lx", i);
    snprintf(name, sizeof name, "synthetic.user.%07lu", i);
    snprintf(email, sizeof email, "%s@example.com", name);
    long long t = 1767225600LL + (long long)i; /* 2026-01-01T00:00:00Z + i */
    int n = snprintf(json, sizeof json,
                     "{\"IdentityStoreId\":\"%s\",\"UserId\":\"%s\",\"UserName\":\"%s\","
                     "\"Name\":{\"GivenName\":\"Synthetic\",\"FamilyName\":\"User %lu\"},"
                     "\"DisplayName\":\"Synthetic User %lu\",\"Emails\":[{\"Value\":\"%s\","
                     "\"Type\":\"work\",\"Primary\":true}],\"UserStatus\":\"%s\","
                     "\"CreatedAt\":%lld,\"UpdatedAt\":%lld}",
                     store_id, id, name, i, i, email, i % 7 == 6 ? "DISABLED" : "ENABLED", t, t);
    u->item.id = strdup(id);
    u->item.json = strdup(json);
    u->item.json_len = (size_t)n;
    u->name = strdup(name);
    u->email = strdup(email);
    if (!u->item.id || !u->item.json || !u->name || !u->email) {
        ids_user_free(u);
        return NULL;
    }
    return u;
}

idc_err mock_ids_add_synthetic(struct mock_ids *ids, const char *store_id, unsigned long count,
                               struct idc_error *err)
{
    struct ids_store *s = ids_find_store(ids, store_id);
    if (s == NULL) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "--synthetic-users needs store %s in the fixtures (fixtures/"
                             "default.json defines it)",
                             store_id);
    }
    for (unsigned long i = 0; i < count; i++) {
        struct ids_why why = {"", "out of memory"};
        struct ids_user *u = synthetic_user(s->id, i);
        if (u == NULL || !ids_store_add_user(s, u, &why)) {
            ids_user_free(u);
            return idc_error_set(err, IDC_ERR_NOMEM, "synthetic user %lu: %s%s%s", i, why.member,
                                 why.member[0] ? ": " : "", why.problem);
        }
    }
    return IDC_OK;
}

struct mock_ids *mock_ids_new(void)
{
    struct mock_ids *ids = calloc(1, sizeof *ids);
    if (ids != NULL) {
        pthread_rwlock_init(&ids->lock, NULL);
    }
    return ids;
}

void mock_ids_free(struct mock_ids *ids)
{
    if (ids == NULL) {
        return;
    }
    for (size_t i = 0; i < ids->count; i++) {
        store_free(ids->stores[i]);
    }
    free(ids->stores);
    pthread_rwlock_destroy(&ids->lock);
    free(ids);
}
