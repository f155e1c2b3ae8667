/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iam.c - IAM operations (iam.h) over idc_client_call: request forms, answers walked with
 * idc_xml_walk_full against the botocore model's element names (no DOM), Marker/IsTruncated
 * paging, and what hangs on a user (keys, certificates, MFA devices, policies, groups)
 * listed and removed one kind at a time from one table. A page keeps copies of the fields
 * it needs, so callbacks run after the answer is parsed.
 */
#include "idc/iam.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws_query.h"
#include "dynbuf.h"
#include "pager.h"
#include "probe.h"
#include "protocol.h"
#include "query_call.h"
#include "timefmt.h"

static const struct idc_service_global iam_global[] = {
    {"aws", "https://iam.amazonaws.com", "us-east-1"},
    {"aws-cn", "https://iam.cn-north-1.amazonaws.com.cn", "cn-north-1"},
    {"aws-us-gov", "https://iam.us-gov.amazonaws.com", "us-gov-west-1"},
    {NULL, NULL, NULL},
};

/* IAM: one endpoint per partition (botocore's endpoint rules), API version 2010-05-08. */
const struct idc_service idc_service_iam = {
    .title = "IAM",
    .signing_name = "iam",
    .endpoint_prefix = "iam",
    .env_name = "IAM",
    .api_version = "2010-05-08",
    .global = iam_global,
    .protocol = &idc_protocol_query,
};

#define IAM_FIELDS_MAX 6
#define IAM_PAGE_ITEMS "100"

/* ---- answer shapes (botocore model, service-2.json) ------------------------------------- */

/*
 * What to keep from an answer <ActionResponse><ActionResult>...: the path of one item below
 * the Result wrapper, the item's children to keep (fields[0] is what a cascade deletes by),
 * and which of them the model (or the cascade) requires.
 */
struct iam_shape {
    const char *action;
    const char *item[2];                /* {"Users", "member"}, {"User"}, or none */
    bool scalar;                        /* the item is its own text (PolicyNames/member) */
    bool single;                        /* exactly one item (GetUser/User) */
    bool paged;                         /* IsTruncated and Marker in the Result */
    const char *fields[IAM_FIELDS_MAX]; /* NULL-terminated */
    unsigned required;                  /* bit i: fields[i] must be there */
};

enum { U_PATH, U_NAME, U_ID, U_ARN, U_CREATED, U_LAST_USED }; /* the User fields below */
#define USER_FIELDS                                                                                \
    {                                                                                              \
        "Path", "UserName", "UserId", "Arn", "CreateDate", "PasswordLastUsed"                      \
    }
#define USER_REQUIRED 0x1fu /* Path, UserName, UserId, Arn, CreateDate */

static const struct iam_shape s_list_users = {"ListUsers",
                                              {"Users", "member"},
                                              .paged = true,
                                              .fields = USER_FIELDS,
                                              .required = USER_REQUIRED};
static const struct iam_shape s_get_user = {
    "GetUser", {"User"}, .single = true, .fields = USER_FIELDS, .required = USER_REQUIRED};
static const struct iam_shape s_get_login_profile = {
    "GetLoginProfile", {"LoginProfile"}, .single = true, .fields = {"UserName"}};

enum { K_ID, K_STATUS, K_CREATED };
static const struct iam_shape s_list_access_keys = {
    "ListAccessKeys",
    {"AccessKeyMetadata", "member"},
    .paged = true,
    .fields = {"AccessKeyId", "Status", "CreateDate"},
    .required = 0x3u};

enum { G_NAME, G_ID, G_ARN, G_PATH };
static const struct iam_shape s_list_groups = {"ListGroupsForUser",
                                               {"Groups", "member"},
                                               .paged = true,
                                               .fields = {"GroupName", "GroupId", "Arn", "Path"},
                                               .required = 0xfu};

static const struct iam_shape s_list_certificates = {
    "ListSigningCertificates",
    {"Certificates", "member"},
    .paged = true,
    .fields = {"CertificateId", "Status", "UploadDate"},
    .required = 1u};
