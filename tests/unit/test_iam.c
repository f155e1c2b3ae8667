/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_iam.c - the IAM service (iam.h) over the scripted in-memory transport of
 * fake_transport.h, which answers each request with the next scripted XML answer, laid
 * out as IAM and mockaws render them (botocore's element names), and records each request's
 * headers and form. Covers paging, every kind of item on a user, the write forms, and the
 * answers refused: wrong root, missing or over-long fields, malformed or too deep XML.
 */
#include "unit.h"

#include <stdbool.h>
#include <stdlib.h>

#include "fake_transport.h"
#include "idc/client.h"
#include "idc/iam.h"
#include "idc/identitystore.h"

#define TEST_ENDPOINT "https://iam.amazonaws.com"

/* ---- answers as IAM renders them ------------------------------------------------------- */

#define MORE(marker) "<IsTruncated>true</IsTruncated><Marker>" marker "</Marker>"

#define USER(path, name, id, created)                                                              \
    "<Path>" path "</Path><UserName>" name "</UserName><UserId>" id "</UserId><Arn>arn:aws:iam::"  \
    "123456789012:user" path name "</Arn><CreateDate>" created "</CreateDate>"
#define ALICE USER("/", "alice", "AIDAALICEEXAMPLE00001", "2024-01-02T03:04:05Z")
#define BOB   USER("/ops/", "bob", "AIDABOBEXAMPLE0000002", "2023-05-06T07:08:09Z")
#define CAROL USER("/", "carol", "AIDACAROLEXAMPLE00003", "2024-01-02T03:04:05Z")

#define ERROR_ANSWER(type, code, message, rid)                                                     \
    "<ErrorResponse xmlns=\"" XMLNS "\"><Error><Type>" type "</Type><Code>" code                   \
    "</Code><Message>" message "</Message></Error><RequestId>" rid "</RequestId></ErrorResponse>"

/* ---- the case's client ------------------------------------------------------------------ */

static void client_for(struct fake *f, const struct idc_service *service,
                       const struct fake_step *steps, size_t count)
{
    f->steps = steps;
    f->count = count;
    f->content_type = "text/xml";
    struct idc_client_config cfg = fake_client_config(f);
    cfg.service = service;
    cfg.endpoint_url = service == &idc_service_iam
                           ? TEST_ENDPOINT
                           : "https://identitystore.us-east-1.amazonaws.com";
    assert_int_equal(idc_client_new(&f->client, &cfg, &f->err), IDC_OK);
}

static void client_start(struct fake *f, const struct fake_step *steps, size_t count)
{
    client_for(f, &idc_service_iam, steps, count);
}

/* Starts again with another script: a fresh client and no request seen. */
static void client_restart(struct fake *f, const struct fake_step *steps, size_t count)
{
    fake_reset(f);
    client_start(f, steps, count);
}

/* ---- what the callbacks saw ------------------------------------------------------------- */

#define MAX_LISTED 8

struct users {
    size_t n;
    size_t stop_at; /* nonzero: stop after this many */
    struct idc_iam_user u[MAX_LISTED];
};

static int on_user(const struct idc_iam_user *u, void *ud)
{
    struct users *l = ud;
    if (l->n < MAX_LISTED) {
        l->u[l->n] = *u;
    }
    l->n++;
    return l->stop_at != 0 && l->n == l->stop_at;
}

struct items {
    size_t n;
    size_t stop_at;
    enum idc_iam_item_kind kind[MAX_LISTED];
    char id[MAX_LISTED][128];
    char name[MAX_LISTED][64];
    char status[MAX_LISTED][16];
    char date[MAX_LISTED][48];
};

static void copy_or_null(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "(null)");
}

static int on_item(const struct idc_iam_item *it, void *ud)
{
    struct items *l = ud;
    if (l->n < MAX_LISTED) {
        l->kind[l->n] = it->kind;
        copy_or_null(l->id[l->n], sizeof l->id[0], it->id);
        copy_or_null(l->name[l->n], sizeof l->name[0], it->name);
        copy_or_null(l->status[l->n], sizeof l->status[0], it->status);
        copy_or_null(l->date[l->n], sizeof l->date[0], it->date);
    }
    l->n++;
    return l->stop_at != 0 && l->n == l->stop_at;
}

struct keys {
    size_t n;
    struct idc_iam_access_key k[MAX_LISTED];
};

static int on_key(const struct idc_iam_access_key *k, void *ud)
{
    struct keys *l = ud;
    if (l->n < MAX_LISTED) {
        l->k[l->n] = *k;
    }
    l->n++;
    return 0;
}

struct groups {
    size_t n;
    struct idc_iam_group g[MAX_LISTED];
};

static int on_group(const struct idc_iam_group *g, void *ud)
{
    struct groups *l = ud;
    if (l->n < MAX_LISTED) {
        l->g[l->n] = *g;
    }
    l->n++;
    return 0;
}

static int never(const struct idc_iam_user *u, void *ud)
{
    (void)u;
    (void)ud;
    fail_msg("the callback ran");
    return 1;
}

/* ---- ListUsers ---------------------------------------------------------------------------- */

/* The IAM API Reference's ListUsers example, indented as AWS sends it. */
static const char list_users_reference[] =
    "<ListUsersResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\n"
    "   <ListUsersResult>\n"
    "      <Users>\n"
    "         <member>\n"
    "            <UserId>AID2MAB8DPLSRHEXAMPLE</UserId>\n"
    "            <Path>/division_abc/subdivision_xyz/engineering/</Path>\n"
    "            <UserName>Andrew</UserName>\n"
    "            <Arn>arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/"
    "engineering/Andrew</Arn>\n"
    "            <CreateDate>2012-09-05T19:38:48Z</CreateDate>\n"
    "            <PasswordLastUsed>2014-09-08T21:47:36Z</PasswordLastUsed>\n"
    "         </member>\n"
    "         <member>\n"
    "            <UserId>AIDIODR4TAW7CSEXAMPLE</UserId>\n"
    "            <Path>/division_abc/subdivision_xyz/engineering/</Path>\n"
    "            <UserName>Jackie</UserName>\n"
    "            <Arn>arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/"
    "engineering/Jackie</Arn>\n"
    "            <CreateDate>2012-09-05T19:38:48Z</CreateDate>\n"
    "         </member>\n"
    "      </Users>\n"
    "      <IsTruncated>false</IsTruncated>\n"
    "   </ListUsersResult>\n"
    "   <ResponseMetadata>\n"
    "      <RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId>\n"
    "   </ResponseMetadata>\n"
    "</ListUsersResponse>\n";

