/* SPDX-License-Identifier: Apache-2.0 */
/*
 * query_call.h - one awsQuery call for the services that speak it (IAM, STS; library-
 * internal): the client checked against the service, the form built, sent, and wiped.
 */
#ifndef IDC_QUERY_CALL_H
#define IDC_QUERY_CALL_H

#include "aws_query.h"
#include "idc/client.h"

/*
 * Sends `action` with `params` over `c`, which must be made for `service` (else IDC_ERR_ARG:
 * "IAM ListUsers needs a client made with idc_service_iam, not ..."). The form is wiped
 * after the call: it may hold a web identity token or an MFA code. Returns
 * idc_client_call's errors.
 */
idc_err idc_query_call(struct idc_client *c, const struct idc_service *service, const char *action,
                       const struct idc_query_param *params, size_t n, enum idc_call_kind kind,
                       struct idc_http_response *resp, struct idc_error *err);

#endif
