/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_conn.h - connections for idcctl's commands (cli_conn.c): a saved integration or an
 * ad-hoc one, the directory opened for it, and the error reporting the commands share.
 */
#ifndef IDC_CLI_CONN_H
#define IDC_CLI_CONN_H

#include <stdbool.h>

#include "cli.h"
#include "idc/directory.h"
#include "idc/inventory.h"
#include "idc/resolve.h"

/* Connection options as given on the command line (NULL when absent). */
struct cli_conn_opts {
    const char *label;
    bool iam; /* --kind iam */
    const char *region;
    const char *store_id;
    const char *endpoint_url;
    const char *profile;
    bool debug;             /* --debug: the client's trace on stderr, secrets redacted */
    bool quiet;             /* --quiet: no retry announcements */
    bool keys_given;        /* --access-key-id: the caller fills the keys itself */
    int timeout_ms;         /* --timeout: one attempt as a whole; 0: the library's 60 s */
    int connect_timeout_ms; /* --connect-timeout; 0: the library's 10 s */
};

struct cli_conn {
    struct idc_integration in; /* the effective connection */
    bool ad_hoc;
    char scope[80]; /* the label, or the store id of an ad-hoc connection */
    struct idc_directory *dir;
};

/*
 * What every connection of idcctl shares: the network settings the aws CLI would use
 * (HTTPS_PROXY, NO_PROXY, AWS_CA_BUNDLE), idcctl's User-Agent, the transport
 * (IDCCTL_TRANSPORT), the timeouts, --debug's trace and the retry announcements on stderr
 * (waits over a second, unless --quiet). `cfg` points into the struct.
 */
struct cli_client_base {
    struct idc_resolve_network network;
    char user_agent[64];
    struct idc_client_config cfg;
};

/*
 * Fills `b` for the options `o`; `profile` (may be NULL) is the connection's profile, whose
 * ca_bundle counts; `scope` (a label, may be NULL) names the connection in retry
 * announcements and must outlive the client. IDC_OK, or what is wrong with the environment.
 */
idc_err cli_client_base_init(struct cli_client_base *b, const struct cli_conn_opts *o,
                             const char *profile, const char *scope, struct idc_error *err);

/* True when any ad-hoc option is given. */
bool cli_conn_is_ad_hoc(const struct cli_conn_opts *o);

/*
 * Fills `in` from ad-hoc options: region and endpoint as the aws CLI resolves them, keys
 * from the profile (only its name is kept) or the environment. Returns CLI_CONTINUE, else
 * the exit code after printing the error.
 */
int cli_conn_resolve(const struct cli_conn_opts *o, struct idc_integration *in);

/*
 * The endpoint URL and signing region of `in` (its kind set) from --region and
 * --endpoint-url as the aws CLI resolves them. CLI_CONTINUE, else the exit code.
 */
int cli_conn_place(const struct cli_conn_opts *o, struct idc_integration *in);

/* Opens a label's integration or an ad-hoc connection with its directory. CLI_CONTINUE or
 * the exit code. */
int cli_conn_open(struct cli_conn *c, const struct cli_conn_opts *o, struct idc_inventory *inv);

/* Opens c->dir for c->in (a profile's keys are read now) with the network options of `o`.
 * CLI_CONTINUE or the exit code. */
int cli_conn_connect(struct cli_conn *c, const struct cli_conn_opts *o);

void cli_conn_close(struct cli_conn *c);

/*
 * The guide's "Next" step: one signed call (idc_directory_check). CLI_CONTINUE when it
 * passes, else the exit code after naming the likely wrong input.
 */
int cli_conn_validate(struct cli_conn *c);

/* Exit codes: 3 not found, 4 access denied, else 1. */
int cli_exit_code(const struct idc_error *err);

/* "idcctl: <message> (request id ...)" and an optional hint; returns the exit code. */
int cli_report(const struct idc_error *err, const char *hint);

/* Names the input that is most likely wrong for a refused call; the exit code. */
int cli_diagnose(const struct idc_error *err, const struct idc_integration *in);

/* Prints the policy (cli_policy.c); `only_action` limits it to that action. */
void cli_policy_print(FILE *out, enum idc_kind kind, bool read_only, const char *only_action);

#endif
