/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_users.h - what the user commands share (cli_users.c, cli_delete.c, cli_sync.c): the
 * users output in three formats, the filter, and an IAM user's derived sign-in status.
 */
#ifndef IDC_CLI_USERS_H
#define IDC_CLI_USERS_H

#include <cjson/cJSON.h>

#include "cli_out.h"
#include "idc/iam.h"
#include "idc/identitystore.h"
#include "idc/inventory.h"

struct cli_users_out {
    struct cli_listing listing;
};

void cli_users_out_init(struct cli_users_out *o, enum cli_output output);
int cli_users_out_add(void *ud, const struct idc_inv_user_row *row); /* an idc_inv_user_fn */
void cli_users_out_finish(struct cli_users_out *o); /* prints the table, closes JSON */

/* --status and --search (ASCII case-insensitive) on one user. */
bool cli_user_matches(const struct idc_inv_user *u, const char *status, const char *search);

/* An Identity Center user as the inventory keeps it (pointing into `u`). */
struct idc_inv_user cli_ids_user_row(const struct idc_ids_user *u);

/*
 * An IAM user with its derived status: ENABLED with a console password (GetLoginProfile) or
 * an active access key (ListAccessKeys), else DISABLED. `*json` (free it) is the user as
 * the aws CLI shows ListUsers; `out` points into `u` and `*json`.
 */
idc_err cli_iam_user_row(struct idc_client *c, const struct idc_iam_user *u,
                         struct idc_inv_user *out, char **json, struct idc_error *err);

int cli_delete_main(int argc, char **argv, const char *usage);
int cli_show_main(int argc, char **argv, const char *usage);

#endif
