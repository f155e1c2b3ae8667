/* SPDX-License-Identifier: Apache-2.0 */
/*
 * aws_query.c - fuzz target for awsQuery's XML: the walk over expat (idc_xml_walk_full,
 * every leaf and end checked for a sane path), the error answer (idc_protocol_query), and
 * the input as the body of IAM's answers, a 200 to ListUsers, GetUser, GetLoginProfile,
 * ListAccessKeys, ListGroupsForUser and ListMFADevices (services/iam.c), a 404 to
 * GetLoginProfile, a 400 and a 503 to ListUsers, through a client over an in-memory
 * transport.
 */
#include <stdlib.h>
#include <string.h>

#include "aws_query.h"
#include "fuzz.h"
#include "idc/iam.h"

static void check_path(const char *const *path, size_t depth)
{
    if (depth == 0 || depth > IDC_XML_DEPTH_MAX) {
        abort();
    }
    for (size_t i = 0; i < depth; i++) {
        if (path[i] == NULL || strchr(path[i], ':') != NULL) {
            abort();
        }
    }
}

static int on_leaf(const char *const *path, size_t depth, const char *text, size_t len, void *ud)
{
    check_path(path, depth);
    size_t *n = ud;
    *n += len + (len > 0 ? (unsigned char)text[len - 1] : 0);
    return 0;
}

static int on_end(const char *const *path, size_t depth, void *ud)
{
    check_path(path, depth);
    (void)ud;
    return 0;
}

static int on_user(const struct idc_iam_user *u, void *ud)
{
    size_t *n = ud;
    *n += strlen(u->user_name);
    return 0;
}

static int on_key(const struct idc_iam_access_key *k, void *ud)
{
    size_t *n = ud;
    *n += strlen(k->access_key_id);
    return 0;
}

static int on_group(const struct idc_iam_group *g, void *ud)
{
    size_t *n = ud;
    *n += strlen(g->group_name);
    return 0;
}

static int on_item(const struct idc_iam_item *item, void *ud)
{
    size_t *n = ud;
    *n += strlen(item->id);
    return 0;
}

static void list_users(struct idc_client *c, void *ud)
{
    struct idc_error err = {0};
    idc_iam_list_users(c, NULL, on_user, ud, &err);
}

static void get_user(struct idc_client *c, void *ud)
{
    (void)ud;
    struct idc_iam_user u;
    struct idc_error err = {0};
    idc_iam_get_user(c, "jdoe", &u, &err);
}

static void login_profile(struct idc_client *c, void *ud)
{
    (void)ud;
    bool has = false;
    struct idc_error err = {0};
    idc_iam_get_login_profile(c, "jdoe", &has, &err);
}

static void access_keys(struct idc_client *c, void *ud)
{
    struct idc_iam_key_counts counts;
    struct idc_error err = {0};
    idc_iam_list_access_keys(c, "jdoe", on_key, ud, &counts, &err);
}

static void groups(struct idc_client *c, void *ud)
{
    struct idc_error err = {0};
    idc_iam_list_groups_for_user(c, "jdoe", on_group, ud, &err);
}

static void mfa_devices(struct idc_client *c, void *ud)
{
    struct idc_error err = {0};
    idc_iam_list_user_items(c, IDC_IAM_MFA_DEVICE, "jdoe", on_item, ud, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT) {
        return 0;
    }
    /* a body ends in a NUL, as the transports leave it */
    char *body = malloc(size + 1);
    if (body == NULL) {
        abort();
    }
    memcpy(body, data, size);
    body[size] = '\0';
    size_t seen = 0;
    struct idc_error err = {0};
    idc_xml_walk_full(body, size, on_leaf, on_end, &seen, &err);
    for (int status = 200; status <= 400; status += 200) {
        struct idc_http_response resp = {
            .status = status, .retry_after = -1, .body = body, .body_len = size};
        idc_protocol_query.parse_error(&resp, &err);
    }
    free(body);

    static void (*const ops[])(struct idc_client *, void *) = {list_users,  get_user, login_profile,
                                                               access_keys, groups,   mfa_devices};
    struct idc_client *c = fuzz_client(&idc_service_iam, "https://iam.amazonaws.com");
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        fuzz_answer(c, 200, "text/xml", data, size, ops[i], &seen);
    }
    /* errors read alike whatever the operation, but for NoSuchEntity to GetLoginProfile */
    fuzz_answer(c, 404, "text/xml", data, size, login_profile, &seen);
    fuzz_answer(c, 400, "text/xml", data, size, list_users, &seen);
    fuzz_answer(c, 503, "text/xml", data, size, list_users, &seen);
    idc_client_free(c);
    return 0;
}
