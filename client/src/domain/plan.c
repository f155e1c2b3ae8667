/* SPDX-License-Identifier: Apache-2.0 */
/*
 * plan.c - deleting a user as a plan (directory.h): one step per item that hangs on the
 * user, then the user, each naming the API action it needs; and running a plan step by
 * step, where a thing already gone counts as done, so a plan run again continues.
 */
#include <stdlib.h>
#include <string.h>

#include "domain_int.h"
#include "idc/identitystore.h"

/* What each kind of step says, needs, and (for an IAM item) which removal it is. */
static const struct step_kind {
    const char *text;
    const char *action;
    const char *doing; /* the failure's context: "deleting access key" */
    int iam_item;      /* enum idc_iam_item_kind for idc_iam_remove_user_item, or -1 */
} step_kinds[] = {
    [IDC_STEP_REMOVE_MEMBERSHIP] = {"remove from group", "identitystore:DeleteGroupMembership",
                                    "removing from group", -1},
    [IDC_STEP_DELETE_LOGIN_PROFILE] = {"delete login profile", "iam:DeleteLoginProfile",
                                       "deleting the login profile", -1},
    [IDC_STEP_DELETE_ACCESS_KEY] = {"delete access key", "iam:DeleteAccessKey",
                                    "deleting access key", IDC_IAM_ACCESS_KEY},
    [IDC_STEP_DELETE_SIGNING_CERTIFICATE] = {"delete signing certificate",
                                             "iam:DeleteSigningCertificate",
                                             "deleting signing certificate",
                                             IDC_IAM_SIGNING_CERTIFICATE},
    [IDC_STEP_DELETE_SSH_PUBLIC_KEY] = {"delete SSH public key", "iam:DeleteSSHPublicKey",
                                        "deleting SSH public key", IDC_IAM_SSH_PUBLIC_KEY},
    [IDC_STEP_DELETE_SERVICE_CREDENTIAL] = {"delete service-specific credential",
                                            "iam:DeleteServiceSpecificCredential",
                                            "deleting service-specific credential",
                                            IDC_IAM_SERVICE_CREDENTIAL},
    [IDC_STEP_DEACTIVATE_MFA_DEVICE] = {"deactivate MFA device", "iam:DeactivateMFADevice",
                                        "deactivating MFA device", IDC_IAM_MFA_DEVICE},
    [IDC_STEP_DELETE_VIRTUAL_MFA_DEVICE] = {"delete virtual MFA device",
                                            "iam:DeleteVirtualMFADevice",
                                            "deleting virtual MFA device", -1},
    [IDC_STEP_DELETE_INLINE_POLICY] = {"delete inline policy", "iam:DeleteUserPolicy",
                                       "deleting inline policy", IDC_IAM_INLINE_POLICY},
    [IDC_STEP_DETACH_POLICY] = {"detach policy", "iam:DetachUserPolicy", "detaching policy",
                                IDC_IAM_ATTACHED_POLICY},
    [IDC_STEP_REMOVE_FROM_GROUP] = {"remove from group", "iam:RemoveUserFromGroup",
                                    "removing from group", IDC_IAM_GROUP},
    [IDC_STEP_DELETE_USER] = {"delete user", NULL, "deleting user", -1},
};

/* The step that removes an item of `kind` (the MFA device's second step is added apart). */
static enum idc_step_kind step_for(enum idc_kind kind, enum idc_item_kind item)
{
    static const enum idc_step_kind iam_steps[] = {
        [IDC_ITEM_GROUP] = IDC_STEP_REMOVE_FROM_GROUP,
        [IDC_ITEM_LOGIN_PROFILE] = IDC_STEP_DELETE_LOGIN_PROFILE,
        [IDC_ITEM_ACCESS_KEY] = IDC_STEP_DELETE_ACCESS_KEY,
        [IDC_ITEM_SIGNING_CERTIFICATE] = IDC_STEP_DELETE_SIGNING_CERTIFICATE,
        [IDC_ITEM_SSH_PUBLIC_KEY] = IDC_STEP_DELETE_SSH_PUBLIC_KEY,
        [IDC_ITEM_SERVICE_CREDENTIAL] = IDC_STEP_DELETE_SERVICE_CREDENTIAL,
        [IDC_ITEM_MFA_DEVICE] = IDC_STEP_DEACTIVATE_MFA_DEVICE,
        [IDC_ITEM_INLINE_POLICY] = IDC_STEP_DELETE_INLINE_POLICY,
        [IDC_ITEM_ATTACHED_POLICY] = IDC_STEP_DETACH_POLICY,
    };
    return kind == IDC_KIND_IAM ? iam_steps[item] : IDC_STEP_REMOVE_MEMBERSHIP;
}

