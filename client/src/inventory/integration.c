/* SPDX-License-Identifier: Apache-2.0 */
/*
 * integration.c - a saved integration's directory (inventory.h): its settings are complete
 * and explicit, except where its credentials come from a chain. An integration naming a
 * profile resolves that profile at each use, and one with neither keys nor a profile
 * resolves the environment's chain (a CI job's web identity, say), through a provider
 * (provider.h) that the directory keeps, so temporary credentials are renewed as they
 * near their expiration and rotated profile keys need no update.
 */
#include "idc/inventory.h"

#include "idc/provider.h"
#include "idc/resolve.h"

idc_err idc_integration_open(const struct idc_integration *in, const struct idc_client_config *base,
                             struct idc_directory **out, struct idc_error *err)
{
    *out = NULL;
    struct idc_directory_config cfg = {.kind = in->kind, .store_id = in->store_id};
    if (base != NULL) {
        cfg.client = *base;
    }
    cfg.client.endpoint_url = in->endpoint_url;
    cfg.client.region = in->region;
    bool from_chain = in->profile[0] != '\0' || in->access_key_id[0] == '\0';
    if (from_chain) {
        struct idc_resolve_input ri = {.profile = in->profile[0] ? in->profile : NULL,
                                       .region = in->region};
        idc_err rc = idc_provider_new(&ri, &cfg.provider, err);
        if (rc != IDC_OK) {
            return idc_error_prefix(err, "integration %s", in->label);
        }
        cfg.client.access_key_id = cfg.client.secret_access_key = cfg.client.session_token = NULL;
    } else {
        cfg.client.access_key_id = in->access_key_id;
        cfg.client.secret_access_key = in->secret_access_key;
        cfg.client.session_token = in->session_token[0] ? in->session_token : NULL;
    }
    return idc_directory_open(out, &cfg, err);
}
