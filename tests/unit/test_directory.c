/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_directory.c - the domain layer (directory.h) over the scripted in-memory transport of
 * fake_transport.h, which answers each request with the next scripted IAM (XML) or
 * Identity Store (JSON) answer and records each request: the IAM status rule, users passed
 * through, describing a user of either kind, planning and running a deletion (the IAM
 * identity check, failures, not-found as already done, re-runs, plans for another
 * directory), reading a failure's cause, and the kinds.
 */
#include "unit.h"

#include <stdbool.h>
#include <stdlib.h>

#include "fake_transport.h"
#include "idc/client.h"
#include "idc/directory.h"
#include "idc/iam.h"
#include "idc/identitystore.h"

#define TEST_STORE "d-1234567890"

/* ---- IAM answers (awsQuery XML), as IAM and mockaws render them ----------------------------- */

#define ERROR_ANSWER(code, message)                                                                \
    "<ErrorResponse xmlns=\"" XMLNS "\"><Error><Type>Sender</Type><Code>" code                     \
    "</Code><Message>" message "</Message></Error><RequestId>body-rid</RequestId></ErrorResponse>"

#define CREATED "2024-01-02T03:04:05Z"
#define USER_XML(path, name, id)                                                                   \
    "<Path>" path "</Path><UserName>" name "</UserName><UserId>" id "</UserId><Arn>arn:aws:iam::"  \
    "123456789012:user" path name "</Arn><CreateDate>" CREATED "</CreateDate>"
#define USER_JSON(path, name, id)                                                                  \
    "{\"Path\":\"" path "\",\"UserName\":\"" name "\",\"UserId\":\"" id                            \
    "\",\"Arn\":\"arn:aws:iam::123456789012:user" path name "\",\"CreateDate\":\"" CREATED "\""

#define ID_ALICE "AIDAALICEEXAMPLE00001"
#define ID_BOB   "AIDABOBEXAMPLE0000002"
#define ID_CAROL "AIDACAROLEXAMPLE00003"
#define ID_DAVE  "AIDADAVEEXAMPLE000004"
#define ID_ERIN  "AIDAERINEXAMPLE000005"
#define M_ALICE  MEMBER(USER_XML("/", "alice", ID_ALICE))
#define M_BOB    MEMBER(USER_XML("/", "bob", ID_BOB))
#define M_CAROL  MEMBER(USER_XML("/", "carol", ID_CAROL))
#define M_DAVE   MEMBER(USER_XML("/", "dave", ID_DAVE))
#define M_ERIN   MEMBER(USER_XML("/", "erin", ID_ERIN))

#define GET_USER(name, id) ANSWER("GetUser", "<User>" USER_XML("/", name, id) "</User>")
/* alice deleted and created again: the same name, a new id */
#define ID_ALICE_AGAIN "AIDAALICEAGAINEXAMPLE6"

#define MORE_USERS(members, marker)                                                                \
    ANSWER("ListUsers",                                                                            \
           "<Users>" members "</Users><IsTruncated>true</IsTruncated><Marker>" marker "</Marker>")
#define LIST_USERS(members) ANSWER("ListUsers", "<Users>" members "</Users>" NOT_TRUNCATED)
#define MEMBER(x)           "<member>" x "</member>"
#define LOGIN_PROFILE                                                                              \
    ANSWER("GetLoginProfile", "<LoginProfile><UserName>x</UserName><CreateDate>" CREATED           \
                              "</CreateDate></LoginProfile>")
#define NO_LOGIN_PROFILE ERROR_ANSWER("NoSuchEntity", "Login Profile for User x cannot be found.")
#define KEY(id, status)                                                                            \
    "<member><UserName>x</UserName><AccessKeyId>" id "</AccessKeyId><Status>" status               \
    "</Status><CreateDate>" CREATED "</CreateDate></member>"
#define KEYS(members)  ANSWER("ListAccessKeys", "<AccessKeyMetadata>" members "</AccessKeyMetadata>")
#define EMPTY_LIST(op) ANSWER(op, NOT_TRUNCATED)

#define DENIED(action)                                                                             \
    "User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: " action           \
    " on resource: arn:aws:iam::123456789012:user/alice"

/* ---- Identity Store answers (awsJson1_1) -------------------------------------------------- */

#define IC_USER_ID "90677a3b4c-11112222-3333-4444-5555-666677778888"
#define IC_ALICE                                                                                   \
    "{\"UserName\":\"alice\",\"UserId\":\"" IC_USER_ID "\",\"DisplayName\":\"Alice\","             \
    "\"UserStatus\":\"ENABLED\",\"Emails\":[{\"Value\":\"alice@example.com\",\"Primary\":true}],"  \
    "\"IdentityStoreId\":\"" TEST_STORE "\"}"
#define IC_NAMELESS                                                                                \
    "{\"UserId\":\"90677a3b4c-99998888-7777-6666-5555-444433332222\",\"ExternalIds\":[{"           \
    "\"Issuer\":\"https://scim.example.com\",\"Id\":\"ext-2\"}],\"IdentityStoreId\":\"" TEST_STORE \
    "\"}"

/* ---- the case's directory --------------------------------------------------------------- */

static struct idc_directory_config dir_config(struct fake *f, enum idc_kind kind)
{
    struct idc_directory_config cfg = {
        .kind = kind,
        .store_id = TEST_STORE,
        .client = fake_client_config(f),
    };
    cfg.client.endpoint_url = kind == IDC_KIND_IAM
                                  ? "https://iam.amazonaws.com"
                                  : "https://identitystore.us-east-1.amazonaws.com";
    return cfg;
}

/* Sets the script the next requests are answered from (the directory may already be open). */
static void script(struct fake *f, const struct fake_step *steps, size_t count)
{
    f->steps = steps;
    f->count = count;
    f->next = 0;
}

static void dir_start(struct fake *f, enum idc_kind kind, const struct fake_step *steps,
                      size_t count)
{
    fake_reset(f);
    script(f, steps, count);
    struct idc_directory_config cfg = dir_config(f, kind);
    assert_int_equal(idc_directory_open(&f->dir, &cfg, &f->err), IDC_OK);
    assert_int_equal(idc_directory_kind(f->dir), kind);
}

/* Request i was IAM `action`; with `user`, its UserName too (NULL: none was sent). */
static void assert_iam_call(const struct fake *f, size_t i, const char *action, const char *user)
{
    fake_assert_param(f, i, "Action", action);
    fake_assert_param(f, i, "UserName", user);
}

static void assert_str_or_null(const char *got, const char *want)
{
    if (want == NULL) {
        assert_null(got);
    } else {
        assert_non_null(got);
        assert_string_equal(got, want);
    }
}

/* ---- what the user callback saw --------------------------------------------------------- */

#define MAX_USERS 8

struct seen_user {
    char user_id[64];
    char user_name[72];
    char display_name[32];
    char email[64];
    char status[16];
    bool external;
    char json[512];
    int console_access;
    int active_keys;
};

struct listing {
    size_t n;
    size_t stop_at;
    struct seen_user u[MAX_USERS];
};

static void copy_or_null(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "(null)");
}

static int on_user(const struct idc_user *u, void *ud)
{
    struct listing *l = ud;
    if (l->n < MAX_USERS) {
        struct seen_user *s = &l->u[l->n];
        copy_or_null(s->user_id, sizeof s->user_id, u->user_id);
        copy_or_null(s->user_name, sizeof s->user_name, u->user_name);
        copy_or_null(s->display_name, sizeof s->display_name, u->display_name);
        copy_or_null(s->email, sizeof s->email, u->email);
        copy_or_null(s->status, sizeof s->status, u->status);
        s->external = u->external;
        assert_true(u->json_len < sizeof s->json);
        memcpy(s->json, u->json, u->json_len);
        s->json[u->json_len] = '\0';
        s->console_access = u->console_access;
        s->active_keys = u->active_keys;
    }
    l->n++;
    return l->stop_at != 0 && l->n == l->stop_at;
}

/* ---- kinds ---------------------------------------------------------------------------------- */

static void test_directory_kinds(void **state)
{
    (void)state;
    enum idc_kind k = (enum idc_kind)99;
    assert_string_equal(idc_kind_name(IDC_KIND_IDENTITY_CENTER), "identitycenter");
    assert_string_equal(idc_kind_name(IDC_KIND_IAM), "iam");
    assert_string_equal(idc_kind_name((enum idc_kind)7), "?");
    assert_true(idc_kind_parse("identitycenter", &k));
    assert_int_equal(k, IDC_KIND_IDENTITY_CENTER);
    assert_true(idc_kind_parse("iam", &k));
    assert_int_equal(k, IDC_KIND_IAM);
    static const char *const refused[] = {"IAM", "Iam", "identity-center", "IdentityCenter", "iam ",
                                          "",    "sso"};
    for (size_t i = 0; i < N_OF(refused); i++) {
        k = (enum idc_kind)99;
        assert_false(idc_kind_parse(refused[i], &k));
        assert_int_equal(k, 99); /* untouched */
    }
    assert_false(idc_kind_parse(NULL, &k));
    assert_ptr_equal(idc_kind_service(IDC_KIND_IDENTITY_CENTER), &idc_service_identitystore);
    assert_ptr_equal(idc_kind_service(IDC_KIND_IAM), &idc_service_iam);
    assert_null(idc_kind_service((enum idc_kind)7));
    assert_string_equal(idc_service_name(idc_kind_service(IDC_KIND_IAM)), "iam");
}

static void test_directory_store_id_valid(void **state)
{
    (void)state;
    static const struct {
        const char *id;
        bool valid;
    } cases[] = {
        {"d-1234567890", true},
        {"d-abcdef0123", true},
        {"d-ABCDEF0123", false}, /* lowercase hex only */
        {"d-123456789", false},
        {"d-12345678901", false},
        {"d-12345678g0", false},
        {"D-1234567890", false},
        {"x-1234567890", false},
        {"d_1234567890", false},
        {"12345678-90ab-cdef-1234-567890abcdef", true},
        {"12345678-90AB-cdef-1234-567890abcdef", false},
        {"12345678-90ab-cdef-1234-567890abcde", false},
        {"12345678090ab-cdef-1234-567890abcdef", false},
        {"12345678-90ab-cdef-1234_567890abcdef", false},
        {"", false},
        {NULL, false},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        if (idc_store_id_valid(cases[i].id) != cases[i].valid) {
            fail_msg("'%s' should be %s", cases[i].id ? cases[i].id : "(null)",
                     cases[i].valid ? "valid" : "refused");
        }
    }
}

static void check_actions(enum idc_kind kind, const char *prefix, size_t all, size_t reads)
{
    const char *const *list = NULL;
    assert_int_equal(idc_kind_actions(kind, false, &list), all);
    assert_non_null(list);
    const char *const *reads_list = NULL;
    assert_int_equal(idc_kind_actions(kind, true, &reads_list), reads);
    assert_ptr_equal(reads_list, list); /* the reads come first in the same array */
    for (size_t i = 0; i < all; i++) {
        assert_int_equal(strncmp(list[i], prefix, strlen(prefix)), 0);
        bool write = strstr(list[i], ":Delete") || strstr(list[i], ":Deactivate") ||
                     strstr(list[i], ":Detach") || strstr(list[i], ":Remove");
        if (write != (i >= reads)) {
            fail_msg("%s is listed as a %s", list[i], i >= reads ? "write" : "read");
        }
    }
}

static void test_directory_kind_actions(void **state)
{
    (void)state;
    check_actions(IDC_KIND_IAM, "iam:", 22, 11);
    check_actions(IDC_KIND_IDENTITY_CENTER, "identitystore:", 7, 5);
}