static void test_iam_list_users_one_page(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200, .body = list_users_reference, .request_id = "r1"}};
    client_start(f, s, N_OF(s));
    struct users l = {0};
    assert_int_equal(idc_iam_list_users(f->client, NULL, on_user, &l, &f->err), IDC_OK);
    assert_int_equal(l.n, 2);
    const struct idc_iam_user *a = &l.u[0], *j = &l.u[1];
    assert_string_equal(a->user_name, "Andrew");
    assert_string_equal(a->user_id, "AID2MAB8DPLSRHEXAMPLE");
    assert_string_equal(a->path, "/division_abc/subdivision_xyz/engineering/");
    assert_string_equal(
        a->arn, "arn:aws:iam::123456789012:user/division_abc/subdivision_xyz/engineering/Andrew");
    assert_string_equal(a->create_date, "2012-09-05T19:38:48Z");
    assert_int_equal(a->create_time, 1346873928);
    assert_string_equal(a->password_last_used, "2014-09-08T21:47:36Z");
    assert_int_equal(a->password_last_used_time, 1410212856);
    assert_string_equal(j->user_name, "Jackie");
    assert_string_equal(j->user_id, "AIDIODR4TAW7CSEXAMPLE");
    assert_string_equal(j->password_last_used, ""); /* never used, or no password */
    assert_int_equal(j->password_last_used_time, 0);
    assert_int_equal(f->requests, 1);
    const struct fake_request *r = &f->seen[0];
    assert_string_equal(r->body, "Action=ListUsers&Version=2010-05-08&MaxItems=100");
    assert_string_equal(fake_seen_header(r, "Content-Type"),
                        "application/x-www-form-urlencoded; charset=utf-8");
    assert_string_equal(fake_seen_header(r, "Host"), "iam.amazonaws.com");
    assert_null(fake_seen_header(r, "X-Amz-Target")); /* awsQuery: the form carries Action */
    assert_non_null(strstr(fake_seen_header(r, "Authorization"), "/us-east-1/iam/aws4_request"));
}

static void test_iam_list_users_path_prefix(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200, .body = ANSWER("ListUsers", "<Users><member>" BOB "</member></Users>")},
    };
    client_start(f, s, N_OF(s));
    struct users l = {0};
    assert_int_equal(idc_iam_list_users(f->client, "/ops/", on_user, &l, &f->err), IDC_OK);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.u[0].path, "/ops/");
    assert_string_equal(l.u[0].arn, "arn:aws:iam::123456789012:user/ops/bob");
    assert_string_equal(f->seen[0].body,
                        "Action=ListUsers&Version=2010-05-08&PathPrefix=%2Fops%2F&MaxItems=100");
}

static void test_iam_list_users_empty(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200, .body = ANSWER("ListUsers", "<Users/>" NOT_TRUNCATED)},
        {.status = 200, .body = ANSWER("ListUsers", "")},
    };
    client_start(f, s, N_OF(s));
    struct users l = {0};
    assert_int_equal(idc_iam_list_users(f->client, NULL, on_user, &l, &f->err), IDC_OK);
    assert_int_equal(idc_iam_list_users(f->client, NULL, on_user, &l, &f->err), IDC_OK);
    assert_int_equal(l.n, 0);
    assert_int_equal(f->requests, 2);
}

/* The Marker comes back as IAM sent it, whatever it holds: markerType allows \u0020-\u00FF. */
#define ODD_MARKER     "a+b/c= d&amp;e%f"
#define ODD_MARKER_RAW "a+b/c= d&e%f"

static void test_iam_list_users_pages(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200,
         .body = ANSWER("ListUsers", "<Users><member>" ALICE "</member></Users>" MORE(ODD_MARKER)),
         .request_id = "page-1"},
        {.status = 200,
         .body = ANSWER("ListUsers", "<Users><member>" BOB "</member></Users>" MORE("6361726f6c")),
         .request_id = "page-2"},
        {.status = 200,
         .body = ANSWER("ListUsers", "<IsTruncated>false</IsTruncated><Users><member>" CAROL
                                     "</member></Users>"),
         .request_id = "page-3"},
    };
    client_start(f, s, N_OF(s));
    struct users l = {0};
    assert_int_equal(idc_iam_list_users(f->client, NULL, on_user, &l, &f->err), IDC_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.u[0].user_name, "alice");
    assert_string_equal(l.u[1].user_name, "bob");
    assert_string_equal(l.u[2].user_name, "carol");
    assert_int_equal(f->requests, 3);
    fake_assert_param(f, 0, "Marker", NULL);
    fake_assert_param(f, 1, "Marker", ODD_MARKER_RAW);
    fake_assert_param(f, 2, "Marker", "6361726f6c");
    for (size_t i = 0; i < 3; i++) {
        fake_assert_param(f, i, "Action", "ListUsers");
        fake_assert_param(f, i, "MaxItems", "100");
    }
    assert_string_equal(f->seen[1].body, "Action=ListUsers&Version=2010-05-08&MaxItems=100&"
                                         "Marker=a%2Bb%2Fc%3D%20d%26e%25f");
}

static void test_iam_list_users_callback_stops(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200,
         .body = ANSWER("ListUsers", "<Users><member>" ALICE "</member><member>" BOB
                                     "</member></Users>" MORE("m1"))},
        {.status = 200, .body = ANSWER("ListUsers", "<Users><member>" CAROL "</member></Users>")},
    };
    client_start(f, s, N_OF(s));
    struct users l = {.stop_at = 2};
    assert_int_equal(idc_iam_list_users(f->client, NULL, on_user, &l, &f->err), IDC_OK);
    assert_int_equal(l.n, 2);
    assert_int_equal(f->requests, 1); /* stopping at a page's last user fetches no more */
}

static void test_iam_list_users_repeated_marker(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200,
         .body = ANSWER("ListUsers", "<Users><member>" ALICE "</member></Users>" MORE("same"))},
        {.status = 200,
         .body = ANSWER("ListUsers", "<Users><member>" BOB "</member></Users>" MORE("same"))},
        {.status = 200, .body = ANSWER("ListUsers", "<Users/>")},
    };
    client_start(f, s, N_OF(s));
    struct users l = {0};
    idc_err rc = idc_iam_list_users(f->client, NULL, on_user, &l, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_PARSE,
                       "the server sent a Marker it had sent on an earlier page of this listing; "
                       "stopping instead of looping");
    assert_non_null(strstr(f->err.msg, "listing IAM users: IAM ListUsers: "));
    assert_int_equal(f->requests, 2);
    assert_int_equal(l.n, 2); /* the second page's users were handed on before the check */
}

/* IAM once refused only a Marker repeated on the very next page: A, B, A looped. */
static void test_iam_list_users_marker_cycle(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200,
         .body = ANSWER("ListUsers", "<Users><member>" ALICE "</member></Users>" MORE("A"))},
        {.status = 200, .body = ANSWER("ListUsers", "<Users/>" MORE("B"))},
        {.status = 200,
         .body = ANSWER("ListUsers", "<Users><member>" BOB "</member></Users>" MORE("A"))},
        {.status = 200, .body = ANSWER("ListUsers", "<Users/>")},
    };
    client_start(f, s, N_OF(s));
    struct users l = {0};
    idc_err rc = idc_iam_list_users(f->client, NULL, on_user, &l, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_PARSE, "sent a Marker it had sent on an earlier page");
    assert_int_equal(f->requests, 3);
}

static void test_iam_list_users_truncated_without_marker(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200,
         .body = ANSWER("ListUsers", "<Users><member>" ALICE "</member></Users>"
                                     "<IsTruncated>true</IsTruncated>"),
         .request_id = "req-trunc"},
        {.status = 200,
         .body = ANSWER("ListUsers", "<Users/><IsTruncated>true</IsTruncated><Marker></Marker>")},
    };
    client_start(f, s, N_OF(s));
    struct users l = {0};
    idc_err rc = idc_iam_list_users(f->client, NULL, on_user, &l, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_PARSE, "IsTruncated is true but there is no Marker");
    assert_non_null(strstr(f->err.msg, "IAM ListUsers answer (request id req-trunc)"));
    assert_int_equal(l.n, 0); /* a page that breaks the model hands nothing on */
    rc = idc_iam_list_users(f->client, NULL, on_user, &l, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_PARSE, "IsTruncated is true but there is no Marker");
    assert_int_equal(f->requests, 2);
}

/* ---- GetUser, GetLoginProfile ------------------------------------------------------------ */

