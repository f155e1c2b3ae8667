/* SPDX-License-Identifier: Apache-2.0 */
/*
 * profile.c - fuzz target for the shared config and credentials parser (core/profile.c):
 * the input is read as a config file and as a credentials file (idc_profile_file_load, its
 * syntax check included), then sections and keys are looked up, alone and through a
 * profile set (AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE name the same input).
 * A value found must lie inside the file's text.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "profile.h"

static const struct idc_str g_profiles[] = {IDC_STR("default"), IDC_STR("dev"), IDC_STR("")};
static const struct idc_str g_keys[] = {
    IDC_STR("aws_access_key_id"), IDC_STR("aws_secret_access_key"), IDC_STR("region"),
    IDC_STR("aws_session_token"), IDC_STR("endpoint_url"),          IDC_STR("source_profile")};

static void within(struct idc_str v, const struct idc_profile_file *f)
{
    if (v.len > 0 && (v.p < f->text || v.p + v.len > f->text + f->len)) {
        abort();
    }
}

static void look_up(const struct idc_profile_file *f)
{
    for (size_t p = 0; p < sizeof g_profiles / sizeof g_profiles[0]; p++) {
        idc_profile_file_has(f, g_profiles[p]);
        for (size_t k = 0; k < sizeof g_keys / sizeof g_keys[0]; k++) {
            struct idc_str v = {0};
            if (idc_profile_file_get(f, g_profiles[p], g_keys[k], &v)) {
                within(v, f);
            }
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT) {
        return 0;
    }
    const char *path = fuzz_file_write(data, size);
    static const enum idc_profile_kind kinds[] = {IDC_PROFILE_CONFIG, IDC_PROFILE_CREDENTIALS};
    for (size_t i = 0; i < 2; i++) {
        struct idc_profile_file f;
        struct idc_error err = {0};
        if (idc_profile_file_load(&f, kinds[i], path, NULL, &err) == IDC_OK) {
            look_up(&f);
        }
        idc_profile_file_cleanup(&f);
    }

    setenv("AWS_CONFIG_FILE", path, 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", path, 1);
    struct idc_profile_set s;
    struct idc_error err = {0};
    if (idc_profile_set_load(&s, &err) == IDC_OK) {
        for (size_t p = 0; p < sizeof g_profiles / sizeof g_profiles[0]; p++) {
            idc_profile_set_has(&s, g_profiles[p]);
            struct idc_str v;
            const struct idc_profile_file *from = NULL;
            if (idc_profile_set_get(&s, g_profiles[p], IDC_STR("region"), &v, &from)) {
                within(v, from);
            }
        }
    }
    idc_profile_set_cleanup(&s);
    return 0;
}
