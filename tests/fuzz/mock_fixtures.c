/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mock_fixtures.c - fuzz target for mockaws's fixture loader (mockaws/fixtures.c): the input
 * is one fixture file, loaded into a world (mock_world_load: credentials, policies, Identity
 * Store stores and users, IAM users and what hangs on them); each credential is found by
 * its key id and its policy asked about a few actions (mock_policy_decide); then freed.
 */
#include "fuzz.h"
#include "mock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT) {
        return 0;
    }
    struct mock_options opt = {.fixtures = {fuzz_file_write(data, size)}, .fixture_count = 1};
    struct mock_world w;
    struct idc_error err = {0};
    static const char *const actions[] = {"identitystore:ListUsers", "iam:DeleteUser",
                                          "iam:ListAccessKeys", "sts:GetCallerIdentity"};
    static const char *const resources[] = {
        "arn:aws:identitystore::123456789012:identitystore/d-1234567890",
        "arn:aws:iam::123456789012:user/engineering/jdoe", "*"};
    if (mock_world_load(&w, &opt, &err) == IDC_OK) {
        for (size_t i = 0; i < w.cred_count; i++) {
            const struct mock_credential *c =
                mock_world_credential(&w, idc_str_c(w.creds[i].access_key_id));
            for (size_t a = 0; c != NULL && c->policy != NULL && a < 4; a++) {
                size_t at = 0;
                mock_policy_decide(c->policy, actions[a], resources, 3, &at);
                mock_policy_decide(c->policy, actions[a], resources + a % 3, 1, &at);
            }
        }
    }
    mock_world_free(&w);
    return 0;
}