static void test_iam_get_user(void **state)
{
    struct fake *f = *state;
    /* GetUser also returns tags and a permissions boundary: nested elements to skip. */
    const struct fake_step s[] = {
        {.status = 200,
         .body = ANSWER("GetUser",
                        "<User>" ALICE "<PasswordLastUsed>2024-01-02T03:04:05Z</PasswordLastUsed>"
                        "<PermissionsBoundary><PermissionsBoundaryType>Policy"
                        "</PermissionsBoundaryType><PermissionsBoundaryArn>arn:aws:iam::"
                        "123456789012:policy/b</PermissionsBoundaryArn></PermissionsBoundary>"
                        "<Tags><member><Key>UserName</Key><Value>mallory</Value></member></Tags>"
                        "</User>")},
        {.status = 200, .body = ANSWER("GetUser", "<User>" BOB "</User>")},
    };
    client_start(f, s, N_OF(s));
    struct idc_iam_user u;
    assert_int_equal(idc_iam_get_user(f->client, "alice", &u, &f->err), IDC_OK);
    assert_string_equal(u.user_name, "alice");
    assert_string_equal(u.user_id, "AIDAALICEEXAMPLE00001");
    assert_string_equal(u.arn, "arn:aws:iam::123456789012:user/alice");
    assert_string_equal(u.path, "/");
    assert_int_equal(u.create_time, 1704164645);
    assert_int_equal(u.password_last_used_time, 1704164645);
    assert_string_equal(f->seen[0].body, "Action=GetUser&Version=2010-05-08&UserName=alice");
    /* No name: the caller, and no UserName parameter. */
    assert_int_equal(idc_iam_get_user(f->client, NULL, &u, &f->err), IDC_OK);
    assert_string_equal(u.user_name, "bob");
    assert_string_equal(u.password_last_used, "");
    assert_string_equal(f->seen[1].body, "Action=GetUser&Version=2010-05-08");
}

static void test_iam_get_user_no_such_entity(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 404,
         .body = ERROR_ANSWER("Sender", "NoSuchEntity", "The user with name bob cannot be found.",
                              "body-rid"),
         .request_id = "header-rid"},
        {.status = 404,
         .body = ERROR_ANSWER("Sender", "NoSuchEntity", "The user with name bob cannot be found.",
                              "body-rid")},
    };
    client_start(f, s, N_OF(s));
    struct idc_iam_user u;
    idc_err rc = idc_iam_get_user(f->client, "bob", &u, &f->err);
    fake_assert_failed(
        f, rc, IDC_ERR_AWS,
        "reading IAM user bob: NoSuchEntity: The user with name bob cannot be found. "
        "(HTTP 404)");
    assert_string_equal(f->err.aws_code, "NoSuchEntity");
    assert_int_equal(f->err.http_status, 404);
    assert_string_equal(f->err.request_id, "header-rid");
    assert_false(f->err.retryable);
    /* Without the header, the body's RequestId. */
    rc = idc_iam_get_user(f->client, "bob", &u, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_AWS, "NoSuchEntity");
    assert_string_equal(f->err.request_id, "body-rid");
    assert_int_equal(f->requests, 2);
}

static void test_iam_get_user_answer_shapes(void **state)
{
    struct fake *f = *state;
    static const struct {
        const char *body;
        const char *fragment;
    } cases[] = {
        {ANSWER("GetUser", "<User>" ALICE "</User><User>" BOB "</User>"),
         "2 <User> elements where the model has one"},
        {ANSWER("GetUser", "<Other>x</Other>"), "0 <User> elements where the model has one"},
        {WRITTEN("GetUser"), "no <GetUserResult> element"},
        {ANSWER("GetUser", "<User/>"), "item 1 of <User> has no <Path>"},
        {ANSWER("GetUser",
                "<User>" USER("/", "alice", "AIDAALICEEXAMPLE00001", "yesterday") "</User>"),
         "IAM answer: CreateDate: 'yesterday' is not a UTC time"},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        const struct fake_step s[] = {
            {.status = 200, .body = cases[i].body, .request_id = "rid-9"}};
        client_restart(f, s, N_OF(s));
        struct idc_iam_user u;
        idc_err rc = idc_iam_get_user(f->client, "alice", &u, &f->err);
        if (rc != IDC_ERR_PARSE || strstr(f->err.msg, cases[i].fragment) == NULL ||
            strstr(f->err.msg, "reading IAM user alice: ") != f->err.msg) {
            fail_msg("case %zu: %s: %s", i, idc_err_name(rc), f->err.msg);
        }
    }
}

static void test_iam_get_login_profile(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200,
         .body =
             ANSWER("GetLoginProfile", "<LoginProfile><UserName>alice</UserName><CreateDate>"
                                       "2024-01-02T03:04:05Z</CreateDate><PasswordReset"
                                       "Required>false</PasswordResetRequired></LoginProfile>")},
        {.status = 404,
         .body = ERROR_ANSWER("Sender", "NoSuchEntity",
                              "Login Profile for User bob cannot be found.", "rid-2")},
        {.status = 403,
         .body = ERROR_ANSWER("Sender", "AccessDenied",
                              "User: arn:aws:iam::123456789012:user/auditor is not authorized to "
                              "perform: iam:GetLoginProfile on resource: user carol",
                              "rid-3")},
    };
    client_start(f, s, N_OF(s));
    bool has = false;
    assert_int_equal(idc_iam_get_login_profile(f->client, "alice", &has, &f->err), IDC_OK);
    assert_true(has);
    assert_string_equal(f->seen[0].body,
                        "Action=GetLoginProfile&Version=2010-05-08&UserName=alice");
    has = true;
    /* NoSuchEntity is IAM's way of saying "no password". */
    assert_int_equal(idc_iam_get_login_profile(f->client, "bob", &has, &f->err), IDC_OK);
    assert_false(has);
    has = true;
    idc_err rc = idc_iam_get_login_profile(f->client, "carol", &has, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_AWS,
                       "reading the login profile of IAM user carol: AccessDenied: ");
    assert_false(has);
    assert_string_equal(f->err.aws_code, "AccessDenied");
    assert_string_equal(f->err.request_id, "rid-3");
    assert_int_equal(f->err.http_status, 403);
    assert_int_equal(f->requests, 3);
}

/* ---- access keys and groups -------------------------------------------------------------- */

#define KEY(id, status, created)                                                                   \
    "<member><UserName>alice</UserName><AccessKeyId>" id "</AccessKeyId><Status>" status           \
    "</Status><CreateDate>" created "</CreateDate></member>"