/* Whether `action` is among the kind's actions (writes: past the reads). */
static bool kind_lists(enum idc_kind kind, const char *action, bool write)
{
    const char *const *list;
    size_t reads = idc_kind_actions(kind, true, &list);
    size_t all = idc_kind_actions(kind, false, &list);
    for (size_t i = write ? reads : 0; i < all; i++) {
        if (strcmp(list[i], action) == 0) {
            return true;
        }
    }
    return false;
}

static void test_directory_names(void **state)
{
    (void)state;
    static const char *const items[] = {
        "group",           "login profile",
        "access key",      "signing certificate",
        "SSH public key",  "service-specific credential",
        "MFA device",      "inline policy",
        "attached policy",
    };
    for (size_t i = 0; i < N_OF(items); i++) {
        assert_string_equal(idc_item_kind_name((enum idc_item_kind)i), items[i]);
    }
    assert_string_equal(idc_item_kind_name((enum idc_item_kind)N_OF(items)), "?");
    assert_string_equal(idc_step_state_name(IDC_STEP_PENDING), "pending");
    assert_string_equal(idc_step_state_name(IDC_STEP_DONE), "done");
    assert_string_equal(idc_step_state_name(IDC_STEP_ALREADY_DONE), "already done");
    assert_string_equal(idc_step_state_name(IDC_STEP_FAILED), "failed");
    assert_string_equal(idc_step_state_name((enum idc_step_state)9), "?");
}

/* ---- opening -------------------------------------------------------------------------------- */

static void test_directory_open_refusals(void **state)
{
    struct fake *f = *state;
    static const struct {
        const char *store_id;
        const char *fragment;
    } bad[] = {
        {"D-1234567890", "'D-1234567890' is not an Identity Store id: it looks like d-1234567890"},
        {"d-12\n", "'d-12\\n' is not an Identity Store id"},
        {"", "'' is not an Identity Store id"},
        {NULL, "'' is not an Identity Store id"},
        {"d-1234567890d-1234567890d-1234567890d-1234567890d-1234567890", "'d-1234567890d-"},
    };
    for (size_t i = 0; i < N_OF(bad); i++) {
        struct idc_directory_config cfg = dir_config(f, IDC_KIND_IDENTITY_CENTER);
        cfg.store_id = bad[i].store_id;
        struct idc_directory *d = (struct idc_directory *)&cfg; /* must be reset */
        idc_err rc = idc_directory_open(&d, &cfg, &f->err);
        fake_assert_failed(f, rc, IDC_ERR_ARG, bad[i].fragment);
        assert_non_null(strstr(f->err.msg, "(d- and 10 hex digits) or a UUID"));
        assert_null(d);
    }
    struct idc_directory_config cfg = dir_config(f, (enum idc_kind)5);
    struct idc_directory *d = NULL;
    fake_assert_failed(f, idc_directory_open(&d, &cfg, &f->err), IDC_ERR_ARG,
                       "the directory needs a kind: identitycenter or iam");
    assert_null(d);
    fake_assert_failed(f, idc_directory_open(&d, NULL, &f->err), IDC_ERR_ARG,
                       "the directory needs a kind");
    /* The client's own refusals come through. */
    cfg = dir_config(f, IDC_KIND_IAM);
    cfg.client.endpoint_url = "iam.amazonaws.com";
    fake_assert_failed(f, idc_directory_open(&d, &cfg, &f->err), IDC_ERR_ARG,
                       "endpoint URL 'iam.amazonaws.com'");
    assert_null(d);
    assert_int_equal(f->requests, 0);
}

static void test_directory_open_sends_nothing(void **state)
{
    struct fake *f = *state;
    dir_start(f, IDC_KIND_IDENTITY_CENTER, NULL, 0);
    assert_string_equal(idc_directory_store_id(f->dir), TEST_STORE);
    assert_ptr_equal(idc_client_service(idc_directory_client(f->dir)), &idc_service_identitystore);
    /* IAM needs no store: it is neither checked nor kept. */
    struct idc_directory_config cfg = dir_config(f, IDC_KIND_IAM);
    cfg.store_id = "not a store";
    struct idc_directory *d = NULL;
    assert_int_equal(idc_directory_open(&d, &cfg, &f->err), IDC_OK);
    assert_string_equal(idc_directory_store_id(d), "");
    assert_int_equal(idc_directory_kind(d), IDC_KIND_IAM);
    assert_ptr_equal(idc_client_service(idc_directory_client(d)), &idc_service_iam);
    idc_directory_free(d);
    idc_directory_free(NULL);
    assert_int_equal(f->requests, 0);
}

static void test_directory_check(void **state)
{
    struct fake *f = *state;
    const struct fake_step iam[] = {
        {.status = 200, .body = LIST_USERS(M_ALICE)},
        {.status = 403, .body = ERROR_ANSWER("AccessDenied", DENIED("iam:ListUsers"))},
    };
    dir_start(f, IDC_KIND_IAM, iam, N_OF(iam));
    assert_int_equal(idc_directory_check(f->dir, &f->err), IDC_OK);
    assert_int_equal(f->requests, 1); /* no status reads */
    assert_iam_call(f, 0, "ListUsers", NULL);
    fake_assert_param(f, 0, "MaxItems", "1"); /* the smallest answer, whatever the account's size */
    idc_err rc = idc_directory_check(f->dir, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_AWS, "AccessDenied: ");
    char action[64];
    assert_int_equal(idc_directory_cause(&f->err, action, sizeof action), IDC_CAUSE_DENIED);
    assert_string_equal(action, "iam:ListUsers");

    const struct fake_step ic[] = {{.status = 200, .body = "{\"Users\":[" IC_ALICE "]}"}};
    dir_start(f, IDC_KIND_IDENTITY_CENTER, ic, N_OF(ic));
    assert_int_equal(idc_directory_check(f->dir, &f->err), IDC_OK);
    assert_int_equal(f->requests, 1);
    assert_string_equal(fake_seen_header(&f->seen[0], "X-Amz-Target"),
                        "AWSIdentityStore.ListUsers");
    assert_string_equal(f->seen[0].body,
                        "{\"IdentityStoreId\":\"" TEST_STORE "\",\"MaxResults\":1}");
}

/* ---- the IAM status rule ------------------------------------------------------------------ */

static void test_directory_iam_status_rule(void **state)
{
    struct fake *f = *state;
    /* password + active key, password only, active key only, nothing, an inactive key only */
    const struct fake_step s[] = {
        {.status = 200, .body = LIST_USERS(M_ALICE M_BOB M_CAROL M_DAVE M_ERIN)},
        {.status = 200, .body = LOGIN_PROFILE},
        {.status = 200, .body = KEYS(KEY("AKIAALICE00000000001", "Active"))},
        {.status = 200, .body = LOGIN_PROFILE},
        {.status = 200, .body = KEYS("")},
        {.status = 404, .body = NO_LOGIN_PROFILE},
        {.status = 200,
         .body = KEYS(KEY("AKIACAROL00000000001", "Inactive") KEY("AKIACAROL00000000002", "Active")
                          KEY("AKIACAROL00000000003", "Active"))},
        {.status = 404, .body = NO_LOGIN_PROFILE},
        {.status = 200, .body = KEYS("")},
        {.status = 404, .body = NO_LOGIN_PROFILE},
        {.status = 200, .body = KEYS(KEY("AKIAERIN000000000001", "Inactive"))},
    };
    dir_start(f, IDC_KIND_IAM, s, N_OF(s));
    struct listing l = {0};
    assert_int_equal(idc_directory_list_users(f->dir, on_user, &l, &f->err), IDC_OK);
    static const struct {
        const char *name;
        const char *status;
        int console_access;
        int active_keys;
    } want[] = {
        {"alice", "ENABLED", 1, 1}, {"bob", "ENABLED", 1, 0},   {"carol", "ENABLED", 0, 2},
        {"dave", "DISABLED", 0, 0}, {"erin", "DISABLED", 0, 0},
    };
    assert_int_equal(l.n, N_OF(want));
    for (size_t i = 0; i < N_OF(want); i++) {
        const struct seen_user *u = &l.u[i];
        assert_string_equal(u->user_name, want[i].name);
        assert_string_equal(u->status, want[i].status);
        assert_int_equal(u->console_access, want[i].console_access);
        assert_int_equal(u->active_keys, want[i].active_keys);
        assert_string_equal(u->display_name, "(null)");
        assert_string_equal(u->email, "(null)");
        assert_false(u->external);
        /* two reads per user, by name */
        assert_iam_call(f, 1 + 2 * i, "GetLoginProfile", want[i].name);
        assert_iam_call(f, 2 + 2 * i, "ListAccessKeys", want[i].name);
    }
    assert_string_equal(l.u[2].user_id, ID_CAROL);
    assert_int_equal(f->requests, N_OF(s));
}

static void test_directory_iam_user_json(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200,
         .body = LIST_USERS(
             M_ALICE MEMBER(USER_XML("/", "bob", ID_BOB) "<PasswordLastUsed>2024-02-03T04:05:06Z"
                                                         "</PasswordLastUsed>")
                 MEMBER("<Path>/we\"ird\\pa&amp;th&lt;/</Path><UserName>carol</UserName>"
                        "<UserId>" ID_CAROL "</UserId><Arn>arn:aws:iam::123456789012:user/"
                        "caf\xc3\xa9&#9;x&#10;y</Arn><CreateDate>" CREATED "</CreateDate>"))},
        {.status = 404, .body = NO_LOGIN_PROFILE},
        {.status = 200, .body = KEYS("")},
        {.status = 404, .body = NO_LOGIN_PROFILE},
        {.status = 200, .body = KEYS("")},
        {.status = 404, .body = NO_LOGIN_PROFILE},
        {.status = 200, .body = KEYS("")},
    };
    dir_start(f, IDC_KIND_IAM, s, N_OF(s));
    struct listing l = {0};
    assert_int_equal(idc_directory_list_users(f->dir, on_user, &l, &f->err), IDC_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.u[0].json, USER_JSON("/", "alice", ID_ALICE) "}");
    assert_string_equal(
        l.u[1].json,
        USER_JSON("/", "bob", ID_BOB) ",\"PasswordLastUsed\":\"2024-02-03T04:05:06Z\"}");
    /* Quotes, backslashes and control characters escaped; UTF-8 kept as it is. */
    assert_string_equal(
        l.u[2].json,
        "{\"Path\":\"/we\\\"ird\\\\pa&th</\",\"UserName\":\"carol\",\"UserId\":\"" ID_CAROL
        "\",\"Arn\":\"arn:aws:iam::123456789012:user/caf\xc3\xa9\\tx\\ny\","
        "\"CreateDate\":\"" CREATED "\"}");
}

static void test_directory_iam_status_failure(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200, .body = LIST_USERS(M_ALICE M_BOB)},
        {.status = 200, .body = LOGIN_PROFILE},
        {.status = 403,
         .body = ERROR_ANSWER("AccessDenied", DENIED("iam:ListAccessKeys")),
         .request_id = "rid-keys"},
    };
    dir_start(f, IDC_KIND_IAM, s, N_OF(s));
    struct listing l = {0};
    idc_err rc = idc_directory_list_users(f->dir, on_user, &l, &f->err);
    fake_assert_failed(
        f, rc, IDC_ERR_AWS,
        "status of IAM user alice: listing the access keys of IAM user alice: "
        "AccessDenied: User: arn:aws:iam::123456789012:user/auditor is not authorized");
    assert_string_equal(f->err.aws_code, "AccessDenied");
    assert_string_equal(f->err.request_id, "rid-keys");
    assert_int_equal(l.n, 0);
    assert_int_equal(f->requests, 3); /* bob's status is not read */
}

