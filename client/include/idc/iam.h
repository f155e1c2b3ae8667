/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iam.h - the IAM operations libidc needs (awsQuery 2010-05-08) over a client made for
 * IDC_SERVICE_IAM: listing and reading users, their password and keys and groups, and
 * deleting a user with everything that blocks DeleteUser, in the documented order.
 * Lists follow Marker/IsTruncated to the end. Callbacks run between calls, never while a
 * response is being parsed, so they may use the client themselves.
 */
#ifndef IDC_IAM_H
#define IDC_IAM_H

#include <stdbool.h>
#include <stdint.h>

#include "idc/client.h"
#include "idc/error.h"

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
 *   c            in  a client for IDC_SERVICE_IAM
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

/* How one cascade step ended. */
enum idc_iam_outcome {
    IDC_IAM_DONE,         /* the call succeeded */
    IDC_IAM_NOTHING,      /* nothing to do (the user has no login profile) */
    IDC_IAM_ALREADY_DONE, /* NoSuchEntity after a retry: an earlier attempt may have done it */
    IDC_IAM_FAILED,       /* the cascade stops; `err` says why */
};

struct idc_iam_step {
    const char *user; /* the user being deleted */
    const char *step; /* "delete access key", "remove from group", "list MFA devices", ... */
    const char *item; /* the key id, serial number, policy name or ARN, group; NULL if none */
    enum idc_iam_outcome outcome;
    const struct idc_error *err; /* the failure when outcome is IDC_IAM_FAILED, else NULL */
};

typedef void idc_iam_step_fn(const struct idc_iam_step *step, void *ud);

/*
 * Deletes a user and, first, everything that blocks DeleteUser, in the order of the
 * DeleteUser documentation: login profile, access keys, signing certificates, SSH public
 * keys, service-specific credentials, MFA devices (deactivated, then deleted when virtual),
 * inline policies, attached policies, group memberships, then the user.
 *   fn, ud  in  called after every step (may be NULL)
 * A user that does not exist at the start gives IDC_ERR_AWS "NoSuchEntity" and nothing is
 * called. The first failure stops the cascade: `err` keeps the AWS code, status and
 * request id, and its message names the step and item ("removing alice from group Admins:
 * AccessDenied: ..."). What was deleted before stays deleted; running again resumes.
 */
idc_err idc_iam_delete_user_cascade(struct idc_client *c, const char *user_name,
                                    idc_iam_step_fn *fn, void *ud, struct idc_error *err);

#endif