static const struct iam_shape s_list_ssh_keys = {
    "ListSSHPublicKeys",
    {"SSHPublicKeys", "member"},
    .paged = true,
    .fields = {"SSHPublicKeyId", "Status", "UploadDate"},
    .required = 1u};
static const struct iam_shape s_list_service_credentials = {
    "ListServiceSpecificCredentials",
    {"ServiceSpecificCredentials", "member"},
    .paged = true,
    .fields = {"ServiceSpecificCredentialId", "Status", "CreateDate", "ServiceName"},
    .required = 1u};
static const struct iam_shape s_list_mfa = {"ListMFADevices",
                                            {"MFADevices", "member"},
                                            .paged = true,
                                            .fields = {"SerialNumber", "EnableDate"},
                                            .required = 1u};
static const struct iam_shape s_list_inline = {"ListUserPolicies",   {"PolicyNames", "member"},
                                               .scalar = true,       .paged = true,
                                               .fields = {"member"}, .required = 1u};
static const struct iam_shape s_list_attached = {"ListAttachedUserPolicies",
                                                 {"AttachedPolicies", "member"},
                                                 .paged = true,
                                                 .fields = {"PolicyArn", "PolicyName"},
                                                 .required = 1u};

/* ---- a page of items: copies of the kept fields ---------------------------------------- */

struct iam_item {
    size_t off[IAM_FIELDS_MAX]; /* 1 + the field's offset in `text`, or 0 when absent */
};

struct iam_page {
    struct idc_dynbuf text;  /* field values, each NUL-terminated */
    struct idc_dynbuf items; /* struct iam_item, one per item */
    struct iam_item cur;     /* the item being read */
    bool truncated;
    size_t marker;     /* 1 + offset in `text`, or 0 */
    size_t marker_len; /* markerType allows 320 bytes; what AWS sends back is not bounded */
};

static size_t page_count(const struct iam_page *page)
{
    return page->items.len / sizeof(struct iam_item);
}

/* A field of item `i` (a C string in the page), or NULL when the answer left it out. */
static const char *page_field(const struct iam_page *page, size_t i, int field)
{
    const struct iam_item *item = (const struct iam_item *)page->items.p + i;
    size_t off = item->off[field];
    return off ? page->text.p + off - 1 : NULL;
}

static size_t page_store(struct iam_page *page, const char *text, size_t len)
{
    size_t off = page->text.len + 1;
    idc_dynbuf_put(&page->text, text, len);
    idc_dynbuf_put(&page->text, "", 1);
    return page->text.failed ? 0 : off;
}

static void page_commit(struct iam_page *page)
{
    idc_dynbuf_put(&page->items, &page->cur, sizeof page->cur);
    page->cur = (struct iam_item){{0}};
}

/* Starts the next page; `keep` leaves the items read so far (a cascade lists everything). */
static void page_next(struct iam_page *page, bool keep)
{
    if (!keep) {
        page->text.len = 0;
        page->items.len = 0;
    }
    page->cur = (struct iam_item){{0}};
    page->truncated = false;
    page->marker = 0;
    page->marker_len = 0;
}

static void page_free(struct iam_page *page)
{
    idc_dynbuf_free(&page->text);
    idc_dynbuf_free(&page->items);
}

/* ---- walking one answer ----------------------------------------------------------------- */

struct iam_parse {
    const struct iam_shape *shape;
    struct iam_page *page;
    struct idc_error *err;
    char root[64];   /* "ListUsersResponse" */
    char result[64]; /* "ListUsersResult" */
    size_t item_depth;
    bool saw_result;
};

static bool root_ok(struct iam_parse *p, const char *const *path)
{
    if (strcmp(path[0], p->root) == 0) {
        return true;
    }
    idc_error_set(p->err, IDC_ERR_PARSE,
                  "the root element is <%s>, not <%s>; is the endpoint an IAM endpoint?", path[0],
                  p->root);
    return false;
}

/* True when `path` goes through the shape's item path (its first item_depth elements). */
static bool in_item(const struct iam_parse *p, const char *const *path, size_t depth)
{
    if (p->item_depth == 2 || depth < p->item_depth) {
        return false;
    }
    for (size_t i = 2; i < p->item_depth; i++) {
        if (strcmp(path[i], p->shape->item[i - 2]) != 0) {
            return false;
        }
    }
    return true;
}

