/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_policy.c - the least-privilege IAM policy for exactly the calls idcctl makes
 * (`idcctl policy`), and the statement to print when AWS denies one of them. The actions
 * are the library's (idc_kind_actions): the calls are made there.
 */
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "cli_args.h"
#include "cli_conn.h"

void cli_policy_print(FILE *out, enum idc_kind kind, bool read_only, const char *only_action)
{
    const char *const *list;
    size_t count = idc_kind_actions(kind, read_only, &list);
    fprintf(out,
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n"
            "      \"Sid\": \"%s\",\n      \"Effect\": \"Allow\",\n      \"Action\": [",
            kind == IDC_KIND_IAM ? "IdcctlIamUsers" : "IdcctlIdentityCenter");
    size_t shown = 0;
    for (size_t i = 0; i < count; i++) {
        if (only_action == NULL || strcasecmp(only_action, list[i]) == 0) {
            fprintf(out, "%s\n        \"%s\"", shown++ ? "," : "", list[i]);
        }
    }
    if (only_action != NULL && shown == 0) {
        fprintf(out, "\n        \"%s\"", only_action);
    }
    fprintf(out, "\n      ],\n      \"Resource\": \"*\"\n    }\n  ]\n}\n");
}

static const char policy_usage[] =
    "usage: idcctl policy [--kind identitycenter|iam] [--read-only]\n"
    "\n"
    "Prints the least-privilege IAM policy the integration user needs for exactly the calls\n"
    "idcctl makes. identitycenter (the default): listing users with their status, looking a\n"
    "user up, deleting a user and its group memberships. iam: listing IAM users with their\n"
    "sign-in facts and the whole delete cascade. --read-only leaves out every delete.\n"
    "\n"
    "Note: a policy of iam:* actions only (such as iam:Get*, iam:List*, iam:DeleteUser)\n"
    "cannot list or delete IAM Identity Center users: those need identitystore:* actions.\n";

int cli_policy_main(int argc, char **argv)
{
    struct cli_args a;
    int rc =
        cli_args_parse(argc, argv, "policy",
                       CLI_ALLOW(CLI_OPT_KIND) | CLI_ALLOW(CLI_OPT_READ_ONLY) | CLI_ALLOW_COMMON,
                       policy_usage, &a);
    if (rc != CLI_CONTINUE) {
        return rc;
    }
    cli_policy_print(stdout, a.conn.iam ? IDC_KIND_IAM : IDC_KIND_IDENTITY_CENTER, a.read_only,
                     NULL);
    return CLI_EXIT_OK;
}