static void test_iam_list_access_keys_counts(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200,
         .body = ANSWER(
             "ListAccessKeys",
             "<AccessKeyMetadata>" KEY("AKIAIOSFODNN7EXAMPLE", "Active", "2024-01-02T03:04:05Z")
                 KEY("AKIAI44QH8DHBEXAMPLE", "Inactive",
                     "2023-05-06T07:08:09Z") "</AccessKeyMetadata>" MORE("2"))},
        {.status = 200,
         .body = ANSWER(
             "ListAccessKeys",
             "<AccessKeyMetadata><member><AccessKeyId>AKIAJJJJJJJJJEXAMPLE"
             "</AccessKeyId><Status>Active</Status></member></AccessKeyMetadata>" NOT_TRUNCATED)},
        {.status = 200, .body = ANSWER("ListAccessKeys", "<AccessKeyMetadata/>" NOT_TRUNCATED)},
    };
    client_start(f, s, N_OF(s));
    struct keys l = {0};
    struct idc_iam_key_counts counts = {-1, -1};
    assert_int_equal(idc_iam_list_access_keys(f->client, "alice", on_key, &l, &counts, &f->err),
                     IDC_OK);
    assert_int_equal(counts.total, 3);
    assert_int_equal(counts.active, 2);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.k[0].access_key_id, "AKIAIOSFODNN7EXAMPLE");
    assert_string_equal(l.k[0].status, "Active");
    assert_true(l.k[0].active);
    assert_int_equal(l.k[0].create_time, 1704164645);
    assert_string_equal(l.k[1].status, "Inactive");
    assert_false(l.k[1].active);
    assert_string_equal(l.k[1].create_date, "2023-05-06T07:08:09Z");
    assert_string_equal(l.k[2].create_date, ""); /* CreateDate is optional in the model */
    assert_int_equal(l.k[2].create_time, 0);
    fake_assert_param(f, 0, "UserName", "alice");
    fake_assert_param(f, 0, "Marker", NULL);
    fake_assert_param(f, 1, "Marker", "2");
    /* No callback, only the counts. */
    assert_int_equal(idc_iam_list_access_keys(f->client, "bob", NULL, NULL, &counts, &f->err),
                     IDC_OK);
    assert_int_equal(counts.total, 0);
    assert_int_equal(counts.active, 0);
    assert_int_equal(f->requests, 3);
}

static void test_iam_list_groups_for_user(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200,
         .body = ANSWER("ListGroupsForUser",
                        "<Groups><member><Path>/</Path><GroupName>Admins</GroupName><GroupId>"
                        "AGPAADMINSEXAMPLE0001</GroupId><Arn>arn:aws:iam::123456789012:group/"
                        "Admins</Arn><CreateDate>2024-01-02T03:04:05Z</CreateDate></member>"
                        "<member><Path>/eng/</Path><GroupName>Dev&amp;Ops</GroupName><GroupId>"
                        "AGPADEVOPSEXAMPLE0002</GroupId><Arn>arn:aws:iam::123456789012:group/"
                        "eng/Dev&amp;Ops</Arn><CreateDate>2024-01-02T03:04:05Z</CreateDate>"
                        "</member></Groups>" NOT_TRUNCATED)},
    };
    client_start(f, s, N_OF(s));
    struct groups l = {0};
    assert_int_equal(idc_iam_list_groups_for_user(f->client, "alice", on_group, &l, &f->err),
                     IDC_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.g[0].group_name, "Admins");
    assert_string_equal(l.g[0].group_id, "AGPAADMINSEXAMPLE0001");
    assert_string_equal(l.g[1].group_name, "Dev&Ops");
    assert_string_equal(l.g[1].path, "/eng/");
    assert_string_equal(l.g[1].arn, "arn:aws:iam::123456789012:group/eng/Dev&Ops");
    assert_string_equal(f->seen[0].body,
                        "Action=ListGroupsForUser&Version=2010-05-08&UserName=alice&MaxItems=100");
}

/* ---- items on a user ---------------------------------------------------------------------- */

struct want_item {
    const char *id, *name, *status, *date; /* "(null)" for NULL */
};

struct item_case {
    enum idc_iam_item_kind kind;
    const char *list_action;
    const char *remove_action;
    const char *id_param; /* the removal's parameter for the id */
    const char *body;     /* the List answer */
    size_t count;
    struct want_item want[2];
};

static const struct item_case item_cases[] = {
    {IDC_IAM_ACCESS_KEY,
     "ListAccessKeys",
     "DeleteAccessKey",
     "AccessKeyId",
     ANSWER("ListAccessKeys",
            "<AccessKeyMetadata>" KEY("AKIAIOSFODNN7EXAMPLE", "Active", "2024-01-02T03:04:05Z")
                KEY("AKIAI44QH8DHBEXAMPLE", "Inactive",
                    "2023-05-06T07:08:09Z") "</AccessKeyMetadata>" NOT_TRUNCATED),
     2,
     {{"AKIAIOSFODNN7EXAMPLE", "(null)", "Active", "2024-01-02T03:04:05Z"},
      {"AKIAI44QH8DHBEXAMPLE", "(null)", "Inactive", "2023-05-06T07:08:09Z"}}},
    {IDC_IAM_SIGNING_CERTIFICATE,
     "ListSigningCertificates",
     "DeleteSigningCertificate",
     "CertificateId",
     ANSWER("ListSigningCertificates",
            "<Certificates><member><UserName>alice</UserName><CertificateId>"
            "TA7SMP42TDN5Z26OBPJE7EXAMPLE</CertificateId><CertificateBody>-----BEGIN "
            "CERTIFICATE-----\nMIICdzCCAeCgAwIBAgIGANc+Ha2wMA0GCSqGSIb3DQEBBQUAMFMxCzAJBgNVBAYT\n"
            "-----END CERTIFICATE-----</CertificateBody><Status>Active</Status><UploadDate>"
            "2024-01-02T03:04:05Z</UploadDate></member></Certificates>" NOT_TRUNCATED),
     1,
     {{"TA7SMP42TDN5Z26OBPJE7EXAMPLE", "(null)", "Active", "2024-01-02T03:04:05Z"}}},
    {IDC_IAM_SSH_PUBLIC_KEY,
     "ListSSHPublicKeys",
     "DeleteSSHPublicKey",
     "SSHPublicKeyId",
     ANSWER("ListSSHPublicKeys", "<SSHPublicKeys><member><UserName>alice</UserName>"
                                 "<SSHPublicKeyId>APKAEIBAERJR2EXAMPLE</SSHPublicKeyId><Status>"
                                 "Inactive</Status><UploadDate>2023-05-06T07:08:09Z</UploadDate>"
                                 "</member></SSHPublicKeys>" NOT_TRUNCATED),
     1,
     {{"APKAEIBAERJR2EXAMPLE", "(null)", "Inactive", "2023-05-06T07:08:09Z"}}},
    {IDC_IAM_SERVICE_CREDENTIAL,
     "ListServiceSpecificCredentials",
     "DeleteServiceSpecificCredential",
     "ServiceSpecificCredentialId",
     ANSWER("ListServiceSpecificCredentials",
            "<ServiceSpecificCredentials><member><UserName>alice</UserName><Status>Active"
            "</Status><ServiceUserName>alice-at-123456789012</ServiceUserName><CreateDate>"
            "2024-01-02T03:04:05Z</CreateDate><ServiceSpecificCredentialId>"
            "ACCAQFODNN7EXAMPLE123</ServiceSpecificCredentialId><ServiceName>"
            "codecommit.amazonaws.com</ServiceName></member></"
            "ServiceSpecificCredentials>" NOT_TRUNCATED),
     1,
     {{"ACCAQFODNN7EXAMPLE123", "codecommit.amazonaws.com", "Active", "2024-01-02T03:04:05Z"}}},
    {IDC_IAM_MFA_DEVICE,
     "ListMFADevices",
     "DeactivateMFADevice",
     "SerialNumber",
     ANSWER("ListMFADevices",
            "<MFADevices><member><UserName>alice</UserName><SerialNumber>arn:aws:iam::"
            "123456789012:mfa/alice</SerialNumber><EnableDate>2024-01-02T03:04:05Z</EnableDate>"
            "</member><member><UserName>alice</UserName><SerialNumber>GAHT12345678"
            "</SerialNumber><EnableDate>2023-05-06T07:08:09Z</EnableDate></member></"
            "MFADevices>" NOT_TRUNCATED),
     2,
     {{"arn:aws:iam::123456789012:mfa/alice", "(null)", "(null)", "2024-01-02T03:04:05Z"},
      {"GAHT12345678", "(null)", "(null)", "2023-05-06T07:08:09Z"}}},
    {IDC_IAM_INLINE_POLICY,
     "ListUserPolicies",
     "DeleteUserPolicy",
     "PolicyName",
     ANSWER("ListUserPolicies", "<PolicyNames><member>AllAccessPolicy</member><member>"
                                "KeyPolicy</member></PolicyNames>" NOT_TRUNCATED),
     2,
     {{"AllAccessPolicy", "(null)", "(null)", "(null)"},
      {"KeyPolicy", "(null)", "(null)", "(null)"}}},
    {IDC_IAM_ATTACHED_POLICY,
     "ListAttachedUserPolicies",
     "DetachUserPolicy",
     "PolicyArn",
     ANSWER("ListAttachedUserPolicies",
            "<AttachedPolicies><member><PolicyName>ReadOnlyAccess</PolicyName><PolicyArn>"
            "arn:aws:iam::aws:policy/ReadOnlyAccess</PolicyArn></member></"
            "AttachedPolicies>" NOT_TRUNCATED),
     1,
     {{"arn:aws:iam::aws:policy/ReadOnlyAccess", "ReadOnlyAccess", "(null)", "(null)"}}},
    {IDC_IAM_GROUP,
     "ListGroupsForUser",
     "RemoveUserFromGroup",
     "GroupName",
     ANSWER("ListGroupsForUser",
            "<Groups><member><Path>/</Path><GroupName>Admins</GroupName><GroupId>"
            "AGPAADMINSEXAMPLE0001</GroupId><Arn>arn:aws:iam::123456789012:group/Admins</Arn>"
            "<CreateDate>2024-01-02T03:04:05Z</CreateDate></member></Groups>" NOT_TRUNCATED),
     1,
     {{"Admins", "(null)", "(null)", "(null)"}}},
};

