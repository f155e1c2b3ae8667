/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_conn.c - what idcctl connects to: a saved integration (--label), which is complete
 * and explicit, or an ad-hoc connection (--region, --identity-store-id, --endpoint-url,
 * --profile) resolved from the environment and the AWS CLI's files as the aws CLI does.
 * Also the error reporting shared by the commands: exit codes, and the wording of a
 * refused call's likely cause (idc_directory_cause) for the person at the terminal.
 */
#include "cli_conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idc/version.h"

/* ---- errors and exit codes ---------------------------------------------------------- */

int cli_exit_code(const struct idc_error *err)
{
    switch (idc_directory_cause(err, NULL, 0)) {
    case IDC_CAUSE_NOT_FOUND:
    case IDC_CAUSE_NO_STORE:
        return CLI_EXIT_NOT_FOUND;
    case IDC_CAUSE_DENIED:
        return CLI_EXIT_DENIED;
    case IDC_CAUSE_CREDENTIALS: /* STS refused the role */
        return strcmp(err->aws_code, "AccessDenied") == 0 ? CLI_EXIT_DENIED : CLI_EXIT_ERROR;
    default:
        return CLI_EXIT_ERROR;
    }
}

int cli_report(const struct idc_error *err, const char *hint)
{
    if (err->request_id[0]) {
        cli_line(stderr, "idcctl: %s (request id %s)", err->msg, err->request_id);
    } else {
        cli_line(stderr, "idcctl: %s", err->msg);
    }
    if (hint != NULL) {
        cli_line(stderr, "hint: %s", hint);
    }
    return cli_exit_code(err);
}

static int say(int status, const char *problem, const char *hint)
{
    cli_line(stderr, "idcctl: %s", problem);
    cli_line(stderr, "hint: %s", hint);
    return status;
}

static int denied(const struct idc_error *err, const char *action)
{
    cli_line(stderr, "idcctl: access denied: %s", err->msg);
    if (action[0] != '\0') {
        enum idc_kind kind =
            strncmp(action, "iam:", 4) == 0 ? IDC_KIND_IAM : IDC_KIND_IDENTITY_CENTER;
        fprintf(stderr, "hint: the integration user needs %s; a policy that grants it:\n", action);
        cli_policy_print(stderr, kind, false, action);
        fprintf(stderr, "hint: `idcctl policy%s` prints everything idcctl needs\n",
                kind == IDC_KIND_IAM ? " --kind iam" : "");
    }
    return CLI_EXIT_DENIED;
}

/* What to check when getting credentials failed: STS's answer to a web identity. */
static const char *credentials_hint(const struct idc_error *err)
{
    if (strncmp(err->aws_code, "ExpiredToken", 12) == 0) {
        return "the web identity token has expired: the process that writes "
               "AWS_WEB_IDENTITY_TOKEN_FILE (the CI platform) must renew it";
    }
    if (strcmp(err->aws_code, "InvalidIdentityToken") == 0) {
        return "check that the role's account has an OIDC provider for the token's issuer, "
               "with the token's audience among its client ids";
    }
    if (strcmp(err->aws_code, "AccessDenied") == 0 ||
        strcmp(err->aws_code, "IDPRejectedClaim") == 0) {
        return "check AWS_ROLE_ARN (or role_arn), and that the role's trust policy allows this "
               "token's subject and audience";
    }
    return NULL;
}

int cli_diagnose(const struct idc_error *err, const struct idc_integration *in)
{
    char action[128], problem[256];
    const char *akid = in->access_key_id[0] ? in->access_key_id : "(from the profile)";
    switch (idc_directory_cause(err, action, sizeof action)) {
    case IDC_CAUSE_UNKNOWN_KEY:
        snprintf(problem, sizeof problem, "AWS does not know the access key id %s (unknown key id)",
                 akid);
        return say(CLI_EXIT_ERROR, problem,
                   "check the access key id, and that the key is active in IAM");
    case IDC_CAUSE_CLOCK_SKEW:
        return say(CLI_EXIT_ERROR, "the request's time is outside AWS's window (clock skew)",
                   "set this machine's clock right (NTP)");
    case IDC_CAUSE_WRONG_SECRET:
        return say(CLI_EXIT_ERROR,
                   "the secret access key does not match the access key id (wrong secret)",
                   "enter the secret again");
    case IDC_CAUSE_EXPIRED_TOKEN:
        return say(CLI_EXIT_ERROR, "the session token has expired (temporary keys)",
                   "get fresh keys, or use a profile (--profile) that refreshes them");
    case IDC_CAUSE_DENIED:
        return denied(err, action);
    case IDC_CAUSE_NO_STORE:
        snprintf(problem, sizeof problem, "store %s not found in region %s: check both",
                 in->store_id, in->region);
        return say(CLI_EXIT_NOT_FOUND, problem,
                   "AWS answers the same for a store that does not exist and for a store in "
                   "another region");
    case IDC_CAUSE_CREDENTIALS:
        return cli_report(err, credentials_hint(err));
    case IDC_CAUSE_NOT_FOUND:
    case IDC_CAUSE_OTHER:
        break;
    }
    return cli_report(err, NULL);
}

