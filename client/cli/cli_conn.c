/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_conn.c - what idcctl connects to: a saved integration (--label), which is complete
 * and explicit, or an ad-hoc connection (--region, --identity-store-id, --endpoint-url,
 * --profile) resolved from the environment and the AWS CLI's files as the aws CLI does.
 * Also the error reporting shared by the commands: exit codes, and diagnosing a refused
 * validation call into the input that is most likely wrong.
 */
#include "cli_conn.h"

#include "idc/dynbuf.h"
#include "idc/escape.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "idc/resolve.h"

/* ---- errors and exit codes ---------------------------------------------------------- */

static bool code_is(const struct idc_error *err, const char *code)
{
    return err->code == IDC_ERR_AWS && strcmp(err->aws_code, code) == 0;
}

bool cli_err_not_found(const struct idc_error *err)
{
    return err->code == IDC_ERR_NOT_FOUND || code_is(err, "ResourceNotFoundException") ||
           code_is(err, "NoSuchEntity");
}

bool cli_err_denied(const struct idc_error *err)
{
    return code_is(err, "AccessDeniedException") || code_is(err, "AccessDenied");
}

int cli_exit_code(const struct idc_error *err)
{
    if (cli_err_not_found(err)) {
        return CLI_EXIT_NOT_FOUND;
    }
    return cli_err_denied(err) ? CLI_EXIT_DENIED : CLI_EXIT_ERROR;
}

int cli_report(const struct idc_error *err, const char *hint)
{
    if (err->request_id[0]) {
        fprintf(stderr, "idcctl: %s (request id %s)\n", err->msg, err->request_id);
    } else {
        fprintf(stderr, "idcctl: %s\n", err->msg);
    }
    if (hint != NULL) {
        fprintf(stderr, "hint: %s\n", hint);
    }
    return cli_exit_code(err);
}

/* "... perform: identitystore:ListUsers on resource ..." gives the action. */
static bool denied_action(const char *msg, char *out, size_t cap)
{
    const char *p = strstr(msg, "perform: ");
    if (p == NULL) {
        return false;
    }
    p += strlen("perform: ");
    size_t n = strcspn(p, " ");
    snprintf(out, cap, "%.*s", (int)n, p);
    return n > 0;
}

int cli_diagnose(const struct idc_error *err, const struct idc_integration *in)
{
    const char *akid = in->access_key_id[0] ? in->access_key_id : "(from the profile)";
    char action[128];
    if (code_is(err, "UnrecognizedClientException") || code_is(err, "InvalidClientTokenId")) {
        fprintf(stderr, "idcctl: AWS does not know the access key id %s (unknown key id)\n", akid);
        fprintf(stderr, "hint: check the access key id, and that the key is active in IAM\n");
        return CLI_EXIT_ERROR;
    }
    if (code_is(err, "InvalidSignatureException") || code_is(err, "SignatureDoesNotMatch")) {
        bool skew = strstr(err->msg, "expired") || strstr(err->msg, "not yet current");
        fprintf(stderr, "idcctl: %s\n",
                skew ? "the request's time is outside AWS's window (clock skew)"
                     : "the secret access key does not match the access key id (wrong secret)");
        fprintf(stderr, "hint: %s\n",
                skew ? "set this machine's clock right (NTP)" : "enter the secret again");
        return CLI_EXIT_ERROR;
    }
    if (cli_err_denied(err)) {
        fprintf(stderr, "idcctl: access denied: %s\n", err->msg);
        if (denied_action(err->msg, action, sizeof action)) {
            fprintf(stderr, "hint: the integration user needs %s; a policy that grants it:\n",
                    action);
            cli_policy_print(stderr, strncmp(action, "iam:", 4) == 0, false, action);
            fprintf(stderr, "hint: `idcctl policy%s` prints everything idcctl needs\n",
                    strncmp(action, "iam:", 4) == 0 ? " --kind iam" : "");
        }
        return CLI_EXIT_DENIED;
    }
    if (code_is(err, "ResourceNotFoundException") && in->kind == IDC_KIND_IDENTITY_CENTER) {
        fprintf(stderr, "idcctl: store %s not found in region %s: check both\n", in->store_id,
                in->region);
        fprintf(stderr, "hint: AWS answers the same for a store that does not exist and for a "
                        "store in another region\n");
        return CLI_EXIT_NOT_FOUND;
    }
    return cli_report(err, NULL);
}