static void test_iam_item_actions(void **state)
{
    (void)state;
    assert_int_equal(N_OF(item_cases), IDC_IAM_ITEM_KIND_COUNT);
    for (size_t i = 0; i < N_OF(item_cases); i++) {
        const struct item_case *c = &item_cases[i];
        assert_string_equal(idc_iam_item_list_action(c->kind), c->list_action);
        assert_string_equal(idc_iam_item_remove_action(c->kind), c->remove_action);
    }
    assert_null(idc_iam_item_list_action(IDC_IAM_ITEM_KIND_COUNT));
    assert_null(idc_iam_item_remove_action(IDC_IAM_ITEM_KIND_COUNT));
    assert_null(idc_iam_item_list_action((enum idc_iam_item_kind) - 1));
    assert_null(idc_iam_item_remove_action((enum idc_iam_item_kind) - 1));
}

static void test_iam_list_user_items_each_kind(void **state)
{
    struct fake *f = *state;
    for (size_t i = 0; i < N_OF(item_cases); i++) {
        const struct item_case *c = &item_cases[i];
        const struct fake_step s[] = {{.status = 200, .body = c->body}};
        client_restart(f, s, N_OF(s));
        struct items l = {0};
        idc_err rc = idc_iam_list_user_items(f->client, c->kind, "alice", on_item, &l, &f->err);
        if (rc != IDC_OK) {
            fail_msg("%s: %s: %s", c->list_action, idc_err_name(rc), f->err.msg);
        }
        assert_int_equal(l.n, c->count);
        for (size_t k = 0; k < c->count; k++) {
            assert_int_equal(l.kind[k], c->kind);
            assert_string_equal(l.id[k], c->want[k].id);
            assert_string_equal(l.name[k], c->want[k].name);
            assert_string_equal(l.status[k], c->want[k].status);
            assert_string_equal(l.date[k], c->want[k].date);
        }
        assert_int_equal(f->requests, 1);
        assert_int_equal(f->seen[0].param_count, 4);
        fake_assert_param(f, 0, "Action", c->list_action);
        fake_assert_param(f, 0, "Version", "2010-05-08");
        fake_assert_param(f, 0, "UserName", "alice");
        fake_assert_param(f, 0, "MaxItems", "100");
    }
}

static void test_iam_list_user_items_pages_and_stop(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200,
         .body = ANSWER("ListUserPolicies",
                        "<PolicyNames><member>p1</member></PolicyNames>" MORE("p1"))},
        {.status = 200,
         .body = ANSWER("ListUserPolicies", "<PolicyNames><member>p2</member><member>p3</member>"
                                            "</PolicyNames>" MORE("p3"))},
        {.status = 200,
         .body = ANSWER("ListUserPolicies", "<PolicyNames><member>p4</member>"
                                            "</PolicyNames>" NOT_TRUNCATED)},
    };
    client_start(f, s, N_OF(s));
    struct items l = {.stop_at = 2};
    assert_int_equal(
        idc_iam_list_user_items(f->client, IDC_IAM_INLINE_POLICY, "alice", on_item, &l, &f->err),
        IDC_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.id[1], "p2");
    assert_int_equal(f->requests, 2);
    fake_assert_param(f, 1, "Marker", "p1");
}

static void test_iam_list_user_items_missing_id(void **state)
{
    struct fake *f = *state;
    static const struct {
        enum idc_iam_item_kind kind;
        const char *body;
        const char *fragment;
    } cases[] = {
        {IDC_IAM_INLINE_POLICY,
         ANSWER("ListUserPolicies", "<PolicyNames><member>p1</member><member></member>"
                                    "</PolicyNames>"),
         "item 2 of <PolicyNames> has no <member>"},
        {IDC_IAM_MFA_DEVICE,
         ANSWER("ListMFADevices", "<MFADevices><member><EnableDate>2024-01-02T03:04:05Z"
                                  "</EnableDate></member></MFADevices>"),
         "item 1 of <MFADevices> has no <SerialNumber>"},
        {IDC_IAM_ATTACHED_POLICY,
         ANSWER("ListAttachedUserPolicies", "<AttachedPolicies><member><PolicyName>x"
                                            "</PolicyName></member></AttachedPolicies>"),
         "item 1 of <AttachedPolicies> has no <PolicyArn>"},
        {IDC_IAM_GROUP,
         ANSWER("ListGroupsForUser", "<Groups><member><GroupName>g</GroupName></member>"
                                     "</Groups>"),
         "item 1 of <Groups> has no <GroupId>"},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        const struct fake_step s[] = {{.status = 200, .body = cases[i].body}};
        client_restart(f, s, N_OF(s));
        struct items l = {0};
        idc_err rc =
            idc_iam_list_user_items(f->client, cases[i].kind, "alice", on_item, &l, &f->err);
        fake_assert_failed(f, rc, IDC_ERR_PARSE, cases[i].fragment);
        assert_non_null(strstr(f->err.msg, "for user alice: "));
        assert_int_equal(l.n, 0);
    }
}

/* ---- removals ----------------------------------------------------------------------------- */