/* ---- what every connection shares -------------------------------------------------- */

static void trace_debug(const char *line, void *ud)
{
    (void)ud;
    cli_line(stderr, "debug: %s", line);
}

/* A wait of over a second between attempts, on stderr: a long silence looks like a hang.
 * On a terminal the line first clears whatever progress line is there. */
static void announce_retry(const struct idc_retry_notice *n, void *ud)
{
    const char *scope = ud;
    if (n->wait_ms <= 1000) {
        return;
    }
    fprintf(stderr, "%sidcctl: %s%s%s%s failed (%s); trying again in %.1f s%s (attempt %d of %d)\n",
            isatty(STDERR_FILENO) ? "\r\033[K" : "", scope ? "[" : "", scope ? scope : "",
            scope ? "] " : "", n->operation, n->cause->msg, n->wait_ms / 1000.0,
            n->server_asked ? ", as the server asked" : "", n->attempt, n->max_attempts);
}

idc_err cli_client_base_init(struct cli_client_base *b, const struct cli_conn_opts *o,
                             const char *profile, const char *scope, struct idc_error *err)
{
    memset(b, 0, sizeof *b);
    struct idc_resolve_input in = {.profile = profile};
    idc_err rc = idc_resolve_network(&in, &b->network, err);
    if (rc != IDC_OK) {
        return rc;
    }
    snprintf(b->user_agent, sizeof b->user_agent, "idcctl/%s libidc/%s", IDC_VERSION_STRING,
             idc_version());
    b->cfg = (struct idc_client_config){
        .transport = getenv("IDCCTL_TRANSPORT"),
        .ca_bundle = b->network.ca_bundle,
        .https_proxy = b->network.https_proxy,
        .no_proxy = b->network.no_proxy,
        .user_agent = b->user_agent,
        .timeout_ms = o->timeout_ms,
        .connect_timeout_ms = o->connect_timeout_ms,
        .trace = o->debug ? trace_debug : NULL,
        .on_retry = o->quiet ? NULL : announce_retry,
        .on_retry_ud = (void *)scope,
    };
    return IDC_OK;
}

/* ---- resolving a connection --------------------------------------------------------- */

/* Keys as the environment gives them; for a web identity (AWS_ROLE_ARN and a token file),
 * none: the connection resolves the environment's chain at each use, and STS gives it
 * temporary keys as they are needed. */
static int resolve_keys(const struct cli_conn_opts *o, struct idc_integration *in)
{
    struct idc_error err = {0};
    struct idc_resolve_input ri = {.profile = o->profile};
    struct idc_resolve_chain chain;
    if (idc_resolve_chain(&ri, &chain, &err) != IDC_OK) {
        return cli_report(&err, "give --profile, or set AWS_ACCESS_KEY_ID and "
                                "AWS_SECRET_ACCESS_KEY (or AWS_ROLE_ARN and "
                                "AWS_WEB_IDENTITY_TOKEN_FILE)");
    }
    if (chain.kind == IDC_RESOLVE_KEYS) {
        const struct idc_resolve_creds *c = &chain.creds;
        snprintf(in->access_key_id, sizeof in->access_key_id, "%s", c->access_key_id);
        snprintf(in->secret_access_key, sizeof in->secret_access_key, "%s", c->secret_access_key);
        snprintf(in->session_token, sizeof in->session_token, "%s", c->session_token);
    }
    idc_resolve_chain_cleanup(&chain);
    return CLI_CONTINUE;
}

int cli_conn_place(const struct cli_conn_opts *o, struct idc_integration *in)
{
    struct idc_error err = {0};
    struct idc_resolve_input ri = {
        .profile = o->profile, .region = o->region, .endpoint_url = o->endpoint_url};
    struct idc_resolve_region region;
    struct idc_resolve_endpoint ep;
    if (idc_resolve_region(&ri, &region, &err) != IDC_OK) {
        return cli_report(&err, NULL);
    }
    if (!region.found && in->kind == IDC_KIND_IDENTITY_CENTER) {
        fprintf(stderr, "idcctl: no region: an Identity Store lives in one region\n"
                        "hint: give --region (or set AWS_REGION)\n");
        return CLI_EXIT_USAGE;
    }
    if (idc_resolve_endpoint(&ri, idc_kind_service(in->kind), &region, &ep, &err) != IDC_OK ||
        idc_str_copy(idc_str_c(ep.url), in->endpoint_url, sizeof in->endpoint_url,
                     "the endpoint URL", &err) != IDC_OK) {
        return cli_report(&err, NULL);
    }
    snprintf(in->region, sizeof in->region, "%s", ep.signing_region);
    return CLI_CONTINUE;
}

