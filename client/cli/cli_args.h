/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_args.h - the options of idcctl's inventory commands (cli_args.c).
 */
#ifndef IDC_CLI_ARGS_H
#define IDC_CLI_ARGS_H

#include <stdbool.h>

#include "cli.h"
#include "cli_conn.h"
#include "cli_out.h"

enum cli_option {
    CLI_OPT_BASE = 256,
    CLI_OPT_LABEL = CLI_OPT_BASE,
    CLI_OPT_KIND,
    CLI_OPT_REGION,
    CLI_OPT_STORE,
    CLI_OPT_ENDPOINT,
    CLI_OPT_PROFILE,
    CLI_OPT_ACCESS_KEY,
    CLI_OPT_SECRET_STDIN,
    CLI_OPT_ALL,
    CLI_OPT_JOBS,
    CLI_OPT_EVERY,
    CLI_OPT_STATUS,
    CLI_OPT_SEARCH,
    CLI_OPT_LIVE,
    CLI_OPT_USER_ID,
    CLI_OPT_USER_NAME,
    CLI_OPT_DRY_RUN,
    CLI_OPT_YES,
    CLI_OPT_READ_ONLY,
    CLI_OPT_LIMIT,
    CLI_OPT_OUTPUT,
    CLI_OPT_DEBUG,
    CLI_OPT_QUIET,
    CLI_OPT_NO_PROGRESS,
    CLI_OPT_HELP,
    CLI_OPT_TIMEOUT,
    CLI_OPT_CONNECT_TIMEOUT,
    CLI_OPT_LABEL_ARG, /* not an option: the label may also be given bare (`test L`) */
};

/* A bit per option, for the `allowed` masks. */
#define CLI_ALLOW(opt) (1UL << ((opt)-CLI_OPT_BASE))
/* Every command that talks to AWS takes the network options. */
#define CLI_ALLOW_NET (CLI_ALLOW(CLI_OPT_TIMEOUT) | CLI_ALLOW(CLI_OPT_CONNECT_TIMEOUT))
#define CLI_ALLOW_CONN                                                                             \
    (CLI_ALLOW(CLI_OPT_LABEL) | CLI_ALLOW(CLI_OPT_KIND) | CLI_ALLOW(CLI_OPT_REGION) |              \
     CLI_ALLOW(CLI_OPT_STORE) | CLI_ALLOW(CLI_OPT_ENDPOINT) | CLI_ALLOW(CLI_OPT_PROFILE) |         \
     CLI_ALLOW_NET)
#define CLI_ALLOW_COMMON                                                                           \
    (CLI_ALLOW(CLI_OPT_DEBUG) | CLI_ALLOW(CLI_OPT_QUIET) | CLI_ALLOW(CLI_OPT_NO_PROGRESS) |        \
     CLI_ALLOW(CLI_OPT_HELP))

struct cli_args {
    struct cli_conn_opts conn;
    bool kind_given;
    const char *access_key_id;
    bool secret_stdin;
    bool all, live, dry_run, yes, read_only, quiet, no_progress;
    unsigned jobs;
    unsigned limit;
    unsigned long every_seconds;
    const char *status, *search, *user_id, *user_name;
    enum cli_output output;
};

/*
 * CLI_CONTINUE when parsing succeeded, else the exit status (--help printed `usage`: 0). Arguments
 * that are not options are refused: every value is named by its option.
 */
int cli_args_parse(int argc, char **argv, const char *cmd, unsigned long allowed, const char *usage,
                   struct cli_args *a);

#endif
