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

#include "dynbuf.h"
#include "escape.h"
#include "json_get.h"
#include "json_scan.h"
#include "pager.h"
#include "probe.h"
#include "protocol.h"

const struct idc_service idc_service_identitystore = {
    .title = "Identity Store",
    .signing_name = "identitystore",
    .endpoint_prefix = "identitystore",
    .env_name = "IDENTITYSTORE",
    .target_prefix = "AWSIdentityStore",
    .needs_region = true,
    .protocol = &idc_protocol_json,
};

/*
 * A request body being built: {"IdentityStoreId":"...",...} with escaped strings. A NULL
 * argument is noted instead of written, and call() refuses the request naming it.
 */
struct ids_body {
    struct idc_dynbuf b;
    const char *missing; /* the member first given as NULL */
};

static void body_value(struct ids_body *body, const char *member, const char *value)
{
    if (value == NULL) {
        body->missing = body->missing ? body->missing : member;
        return;
    }
    idc_json_quote(&body->b, value, strlen(value));
}

/* Starts a body; a listing starts again in the same buffer for every page. */
static void body_begin(struct ids_body *body, const char *store_id)
{
    body->b.len = 0;
    body->missing = NULL;
    idc_dynbuf_str(&body->b, "{\"IdentityStoreId\":");
    body_value(body, "IdentityStoreId", store_id);
}

static void body_string(struct ids_body *body, const char *member, const char *value)
{
    idc_dynbuf_printf(&body->b, ",\"%s\":", member);
    body_value(body, member, value);
}

/* Checks the client and the arguments the body noted, then runs `op`. */
static idc_err call(struct idc_client *c, const char *op, struct ids_body *body,
                    enum idc_call_kind kind, struct idc_http_response *resp, struct idc_error *err)
{
    if (c == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "Identity Store %s needs a client", op);
    }
    if (idc_client_service(c) != &idc_service_identitystore) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "Identity Store %s needs a client made with "
                             "idc_service_identitystore, not %s's",
                             op, idc_service_name(idc_client_service(c)));
    }
    if (body->missing != NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "Identity Store %s: %s is NULL; pass a value", op,
                             body->missing);
    }
    idc_dynbuf_str(&body->b, "}");
    if (body->b.failed) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory building %s", op);
    }
    idc_err rc = idc_client_call(c, op, body->b.p, body->b.len, kind, resp, err);
    if (rc != IDC_OK) {
        idc_error_prefix(err, "%s", op);
    }
    return rc;
}

/* Names the answer in a failure to read it, as iam.c does: "ListUsers page 3 (request id x)". */
static idc_err answer_failed(idc_err rc, const char *op, unsigned page,
                             const struct idc_http_response *resp, struct idc_error *err)
{
    const char *rid = resp->request_id[0] ? resp->request_id : "none";
    if (page > 0) {
        idc_error_prefix(err, "%s page %u (request id %s)", op, page, rid);
    } else {
        idc_error_prefix(err, "%s answer (request id %s)", op, rid);
    }
    return rc;
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
            return idc_json_get_string(e, "Value");
        }
    }
    return first ? idc_json_get_string(first, "Value") : NULL;
}

/* Parses one User object's bytes and hands it to the callback. */
static idc_err deliver_user(struct idc_str json, idc_ids_user_fn *fn, void *ud, int *stop,
                            struct idc_error *err)
{
    cJSON *u = cJSON_ParseWithLength(json.p, json.len);
    const char *id = idc_json_get_string(u, "UserId");
    if (id == NULL) {
        cJSON_Delete(u);
        return idc_error_set(err, IDC_ERR_PARSE, "a user in the response has no UserId");
    }
    struct idc_ids_user user = {
        .json = json,
        .user_id = id,
        .user_name = idc_json_get_string(u, "UserName"),
        .display_name = idc_json_get_string(u, "DisplayName"),
        .email = primary_email(u),
        .status = idc_json_get_string(u, "UserStatus"),
        .external = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(u, "ExternalIds")) > 0,
        .created_at = idc_json_get_number(u, "CreatedAt", 0),
        .updated_at = idc_json_get_number(u, "UpdatedAt", 0),
    };
    *stop = fn ? fn(&user, ud) : 0;
    cJSON_Delete(u);
    return IDC_OK;
}

