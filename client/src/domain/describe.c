/* SPDX-License-Identifier: Apache-2.0 */
/*
 * describe.c - one user and everything that hangs on it (directory.h): for Identity Center
 * its group memberships with the groups' names, for IAM every kind of item that blocks
 * DeleteUser, read kind by kind in the order a deletion removes them.
 */
#include <stdlib.h>
#include <string.h>

#include "domain_int.h"
#include "idc/identitystore.h"

/* The info the caller sees, followed by what builds and frees it. */
struct info {
    struct idc_user_info pub;
    struct idc_user_item *items;
    size_t cap;
    struct idc_pool pool;
    struct idc_error *err;
};

static const char *const item_kind_names[] = {
    [IDC_ITEM_GROUP] = "group",
    [IDC_ITEM_LOGIN_PROFILE] = "login profile",
    [IDC_ITEM_ACCESS_KEY] = "access key",
    [IDC_ITEM_SIGNING_CERTIFICATE] = "signing certificate",
    [IDC_ITEM_SSH_PUBLIC_KEY] = "SSH public key",
    [IDC_ITEM_SERVICE_CREDENTIAL] = "service-specific credential",
    [IDC_ITEM_MFA_DEVICE] = "MFA device",
    [IDC_ITEM_INLINE_POLICY] = "inline policy",
    [IDC_ITEM_ATTACHED_POLICY] = "attached policy",
};

const char *idc_item_kind_name(enum idc_item_kind kind)
{
    return (unsigned)kind < sizeof item_kind_names / sizeof item_kind_names[0]
               ? item_kind_names[kind]
               : "?";
}

/* Adds an item; NULL when memory ran out (the info is then marked failed). */
static struct idc_user_item *add_item(struct info *in, enum idc_item_kind kind, const char *id,
                                      const char *name, const char *status)
{
    if (in->pub.item_count == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 8;
        struct idc_user_item *grown = realloc(in->items, cap * sizeof *grown);
        if (grown == NULL) {
            in->pool.failed = true;
            return NULL;
        }
        in->items = grown;
        in->cap = cap;
        in->pub.items = grown;
    }
    struct idc_user_item *it = &in->items[in->pub.item_count++];
    *it = (struct idc_user_item){
        .kind = kind,
        .id = idc_pool_str(&in->pool, id),
        .name = idc_pool_str(&in->pool, name ? name : id),
        .status = idc_pool_str(&in->pool, status),
    };
    return it;
}

/* Keeps the user's strings in the info's pool. */
static void keep_user(struct info *in, const struct idc_user *u)
{
    struct idc_pool *p = &in->pool;
    in->pub.user = (struct idc_user){
        .user_id = idc_pool_str(p, u->user_id),
        .user_name = idc_pool_str(p, u->user_name ? u->user_name : ""),
        .display_name = idc_pool_str(p, u->display_name),
        .email = idc_pool_str(p, u->email),
        .status = idc_pool_str(p, u->status),
        .external = u->external,
        .json = idc_pool_keep(p, u->json, u->json_len),
        .json_len = u->json_len,
        .console_access = u->console_access,
        .active_keys = u->active_keys,
    };
}

void idc_user_info_free(struct idc_user_info *info)
{
    struct info *in = (struct info *)info;
    if (in != NULL) {
        idc_pool_free(&in->pool);
        free(in->items);
        free(in);
    }
}

/* ---- Identity Center ------------------------------------------------------------------- */

static int keep_ids_user(const struct idc_ids_user *u, void *ud)
{
    struct idc_user v = idc_ids_user_view(u);
    keep_user(ud, &v);
    return 0;
}

/* A membership: the group's id stands as its name until DescribeGroup gives the real one. */
static int keep_membership(const char *membership_id, const char *group_id, void *ud)
{
    return add_item(ud, IDC_ITEM_GROUP, membership_id, group_id, NULL) == NULL;
}

static idc_err describe_ids(struct idc_directory *d, const char *user_id, const char *user_name,
                            struct info *in)
{
    char id[128];
    idc_err rc = IDC_OK;
    if (user_id == NULL) {
        rc = idc_ids_get_user_id(d->client, d->store_id, "userName", user_name, id, sizeof id,
                                 in->err);
        user_id = id;
    }
    rc = rc ? rc
            : idc_ids_describe_user(d->client, d->store_id, user_id, keep_ids_user, in, in->err);
    rc = rc ? rc
            : idc_ids_list_memberships_for_member(d->client, d->store_id, user_id, keep_membership,
                                                  in, in->err);
    for (size_t i = 0; rc == IDC_OK && !in->pool.failed && i < in->pub.item_count; i++) {
        char name[IDC_IDS_DISPLAY_NAME_MAX + 1];
        struct idc_user_item *it = &in->items[i];
        rc = idc_ids_describe_group(d->client, d->store_id, it->name, name, sizeof name, in->err);
        it->name = rc ? it->name : idc_pool_str(&in->pool, name);
    }
    return rc;
}

/* ---- IAM ------------------------------------------------------------------------------- */

/* IAM's item kinds in deletion order, after the login profile, and the domain's name for each. */
static const struct {
    enum idc_iam_item_kind iam;
    enum idc_item_kind item;
} iam_order[] = {
    {IDC_IAM_ACCESS_KEY, IDC_ITEM_ACCESS_KEY},
    {IDC_IAM_SIGNING_CERTIFICATE, IDC_ITEM_SIGNING_CERTIFICATE},
    {IDC_IAM_SSH_PUBLIC_KEY, IDC_ITEM_SSH_PUBLIC_KEY},
    {IDC_IAM_SERVICE_CREDENTIAL, IDC_ITEM_SERVICE_CREDENTIAL},
    {IDC_IAM_MFA_DEVICE, IDC_ITEM_MFA_DEVICE},
    {IDC_IAM_INLINE_POLICY, IDC_ITEM_INLINE_POLICY},
    {IDC_IAM_ATTACHED_POLICY, IDC_ITEM_ATTACHED_POLICY},
    {IDC_IAM_GROUP, IDC_ITEM_GROUP},
};