static void keep_field(struct iam_parse *p, const char *name, const char *text, size_t len)
{
    for (int f = 0; f < IAM_FIELDS_MAX && p->shape->fields[f] != NULL; f++) {
        if (strcmp(name, p->shape->fields[f]) == 0) {
            p->page->cur.off[f] = page_store(p->page, text, len);
            return;
        }
    }
}

static void paging_leaf(struct iam_parse *p, const char *name, const char *text, size_t len)
{
    if (strcmp(name, "IsTruncated") == 0) {
        p->page->truncated = strcmp(text, "true") == 0;
    } else if (strcmp(name, "Marker") == 0) {
        p->page->marker = page_store(p->page, text, len);
        p->page->marker_len = len;
    }
}

static int parse_leaf(const char *const *path, size_t depth, const char *text, size_t len, void *ud)
{
    struct iam_parse *p = ud;
    if (!root_ok(p, path)) {
        return 1;
    }
    if (depth < 2 || strcmp(path[1], p->result) != 0) {
        return 0; /* ResponseMetadata, or something newer than the model */
    }
    p->saw_result = true;
    if (depth == 3 && p->shape->paged) {
        paging_leaf(p, path[2], text, len);
    }
    if (!in_item(p, path, depth)) {
        return 0;
    }
    if (depth == p->item_depth) {
        /* a scalar item, or an empty <member/> that the required-field check will reject */
        if (p->shape->scalar) {
            p->page->cur.off[0] = page_store(p->page, text, len);
        }
        page_commit(p->page);
    } else if (depth == p->item_depth + 1) {
        keep_field(p, path[depth - 1], text, len);
    }
    return 0;
}

static int parse_end(const char *const *path, size_t depth, void *ud)
{
    struct iam_parse *p = ud;
    if (!root_ok(p, path)) {
        return 1;
    }
    if (depth >= 2 && strcmp(path[1], p->result) == 0) {
        p->saw_result = true;
        if (depth == p->item_depth && in_item(p, path, depth)) {
            page_commit(p->page);
        }
    }
    return 0;
}

/* The model's promises about items first..count: required fields, one item, a Marker. */
static idc_err parse_check(const struct iam_parse *p, size_t first, struct idc_error *err)
{
    const struct iam_shape *s = p->shape;
    const struct iam_page *page = p->page;
    if (page->text.failed || page->items.failed) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory");
    }
    if ((s->item[0] != NULL || s->paged) && !p->saw_result) {
        return idc_error_set(err, IDC_ERR_PARSE, "no <%s> element", p->result);
    }
    size_t count = page_count(page);
    if (s->single && count - first != 1) {
        return idc_error_set(err, IDC_ERR_PARSE, "%zu <%s> elements where the model has one",
                             count - first, s->item[0]);
    }
    for (size_t i = first; i < count; i++) {
        for (int f = 0; f < IAM_FIELDS_MAX && s->fields[f] != NULL; f++) {
            const char *v = page_field(page, i, f);
            if ((s->required >> f & 1u) && (v == NULL || v[0] == '\0')) {
                return idc_error_set(err, IDC_ERR_PARSE, "item %zu of <%s> has no <%s>",
                                     i - first + 1, s->item[0], s->fields[f]);
            }
        }
    }
    if (page->truncated && page->marker_len == 0) {
        return idc_error_set(err, IDC_ERR_PARSE, "IsTruncated is true but there is no Marker");
    }
    return IDC_OK;
}

