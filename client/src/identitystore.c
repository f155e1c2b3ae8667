/* SPDX-License-Identifier: Apache-2.0 */
/*
 * identitystore.c - Identity Store operations over idc_client (identitystore.h). Request
 * bodies are built with escaped JSON strings; pages are scanned (json_scan.h) so each user
 * is handed on as the exact bytes served, and parsed one element at a time.
 */
#include "idc/identitystore.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "idc/dynbuf.h"
#include "idc/escape.h"
#include "json_scan.h"

/* {"IdentityStoreId":"...","<k1>":"<v1>"...}: string members, escaped. */
static void body_begin(struct idc_dynbuf *b, const char *store_id)
{
    b->len = 0;
    idc_dynbuf_str(b, "{\"IdentityStoreId\":");
    idc_json_quote(b, store_id, strlen(store_id));
}

static void body_string(struct idc_dynbuf *b, const char *key, const char *value)
{
    idc_dynbuf_printf(b, ",\"%s\":", key);
    idc_json_quote(b, value, strlen(value));
}

static idc_err call(struct idc_client *c, const char *op, struct idc_dynbuf *b,
                    enum idc_call_kind kind, struct idc_http_response *resp, struct idc_error *err)
{
    idc_dynbuf_str(b, "}");
    if (b->failed) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory building %s", op);
    }
    idc_err rc = idc_client_call(c, op, b->p, b->len, kind, resp, err);
    return rc ? idc_error_prefix(err, "%s", op) : IDC_OK;
}

static const char *string_member(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double number_member(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/* The primary e-mail, or the first one. */
static const char *primary_email(const cJSON *user)
{
    const cJSON *emails = cJSON_GetObjectItemCaseSensitive(user, "Emails");
    const cJSON *e, *first = NULL;
    cJSON_ArrayForEach(e, emails)
    {
        first = first ? first : e;
        if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(e, "Primary"))) {
            return string_member(e, "Value");
        }
    }
    return first ? string_member(first, "Value") : NULL;
}

/* Parses one User object's bytes and hands it to the callback. */
static idc_err deliver_user(struct idc_str json, idc_ids_user_fn *fn, void *ud, int *stop,
                            struct idc_error *err)
{
    cJSON *u = cJSON_ParseWithLength(json.p, json.len);
    const char *id = string_member(u, "UserId");
    if (id == NULL) {
        cJSON_Delete(u);
        return idc_error_set(err, IDC_ERR_PARSE, "a user in the response has no UserId");
    }
    struct idc_ids_user user = {
        .json = json,
        .user_id = id,
        .user_name = string_member(u, "UserName"),
        .display_name = string_member(u, "DisplayName"),
        .email = primary_email(u),
        .status = string_member(u, "UserStatus"),
        .external = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(u, "ExternalIds")) > 0,
        .created_at = number_member(u, "CreatedAt"),
        .updated_at = number_member(u, "UpdatedAt"),
    };
    *stop = fn ? fn(ud, &user) : 0;
    cJSON_Delete(u);
    return IDC_OK;
}

/* The NextToken of a page (unescaped), or "" on the last page. */
static idc_err next_token(struct idc_str page, struct idc_dynbuf *token, struct idc_error *err)
{
    struct idc_str raw;
    bool found;
    idc_err rc = idc_json_member(page, "NextToken", &raw, &found, err);
    token->len = 0;
    if (rc || !found) {
        return rc;
    }
    cJSON *s = cJSON_ParseWithLength(raw.p, raw.len);
    bool is_string = cJSON_IsString(s);
    if (is_string) {
        idc_dynbuf_str(token, s->valuestring);
    }
    cJSON_Delete(s);
    return is_string ? IDC_OK : idc_error_set(err, IDC_ERR_PARSE, "NextToken is not a string");
}