static void test_iam_remove_user_item_forms(void **state)
{
    struct fake *f = *state;
    static const char *const ids[IDC_IAM_ITEM_KIND_COUNT] = {
        [IDC_IAM_ACCESS_KEY] = "AKIAIOSFODNN7EXAMPLE",
        [IDC_IAM_SIGNING_CERTIFICATE] = "TA7SMP42TDN5Z26OBPJE7EXAMPLE",
        [IDC_IAM_SSH_PUBLIC_KEY] = "APKAEIBAERJR2EXAMPLE",
        [IDC_IAM_SERVICE_CREDENTIAL] = "ACCAQFODNN7EXAMPLE123",
        [IDC_IAM_MFA_DEVICE] = "arn:aws:iam::123456789012:mfa/alice",
        [IDC_IAM_INLINE_POLICY] = "AllAccessPolicy",
        [IDC_IAM_ATTACHED_POLICY] = "arn:aws:iam::aws:policy/ReadOnlyAccess",
        [IDC_IAM_GROUP] = "Admins",
    };
    for (size_t i = 0; i < N_OF(item_cases); i++) {
        const struct item_case *c = &item_cases[i];
        char answer[512];
        snprintf(answer, sizeof answer, WRITTEN("%s"), c->remove_action, c->remove_action);
        const struct fake_step s[] = {{.status = 200, .body = answer}};
        client_restart(f, s, N_OF(s));
        idc_err rc = idc_iam_remove_user_item(f->client, c->kind, "alice", ids[c->kind], &f->err);
        if (rc != IDC_OK) {
            fail_msg("%s: %s: %s", c->remove_action, idc_err_name(rc), f->err.msg);
        }
        assert_int_equal(f->requests, 1);
        assert_int_equal(f->seen[0].param_count, 4);
        fake_assert_param(f, 0, "Action", c->remove_action);
        fake_assert_param(f, 0, "Version", "2010-05-08");
        fake_assert_param(f, 0, "UserName", "alice");
        fake_assert_param(f, 0, c->id_param, ids[c->kind]);
    }
    /* The last one, byte for byte: names and values form-encoded. */
    assert_string_equal(f->seen[0].body, "Action=RemoveUserFromGroup&Version=2010-05-08&"
                                         "UserName=alice&GroupName=Admins");
}

static void test_iam_remove_user_item_mfa_form(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {{.status = 200, .body = WRITTEN("DeactivateMFADevice")}};
    client_start(f, s, N_OF(s));
    assert_int_equal(idc_iam_remove_user_item(f->client, IDC_IAM_MFA_DEVICE, "alice",
                                              "arn:aws:iam::123456789012:mfa/alice", &f->err),
                     IDC_OK);
    assert_string_equal(f->seen[0].body,
                        "Action=DeactivateMFADevice&Version=2010-05-08&UserName=alice&"
                        "SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice");
}

static void test_iam_remove_user_item_not_found(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 404,
         .body = ERROR_ANSWER("Sender", "NoSuchEntity",
                              "The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found.",
                              "rid-nf")},
    };
    client_start(f, s, N_OF(s));
    idc_err rc = idc_iam_remove_user_item(f->client, IDC_IAM_ACCESS_KEY, "alice",
                                          "AKIAIOSFODNN7EXAMPLE", &f->err);
    fake_assert_failed(f, rc, IDC_ERR_AWS, "NoSuchEntity: The Access Key with id");
    assert_string_equal(f->err.aws_code, "NoSuchEntity");
    assert_string_equal(f->err.request_id, "rid-nf");
    assert_int_equal(f->requests, 1); /* a write is not retried */
}

static void test_iam_delete_login_profile(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200, .body = WRITTEN("DeleteLoginProfile")},
        {.status = 404,
         .body = ERROR_ANSWER("Sender", "NoSuchEntity",
                              "Login Profile for User alice cannot be found.", "rid-lp")},
    };
    client_start(f, s, N_OF(s));
    assert_int_equal(idc_iam_delete_login_profile(f->client, "alice", &f->err), IDC_OK);
    assert_string_equal(f->seen[0].body,
                        "Action=DeleteLoginProfile&Version=2010-05-08&UserName=alice");
    idc_err rc = idc_iam_delete_login_profile(f->client, "alice", &f->err);
    fake_assert_failed(f, rc, IDC_ERR_AWS, "NoSuchEntity: Login Profile for User alice");
    assert_string_equal(f->err.aws_code, "NoSuchEntity");
}

static void test_iam_delete_virtual_mfa_device(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {{.status = 200, .body = WRITTEN("DeleteVirtualMFADevice")}};
    client_start(f, s, N_OF(s));
    assert_int_equal(idc_iam_delete_virtual_mfa_device(
                         f->client, "arn:aws:iam::123456789012:mfa/alice", &f->err),
                     IDC_OK);
    assert_int_equal(f->seen[0].param_count, 3);
    fake_assert_param(f, 0, "Action", "DeleteVirtualMFADevice");
    fake_assert_param(f, 0, "SerialNumber", "arn:aws:iam::123456789012:mfa/alice");
    fake_assert_param(f, 0, "UserName", NULL); /* the device is named by its ARN alone */
}

static void test_iam_delete_user(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200, .body = WRITTEN("DeleteUser")},
        {.status = 409,
         .body = ERROR_ANSWER("Sender", "DeleteConflict",
                              "Cannot delete entity, must delete access keys first.", "rid-dc")},
    };
    client_start(f, s, N_OF(s));
    assert_int_equal(idc_iam_delete_user(f->client, "alice", &f->err), IDC_OK);
    assert_string_equal(f->seen[0].body, "Action=DeleteUser&Version=2010-05-08&UserName=alice");
    idc_err rc = idc_iam_delete_user(f->client, "alice", &f->err);
    fake_assert_failed(
        f, rc, IDC_ERR_AWS,
        "DeleteConflict: Cannot delete entity, must delete access keys first. (HTTP 409)");
    assert_int_equal(f->err.http_status, 409);
    assert_int_equal(f->requests, 2);
}

/* ---- answers refused ------------------------------------------------------------------------ */

static void test_iam_wrong_root_element(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200,
         .body = "<html><body>Welcome to nginx!</body></html>",
         .content_type = "text/html",
         .request_id = "rid-html"},
        {.status = 200, .body = ANSWER("ListUsers", "<Users/>")},
    };
    client_start(f, s, N_OF(s));
    struct users l = {0};
    idc_err rc = idc_iam_list_users(f->client, NULL, on_user, &l, &f->err);
    fake_assert_failed(
        f, rc, IDC_ERR_PARSE,
        "the root element is <html>, not <ListUsersResponse>; is the endpoint an IAM "
        "endpoint?");
    assert_non_null(strstr(f->err.msg, "listing IAM users: IAM ListUsers answer (request id "
                                       "rid-html): "));
    /* A write checks the root of its answer too. */
    rc = idc_iam_delete_user(f->client, "alice", &f->err);
    fake_assert_failed(f, rc, IDC_ERR_PARSE,
                       "the root element is <ListUsersResponse>, not "
                       "<DeleteUserResponse>");
}

static void test_iam_missing_required_field(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200,
         .body = ANSWER("ListUsers", "<Users><member>" ALICE "</member><member><Path>/</Path>"
                                     "<UserName>bob</UserName><Arn>arn:aws:iam::123456789012:"
                                     "user/bob</Arn><CreateDate>2024-01-02T03:04:05Z"
                                     "</CreateDate></member></Users>"),
         .request_id = "rid-missing"},
    };
    client_start(f, s, N_OF(s));
    struct users l = {0};
    idc_err rc = idc_iam_list_users(f->client, NULL, on_user, &l, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_PARSE, "item 2 of <Users> has no <UserId>");
    assert_non_null(strstr(f->err.msg, "IAM ListUsers answer (request id rid-missing)"));
    assert_int_equal(l.n, 0);
}