/* Walks `resp` into `page` (appending items); the error names the operation. */
static idc_err iam_parse(const struct iam_shape *shape, const struct idc_http_response *resp,
                         struct iam_page *page, struct idc_error *err)
{
    struct idc_error local = {0};
    err = err ? err : &local; /* the callbacks say why they stop through it */
    struct iam_parse p = {.shape = shape, .page = page, .err = err};
    snprintf(p.root, sizeof p.root, "%sResponse", shape->action);
    snprintf(p.result, sizeof p.result, "%sResult", shape->action);
    p.item_depth = 2 + (shape->item[0] != NULL) + (shape->item[1] != NULL);
    size_t first = page_count(page);
    idc_err rc = idc_xml_walk_full(resp->body, resp->body_len, parse_leaf, parse_end, &p, err);
    if (rc == IDC_OK) {
        rc = parse_check(&p, first, err);
    }
    if (rc != IDC_OK) {
        idc_error_prefix(err, "IAM %s answer (request id %s)", shape->action,
                         resp->request_id[0] ? resp->request_id : "none");
    }
    return rc;
}

/* ---- calls and paging ------------------------------------------------------------------- */

static idc_err iam_call(struct idc_client *c, const char *action,
                        const struct idc_query_param *params, size_t n, enum idc_call_kind kind,
                        struct idc_http_response *resp, struct idc_error *err)
{
    return idc_query_call(c, &idc_service_iam, action, params, n, kind, resp, err);
}

/* Called for item `i` of a page as the page arrives; sets *stop to end the listing. */
typedef idc_err iam_item_fn(const struct iam_page *page, size_t i, void *ud, bool *stop,
                            struct idc_error *err);

/* The next request's Marker into `marker` (NUL-terminated), once `pager` let it through. */
static idc_err next_marker(const struct iam_page *page, size_t items, struct idc_pager *pager,
                           struct idc_dynbuf *marker, struct idc_error *err)
{
    const char *next = page->text.p + page->marker - 1; /* NUL-terminated by page_store */
    size_t len = page->marker_len;
    idc_err rc = idc_pager_next(pager, next, len, items, err);
    if (rc) {
        return rc;
    }
    marker->len = 0;
    idc_dynbuf_put(marker, next, len + 1);
    if (marker->failed) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory keeping a Marker of %zu bytes",
                             len);
    }
    return IDC_OK;
}

/*
 * Runs a List operation to its last page: `filter` (PathPrefix or UserName) plus MaxItems
 * and Marker. `fn` (may be NULL) is called per item as each page arrives. With `keep`,
 * `page` accumulates every page (a cascade lists everything first); otherwise it holds one.
 */
static idc_err iam_list(struct idc_client *c, const struct iam_shape *shape,
                        struct idc_query_param filter, bool keep, struct iam_page *page,
                        iam_item_fn *fn, void *ud, struct idc_error *err)
{
    struct idc_dynbuf marker = {0};
    struct idc_pager pager;
    idc_pager_init(&pager, "Marker");
    bool stop = false;
    idc_err rc;
    for (;;) {
        struct idc_query_param params[] = {
            filter, {"MaxItems", IAM_PAGE_ITEMS}, {"Marker", marker.len ? marker.p : NULL}};
        struct idc_http_response resp;
        rc = iam_call(c, shape->action, params, 3, IDC_CALL_READ, &resp, err);
        page_next(page, keep);
        size_t first = page_count(page);
        rc = rc ? rc : iam_parse(shape, &resp, page, err);
        for (size_t i = first; rc == IDC_OK && fn != NULL && !stop && i < page_count(page); i++) {
            rc = fn(page, i, ud, &stop, err);
        }
        if (rc != IDC_OK || stop || !page->truncated) {
            break;
        }
        rc = next_marker(page, page_count(page) - first, &pager, &marker, err);
        if (rc != IDC_OK) {
            idc_error_prefix(err, "IAM %s", shape->action);
            break;
        }
    }
    idc_dynbuf_free(&marker);
    idc_pager_free(&pager);
    return rc;
}

/* A listing whose items are handed on as each page arrives (the public List operations). */
static idc_err iam_list_each(struct idc_client *c, const struct iam_shape *shape,
                             struct idc_query_param filter, iam_item_fn *fn, void *ud,
                             struct idc_error *err)
{
    struct iam_page page = {0};
    idc_err rc = iam_list(c, shape, filter, false, &page, fn, ud, err);
    page_free(&page);
    return rc;
}

/* ---- converting items ------------------------------------------------------------------- */

