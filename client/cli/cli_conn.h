/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_conn.h - connections for idcctl's commands (cli_conn.c): a saved integration or an
 * ad-hoc one, the client for it, and the error reporting the commands share.
 */
#ifndef IDC_CLI_CONN_H
#define IDC_CLI_CONN_H

#include <stdbool.h>

#include "cli.h"
#include "idc/client.h"
#include "idc/inventory.h"

/* Connection options as given on the command line (NULL when absent). */
struct cli_conn_opts {
    const char *label;
    bool iam; /* --kind iam */
    const char *region;
    const char *store_id;
    const char *endpoint_url;
    const char *profile;
    bool debug;      /* --debug: the client's trace on stderr, secrets redacted */
    bool keys_given; /* --access-key-id: the caller fills the keys itself */
};

struct cli_conn {
    struct idc_integration in; /* the effective connection */
    bool ad_hoc;
    char scope[80]; /* the label, or the store id of an ad-hoc connection */
    struct idc_client *client;
};

/* d- and 10 hex digits, or a UUID. */
bool cli_valid_store_id(const char *s);

/* True when any ad-hoc option is given. */
bool cli_conn_is_ad_hoc(const struct cli_conn_opts *o);

/*
 * Fills `in` from ad-hoc options: region and endpoint as the aws CLI resolves them, keys
 * from the profile (only its name is kept) or the environment. Returns -1 on success,
 * else the exit code after printing the error.
 */
int cli_conn_resolve(const struct cli_conn_opts *o, struct idc_integration *in);

/*
 * The endpoint URL and signing region of `in` (its kind set) from --region and
 * --endpoint-url as the aws CLI resolves them. -1 on success, else the exit code.
 */
int cli_conn_place(const struct cli_conn_opts *o, struct idc_integration *in);

/* Opens a label's integration or an ad-hoc connection, with its client. -1 or an exit code. */
int cli_conn_open(struct cli_conn *c, const struct cli_conn_opts *o, struct idc_inventory *inv);

/* Creates c->client for c->in (a profile's keys are read now). */
idc_err cli_conn_client(struct cli_conn *c, bool debug, struct idc_error *err);

void cli_conn_close(struct cli_conn *c);

/*
 * The guide's "Next" step: one signed call (ListUsers with one result, for both kinds). -1 when
 * it passes, else the exit code after naming the likely wrong input.
 */
int cli_conn_validate(struct cli_conn *c);

/* Exit codes: 3 not found, 4 access denied, else 1. */
int cli_exit_code(const struct idc_error *err);
bool cli_err_not_found(const struct idc_error *err);
bool cli_err_denied(const struct idc_error *err);

/* "idcctl: <message> (request id ...)" and an optional hint; returns the exit code. */
int cli_report(const struct idc_error *err, const char *hint);

/* Names the input that is most likely wrong for a refused validation; the exit code. */
int cli_diagnose(const struct idc_error *err, const struct idc_integration *in);

/* Prints the policy (cli_policy.c); `only_action` limits it to that action. */
void cli_policy_print(FILE *out, bool iam, bool read_only, const char *only_action);

#endif
