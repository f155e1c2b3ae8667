/* SPDX-License-Identifier: Apache-2.0 */
/*
 * provider.c - the credential provider of provider.h: keys resolved once, or a web
 * identity's role assumed through an anonymous STS client made on first use and kept.
 */
#include "idc/provider.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "idc/sts.h"
#include "termtext.h"

struct idc_provider {
    struct idc_resolve_chain chain;
    struct idc_resolved sts; /* where STS is and how to reach it (web identity) */
    struct idc_client *client;
    char source[IDC_RESOLVE_ARN_MAX + IDC_RESOLVE_PATH_MAX + IDC_RESOLVE_SOURCE_MAX + 64];
};

/* The STS endpoint and network settings; the caller's endpoint_url is its own service's. */
static idc_err resolve_sts(const struct idc_resolve_input *in, struct idc_provider *p,
                           struct idc_error *err)
{
    struct idc_resolve_input sts_in = in ? *in : (struct idc_resolve_input){0};
    sts_in.endpoint_url = NULL;
    idc_err rc = idc_resolve_region(&sts_in, &p->sts.region, err);
    if (rc == IDC_OK && !p->sts.region.found) {
        snprintf(p->sts.region.name, sizeof p->sts.region.name, "us-east-1");
        p->sts.region.found = true;
    }
    rc =
        rc ? rc
           : idc_resolve_endpoint(&sts_in, &idc_service_sts, &p->sts.region, &p->sts.endpoint, err);
    return rc ? rc : idc_resolve_network(&sts_in, &p->sts.network, err);
}

idc_err idc_provider_new(const struct idc_resolve_input *in, struct idc_provider **out,
                         struct idc_error *err)
{
    *out = NULL;
    struct idc_provider *p = calloc(1, sizeof *p);
    if (p == NULL) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory");
    }
    idc_err rc = idc_resolve_chain(in, &p->chain, err);
    if (rc == IDC_OK && p->chain.kind == IDC_RESOLVE_WEB_IDENTITY) {
        rc = resolve_sts(in, p, err);
        char file[IDC_RESOLVE_PATH_MAX + 8];
        idc_text_escape_to(idc_str_c(p->chain.web.token_file), file, sizeof file);
        snprintf(p->source, sizeof p->source, "web identity (%s, token file %s, from the %s)",
                 p->chain.web.role_arn, file, p->chain.web.source);
    } else if (rc == IDC_OK) {
        snprintf(p->source, sizeof p->source, "%s", p->chain.creds.source);
    }
    if (rc != IDC_OK) {
        idc_provider_free(p);
        return rc;
    }
    *out = p;
    return IDC_OK;
}

const char *idc_provider_source(const struct idc_provider *p)
{
    return p ? p->source : "";
}

void idc_provider_free(struct idc_provider *p)
{
    if (p == NULL) {
        return;
    }
    idc_client_free(p->client);
    idc_resolve_chain_cleanup(&p->chain);
    idc_wipe(p, sizeof *p);
    free(p);
}

/* The token file's content, as it is now (CI platforms rotate it). */
static idc_err read_token(const struct idc_provider *p, char *token, size_t cap,
                          struct idc_error *err)
{
    const char *path = p->chain.web.token_file;
    char shown[IDC_RESOLVE_PATH_MAX + 8];
    idc_text_escape_to(idc_str_c(path), shown, sizeof shown);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return idc_error_set_native(err, IDC_ERR_IO, errno,
                                    "cannot read the web identity token file %s (from the %s): "
                                    "%s; check AWS_WEB_IDENTITY_TOKEN_FILE or "
                                    "web_identity_token_file",
                                    shown, p->chain.web.source, strerror(errno));
    }
    size_t n = fread(token, 1, cap - 1, f); /* cap - 1 > the largest token: a byte over tells */
    bool more = n > IDC_PROVIDER_TOKEN_MAX;
    bool failed = ferror(f) != 0;
    fclose(f);
    token[n] = '\0';
    if (failed || n == 0 || more) {
        return idc_error_set(err, IDC_ERR_IO, "the web identity token file %s is %s", shown,
                             failed   ? "unreadable"
                             : n == 0 ? "empty; the process that writes it has not yet"
                                      : "larger than the 20,000 bytes a token may have");
    }
    return IDC_OK;
}

/* The anonymous STS client, made on first use. */
static idc_err sts_client(struct idc_provider *p, struct idc_error *err)
{
    if (p->client != NULL) {
        return IDC_OK;
    }
    const struct idc_resolve_network *n = &p->sts.network;
    struct idc_client_config cfg = {
        .service = &idc_service_sts,
        .endpoint_url = p->sts.endpoint.url,
        .region = p->sts.endpoint.signing_region,
        .anonymous = true,
        .ca_bundle = n->ca_bundle[0] ? n->ca_bundle : NULL,
        .https_proxy = n->https_proxy[0] ? n->https_proxy : NULL,
        .no_proxy = n->no_proxy[0] ? n->no_proxy : NULL,
    };
    return idc_client_new(&p->client, &cfg, err);
}

static idc_err web_identity(struct idc_provider *p, struct idc_credentials *out,
                            struct idc_error *err)
{
    char *token = malloc(IDC_PROVIDER_TOKEN_MAX + 2);
    if (token == NULL) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory");
    }
    char session[IDC_RESOLVE_SESSION_MAX + 1];
    snprintf(session, sizeof session, "%s",
             p->chain.web.session_name[0] ? p->chain.web.session_name : "");
    if (session[0] == '\0') { /* botocore's default, with our name */
        snprintf(session, sizeof session, "libidc-session-%lld", (long long)time(NULL));
    }
    idc_err rc = read_token(p, token, IDC_PROVIDER_TOKEN_MAX + 2, err);
    rc = rc ? rc : sts_client(p, err);
    struct idc_sts_credentials cr;
    if (rc == IDC_OK) {
        struct idc_sts_role_request req = {.role_arn = p->chain.web.role_arn,
                                           .session_name = session,
                                           .web_identity_token = token};
        rc = idc_sts_assume_role_with_web_identity(p->client, &req, &cr, err);
        if (rc != IDC_OK) {
            idc_error_prefix(err, "assuming role %s with the web identity token",
                             p->chain.web.role_arn);
        }
    }
    idc_wipe(token, IDC_PROVIDER_TOKEN_MAX + 2);
    free(token);
    if (rc == IDC_OK) {
        snprintf(out->access_key_id, sizeof out->access_key_id, "%s", cr.access_key_id);
        snprintf(out->secret_access_key, sizeof out->secret_access_key, "%s", cr.secret_access_key);
        snprintf(out->session_token, sizeof out->session_token, "%s", cr.session_token);
        out->expiration = cr.expiration;
        idc_sts_credentials_wipe(&cr);
    }
    return rc;
}

idc_err idc_provider_credentials(struct idc_credentials *out, void *provider, struct idc_error *err)
{
    struct idc_provider *p = provider;
    memset(out, 0, sizeof *out);
    if (p == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "idc_provider_credentials: no provider");
    }
    if (p->chain.kind == IDC_RESOLVE_WEB_IDENTITY) {
        return web_identity(p, out, err);
    }
    const struct idc_resolve_creds *c = &p->chain.creds;
    snprintf(out->access_key_id, sizeof out->access_key_id, "%s", c->access_key_id);
    snprintf(out->secret_access_key, sizeof out->secret_access_key, "%s", c->secret_access_key);
    snprintf(out->session_token, sizeof out->session_token, "%s", c->session_token);
    return IDC_OK;
}
