/* SPDX-License-Identifier: Apache-2.0 */
/*
 * identitystore.h - Identity Store operations (awsJson1_1), over an idc_client made for
 * idc_service_identitystore. Listings stream: one callback per user (and optionally per
 * page), so memory is bounded by one page whatever the number of users.
 * A not-found answer is IDC_ERR_AWS with aws_code "ResourceNotFoundException". An answer
 * that does not parse is IDC_ERR_PARSE naming the operation, the page and the request id
 * ("ListUsers page 3 (request id ...): ..."). A NULL argument, or a client made for
 * another service, is IDC_ERR_ARG before anything is sent.
 */
#ifndef IDC_IDENTITYSTORE_H
#define IDC_IDENTITYSTORE_H

#include <stdbool.h>
#include <stdint.h>

#include "idc/api.h"
#include "idc/client.h"

IDC_BEGIN_DECLS

/* The service: give it as idc_client_config.service. */
extern const struct idc_service idc_service_identitystore;

/* A user as the service returned it. Everything points into the current page: valid only
 * during the callback. */
struct idc_ids_user {
    struct idc_str json; /* the User object's bytes exactly as served */
    const char *user_id;
    const char *user_name;    /* may be NULL */
    const char *display_name; /* may be NULL */
    const char *email;        /* the primary e-mail (or the first), may be NULL */
    const char *status;       /* "ENABLED", "DISABLED", or NULL when the store gives none */
    bool external;            /* has ExternalIds: provisioned by an external IdP (SCIM) */
    double created_at;        /* epoch seconds, 0 when absent */
    double updated_at;
};

/* Nonzero stops the listing (the call then returns IDC_OK). */
typedef int idc_ids_user_fn(const struct idc_ids_user *user, void *ud);
/* After each page: its number from 1 and the users it held. */
typedef int idc_ids_page_fn(unsigned page, size_t users, void *ud);

/*
 * Lists every user of the store, MaxResults=100 per page, over the client's one
 * connection. Returns the client's errors, IDC_ERR_PARSE for a malformed page.
 */
idc_err idc_ids_list_users(struct idc_client *c, const char *store_id, idc_ids_user_fn *on_user,
                           idc_ids_page_fn *on_page, void *ud, struct idc_error *err);

/* DescribeUser: calls `on_user` once. */
idc_err idc_ids_describe_user(struct idc_client *c, const char *store_id, const char *user_id,
                              idc_ids_user_fn *on_user, void *ud, struct idc_error *err);

/* GetUserId by "userName" or "emails.value"; the id goes to `out` (NUL-terminated). */
idc_err idc_ids_get_user_id(struct idc_client *c, const char *store_id, const char *attribute,
                            const char *value, char *out, size_t cap, struct idc_error *err);

/* DeleteUser (modelled idempotent: retried after any transport failure). */
idc_err idc_ids_delete_user(struct idc_client *c, const char *store_id, const char *user_id,
                            struct idc_error *err);

/* One membership of a user; nonzero stops the listing. */
typedef int idc_ids_membership_fn(const char *membership_id, const char *group_id, void *ud);

idc_err idc_ids_list_memberships_for_member(struct idc_client *c, const char *store_id,
                                            const char *user_id, idc_ids_membership_fn *fn,
                                            void *ud, struct idc_error *err);

/* The longest group DisplayName the model allows (botocore: GroupDisplayName, 1024). */
#define IDC_IDS_DISPLAY_NAME_MAX 1024

/* DescribeGroup: its DisplayName into `name` (IDC_IDS_DISPLAY_NAME_MAX + 1 holds any). */
idc_err idc_ids_describe_group(struct idc_client *c, const char *store_id, const char *group_id,
                               char *name, size_t cap, struct idc_error *err);

/* DeleteGroupMembership (modelled idempotent). */
idc_err idc_ids_delete_group_membership(struct idc_client *c, const char *store_id,
                                        const char *membership_id, struct idc_error *err);

IDC_END_DECLS

#endif
