/* SPDX-License-Identifier: Apache-2.0 */
/*
 * query_call.c - one awsQuery call (query_call.h), shared by iam.c and sts.c.
 */
#include "query_call.h"

#include "dynbuf.h"
#include "protocol.h"

idc_err idc_query_call(struct idc_client *c, const struct idc_service *service, const char *action,
                       const struct idc_query_param *params, size_t n, enum idc_call_kind kind,
                       struct idc_http_response *resp, struct idc_error *err)
{
    if (c == NULL || idc_client_service(c) != service) {
        return idc_error_set(err, IDC_ERR_ARG, "%s %s needs a client made with idc_service_%s%s%s",
                             service->title, action, service->signing_name, c ? ", not " : "",
                             c ? idc_service_name(idc_client_service(c)) : " (the client is NULL)");
    }
    struct idc_dynbuf form = {0};
    idc_err rc = idc_query_form(&form, action, service->api_version, params, n, err);
    if (rc == IDC_OK) {
        rc = idc_client_call(c, action, form.p, form.len, kind, resp, err);
    }
    idc_wipe(form.p, form.cap);
    idc_dynbuf_free(&form);
    return rc;
}