/* ---- resolving a connection --------------------------------------------------------- */

static bool hex_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
            return false;
        }
    }
    return true;
}

bool cli_valid_store_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 12 && s[0] == 'd' && s[1] == '-') {
        return hex_digits(s + 2, 10);
    }
    return n == 36 && hex_digits(s, 8) && s[8] == '-' && hex_digits(s + 9, 4) && s[13] == '-' &&
           hex_digits(s + 14, 4) && s[18] == '-' && hex_digits(s + 19, 4) && s[23] == '-' &&
           hex_digits(s + 24, 12);
}

static int resolve_keys(const struct cli_conn_opts *o, struct idc_integration *in,
                        struct idc_error *err)
{
    struct idc_resolve_input ri = {.profile = o->profile};
    struct idc_resolve_creds creds;
    if (idc_resolve_credentials(&ri, &creds, err) != IDC_OK) {
        return cli_report(err, "give --profile, or set AWS_ACCESS_KEY_ID and "
                               "AWS_SECRET_ACCESS_KEY");
    }
    snprintf(in->access_key_id, sizeof in->access_key_id, "%s", creds.access_key_id);
    snprintf(in->secret_access_key, sizeof in->secret_access_key, "%s", creds.secret_access_key);
    snprintf(in->session_token, sizeof in->session_token, "%s", creds.session_token);
    idc_resolve_creds_cleanup(&creds);
    return -1;
}

int cli_conn_place(const struct cli_conn_opts *o, struct idc_integration *in)
{
    struct idc_error err_store = {0}, *err = &err_store;
    struct idc_resolve_input ri = {
        .profile = o->profile, .region = o->region, .endpoint_url = o->endpoint_url};
    struct idc_resolve_region region;
    struct idc_resolve_endpoint ep;
    enum idc_service svc = in->kind == IDC_KIND_IAM ? IDC_SERVICE_IAM : IDC_SERVICE_IDENTITYSTORE;
    if (idc_resolve_region(&ri, &region, err) != IDC_OK) {
        return cli_report(err, NULL);
    }
    if (!region.found && svc == IDC_SERVICE_IDENTITYSTORE) {
        fprintf(stderr, "idcctl: no region: an Identity Store lives in one region\n"
                        "hint: give --region (or set AWS_REGION)\n");
        return CLI_EXIT_USAGE;
    }
    if (idc_resolve_endpoint(&ri, svc, &region, &ep, err) != IDC_OK) {
        return cli_report(err, NULL);
    }
    if (idc_str_copy(idc_str_c(ep.url), in->endpoint_url, sizeof in->endpoint_url,
                     "the endpoint URL", err) != IDC_OK) {
        return cli_report(err, NULL);
    }
    snprintf(in->region, sizeof in->region, "%s", ep.signing_region);
    return -1;
}

int cli_conn_resolve(const struct cli_conn_opts *o, struct idc_integration *in)
{
    struct idc_error err = {0};
    memset(in, 0, sizeof *in);
    in->kind = o->iam ? IDC_KIND_IAM : IDC_KIND_IDENTITY_CENTER;
    if (!o->iam && (o->store_id == NULL || o->store_id[0] == '\0')) {
        fprintf(stderr, "idcctl: no Identity Store id\nhint: give --identity-store-id "
                        "d-XXXXXXXXXX (or --kind iam for IAM users)\n");
        return CLI_EXIT_USAGE;
    }
    if (!o->iam && !cli_valid_store_id(o->store_id)) {
        fprintf(stderr,
                "idcctl: '%s' is not an Identity Store id\nhint: it looks like "
                "d-1234567890 (d- and 10 hex digits) or a UUID\n",
                o->store_id);
        return CLI_EXIT_USAGE;
    }
    snprintf(in->store_id, sizeof in->store_id, "%s", o->iam ? "" : o->store_id);
    snprintf(in->label, sizeof in->label, "%s", o->label ? o->label : "");
    int rc = cli_conn_place(o, in);
    if (rc >= 0) {
        return rc;
    }
    if (o->profile != NULL) {
        snprintf(in->profile, sizeof in->profile, "%s", o->profile);
        return -1; /* a profile's keys are read again at each use */
    }
    return o->keys_given ? -1 : resolve_keys(o, in, &err);
}

