/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sts.c - the STS service (sts.h) over the scripted in-memory transport of
 * fake_transport.h: the forms GetCallerIdentity, AssumeRole and AssumeRoleWithWebIdentity
 * send (the last one unsigned, from an anonymous client), the answers read as STS renders
 * them, and the answers refused: missing or over-long fields, a bad expiration, errors.
 */
#include "unit.h"

#include <stdbool.h>
#include <stdlib.h>

#include "fake_transport.h"
#include "idc/client.h"
#include "idc/sts.h"

#define TEST_ENDPOINT "https://sts.us-east-1.amazonaws.com"
#define STS_XMLNS     "https://sts.amazonaws.com/doc/2011-06-15/"
#define STS_ANSWER(op, result)                                                                     \
    "<" op "Response xmlns=\"" STS_XMLNS "\"><" op "Result>" result "</" op "Result>"              \
    "<ResponseMetadata><RequestId>rid-sts</RequestId></ResponseMetadata></" op "Response>"
#define CREDENTIALS(expiration)                                                                    \
    "<Credentials><AccessKeyId>ASIAEXAMPLESESSION01</AccessKeyId>"                                 \
    "<SecretAccessKey>sessionSecretEXAMPLEKEYsessionSecret0001</SecretAccessKey>"                  \
    "<SessionToken>FwoGZXIvYXdzEXAMPLETOKEN</SessionToken><Expiration>" expiration                 \
    "</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROAEXAMPLEROLE0001:ci"            \
    "</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/ci-idcctl/ci</Arn>"               \
    "</AssumedRoleUser>"

static void client_start(struct fake *f, const struct fake_step *steps, size_t count,
                         bool anonymous)
{
    f->steps = steps;
    f->count = count;
    f->content_type = "text/xml";
    struct idc_client_config cfg = fake_client_config(f);
    cfg.service = &idc_service_sts;
    cfg.endpoint_url = TEST_ENDPOINT;
    if (anonymous) {
        cfg.anonymous = true;
        cfg.access_key_id = cfg.secret_access_key = NULL;
    }
    assert_int_equal(idc_client_new(&f->client, &cfg, &f->err), IDC_OK);
}

static void test_sts_get_caller_identity(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200,
         .body =
             STS_ANSWER("GetCallerIdentity",
                        "<Arn>arn:aws:iam::123456789012:user/alice</Arn>"
                        "<UserId>AIDAALICEEXAMPLE00001</UserId><Account>123456789012</Account>")},
    };
    client_start(f, s, N_OF(s), false);
    struct idc_sts_identity id;
    assert_int_equal(idc_sts_get_caller_identity(f->client, &id, &f->err), IDC_OK);
    assert_string_equal(id.account, "123456789012");
    assert_string_equal(id.arn, "arn:aws:iam::123456789012:user/alice");
    assert_string_equal(id.user_id, "AIDAALICEEXAMPLE00001");
    assert_string_equal(f->seen[0].body, "Action=GetCallerIdentity&Version=2011-06-15");
    assert_non_null(fake_seen_header(&f->seen[0], "Authorization"));
    assert_non_null(
        strstr(fake_seen_header(&f->seen[0], "Authorization"), "/us-east-1/sts/aws4_request"));
}

static void test_sts_assume_role(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200, .body = STS_ANSWER("AssumeRole", CREDENTIALS("2026-12-07T14:00:00Z"))},
    };
    client_start(f, s, N_OF(s), false);
    struct idc_sts_role_request req = {.role_arn = "arn:aws:iam::123456789012:role/ci-idcctl",
                                       .session_name = "ci",
                                       .duration_seconds = 900,
                                       .external_id = "ext-1",
                                       .mfa_serial = "arn:aws:iam::123456789012:mfa/alice",
                                       .mfa_code = "123456"};
    struct idc_sts_credentials cr;
    assert_int_equal(idc_sts_assume_role(f->client, &req, &cr, &f->err), IDC_OK);
    assert_string_equal(cr.access_key_id, "ASIAEXAMPLESESSION01");
    assert_string_equal(cr.secret_access_key, "sessionSecretEXAMPLEKEYsessionSecret0001");
    assert_string_equal(cr.session_token, "FwoGZXIvYXdzEXAMPLETOKEN");
    assert_int_equal(cr.expiration, 1796652000); /* 2026-12-07T14:00:00Z */
    assert_string_equal(cr.assumed_role_arn, "arn:aws:sts::123456789012:assumed-role/ci-idcctl/ci");
    fake_assert_param(f, 0, "Action", "AssumeRole");
    fake_assert_param(f, 0, "RoleArn", "arn:aws:iam::123456789012:role/ci-idcctl");
    fake_assert_param(f, 0, "RoleSessionName", "ci");
    fake_assert_param(f, 0, "DurationSeconds", "900");
    fake_assert_param(f, 0, "ExternalId", "ext-1");
    fake_assert_param(f, 0, "SerialNumber", "arn:aws:iam::123456789012:mfa/alice");
    fake_assert_param(f, 0, "TokenCode", "123456");
    idc_sts_credentials_wipe(&cr);
    assert_string_equal(cr.secret_access_key, "");
}