/* Hands on every element of `member` ("Users") of a page; counts them. */
static idc_err page_users(struct idc_str page, idc_ids_user_fn *fn, void *ud, size_t *count,
                          int *stop, struct idc_error *err)
{
    struct idc_str users;
    bool found;
    idc_err rc = idc_json_member(page, "Users", &users, &found, err);
    if (rc == IDC_OK && !found) {
        rc = idc_error_set(err, IDC_ERR_PARSE, "the ListUsers response has no Users member");
    }
    struct idc_json_iter it;
    struct idc_str el;
    idc_json_iter_init(&it, users, page.p);
    *count = 0;
    while (rc == IDC_OK && !*stop && idc_json_iter_next(&it, &el, &rc, err)) {
        rc = deliver_user(el, fn, ud, stop, err);
        *count += rc == IDC_OK;
    }
    return rc;
}

idc_err idc_ids_list_users(struct idc_client *c, const char *store_id, idc_ids_user_fn *on_user,
                           idc_ids_page_fn *on_page, void *ud, struct idc_error *err)
{
    struct idc_dynbuf body = {0}, token = {0};
    idc_err rc = IDC_OK;
    int stop = 0;
    for (unsigned page = 1; rc == IDC_OK && !stop; page++) {
        struct idc_http_response resp;
        body_begin(&body, store_id);
        idc_dynbuf_str(&body, ",\"MaxResults\":100");
        if (token.len > 0) {
            idc_dynbuf_put(&token, "", 1);
            body_string(&body, "NextToken", token.p);
        }
        rc = call(c, "ListUsers", &body, IDC_CALL_READ, &resp, err);
        struct idc_str text = idc_str_make(resp.body, rc ? 0 : resp.body_len);
        size_t count = 0;
        rc = rc ? rc : page_users(text, on_user, ud, &count, &stop, err);
        rc = rc ? rc : next_token(text, &token, err);
        if (rc == IDC_OK && on_page != NULL && !stop) {
            stop = on_page(ud, page, count);
        }
        if (token.len == 0) {
            break;
        }
    }
    idc_dynbuf_free(&body);
    idc_dynbuf_free(&token);
    return rc;
}

idc_err idc_ids_describe_user(struct idc_client *c, const char *store_id, const char *user_id,
                              idc_ids_user_fn *on_user, void *ud, struct idc_error *err)
{
    struct idc_dynbuf body = {0};
    struct idc_http_response resp;
    int stop = 0;
    body_begin(&body, store_id);
    body_string(&body, "UserId", user_id);
    idc_err rc = call(c, "DescribeUser", &body, IDC_CALL_READ, &resp, err);
    rc = rc ? rc : deliver_user(idc_str_make(resp.body, resp.body_len), on_user, ud, &stop, err);
    idc_dynbuf_free(&body);
    return rc;
}

/* Runs an operation whose answer is a small JSON object; `doc` gets it parsed. */
static idc_err call_json(struct idc_client *c, const char *op, struct idc_dynbuf *body,
                         enum idc_call_kind kind, cJSON **doc, struct idc_error *err)
{
    struct idc_http_response resp;
    idc_err rc = call(c, op, body, kind, &resp, err);
    *doc = rc ? NULL : cJSON_ParseWithLength(resp.body, resp.body_len);
    if (rc == IDC_OK && !cJSON_IsObject(*doc)) {
        rc = idc_error_set(err, IDC_ERR_PARSE, "%s: the response is not a JSON object", op);
    }
    idc_dynbuf_free(body);
    return rc;
}

idc_err idc_ids_get_user_id(struct idc_client *c, const char *store_id, const char *attribute,
                            const char *value, char *out, size_t cap, struct idc_error *err)
{
    struct idc_dynbuf body = {0};
    cJSON *doc;
    body_begin(&body, store_id);
    idc_dynbuf_str(&body, ",\"AlternateIdentifier\":{\"UniqueAttribute\":{\"AttributePath\":");
    idc_json_quote(&body, attribute, strlen(attribute));
    idc_dynbuf_str(&body, ",\"AttributeValue\":");
    idc_json_quote(&body, value, strlen(value));
    idc_dynbuf_str(&body, "}}");
    idc_err rc = call_json(c, "GetUserId", &body, IDC_CALL_READ, &doc, err);
    const char *id = rc ? NULL : string_member(doc, "UserId");
    if (rc == IDC_OK) {
        rc = id ? idc_str_copy(idc_str_c(id), out, cap, "UserId", err)
                : idc_error_set(err, IDC_ERR_PARSE, "GetUserId: no UserId in the response");
    }
    cJSON_Delete(doc);
    return rc;
}