/* The status reads run between two ListUsers pages on the same client. */
static void test_directory_iam_status_pages(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200, .body = MORE_USERS(M_ALICE, "m/1+")},
        {.status = 404, .body = NO_LOGIN_PROFILE},
        {.status = 200, .body = KEYS(KEY("AKIAALICE00000000001", "Active"))},
        {.status = 200, .body = LIST_USERS(M_BOB)},
        {.status = 404, .body = NO_LOGIN_PROFILE},
        {.status = 200, .body = KEYS("")},
    };
    dir_start(f, IDC_KIND_IAM, s, N_OF(s));
    struct listing l = {0};
    assert_int_equal(idc_directory_list_users(f->dir, on_user, &l, &f->err), IDC_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.u[0].status, "ENABLED");
    assert_string_equal(l.u[1].status, "DISABLED");
    assert_int_equal(f->requests, N_OF(s));
    assert_iam_call(f, 3, "ListUsers", NULL);
    fake_assert_param(f, 3, "Marker", "m/1+");
    assert_iam_call(f, 4, "GetLoginProfile", "bob");
}

static void test_directory_list_users_stops(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200, .body = LIST_USERS(M_ALICE M_BOB)},
        {.status = 200, .body = LOGIN_PROFILE},
        {.status = 200, .body = KEYS("")},
    };
    dir_start(f, IDC_KIND_IAM, s, N_OF(s));
    struct listing l = {.stop_at = 1};
    assert_int_equal(idc_directory_list_users(f->dir, on_user, &l, &f->err), IDC_OK);
    assert_int_equal(l.n, 1);
    assert_int_equal(f->requests, 3);
    fake_assert_failed(f, idc_directory_list_users(f->dir, NULL, &l, &f->err), IDC_ERR_ARG,
                       "idc_directory_list_users needs a directory and a callback");
    fake_assert_failed(f, idc_directory_list_users(NULL, on_user, &l, &f->err), IDC_ERR_ARG,
                       "idc_directory_list_users needs");
    assert_int_equal(f->requests, 3);
}

/* ---- Identity Center users --------------------------------------------------------------- */

static void test_directory_ic_users_passed_through(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200, .body = "{\"Users\":[" IC_ALICE ",\n " IC_NAMELESS "]}"},
    };
    dir_start(f, IDC_KIND_IDENTITY_CENTER, s, N_OF(s));
    struct listing l = {0};
    assert_int_equal(idc_directory_list_users(f->dir, on_user, &l, &f->err), IDC_OK);
    assert_int_equal(l.n, 2);
    const struct seen_user *a = &l.u[0], *n = &l.u[1];
    assert_string_equal(a->user_id, IC_USER_ID);
    assert_string_equal(a->user_name, "alice");
    assert_string_equal(a->display_name, "Alice");
    assert_string_equal(a->email, "alice@example.com");
    assert_string_equal(a->status, "ENABLED");
    assert_false(a->external);
    assert_string_equal(a->json, IC_ALICE); /* the bytes as served */
    assert_int_equal(a->console_access, -1);
    assert_int_equal(a->active_keys, -1);
    assert_string_equal(n->user_name, ""); /* never NULL */
    assert_string_equal(n->status, "(null)");
    assert_string_equal(n->display_name, "(null)");
    assert_string_equal(n->email, "(null)");
    assert_true(n->external);
    assert_string_equal(n->json, IC_NAMELESS);
    assert_int_equal(f->requests, 1); /* no status reads for Identity Center */
    assert_string_equal(f->seen[0].body,
                        "{\"IdentityStoreId\":\"" TEST_STORE "\",\"MaxResults\":100}");
}

/* ---- describing a user ------------------------------------------------------------------- */

struct want_item {
    enum idc_item_kind kind;
    const char *id;
    const char *name;
    const char *status;
};

static void assert_items(const struct idc_user_info *info, const struct want_item *want, size_t n)
{
    assert_int_equal(info->item_count, n);
    for (size_t i = 0; i < n; i++) {
        const struct idc_user_item *it = &info->items[i];
        assert_int_equal(it->kind, want[i].kind);
        assert_str_or_null(it->id, want[i].id);
        assert_str_or_null(it->name, want[i].name);
        assert_str_or_null(it->status, want[i].status);
    }
}

#define MFA_VIRTUAL "arn:aws:iam::123456789012:mfa/alice"
#define MFA_HARD    "GAHT12345678"
#define POLICY_ARN  "arn:aws:iam::aws:policy/ReadOnlyAccess"

/* Everything that can hang on alice, as IAM answers describe_user's reads in order. */
static const struct fake_step iam_alice_described[] = {
    {.status = 200, .body = GET_USER("alice", ID_ALICE)},
    {.status = 200, .body = LOGIN_PROFILE},
    {.status = 200,
     .body = KEYS(KEY("AKIAIOSFODNN7EXAMPLE", "Active") KEY("AKIAI44QH8DHBEXAMPLE", "Inactive"))},
    {.status = 200,
     .body = ANSWER("ListSigningCertificates",
                    "<Certificates><member><UserName>alice</UserName><CertificateId>"
                    "TA7SMP42TDN5Z26OBPJE7EXAMPLE</CertificateId><CertificateBody>x"
                    "</CertificateBody><Status>Active</Status><UploadDate>" CREATED
                    "</UploadDate></member></Certificates>")},
    {.status = 200,
     .body = ANSWER("ListSSHPublicKeys", "<SSHPublicKeys><member><UserName>alice</UserName>"
                                         "<SSHPublicKeyId>APKAEIBAERJR2EXAMPLE</SSHPublicKeyId>"
                                         "<Status>Inactive</Status><UploadDate>" CREATED
                                         "</UploadDate></member></SSHPublicKeys>")},
    {.status = 200,
     .body =
         ANSWER("ListServiceSpecificCredentials",
                "<ServiceSpecificCredentials><member><UserName>alice</UserName><Status>"
                "Active</Status><ServiceUserName>alice-at-123456789012</ServiceUserName>"
                "<CreateDate>" CREATED "</CreateDate><ServiceSpecificCredentialId>"
                "ACCAQFODNN7EXAMPLE123</ServiceSpecificCredentialId><ServiceName>"
                "codecommit.amazonaws.com</ServiceName></member></ServiceSpecificCredentials>")},
    {.status = 200,
     .body = ANSWER("ListMFADevices",
                    "<MFADevices><member><UserName>alice</UserName><SerialNumber>" MFA_VIRTUAL
                    "</SerialNumber><EnableDate>" CREATED "</EnableDate></member><member>"
                    "<UserName>alice</UserName><SerialNumber>" MFA_HARD "</SerialNumber>"
                    "<EnableDate>" CREATED "</EnableDate></member></MFADevices>")},
    {.status = 200,
     .body = ANSWER("ListUserPolicies", "<PolicyNames><member>AllAccessPolicy</member>"
                                        "</PolicyNames>")},
    {.status = 200,
     .body = ANSWER("ListAttachedUserPolicies", "<AttachedPolicies><member><PolicyName>"
                                                "ReadOnlyAccess</PolicyName><PolicyArn>" POLICY_ARN
                                                "</PolicyArn></member></AttachedPolicies>")},
    {.status = 200,
     .body = ANSWER("ListGroupsForUser",
                    "<Groups><member><Path>/</Path><GroupName>Admins</GroupName><GroupId>"
                    "AGPAADMINSEXAMPLE0001</GroupId><Arn>arn:aws:iam::123456789012:group/Admins"
                    "</Arn><CreateDate>" CREATED "</CreateDate></member></Groups>")},
};

static const struct want_item iam_alice_items[] = {
    {IDC_ITEM_LOGIN_PROFILE, NULL, "console password", NULL},
    {IDC_ITEM_ACCESS_KEY, "AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE", "Active"},
    {IDC_ITEM_ACCESS_KEY, "AKIAI44QH8DHBEXAMPLE", "AKIAI44QH8DHBEXAMPLE", "Inactive"},
    {IDC_ITEM_SIGNING_CERTIFICATE, "TA7SMP42TDN5Z26OBPJE7EXAMPLE", "TA7SMP42TDN5Z26OBPJE7EXAMPLE",
     "Active"},
    {IDC_ITEM_SSH_PUBLIC_KEY, "APKAEIBAERJR2EXAMPLE", "APKAEIBAERJR2EXAMPLE", "Inactive"},
    {IDC_ITEM_SERVICE_CREDENTIAL, "ACCAQFODNN7EXAMPLE123", "codecommit.amazonaws.com", "Active"},
    {IDC_ITEM_MFA_DEVICE, MFA_VIRTUAL, MFA_VIRTUAL, NULL},
    {IDC_ITEM_MFA_DEVICE, MFA_HARD, MFA_HARD, NULL},
    {IDC_ITEM_INLINE_POLICY, "AllAccessPolicy", "AllAccessPolicy", NULL},
    {IDC_ITEM_ATTACHED_POLICY, POLICY_ARN, "ReadOnlyAccess", NULL},
    {IDC_ITEM_GROUP, "Admins", "Admins", NULL},
};

static const char *const iam_describe_actions[] = {
    "GetUser",
    "GetLoginProfile",
    "ListAccessKeys",
    "ListSigningCertificates",
    "ListSSHPublicKeys",
    "ListServiceSpecificCredentials",
    "ListMFADevices",
    "ListUserPolicies",
    "ListAttachedUserPolicies",
    "ListGroupsForUser",
};

static void test_directory_describe_iam_by_name(void **state)
{
    struct fake *f = *state;
    dir_start(f, IDC_KIND_IAM, iam_alice_described, N_OF(iam_alice_described));
    assert_int_equal(idc_directory_describe_user(f->dir, NULL, "alice", &f->info, &f->err), IDC_OK);
    const struct idc_user *u = &f->info->user;
    assert_string_equal(u->user_id, ID_ALICE);
    assert_string_equal(u->user_name, "alice");
    assert_null(u->display_name);
    assert_null(u->email);
    assert_string_equal(u->status, "ENABLED");
    assert_int_equal(u->console_access, 1);
    assert_int_equal(u->active_keys, 1);
    assert_int_equal(u->json_len, strlen(USER_JSON("/", "alice", ID_ALICE) "}"));
    assert_string_equal(u->json, USER_JSON("/", "alice", ID_ALICE) "}");
    assert_items(f->info, iam_alice_items, N_OF(iam_alice_items));
    assert_int_equal(f->requests, N_OF(iam_describe_actions));
    for (size_t i = 0; i < N_OF(iam_describe_actions); i++) {
        assert_iam_call(f, i, iam_describe_actions[i], "alice");
    }
}

