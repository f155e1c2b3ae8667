/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_integration.c - `idcctl integration add|list|test|update|remove`: saved connections.
 * Keys come from --profile (only its name is kept), the environment, or --access-key-id
 * with the secret from standard input or a prompt with echo off (never an argument: ps
 * shows arguments). Every add and update is validated with one signed call before it is
 * saved, and nothing is saved when that call fails.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli_args.h"
#include "cli_home.h"

static const char integration_usage[] =
    "usage: idcctl integration <add|list|test|update|remove> [options]\n"
    "\n"
    "  add --label L --region R --identity-store-id d-XXXXXXXXXX [--endpoint-url URL]\n"
    "      [--profile P | --access-key-id ID [--secret-stdin]]\n"
    "  add --label L --kind iam [--region R] [...]     IAM users of the account\n"
    "                     keys: --profile (only its name is saved), or the environment\n"
    "                     (AWS_ACCESS_KEY_ID...), or --access-key-id with the secret on\n"
    "                     standard input (--secret-stdin) or typed at a prompt; the keys, the\n"
    "                     endpoint and the region are saved, so later syncs do not depend on\n"
    "                     the environment. One signed call checks them first.\n"
    "  list [--output table|json|csv]\n"
    "  test (L | --label L | --region R --identity-store-id ID | --kind iam)\n"
    "  update (L | --label L) [--access-key-id ID [--secret-stdin] | --profile P]\n"
    "      [--endpoint-url URL] [--region R]      (key rotation: checked before saving)\n"
    "  remove (L | --label L)   (its users and sync runs go; the audit trail stays)\n"
    "\n"
    "Common options: --debug (the client's trace on stderr, secrets redacted), --quiet,\n"
    "--help; add, test and update also take --timeout SECONDS (one attempt, default 60) and\n"
    "--connect-timeout SECONDS (default 10).\n"
    "Exit status: 0 ok, 1 error, 2 usage, 3 not found, 4 access denied.\n";

/* ---- secrets ------------------------------------------------------------------------ */

/* A prompt on the terminal with echo off; the secret never appears on screen. */
static int prompt_secret(char *out, size_t cap)
{
    FILE *tty = fopen("/dev/tty", "r+");
    if (tty == NULL) {
        return cli_usage_error("integration", "no terminal to ask for the secret: give it on "
                                              "standard input with --secret-stdin");
    }
    struct termios old, quiet;
    int fd = fileno(tty);
    bool have = tcgetattr(fd, &old) == 0;
    fputs("Secret access key (not shown): ", tty);
    fflush(tty);
    if (have) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    char *got = fgets(out, (int)cap, tty);
    if (have) {
        tcsetattr(fd, TCSAFLUSH, &old);
    }
    fputc('\n', tty);
    fclose(tty);
    out[got ? strcspn(out, "\r\n") : 0] = '\0';
    if (out[0] == '\0') {
        fprintf(stderr, "idcctl: no secret entered\n");
        return CLI_EXIT_USAGE;
    }
    return CLI_CONTINUE;
}

/* --access-key-id: the secret from stdin or a prompt, into `in`. */
static int take_keys(const struct cli_args *a, struct idc_integration *in)
{
    char secret[IDC_SIGV4_SECRET_MAX + 2];
    struct idc_error err = {0};
    int rc = CLI_CONTINUE;
    if (a->conn.profile != NULL) {
        return cli_usage_error("integration", "give --profile or --access-key-id, not both");
    }
    if (a->secret_stdin) {
        rc = cli_read_secret_line(secret, sizeof secret, &err) == IDC_OK
                 ? CLI_CONTINUE
                 : cli_fail(NULL, "%s", err.msg);
    } else if (isatty(STDIN_FILENO)) {
        rc = prompt_secret(secret, sizeof secret);
    } else {
        rc = cli_usage_error("integration", "standard input is not a terminal: give the secret "
                                            "on it with --secret-stdin");
    }
    if (rc == CLI_CONTINUE &&
        (idc_str_copy(idc_str_c(a->access_key_id), in->access_key_id, sizeof in->access_key_id,
                      "the access key id", &err) != IDC_OK ||
         idc_str_copy(idc_str_c(secret), in->secret_access_key, sizeof in->secret_access_key,
                      "the secret", &err) != IDC_OK)) {
        rc = cli_fail(NULL, "%s", err.msg);
    }
    if (rc == CLI_CONTINUE) {
        in->session_token[0] = '\0';
        in->profile[0] = '\0';
    }
    idc_wipe(secret, sizeof secret);
    return rc;
}

