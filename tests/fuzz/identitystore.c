/* SPDX-License-Identifier: Apache-2.0 */
/*
 * identitystore.c - fuzz target: the input is the body of an Identity Store answer, given
 * as a 200 to ListUsers (the page walk: idc_json_fields, the array iterator, each user
 * parsed), DescribeUser, ListGroupMembershipsForMember, DescribeGroup and GetUserId, and as
 * a 400 and a 503 to ListUsers, through a client over an in-memory transport: the
 * awsJson1_1 error reading (aws_json.c, protocol.c) and the client's handling of it included.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "idc/identitystore.h"
#include "protocol.h"

#define STORE "d-1234567890"
#define USER  "90676b4c-4041-7084-c5f8-72c57fe6c3f0"

static int on_user(const struct idc_ids_user *u, void *ud)
{
    size_t *n = ud;
    *n += u->json.len + strlen(u->user_id) + (u->email ? strlen(u->email) : 0) +
          (u->user_name ? strlen(u->user_name) : 0) + (u->status ? strlen(u->status) : 0);
    return 0;
}

static int on_page(unsigned page, size_t users, void *ud)
{
    (void)ud;
    return page > 2 && users == 0;
}

static int on_membership(const char *membership_id, const char *group_id, void *ud)
{
    size_t *n = ud;
    *n += strlen(membership_id) + strlen(group_id);
    return 0;
}

static void list_users(struct idc_client *c, void *ud)
{
    struct idc_error err = {0};
    idc_ids_list_users(c, STORE, on_user, on_page, ud, &err);
}

static void describe_user(struct idc_client *c, void *ud)
{
    struct idc_error err = {0};
    idc_ids_describe_user(c, STORE, USER, on_user, ud, &err);
}

static void memberships(struct idc_client *c, void *ud)
{
    struct idc_error err = {0};
    idc_ids_list_memberships_for_member(c, STORE, USER, on_membership, ud, &err);
}

static void describe_group(struct idc_client *c, void *ud)
{
    (void)ud;
    char name[IDC_IDS_DISPLAY_NAME_MAX + 1];
    struct idc_error err = {0};
    idc_ids_describe_group(c, STORE, "g-1", name, sizeof name, &err);
}

static void get_user_id(struct idc_client *c, void *ud)
{
    (void)ud;
    char id[64];
    struct idc_error err = {0};
    idc_ids_get_user_id(c, STORE, "userName", "jdoe", id, sizeof id, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_MAX_INPUT) {
        return 0;
    }
    static void (*const ops[])(struct idc_client *, void *) = {
        list_users, describe_user, memberships, describe_group, get_user_id};
    struct idc_client *c =
        fuzz_client(&idc_service_identitystore, "https://identitystore.us-east-1.amazonaws.com");
    size_t seen = 0;
    const char *type = "application/x-amz-json-1.1";
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        fuzz_answer(c, 200, type, data, size, ops[i], &seen);
    }
    /* errors read alike whatever the operation: two statuses, on the listing */
    fuzz_answer(c, 400, type, data, size, list_users, &seen);
    fuzz_answer(c, 503, type, data, size, list_users, &seen);
    idc_client_free(c);

    /* the protocol's own reading of an error answer, with no client around it; a body
       ends in a NUL, as the transports leave it */
    char *body = malloc(size + 1);
    if (body == NULL) {
        abort();
    }
    memcpy(body, data, size);
    body[size] = '\0';
    struct idc_http_response resp = {
        .status = 400, .retry_after = -1, .body = body, .body_len = size};
    struct idc_error err = {0};
    idc_protocol_json.parse_error(&resp, &err);
    int64_t ms = idc_protocol_json.retry_after_ms(&resp);
    if (ms < -1 || ms > IDC_RETRY_AFTER_MAX_MS) {
        abort(); /* the hint is read as -1 (none) or 0 .. a day, never beyond */
    }
    free(body);
    return 0;
}
