/* SPDX-License-Identifier: Apache-2.0 */
/*
 * directory.h - the users of one integration, whatever its kind: an IAM Identity Center
 * store (Identity Store API) or an account's IAM users (IAM API). A directory lists users
 * with their status (for IAM, derived from the console password and the access keys),
 * describes one user with everything that hangs on it, plans the deletion of a user as
 * exact steps (each with the API action it needs) and runs a plan step by step. This is
 * the layer a management tool builds on: it calls these and formats what they return.
 */
#ifndef IDC_DIRECTORY_H
#define IDC_DIRECTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "idc/api.h"
#include "idc/client.h"
#include "idc/error.h"

IDC_BEGIN_DECLS

/* ---- kinds of integration ------------------------------------------------------------ */

enum idc_kind {
    IDC_KIND_IDENTITY_CENTER, /* an Identity Store: a region and a store id */
    IDC_KIND_IAM,             /* the IAM users of the account the keys belong to */
};

/* "identitycenter" or "iam"; "?" for another value. */
const char *idc_kind_name(enum idc_kind kind);

/* Reads "identitycenter" or "iam" into *out; false for any other text. */
bool idc_kind_parse(const char *name, enum idc_kind *out);

/* The service a kind talks to: &idc_service_identitystore or &idc_service_iam. */
const struct idc_service *idc_kind_service(enum idc_kind kind);

/* True for an Identity Store id: "d-" and 10 lowercase hex digits, or a lowercase UUID. */
bool idc_store_id_valid(const char *store_id);

/*
 * Every API action a kind's operations call, as an IAM policy names them
 * ("identitystore:ListUsers", "iam:DeleteAccessKey"): *out gets a static array that lists
 * the reads (listing, describing) first, and the result is how many to take: all of them,
 * or with `read_only` the reads only.
 */
size_t idc_kind_actions(enum idc_kind kind, bool read_only, const char *const **out);

/* ---- users ---------------------------------------------------------------------------- */

/*
 * A user with its status. In a callback every pointer is valid during the call only; in
 * an idc_user_info it lives as long as the info.
 */
struct idc_user {
    const char *user_id;
    const char *user_name;    /* never NULL ("" when the store gives none) */
    const char *display_name; /* may be NULL (IAM users have none) */
    const char *email;        /* the primary e-mail, or the first; may be NULL */
    const char *status;       /* "ENABLED", "DISABLED", or NULL when the store gives none */
    bool external;            /* Identity Center: has ExternalIds (a SCIM identity provider) */
    const char *json;         /* the user as the API returned it (IAM: as ListUsers shows it) */
    size_t json_len;
    int console_access; /* IAM: 1 with a console password, else 0; -1 for Identity Center */
    int active_keys;    /* IAM: active access keys; -1 for Identity Center */
};

/* Nonzero stops the listing (the call then returns IDC_OK). */
typedef int idc_user_fn(const struct idc_user *user, void *ud);

/* ---- a directory ---------------------------------------------------------------------- */

struct idc_provider;

struct idc_directory_config {
    enum idc_kind kind;
    const char *store_id;            /* Identity Center: "d-1234567890"; unused for IAM */
    struct idc_client_config client; /* where and how to connect; `service` is set from kind */
    /* optional: where the keys come from (provider.h) instead of client's keys; the
       directory owns it from idc_directory_open on, and frees it, failure included */
    struct idc_provider *provider;
};

struct idc_directory;

/*
 * Opens a directory: checks the settings and makes its client (no request is sent yet).
 * Returns IDC_ERR_ARG (an unknown kind, a missing or malformed store id) and the errors of
 * idc_client_new.
 */
idc_err idc_directory_open(struct idc_directory **out, const struct idc_directory_config *cfg,
                           struct idc_error *err);
void idc_directory_free(struct idc_directory *d); /* NULL is fine */

enum idc_kind idc_directory_kind(const struct idc_directory *d);
const char *idc_directory_store_id(const struct idc_directory *d); /* "" for IAM */
/* The directory's client, for its statistics; it belongs to the directory. */
struct idc_client *idc_directory_client(struct idc_directory *d);

/*
 * One signed read that proves the settings work: ListUsers with one result (for IAM too:
 * GetUser without a name fails for role sessions). The error says what AWS refused;
 * idc_directory_cause names the likely wrong input.
 */
idc_err idc_directory_check(struct idc_directory *d, struct idc_error *err);