/* The NextToken of a page (`raw`, its JSON bytes) unescaped into `token`; "" when absent
 * or null. */
static idc_err next_token(const struct idc_json_field *raw, struct idc_dynbuf *token,
                          struct idc_error *err)
{
    token->len = 0;
    if (!raw->found) {
        return IDC_OK;
    }
    cJSON *s = cJSON_ParseWithLength(raw->value.p, raw->value.len);
    bool is_string = cJSON_IsString(s);
    if (is_string && s->valuestring[0] != '\0') { /* "" ends the listing, as no token does */
        idc_dynbuf_str(token, s->valuestring);
        idc_dynbuf_put(token, "", 1);
    }
    cJSON_Delete(s);
    if (!is_string) {
        return idc_error_set(err, IDC_ERR_PARSE, "NextToken is not a string");
    }
    if (token->failed) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory keeping a NextToken");
    }
    return IDC_OK;
}

/* Hands on every user of a ListUsers page and counts them; `token` gets the NextToken. */
static idc_err page_users(struct idc_str page, idc_ids_user_fn *fn, void *ud, size_t *count,
                          int *stop, struct idc_dynbuf *token, struct idc_error *err)
{
    struct idc_json_field want[] = {{.key = "Users"}, {.key = "NextToken"}};
    *count = 0;
    idc_err rc = idc_json_fields(page, want, 2, err);
    rc = rc ? rc : next_token(&want[1], token, err);
    /* absent or null: an empty page, as the SDKs read it; but not with a token */
    if (rc == IDC_OK && !want[0].found && token->len > 0) {
        rc = idc_error_set(err, IDC_ERR_PARSE, "the ListUsers response has no Users member");
    }
    struct idc_json_iter it;
    struct idc_str el;
    idc_json_iter_init(&it, want[0].found ? want[0].value : IDC_STR("[]"), page.p);
    while (rc == IDC_OK && !*stop && idc_json_iter_next(&it, &el, &rc, err)) {
        rc = deliver_user(el, fn, ud, stop, err);
        *count += rc == IDC_OK;
    }
    return rc;
}

idc_err idc_ids_list_users(struct idc_client *c, const char *store_id, idc_ids_user_fn *on_user,
                           idc_ids_page_fn *on_page, void *ud, struct idc_error *err)
{
    struct ids_body body = {0};
    struct idc_dynbuf token = {0}; /* NUL-terminated when not empty */
    struct idc_pager pager;
    idc_pager_init(&pager, "NextToken");
    idc_err rc = IDC_OK;
    int stop = 0;
    for (unsigned page = 1; rc == IDC_OK && !stop; page++) {
        struct idc_http_response resp;
        body_begin(&body, store_id);
        idc_dynbuf_str(&body.b, ",\"MaxResults\":100");
        if (token.len > 0) {
            body_string(&body, "NextToken", token.p);
        }
        rc = call(c, "ListUsers", &body, IDC_CALL_READ, &resp, err);
        if (rc != IDC_OK) {
            break;
        }
        size_t count = 0;
        rc = page_users(idc_str_make(resp.body, resp.body_len), on_user, ud, &count, &stop, &token,
                        err);
        if (rc == IDC_OK && !stop) {
            rc = idc_pager_next(&pager, token.p, token.len ? token.len - 1 : 0, count, err);
        }
        if (rc != IDC_OK) {
            answer_failed(rc, "ListUsers", page, &resp, err);
        } else if (on_page != NULL && !stop) {
            stop = on_page(page, count, ud);
        }
        if (token.len == 0) {
            break;
        }
    }
    idc_dynbuf_free(&body.b);
    idc_dynbuf_free(&token);
    idc_pager_free(&pager);
    return rc;
}

