/* SPDX-License-Identifier: Apache-2.0 */
/*
 * directory.c - one integration's users (directory.h): the kinds, opening a directory with
 * its client, the check call, and listing users with their status. An IAM user's status is
 * derived here, once, from its console password and access keys.
 */
#include "idc/directory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain_int.h"
#include "escape.h"
#include "idc/iam.h"
#include "idc/identitystore.h"
#include "idc/provider.h"
#include "probe.h"
#include "termtext.h"

/* ---- kinds ------------------------------------------------------------------------------ */

const char *idc_kind_name(enum idc_kind kind)
{
    switch (kind) {
    case IDC_KIND_IDENTITY_CENTER:
        return "identitycenter";
    case IDC_KIND_IAM:
        return "iam";
    }
    return "?";
}

bool idc_kind_parse(const char *name, enum idc_kind *out)
{
    if (name != NULL && strcmp(name, "identitycenter") == 0) {
        *out = IDC_KIND_IDENTITY_CENTER;
        return true;
    }
    if (name != NULL && strcmp(name, "iam") == 0) {
        *out = IDC_KIND_IAM;
        return true;
    }
    return false;
}

const struct idc_service *idc_kind_service(enum idc_kind kind)
{
    switch (kind) {
    case IDC_KIND_IDENTITY_CENTER:
        return &idc_service_identitystore;
    case IDC_KIND_IAM:
        return &idc_service_iam;
    }
    return NULL;
}

static bool lower_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
            return false;
        }
    }
    return true;
}

bool idc_store_id_valid(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 12 && s[0] == 'd' && s[1] == '-') {
        return lower_hex(s + 2, 10);
    }
    return n == 36 && lower_hex(s, 8) && s[8] == '-' && lower_hex(s + 9, 4) && s[13] == '-' &&
           lower_hex(s + 14, 4) && s[18] == '-' && lower_hex(s + 19, 4) && s[23] == '-' &&
           lower_hex(s + 24, 12);
}

/*
 * Every action each kind calls, reads first: what `idcctl policy` prints and what the plan's
 * steps name (a unit test checks that every step's action is listed here).
 */
static const char *const ic_actions[] = {
    "identitystore:ListUsers",
    "identitystore:DescribeUser",
    "identitystore:GetUserId",
    "identitystore:ListGroupMembershipsForMember",
    "identitystore:DescribeGroup",
    /* the writes */
    "identitystore:DeleteGroupMembership",
    "identitystore:DeleteUser",
};
#define IC_READS 5

static const char *const iam_actions[] = {
    "iam:ListUsers",
    "iam:GetUser",
    "iam:GetLoginProfile",
    "iam:ListAccessKeys",
    "iam:ListGroupsForUser",
    "iam:ListSigningCertificates",
    "iam:ListSSHPublicKeys",
    "iam:ListServiceSpecificCredentials",
    "iam:ListMFADevices",
    "iam:ListUserPolicies",
    "iam:ListAttachedUserPolicies",
    /* the writes */
    "iam:DeleteLoginProfile",
    "iam:DeleteAccessKey",
    "iam:DeleteSigningCertificate",
    "iam:DeleteSSHPublicKey",
    "iam:DeleteServiceSpecificCredential",
    "iam:DeactivateMFADevice",
    "iam:DeleteVirtualMFADevice",
    "iam:DeleteUserPolicy",
    "iam:DetachUserPolicy",
    "iam:RemoveUserFromGroup",
    "iam:DeleteUser",
};
#define IAM_READS 11

size_t idc_kind_actions(enum idc_kind kind, bool read_only, const char *const **out)
{
    bool iam = kind == IDC_KIND_IAM;
    *out = iam ? iam_actions : ic_actions;
    if (read_only) {
        return iam ? IAM_READS : IC_READS;
    }
    return iam ? sizeof iam_actions / sizeof iam_actions[0]
               : sizeof ic_actions / sizeof ic_actions[0];
}

/* ---- opening ---------------------------------------------------------------------------- */

static idc_err directory_open(struct idc_directory **out, const struct idc_directory_config *cfg,
                              struct idc_error *err);

idc_err idc_directory_open(struct idc_directory **out, const struct idc_directory_config *cfg,
                           struct idc_error *err)
{
    idc_err rc = directory_open(out, cfg, err);
    if (rc == IDC_OK) {
        (*out)->provider = cfg->provider;
    } else if (cfg != NULL) {
        idc_provider_free(cfg->provider);
    }
    return rc;
}

static idc_err directory_open(struct idc_directory **out, const struct idc_directory_config *cfg,
                              struct idc_error *err)
{
    *out = NULL;
    const struct idc_service *service = cfg ? idc_kind_service(cfg->kind) : NULL;
    if (service == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "the directory needs a kind: identitycenter or iam");
    }
    bool ic = cfg->kind == IDC_KIND_IDENTITY_CENTER;
    if (ic && !idc_store_id_valid(cfg->store_id)) {
        char shown[48];
        idc_text_escape_to(idc_str_c(cfg->store_id), shown, sizeof shown);
        return idc_error_set(err, IDC_ERR_ARG,
                             "'%s' is not an Identity Store id: it looks like d-1234567890 (d- "
                             "and 10 hex digits) or a UUID",
                             shown);
    }
    struct idc_directory *d = calloc(1, sizeof *d);
    if (d == NULL) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory opening a directory");
    }
    d->kind = cfg->kind;
    snprintf(d->store_id, sizeof d->store_id, "%s", ic ? cfg->store_id : "");
    struct idc_client_config cc = cfg->client;
    cc.service = service;
    if (cfg->provider != NULL) {
        cc.credentials = idc_provider_credentials;
        cc.credentials_ud = cfg->provider;
    }
    idc_err rc = idc_client_new(&d->client, &cc, err);
    if (rc != IDC_OK) {
        free(d);
        return rc;
    }
    *out = d;
    return IDC_OK;
}

