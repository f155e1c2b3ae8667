/* SPDX-License-Identifier: Apache-2.0 */
/*
 * integration.c - a saved integration's directory (inventory.h): its settings are complete
 * and explicit, except that an integration naming a profile reads that profile's keys at
 * each use, through the resolver, so rotated profile keys need no update.
 */
#include "idc/inventory.h"

#include "idc/resolve.h"

idc_err idc_integration_open(const struct idc_integration *in, const struct idc_client_config *base,
                             struct idc_directory **out, struct idc_error *err)
{
    *out = NULL;
    struct idc_resolve_creds creds = {0};
    bool from_profile = in->profile[0] != '\0';
    if (from_profile) {
        struct idc_resolve_input ri = {.profile = in->profile};
        idc_err rc = idc_resolve_credentials(&ri, &creds, err);
        if (rc != IDC_OK) {
            return idc_error_prefix(err, "integration %s", in->label);
        }
    }
    struct idc_directory_config cfg = {.kind = in->kind, .store_id = in->store_id};
    if (base != NULL) {
        cfg.client = *base;
    }
    cfg.client.endpoint_url = in->endpoint_url;
    cfg.client.region = in->region;
    cfg.client.access_key_id = from_profile ? creds.access_key_id : in->access_key_id;
    cfg.client.secret_access_key = from_profile ? creds.secret_access_key : in->secret_access_key;
    const char *token = from_profile ? creds.session_token : in->session_token;
    cfg.client.session_token = token[0] ? token : NULL;
    idc_err rc = idc_directory_open(out, &cfg, err);
    idc_resolve_creds_cleanup(&creds);
    return rc;
}
