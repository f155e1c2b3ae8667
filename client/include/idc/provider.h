/* SPDX-License-Identifier: Apache-2.0 */
/*
 * provider.h - credentials as the AWS CLI would find them, for a client to ask for
 * (idc_client_config.credentials): keys as they are, or temporary credentials for a role
 * through STS (web identity: a CI job's OIDC token file and a role ARN). The chain is
 * resolve.h's; the STS calls are sts.h's. A provider re-reads the web identity token file
 * at every refresh, as CI platforms rotate it, and never puts the token in a message.
 */
#ifndef IDC_PROVIDER_H
#define IDC_PROVIDER_H

#include "idc/api.h"
#include "idc/client.h"
#include "idc/error.h"
#include "idc/resolve.h"

IDC_BEGIN_DECLS

struct idc_provider;

/* The web identity token file is read up to this many bytes (the model's WebIdentityToken). */
#define IDC_PROVIDER_TOKEN_MAX 20000

/*
 * Resolves the chain for `in` (idc_resolve_chain) and keeps what it needs, copied: `in`
 * may go away after. For web identity, the STS endpoint comes from AWS_ENDPOINT_URL_STS,
 * AWS_ENDPOINT_URL or the profile, never from in->endpoint_url (which is the caller's
 * service's), else sts.<region>.amazonaws.com (us-east-1 without a region).
 * Returns idc_resolve_chain's errors, IDC_ERR_NOMEM.
 */
idc_err idc_provider_new(const struct idc_resolve_input *in, struct idc_provider **out,
                         struct idc_error *err);

/*
 * An idc_credentials_fn: give it as idc_client_config.credentials with the provider as
 * credentials_ud. For web identity, reads the token file and calls STS
 * AssumeRoleWithWebIdentity; errors name the file and the role, with STS's answer.
 */
idc_err idc_provider_credentials(struct idc_credentials *out, void *provider,
                                 struct idc_error *err);

/* Where the credentials come from: "environment", "profile dev", "web identity (role ARN,
 * token file PATH)". */
const char *idc_provider_source(const struct idc_provider *p);

/* Wipes and frees; NULL is fine. The provider must outlive the clients that use it. */
void idc_provider_free(struct idc_provider *p);

IDC_END_DECLS

#endif
