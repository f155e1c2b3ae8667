/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_home.c - idcctl's state folder and its inventory (cli_home.h).
 */
#include "cli_home.h"

#include <stdio.h>

#include "cli_conn.h"

int cli_home_path(char *out, size_t cap)
{
    struct idc_error err = {0};
    if (idc_inventory_default_home(out, cap, &err) != IDC_OK) {
        return cli_report(&err, "set IDC_HOME to a folder for idcctl's state");
    }
    return -1;
}

int cli_home_open(struct idc_inventory **inv)
{
    char home[1024];
    struct idc_error err = {0};
    int rc = cli_home_path(home, sizeof home);
    if (rc >= 0) {
        return rc;
    }
    if (idc_inventory_open(inv, home, 0, &err) != IDC_OK) {
        *inv = NULL;
        return cli_report(&err,
                          err.code == IDC_ERR_BUSY ? "another idcctl is writing; try again" : NULL);
    }
    return -1;
}