/* ---- opening ------------------------------------------------------------------------ */

static void trace_debug(void *ud, const char *line)
{
    (void)ud;
    fprintf(stderr, "debug: %s\n", line);
}

bool cli_conn_is_ad_hoc(const struct cli_conn_opts *o)
{
    return o->region || o->store_id || o->endpoint_url || o->profile || o->iam;
}

int cli_conn_open(struct cli_conn *c, const struct cli_conn_opts *o, struct idc_inventory *inv)
{
    struct idc_error err = {0};
    memset(c, 0, sizeof *c);
    if (o->label != NULL && cli_conn_is_ad_hoc(o)) {
        fprintf(stderr, "idcctl: give either --label or an ad-hoc connection (--region, "
                        "--identity-store-id, --endpoint-url, --profile), not both\n");
        return CLI_EXIT_USAGE;
    }
    int rc = -1;
    if (o->label != NULL) {
        if (idc_inventory_get_integration(inv, o->label, &c->in, &err) != IDC_OK) {
            return cli_report(&err, "see `idcctl integration list`");
        }
        snprintf(c->scope, sizeof c->scope, "%s", o->label);
    } else {
        c->ad_hoc = true;
        rc = cli_conn_resolve(o, &c->in);
        snprintf(c->scope, sizeof c->scope, "%s", c->in.store_id[0] ? c->in.store_id : "iam");
    }
    if (rc >= 0) {
        return rc;
    }
    return cli_conn_client(c, o->debug, &err) == IDC_OK ? -1 : cli_report(&err, NULL);
}

idc_err cli_conn_client(struct cli_conn *c, bool debug, struct idc_error *err)
{
    struct idc_resolve_creds creds = {0};
    struct idc_integration *in = &c->in;
    if (in->profile[0] != '\0') {
        struct idc_resolve_input ri = {.profile = in->profile};
        idc_err rc = idc_resolve_credentials(&ri, &creds, err);
        if (rc) {
            return rc;
        }
    }
    bool from_profile = in->profile[0] != '\0';
    struct idc_client_config cfg = {
        .service = in->kind == IDC_KIND_IAM ? IDC_SERVICE_IAM : IDC_SERVICE_IDENTITYSTORE,
        .endpoint_url = in->endpoint_url,
        .region = in->region,
        .access_key_id = from_profile ? creds.access_key_id : in->access_key_id,
        .secret_access_key = from_profile ? creds.secret_access_key : in->secret_access_key,
        .session_token = from_profile ? creds.session_token : in->session_token,
        .transport = getenv("IDCCTL_TRANSPORT"),
        .trace = debug ? trace_debug : NULL,
    };
    idc_err rc = idc_client_new(&c->client, &cfg, err);
    idc_resolve_creds_cleanup(&creds);
    return rc;
}

void cli_conn_close(struct cli_conn *c)
{
    idc_client_free(c->client);
    idc_integration_wipe(&c->in);
    c->client = NULL;
}

/* ---- validation (integration add, test, update) ------------------------------------- */

int cli_conn_validate(struct cli_conn *c)
{
    struct idc_error err = {0};
    struct idc_http_response resp;
    idc_err rc;
    if (c->in.kind == IDC_KIND_IAM) {
        /* Not GetUser without a name: AWS refuses that for role sessions (ASIA... keys). */
        const char form[] = "Action=ListUsers&MaxItems=1&Version=2010-05-08";
        rc = idc_client_call(c->client, "ListUsers", form, sizeof form - 1, IDC_CALL_READ, &resp,
                             &err);
    } else {
        struct idc_dynbuf body = {0};
        idc_dynbuf_str(&body, "{\"IdentityStoreId\":");
        idc_json_quote(&body, c->in.store_id, strlen(c->in.store_id));
        idc_dynbuf_str(&body, ",\"MaxResults\":1}");
        rc = body.failed ? idc_error_set(&err, IDC_ERR_NOMEM, "out of memory building ListUsers")
                         : idc_client_call(c->client, "ListUsers", body.p, body.len, IDC_CALL_READ,
                                           &resp, &err);
        idc_dynbuf_free(&body);
    }
    return rc == IDC_OK ? -1 : cli_diagnose(&err, &c->in);
}