/* ---- add, test, update -------------------------------------------------------------- */

/*
 * 1 to 64 letters, digits, '.', '_' or '-', not starting with '-': `--label --all` would
 * otherwise add a label that every later command reads as an option.
 */
static bool good_label(const char *s)
{
    size_t n = strlen(s);
    return n > 0 && n <= 64 && s[0] != '-' &&
           strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

/* Validates `in` with one signed call; CLI_CONTINUE when it passes. */
static int validate(const struct idc_integration *in, const struct cli_conn_opts *o)
{
    struct cli_conn c = {.in = *in};
    int rc = cli_conn_connect(&c, o);
    rc = rc == CLI_CONTINUE ? cli_conn_validate(&c) : rc;
    cli_conn_close(&c);
    return rc;
}

static void describe(const struct idc_integration *in, char *out, size_t cap)
{
    if (in->kind == IDC_KIND_IAM) {
        snprintf(out, cap, "IAM users via %s (signed for %s)", in->endpoint_url, in->region);
    } else {
        snprintf(out, cap, "Identity Center store %s in %s via %s", in->store_id, in->region,
                 in->endpoint_url);
    }
}

static int add(const struct cli_args *a)
{
    if (a->conn.label == NULL || !good_label(a->conn.label)) {
        return cli_usage_error(
            "integration",
            "add needs --label: 1 to 64 letters, digits, '.', '_' or '-', "
            "not starting with '-'%s",
            a->conn.label && a->conn.label[0] == '-' ? " (it would read as an option)" : "");
    }
    struct cli_conn_opts o = a->conn;
    o.label = NULL;
    o.keys_given = a->access_key_id != NULL;
    struct idc_integration in;
    int rc = cli_conn_resolve(&o, &in);
    if (rc == CLI_CONTINUE && a->access_key_id != NULL) {
        rc = take_keys(a, &in);
    }
    snprintf(in.label, sizeof in.label, "%s", a->conn.label);
    if (rc == CLI_CONTINUE && in.session_token[0] != '\0') {
        fprintf(stderr, "idcctl: note: these keys carry a session token: they expire, and syncs "
                        "will fail when they do; a profile (--profile) is the better choice\n");
    }
    rc = rc == CLI_CONTINUE ? validate(&in, &a->conn) : rc;
    struct idc_inventory *inv = NULL;
    struct idc_error err = {0};
    if (rc == CLI_CONTINUE) {
        rc = cli_home_open(&inv);
    }
    if (rc == CLI_CONTINUE && idc_inventory_add_integration(inv, &in, &err) != IDC_OK) {
        rc = cli_report(&err, "pick another --label, or `idcctl integration update`");
    }
    if (rc == CLI_CONTINUE && !a->quiet) {
        char what[700];
        describe(&in, what, sizeof what);
        printf("integration %s added: %s; keys from %s\n", in.label, what,
               in.profile[0] ? "the profile (read at each use)" : "the state (0600)");
    }
    idc_inventory_close(inv);
    idc_integration_wipe(&in);
    return rc == CLI_CONTINUE ? CLI_EXIT_OK : rc;
}

static int test(const struct cli_args *a)
{
    struct idc_inventory *inv = NULL;
    int rc = a->conn.label != NULL ? cli_home_open(&inv) : CLI_CONTINUE;
    struct cli_conn c;
    rc = rc == CLI_CONTINUE ? cli_conn_open(&c, &a->conn, inv) : rc;
    if (rc == CLI_CONTINUE) {
        rc = cli_conn_validate(&c);
        if (rc == CLI_CONTINUE && !a->quiet) {
            char what[700];
            describe(&c.in, what, sizeof what);
            printf("ok: %s answers for %s\n", what, c.scope);
        }
        cli_conn_close(&c);
    }
    idc_inventory_close(inv);
    return rc == CLI_CONTINUE ? CLI_EXIT_OK : rc;
}

/*
 * The new settings of an update, applied to `in`. A new region re-derives the endpoint
 * (unless --endpoint-url comes with it); a new endpoint keeps the signing region.
 */
static int apply_update(const struct cli_args *a, struct idc_integration *in)
{
    int rc = CLI_CONTINUE;
    if (a->conn.region || a->conn.endpoint_url) {
        struct cli_conn_opts place = {
            .region = a->conn.region ? a->conn.region : in->region,
            .endpoint_url = a->conn.endpoint_url,
            .profile = a->conn.profile  ? a->conn.profile
                       : in->profile[0] ? in->profile
                                        : NULL,
        };
        rc = cli_conn_place(&place, in);
    }
    if (rc == CLI_CONTINUE && a->conn.profile) {
        snprintf(in->profile, sizeof in->profile, "%s", a->conn.profile);
        in->access_key_id[0] = in->secret_access_key[0] = in->session_token[0] = '\0';
    }
    return rc == CLI_CONTINUE && a->access_key_id ? take_keys(a, in) : rc;
}

static int update(const struct cli_args *a)
{
    if (a->conn.label == NULL || a->conn.store_id != NULL || a->kind_given) {
        return cli_usage_error("integration", "update takes --label and the settings to change "
                                              "(keys, --profile, --endpoint-url, --region)");
    }
    struct idc_inventory *inv = NULL;
    struct idc_integration in = {0};
    struct idc_error err = {0};
    int rc = cli_home_open(&inv);
    if (rc == CLI_CONTINUE &&
        idc_inventory_get_integration(inv, a->conn.label, &in, &err) != IDC_OK) {
        rc = cli_report(&err, "see `idcctl integration list`");
    }
    rc = rc == CLI_CONTINUE ? apply_update(a, &in) : rc;
    rc = rc == CLI_CONTINUE ? validate(&in, &a->conn) : rc;
    if (rc == CLI_CONTINUE && idc_inventory_update_integration(inv, &in, &err) != IDC_OK) {
        rc = cli_report(&err, NULL);
    }
    if (rc == CLI_CONTINUE && !a->quiet) {
        printf("integration %s updated and checked\n", in.label);
    }
    idc_inventory_close(inv);
    idc_integration_wipe(&in);
    return rc == CLI_CONTINUE ? CLI_EXIT_OK : rc;
}

static int remove_one(const struct cli_args *a)
{
    if (a->conn.label == NULL) {
        return cli_usage_error("integration", "remove needs --label");
    }
    struct idc_inventory *inv = NULL;
    struct idc_error err = {0};
    int rc = cli_home_open(&inv);
    if (rc == CLI_CONTINUE &&
        idc_inventory_remove_integration(inv, a->conn.label, &err) != IDC_OK) {
        rc = cli_report(&err, "see `idcctl integration list`");
    }
    if (rc == CLI_CONTINUE && !a->quiet) {
        printf("integration %s removed (its users and sync runs; the audit trail stays)\n",
               a->conn.label);
    }
    idc_inventory_close(inv);
    return rc == CLI_CONTINUE ? CLI_EXIT_OK : rc;
}

/* ---- list --------------------------------------------------------------------------- */

static int list_one(const struct idc_integration *in, void *ud)
{
    struct cli_listing *l = ud;
    char when[32], users[24];
    const char *kind = idc_kind_name(in->kind);
    cli_iso_time(in->last_sync_at, when);
    snprintf(users, sizeof users, "%lld", (long long)in->user_count);
    const char *row[] = {in->label,       kind,  in->region,    in->store_id, when,
                         in->last_result, users, in->last_error};
    cJSON *o = NULL;
    if (cli_listing_json(l)) {
        o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "Label", in->label);
        cJSON_AddStringToObject(o, "Kind", kind);
        cJSON_AddStringToObject(o, "Region", in->region);
        if (in->store_id[0]) {
            cJSON_AddStringToObject(o, "IdentityStoreId", in->store_id);
        }
        cJSON_AddStringToObject(o, "EndpointUrl", in->endpoint_url);
        if (in->profile[0]) {
            cJSON_AddStringToObject(o, "Profile", in->profile);
        }
        cJSON_AddItemToObject(o, "LastSyncAt",
                              when[0] ? cJSON_CreateString(when) : cJSON_CreateNull());
        cJSON_AddStringToObject(o, "LastResult", in->last_result);
        cJSON_AddStringToObject(o, "LastError", in->last_error);
        cJSON_AddNumberToObject(o, "Users", (double)in->user_count);
    }
    cli_listing_add(l, row, o);
    return 0;
}

