/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_args.c - one option parser for idcctl's inventory commands: every option has one
 * meaning everywhere (--region, --profile, --endpoint-url as in the AWS CLI), and each
 * command lists the options it accepts, so a misplaced one is a usage error, not ignored.
 */
#include "cli_args.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct option options[] = {
    {"label", required_argument, NULL, CLI_OPT_LABEL},
    {"kind", required_argument, NULL, CLI_OPT_KIND},
    {"region", required_argument, NULL, CLI_OPT_REGION},
    {"identity-store-id", required_argument, NULL, CLI_OPT_STORE},
    {"endpoint-url", required_argument, NULL, CLI_OPT_ENDPOINT},
    {"profile", required_argument, NULL, CLI_OPT_PROFILE},
    {"access-key-id", required_argument, NULL, CLI_OPT_ACCESS_KEY},
    {"secret-stdin", no_argument, NULL, CLI_OPT_SECRET_STDIN},
    {"all", no_argument, NULL, CLI_OPT_ALL},
    {"jobs", required_argument, NULL, CLI_OPT_JOBS},
    {"every", required_argument, NULL, CLI_OPT_EVERY},
    {"status", required_argument, NULL, CLI_OPT_STATUS},
    {"search", required_argument, NULL, CLI_OPT_SEARCH},
    {"live", no_argument, NULL, CLI_OPT_LIVE},
    {"user-id", required_argument, NULL, CLI_OPT_USER_ID},
    {"user-name", required_argument, NULL, CLI_OPT_USER_NAME},
    {"dry-run", no_argument, NULL, CLI_OPT_DRY_RUN},
    {"yes", no_argument, NULL, CLI_OPT_YES},
    {"read-only", no_argument, NULL, CLI_OPT_READ_ONLY},
    {"limit", required_argument, NULL, CLI_OPT_LIMIT},
    {"output", required_argument, NULL, CLI_OPT_OUTPUT},
    {"debug", no_argument, NULL, CLI_OPT_DEBUG},
    {"quiet", no_argument, NULL, CLI_OPT_QUIET},
    {"no-progress", no_argument, NULL, CLI_OPT_NO_PROGRESS},
    {"help", no_argument, NULL, CLI_OPT_HELP},
    {"timeout", required_argument, NULL, CLI_OPT_TIMEOUT},
    {"connect-timeout", required_argument, NULL, CLI_OPT_CONNECT_TIMEOUT},
    {NULL, 0, NULL, 0},
};

static const char *option_name(int id)
{
    for (size_t i = 0; options[i].name != NULL; i++) {
        if (options[i].val == id) {
            return options[i].name;
        }
    }
    return "?";
}

/* "15m", "90s", "2h", "1d" (a bare number is seconds). */
static bool duration(const char *s, unsigned long *seconds)
{
    char *end;
    if (s[0] < '0' || s[0] > '9') {
        return false;
    }
    unsigned long v = strtoul(s, &end, 10);
    unsigned long unit = *end == '\0' || strcmp(end, "s") == 0 ? 1
                         : strcmp(end, "m") == 0               ? 60
                         : strcmp(end, "h") == 0               ? 3600
                         : strcmp(end, "d") == 0               ? 86400
                                                               : 0;
    if (unit == 0 || v == 0 || v > 366UL * 86400 / unit) {
        return false;
    }
    *seconds = v * unit;
    return true;
}

