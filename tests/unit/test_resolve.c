/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_resolve.c - credentials, region and endpoint resolution (resolve.h) and the profile
 * file reader (profile.h). Every test starts from an environment with no AWS_* variables
 * and HOME pointing at an empty temporary directory; the fixture restores both afterwards.
 * Keys are the AWS documentation examples, and no error message may contain one.
 */
#include "unit.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "idc/client.h"
#include "idc/error.h"
#include "idc/iam.h"
#include "idc/identitystore.h"
#include "idc/resolve.h"
#include "profile.h"

/* The AWS documentation's example credentials. */
#define KEY1    "AKIAIOSFODNN7EXAMPLE"
#define SECRET1 "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define KEY2    "AKIAI44QH8DHBEXAMPLE"
#define SECRET2 "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"
#define TOKEN1                                                                                     \
    "AQoDYXdzEJr1K...EXAMPLEtokenFwoGZXIvYXdzEBYaDGEXAMPLE/IvU1dYUg2RVAJBanLiHb4IgRmpRV3zrkuWJ"

static const char *const secrets[] = {SECRET1, SECRET2, TOKEN1, KEY1, KEY2};

/* Every variable the resolver reads; setup unsets them and teardown restores them. */
static const char *const env_names[] = {
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_IDENTITYSTORE",
    "AWS_ENDPOINT_URL_IAM",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_ENDPOINT_URL_STS",
    "HOME",
    "AWS_CA_BUNDLE",
    "HTTPS_PROXY",
    "https_proxy",
    "NO_PROXY",
    "no_proxy",
};
#define ENV_COUNT (sizeof env_names / sizeof env_names[0])
#define MAX_FILES 8

struct fixture {
    char *saved[ENV_COUNT];
    char home[64];
    char files[MAX_FILES][256];
    size_t nfiles;
};

static int setup(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    for (size_t i = 0; i < ENV_COUNT; i++) {
        const char *v = getenv(env_names[i]);
        fx->saved[i] = v ? strdup(v) : NULL;
        unsetenv(env_names[i]);
    }
    snprintf(fx->home, sizeof fx->home, "/tmp/idc-resolve-home-XXXXXX");
    assert_non_null(mkdtemp(fx->home));
    setenv("HOME", fx->home, 1);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;
    for (size_t i = 0; i < fx->nfiles; i++) {
        unlink(fx->files[i]);
    }
    char aws[128];
    snprintf(aws, sizeof aws, "%s/.aws", fx->home);
    rmdir(aws);
    rmdir(fx->home);
    for (size_t i = 0; i < ENV_COUNT; i++) {
        if (fx->saved[i] != NULL) {
            setenv(env_names[i], fx->saved[i], 1);
            free(fx->saved[i]);
        } else {
            unsetenv(env_names[i]);
        }
    }
    free(fx);
    return 0;
}

static void write_all(const char *path, int fd, const char *text)
{
    size_t len = strlen(text);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    assert_int_equal(close(fd), 0);
    (void)path;
}

/* Writes `text` to a fresh temporary file and points `var` at it. */
static void put_file(struct fixture *fx, const char *var, const char *text)
{
    assert_true(fx->nfiles < MAX_FILES);
    char *path = fx->files[fx->nfiles++];
    snprintf(path, sizeof fx->files[0], "/tmp/idc-resolve-XXXXXX");
    write_all(path, mkstemp(path), text);
    setenv(var, path, 1);
}

static void put_credentials(struct fixture *fx, const char *text)
{
    put_file(fx, "AWS_SHARED_CREDENTIALS_FILE", text);
}

static void put_config(struct fixture *fx, const char *text)
{
    put_file(fx, "AWS_CONFIG_FILE", text);
}

/* Writes $HOME/.aws/<name>, the default place. */
static void put_home_file(struct fixture *fx, const char *name, const char *text)
{
    char dir[128];
    snprintf(dir, sizeof dir, "%s/.aws", fx->home);
    mkdir(dir, 0700);
    assert_true(fx->nfiles < MAX_FILES);
    char *path = fx->files[fx->nfiles++];
    snprintf(path, sizeof fx->files[0], "%s/%s", dir, name);
    write_all(path, open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600), text);
}

static void assert_no_secret(const struct idc_error *err)
{
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
        if (strstr(err->msg, secrets[i]) != NULL) {
            fail_msg("message holds a secret: %s", err->msg);
        }
    }
}

/* The call failed with `code`, its message holds `fragment` and no secret. */
static void expect_error(idc_err rc, const struct idc_error *err, idc_err code,
                         const char *fragment)
{
    if (rc != code || strstr(err->msg, fragment) == NULL) {
        fail_msg("want %s with \"%s\", got %s: %s", idc_err_name(code), fragment, idc_err_name(rc),
                 err->msg);
    }
    assert_no_secret(err);
}

static void expect_creds(const struct idc_resolve_input *in, const char *key, const char *secret,
                         const char *source)
{
    struct idc_resolve_creds c;
    struct idc_error err = {0};
    idc_err rc = idc_resolve_credentials(in, &c, &err);
    if (rc != IDC_OK) {
        fail_msg("idc_resolve_credentials: %s: %s", idc_err_name(rc), err.msg);
    }
    assert_string_equal(c.access_key_id, key);
    assert_string_equal(c.secret_access_key, secret);
    assert_string_equal(c.source, source);
    idc_resolve_creds_cleanup(&c);
}

static idc_err creds_error(const struct idc_resolve_input *in, struct idc_error *err)
{
    struct idc_resolve_creds c;
    idc_err rc = idc_resolve_credentials(in, &c, err);
    idc_resolve_creds_cleanup(&c);
    return rc;
}

static const char two_profiles[] = "[default]\n"
                                   "aws_access_key_id = " KEY2 "\n"
                                   "aws_secret_access_key = " SECRET2 "\n"
                                   "[dev]\n"
                                   "aws_access_key_id = " KEY1 "\n"
                                   "aws_secret_access_key = " SECRET1 "\n";

/* ---- credentials: precedence ------------------------------------------------------------ */

static void test_resolve_explicit_keys_win(void **state)
{
    put_credentials(*state, two_profiles);
    setenv("AWS_ACCESS_KEY_ID", KEY2, 1);
    setenv("AWS_SECRET_ACCESS_KEY", SECRET2, 1);
    setenv("AWS_PROFILE", "default", 1);
    struct idc_resolve_input in = {.access_key_id = KEY1,
                                   .secret_access_key = SECRET1,
                                   .session_token = TOKEN1,
                                   .profile = "default"};
    struct idc_resolve_creds c;
    struct idc_error err = {0};
    assert_int_equal(idc_resolve_credentials(&in, &c, &err), IDC_OK);
    assert_string_equal(c.access_key_id, KEY1);
    assert_string_equal(c.secret_access_key, SECRET1);
    assert_string_equal(c.session_token, TOKEN1);
    assert_true(c.has_session_token);
    assert_string_equal(c.source, "explicit");
    idc_resolve_creds_cleanup(&c);
}