struct iam_items {
    struct info *in;
    enum idc_item_kind kind;
    int active_keys;
};

static int keep_iam_item(const struct idc_iam_item *item, void *ud)
{
    struct iam_items *k = ud;
    k->active_keys += item->status != NULL && strcmp(item->status, "Active") == 0;
    return add_item(k->in, k->kind, item->id, item->name, item->status) == NULL;
}

/* IAM looks users up by name only: find the name of `user_id` among all users. */
struct id_scan {
    const char *user_id;
    char user_name[IDC_IAM_NAME_MAX + 1];
};

static int find_id(const struct idc_iam_user *u, void *ud)
{
    struct id_scan *s = ud;
    if (strcmp(u->user_id, s->user_id) != 0) {
        return 0;
    }
    memcpy(s->user_name, u->user_name, sizeof s->user_name);
    return 1;
}

static idc_err iam_name_of(struct idc_directory *d, struct id_scan *scan, struct idc_error *err)
{
    idc_err rc = idc_iam_list_users(d->client, NULL, find_id, scan, err);
    if (rc == IDC_OK && scan->user_name[0] == '\0') {
        rc = idc_error_set(err, IDC_ERR_NOT_FOUND, "no IAM user has the id %s", scan->user_id);
    }
    return rc;
}

/*
 * The user with its status; the access keys come in as items on the way. A name known from
 * earlier must still be the user of `user_id` (may be NULL): IAM reuses names.
 */
static idc_err describe_iam_user(struct idc_directory *d, const char *name, const char *user_id,
                                 struct info *in)
{
    struct idc_iam_user u;
    struct idc_iam_facts facts = {0};
    struct iam_items keys = {in, IDC_ITEM_ACCESS_KEY, 0};
    idc_err rc = idc_iam_get_user(d->client, name, &u, in->err);
    if (rc == IDC_OK && user_id != NULL && strcmp(u.user_id, user_id) != 0) {
        return idc_error_set(in->err, IDC_ERR_NOT_FOUND,
                             "no IAM user has the id %s: the name %s now belongs to %s (deleted "
                             "and created again)",
                             user_id, name, u.user_id);
    }
    rc = rc ? rc : idc_iam_get_login_profile(d->client, name, &facts.console_access, in->err);
    if (rc == IDC_OK && facts.console_access) {
        add_item(in, IDC_ITEM_LOGIN_PROFILE, NULL, "console password", NULL);
    }
    rc = rc ? rc
            : idc_iam_list_user_items(d->client, IDC_IAM_ACCESS_KEY, name, keep_iam_item, &keys,
                                      in->err);
    if (rc != IDC_OK) {
        return rc;
    }
    facts.active_keys = keys.active_keys;
    struct idc_dynbuf json = {0};
    struct idc_user view;
    idc_iam_user_view(&u, &facts, &json, &view);
    keep_user(in, &view);
    in->pool.failed |= json.failed;
    idc_dynbuf_free(&json);
    return IDC_OK;
}

static idc_err describe_iam(struct idc_directory *d, const char *user_id, const char *user_name,
                            struct info *in)
{
    struct id_scan scan = {.user_id = user_id};
    idc_err rc = user_name ? IDC_OK : iam_name_of(d, &scan, in->err);
    const char *name = user_name ? user_name : scan.user_name;
    rc = rc ? rc : describe_iam_user(d, name, user_id, in);
    /* the access keys were read with the user: the other kinds follow */
    for (size_t i = 1; rc == IDC_OK && i < sizeof iam_order / sizeof iam_order[0]; i++) {
        struct iam_items k = {in, iam_order[i].item, 0};
        rc = idc_iam_list_user_items(d->client, iam_order[i].iam, name, keep_iam_item, &k, in->err);
    }
    return rc;
}

/* ---- the entry point -------------------------------------------------------------------- */

idc_err idc_directory_describe_user(struct idc_directory *d, const char *user_id,
                                    const char *user_name, struct idc_user_info **out,
                                    struct idc_error *err)
{
    *out = NULL;
    if (d == NULL || (user_id == NULL && user_name == NULL)) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "idc_directory_describe_user needs a directory and a user id or a "
                             "user name");
    }
    if (d->kind == IDC_KIND_IDENTITY_CENTER && user_id != NULL) {
        user_name = NULL; /* the id is the user's for good */
    }
    struct idc_error local = {0};
    struct info *in = calloc(1, sizeof *in);
    if (in == NULL) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory describing a user");
    }
    in->err = err ? err : &local;
    idc_err rc = d->kind == IDC_KIND_IAM ? describe_iam(d, user_id, user_name, in)
                                         : describe_ids(d, user_id, user_name, in);
    if (rc == IDC_OK && in->pool.failed) {
        rc = idc_error_set(in->err, IDC_ERR_NOMEM, "out of memory keeping user %s",
                           user_name ? user_name : user_id);
    }
    if (rc != IDC_OK) {
        idc_user_info_free(&in->pub);
        return rc;
    }
    in->err = NULL;
    *out = &in->pub;
    return IDC_OK;
}