/* The web identity call goes unsigned, from a client that holds no keys at all. */
static void test_sts_web_identity_unsigned(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200,
         .body = STS_ANSWER(
             "AssumeRoleWithWebIdentity",
             CREDENTIALS("2026-12-07T14:00:00Z") "<SubjectFromWebIdentityToken>repo:example/app</"
                                                 "SubjectFromWebIdentityToken>")},
    };
    client_start(f, s, N_OF(s), true);
    struct idc_sts_role_request req = {.role_arn = "arn:aws:iam::123456789012:role/ci-idcctl",
                                       .session_name = "gha-1",
                                       .web_identity_token = "eyJhbGciOiJIUzI1NiJ9.e30.sig"};
    struct idc_sts_credentials cr;
    assert_int_equal(idc_sts_assume_role_with_web_identity(f->client, &req, &cr, &f->err), IDC_OK);
    assert_string_equal(cr.access_key_id, "ASIAEXAMPLESESSION01");
    assert_null(fake_seen_header(&f->seen[0], "Authorization"));
    assert_null(fake_seen_header(&f->seen[0], "X-Amz-Date"));
    fake_assert_param(f, 0, "Action", "AssumeRoleWithWebIdentity");
    fake_assert_param(f, 0, "WebIdentityToken", "eyJhbGciOiJIUzI1NiJ9.e30.sig");
    fake_assert_param(f, 0, "DurationSeconds", NULL);
    idc_sts_credentials_wipe(&cr);
}

static void test_sts_refusals(void **state)
{
    struct fake *f = *state;
    const struct fake_step denied[] = {
        {.status = 403,
         .body = "<ErrorResponse xmlns=\"" STS_XMLNS "\"><Error><Type>Sender</Type><Code>"
                 "AccessDenied</Code><Message>Not authorized to perform "
                 "sts:AssumeRoleWithWebIdentity</Message></Error><RequestId>rid-9</RequestId>"
                 "</ErrorResponse>"},
    };
    client_start(f, denied, N_OF(denied), true);
    struct idc_sts_role_request req = {.role_arn = "arn:aws:iam::123456789012:role/r",
                                       .session_name = "s",
                                       .web_identity_token = "tok"};
    struct idc_sts_credentials cr;
    idc_err rc = idc_sts_assume_role_with_web_identity(f->client, &req, &cr, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_AWS, "AccessDenied");
    assert_string_equal(f->err.aws_code, "AccessDenied");

    const struct fake_step no_secret[] = {
        {.status = 200,
         .body =
             STS_ANSWER("AssumeRole", "<Credentials><AccessKeyId>ASIAX</AccessKeyId><SessionToken>t"
                                      "</SessionToken><Expiration>2026-12-07T14:00:00Z</Expiration>"
                                      "</Credentials>")},
    };
    fake_reset(f);
    client_start(f, no_secret, N_OF(no_secret), false);
    rc = idc_sts_assume_role(f->client, &req, &cr, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_PARSE,
                       "STS AssumeRole (request id none): the AssumeRole answer has no "
                       "Credentials/SecretAccessKey");
    assert_string_equal(cr.access_key_id, "");

    const struct fake_step bad_date[] = {
        {.status = 200, .body = STS_ANSWER("AssumeRole", CREDENTIALS("tomorrow"))},
    };
    fake_reset(f);
    client_start(f, bad_date, N_OF(bad_date), false);
    rc = idc_sts_assume_role(f->client, &req, &cr, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_PARSE, "Credentials/Expiration");
    assert_string_equal(cr.secret_access_key, "");

    fake_reset(f);
    client_start(f, no_secret, N_OF(no_secret), false);
    struct idc_sts_role_request half_mfa = {
        .role_arn = "r", .session_name = "s", .mfa_serial = "arn:aws:iam::1:mfa/x"};
    rc = idc_sts_assume_role(f->client, &half_mfa, &cr, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_ARG, "both the MFA device's serial number and its code");
    assert_int_equal(f->requests, 0);
}

/* An anonymous client needs no keys; any other still does. */
static void test_sts_anonymous_client_needs_no_keys(void **state)
{
    struct fake *f = *state;
    struct idc_client_config cfg = fake_client_config(f);
    cfg.service = &idc_service_sts;
    cfg.endpoint_url = TEST_ENDPOINT;
    cfg.access_key_id = cfg.secret_access_key = NULL;
    assert_int_equal(idc_client_new(&f->client, &cfg, &f->err), IDC_ERR_ARG);
    assert_non_null(strstr(f->err.msg, "access key id"));
    cfg.anonymous = true;
    assert_int_equal(idc_client_new(&f->client, &cfg, &f->err), IDC_OK);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_sts_get_caller_identity, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_sts_assume_role, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_sts_web_identity_unsigned, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_sts_refusals, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_sts_anonymous_client_needs_no_keys, fake_setup,
                                    fake_teardown),
};

UNIT_MAIN(tests)