const char *idc_step_state_name(enum idc_step_state state)
{
    static const char *const names[] = {"pending", "done", "already done", "failed"};
    return (unsigned)state < sizeof names / sizeof names[0] ? names[state] : "?";
}

/* ---- planning ---------------------------------------------------------------------------- */

struct plan {
    struct idc_plan pub;
    size_t cap;
    struct idc_pool pool;
};

static struct idc_plan_step *add_step(struct plan *p, enum idc_step_kind kind, const char *item,
                                      const char *label)
{
    if (p->pub.step_count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        struct idc_plan_step *grown = realloc(p->pub.steps, cap * sizeof *grown);
        if (grown == NULL) {
            p->pool.failed = true;
            return NULL;
        }
        p->pub.steps = grown;
        p->cap = cap;
    }
    const char *action = step_kinds[kind].action;
    if (kind == IDC_STEP_DELETE_USER) {
        action = p->pub.kind == IDC_KIND_IAM ? "iam:DeleteUser" : "identitystore:DeleteUser";
    }
    struct idc_plan_step *s = &p->pub.steps[p->pub.step_count++];
    *s = (struct idc_plan_step){
        .kind = kind,
        .text = step_kinds[kind].text,
        .item = idc_pool_str(&p->pool, item),
        .label = idc_pool_str(&p->pool, item ? label : NULL),
        .action = action,
        .state = IDC_STEP_PENDING,
    };
    return s;
}

/* A virtual MFA device's serial number is its ARN; a hardware one's is not. */
static bool is_virtual_mfa(const char *serial)
{
    return strncmp(serial, "arn:", 4) == 0;
}

idc_err idc_directory_plan_delete(const struct idc_directory *d, const struct idc_user_info *info,
                                  struct idc_plan **out, struct idc_error *err)
{
    *out = NULL;
    if (d == NULL || info == NULL || info->user.user_id == NULL) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "idc_directory_plan_delete needs a directory and a described user");
    }
    struct plan *p = calloc(1, sizeof *p);
    if (p == NULL) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory planning a deletion");
    }
    p->pub.kind = d->kind;
    p->pub.store_id = idc_pool_str(&p->pool, d->store_id);
    p->pub.user_id = idc_pool_str(&p->pool, info->user.user_id);
    p->pub.user_name = idc_pool_str(&p->pool, info->user.user_name);
    for (size_t i = 0; i < info->item_count; i++) {
        const struct idc_user_item *it = &info->items[i];
        add_step(p, step_for(d->kind, it->kind), it->id, it->name);
        if (it->kind == IDC_ITEM_MFA_DEVICE && is_virtual_mfa(it->id)) {
            add_step(p, IDC_STEP_DELETE_VIRTUAL_MFA_DEVICE, it->id, it->name);
        }
    }
    add_step(p, IDC_STEP_DELETE_USER, NULL, NULL);
    if (p->pool.failed) {
        idc_plan_free(&p->pub);
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory planning the deletion of %s",
                             info->user.user_name);
    }
    *out = &p->pub;
    return IDC_OK;
}

void idc_plan_free(struct idc_plan *plan)
{
    struct plan *p = (struct plan *)plan;
    if (p != NULL) {
        idc_pool_free(&p->pool);
        free(p->pub.steps);
        free(p);
    }
}

/* ---- running ----------------------------------------------------------------------------- */

static idc_err run_ids_step(struct idc_directory *d, const struct idc_plan *plan,
                            const struct idc_plan_step *s, struct idc_error *err)
{
    if (s->kind == IDC_STEP_DELETE_USER) {
        return idc_ids_delete_user(d->client, d->store_id, plan->user_id, err);
    }
    return idc_ids_delete_group_membership(d->client, d->store_id, s->item, err);
}

static idc_err run_iam_step(struct idc_directory *d, const struct idc_plan *plan,
                            const struct idc_plan_step *s, struct idc_error *err)
{
    const char *user = plan->user_name;
    switch (s->kind) {
    case IDC_STEP_DELETE_USER:
        return idc_iam_delete_user(d->client, user, err);
    case IDC_STEP_DELETE_LOGIN_PROFILE:
        return idc_iam_delete_login_profile(d->client, user, err);
    case IDC_STEP_DELETE_VIRTUAL_MFA_DEVICE:
        return idc_iam_delete_virtual_mfa_device(d->client, s->item, err);
    default:
        return idc_iam_remove_user_item(d->client, step_kinds[s->kind].iam_item, user, s->item,
                                        err);
    }
}

