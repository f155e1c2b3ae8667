/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_users.c - `idcctl users` (from the inventory, or --live from AWS) and `users show`:
 * every user with its status, as a table, JSON (each user as the API returned it plus
 * Integration, Source, FirstSeenAt, LastSeenAt) or CSV. Deleting lives in cli_delete.c.
 */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_args.h"
#include "cli_home.h"
#include "cli_users.h"

static const char users_usage[] =
    "usage: idcctl users [--label L] [--status ENABLED|DISABLED] [--search TEXT]\n"
    "                    [--output table|json|csv]\n"
    "       idcctl users --live (--label L | --region R --identity-store-id ID | --kind iam)\n"
    "                    [--status S] [--search TEXT] [--output table|json|csv]\n"
    "       idcctl users show (--label L | ad-hoc connection) (--user-id ID | --user-name N)\n"
    "       idcctl users delete (--label L | ad-hoc connection) (--user-id ID | --user-name N)\n"
    "                    [--dry-run] [--yes]\n"
    "\n"
    "Lists users from the inventory (as of each integration's last sync), across\n"
    "integrations; --live reads them from AWS instead. --search matches user name, display\n"
    "name, e-mail and id, ignoring case. A user without a status (older stores) shows '-'\n"
    "and never matches --status. IAM users show a derived status: ENABLED with a console\n"
    "password or an active access key, else DISABLED.\n"
    "Ad-hoc connection: --region R --identity-store-id d-XXXXXXXXXX [--endpoint-url URL]\n"
    "[--profile P], or --kind iam; keys from the environment or the profile.\n"
    "Network (--live, show, delete): --timeout SECONDS (one attempt as a whole, default 60),\n"
    "--connect-timeout SECONDS (default 10).\n";

/* ---- one output, three formats ------------------------------------------------------ */

void cli_users_out_init(struct cli_users_out *o, enum cli_output output)
{
    static const char *const headers[] = {"LABEL", "USER ID", "USER NAME", "DISPLAY NAME",
                                          "EMAIL", "STATUS",  "SOURCE",    "LAST SEEN"};
    static const char *const csv_names[] = {"Integration", "UserId",     "UserName", "DisplayName",
                                            "Email",       "UserStatus", "Source",   "LastSeenAt"};
    cli_listing_init(&o->listing, output, 8, headers, csv_names, "Users");
}

/* The user as the API returned it, plus what idcctl adds. */
static cJSON *user_json(const struct idc_inv_user_row *r, const char *first, const char *last)
{
    const struct idc_user *u = &r->user;
    cJSON *o = cJSON_ParseWithLength(u->json, u->json_len);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "UserId", u->user_id);
    }
    if (!cJSON_HasObjectItem(o, "UserStatus")) {
        /* every user has the key (null: no status); IAM's is the library's derived one */
        cJSON_AddItemToObject(o, "UserStatus",
                              u->status ? cJSON_CreateString(u->status) : cJSON_CreateNull());
    }
    if (r->kind == IDC_KIND_IAM) {
        cJSON_AddBoolToObject(o, "ConsoleAccess", u->console_access > 0);
        cJSON_AddNumberToObject(o, "ActiveAccessKeys", u->active_keys > 0 ? u->active_keys : 0);
    }
    cJSON_AddStringToObject(o, "Integration", r->integration);
    cJSON_AddStringToObject(o, "Source", u->external ? "external" : "local");
    cJSON_AddItemToObject(o, "FirstSeenAt",
                          first[0] ? cJSON_CreateString(first) : cJSON_CreateNull());
    cJSON_AddItemToObject(o, "LastSeenAt", last[0] ? cJSON_CreateString(last) : cJSON_CreateNull());
    return o;
}

int cli_users_out_add(const struct idc_inv_user_row *r, void *ud)
{
    struct cli_users_out *o = ud;
    const struct idc_user *u = &r->user;
    char first[32], last[32];
    cli_iso_time(r->first_seen_at, first);
    cli_iso_time(r->last_seen_at, last);
    /* a missing status shows "-" in a table and stays empty in CSV */
    const char *row[] = {r->integration,
                         u->user_id,
                         u->user_name,
                         u->display_name,
                         u->email,
                         u->status,
                         u->external ? "external" : "local",
                         last};
    cli_listing_add(&o->listing, row,
                    cli_listing_json(&o->listing) ? user_json(r, first, last) : NULL);
    return 0;
}

