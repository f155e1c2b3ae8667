/* SPDX-License-Identifier: Apache-2.0 */
/*
 * consumer.c - a program built against an installed libidc, outside this build (run.sh
 * builds it with pkg-config and with find_package(idc)). It prints the library's version,
 * signs the AWS documentation's example request, and lists the users of a store.
 *   consumer ENDPOINT STORE_ID      (keys from the environment, as the aws CLI finds them)
 */
#include <stdio.h>
#include <string.h>

#include <idc/directory.h>
#include <idc/resolve.h>
#include <idc/sigv4.h>
#include <idc/version.h>

/* The SigV4 documentation's GET example ("get-vanilla" in the test suites). */
static int sign_example(void)
{
    struct idc_sigv4_header headers[] = {
        {IDC_STR("Host"), IDC_STR("example.amazonaws.com")},
        {IDC_STR("X-Amz-Date"), IDC_STR("20150830T123600Z")},
    };
    struct idc_sigv4_request req = {
        .method = IDC_STR("GET"), .path = IDC_STR("/"), .headers = headers, .header_count = 2};
    struct idc_sigv4_credentials creds = {
        IDC_STR("AKIDEXAMPLE"), IDC_STR("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), IDC_STR("")};
    struct idc_sigv4_config cfg = {.region = IDC_STR("us-east-1"),
                                   .service = IDC_STR("service"),
                                   .time = 1440938160, /* 2015-08-30T12:36:00Z */
                                   .flags = IDC_SIGV4_FLAGS_DEFAULT};
    char work[IDC_SIGV4_WORK_SIZE];
    struct idc_buf buf = IDC_BUF(work);
    struct idc_sigv4_result res;
    struct idc_error err = {0};
    if (idc_sigv4_sign(&cfg, &creds, &req, &buf, &res, &err) != IDC_OK) {
        printf("sign failed: %s\n", err.msg);
        return 1;
    }
    printf("signature " IDC_STR_FMT "\n", IDC_STR_ARG(res.signature));
    return 0;
}

static int count(const struct idc_user *u, void *ud)
{
    (void)u;
    ++*(unsigned long *)ud;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: consumer ENDPOINT STORE_ID\n");
        return 2;
    }
    printf("libidc %s (compiled against %s)\n", idc_version(), IDC_VERSION_STRING);
    if (sign_example() != 0) {
        return 1;
    }
    static struct idc_resolved r;
    struct idc_resolve_input in = {.region = "us-east-1", .endpoint_url = argv[1]};
    struct idc_error err = {0};
    if (idc_resolve_all(&in, idc_kind_service(IDC_KIND_IDENTITY_CENTER), &r, &err) != IDC_OK) {
        printf("resolve failed: %s\n", err.msg);
        return 1;
    }
    struct idc_directory_config dc = {
        .kind = IDC_KIND_IDENTITY_CENTER, .store_id = argv[2], .client = r.config};
    struct idc_directory *dir = NULL;
    unsigned long users = 0;
    idc_err rc = idc_directory_open(&dir, &dc, &err);
    rc = rc ? rc : idc_directory_list_users(dir, count, &users, &err);
    idc_directory_free(dir);
    idc_resolved_cleanup(&r);
    if (rc != IDC_OK) {
        printf("listing failed: %s\n", err.msg);
        return 1;
    }
    printf("listed %lu users\n", users);
    return 0;
}