static void test_directory_describe_iam_by_id(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200, .body = MORE_USERS(M_ALICE, "m1")},
        {.status = 200, .body = MORE_USERS(M_BOB M_CAROL, "m2")},
        {.status = 200, .body = GET_USER("bob", ID_BOB)},
        {.status = 404, .body = NO_LOGIN_PROFILE},
        {.status = 200, .body = KEYS("")},
        {.status = 200, .body = EMPTY_LIST("ListSigningCertificates")},
        {.status = 200, .body = EMPTY_LIST("ListSSHPublicKeys")},
        {.status = 200, .body = EMPTY_LIST("ListServiceSpecificCredentials")},
        {.status = 200, .body = EMPTY_LIST("ListMFADevices")},
        {.status = 200, .body = EMPTY_LIST("ListUserPolicies")},
        {.status = 200, .body = EMPTY_LIST("ListAttachedUserPolicies")},
        {.status = 200, .body = EMPTY_LIST("ListGroupsForUser")},
    };
    dir_start(f, IDC_KIND_IAM, s, N_OF(s));
    assert_int_equal(idc_directory_describe_user(f->dir, ID_BOB, NULL, &f->info, &f->err), IDC_OK);
    const struct idc_user *u = &f->info->user;
    assert_string_equal(u->user_id, ID_BOB);
    assert_string_equal(u->user_name, "bob");
    assert_string_equal(u->status, "DISABLED");
    assert_int_equal(u->console_access, 0);
    assert_int_equal(u->active_keys, 0);
    assert_int_equal(f->info->item_count, 0);
    /* IAM finds users by name only: the listing stops at the page that has the id. */
    assert_int_equal(f->requests, N_OF(s));
    assert_iam_call(f, 0, "ListUsers", NULL);
    assert_iam_call(f, 1, "ListUsers", NULL);
    fake_assert_param(f, 1, "Marker", "m1");
    for (size_t i = 0; i < N_OF(iam_describe_actions); i++) {
        assert_iam_call(f, 2 + i, iam_describe_actions[i], "bob");
    }
}

static void test_directory_describe_iam_id_not_found(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200, .body = LIST_USERS(M_ALICE M_BOB)},
    };
    dir_start(f, IDC_KIND_IAM, s, N_OF(s));
    f->info = (struct idc_user_info *)&f->err; /* must be reset */
    idc_err rc =
        idc_directory_describe_user(f->dir, "AIDANOBODYEXAMPLE0009", NULL, &f->info, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_NOT_FOUND, "no IAM user has the id AIDANOBODYEXAMPLE0009");
    assert_null(f->info);
    assert_int_equal(f->requests, 1);
    assert_int_equal(idc_directory_cause(&f->err, NULL, 0), IDC_CAUSE_NOT_FOUND);
}

static void test_directory_describe_iam_no_such_user(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 404,
         .body = ERROR_ANSWER("NoSuchEntity", "The user with name zoe cannot be found."),
         .request_id = "rid-zoe"},
    };
    dir_start(f, IDC_KIND_IAM, s, N_OF(s));
    idc_err rc = idc_directory_describe_user(f->dir, NULL, "zoe", &f->info, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_AWS,
                       "reading IAM user zoe: NoSuchEntity: The user with name zoe");
    assert_null(f->info);
    assert_string_equal(f->err.request_id, "rid-zoe");
    assert_int_equal(idc_directory_cause(&f->err, NULL, 0), IDC_CAUSE_NOT_FOUND);
    assert_int_equal(f->requests, 1);
}

/* Both given (the name from an inventory): the name finds the user, as by name alone. */
static void test_directory_describe_iam_by_id_and_name(void **state)
{
    struct fake *f = *state;
    dir_start(f, IDC_KIND_IAM, iam_alice_described, N_OF(iam_alice_described));
    assert_int_equal(idc_directory_describe_user(f->dir, ID_ALICE, "alice", &f->info, &f->err),
                     IDC_OK);
    assert_string_equal(f->info->user.user_id, ID_ALICE);
    assert_string_equal(f->info->user.user_name, "alice");
    assert_string_equal(f->info->user.status, "ENABLED");
    assert_items(f->info, iam_alice_items, N_OF(iam_alice_items));
    /* the same requests as by name: no ListUsers to find the id */
    assert_int_equal(f->requests, N_OF(iam_describe_actions));
    for (size_t i = 0; i < N_OF(iam_describe_actions); i++) {
        assert_iam_call(f, i, iam_describe_actions[i], "alice");
    }
}

/* The name now belongs to a user created again: not the user of the id asked for. */
static void test_directory_describe_iam_name_reused(void **state)
{
    struct fake *f = *state;
    struct fake_step s[N_OF(iam_alice_described)];
    memcpy(s, iam_alice_described, sizeof s);
    s[0].body = GET_USER("alice", ID_ALICE_AGAIN);
    dir_start(f, IDC_KIND_IAM, s, N_OF(s));
    f->info = (struct idc_user_info *)&f->err; /* must be reset */
    idc_err rc = idc_directory_describe_user(f->dir, ID_ALICE, "alice", &f->info, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_NOT_FOUND,
                       "no IAM user has the id " ID_ALICE
                       ": the name alice now belongs to " ID_ALICE_AGAIN);
    assert_null(f->info);
    assert_int_equal(idc_directory_cause(&f->err, NULL, 0), IDC_CAUSE_NOT_FOUND);
    /* The id is compared as soon as GetUser answers: nothing more is read. */
    assert_int_equal(f->requests, 1);
    assert_iam_call(f, 0, "GetUser", "alice");
}

#define IC_DESCRIBE_REQUESTS 6

static const struct fake_step ic_alice_described[] = {
    {.status = 200,
     .body = "{\"UserId\":\"" IC_USER_ID "\",\"IdentityStoreId\":\"" TEST_STORE "\"}"},
    {.status = 200, .body = IC_ALICE},
    {.status = 200,
     .body = "{\"GroupMemberships\":[{\"IdentityStoreId\":\"" TEST_STORE "\",\"MembershipId\":"
             "\"m-1\",\"GroupId\":\"g-1\",\"MemberId\":{\"UserId\":\"" IC_USER_ID "\"}}],"
             "\"NextToken\":\"t1\"}"},
    {.status = 200,
     .body = "{\"GroupMemberships\":[{\"IdentityStoreId\":\"" TEST_STORE "\",\"MembershipId\":"
             "\"m-2\",\"GroupId\":\"g-2\",\"MemberId\":{\"UserId\":\"" IC_USER_ID "\"}}]}"},
    {.status = 200,
     .body =
         "{\"GroupId\":\"g-1\",\"DisplayName\":\"Admins\",\"IdentityStoreId\":\"" TEST_STORE "\"}"},
    {.status = 200,
     .body = "{\"GroupId\":\"g-2\",\"DisplayName\":\"Developers\",\"IdentityStoreId\":\"" TEST_STORE
             "\"}"},
};

static void test_directory_describe_ic_by_name(void **state)
{
    struct fake *f = *state;
    dir_start(f, IDC_KIND_IDENTITY_CENTER, ic_alice_described, N_OF(ic_alice_described));
    assert_int_equal(idc_directory_describe_user(f->dir, NULL, "alice", &f->info, &f->err), IDC_OK);
    const struct idc_user *u = &f->info->user;
    assert_string_equal(u->user_id, IC_USER_ID);
    assert_string_equal(u->user_name, "alice");
    assert_string_equal(u->display_name, "Alice");
    assert_string_equal(u->email, "alice@example.com");
    assert_string_equal(u->status, "ENABLED");
    assert_string_equal(u->json, IC_ALICE);
    assert_int_equal(u->console_access, -1);
    assert_int_equal(u->active_keys, -1);
    static const struct want_item want[] = {
        {IDC_ITEM_GROUP, "m-1", "Admins", NULL},
        {IDC_ITEM_GROUP, "m-2", "Developers", NULL},
    };
    assert_items(f->info, want, N_OF(want));
    static const char *const bodies[IC_DESCRIBE_REQUESTS][2] = {
        {"GetUserId", "{\"IdentityStoreId\":\"" TEST_STORE "\",\"AlternateIdentifier\":{"
                      "\"UniqueAttribute\":{\"AttributePath\":\"userName\",\"AttributeValue\":"
                      "\"alice\"}}}"},
        {"DescribeUser", "{\"IdentityStoreId\":\"" TEST_STORE "\",\"UserId\":\"" IC_USER_ID "\"}"},
        {"ListGroupMembershipsForMember", "{\"IdentityStoreId\":\"" TEST_STORE "\",\"MemberId\":{"
                                          "\"UserId\":\"" IC_USER_ID "\"},\"MaxResults\":100}"},
        {"ListGroupMembershipsForMember",
         "{\"IdentityStoreId\":\"" TEST_STORE "\",\"MemberId\":{\"UserId\":\"" IC_USER_ID
         "\"},\"MaxResults\":100,\"NextToken\":\"t1\"}"},
        {"DescribeGroup", "{\"IdentityStoreId\":\"" TEST_STORE "\",\"GroupId\":\"g-1\"}"},
        {"DescribeGroup", "{\"IdentityStoreId\":\"" TEST_STORE "\",\"GroupId\":\"g-2\"}"},
    };
    assert_int_equal(f->requests, IC_DESCRIBE_REQUESTS);
    for (size_t i = 0; i < IC_DESCRIBE_REQUESTS; i++) {
        char target[96];
        snprintf(target, sizeof target, "AWSIdentityStore.%s", bodies[i][0]);
        assert_string_equal(fake_seen_header(&f->seen[i], "X-Amz-Target"), target);
        assert_string_equal(f->seen[i].body, bodies[i][1]);
    }
}

/* A group's DisplayName may be as long as the model allows (1024 bytes). */
static void test_directory_describe_ic_long_group_name(void **state)
{
    struct fake *f = *state;
    static char name[IDC_IDS_DISPLAY_NAME_MAX + 1], body[IDC_IDS_DISPLAY_NAME_MAX + 64];
    memset(name, 'g', IDC_IDS_DISPLAY_NAME_MAX);
    snprintf(body, sizeof body, "{\"GroupId\":\"g-9\",\"DisplayName\":\"%s\"}", name);
    const struct fake_step s[] = {
        {.status = 200, .body = IC_NAMELESS},
        {.status = 200,
         .body = "{\"GroupMemberships\":[{\"MembershipId\":\"m-9\",\"GroupId\":\"g-9\"}]}"},
        {.status = 200, .body = body},
    };
    dir_start(f, IDC_KIND_IDENTITY_CENTER, s, N_OF(s));
    const char *id = "90677a3b4c-99998888-7777-6666-5555-444433332222";
    assert_int_equal(idc_directory_describe_user(f->dir, id, NULL, &f->info, &f->err), IDC_OK);
    assert_int_equal(f->info->item_count, 1);
    assert_string_equal(f->info->items[0].name, name);
}

static void test_directory_describe_ic_by_id(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200, .body = IC_NAMELESS},
        {.status = 200,
         .body = "{\"GroupMemberships\":[{\"MembershipId\":\"m-9\",\"GroupId\":\"g-9\"}]}"},
        {.status = 200, .body = "{\"GroupId\":\"g-9\"}"},
    };
    dir_start(f, IDC_KIND_IDENTITY_CENTER, s, N_OF(s));
    const char *id = "90677a3b4c-99998888-7777-6666-5555-444433332222";
    assert_int_equal(idc_directory_describe_user(f->dir, id, NULL, &f->info, &f->err), IDC_OK);
    assert_string_equal(f->info->user.user_id, id);
    assert_string_equal(f->info->user.user_name, "");
    assert_null(f->info->user.status);
    assert_true(f->info->user.external);
    /* A group without a DisplayName goes by its id. */
    static const struct want_item want[] = {{IDC_ITEM_GROUP, "m-9", "g-9", NULL}};
    assert_items(f->info, want, N_OF(want));
    assert_int_equal(f->requests, 3);
    assert_string_equal(fake_seen_header(&f->seen[0], "X-Amz-Target"),
                        "AWSIdentityStore.DescribeUser");
}