static int list(const struct cli_args *a)
{
    static const char *const headers[] = {"LABEL",     "KIND",   "REGION", "STORE",
                                          "LAST SYNC", "RESULT", "USERS",  "LAST ERROR"};
    static const char *const csv_names[] = {"Label",      "Kind",       "Region", "IdentityStoreId",
                                            "LastSyncAt", "LastResult", "Users",  "LastError"};
    struct idc_inventory *inv = NULL;
    struct idc_error err = {0};
    int rc = cli_home_open(&inv);
    if (rc != CLI_CONTINUE) {
        return rc;
    }
    struct cli_listing l;
    cli_listing_init(&l, a->output, 8, headers, csv_names, "Integrations");
    if (idc_inventory_list_integrations(inv, list_one, &l, &err) != IDC_OK) {
        rc = cli_report(&err, NULL);
    }
    cli_listing_finish(&l);
    idc_inventory_close(inv);
    return rc == CLI_CONTINUE ? CLI_EXIT_OK : rc;
}

int cli_integration_main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(integration_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    static const struct {
        const char *name;
        int (*run)(const struct cli_args *);
        unsigned long allowed;
    } subs[] = {
        {"add", add,
         CLI_ALLOW_CONN | CLI_ALLOW(CLI_OPT_ACCESS_KEY) | CLI_ALLOW(CLI_OPT_SECRET_STDIN)},
        {"list", list, CLI_ALLOW(CLI_OPT_OUTPUT)},
        {"test", test, CLI_ALLOW_CONN | CLI_ALLOW(CLI_OPT_LABEL_ARG)},
        {"update", update,
         CLI_ALLOW_CONN | CLI_ALLOW(CLI_OPT_ACCESS_KEY) | CLI_ALLOW(CLI_OPT_SECRET_STDIN) |
             CLI_ALLOW(CLI_OPT_LABEL_ARG)},
        {"remove", remove_one, CLI_ALLOW(CLI_OPT_LABEL) | CLI_ALLOW(CLI_OPT_LABEL_ARG)},
    };
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        if (strcmp(argv[1], subs[i].name) != 0) {
            continue;
        }
        struct cli_args a;
        int rc = cli_args_parse(argc - 1, argv + 1, "integration",
                                subs[i].allowed | CLI_ALLOW_COMMON, integration_usage, &a);
        if (rc != CLI_CONTINUE) {
            return rc;
        }
        return subs[i].run(&a);
    }
    return cli_usage_error("integration", "unknown subcommand '%s'", argv[1]);
}
