/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c - idcctl's entry point: global options and the command table.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "idc/version.h"

static const char usage_text[] =
    "usage: idcctl <command> [options]\n"
    "\n"
    "Commands:\n"
    "  integration     add, list, test, update (rotate keys) or remove an integration\n"
    "  sync            pull every user, with its status, into the local inventory\n"
    "  sync-runs       list the recorded syncs and why any failed\n"
    "  users           list users (inventory or --live), `users show`, `users delete`\n"
    "  audit           list what idcctl deleted\n"
    "  policy          print the least-privilege IAM policy idcctl needs\n"
    "  sigv4 sign      sign a raw HTTP request and print the signed request\n"
    "  sigv4 verify    run SigV4 test-vector folders and report each failing case\n"
    "  sigv4 speed     measure signatures per second against the crypto floor\n"
    "\n"
    "Options (every command): --debug (the HTTP trace on stderr, secrets redacted), --quiet\n"
    "(only the requested data and errors), --no-progress, --help. Every command that talks to\n"
    "AWS also takes --timeout SECONDS (one attempt as a whole, default 60) and\n"
    "--connect-timeout SECONDS (DNS, TCP, proxy and TLS, default 10); waits of over a\n"
    "second between attempts are announced on stderr.\n"
    "State: $IDC_HOME, else ${XDG_STATE_HOME:-~/.local/state}/idcctl (folder 0700, database\n"
    "0600).\n"
    "\n"
    "Options:\n"
    "  -h, --help      show this help (every command has its own --help)\n"
    "  --version       show the version, the crypto backend and the libraries built with\n"
    "\n"
    "Exit status: 0 ok, 1 error, 2 usage, 3 not found, 4 access denied,\n"
    "5 some integrations failed.\n";

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
};

static const struct command commands[] = {
    {"integration", cli_integration_main},
    {"sync", cli_sync_main},
    {"sync-runs", cli_sync_runs_main},
    {"users", cli_users_main},
    {"audit", cli_audit_main},
    {"policy", cli_policy_main},
    {"sigv4", cli_sigv4_main},
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage_text, stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("idcctl %s (libidc %s, %s backend: %s)\nbuilt with %s\n", IDC_VERSION_STRING,
               idc_version(), IDC_BACKEND, idc_crypto_library(), idc_build_libraries());
        return CLI_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    cli_line(stderr, "idcctl: unknown command '%s'", argv[1]);
    fputs("hint: run 'idcctl --help'\n", stderr);
    return CLI_EXIT_USAGE;
}