/* An Identity Center id is the user's for good: given with a name, the id is used. */
static void test_directory_describe_ic_by_id_and_name(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200, .body = IC_NAMELESS},
        {.status = 200, .body = "{\"GroupMemberships\":[]}"},
    };
    dir_start(f, IDC_KIND_IDENTITY_CENTER, s, N_OF(s));
    const char *id = "90677a3b4c-99998888-7777-6666-5555-444433332222";
    assert_int_equal(idc_directory_describe_user(f->dir, id, "alice", &f->info, &f->err), IDC_OK);
    assert_string_equal(f->info->user.user_id, id);
    assert_string_equal(f->info->user.user_name, ""); /* the store's user, not alice */
    assert_int_equal(f->info->item_count, 0);
    assert_int_equal(f->requests, 2); /* no GetUserId */
    assert_string_equal(fake_seen_header(&f->seen[0], "X-Amz-Target"),
                        "AWSIdentityStore.DescribeUser");
    assert_string_equal(f->seen[0].body,
                        "{\"IdentityStoreId\":\"" TEST_STORE "\",\"UserId\":\"90677a3b4c-99998888-"
                        "7777-6666-5555-444433332222\"}");
    assert_string_equal(fake_seen_header(&f->seen[1], "X-Amz-Target"),
                        "AWSIdentityStore.ListGroupMembershipsForMember");
}

static void test_directory_describe_ic_not_found(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 400,
         .body = "{\"__type\":\"ResourceNotFoundException\",\"Message\":\"USER not found.\","
                 "\"ResourceType\":\"USER\"}",
         .request_id = "rid-ic-nf"},
    };
    dir_start(f, IDC_KIND_IDENTITY_CENTER, s, N_OF(s));
    idc_err rc = idc_directory_describe_user(f->dir, NULL, "zoe", &f->info, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_AWS, "GetUserId: ResourceNotFoundException: USER not found.");
    assert_null(f->info);
    assert_string_equal(f->err.request_id, "rid-ic-nf");
    assert_int_equal(idc_directory_cause(&f->err, NULL, 0), IDC_CAUSE_NOT_FOUND);
}

static void test_directory_describe_arguments(void **state)
{
    struct fake *f = *state;
    dir_start(f, IDC_KIND_IAM, NULL, 0);
    const char *want = "idc_directory_describe_user needs a directory and a user id or a user name";
    f->info = (struct idc_user_info *)&f->err; /* must be reset */
    fake_assert_failed(f, idc_directory_describe_user(f->dir, NULL, NULL, &f->info, &f->err),
                       IDC_ERR_ARG, want);
    assert_null(f->info);
    fake_assert_failed(f, idc_directory_describe_user(NULL, NULL, "alice", &f->info, &f->err),
                       IDC_ERR_ARG, want);
    assert_int_equal(f->requests, 0);
    idc_user_info_free(NULL);
}

/* ---- planning ----------------------------------------------------------------------------- */

struct want_step {
    enum idc_step_kind kind;
    const char *text;
    const char *item;
    const char *label;
    const char *action;
};

/* alice's deletion: the order IAM requires, both steps for the virtual MFA device. */
static const struct want_step iam_alice_plan[] = {
    {IDC_STEP_DELETE_LOGIN_PROFILE, "delete login profile", NULL, NULL, "iam:DeleteLoginProfile"},
    {IDC_STEP_DELETE_ACCESS_KEY, "delete access key", "AKIAIOSFODNN7EXAMPLE",
     "AKIAIOSFODNN7EXAMPLE", "iam:DeleteAccessKey"},
    {IDC_STEP_DELETE_ACCESS_KEY, "delete access key", "AKIAI44QH8DHBEXAMPLE",
     "AKIAI44QH8DHBEXAMPLE", "iam:DeleteAccessKey"},
    {IDC_STEP_DELETE_SIGNING_CERTIFICATE, "delete signing certificate",
     "TA7SMP42TDN5Z26OBPJE7EXAMPLE", "TA7SMP42TDN5Z26OBPJE7EXAMPLE",
     "iam:DeleteSigningCertificate"},
    {IDC_STEP_DELETE_SSH_PUBLIC_KEY, "delete SSH public key", "APKAEIBAERJR2EXAMPLE",
     "APKAEIBAERJR2EXAMPLE", "iam:DeleteSSHPublicKey"},
    {IDC_STEP_DELETE_SERVICE_CREDENTIAL, "delete service-specific credential",
     "ACCAQFODNN7EXAMPLE123", "codecommit.amazonaws.com", "iam:DeleteServiceSpecificCredential"},
    {IDC_STEP_DEACTIVATE_MFA_DEVICE, "deactivate MFA device", MFA_VIRTUAL, MFA_VIRTUAL,
     "iam:DeactivateMFADevice"},
    {IDC_STEP_DELETE_VIRTUAL_MFA_DEVICE, "delete virtual MFA device", MFA_VIRTUAL, MFA_VIRTUAL,
     "iam:DeleteVirtualMFADevice"},
    {IDC_STEP_DEACTIVATE_MFA_DEVICE, "deactivate MFA device", MFA_HARD, MFA_HARD,
     "iam:DeactivateMFADevice"},
    {IDC_STEP_DELETE_INLINE_POLICY, "delete inline policy", "AllAccessPolicy", "AllAccessPolicy",
     "iam:DeleteUserPolicy"},
    {IDC_STEP_DETACH_POLICY, "detach policy", POLICY_ARN, "ReadOnlyAccess", "iam:DetachUserPolicy"},
    {IDC_STEP_REMOVE_FROM_GROUP, "remove from group", "Admins", "Admins",
     "iam:RemoveUserFromGroup"},
    {IDC_STEP_DELETE_USER, "delete user", NULL, NULL, "iam:DeleteUser"},
};

static const struct want_step ic_alice_plan[] = {
    {IDC_STEP_REMOVE_MEMBERSHIP, "remove from group", "m-1", "Admins",
     "identitystore:DeleteGroupMembership"},
    {IDC_STEP_REMOVE_MEMBERSHIP, "remove from group", "m-2", "Developers",
     "identitystore:DeleteGroupMembership"},
    {IDC_STEP_DELETE_USER, "delete user", NULL, NULL, "identitystore:DeleteUser"},
};

static void assert_plan(const struct idc_plan *plan, enum idc_kind kind,
                        const struct want_step *want, size_t n)
{
    assert_int_equal(plan->kind, kind);
    assert_int_equal(plan->step_count, n);
    for (size_t i = 0; i < n; i++) {
        const struct idc_plan_step *s = &plan->steps[i];
        assert_int_equal(s->kind, want[i].kind);
        assert_string_equal(s->text, want[i].text);
        assert_str_or_null(s->item, want[i].item);
        assert_str_or_null(s->label, want[i].label);
        assert_string_equal(s->action, want[i].action);
        assert_int_equal(s->state, IDC_STEP_PENDING);
        if (!kind_lists(kind, s->action, true)) {
            fail_msg("step %zu: %s is not among idc_kind_actions' writes", i, s->action);
        }
    }
}

static void test_directory_plan_iam(void **state)
{
    struct fake *f = *state;
    dir_start(f, IDC_KIND_IAM, iam_alice_described, N_OF(iam_alice_described));
    assert_int_equal(idc_directory_describe_user(f->dir, NULL, "alice", &f->info, &f->err), IDC_OK);
    size_t sent = f->requests;
    assert_int_equal(idc_directory_plan_delete(f->dir, f->info, &f->plan, &f->err), IDC_OK);
    assert_string_equal(f->plan->user_id, ID_ALICE);
    assert_string_equal(f->plan->user_name, "alice");
    assert_string_equal(f->plan->store_id, ""); /* IAM has no store */
    assert_plan(f->plan, IDC_KIND_IAM, iam_alice_plan, N_OF(iam_alice_plan));
    assert_int_equal(f->requests, sent); /* planning sends nothing */
    /* The plan keeps its own copies: the info may go first. */
    idc_user_info_free(f->info);
    f->info = NULL;
    assert_plan(f->plan, IDC_KIND_IAM, iam_alice_plan, N_OF(iam_alice_plan));
}

static void test_directory_plan_ic(void **state)
{
    struct fake *f = *state;
    dir_start(f, IDC_KIND_IDENTITY_CENTER, ic_alice_described, N_OF(ic_alice_described));
    assert_int_equal(idc_directory_describe_user(f->dir, NULL, "alice", &f->info, &f->err), IDC_OK);
    assert_int_equal(idc_directory_plan_delete(f->dir, f->info, &f->plan, &f->err), IDC_OK);
    assert_string_equal(f->plan->user_id, IC_USER_ID);
    assert_string_equal(f->plan->store_id, TEST_STORE);
    assert_plan(f->plan, IDC_KIND_IDENTITY_CENTER, ic_alice_plan, N_OF(ic_alice_plan));
}

static void test_directory_plan_arguments(void **state)
{
    struct fake *f = *state;
    dir_start(f, IDC_KIND_IAM, NULL, 0);
    struct idc_user_info none = {.user = {.user_name = "alice"}}; /* no id: not described */
    f->plan = (struct idc_plan *)&none;                           /* must be reset */
    const char *want = "idc_directory_plan_delete needs a directory and a described user";
    fake_assert_failed(f, idc_directory_plan_delete(f->dir, &none, &f->plan, &f->err), IDC_ERR_ARG,
                       want);
    assert_null(f->plan);
    fake_assert_failed(f, idc_directory_plan_delete(f->dir, NULL, &f->plan, &f->err), IDC_ERR_ARG,
                       want);
    fake_assert_failed(f, idc_directory_plan_delete(NULL, &none, &f->plan, &f->err), IDC_ERR_ARG,
                       want);
    /* A user with nothing on it: the user alone. */
    struct idc_user_info bare = {.user = {.user_id = ID_BOB, .user_name = "bob"}};
    assert_int_equal(idc_directory_plan_delete(f->dir, &bare, &f->plan, &f->err), IDC_OK);
    assert_int_equal(f->plan->step_count, 1);
    assert_int_equal(f->plan->steps[0].kind, IDC_STEP_DELETE_USER);
    idc_plan_free(NULL);
}

/* ---- running a plan ----------------------------------------------------------------------- */

/* alice's items as describe_user gives them, made by hand. */
static const struct idc_user_item iam_items[] = {
    {IDC_ITEM_LOGIN_PROFILE, NULL, "console password", NULL},
    {IDC_ITEM_ACCESS_KEY, "AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE", "Active"},
    {IDC_ITEM_ACCESS_KEY, "AKIAI44QH8DHBEXAMPLE", "AKIAI44QH8DHBEXAMPLE", "Inactive"},
    {IDC_ITEM_SIGNING_CERTIFICATE, "TA7SMP42TDN5Z26OBPJE7EXAMPLE", "TA7SMP42TDN5Z26OBPJE7EXAMPLE",
     "Active"},
    {IDC_ITEM_SSH_PUBLIC_KEY, "APKAEIBAERJR2EXAMPLE", "APKAEIBAERJR2EXAMPLE", "Inactive"},
    {IDC_ITEM_SERVICE_CREDENTIAL, "ACCAQFODNN7EXAMPLE123", "codecommit.amazonaws.com", "Active"},
    {IDC_ITEM_MFA_DEVICE, MFA_VIRTUAL, MFA_VIRTUAL, NULL},
    {IDC_ITEM_MFA_DEVICE, MFA_HARD, MFA_HARD, NULL},
    {IDC_ITEM_INLINE_POLICY, "AllAccessPolicy", "AllAccessPolicy", NULL},
    {IDC_ITEM_ATTACHED_POLICY, POLICY_ARN, "ReadOnlyAccess", NULL},
    {IDC_ITEM_GROUP, "Admins", "Admins", NULL},
};

static const struct idc_user_info iam_info = {
    .user = {.user_id = ID_ALICE, .user_name = "alice", .status = "ENABLED"},
    .items = iam_items,
    .item_count = N_OF(iam_items),
};