static idc_err copy_field(const struct iam_page *page, size_t i, int field, char *out, size_t cap,
                          const char *what, struct idc_error *err)
{
    const char *v = page_field(page, i, field);
    size_t len = v ? strlen(v) : 0;
    if (len >= cap) {
        return idc_error_set(err, IDC_ERR_PARSE,
                             "IAM answer: a %s of %zu bytes is longer than the model's %zu", what,
                             len, cap - 1);
    }
    memcpy(out, v ? v : "", len + 1);
    return IDC_OK;
}

/* An optional timestamp: "" and 0 when absent. */
static idc_err copy_date(const struct iam_page *page, size_t i, int field, char *out, int64_t *t,
                         const char *what, struct idc_error *err)
{
    *t = 0;
    idc_err rc = copy_field(page, i, field, out, IDC_IAM_DATE_MAX + 1, what, err);
    if (rc == IDC_OK && out[0] != '\0') {
        rc = idc_time_parse_iso(idc_str_c(out), t, err);
        if (rc != IDC_OK) {
            idc_error_prefix(err, "IAM answer: %s", what);
        }
    }
    return rc;
}

static idc_err user_from_item(const struct iam_page *page, size_t i, struct idc_iam_user *u,
                              struct idc_error *err)
{
    idc_err rc = copy_field(page, i, U_NAME, u->user_name, sizeof u->user_name, "UserName", err);
    rc = rc ? rc : copy_field(page, i, U_ID, u->user_id, sizeof u->user_id, "UserId", err);
    rc = rc ? rc : copy_field(page, i, U_ARN, u->arn, sizeof u->arn, "Arn", err);
    rc = rc ? rc : copy_field(page, i, U_PATH, u->path, sizeof u->path, "Path", err);
    rc =
        rc ? rc : copy_date(page, i, U_CREATED, u->create_date, &u->create_time, "CreateDate", err);
    rc = rc ? rc
            : copy_date(page, i, U_LAST_USED, u->password_last_used, &u->password_last_used_time,
                        "PasswordLastUsed", err);
    return rc;
}

static idc_err key_from_item(const struct iam_page *page, size_t i, struct idc_iam_access_key *k,
                             struct idc_error *err)
{
    *k = (struct idc_iam_access_key){0}; /* a failed copy leaves its field unwritten */
    idc_err rc =
        copy_field(page, i, K_ID, k->access_key_id, sizeof k->access_key_id, "AccessKeyId", err);
    rc = rc ? rc : copy_field(page, i, K_STATUS, k->status, sizeof k->status, "Status", err);
    rc =
        rc ? rc : copy_date(page, i, K_CREATED, k->create_date, &k->create_time, "CreateDate", err);
    k->active = rc == IDC_OK && strcmp(k->status, "Active") == 0;
    return rc;
}

static idc_err group_from_item(const struct iam_page *page, size_t i, struct idc_iam_group *g,
                               struct idc_error *err)
{
    idc_err rc = copy_field(page, i, G_NAME, g->group_name, sizeof g->group_name, "GroupName", err);
    rc = rc ? rc : copy_field(page, i, G_ID, g->group_id, sizeof g->group_id, "GroupId", err);
    rc = rc ? rc : copy_field(page, i, G_ARN, g->arn, sizeof g->arn, "Arn", err);
    rc = rc ? rc : copy_field(page, i, G_PATH, g->path, sizeof g->path, "Path", err);
    return rc;
}

static bool is_no_such_entity(idc_err rc, const struct idc_error *err)
{
    return rc == IDC_ERR_AWS && strcmp(err->aws_code, "NoSuchEntity") == 0;
}

/* ---- reading users ---------------------------------------------------------------------- */

struct user_pager {
    idc_iam_user_fn *fn;
    void *ud;
    struct idc_iam_user user; /* one at a time: the page holds the rest as text */
};

static idc_err user_item(const struct iam_page *page, size_t i, void *ud, bool *stop,
                         struct idc_error *err)
{
    struct user_pager *up = ud;
    idc_err rc = user_from_item(page, i, &up->user, err);
    *stop = rc == IDC_OK && up->fn(&up->user, up->ud) != 0;
    return rc;
}

