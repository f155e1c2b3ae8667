/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_home.c - idcctl's state folder and its inventory (cli_home.h): $IDC_HOME, else
 * ${XDG_STATE_HOME:-$HOME/.local/state}/idcctl. The folder is idcctl's choice; libidc's
 * inventory takes whatever folder its caller gives.
 */
#include "cli_home.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_conn.h"

static int put_home(char *out, size_t cap, const char *base, const char *tail)
{
    int n = snprintf(out, cap, "%s%s", base, tail);
    if (n < 0 || (size_t)n >= cap) {
        return cli_fail("set IDC_HOME to a shorter folder for idcctl's state",
                        "the state folder %s%s is longer than %zu bytes", base, tail, cap - 1);
    }
    return CLI_CONTINUE;
}

int cli_home_path(char *out, size_t cap)
{
    const char *v = getenv("IDC_HOME");
    if (v != NULL && v[0] != '\0') {
        return put_home(out, cap, v, "");
    }
    v = getenv("XDG_STATE_HOME");
    if (v != NULL && v[0] == '/') { /* the XDG spec ignores a relative value */
        return put_home(out, cap, v, "/idcctl");
    }
    v = getenv("HOME");
    if (v != NULL && v[0] != '\0') {
        return put_home(out, cap, v, "/.local/state/idcctl");
    }
    return cli_fail("set IDC_HOME to a folder for idcctl's state",
                    "neither IDC_HOME nor HOME is set, so idcctl has no folder for its inventory");
}

int cli_home_open(struct idc_inventory **inv)
{
    char home[1024];
    struct idc_error err = {0};
    *inv = NULL;
    int rc = cli_home_path(home, sizeof home);
    if (rc != CLI_CONTINUE) {
        return rc;
    }
    if (idc_inventory_open(inv, home, 0, &err) != IDC_OK) {
        *inv = NULL;
        return cli_report(&err,
                          err.code == IDC_ERR_BUSY ? "another idcctl is writing; try again" : NULL);
    }
    return CLI_CONTINUE;
}