/* What each step of iam_alice_plan sends, and how a failure of it reads. */
static const struct {
    const char *action;
    const char *param; /* besides UserName; NULL: none */
    const char *value;
    bool user; /* UserName is sent */
    const char *failure;
} iam_run[] = {
    {"DeleteLoginProfile", NULL, NULL, true, "deleting the login profile of alice: "},
    {"DeleteAccessKey", "AccessKeyId", "AKIAIOSFODNN7EXAMPLE", true,
     "deleting access key AKIAIOSFODNN7EXAMPLE of alice: "},
    {"DeleteAccessKey", "AccessKeyId", "AKIAI44QH8DHBEXAMPLE", true,
     "deleting access key AKIAI44QH8DHBEXAMPLE of alice: "},
    {"DeleteSigningCertificate", "CertificateId", "TA7SMP42TDN5Z26OBPJE7EXAMPLE", true,
     "deleting signing certificate TA7SMP42TDN5Z26OBPJE7EXAMPLE of alice: "},
    {"DeleteSSHPublicKey", "SSHPublicKeyId", "APKAEIBAERJR2EXAMPLE", true,
     "deleting SSH public key APKAEIBAERJR2EXAMPLE of alice: "},
    {"DeleteServiceSpecificCredential", "ServiceSpecificCredentialId", "ACCAQFODNN7EXAMPLE123",
     true, "deleting service-specific credential codecommit.amazonaws.com of alice: "},
    {"DeactivateMFADevice", "SerialNumber", MFA_VIRTUAL, true,
     "deactivating MFA device " MFA_VIRTUAL " of alice: "},
    {"DeleteVirtualMFADevice", "SerialNumber", MFA_VIRTUAL, false,
     "deleting virtual MFA device " MFA_VIRTUAL " of alice: "},
    {"DeactivateMFADevice", "SerialNumber", MFA_HARD, true,
     "deactivating MFA device " MFA_HARD " of alice: "},
    {"DeleteUserPolicy", "PolicyName", "AllAccessPolicy", true,
     "deleting inline policy AllAccessPolicy of alice: "},
    {"DetachUserPolicy", "PolicyArn", POLICY_ARN, true,
     "detaching policy ReadOnlyAccess of alice: "},
    {"RemoveUserFromGroup", "GroupName", "Admins", true, "removing alice from group Admins: "},
    {"DeleteUser", NULL, NULL, true, "deleting user alice: "},
};

#define IAM_STEPS 13
#define IAM_RUN   (1 + IAM_STEPS) /* the requests of a whole run: GetUser, then each step */

/*
 * Answers for a whole run of alice's plan: GetUser first (the check that the name is still
 * the planned user's), then the written answer of each action. Step i is answered, and
 * sent, at 1 + i.
 */
struct iam_answers {
    char body[IAM_STEPS][512];
    struct fake_step steps[IAM_RUN];
};

static void iam_answers_init(struct iam_answers *a)
{
    a->steps[0] = (struct fake_step){.status = 200, .body = GET_USER("alice", ID_ALICE)};
    for (size_t i = 0; i < IAM_STEPS; i++) {
        snprintf(a->body[i], sizeof a->body[i], WRITTEN("%s"), iam_run[i].action,
                 iam_run[i].action);
        a->steps[1 + i] = (struct fake_step){.status = 200, .body = a->body[i]};
    }
}

/* What the step callback saw. */
struct runlog {
    size_t calls;
    enum idc_step_kind kind[32];
    enum idc_step_state state[32];
    bool failed[32];
    char failure[32][384];
};

static void on_step(const struct idc_plan_step *step, const struct idc_error *failure, void *ud)
{
    struct runlog *r = ud;
    if (r->calls < 32) {
        r->kind[r->calls] = step->kind;
        r->state[r->calls] = step->state;
        r->failed[r->calls] = failure != NULL;
        snprintf(r->failure[r->calls], sizeof r->failure[0], "%s", failure ? failure->msg : "");
    }
    r->calls++;
}

/* Nothing ran: the callback was not called and every step is still PENDING. */
static void assert_nothing_ran(const struct idc_plan *plan, const struct runlog *r)
{
    assert_int_equal(r->calls, 0);
    for (size_t i = 0; i < plan->step_count; i++) {
        assert_int_equal(plan->steps[i].state, IDC_STEP_PENDING);
    }
}

static void plan_iam(struct fake *f, const struct fake_step *steps, size_t count)
{
    dir_start(f, IDC_KIND_IAM, steps, count);
    assert_int_equal(idc_directory_plan_delete(f->dir, &iam_info, &f->plan, &f->err), IDC_OK);
    assert_int_equal(f->plan->step_count, IAM_STEPS);
}

static void test_directory_execute_iam(void **state)
{
    struct fake *f = *state;
    assert_int_equal(N_OF(iam_run), IAM_STEPS);
    assert_int_equal(N_OF(iam_alice_plan), IAM_STEPS);
    struct iam_answers a;
    iam_answers_init(&a);
    plan_iam(f, a.steps, IAM_RUN);
    struct runlog r = {0};
    assert_int_equal(idc_directory_execute(f->dir, f->plan, on_step, &r, &f->err), IDC_OK);
    assert_int_equal(f->requests, IAM_RUN);
    assert_int_equal(r.calls, IAM_STEPS); /* the check is not a step */
    /* First the check that the name is still alice's (IAM removes by name): the name only. */
    assert_iam_call(f, 0, "GetUser", "alice");
    assert_int_equal(f->seen[0].param_count, 3);
    for (size_t i = 0; i < IAM_STEPS; i++) {
        assert_int_equal(f->plan->steps[i].state, IDC_STEP_DONE);
        assert_int_equal(r.kind[i], iam_alice_plan[i].kind);
        assert_int_equal(r.state[i], IDC_STEP_DONE);
        assert_false(r.failed[i]);
        fake_assert_param(f, 1 + i, "Action", iam_run[i].action);
        fake_assert_param(f, 1 + i, "UserName", iam_run[i].user ? "alice" : NULL);
        if (iam_run[i].param != NULL) {
            fake_assert_param(f, 1 + i, iam_run[i].param, iam_run[i].value);
        }
        /* Action and Version, then only what the step names */
        size_t params = 2 + (iam_run[i].user ? 1 : 0) + (iam_run[i].param ? 1 : 0);
        assert_int_equal(f->seen[1 + i].param_count, params);
    }
    /* Nothing left to run: a second run sends nothing, not even the check. */
    memset(&r, 0, sizeof r);
    assert_int_equal(idc_directory_execute(f->dir, f->plan, on_step, &r, &f->err), IDC_OK);
    assert_int_equal(r.calls, 0);
    assert_int_equal(f->requests, IAM_RUN);
}

static void test_directory_execute_not_found_already_done(void **state)
{
    struct fake *f = *state;
    struct iam_answers a;
    iam_answers_init(&a);
    /* The login profile, the virtual device and the user were gone already. */
    const size_t gone[] = {0, 7, 12};
    for (size_t i = 0; i < N_OF(gone); i++) {
        a.steps[1 + gone[i]] = (struct fake_step){
            .status = 404, .body = ERROR_ANSWER("NoSuchEntity", "The entity cannot be found.")};
    }
    plan_iam(f, a.steps, IAM_RUN);
    struct runlog r = {0};
    assert_int_equal(idc_directory_execute(f->dir, f->plan, on_step, &r, &f->err), IDC_OK);
    assert_int_equal(r.calls, IAM_STEPS);
    for (size_t i = 0; i < IAM_STEPS; i++) {
        bool was_gone = i == 0 || i == 7 || i == 12;
        enum idc_step_state want = was_gone ? IDC_STEP_ALREADY_DONE : IDC_STEP_DONE;
        assert_int_equal(f->plan->steps[i].state, want);
        assert_int_equal(r.state[i], want);
        assert_false(r.failed[i]); /* not a failure */
    }
    assert_int_equal(f->requests, IAM_RUN);
}

/* Each step in turn fails: the ones before are done, it is FAILED, the rest stay PENDING. */
static void test_directory_execute_stops_at_failure(void **state)
{
    struct fake *f = *state;
    for (size_t fail = 0; fail < IAM_STEPS; fail++) {
        struct iam_answers a;
        iam_answers_init(&a);
        a.steps[1 + fail] = (struct fake_step){
            .status = 403,
            .body = ERROR_ANSWER("AccessDenied", DENIED("iam:Whatever")),
            .request_id = "rid-denied",
        };
        plan_iam(f, a.steps, IAM_RUN);
        struct runlog r = {0};
        idc_err rc = idc_directory_execute(f->dir, f->plan, on_step, &r, &f->err);
        fake_assert_failed(f, rc, IDC_ERR_AWS,
                           "AccessDenied: User: arn:aws:iam::123456789012:user/");
        if (strstr(f->err.msg, iam_run[fail].failure) != f->err.msg) {
            fail_msg("step %zu: \"%s\" does not start with \"%s\"", fail, f->err.msg,
                     iam_run[fail].failure);
        }
        assert_string_equal(f->err.aws_code, "AccessDenied");
        assert_string_equal(f->err.request_id, "rid-denied");
        assert_int_equal(f->err.http_status, 403);
        assert_int_equal(f->requests, 1 + fail + 1); /* GetUser, then steps 0 to fail */
        assert_int_equal(r.calls, fail + 1);
        for (size_t i = 0; i < IAM_STEPS; i++) {
            enum idc_step_state want = i < fail    ? IDC_STEP_DONE
                                       : i == fail ? IDC_STEP_FAILED
                                                   : IDC_STEP_PENDING;
            assert_int_equal(f->plan->steps[i].state, want);
            if (i <= fail) {
                assert_int_equal(r.failed[i], i == fail);
                assert_int_equal(r.state[i], want);
            }
        }
        assert_string_equal(r.failure[fail], f->err.msg);
    }
}

static void test_directory_execute_rerun_continues(void **state)
{
    struct fake *f = *state;
    struct iam_answers a;
    iam_answers_init(&a);
    a.steps[1 + 11] = (struct fake_step){
        .status = 403,
        .body = ERROR_ANSWER("AccessDenied", DENIED("iam:RemoveUserFromGroup")),
        .request_id = "rid-group",
    };
    plan_iam(f, a.steps, IAM_RUN);
    struct runlog r = {0};
    idc_err rc = idc_directory_execute(f->dir, f->plan, on_step, &r, &f->err);
    fake_assert_failed(
        f, rc, IDC_ERR_AWS,
        "removing alice from group Admins: AccessDenied: User: arn:aws:iam::123456789012:"
        "user/auditor is not authorized to perform: iam:RemoveUserFromGroup");
    char action[64];
    assert_int_equal(idc_directory_cause(&f->err, action, sizeof action), IDC_CAUSE_DENIED);
    assert_string_equal(action, "iam:RemoveUserFromGroup");
    assert_int_equal(f->plan->steps[11].state, IDC_STEP_FAILED);
    assert_int_equal(f->plan->steps[12].state, IDC_STEP_PENDING);
    /* The policy is fixed; the same plan runs again from the failed step, checked again. */
    const struct fake_step rest[] = {
        {.status = 200, .body = GET_USER("alice", ID_ALICE)},
        {.status = 200, .body = WRITTEN("RemoveUserFromGroup")},
        {.status = 200, .body = WRITTEN("DeleteUser")},
    };
    script(f, rest, N_OF(rest));
    memset(&r, 0, sizeof r);
    assert_int_equal(idc_directory_execute(f->dir, f->plan, on_step, &r, &f->err), IDC_OK);
    assert_int_equal(r.calls, 2);
    assert_int_equal(r.kind[0], IDC_STEP_REMOVE_FROM_GROUP);
    assert_int_equal(r.kind[1], IDC_STEP_DELETE_USER);
    /* GetUser and steps 0-11 first, then GetUser again, 11 again and 12 */
    assert_int_equal(f->requests, 1 + 12 + 3);
    assert_iam_call(f, 13, "GetUser", "alice");
    fake_assert_param(f, 14, "Action", "RemoveUserFromGroup");
    fake_assert_param(f, 14, "GroupName", "Admins");
    fake_assert_param(f, 15, "Action", "DeleteUser");
    for (size_t i = 0; i < IAM_STEPS; i++) {
        assert_int_equal(f->plan->steps[i].state, IDC_STEP_DONE);
    }
}

