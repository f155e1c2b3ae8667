/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sts.h - AWS STS (awsQuery 2011-06-15) over a client made for idc_service_sts: who the
 * caller is (GetCallerIdentity), and temporary credentials for a role (AssumeRole, signed
 * with the caller's keys; AssumeRoleWithWebIdentity, unsigned: made with a client whose
 * configuration sets `anonymous`). The credential providers of resolve.h build on these;
 * spec/credentials.md says how the SDKs use them. STS is regional:
 * https://sts.<region>.amazonaws.com.
 */
#ifndef IDC_STS_H
#define IDC_STS_H

#include <stdint.h>

#include "idc/api.h"
#include "idc/client.h"
#include "idc/error.h"

IDC_BEGIN_DECLS

/* The service: give it as idc_client_config.service. */
extern const struct idc_service idc_service_sts;

/* Lengths from the botocore model (arnType 2048, accessKeyIdType 128, ...). */
#define IDC_STS_ARN_MAX     2048
#define IDC_STS_ID_MAX      193 /* assumedRoleIdType: AROA...:session */
#define IDC_STS_ACCOUNT_MAX 12
#define IDC_STS_KEY_ID_MAX  128
#define IDC_STS_SECRET_MAX  128
#define IDC_STS_TOKEN_MAX   4096 /* as idc_client_config keeps it */
#define IDC_STS_SESSION_MAX 64   /* roleSessionNameType */

/* GetCallerIdentity's answer. */
struct idc_sts_identity {
    char account[IDC_STS_ACCOUNT_MAX + 1];
    char arn[IDC_STS_ARN_MAX + 1];    /* user/NAME, or assumed-role/ROLE/SESSION */
    char user_id[IDC_STS_ID_MAX + 1]; /* AIDA..., or AROA...:SESSION */
};

/* Temporary credentials; the secret and the token are wiped by idc_sts_credentials_wipe. */
struct idc_sts_credentials {
    char access_key_id[IDC_STS_KEY_ID_MAX + 1];
    char secret_access_key[IDC_STS_SECRET_MAX + 1];
    char session_token[IDC_STS_TOKEN_MAX + 1];
    int64_t expiration;                         /* seconds since the epoch */
    char assumed_role_arn[IDC_STS_ARN_MAX + 1]; /* arn:aws:sts::ACCOUNT:assumed-role/R/S */
};

/* What AssumeRole and AssumeRoleWithWebIdentity are asked; NULL or 0 leaves a part out. */
struct idc_sts_role_request {
    const char *role_arn;           /* required */
    const char *session_name;       /* required: 2..64 of [\w+=,.@-] */
    int duration_seconds;           /* 0: the role's default (3600) */
    const char *external_id;        /* AssumeRole only */
    const char *mfa_serial;         /* AssumeRole only, with mfa_code */
    const char *mfa_code;           /* six digits */
    const char *web_identity_token; /* AssumeRoleWithWebIdentity only: the JWT, never logged */
};

/* Who signs the client's requests. IDC_ERR_AWS as STS answered; IDC_ERR_PARSE for an
 * answer without Arn, UserId and Account. */
idc_err idc_sts_get_caller_identity(struct idc_client *c, struct idc_sts_identity *out,
                                    struct idc_error *err);

/* Temporary credentials for req->role_arn, signed with the client's credentials. */
idc_err idc_sts_assume_role(struct idc_client *c, const struct idc_sts_role_request *req,
                            struct idc_sts_credentials *out, struct idc_error *err);

/* Temporary credentials for req->role_arn for the holder of req->web_identity_token; the
 * client must be anonymous (the call is unsigned, as the SDKs send it). */
idc_err idc_sts_assume_role_with_web_identity(struct idc_client *c,
                                              const struct idc_sts_role_request *req,
                                              struct idc_sts_credentials *out,
                                              struct idc_error *err);

/* Wipes the secret and the token. */
void idc_sts_credentials_wipe(struct idc_sts_credentials *creds);

IDC_END_DECLS

#endif