static void test_resolve_explicit_key_without_secret(void **state)
{
    (void)state;
    struct idc_error err = {0};
    struct idc_resolve_input in = {.access_key_id = KEY1};
    expect_error(creds_error(&in, &err), &err, IDC_ERR_ARG, "without the secret access key");
    in = (struct idc_resolve_input){.secret_access_key = SECRET1};
    expect_error(creds_error(&in, &err), &err, IDC_ERR_ARG, "without the access key id");
    in = (struct idc_resolve_input){.session_token = TOKEN1};
    expect_error(creds_error(&in, &err), &err, IDC_ERR_ARG, "session token was given without");
}

static void test_resolve_explicit_profile_hides_env(void **state)
{
    put_credentials(*state, two_profiles);
    setenv("AWS_ACCESS_KEY_ID", KEY2, 1);
    setenv("AWS_SECRET_ACCESS_KEY", SECRET2, 1);
    struct idc_resolve_input in = {.profile = "dev"};
    expect_creds(&in, KEY1, SECRET1, "profile dev");
    /* Even a half-set environment is ignored: botocore drops the env provider entirely. */
    unsetenv("AWS_SECRET_ACCESS_KEY");
    expect_creds(&in, KEY1, SECRET1, "profile dev");
}

static void test_resolve_env_beats_aws_profile(void **state)
{
    put_credentials(*state, two_profiles);
    setenv("AWS_PROFILE", "dev", 1);
    setenv("AWS_ACCESS_KEY_ID", KEY2, 1);
    setenv("AWS_SECRET_ACCESS_KEY", SECRET2, 1);
    setenv("AWS_SESSION_TOKEN", TOKEN1, 1);
    struct idc_resolve_creds c;
    struct idc_error err = {0};
    assert_int_equal(idc_resolve_credentials(NULL, &c, &err), IDC_OK);
    assert_string_equal(c.access_key_id, KEY2);
    assert_string_equal(c.source, "environment");
    assert_true(c.has_session_token);
    assert_string_equal(c.session_token, TOKEN1);
    /* AWS_SECURITY_TOKEN is the older name for the same thing. */
    unsetenv("AWS_SESSION_TOKEN");
    setenv("AWS_SECURITY_TOKEN", TOKEN1, 1);
    assert_int_equal(idc_resolve_credentials(NULL, &c, &err), IDC_OK);
    assert_true(c.has_session_token);
    unsetenv("AWS_SECURITY_TOKEN");
    assert_int_equal(idc_resolve_credentials(NULL, &c, &err), IDC_OK);
    assert_false(c.has_session_token);
    assert_string_equal(c.session_token, "");
    idc_resolve_creds_cleanup(&c);
}