static idc_err delete_one(struct idc_client *c, const char *op, const char *store_id,
                          const char *key, const char *id, struct idc_error *err)
{
    struct idc_dynbuf body = {0};
    struct idc_http_response resp;
    body_begin(&body, store_id);
    body_string(&body, key, id);
    idc_err rc = call(c, op, &body, IDC_CALL_IDEMPOTENT, &resp, err);
    idc_dynbuf_free(&body);
    return rc;
}

idc_err idc_ids_delete_user(struct idc_client *c, const char *store_id, const char *user_id,
                            struct idc_error *err)
{
    return delete_one(c, "DeleteUser", store_id, "UserId", user_id, err);
}

idc_err idc_ids_delete_group_membership(struct idc_client *c, const char *store_id,
                                        const char *membership_id, struct idc_error *err)
{
    return delete_one(c, "DeleteGroupMembership", store_id, "MembershipId", membership_id, err);
}

idc_err idc_ids_describe_group(struct idc_client *c, const char *store_id, const char *group_id,
                               char *name, size_t cap, struct idc_error *err)
{
    struct idc_dynbuf body = {0};
    cJSON *doc;
    body_begin(&body, store_id);
    body_string(&body, "GroupId", group_id);
    idc_err rc = call_json(c, "DescribeGroup", &body, IDC_CALL_READ, &doc, err);
    const char *dn = rc ? NULL : string_member(doc, "DisplayName");
    if (rc == IDC_OK) {
        rc = idc_str_copy(idc_str_c(dn ? dn : group_id), name, cap, "group name", err);
    }
    cJSON_Delete(doc);
    return rc;
}

/* One page of GroupMemberships; `token` gets the next page's token. */
static idc_err memberships_page(cJSON *doc, idc_ids_membership_fn *fn, void *ud, int *stop,
                                struct idc_dynbuf *token)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(doc, "GroupMemberships"))
    {
        const char *mid = string_member(m, "MembershipId"), *gid = string_member(m, "GroupId");
        if (mid != NULL && gid != NULL && !*stop) {
            *stop = fn(ud, mid, gid);
        }
    }
    const char *next = string_member(doc, "NextToken");
    token->len = 0;
    if (next != NULL && !*stop) {
        idc_dynbuf_put(token, next, strlen(next) + 1);
    }
    return token->failed ? IDC_ERR_NOMEM : IDC_OK;
}

idc_err idc_ids_list_memberships_for_member(struct idc_client *c, const char *store_id,
                                            const char *user_id, idc_ids_membership_fn *fn,
                                            void *ud, struct idc_error *err)
{
    struct idc_dynbuf body = {0}, token = {0};
    idc_err rc;
    int stop = 0;
    do {
        cJSON *doc;
        body_begin(&body, store_id);
        idc_dynbuf_str(&body, ",\"MemberId\":{\"UserId\":");
        idc_json_quote(&body, user_id, strlen(user_id));
        idc_dynbuf_str(&body, "},\"MaxResults\":100");
        if (token.len > 0) {
            body_string(&body, "NextToken", token.p);
        }
        rc = call_json(c, "ListGroupMembershipsForMember", &body, IDC_CALL_READ, &doc, err);
        rc = rc ? rc : memberships_page(doc, fn, ud, &stop, &token);
        cJSON_Delete(doc);
    } while (rc == IDC_OK && token.len > 0);
    idc_dynbuf_free(&token);
    return rc == IDC_ERR_NOMEM ? idc_error_set(err, rc, "out of memory") : rc;
}