static void test_directory_execute_transport_failure(void **state)
{
    struct fake *f = *state;
    struct iam_answers a;
    iam_answers_init(&a);
    /* The connection broke after DeleteUser was sent: a write is not retried. */
    a.steps[1 + 12] = (struct fake_step){.status = 0, .rc = IDC_ERR_RESET, .sent = true};
    plan_iam(f, a.steps, IAM_RUN);
    idc_err rc = idc_directory_execute(f->dir, f->plan, NULL, NULL, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_RESET, "deleting user alice: scripted IDC_ERR_RESET");
    assert_int_equal(f->plan->steps[12].state, IDC_STEP_FAILED);
    assert_int_equal(f->requests, IAM_RUN);
    assert_int_equal(idc_directory_cause(&f->err, NULL, 0), IDC_CAUSE_OTHER);
}

/* alice was deleted and created again since the plan: her name, another id. Nothing runs. */
static void test_directory_execute_iam_user_recreated(void **state)
{
    struct fake *f = *state;
    struct iam_answers a;
    iam_answers_init(&a); /* the steps stay answered: a step sent would show */
    a.steps[0].body = GET_USER("alice", ID_ALICE_AGAIN);
    plan_iam(f, a.steps, IAM_RUN);
    struct runlog r = {0};
    idc_err rc = idc_directory_execute(f->dir, f->plan, on_step, &r, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_MISMATCH,
                       "IAM user alice is not the user planned: its id is " ID_ALICE_AGAIN
                       ", the plan's " ID_ALICE);
    assert_non_null(strstr(f->err.msg, "nothing was deleted: describe it again"));
    assert_int_equal(f->requests, 1);
    assert_iam_call(f, 0, "GetUser", "alice");
    assert_nothing_ran(f->plan, &r);
}

/* A user already gone is no reason to stop: each step runs and finds its thing gone. */
static void test_directory_execute_iam_user_gone(void **state)
{
    struct fake *f = *state;
    struct iam_answers a;
    iam_answers_init(&a);
    a.steps[0] = (struct fake_step){
        .status = 404,
        .body = ERROR_ANSWER("NoSuchEntity", "The user with name alice cannot be found.")};
    for (size_t i = 0; i < IAM_STEPS; i++) {
        a.steps[1 + i] = (struct fake_step){
            .status = 404, .body = ERROR_ANSWER("NoSuchEntity", "The entity cannot be found.")};
    }
    plan_iam(f, a.steps, IAM_RUN);
    struct runlog r = {0};
    assert_int_equal(idc_directory_execute(f->dir, f->plan, on_step, &r, &f->err), IDC_OK);
    assert_int_equal(f->requests, IAM_RUN);
    assert_iam_call(f, 0, "GetUser", "alice");
    assert_int_equal(r.calls, IAM_STEPS);
    for (size_t i = 0; i < IAM_STEPS; i++) {
        fake_assert_param(f, 1 + i, "Action", iam_run[i].action);
        assert_int_equal(f->plan->steps[i].state, IDC_STEP_ALREADY_DONE);
        assert_int_equal(r.state[i], IDC_STEP_ALREADY_DONE);
        assert_false(r.failed[i]);
    }
}

/* The check itself is refused: no step runs, and the error is GetUser's. */
static void test_directory_execute_iam_check_denied(void **state)
{
    struct fake *f = *state;
    struct iam_answers a;
    iam_answers_init(&a);
    a.steps[0] = (struct fake_step){
        .status = 403,
        .body = ERROR_ANSWER("AccessDenied", DENIED("iam:GetUser")),
        .request_id = "rid-get",
    };
    plan_iam(f, a.steps, IAM_RUN);
    struct runlog r = {0};
    idc_err rc = idc_directory_execute(f->dir, f->plan, on_step, &r, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_AWS,
                       "reading IAM user alice: AccessDenied: User: arn:aws:iam::123456789012:"
                       "user/auditor is not authorized to perform: iam:GetUser");
    assert_string_equal(f->err.aws_code, "AccessDenied");
    assert_string_equal(f->err.request_id, "rid-get");
    assert_int_equal(f->err.http_status, 403);
    char action[64];
    assert_int_equal(idc_directory_cause(&f->err, action, sizeof action), IDC_CAUSE_DENIED);
    assert_string_equal(action, "iam:GetUser");
    assert_true(kind_lists(IDC_KIND_IAM, action, false)); /* a policy from the list allows it */
    assert_int_equal(f->requests, 1);
    assert_nothing_ran(f->plan, &r);
}

/* A plan whose steps are all done or already done sends nothing, not even the check. */
static void test_directory_execute_iam_all_done_sends_nothing(void **state)
{
    struct fake *f = *state;
    plan_iam(f, NULL, 0);
    for (size_t i = 0; i < IAM_STEPS; i++) {
        f->plan->steps[i].state = i % 2 ? IDC_STEP_ALREADY_DONE : IDC_STEP_DONE;
    }
    struct runlog r = {0};
    assert_int_equal(idc_directory_execute(f->dir, f->plan, on_step, &r, &f->err), IDC_OK);
    assert_int_equal(f->requests, 0);
    assert_int_equal(r.calls, 0);
    for (size_t i = 0; i < IAM_STEPS; i++) {
        assert_int_equal(f->plan->steps[i].state, i % 2 ? IDC_STEP_ALREADY_DONE : IDC_STEP_DONE);
    }
    /* One step left: the check comes before it. */
    f->plan->steps[IAM_STEPS - 1].state = IDC_STEP_PENDING;
    const struct fake_step last[] = {
        {.status = 200, .body = GET_USER("alice", ID_ALICE)},
        {.status = 200, .body = WRITTEN("DeleteUser")},
    };
    script(f, last, N_OF(last));
    assert_int_equal(idc_directory_execute(f->dir, f->plan, on_step, &r, &f->err), IDC_OK);
    assert_int_equal(f->requests, 2);
    assert_iam_call(f, 0, "GetUser", "alice");
    assert_iam_call(f, 1, "DeleteUser", "alice");
    assert_int_equal(r.calls, 1);
    assert_int_equal(f->plan->steps[IAM_STEPS - 1].state, IDC_STEP_DONE);
}

/* A plan runs only against a directory of its kind and store: nothing is sent otherwise. */
static void test_directory_execute_other_directory(void **state)
{
    struct fake *f = *state;
    dir_start(f, IDC_KIND_IDENTITY_CENTER, NULL, 0);
    static const struct idc_user_item items[] = {{IDC_ITEM_GROUP, "m-1", "Admins", NULL}};
    const struct idc_user_info info = {
        .user = {.user_id = IC_USER_ID, .user_name = "alice"},
        .items = items,
        .item_count = N_OF(items),
    };
    assert_int_equal(idc_directory_plan_delete(f->dir, &info, &f->plan, &f->err), IDC_OK);
    const char *want = "idc_directory_execute needs a directory and a plan made for it (of its "
                       "kind, for its store)";
    /* Another store: its membership and user ids mean nothing there. */
    struct idc_directory_config cfg = dir_config(f, IDC_KIND_IDENTITY_CENTER);
    cfg.store_id = "d-0987654321";
    struct idc_directory *other = NULL;
    assert_int_equal(idc_directory_open(&other, &cfg, &f->err), IDC_OK);
    struct runlog r = {0};
    fake_assert_failed(f, idc_directory_execute(other, f->plan, on_step, &r, &f->err), IDC_ERR_ARG,
                       want);
    idc_directory_free(other);
    assert_nothing_ran(f->plan, &r);
    /* An IAM plan on an Identity Center directory. */
    cfg = dir_config(f, IDC_KIND_IAM);
    struct idc_directory *iam = NULL;
    assert_int_equal(idc_directory_open(&iam, &cfg, &f->err), IDC_OK);
    struct idc_plan *iam_plan = NULL;
    assert_int_equal(idc_directory_plan_delete(iam, &iam_info, &iam_plan, &f->err), IDC_OK);
    idc_directory_free(iam);
    idc_err rc = idc_directory_execute(f->dir, iam_plan, on_step, &r, &f->err);
    assert_nothing_ran(iam_plan, &r);
    idc_plan_free(iam_plan);
    fake_assert_failed(f, rc, IDC_ERR_ARG, want);
    assert_int_equal(f->requests, 0);
}

static void test_directory_execute_ic(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 200, .body = "{}"},
        {.status = 400,
         .body = "{\"__type\":\"AccessDeniedException\",\"Message\":\"User: arn:aws:iam::"
                 "123456789012:user/auditor is not authorized to perform: identitystore:"
                 "DeleteGroupMembership on resource: arn:aws:identitystore:::membership/m-2\"}",
         .request_id = "rid-ic"},
    };
    static const struct idc_user_item items[] = {
        {IDC_ITEM_GROUP, "m-1", "Admins", NULL},
        {IDC_ITEM_GROUP, "m-2", "Developers", NULL},
    };
    const struct idc_user_info info = {
        .user = {.user_id = IC_USER_ID, .user_name = "alice"},
        .items = items,
        .item_count = N_OF(items),
    };
    dir_start(f, IDC_KIND_IDENTITY_CENTER, s, N_OF(s));
    assert_int_equal(idc_directory_plan_delete(f->dir, &info, &f->plan, &f->err), IDC_OK);
    assert_plan(f->plan, IDC_KIND_IDENTITY_CENTER, ic_alice_plan, N_OF(ic_alice_plan));
    struct runlog r = {0};
    idc_err rc = idc_directory_execute(f->dir, f->plan, on_step, &r, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_AWS,
                       "removing alice from group Developers: DeleteGroupMembership: "
                       "AccessDeniedException: User: arn:aws:iam::123456789012:user/auditor");
    assert_string_equal(f->err.aws_code, "AccessDeniedException");
    assert_string_equal(f->err.request_id, "rid-ic");
    char action[64];
    assert_int_equal(idc_directory_cause(&f->err, action, sizeof action), IDC_CAUSE_DENIED);
    assert_string_equal(action, "identitystore:DeleteGroupMembership");
    assert_int_equal(r.calls, 2);
    assert_false(r.failed[0]);
    assert_true(r.failed[1]);
    assert_int_equal(f->plan->steps[0].state, IDC_STEP_DONE);
    assert_int_equal(f->plan->steps[1].state, IDC_STEP_FAILED);
    assert_int_equal(f->plan->steps[2].state, IDC_STEP_PENDING);
    /* Someone else removed the membership meanwhile; then the user goes. */
    const struct fake_step rest[] = {
        {.status = 400,
         .body = "{\"__type\":\"ResourceNotFoundException\",\"Message\":\"GROUP_MEMBERSHIP not "
                 "found\"}"},
        {.status = 200, .body = "{}"},
    };
    script(f, rest, N_OF(rest));
    memset(&r, 0, sizeof r);
    assert_int_equal(idc_directory_execute(f->dir, f->plan, on_step, &r, &f->err), IDC_OK);
    assert_int_equal(r.calls, 2);
    assert_int_equal(f->plan->steps[1].state, IDC_STEP_ALREADY_DONE);
    assert_int_equal(f->plan->steps[2].state, IDC_STEP_DONE);
    static const char *const sent[][2] = {
        {"DeleteGroupMembership", "{\"IdentityStoreId\":\"" TEST_STORE "\",\"MembershipId\":"
                                  "\"m-1\"}"},
        {"DeleteGroupMembership", "{\"IdentityStoreId\":\"" TEST_STORE "\",\"MembershipId\":"
                                  "\"m-2\"}"},
        {"DeleteGroupMembership", "{\"IdentityStoreId\":\"" TEST_STORE "\",\"MembershipId\":"
                                  "\"m-2\"}"},
        {"DeleteUser", "{\"IdentityStoreId\":\"" TEST_STORE "\",\"UserId\":\"" IC_USER_ID "\"}"},
    };
    assert_int_equal(f->requests, N_OF(sent));
    for (size_t i = 0; i < N_OF(sent); i++) {
        char target[64];
        snprintf(target, sizeof target, "AWSIdentityStore.%s", sent[i][0]);
        assert_string_equal(fake_seen_header(&f->seen[i], "X-Amz-Target"), target);
        assert_string_equal(f->seen[i].body, sent[i][1]);
    }
}