static void test_iam_malformed_xml(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200,
         .body = "<ListUsersResponse>\n<ListUsersResult>\n<Users><member></Users>\n"},
        {.status = 200, .body = "<ListUsersResponse><ListUsersResult><Users>"},
        {.status = 200, .body = ""},
    };
    client_start(f, s, N_OF(s));
    struct users l = {0};
    idc_err rc = idc_iam_list_users(f->client, NULL, on_user, &l, &f->err);
    /* Columns count from 1; expat points at the name in "</Users>", 18th on its line. */
    fake_assert_failed(f, rc, IDC_ERR_PARSE,
                       "response is not well-formed XML: mismatched tag at line 3, column 18");
    assert_non_null(strstr(f->err.msg, "listing IAM users: IAM ListUsers answer (request id "
                                       "none): "));
    rc = idc_iam_list_users(f->client, NULL, on_user, &l, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_PARSE, "not well-formed XML: ");
    assert_non_null(strstr(f->err.msg, "at line 1, column"));
    rc = idc_iam_list_users(f->client, NULL, on_user, &l, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_PARSE,
                       "not well-formed XML: no element found at line 1, column 1");
    assert_int_equal(l.n, 0);
    assert_int_equal(f->requests, 3); /* a malformed answer is not retried */
}

static void test_iam_xml_too_deep(void **state)
{
    struct fake *f = *state;
    char body[1024];
    size_t n = (size_t)snprintf(body, sizeof body, "<ListUsersResponse><ListUsersResult>");
    for (int i = 0; i < 40; i++) {
        n += (size_t)snprintf(body + n, sizeof body - n, "<a>");
    }
    for (int i = 0; i < 40; i++) {
        n += (size_t)snprintf(body + n, sizeof body - n, "</a>");
    }
    snprintf(body + n, sizeof body - n, "</ListUsersResult></ListUsersResponse>");
    const struct fake_step s[] = {{.status = 200, .body = body}};
    client_start(f, s, N_OF(s));
    struct users l = {0};
    idc_err rc = idc_iam_list_users(f->client, NULL, on_user, &l, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_LIMIT, "XML nests deeper than 32 elements at line 1 (<a>)");
    assert_non_null(strstr(f->err.msg, "listing IAM users: "));
}

static void test_iam_error_answers(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 403,
         .body = ERROR_ANSWER("Sender", "AccessDenied",
                              "User: arn:aws:iam::123456789012:user/auditor is not authorized to "
                              "perform: iam:ListUsers on resource: arn:aws:iam::123456789012:"
                              "user/",
                              "rid-denied")},
        /* A 200 that carries an error is still an error. */
        {.status = 200,
         .body = ERROR_ANSWER("Sender", "InvalidClientTokenId",
                              "The security token included in the request is invalid.", "rid-200")},
    };
    client_start(f, s, N_OF(s));
    struct users l = {0};
    idc_err rc = idc_iam_list_users(f->client, NULL, on_user, &l, &f->err);
    fake_assert_failed(
        f, rc, IDC_ERR_AWS,
        "listing IAM users: AccessDenied: User: arn:aws:iam::123456789012:user/auditor "
        "is not authorized to perform: iam:ListUsers on resource: "
        "arn:aws:iam::123456789012:user/ (HTTP 403)");
    assert_string_equal(f->err.aws_code, "AccessDenied");
    assert_string_equal(f->err.request_id, "rid-denied");
    assert_int_equal(f->err.http_status, 403);
    rc = idc_iam_list_users(f->client, NULL, on_user, &l, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_AWS, "InvalidClientTokenId: The security token");
    assert_string_equal(f->err.aws_code, "InvalidClientTokenId");
    assert_string_equal(f->err.request_id, "rid-200");
    assert_int_equal(f->err.http_status, 200);
    assert_int_equal(l.n, 0);
    assert_int_equal(f->requests, 2);
}

/* A field one byte over the model's maximum is refused; at the maximum it passes. */
static void test_iam_field_too_long(void **state)
{
    struct fake *f = *state;
    static const struct {
        const char *field;
        size_t max;
    } cases[] = {
        /* in the order of the values below */
        {"Path", IDC_IAM_PATH_MAX},
        {"UserName", IDC_IAM_NAME_MAX},
        {"UserId", IDC_IAM_ID_MAX},
        {"Arn", IDC_IAM_ARN_MAX},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        for (size_t over = 0; over <= 1; over++) {
            size_t len = cases[i].max + over;
            char *value = malloc(len + 1);
            char *body = malloc(len + 1024);
            assert_non_null(value);
            assert_non_null(body);
            memset(value, 'x', len);
            value[0] = value[len - 1] = '/'; /* a valid Path too */
            value[len] = '\0';
            const char *v[4] = {"/", "alice", "AIDAALICEEXAMPLE00001", "arn:aws:iam::1:user/a"};
            v[i] = value;
            snprintf(body, len + 1024,
                     ANSWER("ListUsers", "<Users><member><Path>%s</Path><UserName>%s</UserName>"
                                         "<UserId>%s</UserId><Arn>%s</Arn><CreateDate>"
                                         "2024-01-02T03:04:05Z</CreateDate></member></Users>"),
                     v[0], v[1], v[2], v[3]);
            const struct fake_step s[] = {{.status = 200, .body = body}};
            client_restart(f, s, N_OF(s));
            struct users l = {0};
            idc_err rc = idc_iam_list_users(f->client, NULL, on_user, &l, &f->err);
            free(body);
            free(value);
            char want[128];
            snprintf(want, sizeof want, "a %s of %zu bytes is longer than the model's %zu",
                     cases[i].field, len, cases[i].max);
            if (over) {
                fake_assert_failed(f, rc, IDC_ERR_PARSE, want);
                assert_int_equal(l.n, 0);
            } else if (rc != IDC_OK || l.n != 1) {
                fail_msg("%s of %zu bytes: %s: %s", cases[i].field, len, idc_err_name(rc),
                         f->err.msg);
            }
        }
    }
}

static void test_iam_access_key_field_too_long(void **state)
{
    struct fake *f = *state;
    char id[IDC_IAM_ID_MAX + 2];
    memset(id, 'A', sizeof id - 1);
    id[sizeof id - 1] = '\0';
    char body[1024];
    snprintf(body, sizeof body,
             ANSWER("ListAccessKeys", "<AccessKeyMetadata><member><AccessKeyId>%s</AccessKeyId>"
                                      "<Status>Active</Status></member></AccessKeyMetadata>"),
             id);
    const struct fake_step s[] = {{.status = 200, .body = body}};
    client_start(f, s, N_OF(s));
    struct idc_iam_key_counts counts;
    idc_err rc = idc_iam_list_access_keys(f->client, "alice", NULL, NULL, &counts, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_PARSE,
                       "a AccessKeyId of 129 bytes is longer than the model's 128");
    assert_non_null(strstr(f->err.msg, "listing the access keys of IAM user alice: "));
    assert_int_equal(counts.total, 0);
}

/* ---- the caller's mistakes: refused before anything is sent ------------------------------- */

