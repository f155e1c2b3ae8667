/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_audit.c - `idcctl audit`: the recorded deletes, newest first: when, which integration
 * or store, which user, what was done and the result.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli_args.h"
#include "cli_home.h"

static const char audit_usage[] =
    "usage: idcctl audit [--label L] [--limit N] [--output table|json|csv]\n"
    "\n"
    "Lists what idcctl deleted, newest first (ad-hoc deletes appear under their store id).\n";

static int one(const struct idc_audit_entry *e, int64_t id, void *ud)
{
    struct cli_listing *l = ud;
    char when[32];
    cli_iso_time(e->at, when);
    (void)id;
    const char *f[] = {when,      e->integration, e->user_id, e->user_name,
                       e->action, e->result,      e->detail};
    cJSON *j = NULL;
    if (cli_listing_json(l)) {
        static const char *const keys[] = {"At",     "Integration", "UserId", "UserName",
                                           "Action", "Result",      "Detail"};
        j = cJSON_CreateObject();
        for (int i = 0; i < 7; i++) {
            cJSON_AddStringToObject(j, keys[i], f[i] ? f[i] : "");
        }
    }
    cli_listing_add(l, f, j);
    return 0;
}

int cli_audit_main(int argc, char **argv)
{
    static const char *const headers[] = {"WHEN",   "INTEGRATION", "USER ID", "USER NAME",
                                          "ACTION", "RESULT",      "DETAIL"};
    static const char *const csv_names[] = {"At",     "Integration", "UserId", "UserName",
                                            "Action", "Result",      "Detail"};
    struct cli_args a;
    int rc = cli_args_parse(argc, argv, "audit",
                            CLI_ALLOW(CLI_OPT_LABEL) | CLI_ALLOW(CLI_OPT_LIMIT) |
                                CLI_ALLOW(CLI_OPT_OUTPUT) | CLI_ALLOW_COMMON,
                            audit_usage, &a);
    struct idc_inventory *inv = NULL;
    struct idc_error err = {0};
    rc = rc == CLI_CONTINUE ? cli_home_open(&inv) : rc;
    if (rc != CLI_CONTINUE) {
        return rc;
    }
    struct cli_listing l;
    cli_listing_init(&l, a.output, 7, headers, csv_names, "Audit");
    if (idc_inventory_list_audit(inv, a.conn.label, a.limit, one, &l, &err) != IDC_OK) {
        rc = cli_report(&err, NULL);
    }
    cli_listing_finish(&l);
    idc_inventory_close(inv);
    return rc == CLI_CONTINUE ? CLI_EXIT_OK : rc;
}