idc_err idc_iam_list_users(struct idc_client *c, const char *path_prefix, idc_iam_user_fn *fn,
                           void *ud, struct idc_error *err)
{
    if (c == NULL || fn == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "idc_iam_list_users needs a client and a callback");
    }
    struct user_pager up = {.fn = fn, .ud = ud};
    struct idc_query_param filter = {"PathPrefix", path_prefix};
    idc_err rc = iam_list_each(c, &s_list_users, filter, user_item, &up, err);
    if (rc != IDC_OK) {
        idc_error_prefix(err, "listing IAM users");
    }
    return rc;
}

idc_err idc_iam_probe(struct idc_client *c, struct idc_error *err)
{
    struct idc_query_param params[] = {{"MaxItems", "1"}};
    struct idc_http_response resp;
    struct iam_page page = {0};
    idc_err rc = iam_call(c, "ListUsers", params, 1, IDC_CALL_READ, &resp, err);
    rc = rc ? rc : iam_parse(&s_list_users, &resp, &page, err);
    page_free(&page);
    return rc;
}

idc_err idc_iam_get_user(struct idc_client *c, const char *user_name, struct idc_iam_user *out,
                         struct idc_error *err)
{
    if (c == NULL || out == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "idc_iam_get_user needs a client and an output");
    }
    struct idc_query_param params[] = {{"UserName", user_name}};
    struct idc_http_response resp;
    struct iam_page page = {0};
    idc_err rc = iam_call(c, "GetUser", params, 1, IDC_CALL_READ, &resp, err);
    rc = rc ? rc : iam_parse(&s_get_user, &resp, &page, err);
    rc = rc ? rc : user_from_item(&page, 0, out, err);
    page_free(&page);
    if (rc != IDC_OK) {
        idc_error_prefix(err, "reading IAM user %s", user_name ? user_name : "(the caller)");
    }
    return rc;
}

idc_err idc_iam_get_login_profile(struct idc_client *c, const char *user_name, bool *has_password,
                                  struct idc_error *err)
{
    if (c == NULL || user_name == NULL || has_password == NULL) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "idc_iam_get_login_profile needs a client, a user and an output");
    }
    struct idc_error local = {0};
    struct idc_error *e = err ? err : &local;
    struct idc_query_param params[] = {{"UserName", user_name}};
    struct idc_http_response resp;
    struct iam_page page = {0};
    *has_password = false;
    idc_err rc = iam_call(c, "GetLoginProfile", params, 1, IDC_CALL_READ, &resp, e);
    if (is_no_such_entity(rc, e)) {
        return IDC_OK; /* IAM's way of saying "no password" */
    }
    rc = rc ? rc : iam_parse(&s_get_login_profile, &resp, &page, e);
    page_free(&page);
    if (rc != IDC_OK) {
        return idc_error_prefix(e, "reading the login profile of IAM user %s", user_name);
    }
    *has_password = true;
    return IDC_OK;
}

struct key_pager {
    idc_iam_access_key_fn *fn;
    void *ud;
    struct idc_iam_key_counts counts;
};

static idc_err key_item(const struct iam_page *page, size_t i, void *ud, bool *stop,
                        struct idc_error *err)
{
    struct key_pager *kp = ud;
    struct idc_iam_access_key key;
    idc_err rc = key_from_item(page, i, &key, err);
    if (rc != IDC_OK) {
        return rc;
    }
    kp->counts.total++;
    kp->counts.active += key.active;
    *stop = kp->fn != NULL && kp->fn(&key, kp->ud) != 0;
    return IDC_OK;
}

idc_err idc_iam_list_access_keys(struct idc_client *c, const char *user_name,
                                 idc_iam_access_key_fn *fn, void *ud,
                                 struct idc_iam_key_counts *counts, struct idc_error *err)
{
    if (c == NULL || user_name == NULL) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "idc_iam_list_access_keys needs a client and a "
                             "user name");
    }
    struct key_pager kp = {.fn = fn, .ud = ud};
    struct idc_query_param filter = {"UserName", user_name};
    idc_err rc = iam_list_each(c, &s_list_access_keys, filter, key_item, &kp, err);
    if (counts != NULL) {
        *counts = kp.counts;
    }
    if (rc != IDC_OK) {
        idc_error_prefix(err, "listing the access keys of IAM user %s", user_name);
    }
    return rc;
}