static void test_directory_execute_arguments(void **state)
{
    struct fake *f = *state;
    dir_start(f, IDC_KIND_IDENTITY_CENTER, NULL, 0);
    const struct idc_user_info info = {.user = {.user_id = IC_USER_ID, .user_name = "alice"}};
    assert_int_equal(idc_directory_plan_delete(f->dir, &info, &f->plan, &f->err), IDC_OK);
    /* A plan made for Identity Center does not run against IAM. */
    struct idc_directory_config cfg = dir_config(f, IDC_KIND_IAM);
    struct idc_directory *iam = NULL;
    assert_int_equal(idc_directory_open(&iam, &cfg, &f->err), IDC_OK);
    const char *want = "idc_directory_execute needs a directory and a plan made for it (of its "
                       "kind, for its store)";
    fake_assert_failed(f, idc_directory_execute(iam, f->plan, NULL, NULL, &f->err), IDC_ERR_ARG,
                       want);
    idc_directory_free(iam);
    fake_assert_failed(f, idc_directory_execute(f->dir, NULL, NULL, NULL, &f->err), IDC_ERR_ARG,
                       want);
    fake_assert_failed(f, idc_directory_execute(NULL, f->plan, NULL, NULL, &f->err), IDC_ERR_ARG,
                       want);
    assert_int_equal(f->plan->steps[0].state, IDC_STEP_PENDING);
    assert_int_equal(f->requests, 0);
}

/* ---- causes -------------------------------------------------------------------------------- */

static void test_directory_cause(void **state)
{
    (void)state;
    static const struct {
        idc_err code;
        const char *aws_code;
        const char *msg;
        enum idc_cause want;
        const char *action;
    } cases[] = {
        {IDC_ERR_AWS, "UnrecognizedClientException",
         "ListUsers: UnrecognizedClientException: The security token included in the request is "
         "invalid. (HTTP 400)",
         IDC_CAUSE_UNKNOWN_KEY, ""},
        {IDC_ERR_AWS, "InvalidClientTokenId",
         "listing IAM users: InvalidClientTokenId: The security token included in the request is "
         "invalid. (HTTP 403)",
         IDC_CAUSE_UNKNOWN_KEY, ""},
        {IDC_ERR_AWS, "InvalidSignatureException",
         "ListUsers: InvalidSignatureException: The request signature we calculated does not "
         "match the signature you provided. Check your AWS Secret Access Key and signing method. "
         "(HTTP 400)",
         IDC_CAUSE_WRONG_SECRET, ""},
        {IDC_ERR_AWS, "SignatureDoesNotMatch",
         "listing IAM users: SignatureDoesNotMatch: The request signature we calculated does not "
         "match the signature you provided. (HTTP 403)",
         IDC_CAUSE_WRONG_SECRET, ""},
        {IDC_ERR_AWS, "InvalidSignatureException",
         "ListUsers: InvalidSignatureException: Signature expired: 20150830T123600Z is now "
         "earlier than 20150830T132100Z (20150830T133600Z - 15 min.) (HTTP 400)",
         IDC_CAUSE_CLOCK_SKEW, ""},
        {IDC_ERR_AWS, "SignatureDoesNotMatch",
         "listing IAM users: SignatureDoesNotMatch: Signature expired: 20150830T123600Z is now "
         "earlier than 20150830T132100Z (20150830T133600Z - 15 min.) (HTTP 403)",
         IDC_CAUSE_CLOCK_SKEW, ""},
        {IDC_ERR_AWS, "SignatureDoesNotMatch",
         "listing IAM users: SignatureDoesNotMatch: Signature not yet current: 20150830T143600Z "
         "is still later than 20150830T134100Z (HTTP 403)",
         IDC_CAUSE_CLOCK_SKEW, ""},
        {IDC_ERR_AWS, "RequestExpired", "RequestExpired: Request has expired. (HTTP 400)",
         IDC_CAUSE_CLOCK_SKEW, ""},
        {IDC_ERR_AWS, "RequestTimeTooSkewed", "RequestTimeTooSkewed: too skewed (HTTP 403)",
         IDC_CAUSE_CLOCK_SKEW, ""},
        {IDC_ERR_AWS, "ExpiredToken",
         "listing IAM users: ExpiredToken: The security token included in the request is "
         "expired (HTTP 403)",
         IDC_CAUSE_EXPIRED_TOKEN, ""},
        {IDC_ERR_AWS, "ExpiredTokenException",
         "ListUsers: ExpiredTokenException: The security token included in the request is "
         "expired (HTTP 400)",
         IDC_CAUSE_EXPIRED_TOKEN, ""},
        {IDC_ERR_AWS, "AccessDenied",
         "deleting user alice: AccessDenied: User: arn:aws:iam::123456789012:user/auditor is not "
         "authorized to perform: iam:DeleteUser on resource: user alice because no "
         "identity-based policy allows the iam:DeleteUser action (HTTP 403)",
         IDC_CAUSE_DENIED, "iam:DeleteUser"},
        {IDC_ERR_AWS, "AccessDeniedException",
         "ListUsers: AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/r/s is "
         "not authorized to perform: identitystore:ListUsers, with an explicit deny (HTTP 400)",
         IDC_CAUSE_DENIED, "identitystore:ListUsers"},
        {IDC_ERR_AWS, "AccessDeniedException",
         "ListUsers: AccessDeniedException: denied (HTTP 400)", IDC_CAUSE_DENIED, ""},
        {IDC_ERR_AWS, "ResourceNotFoundException",
         "DescribeUser: ResourceNotFoundException: USER not found. (HTTP 400)", IDC_CAUSE_NOT_FOUND,
         ""},
        {IDC_ERR_AWS, "NoSuchEntity",
         "reading IAM user zoe: NoSuchEntity: The user with name zoe cannot be found. (HTTP 404)",
         IDC_CAUSE_NOT_FOUND, ""},
        {IDC_ERR_NOT_FOUND, "", "no IAM user has the id AIDA", IDC_CAUSE_NOT_FOUND, ""},
        {IDC_ERR_AWS, "ThrottlingException",
         "gave up after 3 attempts: ThrottlingException: Rate "
         "exceeded (HTTP 400)",
         IDC_CAUSE_OTHER, ""},
        {IDC_ERR_AWS, "", "HTTP 502 with a body that is not the service's XML", IDC_CAUSE_OTHER,
         ""},
        /* The code counts only for an AWS answer. */
        {IDC_ERR_PARSE, "AccessDenied", "is not authorized to perform: iam:DeleteUser on",
         IDC_CAUSE_OTHER, ""},
        {IDC_ERR_CONNECT, "", "connecting to iam.amazonaws.com:443: refused", IDC_CAUSE_OTHER, ""},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        struct idc_error err = {.code = cases[i].code};
        snprintf(err.aws_code, sizeof err.aws_code, "%s", cases[i].aws_code);
        snprintf(err.msg, sizeof err.msg, "%s", cases[i].msg);
        char action[64] = "stale";
        enum idc_cause got = idc_directory_cause(&err, action, sizeof action);
        if (got != cases[i].want || strcmp(action, cases[i].action) != 0) {
            fail_msg("case %zu (%s): cause %d, action '%s'; expected %d, '%s'", i,
                     cases[i].aws_code, got, action, cases[i].want, cases[i].action);
        }
        assert_int_equal(idc_directory_cause(&err, NULL, 0), cases[i].want);
    }
    char action[64] = "stale";
    assert_int_equal(idc_directory_cause(NULL, action, sizeof action), IDC_CAUSE_OTHER);
    assert_string_equal(action, "");
    /* A small buffer gets the start of the action, never more. */
    struct idc_error err = {.code = IDC_ERR_AWS, .aws_code = "AccessDenied"};
    snprintf(err.msg, sizeof err.msg, "is not authorized to perform: iam:DeleteUser on resource");
    char small[8];
    assert_int_equal(idc_directory_cause(&err, small, sizeof small), IDC_CAUSE_DENIED);
    assert_string_equal(small, "iam:Del");
}

/*
 * The message carries the caller's context, which names the user: a wrong secret met while
 * reading a user named "expired-bob" (a valid IAM name) is a wrong secret, not clock skew
 * (the cause reads only the service's "Signature expired" / "not yet current", as the
 * client's clock correction does: idc_error_is_clock_skew).
 */
static void test_directory_cause_wrong_secret_for_user_named_expired(void **state)
{
    struct fake *f = *state;
    const struct fake_step s[] = {
        {.status = 403,
         .body = ERROR_ANSWER("SignatureDoesNotMatch",
                              "The request signature we calculated does not match the signature "
                              "you provided. Check your AWS Secret Access Key and signing method. "
                              "Consult the service documentation for details.")},
    };
    dir_start(f, IDC_KIND_IAM, s, N_OF(s));
    idc_err rc = idc_directory_describe_user(f->dir, NULL, "expired-bob", &f->info, &f->err);
    fake_assert_failed(f, rc, IDC_ERR_AWS, "reading IAM user expired-bob: SignatureDoesNotMatch: ");
    assert_int_equal(idc_directory_cause(&f->err, NULL, 0), IDC_CAUSE_WRONG_SECRET);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_directory_kinds, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_store_id_valid, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_kind_actions, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_names, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_open_refusals, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_open_sends_nothing, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_check, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_iam_status_rule, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_iam_user_json, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_iam_status_failure, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_iam_status_pages, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_list_users_stops, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_ic_users_passed_through, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_describe_iam_by_name, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_describe_iam_by_id, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_describe_iam_id_not_found, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_describe_iam_no_such_user, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_describe_iam_by_id_and_name, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_describe_iam_name_reused, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_describe_ic_by_name, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_describe_ic_by_id, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_describe_ic_long_group_name, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_describe_ic_by_id_and_name, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_describe_ic_not_found, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_describe_arguments, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_plan_iam, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_plan_ic, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_plan_arguments, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_execute_iam, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_execute_not_found_already_done, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_execute_stops_at_failure, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_execute_rerun_continues, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_execute_transport_failure, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_execute_iam_user_recreated, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_execute_iam_user_gone, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_execute_iam_check_denied, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_execute_iam_all_done_sends_nothing, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_execute_other_directory, fake_setup,
                                    fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_execute_ic, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_execute_arguments, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_cause, fake_setup, fake_teardown),
    cmocka_unit_test_setup_teardown(test_directory_cause_wrong_secret_for_user_named_expired,
                                    fake_setup, fake_teardown),
};

UNIT_MAIN(tests)