static int set_value(struct cli_args *a, int id, const char *cmd)
{
    unsigned long v;
    switch (id) {
    case CLI_OPT_LABEL:
        a->conn.label = optarg;
        break;
    case CLI_OPT_KIND:
        if (strcmp(optarg, "iam") != 0 && strcmp(optarg, "identitycenter") != 0) {
            return cli_usage_error(cmd, "--kind takes identitycenter or iam, not '%s'", optarg);
        }
        a->conn.iam = strcmp(optarg, "iam") == 0;
        a->kind_given = true;
        break;
    case CLI_OPT_REGION:
        a->conn.region = optarg;
        break;
    case CLI_OPT_STORE:
        a->conn.store_id = optarg;
        break;
    case CLI_OPT_ENDPOINT:
        a->conn.endpoint_url = optarg;
        break;
    case CLI_OPT_PROFILE:
        a->conn.profile = optarg;
        break;
    case CLI_OPT_ACCESS_KEY:
        a->access_key_id = optarg;
        break;
    case CLI_OPT_STATUS:
        if (strcmp(optarg, "ENABLED") != 0 && strcmp(optarg, "DISABLED") != 0) {
            return cli_usage_error(cmd, "--status takes ENABLED or DISABLED, not '%s'", optarg);
        }
        a->status = optarg;
        break;
    case CLI_OPT_SEARCH:
        a->search = optarg;
        break;
    case CLI_OPT_USER_ID:
        a->user_id = optarg;
        break;
    case CLI_OPT_USER_NAME:
        a->user_name = optarg;
        break;
    case CLI_OPT_OUTPUT:
        if (cli_output_parse(optarg, &a->output) != 0) {
            return cli_usage_error(cmd, "--output takes table, json or csv, not '%s'", optarg);
        }
        break;
    case CLI_OPT_JOBS:
        if (!cli_parse_ulong(optarg, 1, 64, &v)) {
            return cli_usage_error(cmd, "--jobs takes 1..64, not '%s'", optarg);
        }
        a->jobs = (unsigned)v;
        break;
    case CLI_OPT_LIMIT:
        if (!cli_parse_ulong(optarg, 1, 100000, &v)) {
            return cli_usage_error(cmd, "--limit takes 1..100000, not '%s'", optarg);
        }
        a->limit = (unsigned)v;
        break;
    case CLI_OPT_TIMEOUT:
    case CLI_OPT_CONNECT_TIMEOUT:
        if (!cli_parse_ulong(optarg, 1, 3600, &v)) {
            return cli_usage_error(cmd, "--%s takes whole seconds, 1..3600, not '%s'",
                                   id == CLI_OPT_TIMEOUT ? "timeout" : "connect-timeout", optarg);
        }
        *(id == CLI_OPT_TIMEOUT ? &a->conn.timeout_ms : &a->conn.connect_timeout_ms) =
            (int)v * 1000;
        break;
    case CLI_OPT_EVERY:
        if (!duration(optarg, &v)) {
            return cli_usage_error(cmd,
                                   "--every takes a duration such as 15m, 1h or 90s, not "
                                   "'%s'",
                                   optarg);
        }
        a->every_seconds = v;
        break;
    default:
        return CLI_CONTINUE;
    }
    return CLI_CONTINUE;
}

static void set_flag(struct cli_args *a, int id)
{
    switch (id) {
    case CLI_OPT_SECRET_STDIN:
        a->secret_stdin = true;
        break;
    case CLI_OPT_ALL:
        a->all = true;
        break;
    case CLI_OPT_LIVE:
        a->live = true;
        break;
    case CLI_OPT_DRY_RUN:
        a->dry_run = true;
        break;
    case CLI_OPT_YES:
        a->yes = true;
        break;
    case CLI_OPT_READ_ONLY:
        a->read_only = true;
        break;
    case CLI_OPT_DEBUG:
        a->conn.debug = true;
        break;
    case CLI_OPT_QUIET:
        a->quiet = a->conn.quiet = true;
        break;
    case CLI_OPT_NO_PROGRESS:
        a->no_progress = true;
        break;
    default:
        break;
    }
}

int cli_args_parse(int argc, char **argv, const char *cmd, unsigned long allowed, const char *usage,
                   struct cli_args *a)
{
    memset(a, 0, sizeof *a);
    int id;
    cli_getopt_reset();
    while ((id = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (id == CLI_OPT_HELP || id == 'h') {
            fputs(usage, stdout);
            return CLI_EXIT_OK;
        }
        if (id == '?' || id == ':') {
            return cli_bad_option(cmd, argv);
        }
        if (!(allowed & (1UL << (id - CLI_OPT_BASE)))) {
            return cli_usage_error(cmd, "--%s does not apply to `idcctl %s`", option_name(id), cmd);
        }
        int rc = set_value(a, id, cmd);
        if (rc != CLI_CONTINUE) {
            return rc;
        }
        set_flag(a, id);
    }
    if (optind < argc && (allowed & CLI_ALLOW(CLI_OPT_LABEL_ARG)) && a->conn.label == NULL) {
        a->conn.label = argv[optind++];
    }
    if (optind < argc) {
        bool names_user = strncmp(cmd, "users ", 6) == 0;
        return cli_usage_error(cmd, "unexpected argument '%s'%s", argv[optind],
                               names_user ? ": name the user with --user-name or --user-id" : "");
    }
    return CLI_CONTINUE;
}