struct group_pager {
    idc_iam_group_fn *fn;
    void *ud;
    struct idc_iam_group group;
};

static idc_err group_item(const struct iam_page *page, size_t i, void *ud, bool *stop,
                          struct idc_error *err)
{
    struct group_pager *gp = ud;
    idc_err rc = group_from_item(page, i, &gp->group, err);
    *stop = rc == IDC_OK && gp->fn(&gp->group, gp->ud) != 0;
    return rc;
}

idc_err idc_iam_list_groups_for_user(struct idc_client *c, const char *user_name,
                                     idc_iam_group_fn *fn, void *ud, struct idc_error *err)
{
    if (c == NULL || user_name == NULL || fn == NULL) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "idc_iam_list_groups_for_user needs a client, a "
                             "user name and a callback");
    }
    struct group_pager gp = {.fn = fn, .ud = ud};
    struct idc_query_param filter = {"UserName", user_name};
    idc_err rc = iam_list_each(c, &s_list_groups, filter, group_item, &gp, err);
    if (rc != IDC_OK) {
        idc_error_prefix(err, "listing the groups of IAM user %s", user_name);
    }
    return rc;
}

/* ---- what hangs on a user --------------------------------------------------------------- */

/*
 * One kind of thing that can hang on a user and block DeleteUser: the List operation that
 * finds it (fields[0] is its id), the operation that removes it and that operation's
 * parameter for the id, and which of the kept fields read as name, status and date.
 */
struct item_kind {
    const struct iam_shape *list;
    const char *remove;     /* "DeleteAccessKey" */
    const char *param;      /* "AccessKeyId" */
    int name, status, date; /* field index, or -1 */
};

static const struct item_kind item_kinds[IDC_IAM_ITEM_KIND_COUNT] = {
    [IDC_IAM_ACCESS_KEY] = {&s_list_access_keys, "DeleteAccessKey", "AccessKeyId", -1, K_STATUS,
                            K_CREATED},
    [IDC_IAM_SIGNING_CERTIFICATE] = {&s_list_certificates, "DeleteSigningCertificate",
                                     "CertificateId", -1, 1, 2},
    [IDC_IAM_SSH_PUBLIC_KEY] = {&s_list_ssh_keys, "DeleteSSHPublicKey", "SSHPublicKeyId", -1, 1, 2},
    [IDC_IAM_SERVICE_CREDENTIAL] = {&s_list_service_credentials, "DeleteServiceSpecificCredential",
                                    "ServiceSpecificCredentialId", 3, 1, 2},
    [IDC_IAM_MFA_DEVICE] = {&s_list_mfa, "DeactivateMFADevice", "SerialNumber", -1, -1, 1},
    [IDC_IAM_INLINE_POLICY] = {&s_list_inline, "DeleteUserPolicy", "PolicyName", -1, -1, -1},
    [IDC_IAM_ATTACHED_POLICY] = {&s_list_attached, "DetachUserPolicy", "PolicyArn", 1, -1, -1},
    [IDC_IAM_GROUP] = {&s_list_groups, "RemoveUserFromGroup", "GroupName", -1, -1, -1},
};

static const struct item_kind *item_kind(enum idc_iam_item_kind kind)
{
    return (unsigned)kind < IDC_IAM_ITEM_KIND_COUNT ? &item_kinds[kind] : NULL;
}

const char *idc_iam_item_list_action(enum idc_iam_item_kind kind)
{
    const struct item_kind *k = item_kind(kind);
    return k ? k->list->action : NULL;
}

const char *idc_iam_item_remove_action(enum idc_iam_item_kind kind)
{
    const struct item_kind *k = item_kind(kind);
    return k ? k->remove : NULL;
}

