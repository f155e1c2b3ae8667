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

struct audit_out {
    enum cli_output output;
    struct cli_table table;
    cJSON *array;
};

static int one(void *ud, const struct idc_audit_entry *e, int64_t id)
{
    struct audit_out *o = ud;
    char when[32];
    cli_iso_time(e->at, when);
    (void)id;
    const char *f[] = {when,      e->integration, e->user_id, e->user_name,
                       e->action, e->result,      e->detail};
    if (o->output == CLI_OUTPUT_TABLE) {
        cli_table_add(&o->table, f);
    } else if (o->output == CLI_OUTPUT_CSV) {
        for (int i = 0; i < 7; i++) {
            cli_csv_field(stdout, f[i], i == 6);
        }
    } else {
        static const char *const keys[] = {"At",     "Integration", "UserId", "UserName",
                                           "Action", "Result",      "Detail"};
        cJSON *j = cJSON_CreateObject();
        for (int i = 0; i < 7; i++) {
            cJSON_AddStringToObject(j, keys[i], f[i] ? f[i] : "");
        }
        cJSON_AddItemToArray(o->array, j);
    }
    return 0;
}

int cli_audit_main(int argc, char **argv)
{
    static const char *const headers[] = {"WHEN",   "INTEGRATION", "USER ID", "USER NAME",
                                          "ACTION", "RESULT",      "DETAIL"};
    struct cli_args a;
    int rc = cli_args_parse(argc, argv, "audit",
                            CLI_ALLOW(CLI_OPT_LABEL) | CLI_ALLOW(CLI_OPT_LIMIT) |
                                CLI_ALLOW(CLI_OPT_OUTPUT) | CLI_ALLOW_COMMON,
                            audit_usage, &a);
    if (rc >= 0) {
        return rc;
    }
    struct idc_inventory *inv = NULL;
    struct idc_error err = {0};
    struct audit_out o = {.output = a.output, .array = cJSON_CreateArray()};
    cli_table_init(&o.table, 7, headers);
    if (o.output == CLI_OUTPUT_CSV) {
        fputs("At,Integration,UserId,UserName,Action,Result,Detail\r\n", stdout);
    }
    rc = cli_home_open(&inv);
    if (rc < 0 && idc_inventory_list_audit(inv, a.conn.label, a.limit, one, &o, &err) != IDC_OK) {
        rc = cli_report(&err, NULL);
    }
    if (rc < 0 && o.output == CLI_OUTPUT_JSON) {
        cJSON *doc = cJSON_CreateObject();
        cJSON_AddItemToObject(doc, "Audit", o.array);
        o.array = NULL;
        cli_json_print(stdout, doc);
        cJSON_Delete(doc);
    } else if (rc < 0 && o.output == CLI_OUTPUT_TABLE) {
        cli_table_print(&o.table, stdout);
    }
    cJSON_Delete(o.array);
    cli_table_free(&o.table);
    idc_inventory_close(inv);
    return rc < 0 ? CLI_EXIT_OK : rc;
}