idc_err idc_ids_probe(struct idc_client *c, const char *store_id, struct idc_error *err)
{
    struct ids_body body = {0};
    struct idc_http_response resp;
    body_begin(&body, store_id);
    idc_dynbuf_str(&body.b, ",\"MaxResults\":1");
    idc_err rc = call(c, "ListUsers", &body, IDC_CALL_READ, &resp, err);
    if (rc == IDC_OK) {
        struct idc_dynbuf token = {0};
        size_t count = 0;
        int stop = 0;
        rc = page_users(idc_str_make(resp.body, resp.body_len), NULL, NULL, &count, &stop, &token,
                        err);
        rc = rc ? answer_failed(rc, "ListUsers", 1, &resp, err) : IDC_OK;
        idc_dynbuf_free(&token);
    }
    idc_dynbuf_free(&body.b);
    return rc;
}

idc_err idc_ids_describe_user(struct idc_client *c, const char *store_id, const char *user_id,
                              idc_ids_user_fn *on_user, void *ud, struct idc_error *err)
{
    struct ids_body body = {0};
    struct idc_http_response resp;
    int stop = 0;
    body_begin(&body, store_id);
    body_string(&body, "UserId", user_id);
    idc_err rc = call(c, "DescribeUser", &body, IDC_CALL_READ, &resp, err);
    if (rc == IDC_OK) {
        rc = deliver_user(idc_str_make(resp.body, resp.body_len), on_user, ud, &stop, err);
        rc = rc ? answer_failed(rc, "DescribeUser", 0, &resp, err) : IDC_OK;
    }
    idc_dynbuf_free(&body.b);
    return rc;
}

/*
 * Runs an operation whose answer is a small JSON object; `doc` gets it parsed (NULL on
 * failure). `resp` stays the caller's, to name the answer in a later failure.
 */
static idc_err call_json(struct idc_client *c, const char *op, struct ids_body *body,
                         enum idc_call_kind kind, struct idc_http_response *resp, cJSON **doc,
                         struct idc_error *err)
{
    *doc = NULL;
    idc_err rc = call(c, op, body, kind, resp, err);
    if (rc != IDC_OK) {
        return rc;
    }
    *doc = cJSON_ParseWithLength(resp->body, resp->body_len);
    if (!cJSON_IsObject(*doc)) {
        idc_error_set(err, IDC_ERR_PARSE, "the response is not a JSON object");
        return answer_failed(IDC_ERR_PARSE, op, 0, resp, err);
    }
    return IDC_OK;
}

idc_err idc_ids_get_user_id(struct idc_client *c, const char *store_id, const char *attribute,
                            const char *value, char *out, size_t cap, struct idc_error *err)
{
    if (out == NULL || cap == 0) {
        return idc_error_set(err, IDC_ERR_ARG, "idc_ids_get_user_id needs an output buffer");
    }
    struct ids_body body = {0};
    struct idc_http_response resp;
    cJSON *doc;
    body_begin(&body, store_id);
    idc_dynbuf_str(&body.b, ",\"AlternateIdentifier\":{\"UniqueAttribute\":{\"AttributePath\":");
    body_value(&body, "AttributePath", attribute);
    idc_dynbuf_str(&body.b, ",\"AttributeValue\":");
    body_value(&body, "AttributeValue", value);
    idc_dynbuf_str(&body.b, "}}");
    idc_err rc = call_json(c, "GetUserId", &body, IDC_CALL_READ, &resp, &doc, err);
    const char *id = rc ? NULL : idc_json_get_string(doc, "UserId");
    if (rc == IDC_OK && id == NULL) {
        idc_error_set(err, IDC_ERR_PARSE, "no UserId in the response");
        rc = answer_failed(IDC_ERR_PARSE, "GetUserId", 0, &resp, err);
    }
    rc = rc ? rc : idc_str_copy(idc_str_c(id), out, cap, "UserId", err);
    cJSON_Delete(doc);
    idc_dynbuf_free(&body.b);
    return rc;
}

