/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iam.h - IAM operations (awsQuery 2010-05-08) over a client made for idc_service_iam:
 * listing and reading users, their password, keys and groups, listing and removing each
 * kind of thing that hangs on a user (and blocks DeleteUser), and DeleteUser itself. The
 * order a whole deletion takes is the domain's (directory.h). Lists follow
 * Marker/IsTruncated to the end. Callbacks run between calls, never while a response is
 * being parsed, so they may use the client themselves.
 */
#ifndef IDC_IAM_H
#define IDC_IAM_H

#include <stdbool.h>
#include <stdint.h>

#include "idc/api.h"
#include "idc/client.h"
#include "idc/error.h"

IDC_BEGIN_DECLS

/* The service: give it as idc_client_config.service. */
extern const struct idc_service idc_service_iam;

/* Lengths from the botocore model (userNameType, groupNameType, idType, arnType, pathType). */
#define IDC_IAM_NAME_MAX       64
#define IDC_IAM_GROUP_NAME_MAX 128
#define IDC_IAM_ID_MAX         128
#define IDC_IAM_ARN_MAX        2048
#define IDC_IAM_PATH_MAX       512
#define IDC_IAM_DATE_MAX       39 /* "2012-09-05T19:38:48Z", room for fractions */

/* One IAM user (the `User` shape; ListUsers does not return tags or boundaries). */
struct idc_iam_user {
    char user_name[IDC_IAM_NAME_MAX + 1];
    char user_id[IDC_IAM_ID_MAX + 1];
    char arn[IDC_IAM_ARN_MAX + 1];
    char path[IDC_IAM_PATH_MAX + 1];
    char create_date[IDC_IAM_DATE_MAX + 1];        /* ISO 8601 as sent */
    int64_t create_time;                           /* the same, seconds since the epoch */
    char password_last_used[IDC_IAM_DATE_MAX + 1]; /* "" when absent (never used, or no password) */
    int64_t password_last_used_time;               /* 0 when absent */
};

/* One access key's metadata (AccessKeyMetadata); never the secret. */
struct idc_iam_access_key {
    char access_key_id[IDC_IAM_ID_MAX + 1];
    char status[16]; /* "Active" or "Inactive" */
    bool active;
    char create_date[IDC_IAM_DATE_MAX + 1]; /* "" when absent */
    int64_t create_time;                    /* 0 when absent */
};

struct idc_iam_key_counts {
    int total;
    int active;
};

/* One group of a user (the `Group` shape). */
struct idc_iam_group {
    char group_name[IDC_IAM_GROUP_NAME_MAX + 1];
    char group_id[IDC_IAM_ID_MAX + 1];
    char arn[IDC_IAM_ARN_MAX + 1];
    char path[IDC_IAM_PATH_MAX + 1];
};

/* Callbacks: return nonzero to stop the listing early (the call then returns IDC_OK). */
typedef int idc_iam_user_fn(const struct idc_iam_user *user, void *ud);
typedef int idc_iam_access_key_fn(const struct idc_iam_access_key *key, void *ud);
typedef int idc_iam_group_fn(const struct idc_iam_group *group, void *ud);

/*
 * Lists IAM users, 100 a page; memory holds one page.
 *   c            in  a client for idc_service_iam
 *   path_prefix  in  "/engineering/", or NULL for all users
 *   fn, ud       in  called once per user; `user` is valid during the call only
 * Returns IDC_ERR_AWS (the service's error), IDC_ERR_PARSE (an answer that does not match
 * the model), the client's transport errors, IDC_ERR_NOMEM.
 */
idc_err idc_iam_list_users(struct idc_client *c, const char *path_prefix, idc_iam_user_fn *fn,
                           void *ud, struct idc_error *err);

/*
 * Reads one user.
 *   user_name  in   the user, or NULL for the caller (the signing key's user)
 *   out        out  filled on IDC_OK
 * Returns IDC_ERR_AWS with aws_code "NoSuchEntity" when the user does not exist, and the
 * errors of idc_iam_list_users.
 */
idc_err idc_iam_get_user(struct idc_client *c, const char *user_name, struct idc_iam_user *out,
                         struct idc_error *err);

/*
 * Whether the user has a console password (a login profile). IAM answers NoSuchEntity both
 * for "no password" and for "no such user"; both give *has_password false and IDC_OK.
 */
idc_err idc_iam_get_login_profile(struct idc_client *c, const char *user_name, bool *has_password,
                                  struct idc_error *err);

