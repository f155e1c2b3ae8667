/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_users.h - what the user commands share (cli_users.c, cli_delete.c): the users output
 * in three formats, and the filter.
 */
#ifndef IDC_CLI_USERS_H
#define IDC_CLI_USERS_H

#include "cli_out.h"
#include "idc/directory.h"
#include "idc/inventory.h"

struct cli_users_out {
    struct cli_listing listing;
};

void cli_users_out_init(struct cli_users_out *o, enum cli_output output);
int cli_users_out_add(const struct idc_inv_user_row *row, void *ud); /* an idc_inv_user_fn */
void cli_users_out_finish(struct cli_users_out *o); /* prints the table, closes JSON */

/* --status and --search (ASCII case-insensitive) on one user. */
bool cli_user_matches(const struct idc_user *u, const char *status, const char *search);

int cli_delete_main(int argc, char **argv, const char *usage);
int cli_show_main(int argc, char **argv, const char *usage);

#endif