/*
 * Every user with its status, page by page; memory holds one page. Identity Center users
 * are as the store serves them. An IAM user is ENABLED when it has a console password
 * (GetLoginProfile) or an active access key (ListAccessKeys), else DISABLED: two more reads
 * per user, whose facts are in console_access and active_keys. An IAM user deleted between
 * the page and those reads is left out, as it would be from the next page.
 * Returns the service's errors (IDC_ERR_AWS, IDC_ERR_PARSE, transport errors).
 */
idc_err idc_directory_list_users(struct idc_directory *d, idc_user_fn *fn, void *ud,
                                 struct idc_error *err);

/* ---- describing a user ----------------------------------------------------------------- */

/* What can hang on a user. */
enum idc_item_kind {
    IDC_ITEM_GROUP,               /* a group membership (Identity Center: its membership id) */
    IDC_ITEM_LOGIN_PROFILE,       /* IAM: the console password */
    IDC_ITEM_ACCESS_KEY,          /* IAM */
    IDC_ITEM_SIGNING_CERTIFICATE, /* IAM */
    IDC_ITEM_SSH_PUBLIC_KEY,      /* IAM */
    IDC_ITEM_SERVICE_CREDENTIAL,  /* IAM: service-specific credential */
    IDC_ITEM_MFA_DEVICE,          /* IAM */
    IDC_ITEM_INLINE_POLICY,       /* IAM */
    IDC_ITEM_ATTACHED_POLICY,     /* IAM: a managed policy attached to the user */
};

/* "group", "login profile", "access key", ... */
const char *idc_item_kind_name(enum idc_item_kind kind);

struct idc_user_item {
    enum idc_item_kind kind;
    const char *id;     /* what removing it takes: membership id, key id, serial, policy ARN */
    const char *name;   /* what a person reads: group name, policy name; never NULL */
    const char *status; /* "Active"/"Inactive" where the kind has one, else NULL */
};

/* A user and what hangs on it, in the order a deletion removes it. */
struct idc_user_info {
    struct idc_user user;
    const struct idc_user_item *items;
    size_t item_count;
};

/*
 * Reads one user, by id or by user name, with its status and every item that hangs on it:
 * Identity Center: its group memberships with the groups' names; IAM: login profile,
 * access keys, signing certificates, SSH keys, service-specific credentials, MFA devices,
 * inline and attached policies, groups. An Identity Center user given by id is read by its
 * id. IAM looks users up by name only: an IAM user given by id alone is found by listing
 * the users; given both (the name known from an inventory), the name finds the user and
 * the id must be its id, since IAM gives a re-created user the old name but a new id.
 *   out  out  free it with idc_user_info_free
 * Returns IDC_ERR_AWS with ResourceNotFoundException or NoSuchEntity (see
 * idc_directory_cause) or IDC_ERR_NOT_FOUND (no IAM user has the id) when the user does not
 * exist, IDC_ERR_ARG (neither id nor name), IDC_ERR_NOMEM and the service's errors.
 */
idc_err idc_directory_describe_user(struct idc_directory *d, const char *user_id,
                                    const char *user_name, struct idc_user_info **out,
                                    struct idc_error *err);
void idc_user_info_free(struct idc_user_info *info); /* NULL is fine */

/* ---- deleting a user ------------------------------------------------------------------- */

enum idc_step_kind {
    IDC_STEP_REMOVE_MEMBERSHIP,          /* identitystore:DeleteGroupMembership */
    IDC_STEP_DELETE_LOGIN_PROFILE,       /* iam:DeleteLoginProfile */
    IDC_STEP_DELETE_ACCESS_KEY,          /* iam:DeleteAccessKey */
    IDC_STEP_DELETE_SIGNING_CERTIFICATE, /* iam:DeleteSigningCertificate */
    IDC_STEP_DELETE_SSH_PUBLIC_KEY,      /* iam:DeleteSSHPublicKey */
    IDC_STEP_DELETE_SERVICE_CREDENTIAL,  /* iam:DeleteServiceSpecificCredential */
    IDC_STEP_DEACTIVATE_MFA_DEVICE,      /* iam:DeactivateMFADevice */
    IDC_STEP_DELETE_VIRTUAL_MFA_DEVICE,  /* iam:DeleteVirtualMFADevice */
    IDC_STEP_DELETE_INLINE_POLICY,       /* iam:DeleteUserPolicy */
    IDC_STEP_DETACH_POLICY,              /* iam:DetachUserPolicy */
    IDC_STEP_REMOVE_FROM_GROUP,          /* iam:RemoveUserFromGroup */
    IDC_STEP_DELETE_USER,                /* identitystore:DeleteUser or iam:DeleteUser */
};