static void test_resolve_env_missing_secret(void **state)
{
    put_credentials(*state, two_profiles); /* a usable default does not hide the mistake */
    setenv("AWS_ACCESS_KEY_ID", KEY1, 1);
    struct idc_error err = {0};
    expect_error(creds_error(NULL, &err), &err, IDC_ERR_ARG,
                 "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
}

static void test_resolve_env_missing_key_id(void **state)
{
    (void)state;
    setenv("AWS_SECRET_ACCESS_KEY", SECRET1, 1);
    struct idc_error err = {0};
    expect_error(creds_error(NULL, &err), &err, IDC_ERR_ARG,
                 "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
}

static void test_resolve_empty_env_is_unset(void **state)
{
    put_credentials(*state, two_profiles);
    setenv("AWS_ACCESS_KEY_ID", "", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "", 1);
    setenv("AWS_PROFILE", "", 1);
    expect_creds(NULL, KEY2, SECRET2, "profile default");
}

static void test_resolve_aws_profile_beats_default(void **state)
{
    put_credentials(*state, two_profiles);
    setenv("AWS_PROFILE", "dev", 1);
    expect_creds(NULL, KEY1, SECRET1, "profile dev");
}

static void test_resolve_default_profile(void **state)
{
    put_credentials(*state, two_profiles);
    struct idc_resolve_creds c;
    struct idc_error err = {0};
    assert_int_equal(idc_resolve_credentials(NULL, &c, &err), IDC_OK);
    assert_string_equal(c.access_key_id, KEY2);
    assert_string_equal(c.source, "profile default");
    assert_false(c.has_session_token);
    idc_resolve_creds_cleanup(&c);
}

static void test_resolve_default_files_under_home(void **state)
{
    put_home_file(*state, "credentials", two_profiles);
    put_home_file(*state, "config", "[profile dev]\nregion = eu-central-1\n");
    expect_creds(NULL, KEY2, SECRET2, "profile default");
    struct idc_resolve_input in = {.profile = "dev"};
    struct idc_resolve_region r;
    struct idc_error err = {0};
    assert_int_equal(idc_resolve_region(&in, &r, &err), IDC_OK);
    assert_string_equal(r.name, "eu-central-1");
}

static void test_resolve_tilde_in_file_variable(void **state)
{
    put_home_file(*state, "credentials", two_profiles);
    setenv("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials", 1);
    setenv("AWS_CONFIG_FILE", "~/.aws/no-such-config", 1);
    expect_creds(NULL, KEY2, SECRET2, "profile default");
}

static void test_resolve_home_unset(void **state)
{
    (void)state;
    unsetenv("HOME");
    struct idc_error err = {0};
    expect_error(creds_error(NULL, &err), &err, IDC_ERR_ARG, "HOME is unset");
}

static void test_resolve_tilde_without_home(void **state)
{
    (void)state;
    unsetenv("HOME");
    struct idc_error err = {0};
    /* "~/" needs HOME; "~user/" is not expanded (botocore's expanduser aside) and does not. */
    setenv("AWS_SHARED_CREDENTIALS_FILE", "~/creds", 1);
    setenv("AWS_CONFIG_FILE", "~user/config", 1);
    expect_error(creds_error(NULL, &err), &err, IDC_ERR_ARG, "~/creds (HOME is unset)");
    assert_null(strstr(err.msg, "~user/config (HOME is unset)"));
    assert_non_null(strstr(err.msg, "~user/config"));
}

/* ---- credentials: the files -------------------------------------------------------------- */

static void test_resolve_credentials_file_overrides_config(void **state)
{
    put_credentials(*state, "[default]\n"
                            "aws_access_key_id = " KEY1 "\n"
                            "aws_secret_access_key = " SECRET1 "\n"
                            "region = eu-south-1\n");
    put_config(*state, "[default]\n"
                       "aws_access_key_id = " KEY2 "\n"
                       "aws_secret_access_key = " SECRET2 "\n"
                       "aws_session_token = " TOKEN1 "\n"
                       "region = eu-west-1\n");
    struct idc_resolve_creds c;
    struct idc_error err = {0};
    assert_int_equal(idc_resolve_credentials(NULL, &c, &err), IDC_OK);
    assert_string_equal(c.access_key_id, KEY1);
    assert_string_equal(c.secret_access_key, SECRET1);
    assert_false(c.has_session_token); /* the config file's token belongs to its keys */
    idc_resolve_creds_cleanup(&c);
    struct idc_resolve_region r;
    /* botocore merges the two files per key, so the credentials file's region wins too. */
    assert_int_equal(idc_resolve_region(NULL, &r, &err), IDC_OK);
    assert_string_equal(r.name, "eu-south-1");
}

static void test_resolve_config_file_keys(void **state)
{
    put_config(*state, "[profile dev]\n"
                       "aws_access_key_id = " KEY1 "\n"
                       "aws_secret_access_key = " SECRET1 "\n"
                       "aws_session_token = " TOKEN1 "\n");
    struct idc_resolve_input in = {.profile = "dev"};
    struct idc_resolve_creds c;
    struct idc_error err = {0};
    assert_int_equal(idc_resolve_credentials(&in, &c, &err), IDC_OK);
    assert_string_equal(c.access_key_id, KEY1);
    assert_string_equal(c.source, "profile dev");
    assert_true(c.has_session_token);
    assert_string_equal(c.session_token, TOKEN1);
    idc_resolve_creds_cleanup(&c);
}

static void test_resolve_section_names(void **state)
{
    struct idc_error err = {0};
    struct idc_resolve_input in = {.profile = "dev"};
    /* In the config file a bare [dev] is not a profile... */
    put_config(*state, "[dev]\n"
                       "aws_access_key_id = " KEY1 "\n"
                       "aws_secret_access_key = " SECRET1 "\n");
    expect_error(creds_error(&in, &err), &err, IDC_ERR_ARG, "profile 'dev' is not in");
    /* ...and in the credentials file [profile dev] is the profile "profile dev". */
    put_credentials(*state, "[profile dev]\n"
                            "aws_access_key_id = " KEY1 "\n"
                            "aws_secret_access_key = " SECRET1 "\n");
    expect_error(creds_error(&in, &err), &err, IDC_ERR_ARG, "profile 'dev' is not in");
    /* [profile dev] in the config file is, with any spacing; so is [profile default]. */
    put_config(*state, "[profile   dev]\n"
                       "aws_access_key_id = " KEY1 "\n"
                       "aws_secret_access_key = " SECRET1 "\n"
                       "[profile default]\n"
                       "aws_access_key_id = " KEY2 "\n"
                       "aws_secret_access_key = " SECRET2 "\n");
    expect_creds(&in, KEY1, SECRET1, "profile dev");
    expect_creds(NULL, KEY2, SECRET2, "profile default");
}

static void test_resolve_comments_and_spacing(void **state)
{
    put_credentials(*state, "# comment\r\n"
                            "; another comment\r\n"
                            "\r\n"
                            "[dev]\r\n"
                            "  # indented comment\r\n"
                            "AWS_ACCESS_KEY_ID=" KEY1 "\r\n"
                            "aws_secret_access_key   :   " SECRET1 "   \r\n"
                            "\r\n");
    put_config(*state, "[profile dev]\n"
                       "region=us-west-2\n"
                       "s3 =\n"
                       "    region = xx-nested-1\n" /* a nested setting, not the region */
                       "[profile notes]\n"
                       "region = eu-west-1 # not a comment for botocore\n");
    struct idc_resolve_input in = {.profile = "dev"};
    expect_creds(&in, KEY1, SECRET1, "profile dev");
    struct idc_resolve_region r;
    struct idc_error err = {0};
    assert_int_equal(idc_resolve_region(&in, &r, &err), IDC_OK);
    assert_string_equal(r.name, "us-west-2");
    in.profile = "notes";
    expect_error(idc_resolve_region(&in, &r, &err), &err, IDC_ERR_ARG,
                 "region 'eu-west-1 # not a comment for botocore' from profile notes");
}

static void test_resolve_parse_error_hides_line(void **state)
{
    struct idc_error err = {0};
    put_credentials(*state, "[default]\n"
                            "aws_access_key_id = " KEY1 "\n" SECRET1 "\n");
    expect_error(creds_error(NULL, &err), &err, IDC_ERR_PARSE, "line 3: expected '[section]'");
    put_credentials(*state, "aws_secret_access_key = " SECRET1 "\n");
    expect_error(creds_error(NULL, &err), &err, IDC_ERR_PARSE, "line 1: a setting before any");
}

/* ---- credentials: what we refuse --------------------------------------------------------- */

static void test_resolve_unsupported_profile_kinds(void **state)
{
    static const struct {
        const char *setting;
        const char *expected;
    } cases[] = {
        {"role_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = default\n",
         "profile 'dev' uses role_arn (assume-role), which libidc does not support yet; give "
         "access keys in the profile or the environment"},
        {"web_identity_token_file = /var/run/token\n", "uses web_identity_token_file"},
        {"sso_session = corp\n", "uses sso_session"},
        {"sso_start_url = https://example.awsapps.com/start\n", "uses sso_start_url"},
        {"credential_process = /usr/local/bin/creds\n", "uses credential_process"},
    };
    struct idc_resolve_input in = {.profile = "dev"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* Static keys beside the setting do not win: botocore tries these kinds first. */
        char text[512];
        snprintf(text, sizeof text,
                 "[profile dev]\n%saws_access_key_id = %s\n"
                 "aws_secret_access_key = %s\n",
                 cases[i].setting, KEY1, SECRET1);
        put_config(*state, text);
        struct idc_error err = {0};
        expect_error(creds_error(&in, &err), &err, IDC_ERR_ARG, cases[i].expected);
    }
}

static void test_resolve_credential_process_after_credentials_file(void **state)
{
    put_credentials(*state, two_profiles);
    put_config(*state, "[profile dev]\ncredential_process = /usr/local/bin/creds\n");
    struct idc_resolve_input in = {.profile = "dev"};
    expect_creds(&in, KEY1, SECRET1, "profile dev");
}

/* The chain picks web identity as botocore does: after the environment's keys, each
 * setting from its variable (unless a profile is given), else from the profile. */
static void test_resolve_chain_web_identity(void **state)
{
    struct idc_resolve_chain ch;
    struct idc_error err = {0};
    put_config(*state, "[profile ci]\nweb_identity_token_file = /run/ci/token\n"
                       "role_arn = arn:aws:iam::123456789012:role/from-profile\n"
                       "[profile half]\nweb_identity_token_file = /run/half/token\n");
    setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/token", 1);
    setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/pod", 1);
    setenv("AWS_ROLE_SESSION_NAME", "job-42", 1);
    assert_int_equal(idc_resolve_chain(NULL, &ch, &err), IDC_OK);
    assert_int_equal(ch.kind, IDC_RESOLVE_WEB_IDENTITY);
    assert_string_equal(ch.web.token_file, "/var/run/secrets/token");
    assert_string_equal(ch.web.role_arn, "arn:aws:iam::123456789012:role/pod");
    assert_string_equal(ch.web.session_name, "job-42");
    assert_string_equal(ch.web.source, "environment");

    /* an explicit profile hides the variables */
    struct idc_resolve_input in = {.profile = "ci"};
    assert_int_equal(idc_resolve_chain(&in, &ch, &err), IDC_OK);
    assert_int_equal(ch.kind, IDC_RESOLVE_WEB_IDENTITY);
    assert_string_equal(ch.web.token_file, "/run/ci/token");
    assert_string_equal(ch.web.role_arn, "arn:aws:iam::123456789012:role/from-profile");
    assert_string_equal(ch.web.session_name, "");
    assert_string_equal(ch.web.source, "profile ci");

    in.profile = "half";
    assert_int_equal(idc_resolve_chain(&in, &ch, &err), IDC_ERR_ARG);
    assert_non_null(strstr(err.msg, "no role is: set AWS_ROLE_ARN, or role_arn in profile 'half'"));

    /* AWS_PROFILE does not hide them: the role comes from the variable, one by one */
    unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
    setenv("AWS_PROFILE", "half", 1);
    assert_int_equal(idc_resolve_chain(NULL, &ch, &err), IDC_OK);
    assert_string_equal(ch.web.token_file, "/run/half/token");
    assert_string_equal(ch.web.role_arn, "arn:aws:iam::123456789012:role/pod");
    assert_string_equal(ch.web.source, "profile half");

    /* keys in the environment come first */
    setenv("AWS_ACCESS_KEY_ID", KEY1, 1);
    setenv("AWS_SECRET_ACCESS_KEY", SECRET1, 1);
    assert_int_equal(idc_resolve_chain(NULL, &ch, &err), IDC_OK);
    assert_int_equal(ch.kind, IDC_RESOLVE_KEYS);
    assert_string_equal(ch.creds.access_key_id, KEY1);
    idc_resolve_chain_cleanup(&ch);
    assert_string_equal(ch.creds.secret_access_key, "");
}

static void test_resolve_web_identity_env(void **state)
{
    put_credentials(*state, two_profiles);
    setenv("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/token", 1);
    setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/pod", 1);
    struct idc_error err = {0};
    expect_error(creds_error(NULL, &err), &err, IDC_ERR_ARG, "AWS_WEB_IDENTITY_TOKEN_FILE is set");
    /* Keys in the environment still come first, as in botocore. */
    setenv("AWS_ACCESS_KEY_ID", KEY1, 1);
    setenv("AWS_SECRET_ACCESS_KEY", SECRET1, 1);
    expect_creds(NULL, KEY1, SECRET1, "environment");
}

static void test_resolve_missing_explicit_profile(void **state)
{
    put_credentials(*state, two_profiles);
    struct fixture *fx = *state;
    struct idc_resolve_input in = {.profile = "nosuch"};
    struct idc_error err = {0};
    expect_error(creds_error(&in, &err), &err, IDC_ERR_ARG, "profile 'nosuch' is not in");
    assert_non_null(strstr(err.msg, fx->files[0]));             /* the credentials file */
    assert_non_null(strstr(err.msg, "/.aws/config (missing)")); /* and the config file */
}

static void test_resolve_missing_aws_profile(void **state)
{
    put_credentials(*state, two_profiles);
    setenv("AWS_PROFILE", "nosuch", 1);
    struct idc_error err = {0};
    expect_error(creds_error(NULL, &err), &err, IDC_ERR_ARG,
                 "profile 'nosuch' (from AWS_PROFILE) is not in");
}

static void test_resolve_nothing_found(void **state)
{
    (void)state;
    struct idc_error err = {0};
    expect_error(creds_error(NULL, &err), &err, IDC_ERR_ARG,
                 "no AWS credentials found: tried explicit keys, AWS_ACCESS_KEY_ID and "
                 "AWS_SECRET_ACCESS_KEY, and profile 'default' (not present)");
    assert_non_null(strstr(err.msg, "/.aws/credentials (missing)"));
}

static void test_resolve_default_without_keys(void **state)
{
    put_config(*state, "[default]\nregion = us-east-1\n");
    struct idc_error err = {0};
    expect_error(creds_error(NULL, &err), &err, IDC_ERR_ARG, "profile 'default' (it has no keys)");
    struct idc_resolve_input in = {.profile = "default"};
    expect_error(creds_error(&in, &err), &err, IDC_ERR_ARG,
                 "profile 'default' has no aws_access_key_id");
}

static void test_resolve_partial_profile_keys(void **state)
{
    put_credentials(*state, "[default]\naws_access_key_id = " KEY1 "\n");
    put_config(*state, "[default]\naws_secret_access_key = " SECRET1 "\n");
    struct idc_error err = {0};
    expect_error(creds_error(NULL, &err), &err, IDC_ERR_ARG,
                 "has aws_access_key_id but no aws_secret_access_key");
}

static void test_resolve_secret_too_long(void **state)
{
    (void)state;
    char secret[IDC_RESOLVE_SECRET_MAX + 2];
    for (size_t i = 0; i < sizeof secret - 1; i++) {
        secret[i] = SECRET1[i % (sizeof SECRET1 - 1)];
    }
    secret[sizeof secret - 1] = '\0'; /* 129 bytes: one too many */
    setenv("AWS_ACCESS_KEY_ID", KEY1, 1);
    setenv("AWS_SECRET_ACCESS_KEY", secret, 1);
    struct idc_error err = {0};
    expect_error(creds_error(NULL, &err), &err, IDC_ERR_LIMIT,
                 "secret access key from the environment is 129 bytes, more than the 128");
    assert_null(strstr(err.msg, secret));
    secret[sizeof secret - 2] = '\0'; /* exactly 128 fits */
    setenv("AWS_SECRET_ACCESS_KEY", secret, 1);
    expect_creds(NULL, KEY1, secret, "environment");
}

static void test_resolve_token_too_long(void **state)
{
    static char text[IDC_RESOLVE_TOKEN_MAX + 256];
    char token[IDC_RESOLVE_TOKEN_MAX + 2];
    memset(token, 'T', sizeof token - 1);
    token[sizeof token - 1] = '\0';
    snprintf(text, sizeof text,
             "[dev]\naws_access_key_id = %s\naws_secret_access_key = %s\naws_session_token = %s\n",
             KEY1, SECRET1, token);
    put_credentials(*state, text);
    struct idc_resolve_input in = {.profile = "dev"};
    struct idc_error err = {0};
    expect_error(creds_error(&in, &err), &err, IDC_ERR_LIMIT,
                 "session token from profile 'dev' in /tmp/");
    assert_null(strstr(err.msg, "TTTTTTTT"));
}

static void test_resolve_creds_cleanup_wipes(void **state)
{
    (void)state;
    struct idc_resolve_input in = {
        .access_key_id = KEY1, .secret_access_key = SECRET1, .session_token = TOKEN1};
    struct idc_resolve_creds c;
    struct idc_error err = {0};
    assert_int_equal(idc_resolve_credentials(&in, &c, &err), IDC_OK);
    idc_resolve_creds_cleanup(&c);
    static const struct idc_resolve_creds zero;
    assert_memory_equal(&c, &zero, sizeof c);
    idc_resolve_creds_cleanup(NULL);
}

static void test_resolve_profiles_side_by_side(void **state)
{
    put_credentials(*state, two_profiles);
    put_config(*state, "[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\n");
    struct idc_resolve_input dev = {.profile = "dev"};
    struct idc_resolve_input def = {.profile = "default"};
    struct idc_resolve_region r;
    struct idc_error err = {0};
    for (int round = 0; round < 2; round++) {
        expect_creds(&dev, KEY1, SECRET1, "profile dev");
        expect_creds(&def, KEY2, SECRET2, "profile default");
        assert_int_equal(idc_resolve_region(&dev, &r, &err), IDC_OK);
        assert_string_equal(r.name, "eu-west-1");
        assert_int_equal(idc_resolve_region(&def, &r, &err), IDC_OK);
        assert_string_equal(r.name, "us-east-1");
    }
}

/* ---- region ------------------------------------------------------------------------------ */

static void expect_region(const struct idc_resolve_input *in, const char *name, const char *source)
{
    struct idc_resolve_region r;
    struct idc_error err = {0};
    idc_err rc = idc_resolve_region(in, &r, &err);
    if (rc != IDC_OK) {
        fail_msg("idc_resolve_region: %s", err.msg);
    }
    assert_true(r.found);
    assert_string_equal(r.name, name);
    assert_string_equal(r.source, source);
}

/* The endpoint from the profile, signed for the region given explicitly. */
static void expect_endpoint_in_profile(const struct idc_service *service, const char *url,
                                       const char *source)
{
    struct idc_resolve_region r = {.found = true, .name = "eu-west-1", .source = "explicit"};
    struct idc_resolve_endpoint ep;
    struct idc_error err = {0};
    idc_err rc = idc_resolve_endpoint(NULL, service, &r, &ep, &err);
    if (rc != IDC_OK) {
        fail_msg("idc_resolve_endpoint: %s", err.msg);
    }
    assert_string_equal(ep.url, url);
    assert_string_equal(ep.source, source);
    assert_string_equal(ep.signing_region, "eu-west-1");
    assert_true(ep.custom);
}

static void test_resolve_region_precedence(void **state)
{
    put_config(*state, "[default]\nregion = ap-south-1\n[profile dev]\nregion = sa-east-1\n");
    expect_region(NULL, "ap-south-1", "profile default");
    setenv("AWS_PROFILE", "dev", 1);
    expect_region(NULL, "sa-east-1", "profile dev");
    struct idc_resolve_input in = {.profile = "default"};
    expect_region(&in, "ap-south-1", "profile default");
    setenv("AWS_DEFAULT_REGION", "eu-north-1", 1);
    expect_region(&in, "eu-north-1", "AWS_DEFAULT_REGION");
    setenv("AWS_REGION", "eu-west-3", 1);
    expect_region(&in, "eu-west-3", "AWS_REGION");
    in.region = "ca-central-1";
    expect_region(&in, "ca-central-1", "explicit");
}

static void test_resolve_region_unset(void **state)
{
    put_config(*state, "[default]\noutput = json\n");
    struct idc_resolve_region r;
    struct idc_error err = {0};
    assert_int_equal(idc_resolve_region(NULL, &r, &err), IDC_OK);
    assert_false(r.found);
    assert_string_equal(r.name, "");
}

static void test_resolve_region_missing_profile(void **state)
{
    (void)state;
    struct idc_resolve_input in = {.profile = "nosuch"};
    struct idc_resolve_region r;
    struct idc_error err = {0};
    expect_error(idc_resolve_region(&in, &r, &err), &err, IDC_ERR_ARG,
                 "profile 'nosuch' is not in");
}

static void test_resolve_region_and_endpoint_from_one_profile(void **state)
{
    put_config(*state, "[default]\nregion = ap-south-1\n[profile dev]\nregion = sa-east-1\n"
                       "endpoint_url = http://127.0.0.1:5000\n");
    setenv("AWS_PROFILE", "dev", 1);
    expect_region(NULL, "sa-east-1", "profile dev");
    expect_endpoint_in_profile(&idc_service_identitystore, "http://127.0.0.1:5000", "profile dev");
    /* A requested profile that is missing fails both lookups the same way. */
    setenv("AWS_PROFILE", "nosuch", 1);
    struct idc_resolve_region r;
    struct idc_resolve_endpoint ep;
    struct idc_error err = {0};
    expect_error(idc_resolve_region(NULL, &r, &err), &err, IDC_ERR_ARG,
                 "profile 'nosuch' (from AWS_PROFILE) is not in");
    expect_error(idc_resolve_endpoint(NULL, &idc_service_iam, NULL, &ep, &err), &err, IDC_ERR_ARG,
                 "profile 'nosuch' (from AWS_PROFILE) is not in");
}

static void test_resolve_region_malformed(void **state)
{
    static const char *const bad[] = {"US-EAST-1",   "us_east_1",  "us-east-1.evil.example",
                                      "us-east-1/x", "-us-east-1", "us east 1",
                                      "us-east-1\n"};
    struct idc_resolve_region r;
    struct idc_error err = {0};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv("AWS_REGION", bad[i], 1);
        expect_error(idc_resolve_region(NULL, &r, &err), &err, IDC_ERR_ARG,
                     "from AWS_REGION is "
                     "not valid: use lowercase letters, digits and dashes");
    }
    unsetenv("AWS_REGION");
    struct idc_resolve_input in = {.region = "EU-WEST-1"};
    expect_error(idc_resolve_region(&in, &r, &err), &err, IDC_ERR_ARG,
                 "region 'EU-WEST-1' from explicit is not valid");
    put_config(*state, "[default]\nregion = eu-west-1.\n");
    expect_error(idc_resolve_region(NULL, &r, &err), &err, IDC_ERR_ARG,
                 "region 'eu-west-1.' from profile default is not valid");
    char long_region[IDC_RESOLVE_REGION_MAX + 2];
    memset(long_region, 'a', sizeof long_region - 1);
    long_region[sizeof long_region - 1] = '\0';
    in.region = long_region;
    expect_error(idc_resolve_region(&in, &r, &err), &err, IDC_ERR_ARG, "is not valid");
}

/* ---- endpoint ---------------------------------------------------------------------------- */

static struct idc_resolve_region region_of(const char *name)
{
    struct idc_resolve_region r = {.found = name != NULL};
    snprintf(r.name, sizeof r.name, "%s", name ? name : "");
    snprintf(r.source, sizeof r.source, "%s", name ? "explicit" : "");
    return r;
}

static void expect_endpoint(const struct idc_resolve_input *in, const struct idc_service *service,
                            const char *region, const char *url, const char *signing,
                            const char *source)
{
    struct idc_resolve_region r = region_of(region);
    struct idc_resolve_endpoint ep;
    struct idc_error err = {0};
    idc_err rc = idc_resolve_endpoint(in, service, region ? &r : NULL, &ep, &err);
    if (rc != IDC_OK) {
        fail_msg("idc_resolve_endpoint: %s", err.msg);
    }
    assert_string_equal(ep.url, url);
    assert_string_equal(ep.signing_region, signing);
    assert_string_equal(ep.source, source);
    assert_int_equal(ep.custom, strncmp(source, "partition ", 10) != 0);
}

static void test_resolve_endpoint_precedence_identitystore(void **state)
{
    const struct idc_service *is = &idc_service_identitystore;
    const char *rg = "us-west-2";
    expect_endpoint(NULL, is, rg, "https://identitystore.us-west-2.amazonaws.com", rg,
                    "partition aws");
    put_config(*state, "[default]\nendpoint_url = http://localhost:4000\n");
    expect_endpoint(NULL, is, rg, "http://localhost:4000", rg, "profile default");
    setenv("AWS_ENDPOINT_URL", "http://localhost:4001", 1);
    expect_endpoint(NULL, is, rg, "http://localhost:4001", rg, "AWS_ENDPOINT_URL");
    setenv("AWS_ENDPOINT_URL_IAM", "http://localhost:4009", 1); /* another service's */
    expect_endpoint(NULL, is, rg, "http://localhost:4001", rg, "AWS_ENDPOINT_URL");
    setenv("AWS_ENDPOINT_URL_IDENTITYSTORE", "http://localhost:4002", 1);
    expect_endpoint(NULL, is, rg, "http://localhost:4002", rg, "AWS_ENDPOINT_URL_IDENTITYSTORE");
    struct idc_resolve_input in = {.endpoint_url = "https://idstore.example.test:8443"};
    expect_endpoint(&in, is, rg, "https://idstore.example.test:8443", rg, "explicit");
}

static void test_resolve_endpoint_precedence_iam(void **state)
{
    const struct idc_service *iam = &idc_service_iam;
    const char *rg = "eu-west-1";
    expect_endpoint(NULL, iam, rg, "https://iam.amazonaws.com", "us-east-1", "partition aws");
    put_config(*state, "[default]\n[profile dev]\nendpoint_url = http://127.0.0.1:5000\n");
    expect_endpoint(NULL, iam, rg, "https://iam.amazonaws.com", "us-east-1", "partition aws");
    struct idc_resolve_input in = {.profile = "dev"};
    expect_endpoint(&in, iam, rg, "http://127.0.0.1:5000", rg, "profile dev");
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:5001", 1);
    expect_endpoint(&in, iam, rg, "http://127.0.0.1:5001", rg, "AWS_ENDPOINT_URL");
    setenv("AWS_ENDPOINT_URL_IDENTITYSTORE", "http://127.0.0.1:5009", 1);
    expect_endpoint(&in, iam, rg, "http://127.0.0.1:5001", rg, "AWS_ENDPOINT_URL");
    setenv("AWS_ENDPOINT_URL_IAM", "http://127.0.0.1:5002", 1);
    expect_endpoint(&in, iam, rg, "http://127.0.0.1:5002", rg, "AWS_ENDPOINT_URL_IAM");
    in.endpoint_url = "https://iam.example.test";
    expect_endpoint(&in, iam, rg, "https://iam.example.test", rg, "explicit");
}

static void test_resolve_partition_table(void **state)
{
    (void)state;
    static const struct {
        const char *region;
        const struct idc_service *service;
        const char *url;
        const char *signing;
        const char *partition;
    } cases[] = {
        {"us-east-1", &idc_service_identitystore, "https://identitystore.us-east-1.amazonaws.com",
         "us-east-1", "partition aws"},
        {"us-east-1", &idc_service_iam, "https://iam.amazonaws.com", "us-east-1", "partition aws"},
        {"eu-west-1", &idc_service_identitystore, "https://identitystore.eu-west-1.amazonaws.com",
         "eu-west-1", "partition aws"},
        {"eu-west-1", &idc_service_iam, "https://iam.amazonaws.com", "us-east-1", "partition aws"},
        {"cn-north-1", &idc_service_identitystore,
         "https://identitystore.cn-north-1.amazonaws.com.cn", "cn-north-1", "partition aws-cn"},
        {"cn-northwest-1", &idc_service_iam, "https://iam.cn-north-1.amazonaws.com.cn",
         "cn-north-1", "partition aws-cn"},
        {"us-gov-west-1", &idc_service_identitystore,
         "https://identitystore.us-gov-west-1.amazonaws.com", "us-gov-west-1",
         "partition aws-us-gov"},
        {"us-gov-east-1", &idc_service_iam, "https://iam.us-gov.amazonaws.com", "us-gov-west-1",
         "partition aws-us-gov"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        expect_endpoint(NULL, cases[i].service, cases[i].region, cases[i].url, cases[i].signing,
                        cases[i].partition);
    }
}

static void test_resolve_iam_without_region(void **state)
{
    (void)state;
    expect_endpoint(NULL, &idc_service_iam, NULL, "https://iam.amazonaws.com", "us-east-1",
                    "partition aws");
    struct idc_resolve_region none = region_of(NULL);
    struct idc_resolve_endpoint ep;
    struct idc_error err = {0};
    assert_int_equal(idc_resolve_endpoint(NULL, &idc_service_iam, &none, &ep, &err), IDC_OK);
    assert_string_equal(ep.signing_region, "us-east-1");
}

static void test_resolve_identitystore_needs_region(void **state)
{
    (void)state;
    struct idc_resolve_endpoint ep;
    struct idc_error err = {0};
    expect_error(idc_resolve_endpoint(NULL, &idc_service_identitystore, NULL, &ep, &err), &err,
                 IDC_ERR_ARG, "no region for Identity Store: give a region, set AWS_REGION");
}

static void test_resolve_custom_endpoint_with_region(void **state)
{
    (void)state;
    setenv("AWS_ENDPOINT_URL", "http://localhost:4566", 1);
    expect_endpoint(NULL, &idc_service_identitystore, "ap-northeast-1", "http://localhost:4566",
                    "ap-northeast-1", "AWS_ENDPOINT_URL");
    /* IAM too signs for the configured region once the endpoint is custom, as botocore does. */
    expect_endpoint(NULL, &idc_service_iam, "cn-north-1", "http://localhost:4566", "cn-north-1",
                    "AWS_ENDPOINT_URL");
}

static void test_resolve_custom_endpoint_without_region(void **state)
{
    (void)state;
    setenv("AWS_ENDPOINT_URL", "http://localhost:4566", 1);
    expect_endpoint(NULL, &idc_service_iam, NULL, "http://localhost:4566", "us-east-1",
                    "AWS_ENDPOINT_URL");
    struct idc_resolve_endpoint ep;
    struct idc_error err = {0};
    expect_error(idc_resolve_endpoint(NULL, &idc_service_identitystore, NULL, &ep, &err), &err,
                 IDC_ERR_ARG,
                 "no region for Identity Store (needed to sign for the endpoint from "
                 "AWS_ENDPOINT_URL)");
}

static void test_resolve_endpoint_malformed_region(void **state)
{
    (void)state;
    struct idc_resolve_region r = region_of("us-east-1");
    snprintf(r.name, sizeof r.name, "us-east-1.attacker.example");
    struct idc_resolve_endpoint ep;
    struct idc_error err = {0};
    expect_error(idc_resolve_endpoint(NULL, &idc_service_identitystore, &r, &ep, &err), &err,
                 IDC_ERR_ARG, "region 'us-east-1.attacker.example' from explicit is not valid");
}

static void test_resolve_isolated_partition_refused(void **state)
{
    (void)state;
    struct idc_resolve_region r = region_of("us-iso-east-1");
    struct idc_resolve_endpoint ep;
    struct idc_error err = {0};
    expect_error(idc_resolve_endpoint(NULL, &idc_service_iam, &r, &ep, &err), &err, IDC_ERR_ARG,
                 "region 'us-iso-east-1' is in an isolated partition");
    setenv("AWS_ENDPOINT_URL_IAM", "https://iam.example.test", 1);
    expect_endpoint(NULL, &idc_service_iam, "us-iso-east-1", "https://iam.example.test",
                    "us-iso-east-1", "AWS_ENDPOINT_URL_IAM");
}

static void test_resolve_endpoint_url_invalid(void **state)
{
    static const char *const bad[] = {"localhost:4566", "ftp://host",       "https://",
                                      "https:///x",     "http://host name", "https://host\n"};
    struct idc_resolve_region r = region_of("us-east-1");
    struct idc_resolve_endpoint ep;
    struct idc_error err = {0};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv("AWS_ENDPOINT_URL", bad[i], 1);
        expect_error(idc_resolve_endpoint(NULL, &idc_service_iam, &r, &ep, &err), &err, IDC_ERR_ARG,
                     "from AWS_ENDPOINT_URL is not valid: give https://host");
    }
    unsetenv("AWS_ENDPOINT_URL");
    put_config(*state, "[default]\nendpoint_url = localhost\n");
    expect_error(idc_resolve_endpoint(NULL, &idc_service_iam, &r, &ep, &err), &err, IDC_ERR_ARG,
                 "endpoint URL 'localhost' from profile default is not valid");
    static char long_url[IDC_RESOLVE_URL_MAX + 16];
    snprintf(long_url, sizeof long_url, "https://h/");
    memset(long_url + 10, 'p', sizeof long_url - 11);
    struct idc_resolve_input in = {.endpoint_url = long_url};
    expect_error(idc_resolve_endpoint(&in, &idc_service_iam, &r, &ep, &err), &err, IDC_ERR_LIMIT,
                 "endpoint URL from explicit is");
}

/* ---- putting it together ----------------------------------------------------------------- */

static void test_resolve_fill_config(void **state)
{
    put_credentials(*state, "[default]\n"
                            "aws_access_key_id = " KEY1 "\n"
                            "aws_secret_access_key = " SECRET1 "\n");
    put_config(*state, "[default]\nregion = eu-west-2\n");
    struct idc_resolve_creds c;
    struct idc_resolve_region r;
    struct idc_resolve_endpoint ep;
    struct idc_error err = {0};
    assert_int_equal(idc_resolve_credentials(NULL, &c, &err), IDC_OK);
    assert_int_equal(idc_resolve_region(NULL, &r, &err), IDC_OK);
    assert_int_equal(idc_resolve_endpoint(NULL, &idc_service_iam, &r, &ep, &err), IDC_OK);
    struct idc_client_config cfg = {.max_attempts = 5};
    idc_resolve_fill_config(&cfg, &idc_service_iam, &c, &ep, NULL);
    assert_ptr_equal(cfg.service, &idc_service_iam);
    assert_string_equal(cfg.endpoint_url, "https://iam.amazonaws.com");
    assert_string_equal(cfg.region, "us-east-1");
    assert_string_equal(cfg.access_key_id, KEY1);
    assert_string_equal(cfg.secret_access_key, SECRET1);
    assert_null(cfg.session_token);
    assert_int_equal(cfg.max_attempts, 5); /* untouched */
    idc_resolve_creds_cleanup(&c);
}

static void test_resolve_network_from_environment(void **state)
{
    (void)state;
    struct idc_resolve_network n;
    struct idc_error err = {0};
    /* nothing anywhere: no CA bundle (the system store), no proxy */
    assert_int_equal(idc_resolve_network(NULL, &n, &err), IDC_OK);
    assert_string_equal(n.ca_bundle, "");
    assert_string_equal(n.https_proxy, "");
    assert_string_equal(n.no_proxy, "");
    setenv("AWS_CA_BUNDLE", "/etc/ca/env.pem", 1);
    setenv("HTTPS_PROXY", "http://upper.corp:3128", 1);
    setenv("NO_PROXY", "upper.example", 1);
    assert_int_equal(idc_resolve_network(NULL, &n, &err), IDC_OK);
    assert_string_equal(n.ca_bundle, "/etc/ca/env.pem");
    assert_string_equal(n.ca_source, "AWS_CA_BUNDLE");
    assert_string_equal(n.https_proxy, "http://upper.corp:3128");
    assert_string_equal(n.no_proxy, "upper.example");
    /* the lowercase names first, as Python's urllib (botocore) and curl read them */
    setenv("https_proxy", "http://lower.corp:3128", 1);
    setenv("no_proxy", "lower.example", 1);
    assert_int_equal(idc_resolve_network(NULL, &n, &err), IDC_OK);
    assert_string_equal(n.https_proxy, "http://lower.corp:3128");
    assert_string_equal(n.no_proxy, "lower.example");
    /* an empty variable counts as unset */
    setenv("https_proxy", "", 1);
    setenv("AWS_CA_BUNDLE", "", 1);
    assert_int_equal(idc_resolve_network(NULL, &n, &err), IDC_OK);
    assert_string_equal(n.https_proxy, "http://upper.corp:3128");
    assert_string_equal(n.ca_bundle, "");
    /* the caller's CA bundle comes first */
    setenv("AWS_CA_BUNDLE", "/etc/ca/env.pem", 1);
    struct idc_resolve_input in = {.ca_bundle = "/etc/ca/mine.pem"};
    assert_int_equal(idc_resolve_network(&in, &n, &err), IDC_OK);
    assert_string_equal(n.ca_bundle, "/etc/ca/mine.pem");
    assert_string_equal(n.ca_source, "explicit");
}

static void test_resolve_network_ca_bundle_from_profile(void **state)
{
    put_config(*state, "[default]\nca_bundle = /etc/ca/default.pem\n"
                       "[profile dev]\nca_bundle = /etc/ca/dev.pem\n");
    struct idc_resolve_network n;
    struct idc_error err = {0};
    assert_int_equal(idc_resolve_network(NULL, &n, &err), IDC_OK);
    assert_string_equal(n.ca_bundle, "/etc/ca/default.pem");
    assert_string_equal(n.ca_source, "profile default");
    struct idc_resolve_input in = {.profile = "dev"};
    assert_int_equal(idc_resolve_network(&in, &n, &err), IDC_OK);
    assert_string_equal(n.ca_bundle, "/etc/ca/dev.pem");
    setenv("AWS_CA_BUNDLE", "/etc/ca/env.pem", 1); /* the variable before the profile */
    assert_int_equal(idc_resolve_network(&in, &n, &err), IDC_OK);
    assert_string_equal(n.ca_bundle, "/etc/ca/env.pem");
    struct idc_resolve_input missing = {.profile = "nope"};
    unsetenv("AWS_CA_BUNDLE");
    expect_error(idc_resolve_network(&missing, &n, &err), &err, IDC_ERR_ARG,
                 "profile 'nope' is not in");
    /* AWS_PROFILE naming a missing profile only means no ca_bundle from it: the network
     * settings of a saved integration never fail on it (credentials from it would) */
    setenv("AWS_PROFILE", "nope", 1);
    setenv("HTTPS_PROXY", "http://proxy.corp:3128", 1);
    assert_int_equal(idc_resolve_network(NULL, &n, &err), IDC_OK);
    assert_string_equal(n.ca_bundle, "");
    assert_string_equal(n.https_proxy, "http://proxy.corp:3128");
}

static void test_resolve_network_too_long(void **state)
{
    (void)state;
    static char long_value[3000];
    memset(long_value, 'a', sizeof long_value - 1);
    struct idc_resolve_network n;
    struct idc_error err = {0};
    setenv("HTTPS_PROXY", long_value, 1);
    expect_error(idc_resolve_network(NULL, &n, &err), &err, IDC_ERR_LIMIT,
                 "the proxy URL from HTTPS_PROXY is 2999 bytes");
    unsetenv("HTTPS_PROXY");
    setenv("no_proxy", long_value, 1);
    expect_error(idc_resolve_network(NULL, &n, &err), &err, IDC_ERR_LIMIT,
                 "the proxy exemption list from no_proxy is 2999 bytes");
    unsetenv("no_proxy");
    setenv("AWS_CA_BUNDLE", long_value, 1);
    expect_error(idc_resolve_network(NULL, &n, &err), &err, IDC_ERR_LIMIT,
                 "the CA bundle path from AWS_CA_BUNDLE is 2999 bytes");
}

static void test_resolve_all(void **state)
{
    (void)state;
    setenv("AWS_ACCESS_KEY_ID", KEY1, 1);
    setenv("AWS_SECRET_ACCESS_KEY", SECRET1, 1);
    setenv("AWS_REGION", "eu-west-1", 1);
    setenv("HTTPS_PROXY", "http://proxy.corp:3128", 1);
    setenv("AWS_CA_BUNDLE", "/etc/ca/env.pem", 1);
    struct idc_resolved r;
    struct idc_error err = {0};
    assert_int_equal(idc_resolve_all(NULL, &idc_service_identitystore, &r, &err), IDC_OK);
    assert_ptr_equal(r.config.service, &idc_service_identitystore);
    assert_string_equal(r.config.endpoint_url, "https://identitystore.eu-west-1.amazonaws.com");
    assert_string_equal(r.config.region, "eu-west-1");
    assert_string_equal(r.config.access_key_id, KEY1);
    assert_string_equal(r.config.secret_access_key, SECRET1);
    assert_null(r.config.session_token);
    assert_string_equal(r.config.https_proxy, "http://proxy.corp:3128");
    assert_string_equal(r.config.ca_bundle, "/etc/ca/env.pem");
    assert_null(r.config.no_proxy); /* "" reads as not set */
    idc_resolved_cleanup(&r);
    assert_int_equal(r.creds.secret_access_key[0], '\0'); /* wiped */
    /* a failure wipes what was found before it */
    unsetenv("AWS_REGION");
    expect_error(idc_resolve_all(NULL, &idc_service_identitystore, &r, &err), &err, IDC_ERR_ARG,
                 "no region for Identity Store");
    assert_int_equal(r.creds.access_key_id[0], '\0');
    /* IAM needs no region: the global endpoint */
    assert_int_equal(idc_resolve_all(NULL, &idc_service_iam, &r, &err), IDC_OK);
    assert_string_equal(r.config.endpoint_url, "https://iam.amazonaws.com");
    assert_string_equal(r.config.region, "us-east-1");
    idc_resolved_cleanup(&r);
}

static void test_resolve_profile_file_reader(void **state)
{
    (void)state;
    char path[] = "/tmp/idc-resolve-XXXXXX";
    write_all(path, mkstemp(path),
              "[sso-session corp]\n"
              "sso_region = us-east-1\n"
              "[services local]\n"
              "iam =\n"
              "  endpoint_url = http://localhost\n"
              "[profile 'quoted name']\n"
              "region = us-east-2\n"
              "[default]\n"
              "region = us-west-1\n"
              "REGION = us-west-2\n");
    struct idc_profile_file f;
    struct idc_error err = {0};
    assert_int_equal(idc_profile_file_load(&f, IDC_PROFILE_CONFIG, path, path, &err), IDC_OK);
    unlink(path);
    struct idc_str v;
    assert_false(idc_profile_file_has(&f, IDC_STR("corp")));
    assert_false(idc_profile_file_has(&f, IDC_STR("local")));
    assert_true(idc_profile_file_get(&f, IDC_STR("quoted name"), IDC_STR("region"), &v));
    assert_true(idc_str_eq(v, IDC_STR("us-east-2")));
    assert_true(idc_profile_file_get(&f, IDC_STR("default"), IDC_STR("region"), &v));
    assert_true(idc_str_eq(v, IDC_STR("us-west-2"))); /* keys fold case; the last one wins */
    idc_profile_file_cleanup(&f);
    assert_null(f.text);
    /* A missing file is not an error. */
    assert_int_equal(idc_profile_file_load(&f, IDC_PROFILE_CONFIG, path, path, &err), IDC_OK);
    assert_false(f.found);
    idc_profile_file_cleanup(&f);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_resolve_explicit_keys_win, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_explicit_key_without_secret, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_explicit_profile_hides_env, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_env_beats_aws_profile, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_env_missing_secret, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_env_missing_key_id, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_empty_env_is_unset, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_aws_profile_beats_default, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_default_profile, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_default_files_under_home, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_tilde_in_file_variable, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_home_unset, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_credentials_file_overrides_config, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_resolve_config_file_keys, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_section_names, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_comments_and_spacing, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_parse_error_hides_line, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_unsupported_profile_kinds, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_credential_process_after_credentials_file, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_resolve_web_identity_env, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_chain_web_identity, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_missing_explicit_profile, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_missing_aws_profile, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_nothing_found, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_default_without_keys, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_partial_profile_keys, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_secret_too_long, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_token_too_long, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_creds_cleanup_wipes, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_profiles_side_by_side, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_region_precedence, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_region_unset, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_region_missing_profile, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_region_malformed, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_endpoint_precedence_identitystore, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_resolve_endpoint_precedence_iam, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_partition_table, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_iam_without_region, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_identitystore_needs_region, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_custom_endpoint_with_region, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_custom_endpoint_without_region, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_endpoint_malformed_region, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_isolated_partition_refused, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_endpoint_url_invalid, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_tilde_without_home, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_region_and_endpoint_from_one_profile, setup,
                                    teardown),
    cmocka_unit_test_setup_teardown(test_resolve_fill_config, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_network_from_environment, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_network_ca_bundle_from_profile, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_network_too_long, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_all, setup, teardown),
    cmocka_unit_test_setup_teardown(test_resolve_profile_file_reader, setup, teardown),
};

UNIT_MAIN(tests)
