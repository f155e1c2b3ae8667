/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_home.h - opening idcctl's state folder ($IDC_HOME, else
 * ${XDG_STATE_HOME:-~/.local/state}/idcctl) and its inventory.
 */
#ifndef IDC_CLI_HOME_H
#define IDC_CLI_HOME_H

#include "idc/inventory.h"

/* Opens the inventory; -1 on success, else the exit code after printing the error. */
int cli_home_open(struct idc_inventory **inv);

/* The state folder's path. */
int cli_home_path(char *out, size_t cap);

#endif