void idc_directory_free(struct idc_directory *d)
{
    if (d != NULL) {
        idc_client_free(d->client);
        idc_provider_free(d->provider); /* after the client, which asks it */
        free(d);
    }
}

enum idc_kind idc_directory_kind(const struct idc_directory *d)
{
    return d->kind;
}

const char *idc_directory_store_id(const struct idc_directory *d)
{
    return d->store_id;
}

struct idc_client *idc_directory_client(struct idc_directory *d)
{
    return d->client;
}

/* ---- the check ---------------------------------------------------------------------------- */

idc_err idc_directory_check(struct idc_directory *d, struct idc_error *err)
{
    return d->kind == IDC_KIND_IAM ? idc_iam_probe(d->client, err)
                                   : idc_ids_probe(d->client, d->store_id, err);
}

/* ---- the IAM status rule ------------------------------------------------------------------ */

idc_err idc_iam_read_facts(struct idc_client *c, const char *user_name, struct idc_iam_facts *out,
                           struct idc_error *err)
{
    struct idc_iam_key_counts keys = {0};
    bool password = false;
    idc_err rc = idc_iam_get_login_profile(c, user_name, &password, err);
    rc = rc ? rc : idc_iam_list_access_keys(c, user_name, NULL, NULL, &keys, err);
    *out = (struct idc_iam_facts){.console_access = password, .active_keys = keys.active};
    return rc;
}

static void json_member(struct idc_dynbuf *b, const char *name, const char *value, bool first)
{
    idc_dynbuf_printf(b, "%s\"%s\":", first ? "" : ",", name);
    idc_json_quote(b, value, strlen(value));
}

void idc_iam_user_view(const struct idc_iam_user *u, const struct idc_iam_facts *facts,
                       struct idc_dynbuf *json, struct idc_user *out)
{
    json->len = 0;
    idc_dynbuf_str(json, "{");
    json_member(json, "Path", u->path, true);
    json_member(json, "UserName", u->user_name, false);
    json_member(json, "UserId", u->user_id, false);
    json_member(json, "Arn", u->arn, false);
    json_member(json, "CreateDate", u->create_date, false);
    if (u->password_last_used[0]) {
        json_member(json, "PasswordLastUsed", u->password_last_used, false);
    }
    idc_dynbuf_put(json, "}", 2); /* with its NUL */
    bool ok = !json->failed;
    *out = (struct idc_user){
        .user_id = u->user_id,
        .user_name = u->user_name,
        .status = facts->console_access || facts->active_keys > 0 ? "ENABLED" : "DISABLED",
        .json = ok ? json->p : "{}",
        .json_len = ok ? json->len - 1 : 2,
        .console_access = facts->console_access,
        .active_keys = facts->active_keys,
    };
}

/* ---- listing ------------------------------------------------------------------------------ */

struct lister {
    struct idc_directory *d;
    idc_user_fn *fn;
    void *ud;
    struct idc_dynbuf json; /* an IAM user's JSON, reused from user to user */
    idc_err rc;             /* a failure inside the IAM callback */
    struct idc_error *err;
};

struct idc_user idc_ids_user_view(const struct idc_ids_user *u)
{
    return (struct idc_user){
        .user_id = u->user_id,
        .user_name = u->user_name ? u->user_name : "",
        .display_name = u->display_name,
        .email = u->email,
        .status = u->status,
        .external = u->external,
        .json = u->json.p,
        .json_len = u->json.len,
        .console_access = -1,
        .active_keys = -1,
    };
}

static int list_ids_user(const struct idc_ids_user *u, void *ud)
{
    struct lister *l = ud;
    struct idc_user v = idc_ids_user_view(u);
    return l->fn(&v, l->ud);
}

static int list_iam_user(const struct idc_iam_user *u, void *ud)
{
    struct lister *l = ud;
    struct idc_iam_facts facts;
    l->rc = idc_iam_read_facts(l->d->client, u->user_name, &facts, l->err);
    if (l->rc != IDC_OK && idc_is_not_found(l->err)) {
        l->rc = IDC_OK; /* deleted since the page was served: it is no longer a user */
        return 0;
    }
    if (l->rc != IDC_OK) {
        idc_error_prefix(l->err, "status of IAM user %s", u->user_name);
        return 1;
    }
    struct idc_user v;
    idc_iam_user_view(u, &facts, &l->json, &v);
    if (l->json.failed) {
        l->rc = idc_error_set(l->err, IDC_ERR_NOMEM, "out of memory describing IAM user %s",
                              u->user_name);
        return 1;
    }
    return l->fn(&v, l->ud);
}

idc_err idc_directory_list_users(struct idc_directory *d, idc_user_fn *fn, void *ud,
                                 struct idc_error *err)
{
    if (d == NULL || fn == NULL) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "idc_directory_list_users needs a directory and a "
                             "callback");
    }
    struct idc_error local = {0};
    struct lister l = {.d = d, .fn = fn, .ud = ud, .err = err ? err : &local};
    idc_err rc = d->kind == IDC_KIND_IAM
                     ? idc_iam_list_users(d->client, NULL, list_iam_user, &l, l.err)
                     : idc_ids_list_users(d->client, d->store_id, list_ids_user, NULL, &l, l.err);
    idc_dynbuf_free(&l.json);
    return l.rc ? l.rc : rc;
}