static const char *field_or_null(const struct iam_page *page, size_t i, int field)
{
    return field >= 0 ? page_field(page, i, field) : NULL;
}

struct item_pager {
    enum idc_iam_item_kind kind;
    idc_iam_item_fn *fn;
    void *ud;
};

static idc_err user_item_of(const struct iam_page *page, size_t i, void *ud, bool *stop,
                            struct idc_error *err)
{
    (void)err;
    const struct item_pager *ip = ud;
    const struct item_kind *k = &item_kinds[ip->kind];
    struct idc_iam_item item = {
        .kind = ip->kind,
        .id = page_field(page, i, 0), /* required by the shape: never NULL here */
        .name = field_or_null(page, i, k->name),
        .status = field_or_null(page, i, k->status),
        .date = field_or_null(page, i, k->date),
    };
    *stop = ip->fn(&item, ip->ud) != 0;
    return IDC_OK;
}

idc_err idc_iam_list_user_items(struct idc_client *c, enum idc_iam_item_kind kind,
                                const char *user_name, idc_iam_item_fn *fn, void *ud,
                                struct idc_error *err)
{
    const struct item_kind *k = item_kind(kind);
    if (c == NULL || k == NULL || user_name == NULL || fn == NULL) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "idc_iam_list_user_items needs a client, a known kind, a user name "
                             "and a callback");
    }
    struct item_pager ip = {kind, fn, ud};
    struct idc_query_param filter = {"UserName", user_name};
    idc_err rc = iam_list_each(c, k->list, filter, user_item_of, &ip, err);
    if (rc != IDC_OK) {
        idc_error_prefix(err, "IAM %s for user %s", k->list->action, user_name);
    }
    return rc;
}

/* ---- removals ---------------------------------------------------------------------------- */

/* One write whose answer has no output in the model: the root element is checked. */
static idc_err iam_write(struct idc_client *c, const char *action,
                         const struct idc_query_param *params, size_t n, struct idc_error *err)
{
    struct idc_http_response resp;
    idc_err rc = iam_call(c, action, params, n, IDC_CALL_WRITE, &resp, err);
    if (rc == IDC_OK) {
        struct iam_shape none = {.action = action};
        struct iam_page scratch = {0};
        rc = iam_parse(&none, &resp, &scratch, err);
        page_free(&scratch);
    }
    return rc;
}

idc_err idc_iam_remove_user_item(struct idc_client *c, enum idc_iam_item_kind kind,
                                 const char *user_name, const char *id, struct idc_error *err)
{
    const struct item_kind *k = item_kind(kind);
    if (c == NULL || k == NULL || user_name == NULL || id == NULL) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "idc_iam_remove_user_item needs a client, a known kind, a user name "
                             "and an id");
    }
    struct idc_query_param params[] = {{"UserName", user_name}, {k->param, id}};
    return iam_write(c, k->remove, params, 2, err);
}

idc_err idc_iam_delete_login_profile(struct idc_client *c, const char *user_name,
                                     struct idc_error *err)
{
    if (c == NULL || user_name == NULL) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "idc_iam_delete_login_profile needs a client and a user name");
    }
    struct idc_query_param params[] = {{"UserName", user_name}};
    return iam_write(c, "DeleteLoginProfile", params, 1, err);
}

idc_err idc_iam_delete_virtual_mfa_device(struct idc_client *c, const char *serial_number,
                                          struct idc_error *err)
{
    if (c == NULL || serial_number == NULL) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "idc_iam_delete_virtual_mfa_device needs a client and a serial "
                             "number");
    }
    struct idc_query_param params[] = {{"SerialNumber", serial_number}};
    return iam_write(c, "DeleteVirtualMFADevice", params, 1, err);
}

idc_err idc_iam_delete_user(struct idc_client *c, const char *user_name, struct idc_error *err)
{
    if (c == NULL || user_name == NULL || user_name[0] == '\0') {
        return idc_error_set(err, IDC_ERR_ARG,
                             "idc_iam_delete_user needs a client and a user name");
    }
    struct idc_query_param params[] = {{"UserName", user_name}};
    return iam_write(c, "DeleteUser", params, 1, err);
}