/*
 * Lists a user's access keys.
 *   fn, ud  in   called per key (fn may be NULL)
 *   counts  out  total and Active keys (may be NULL); complete only when fn did not stop
 */
idc_err idc_iam_list_access_keys(struct idc_client *c, const char *user_name,
                                 idc_iam_access_key_fn *fn, void *ud,
                                 struct idc_iam_key_counts *counts, struct idc_error *err);

/* Lists the groups a user belongs to; `fn` is called per group. */
idc_err idc_iam_list_groups_for_user(struct idc_client *c, const char *user_name,
                                     idc_iam_group_fn *fn, void *ud, struct idc_error *err);

/* What can hang on an IAM user; each blocks DeleteUser until it is removed. */
enum idc_iam_item_kind {
    IDC_IAM_ACCESS_KEY,          /* id AccessKeyId; status Active/Inactive; date */
    IDC_IAM_SIGNING_CERTIFICATE, /* id CertificateId; status; date (upload) */
    IDC_IAM_SSH_PUBLIC_KEY,      /* id SSHPublicKeyId; status; date (upload) */
    IDC_IAM_SERVICE_CREDENTIAL,  /* id ServiceSpecificCredentialId; name ServiceName; status */
    IDC_IAM_MFA_DEVICE,          /* id SerialNumber (an ARN for a virtual device); date */
    IDC_IAM_INLINE_POLICY,       /* id the policy name */
    IDC_IAM_ATTACHED_POLICY,     /* id PolicyArn; name PolicyName */
    IDC_IAM_GROUP,               /* id GroupName */
    IDC_IAM_ITEM_KIND_COUNT
};

/* One item; the strings are valid during the callback only. */
struct idc_iam_item {
    enum idc_iam_item_kind kind;
    const char *id;     /* what its removal takes */
    const char *name;   /* a readable name where the kind has one, else NULL */
    const char *status; /* "Active" or "Inactive" where the kind has one, else NULL */
    const char *date;   /* its creation, upload or enable date as sent, or NULL */
};

typedef int idc_iam_item_fn(const struct idc_iam_item *item, void *ud);

/*
 * Lists the items of one kind on a user (ListAccessKeys, ListSigningCertificates, ...:
 * idc_iam_item_list_action names it), page by page.
 *   fn, ud  in  called per item; nonzero stops the listing (the call then returns IDC_OK)
 * Returns IDC_ERR_AWS (NoSuchEntity for a user that does not exist), IDC_ERR_PARSE, the
 * client's transport errors, IDC_ERR_NOMEM.
 */
idc_err idc_iam_list_user_items(struct idc_client *c, enum idc_iam_item_kind kind,
                                const char *user_name, idc_iam_item_fn *fn, void *ud,
                                struct idc_error *err);

/*
 * Removes one item from a user with the kind's operation (DeleteAccessKey,
 * DeleteSigningCertificate, DeleteSSHPublicKey, DeleteServiceSpecificCredential,
 * DeactivateMFADevice, DeleteUserPolicy, DetachUserPolicy, RemoveUserFromGroup:
 * idc_iam_item_remove_action names it). An MFA device is only deactivated: a virtual one
 * is then deleted with idc_iam_delete_virtual_mfa_device. A write: retried only when
 * nothing was sent. Returns IDC_ERR_AWS (NoSuchEntity when the item or the user is gone),
 * the client's errors.
 */
idc_err idc_iam_remove_user_item(struct idc_client *c, enum idc_iam_item_kind kind,
                                 const char *user_name, const char *id, struct idc_error *err);

/* The IAM operation that lists, and the one that removes, a kind ("ListAccessKeys",
 * "DeleteAccessKey"); NULL for an unknown kind. */
const char *idc_iam_item_list_action(enum idc_iam_item_kind kind);
const char *idc_iam_item_remove_action(enum idc_iam_item_kind kind);

/* DeleteLoginProfile: the console password. IDC_ERR_AWS NoSuchEntity when there is none. */
idc_err idc_iam_delete_login_profile(struct idc_client *c, const char *user_name,
                                     struct idc_error *err);

/* DeleteVirtualMFADevice (after DeactivateMFADevice); `serial_number` is the device's ARN. */
idc_err idc_iam_delete_virtual_mfa_device(struct idc_client *c, const char *serial_number,
                                          struct idc_error *err);

/*
 * DeleteUser. IAM refuses it (DeleteConflict) while anything of idc_iam_item_kind or a
 * login profile is left; directory.h plans and runs the whole deletion.
 */
idc_err idc_iam_delete_user(struct idc_client *c, const char *user_name, struct idc_error *err);

IDC_END_DECLS

#endif
