/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_home.h - idcctl's state folder ($IDC_HOME, else
 * ${XDG_STATE_HOME:-~/.local/state}/idcctl) and opening its inventory (cli_home.c).
 */
#ifndef IDC_CLI_HOME_H
#define IDC_CLI_HOME_H

#include <stddef.h>

#include "idc/inventory.h"

/* Opens the inventory; CLI_CONTINUE, else the exit code after printing the error. */
int cli_home_open(struct idc_inventory **inv);

/* The state folder's path; CLI_CONTINUE, else the exit code after printing the error. */
int cli_home_path(char *out, size_t cap);

#endif
