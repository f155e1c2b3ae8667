/* SPDX-License-Identifier: Apache-2.0 */
/*
 * service.h - a service descriptor: an AWS service's signing name, endpoints and protocol
 * (awsJson1_1 or awsQuery). The services define theirs (idc_service_identitystore in
 * identitystore.h, idc_service_iam in iam.h) and a client is made for one (client.h); the
 * client core sends requests as the descriptor says and knows no service by name.
 */
#ifndef IDC_SERVICE_H
#define IDC_SERVICE_H

#include "idc/api.h"

IDC_BEGIN_DECLS

/* Opaque: use the services' own descriptors. */
struct idc_service;

/* The service's signing name, such as "identitystore" or "iam". */
const char *idc_service_name(const struct idc_service *service);

IDC_END_DECLS

#endif
