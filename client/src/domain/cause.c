/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cause.c - what a failed call most likely means (directory.h): AWS's error codes of both
 * services read as the input to check (the key id, the secret, the clock, the policy, the
 * store and region), so a program can tell its user what to fix.
 */
#include <stdio.h>
#include <string.h>

#include "domain_int.h"

static bool code_is(const struct idc_error *err, const char *code)
{
    return err->code == IDC_ERR_AWS && strcmp(err->aws_code, code) == 0;
}

static bool code_in(const struct idc_error *err, const char *const *codes)
{
    for (; *codes != NULL; codes++) {
        if (code_is(err, *codes)) {
            return true;
        }
    }
    return false;
}

/* Identity Store names what it did not find; a missing store is no missing user. */
static bool store_missing(const struct idc_error *err)
{
    return code_is(err, "ResourceNotFoundException") &&
           strcmp(err->resource_type, "IDENTITY_STORE") == 0;
}

/*
 * True when the thing asked for is gone. Not when the store is missing, nor when Identity
 * Store gives a Reason (KMS_KEY_NOT_FOUND: it cannot read the store's data, which may well
 * still be there).
 */
bool idc_is_not_found(const struct idc_error *err)
{
    static const char *const codes[] = {"ResourceNotFoundException", "NoSuchEntity", NULL};
    if (err->code == IDC_ERR_NOT_FOUND) {
        return true;
    }
    return code_in(err, codes) && !store_missing(err) && err->reason[0] == '\0';
}

/*
 * "... is not authorized to perform: identitystore:ListUsers on resource ...". AWS's text
 * comes last, after the context the layers above prefix (which may quote a name from the
 * service), so the last occurrence is AWS's.
 */
static void denied_action(const char *msg, char *out, size_t cap)
{
    const char *p = NULL;
    for (const char *at = strstr(msg, "perform: "); at != NULL; at = strstr(at + 1, "perform: ")) {
        p = at;
    }
    size_t n = 0;
    if (p != NULL) {
        p += strlen("perform: ");
        n = strcspn(p, " ;,");
    }
    snprintf(out, cap, "%.*s", (int)n, p ? p : "");
}

enum idc_cause idc_directory_cause(const struct idc_error *err, char *action, size_t cap)
{
    static const char *const unknown_key[] = {"UnrecognizedClientException", "InvalidClientTokenId",
                                              NULL};
    static const char *const bad_signature[] = {"InvalidSignatureException",
                                                "SignatureDoesNotMatch", NULL};
    static const char *const expired[] = {"ExpiredToken", "ExpiredTokenException", NULL};
    static const char *const denied[] = {"AccessDeniedException", "AccessDenied", NULL};
    if (action != NULL && cap > 0) {
        action[0] = '\0';
    }
    if (err == NULL) {
        return IDC_CAUSE_OTHER;
    }
    if (err->credentials) {
        return IDC_CAUSE_CREDENTIALS;
    }
    if (code_in(err, unknown_key)) {
        return IDC_CAUSE_UNKNOWN_KEY;
    }
    if (idc_error_is_clock_skew(err)) {
        return IDC_CAUSE_CLOCK_SKEW;
    }
    if (code_in(err, bad_signature)) {
        return IDC_CAUSE_WRONG_SECRET;
    }
    if (code_in(err, expired)) {
        return IDC_CAUSE_EXPIRED_TOKEN;
    }
    if (code_in(err, denied)) {
        if (action != NULL && cap > 0) {
            denied_action(err->msg, action, cap);
        }
        return IDC_CAUSE_DENIED;
    }
    if (store_missing(err)) {
        return IDC_CAUSE_NO_STORE;
    }
    return idc_is_not_found(err) ? IDC_CAUSE_NOT_FOUND : IDC_CAUSE_OTHER;
}