void cli_users_out_finish(struct cli_users_out *o)
{
    cli_listing_finish(&o->listing);
}

/* ---- from the inventory ------------------------------------------------------------- */

static int from_inventory(const struct cli_args *a)
{
    if (cli_conn_is_ad_hoc(&a->conn)) {
        return cli_usage_error("users", "the inventory is listed by --label (or for every "
                                        "integration); for an ad-hoc connection add --live");
    }
    struct idc_inventory *inv = NULL;
    struct idc_error err = {0};
    struct cli_users_out o;
    int rc = cli_home_open(&inv);
    if (rc != CLI_CONTINUE) {
        return rc;
    }
    struct idc_user_filter f = {a->conn.label, a->status, a->search};
    cli_users_out_init(&o, a->output);
    if (idc_inventory_list_users(inv, &f, cli_users_out_add, &o, &err) != IDC_OK) {
        rc = cli_report(&err,
                        err.code == IDC_ERR_NOT_FOUND ? "see `idcctl integration list`" : NULL);
    }
    cli_users_out_finish(&o);
    idc_inventory_close(inv);
    return rc == CLI_CONTINUE ? CLI_EXIT_OK : rc;
}

/* ---- live ---------------------------------------------------------------------------- */

/* ASCII case-insensitive substring. */
static bool contains(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; hay && *hay; hay++) {
        if (strncasecmp(hay, needle, n) == 0) {
            return true;
        }
    }
    return false;
}

bool cli_user_matches(const struct idc_user *u, const char *status, const char *search)
{
    if (status && (u->status == NULL || strcmp(u->status, status) != 0)) {
        return false;
    }
    return search == NULL || contains(u->user_name, search) || contains(u->display_name, search) ||
           contains(u->email, search) || contains(u->user_id, search);
}

struct live {
    struct cli_users_out out;
    const struct cli_conn *conn;
    const char *status, *search;
};

static int live_row(const struct idc_user *u, void *ud)
{
    struct live *l = ud;
    if (!cli_user_matches(u, l->status, l->search)) {
        return 0;
    }
    struct idc_inv_user_row row = {
        .integration = l->conn->scope, .kind = l->conn->in.kind, .user = *u};
    return cli_users_out_add(&row, &l->out);
}

static int live(const struct cli_args *a)
{
    struct idc_inventory *inv = NULL;
    struct cli_conn c;
    struct live l = {.conn = &c, .status = a->status, .search = a->search};
    struct idc_error err = {0};
    int rc = a->conn.label ? cli_home_open(&inv) : CLI_CONTINUE;
    rc = rc == CLI_CONTINUE ? cli_conn_open(&c, &a->conn, inv) : rc;
    idc_inventory_close(inv);
    if (rc != CLI_CONTINUE) {
        return rc;
    }
    cli_users_out_init(&l.out, a->output);
    idc_err e = idc_directory_list_users(c.dir, live_row, &l, &err);
    cli_users_out_finish(&l.out);
    rc = e ? cli_diagnose(&err, &c.in) : CLI_EXIT_OK;
    cli_conn_close(&c);
    return rc;
}

int cli_users_main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "delete") == 0) {
        return cli_delete_main(argc - 1, argv + 1, users_usage);
    }
    if (argc >= 2 && strcmp(argv[1], "show") == 0) {
        return cli_show_main(argc - 1, argv + 1, users_usage);
    }
    unsigned long allowed = CLI_ALLOW_CONN | CLI_ALLOW(CLI_OPT_STATUS) | CLI_ALLOW(CLI_OPT_SEARCH) |
                            CLI_ALLOW(CLI_OPT_OUTPUT) | CLI_ALLOW(CLI_OPT_LIVE) | CLI_ALLOW_COMMON;
    struct cli_args a;
    int rc = cli_args_parse(argc, argv, "users", allowed, users_usage, &a);
    if (rc != CLI_CONTINUE) {
        return rc;
    }
    return a.live ? live(&a) : from_inventory(&a);
}