enum idc_step_state {
    IDC_STEP_PENDING,      /* not run yet */
    IDC_STEP_DONE,         /* the call succeeded */
    IDC_STEP_ALREADY_DONE, /* the thing was already gone (a re-run, or someone else) */
    IDC_STEP_FAILED,       /* the call failed; the plan stopped here */
};

/* "pending", "done", "already done", "failed". */
const char *idc_step_state_name(enum idc_step_state state);

struct idc_plan_step {
    enum idc_step_kind kind;
    const char *text;   /* what it does: "delete access key", "remove from group" */
    const char *item;   /* what it acts on (key id, membership id, group name); NULL for the
                           login profile and the user */
    const char *label;  /* what a person reads for the item (a group's name); NULL with item */
    const char *action; /* the API action it needs, as a policy names it: "iam:DeleteAccessKey" */
    enum idc_step_state state;
};

/* A deletion, step by step, in the order the service requires. */
struct idc_plan {
    enum idc_kind kind;
    const char *store_id; /* Identity Center: the store it is for; "" for IAM */
    const char *user_id;
    const char *user_name;
    struct idc_plan_step *steps;
    size_t step_count;
};

/*
 * Plans the deletion of the described user: one step per item (for an MFA device, a
 * deactivation and, when it is virtual, its deletion), then the user. Nothing is sent.
 *   out  out  free it with idc_plan_free
 * Returns IDC_ERR_NOMEM, IDC_ERR_ARG.
 */
idc_err idc_directory_plan_delete(const struct idc_directory *d, const struct idc_user_info *info,
                                  struct idc_plan **out, struct idc_error *err);
void idc_plan_free(struct idc_plan *plan); /* NULL is fine */

/*
 * Called after each step: its new state, and the error when it failed (else NULL).
 */
typedef void idc_step_fn(const struct idc_plan_step *step, const struct idc_error *failure,
                         void *ud);

/*
 * Runs the plan's steps in order, skipping those already DONE or ALREADY_DONE, so running a
 * plan again after a failure continues where it stopped. Before the first step, an IAM
 * plan checks that its user name still belongs to the planned user id (IAM gives a user
 * deleted and created again the same name), since IAM removes by name. A step whose thing
 * is gone (not found) counts as ALREADY_DONE; the first other failure stops the plan: that
 * step is FAILED, the later ones stay PENDING, and `err` keeps the AWS code, status and
 * request id with a message that names the step ("removing alice from group Admins:
 * AccessDenied ..."). Writes are retried only as the client's rules allow.
 * Returns IDC_ERR_ARG (a plan made for another kind or store), IDC_ERR_MISMATCH (the IAM
 * user was re-created: nothing was run; describe it again), and the failed step's error.
 */
idc_err idc_directory_execute(struct idc_directory *d, struct idc_plan *plan, idc_step_fn *fn,
                              void *ud, struct idc_error *err);

/* ---- reading a failure ------------------------------------------------------------------ */

/* What an error most likely means for the person who configured the directory. */
enum idc_cause {
    IDC_CAUSE_OTHER,         /* none of these: report the message */
    IDC_CAUSE_UNKNOWN_KEY,   /* AWS does not know the access key id (or it is inactive) */
    IDC_CAUSE_WRONG_SECRET,  /* the secret does not match the key id */
    IDC_CAUSE_CLOCK_SKEW,    /* the request's time is outside AWS's window */
    IDC_CAUSE_EXPIRED_TOKEN, /* temporary credentials have expired */
    IDC_CAUSE_DENIED,        /* the key's policy does not allow the action */
    IDC_CAUSE_NOT_FOUND,     /* the user or group does not exist (any more) */
    IDC_CAUSE_NO_STORE,      /* the Identity Store does not exist in the directory's region:
                                the store id or the region is wrong (AWS answers the same) */
    IDC_CAUSE_CREDENTIALS,   /* getting credentials failed (err->credentials): the role, its
                                trust policy, the web identity token or the profile */
};

/*
 * Reads `err` (from any call above) into a cause. For IDC_CAUSE_DENIED, `action` (may be
 * NULL) gets the action AWS named ("identitystore:ListUsers"), or "" when it named none.
 */
enum idc_cause idc_directory_cause(const struct idc_error *err, char *action, size_t cap);

IDC_END_DECLS

#endif