static idc_err delete_one(struct idc_client *c, const char *op, const char *store_id,
                          const char *key, const char *id, struct idc_error *err)
{
    struct ids_body body = {0};
    struct idc_http_response resp;
    body_begin(&body, store_id);
    body_string(&body, key, id);
    idc_err rc = call(c, op, &body, IDC_CALL_IDEMPOTENT, &resp, err);
    idc_dynbuf_free(&body.b);
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
    if (name == NULL || cap == 0) {
        return idc_error_set(err, IDC_ERR_ARG, "idc_ids_describe_group needs an output buffer");
    }
    struct ids_body body = {0};
    struct idc_http_response resp;
    cJSON *doc;
    body_begin(&body, store_id);
    body_string(&body, "GroupId", group_id);
    idc_err rc = call_json(c, "DescribeGroup", &body, IDC_CALL_READ, &resp, &doc, err);
    const char *dn = rc ? NULL : idc_json_get_string(doc, "DisplayName");
    if (rc == IDC_OK) {
        rc = idc_str_copy(idc_str_c(dn ? dn : group_id), name, cap, "group name", err);
    }
    cJSON_Delete(doc);
    idc_dynbuf_free(&body.b);
    return rc;
}

/* One page of GroupMemberships; `token` gets the next page's token (NUL-terminated),
 * *items how many the page held. */
static idc_err memberships_page(const cJSON *doc, idc_ids_membership_fn *fn, void *ud, int *stop,
                                struct idc_dynbuf *token, size_t *items, struct idc_error *err)
{
    const cJSON *m;
    *items = 0;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(doc, "GroupMemberships"))
    {
        ++*items;
        const char *mid = idc_json_get_string(m, "MembershipId"),
                   *gid = idc_json_get_string(m, "GroupId");
        if (mid != NULL && gid != NULL && !*stop) {
            *stop = fn(mid, gid, ud);
        }
    }
    const char *next = idc_json_get_string(doc, "NextToken");
    token->len = 0;
    if (next != NULL && next[0] != '\0' && !*stop) {
        idc_dynbuf_put(token, next, strlen(next) + 1);
    }
    if (token->failed) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory keeping a NextToken");
    }
    return IDC_OK;
}

idc_err idc_ids_list_memberships_for_member(struct idc_client *c, const char *store_id,
                                            const char *user_id, idc_ids_membership_fn *fn,
                                            void *ud, struct idc_error *err)
{
    static const char op[] = "ListGroupMembershipsForMember";
    if (fn == NULL) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "idc_ids_list_memberships_for_member needs a callback");
    }
    struct ids_body body = {0};
    struct idc_dynbuf token = {0};
    struct idc_pager pager;
    idc_pager_init(&pager, "NextToken");
    idc_err rc;
    int stop = 0;
    unsigned page = 0;
    do {
        page++;
        struct idc_http_response resp;
        cJSON *doc;
        body_begin(&body, store_id);
        idc_dynbuf_str(&body.b, ",\"MemberId\":{\"UserId\":");
        body_value(&body, "UserId", user_id);
        idc_dynbuf_str(&body.b, "},\"MaxResults\":100");
        if (token.len > 0) {
            body_string(&body, "NextToken", token.p);
        }
        rc = call_json(c, op, &body, IDC_CALL_READ, &resp, &doc, err);
        size_t items = 0;
        rc = rc ? rc : memberships_page(doc, fn, ud, &stop, &token, &items, err);
        if (rc == IDC_OK) {
            rc = idc_pager_next(&pager, token.p, token.len ? token.len - 1 : 0, items, err);
            if (rc != IDC_OK) {
                answer_failed(rc, op, page, &resp, err);
            }
        }
        cJSON_Delete(doc);
    } while (rc == IDC_OK && token.len > 0);
    idc_dynbuf_free(&body.b);
    idc_dynbuf_free(&token);
    idc_pager_free(&pager);
    return rc;
}