/* The store id of an ad-hoc Identity Center connection: given and well formed. */
static int check_store_id(const struct cli_conn_opts *o)
{
    if (o->store_id == NULL || o->store_id[0] == '\0') {
        fprintf(stderr, "idcctl: no Identity Store id\nhint: give --identity-store-id "
                        "d-XXXXXXXXXX (or --kind iam for IAM users)\n");
        return CLI_EXIT_USAGE;
    }
    if (!idc_store_id_valid(o->store_id)) {
        cli_line(stderr, "idcctl: '%s' is not an Identity Store id", o->store_id);
        fputs("hint: it looks like d-1234567890 (d- and 10 hex digits) or a UUID\n", stderr);
        return CLI_EXIT_USAGE;
    }
    return CLI_CONTINUE;
}

int cli_conn_resolve(const struct cli_conn_opts *o, struct idc_integration *in)
{
    memset(in, 0, sizeof *in);
    in->kind = o->iam ? IDC_KIND_IAM : IDC_KIND_IDENTITY_CENTER;
    int rc = o->iam ? CLI_CONTINUE : check_store_id(o);
    if (rc != CLI_CONTINUE) {
        return rc;
    }
    snprintf(in->store_id, sizeof in->store_id, "%s", o->iam ? "" : o->store_id);
    snprintf(in->label, sizeof in->label, "%s", o->label ? o->label : "");
    rc = cli_conn_place(o, in);
    if (rc != CLI_CONTINUE) {
        return rc;
    }
    if (o->profile != NULL) {
        snprintf(in->profile, sizeof in->profile, "%s", o->profile);
        return CLI_CONTINUE; /* a profile's keys are read again at each use */
    }
    return o->keys_given ? CLI_CONTINUE : resolve_keys(o, in);
}

/* ---- opening ------------------------------------------------------------------------ */

bool cli_conn_is_ad_hoc(const struct cli_conn_opts *o)
{
    return o->region || o->store_id || o->endpoint_url || o->profile || o->iam;
}

static int conn_open(struct cli_conn *c, const struct cli_conn_opts *o, struct idc_inventory *inv);

int cli_conn_open(struct cli_conn *c, const struct cli_conn_opts *o, struct idc_inventory *inv)
{
    int rc = conn_open(c, o, inv);
    if (rc != CLI_CONTINUE) {
        cli_conn_close(c); /* the keys read so far are wiped */
    }
    return rc;
}

static int conn_open(struct cli_conn *c, const struct cli_conn_opts *o, struct idc_inventory *inv)
{
    struct idc_error err = {0};
    memset(c, 0, sizeof *c);
    if (o->label != NULL && cli_conn_is_ad_hoc(o)) {
        fprintf(stderr, "idcctl: give either --label or an ad-hoc connection (--region, "
                        "--identity-store-id, --endpoint-url, --profile), not both\n");
        return CLI_EXIT_USAGE;
    }
    if (o->label != NULL) {
        if (idc_inventory_get_integration(inv, o->label, &c->in, &err) != IDC_OK) {
            return cli_report(&err, "see `idcctl integration list`");
        }
        snprintf(c->scope, sizeof c->scope, "%s", o->label);
    } else {
        c->ad_hoc = true;
        int rc = cli_conn_resolve(o, &c->in);
        if (rc != CLI_CONTINUE) {
            return rc;
        }
        snprintf(c->scope, sizeof c->scope, "%s", c->in.store_id[0] ? c->in.store_id : "iam");
    }
    return cli_conn_connect(c, o);
}

int cli_conn_connect(struct cli_conn *c, const struct cli_conn_opts *o)
{
    struct cli_client_base base;
    struct idc_error err = {0};
    const char *profile = c->in.profile[0] ? c->in.profile : NULL;
    const char *scope = c->in.label[0] ? c->in.label : NULL;
    if (cli_client_base_init(&base, o, profile, scope, &err) != IDC_OK ||
        idc_integration_open(&c->in, &base.cfg, &c->dir, &err) != IDC_OK) {
        return cli_report(&err, NULL);
    }
    return CLI_CONTINUE;
}

void cli_conn_close(struct cli_conn *c)
{
    idc_directory_free(c->dir);
    idc_integration_wipe(&c->in);
    c->dir = NULL;
}

/* ---- validation (integration add, test, update) ------------------------------------- */

int cli_conn_validate(struct cli_conn *c)
{
    struct idc_error err = {0};
    if (idc_directory_check(c->dir, &err) != IDC_OK) {
        return cli_diagnose(&err, &c->in);
    }
    return CLI_CONTINUE;
}