static void test_iam_client_for_another_service(void **state)
{
    struct fake *f = *state;
    client_for(f, &idc_service_identitystore, NULL, 0);
    struct users l = {0};
    struct items il = {0};
    struct idc_iam_user u;
    bool has;
    const char *want = "needs a client made with idc_service_iam, not identitystore";
    fake_assert_failed(f, idc_iam_list_users(f->client, NULL, on_user, &l, &f->err), IDC_ERR_ARG,
                       want);
    fake_assert_failed(f, idc_iam_get_user(f->client, "alice", &u, &f->err), IDC_ERR_ARG, want);
    fake_assert_failed(f, idc_iam_get_login_profile(f->client, "alice", &has, &f->err), IDC_ERR_ARG,
                       want);
    fake_assert_failed(f, idc_iam_list_access_keys(f->client, "alice", NULL, NULL, NULL, &f->err),
                       IDC_ERR_ARG, want);
    fake_assert_failed(
        f, idc_iam_list_user_items(f->client, IDC_IAM_GROUP, "alice", on_item, &il, &f->err),
        IDC_ERR_ARG, "IAM ListGroupsForUser needs a client made with idc_service_iam");
    fake_assert_failed(
        f, idc_iam_remove_user_item(f->client, IDC_IAM_GROUP, "alice", "Admins", &f->err),
        IDC_ERR_ARG, "IAM RemoveUserFromGroup needs a client made with idc_service_iam");
    fake_assert_failed(f, idc_iam_delete_login_profile(f->client, "alice", &f->err), IDC_ERR_ARG,
                       want);
    fake_assert_failed(
        f, idc_iam_delete_virtual_mfa_device(f->client, "arn:aws:iam::1:mfa/a", &f->err),
        IDC_ERR_ARG, want);
    fake_assert_failed(f, idc_iam_delete_user(f->client, "alice", &f->err), IDC_ERR_ARG, want);
    assert_int_equal(f->requests, 0);
}

static void test_iam_null_arguments(void **state)
{
    struct fake *f = *state;
    client_start(f, NULL, 0);
    struct idc_client *c = f->client;
    struct idc_error *e = &f->err;
    struct users l = {0};
    struct items il = {0};
    struct groups gl = {0};
    struct idc_iam_user u;
    bool has;
    fake_assert_failed(f, idc_iam_list_users(NULL, NULL, on_user, &l, e), IDC_ERR_ARG,
                       "idc_iam_list_users needs a client and a callback");
    fake_assert_failed(f, idc_iam_list_users(c, NULL, NULL, &l, e), IDC_ERR_ARG,
                       "idc_iam_list_users needs");
    fake_assert_failed(f, idc_iam_get_user(NULL, "alice", &u, e), IDC_ERR_ARG,
                       "idc_iam_get_user needs a client and an output");
    fake_assert_failed(f, idc_iam_get_user(c, "alice", NULL, e), IDC_ERR_ARG,
                       "idc_iam_get_user needs");
    fake_assert_failed(f, idc_iam_get_login_profile(c, NULL, &has, e), IDC_ERR_ARG,
                       "idc_iam_get_login_profile needs a client, a user and an output");
    fake_assert_failed(f, idc_iam_get_login_profile(c, "alice", NULL, e), IDC_ERR_ARG,
                       "idc_iam_get_login_profile needs");
    fake_assert_failed(f, idc_iam_list_access_keys(c, NULL, NULL, NULL, NULL, e), IDC_ERR_ARG,
                       "idc_iam_list_access_keys needs a client and a user name");
    fake_assert_failed(f, idc_iam_list_groups_for_user(c, "alice", NULL, &gl, e), IDC_ERR_ARG,
                       "idc_iam_list_groups_for_user needs a client, a user name and a callback");
    fake_assert_failed(f, idc_iam_list_groups_for_user(c, NULL, on_group, &gl, e), IDC_ERR_ARG,
                       "idc_iam_list_groups_for_user needs");
    fake_assert_failed(
        f, idc_iam_list_user_items(c, IDC_IAM_ITEM_KIND_COUNT, "alice", on_item, &il, e),
        IDC_ERR_ARG, "idc_iam_list_user_items needs a client, a known kind");
    fake_assert_failed(f, idc_iam_list_user_items(c, IDC_IAM_GROUP, NULL, on_item, &il, e),
                       IDC_ERR_ARG, "idc_iam_list_user_items needs");
    fake_assert_failed(f, idc_iam_list_user_items(c, IDC_IAM_GROUP, "alice", NULL, &il, e),
                       IDC_ERR_ARG, "idc_iam_list_user_items needs");
    fake_assert_failed(f,
                       idc_iam_remove_user_item(c, (enum idc_iam_item_kind) - 1, "alice", "x", e),
                       IDC_ERR_ARG, "idc_iam_remove_user_item needs a client, a known kind");
    fake_assert_failed(f, idc_iam_remove_user_item(c, IDC_IAM_ACCESS_KEY, NULL, "x", e),
                       IDC_ERR_ARG, "idc_iam_remove_user_item needs");
    fake_assert_failed(f, idc_iam_remove_user_item(c, IDC_IAM_ACCESS_KEY, "alice", NULL, e),
                       IDC_ERR_ARG, "idc_iam_remove_user_item needs");
    fake_assert_failed(f, idc_iam_delete_login_profile(c, NULL, e), IDC_ERR_ARG,
                       "idc_iam_delete_login_profile needs a client and a user name");
    fake_assert_failed(f, idc_iam_delete_virtual_mfa_device(c, NULL, e), IDC_ERR_ARG,
                       "idc_iam_delete_virtual_mfa_device needs a client and a serial number");
    fake_assert_failed(f, idc_iam_delete_user(c, NULL, e), IDC_ERR_ARG,
                       "idc_iam_delete_user needs a client and a user name");
    fake_assert_failed(f, idc_iam_delete_user(c, "", e), IDC_ERR_ARG, "idc_iam_delete_user needs");
    fake_assert_failed(f, idc_iam_delete_user(NULL, "alice", e), IDC_ERR_ARG,
                       "idc_iam_delete_user needs a client and a user name");
    /* err may be NULL. */
    assert_int_equal(idc_iam_list_users(NULL, NULL, never, &l, NULL), IDC_ERR_ARG);
    assert_int_equal(idc_iam_delete_user(c, NULL, NULL), IDC_ERR_ARG);
    assert_int_equal(f->requests, 0);
}

/*
 * With err NULL, an answer refused by a parse callback (the wrong root element) is still
 * IDC_ERR_PARSE, as with an err (test_iam_wrong_root_element): the callbacks say why they
 * stop through a local error then.
 */
static void test_iam_wrong_root_without_err(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200, .body = "<html><body>hi</body></html>", .content_type = "text/html"},
        {.status = 200, .body = "<html><body>hi</body></html>", .content_type = "text/html"},
    };
    client_start(f, s, N_OF(s));
    assert_int_equal(idc_iam_delete_user(f->client, "alice", &f->err), IDC_ERR_PARSE);
    assert_int_equal(idc_iam_delete_user(f->client, "alice", NULL), IDC_ERR_PARSE);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_iam_list_users_one_page, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_list_users_path_prefix, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_list_users_empty, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_list_users_pages, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_list_users_callback_stops, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_list_users_marker_cycle, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_list_users_repeated_marker, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_list_users_truncated_without_marker, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_get_user, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_get_user_no_such_entity, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_get_user_answer_shapes, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_get_login_profile, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_list_access_keys_counts, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_list_groups_for_user, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_item_actions, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_list_user_items_each_kind, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_list_user_items_pages_and_stop, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_list_user_items_missing_id, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_remove_user_item_forms, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_remove_user_item_mfa_form, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_remove_user_item_not_found, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_delete_login_profile, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_delete_virtual_mfa_device, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_delete_user, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_wrong_root_element, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_missing_required_field, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_malformed_xml, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_xml_too_deep, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_error_answers, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_field_too_long, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_access_key_field_too_long, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_client_for_another_service, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_null_arguments, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_iam_wrong_root_without_err, fake_setup, fake_teardown),
};

UNIT_MAIN(tests)