/* Prefixes a failure with what was being done ("removing alice from group Admins"). */
static void name_failure(const struct idc_plan *plan, const struct idc_plan_step *s,
                         struct idc_error *err)
{
    const char *doing = step_kinds[s->kind].doing;
    const char *user = plan->user_name;
    if (s->kind == IDC_STEP_REMOVE_MEMBERSHIP || s->kind == IDC_STEP_REMOVE_FROM_GROUP) {
        idc_error_prefix(err, "removing %s from group %s", user, s->label);
    } else if (s->kind == IDC_STEP_DELETE_USER) {
        idc_error_prefix(err, "%s %s", doing, user);
    } else if (s->item != NULL) {
        idc_error_prefix(err, "%s %s of %s", doing, s->label, user);
    } else {
        idc_error_prefix(err, "%s of %s", doing, user);
    }
}

/*
 * Runs one step. Not found counts as already done: the thing is gone, whoever removed it
 * (a run that failed later, another admin, a retried request that had already worked).
 */
static idc_err run_step(struct idc_directory *d, const struct idc_plan *plan,
                        struct idc_plan_step *s, struct idc_error *err)
{
    idc_err rc =
        d->kind == IDC_KIND_IAM ? run_iam_step(d, plan, s, err) : run_ids_step(d, plan, s, err);
    if (rc == IDC_OK) {
        s->state = IDC_STEP_DONE;
    } else if (idc_is_not_found(err)) {
        s->state = IDC_STEP_ALREADY_DONE;
        rc = IDC_OK;
        *err = (struct idc_error){0}; /* not a failure: leave nothing of it behind */
    } else {
        s->state = IDC_STEP_FAILED;
        name_failure(plan, s, err);
    }
    return rc;
}

/*
 * IAM removes by user name, and a user deleted and created again gets the same name: the
 * name must still be the planned user's before anything is removed. A user already gone
 * is fine (every step will say so).
 */
static idc_err check_iam_identity(struct idc_directory *d, const struct idc_plan *plan,
                                  struct idc_error *err)
{
    struct idc_iam_user u;
    idc_err rc = idc_iam_get_user(d->client, plan->user_name, &u, err);
    if (rc != IDC_OK && idc_is_not_found(err)) {
        *err = (struct idc_error){0}; /* gone: every step will find its thing gone too */
        return IDC_OK;
    }
    if (rc != IDC_OK) {
        return rc;
    }
    if (strcmp(u.user_id, plan->user_id) != 0) {
        return idc_error_set(err, IDC_ERR_MISMATCH,
                             "IAM user %s is not the user planned: its id is %s, the plan's %s "
                             "(deleted and created again since); nothing was deleted: describe "
                             "it again",
                             plan->user_name, u.user_id, plan->user_id);
    }
    return IDC_OK;
}

static bool all_done(const struct idc_plan *plan)
{
    for (size_t i = 0; i < plan->step_count; i++) {
        if (plan->steps[i].state != IDC_STEP_DONE &&
            plan->steps[i].state != IDC_STEP_ALREADY_DONE) {
            return false;
        }
    }
    return true;
}

idc_err idc_directory_execute(struct idc_directory *d, struct idc_plan *plan, idc_step_fn *fn,
                              void *ud, struct idc_error *err)
{
    if (d == NULL || plan == NULL || plan->kind != d->kind ||
        strcmp(plan->store_id ? plan->store_id : "", d->store_id) != 0) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "idc_directory_execute needs a directory and a plan made for it (of "
                             "its kind, for its store)");
    }
    struct idc_error local = {0};
    struct idc_error *e = err ? err : &local;
    if (d->kind == IDC_KIND_IAM && !all_done(plan)) {
        idc_err rc = check_iam_identity(d, plan, e);
        if (rc != IDC_OK) {
            return rc;
        }
    }
    for (size_t i = 0; i < plan->step_count; i++) {
        struct idc_plan_step *s = &plan->steps[i];
        if (s->state == IDC_STEP_DONE || s->state == IDC_STEP_ALREADY_DONE) {
            continue;
        }
        idc_err rc = run_step(d, plan, s, e);
        if (fn != NULL) {
            fn(s, rc ? e : NULL, ud);
        }
        if (rc != IDC_OK) {
            return rc;
        }
    }
    return IDC_OK;
}
