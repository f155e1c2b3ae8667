/* SPDX-License-Identifier: Apache-2.0 */
/*
 * domain_int.h - what the domain's files share (directory.c, describe.c, plan.c, cause.c):
 * the directory itself, the IAM status rule, and a pool of owned strings that a user info
 * or a plan hands out as `const char *`.
 */
#ifndef IDC_DOMAIN_INT_H
#define IDC_DOMAIN_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "dynbuf.h"
#include "idc/directory.h"
#include "idc/iam.h"
#include "idc/identitystore.h"

struct idc_directory {
    enum idc_kind kind;
    char store_id[64];
    struct idc_client *client;
    struct idc_provider *provider; /* owned; the client asks it for keys */
};

/* Owned copies of strings, freed together. A failed copy marks the pool `failed`. */
struct idc_pool {
    char **v;
    size_t n, cap;
    bool failed;
};

/* A copy of `len` bytes of `s` (NUL-terminated), or NULL for a NULL `s` or no memory. */
const char *idc_pool_keep(struct idc_pool *p, const char *s, size_t len);
/* idc_pool_keep of a C string. */
const char *idc_pool_str(struct idc_pool *p, const char *s);
void idc_pool_free(struct idc_pool *p);

/*
 * An IAM user with its derived status: ENABLED when it has a console password or an active
 * access key, else DISABLED (the README's rule). `json` receives the user as the aws CLI
 * shows ListUsers; `out` points into `u` and `json` (free json with idc_dynbuf_free).
 */
struct idc_iam_facts {
    bool console_access;
    int active_keys;
};
void idc_iam_user_view(const struct idc_iam_user *u, const struct idc_iam_facts *facts,
                       struct idc_dynbuf *json, struct idc_user *out);

/* An Identity Center user as the directory hands it on (pointing into `u`; user_name "" when
 * the store gives none). */
struct idc_user idc_ids_user_view(const struct idc_ids_user *u);

/* Reads the two facts the status rule needs (GetLoginProfile, ListAccessKeys). */
idc_err idc_iam_read_facts(struct idc_client *c, const char *user_name, struct idc_iam_facts *out,
                           struct idc_error *err);

/* True when the thing asked for is gone: the services' not-found answers (but not a
 * missing Identity Store) and a local IDC_ERR_NOT_FOUND. */
bool idc_is_not_found(const struct idc_error *err);

#endif
