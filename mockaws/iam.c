/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iam.c - mockaws's IAM awsQuery operations (spec/mockaws/operations.md); the model is in
 * iam_store.c. server.c calls mock_iam_dispatch. All state sits behind one rwlock, which is
 * never held while a response is sent: mock_admit and mock_reply may wait (--latency-ms,
 * slow faults).
 */
#include "iam.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "map.h"

#define IAM_VERSION       "2010-05-08"
#define IAM_ARN_MAX       768 /* "arn:aws:iam::" ACCOUNT ":group" + path (512) + name (128) */
#define IAM_KEY_MAX       128 /* the longest name or sequence number a Marker carries */
#define IAM_PARAMS        5
#define IAM_DEFAULT_ITEMS 100

/* ---- one call: parameters, admission, the answer ------------------------------------ */

struct iam_op;
typedef int iam_run_fn(struct mock_request *req, const struct iam_op *op);

enum iam_ptype {
    P_USER_NAME,
    P_EXISTING_USER,
    P_GROUP_NAME,
    P_PATH,
    P_PATH_PREFIX,
    P_MARKER,
    P_MAX_ITEMS,
    P_ACCESS_KEY_ID,
    P_CERT_ID,
    P_SSH_ID,
    P_SSC_ID,
    P_SERIAL,
    P_POLICY_NAME,
    P_ARN,
    P_PASSWORD,
    P_BOOL,
    P_TEXT,
    P__COUNT
};

struct iam_param {
    const char *name;
    enum iam_ptype type;
    bool required;
};

struct iam_op {
    const char *name;
    iam_run_fn *run;
    bool result;                         /* the reply has an <OpResult> */
    enum iam_kind_id kind;               /* for the generic list and delete handlers */
    struct iam_param params[IAM_PARAMS]; /* name NULL ends */
};

struct iam_call {
    struct mock_request *req;
    const struct iam_op *op;
    struct mock_iam *iam;
    const char *user_name; /* the UserName parameter; NULL: the caller */
    struct idc_dynbuf out; /* the response: call_init opens it, call_finish closes it */
    int status;            /* nonzero: the error to send instead */
    const char *code;
    char *msg;
};

/* The envelope opens in `out` at once, so the answer is never copied into another buffer. */
static void call_init(struct iam_call *c, struct mock_request *req, const struct iam_op *op)
{
    *c = (struct iam_call){.req = req, .op = op, .iam = req->server->world.iam};
    idc_dynbuf_printf(&c->out, "<%sResponse xmlns=\"" MOCK_IAM_XMLNS "\">", op->name);
    if (op->result) {
        idc_dynbuf_printf(&c->out, "<%sResult>", op->name);
    }
}

static void call_cleanup(struct iam_call *c)
{
    idc_dynbuf_free(&c->out);
    c->out = (struct idc_dynbuf){0};
    free(c->msg);
    c->msg = NULL;
}

/* Records the error to answer with; the first one wins. */
static void fail(struct iam_call *c, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(struct iam_call *c, int status, const char *code, const char *fmt, ...)
{
    if (c->status) {
        return;
    }
    va_list ap;
    va_list again;
    va_start(ap, fmt);
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    c->status = status;
    c->code = code;
    c->msg = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (c->msg) {
        vsnprintf(c->msg, (size_t)n + 1, fmt, again);
    }
    va_end(again);
}

static void fail_nomem(struct iam_call *c)
{
    fail(c, 500, "ServiceFailure", "out of memory");
}

static void envelope_close(struct idc_dynbuf *b, const struct iam_call *c)
{
    const char *op = c->op->name;
    if (c->op->result) {
        idc_dynbuf_printf(b, "</%sResult>", op);
    }
    idc_dynbuf_str(b, "<ResponseMetadata><RequestId>");
    iam_put_text(b, c->req->request_id);
    idc_dynbuf_printf(b, "</RequestId></ResponseMetadata></%sResponse>", op);
}

/* Sends the answer (called with the lock released) and returns its status. */
static int call_finish(struct iam_call *c)
{
    if (!c->status) {
        envelope_close(&c->out, c);
    }
    if (c->out.failed) {
        fail_nomem(c);
    }
    int rc = c->status
                 ? mock_reply_error(c->req, c->status, c->code, NULL, "%s", c->msg ? c->msg : "")
                 : mock_reply(c->req, 200, "text/xml", c->out.p, c->out.len);
    call_cleanup(c);
    return rc;
}

static void iam_lock(struct mock_iam *iam, bool write)
{
    if (write) {
        pthread_rwlock_wrlock(&iam->lock);
    } else {
        pthread_rwlock_rdlock(&iam->lock);
    }
}

static void iam_unlock(struct mock_iam *iam)
{
    pthread_rwlock_unlock(&iam->lock);
}

/* Returns 0 to go on, else the status already sent; the call is then cleaned up. */
static int admit_one(struct iam_call *c, const char *resource)
{
    char action[80];
    const char *resources[1] = {resource};
    snprintf(action, sizeof action, "iam:%s", c->op->name);
    int rc = mock_admit(c->req, action, resources, 1);
    if (rc) {
        call_cleanup(c);
    }
    return rc;
}

static const char *caller_arn(const struct mock_request *req)
{
    return req->caller && req->caller->arn ? req->caller->arn : "";
}

/* "arn:aws:iam::123456789012:user/ops/alice" gives "alice", "...:root" gives "root". */
static const char *arn_name(const char *arn)
{
    const char *slash = strrchr(arn, '/');
    const char *colon = strrchr(arn, ':');
    return slash ? slash + 1 : colon ? colon + 1 : arn;
}

/* Roles and federated sessions must name the user: IAM cannot infer one from them. */
static bool caller_is_user(const char *arn)
{
    size_t n = strlen(arn);
    return strstr(arn, ":iam::") &&
           (strstr(arn, ":user/") || (n > 5 && !strcmp(arn + n - 5, ":root")));
}

/*
 * Resolves the user the call names (UserName, else the caller) and authorizes the action on
 * that user's ARN; a user that does not exist gets path "/" (operations.md). Returns 0 to go
 * on, else the status already sent.
 */
static int admit_user(struct iam_call *c)
{
    char arn[IAM_ARN_MAX];
    c->user_name = mock_param(c->req, "UserName");
    if (c->user_name) {
        iam_lock(c->iam, false);
        const struct iam_user *u = iam_user_find(c->iam, c->user_name);
        snprintf(arn, sizeof arn, "arn:aws:iam::%s:user%s%s", c->iam->account, u ? u->path : "/",
                 u ? u->name : c->user_name);
        iam_unlock(c->iam);
        return admit_one(c, arn);
    }
    if (!caller_is_user(caller_arn(c->req))) {
        fail(c, 400, "ValidationError",
             "Must specify userName when calling with non-User credentials");
        return call_finish(c);
    }
    return admit_one(c, caller_arn(c->req));
}

/* The user admit_user resolved, looked up again under the lock; NULL after fail(). */
static struct iam_user *call_user(struct iam_call *c)
{
    const char *arn = caller_arn(c->req);
    struct iam_user *u =
        c->user_name ? iam_user_find(c->iam, c->user_name) : iam_user_find_arn(c->iam, arn);
    if (!u) {
        fail(c, 404, "NoSuchEntity", "The user with name %s cannot be found.",
             c->user_name ? c->user_name : arn_name(arn));
    }
    return u;
}

typedef void iam_user_fn(struct iam_call *c, struct iam_user *u);

/* The shape of most operations: admit on the user, then run `fn` on it under the lock. */
static int run_on_user(struct mock_request *req, const struct iam_op *op, bool write,
                       iam_user_fn *fn)
{
    struct iam_call c;
    call_init(&c, req, op);
    int rc = admit_user(&c);
    if (rc) {
        call_cleanup(&c);
        return rc;
    }
    iam_lock(c.iam, write);
    struct iam_user *u = call_user(&c);
    if (u) {
        fn(&c, u);
    }
    iam_unlock(c.iam);
    return call_finish(&c);
}

/* ---- pages -------------------------------------------------------------------------- */

static size_t page_size(const struct mock_request *req)
{
    const char *v = mock_param(req, "MaxItems");
    return v ? (size_t)strtoul(v, NULL, 10) : IAM_DEFAULT_ITEMS; /* validated: 1..1000 */
}

/*
 * A Marker is the hex of the key of the last entry returned (a user name, or an item's
 * sequence number), so it stays valid while entries are deleted. Fills `key` ("" without a
 * Marker); false after fail() for a Marker we did not issue.
 */
static bool call_marker(struct iam_call *c, char key[IAM_KEY_MAX + 1])
{
    const char *m = mock_param(c->req, "Marker");
    size_t n = m ? strlen(m) : 0;
    key[0] = '\0';
    if (!m) {
        return true;
    }
    bool ok = n && n % 2 == 0 && n / 2 <= IAM_KEY_MAX;
    for (size_t i = 0; ok && i < n; i += 2) {
        int hi = idc_hex_value((unsigned char)m[i]);
        int lo = idc_hex_value((unsigned char)m[i + 1]);
        ok = hi >= 0 && lo >= 0 && (hi || lo);
        key[i / 2] = (char)(hi * 16 + lo);
    }
    key[ok ? n / 2 : 0] = '\0';
    if (!ok) {
        fail(c, 400, "ValidationError", "Invalid Marker.");
    }
    return ok;
}

/* Ends a list Result: IsTruncated, and the Marker after `key` when there is more. */
static void page_end(struct iam_call *c, bool more, const char *key)
{
    char hex[2 * IAM_KEY_MAX + 1];
    size_t n = strlen(key);
    if (!more || n > IAM_KEY_MAX) {
        iam_put_bool(&c->out, "IsTruncated", false);
        return;
    }
    idc_hex_lower((const uint8_t *)key, n, hex);
    hex[2 * n] = '\0';
    idc_dynbuf_printf(&c->out, "<IsTruncated>true</IsTruncated><Marker>%s</Marker>", hex);
}

static void list_users_core(struct iam_call *c)
{
    char after[IAM_KEY_MAX + 1];
    if (!call_marker(c, after)) {
        return;
    }
    const char *prefix = mock_param(c->req, "PathPrefix");
    size_t plen = prefix ? strlen(prefix) : 0;
    size_t max = page_size(c->req);
    size_t shown = 0;
    const char *last = "";
    bool more = false;
    size_t start = after[0] ? iam_user_bound(c->iam, after, true) : 0;
    if (start < c->iam->user_count) { /* one allocation for a page of users of similar size */
        size_t n = c->iam->user_count - start < max ? c->iam->user_count - start : max;
        idc_dynbuf_reserve(&c->out, 256 + n * (c->iam->users[start]->xml.len + 32));
    }
    idc_dynbuf_str(&c->out, "<Users>");
    for (size_t i = start; i < c->iam->user_count; i++) {
        const struct iam_user *u = c->iam->users[i];
        if (plen && strncmp(u->path, prefix, plen)) {
            continue;
        }
        if (shown == max) {
            more = true;
            break;
        }
        idc_dynbuf_str(&c->out, "<member>");
        idc_dynbuf_put(&c->out, u->xml.p, u->xml.len);
        idc_dynbuf_str(&c->out, "</member>");
        last = u->name;
        shown++;
    }
    idc_dynbuf_str(&c->out, "</Users>");
    page_end(c, more, last);
}

static bool parse_seq(const char *key, uint64_t *seq)
{
    char *end = NULL;
    *seq = 0;
    if (!key[0]) {
        return true;
    }
    *seq = strtoull(key, &end, 10);
    return key[0] >= '0' && key[0] <= '9' && *end == '\0';
}

/* ListAccessKeys, ListMFADevices, ListUserPolicies and the others: one page of op->kind. */
static void list_items_core(struct iam_call *c, struct iam_user *u)
{
    const struct iam_kind *k = &iam_kinds[c->op->kind];
    const struct iam_items *items = &u->items[c->op->kind];
    const char *filter = k->filter ? mock_param(c->req, k->filter) : NULL;
    char key[IAM_KEY_MAX + 1];
    uint64_t after = 0;
    if (!call_marker(c, key)) {
        return;
    }
    if (!parse_seq(key, &after)) {
        fail(c, 400, "ValidationError", "Invalid Marker.");
        return;
    }
    size_t max = page_size(c->req);
    size_t shown = 0;
    uint64_t last = 0;
    bool more = false;
    idc_dynbuf_printf(&c->out, "<%s>", k->element);
    for (size_t i = 0; i < items->n; i++) {
        const struct iam_item *it = &items->v[i];
        if (it->seq <= after || (filter && (!it->f[2] || strcmp(it->f[2], filter)))) {
            continue;
        }
        if (shown == max) {
            more = true;
            break;
        }
        iam_item_render(&c->out, k, u, it);
        last = it->seq;
        shown++;
    }
    idc_dynbuf_printf(&c->out, "</%s>", k->element);
    snprintf(key, sizeof key, "%llu", (unsigned long long)last);
    page_end(c, more, key);
}

/* ---- operations --------------------------------------------------------------------- */

static int op_list_users(struct mock_request *req, const struct iam_op *op)
{
    struct iam_call c;
    char arn[IAM_ARN_MAX];
    call_init(&c, req, op);
    snprintf(arn, sizeof arn, "arn:aws:iam::%s:user/", c.iam->account);
    int rc = admit_one(&c, arn);
    if (rc) {
        return rc;
    }
    iam_lock(c.iam, false);
    list_users_core(&c);
    iam_unlock(c.iam);
    return call_finish(&c);
}

static void get_user_core(struct iam_call *c, struct iam_user *u)
{
    iam_user_render_full(&c->out, u);
}

static int op_get_user(struct mock_request *req, const struct iam_op *op)
{
    return run_on_user(req, op, false, get_user_core);
}

/* Deterministic ids, so that runs with the same requests compare equal. */
static void make_user_id(struct mock_iam *iam, const char *name, char out[22])
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    uint64_t h = mock_fnv1a(MOCK_FNV1A_BASIS, name, strlen(name)) ^ iam->next_seq++;
    memcpy(out, "AIDA", 4);
    for (size_t i = 4; i < 21; i++) {
        h = h * 6364136223846793005ULL + 1442695040888963407ULL;
        out[i] = digits[h >> 59];
    }
    out[21] = '\0';
}

static void create_user_core(struct iam_call *c, const char *name, const char *path)
{
    char id[22];
    make_user_id(c->iam, name, id);
    struct iam_user *u = iam_user_new(c->iam, name, id, path, mock_now(c->req->server));
    if (!u || !iam_user_render(u) || !iam_user_insert(c->iam, u)) {
        iam_user_free(u);
        fail_nomem(c);
        return;
    }
    iam_user_render_full(&c->out, u);
}

static int op_create_user(struct mock_request *req, const struct iam_op *op)
{
    struct iam_call c;
    char arn[IAM_ARN_MAX];
    const char *name = mock_param(req, "UserName");
    const char *path = mock_param(req, "Path");
    path = path ? path : "/";
    call_init(&c, req, op);
    snprintf(arn, sizeof arn, "arn:aws:iam::%s:user%s%s", c.iam->account, path, name);
    int rc = admit_one(&c, arn);
    if (rc) {
        return rc;
    }
    iam_lock(c.iam, true);
    if (iam_user_find(c.iam, name)) {
        fail(&c, 409, "EntityAlreadyExists", "User with name %s already exists.", name);
    } else {
        create_user_core(&c, name, path);
    }
    iam_unlock(c.iam);
    return call_finish(&c);
}

typedef void iam_group_fn(struct iam_call *c, struct iam_group *g, struct iam_user *u);

/* AddUserToGroup and RemoveUserFromGroup: admitted on the group's ARN. */
static int run_on_group(struct mock_request *req, const struct iam_op *op, iam_group_fn *fn)
{
    struct iam_call c;
    char arn[IAM_ARN_MAX];
    const char *name = mock_param(req, "GroupName");
    call_init(&c, req, op);
    c.user_name = mock_param(req, "UserName");
    iam_lock(c.iam, false);
    const struct iam_group *known = iam_group_find(c.iam, name);
    snprintf(arn, sizeof arn, "arn:aws:iam::%s:group%s%s", c.iam->account,
             known ? known->path : "/", known ? known->name : name);
    iam_unlock(c.iam);
    int rc = admit_one(&c, arn);
    if (rc) {
        return rc;
    }
    iam_lock(c.iam, true);
    struct iam_group *g = iam_group_find(c.iam, name);
    struct iam_user *u = NULL;
    if (!g) {
        fail(&c, 404, "NoSuchEntity", "The group with name %s cannot be found.", name);
    } else if ((u = call_user(&c))) {
        fn(&c, g, u);
    }
    iam_unlock(c.iam);
    return call_finish(&c);
}

static void add_to_group_core(struct iam_call *c, struct iam_group *g, struct iam_user *u)
{
    struct iam_items *items = &u->items[K_GROUP];
    struct iam_item it;
    if (iam_items_find(items, &iam_kinds[K_GROUP], g->name) < items->n) {
        return; /* already a member: IAM answers success */
    }
    if (items->n >= IAM_GROUPS_PER_USER) {
        fail(c, 409, "LimitExceeded", "Cannot exceed quota for GroupsPerUser: %d.",
             IAM_GROUPS_PER_USER);
        return;
    }
    if (!iam_group_item(g, &it) || !iam_items_push(c->iam, items, &it)) {
        iam_item_free(&it);
        fail_nomem(c);
    }
}

static void remove_from_group_core(struct iam_call *c, struct iam_group *g, struct iam_user *u)
{
    struct iam_items *items = &u->items[K_GROUP];
    size_t i = iam_items_find(items, &iam_kinds[K_GROUP], g->name);
    if (i == items->n) {
        fail(c, 404, "NoSuchEntity", "The user with name %s is not in group %s.", u->name, g->name);
        return;
    }
    struct iam_item it = iam_items_take(items, i);
    iam_item_free(&it);
}

static int op_add_to_group(struct mock_request *req, const struct iam_op *op)
{
    return run_on_group(req, op, add_to_group_core);
}

static int op_remove_from_group(struct mock_request *req, const struct iam_op *op)
{
    return run_on_group(req, op, remove_from_group_core);
}

static void get_login_core(struct iam_call *c, struct iam_user *u)
{
    if (!u->has_login) {
        fail(c, 404, "NoSuchEntity", "Login Profile for User %s cannot be found.", u->name);
        return;
    }
    iam_login_render(&c->out, u);
}

static void create_login_core(struct iam_call *c, struct iam_user *u)
{
    const char *reset = mock_param(c->req, "PasswordResetRequired");
    if (u->has_login) {
        fail(c, 409, "EntityAlreadyExists", "Login Profile for user %s already exists.", u->name);
        return;
    }
    u->has_login = true;
    u->login_reset = reset && !strcasecmp(reset, "true");
    u->login_created = mock_now(c->req->server);
    iam_login_render(&c->out, u);
}

static void delete_login_core(struct iam_call *c, struct iam_user *u)
{
    if (!u->has_login) {
        fail(c, 404, "NoSuchEntity", "Login Profile for User %s cannot be found.", u->name);
        return;
    }
    u->has_login = false;
    u->login_reset = false;
}

static int op_get_login(struct mock_request *req, const struct iam_op *op)
{
    return run_on_user(req, op, false, get_login_core);
}

static int op_create_login(struct mock_request *req, const struct iam_op *op)
{
    return run_on_user(req, op, true, create_login_core);
}

static int op_delete_login(struct mock_request *req, const struct iam_op *op)
{
    return run_on_user(req, op, true, delete_login_core);
}

static int op_list_items(struct mock_request *req, const struct iam_op *op)
{
    return run_on_user(req, op, false, list_items_core);
}

/* A serial number that is an ARN names a virtual device, which outlives its deactivation. */
static bool mfa_is_virtual(const char *serial)
{
    return !strncmp(serial, "arn:", 4) && strstr(serial, ":mfa/");
}

/* DeleteAccessKey, DeactivateMFADevice, DetachUserPolicy and the others: one item of op->kind. */
static void delete_item_core(struct iam_call *c, struct iam_user *u)
{
    const struct iam_kind *k = &iam_kinds[c->op->kind];
    struct iam_items *items = &u->items[c->op->kind];
    struct iam_items *spare = &c->iam->unassigned_mfa;
    const char *id = mock_param(c->req, k->id_param);
    size_t i = iam_items_find(items, k, id);
    if (i == items->n) {
        fail(c, 404, "NoSuchEntity", "%s%s%s", k->missing[0], id, k->missing[1]);
        return;
    }
    bool keep = c->op->kind == K_MFA && mfa_is_virtual(id);
    if (keep && !iam_grow((void **)&spare->v, &spare->cap, spare->n + 1, sizeof *spare->v)) {
        fail_nomem(c);
        return;
    }
    struct iam_item it = iam_items_take(items, i);
    if (keep) {
        spare->v[spare->n++] = it; /* the device stays until DeleteVirtualMFADevice */
    } else {
        iam_item_free(&it);
    }
}

static int op_delete_item(struct mock_request *req, const struct iam_op *op)
{
    return run_on_user(req, op, true, delete_item_core);
}

static int op_delete_virtual_mfa(struct mock_request *req, const struct iam_op *op)
{
    struct iam_call c;
    const char *serial = mock_param(req, "SerialNumber");
    call_init(&c, req, op);
    int rc = admit_one(&c, serial);
    if (rc) {
        return rc;
    }
    iam_lock(c.iam, true);
    struct iam_items *spare = &c.iam->unassigned_mfa;
    size_t i = iam_items_find(spare, &iam_kinds[K_MFA], serial);
    if (iam_mfa_assigned(c.iam, serial)) {
        fail(&c, 409, "DeleteConflict", "MFA device is still in use.");
    } else if (i == spare->n) {
        fail(&c, 404, "NoSuchEntity", "VirtualMFADevice with serial number %s doesn't exist.",
             serial);
    } else {
        struct iam_item it = iam_items_take(spare, i);
        iam_item_free(&it);
    }
    iam_unlock(c.iam);
    return call_finish(&c);
}

static void delete_user_core(struct iam_call *c, struct iam_user *u)
{
    if (u->has_login) {
        fail(c, 409, "DeleteConflict", IAM_CONFLICT "delete login profile first.");
        return;
    }
    for (size_t k = 0; k < K__COUNT; k++) {
        if (iam_kinds[k].conflict && u->items[k].n) {
            fail(c, 409, "DeleteConflict", "%s", iam_kinds[k].conflict);
            return;
        }
    }
    iam_user_remove(c->iam, u);
}

static int op_delete_user(struct mock_request *req, const struct iam_op *op)
{
    return run_on_user(req, op, true, delete_user_core);
}

/* ---- the operation table and parameter checks --------------------------------------- */

#define PAGE_PARAMS                                                                                \
    {"Marker", P_MARKER, false},                                                                   \
    {                                                                                              \
        "MaxItems", P_MAX_ITEMS, false                                                             \
    }

static const struct iam_op ops[] = {
    {.name = "ListUsers",
     .run = op_list_users,
     .result = true,
     .params = {{"PathPrefix", P_PATH_PREFIX, false}, PAGE_PARAMS}},
    {.name = "GetUser",
     .run = op_get_user,
     .result = true,
     .params = {{"UserName", P_EXISTING_USER, false}}},
    {.name = "CreateUser",
     .run = op_create_user,
     .result = true,
     .params = {{"UserName", P_USER_NAME, true}, {"Path", P_PATH, false}}},
    {.name = "DeleteUser", .run = op_delete_user, .params = {{"UserName", P_EXISTING_USER, true}}},
    {.name = "AddUserToGroup",
     .run = op_add_to_group,
     .params = {{"GroupName", P_GROUP_NAME, true}, {"UserName", P_EXISTING_USER, true}}},
    {.name = "RemoveUserFromGroup",
     .run = op_remove_from_group,
     .params = {{"GroupName", P_GROUP_NAME, true}, {"UserName", P_EXISTING_USER, true}}},
    {.name = "ListGroupsForUser",
     .run = op_list_items,
     .result = true,
     .kind = K_GROUP,
     .params = {{"UserName", P_EXISTING_USER, true}, PAGE_PARAMS}},
    {.name = "GetLoginProfile",
     .run = op_get_login,
     .result = true,
     .params = {{"UserName", P_USER_NAME, false}}},
    {.name = "CreateLoginProfile",
     .run = op_create_login,
     .result = true,
     .params = {{"UserName", P_USER_NAME, false},
                {"Password", P_PASSWORD, true},
                {"PasswordResetRequired", P_BOOL, false}}},
    {.name = "DeleteLoginProfile",
     .run = op_delete_login,
     .params = {{"UserName", P_USER_NAME, false}}},
    {.name = "ListAccessKeys",
     .run = op_list_items,
     .result = true,
     .kind = K_ACCESS_KEY,
     .params = {{"UserName", P_EXISTING_USER, false}, PAGE_PARAMS}},
    {.name = "DeleteAccessKey",
     .run = op_delete_item,
     .kind = K_ACCESS_KEY,
     .params = {{"UserName", P_EXISTING_USER, false}, {"AccessKeyId", P_ACCESS_KEY_ID, true}}},
    {.name = "ListSigningCertificates",
     .run = op_list_items,
     .result = true,
     .kind = K_CERT,
     .params = {{"UserName", P_EXISTING_USER, false}, PAGE_PARAMS}},
    {.name = "DeleteSigningCertificate",
     .run = op_delete_item,
     .kind = K_CERT,
     .params = {{"UserName", P_EXISTING_USER, false}, {"CertificateId", P_CERT_ID, true}}},
    {.name = "ListSSHPublicKeys",
     .run = op_list_items,
     .result = true,
     .kind = K_SSH,
     .params = {{"UserName", P_USER_NAME, false}, PAGE_PARAMS}},
    {.name = "DeleteSSHPublicKey",
     .run = op_delete_item,
     .kind = K_SSH,
     .params = {{"UserName", P_USER_NAME, true}, {"SSHPublicKeyId", P_SSH_ID, true}}},
    {.name = "ListServiceSpecificCredentials",
     .run = op_list_items,
     .result = true,
     .kind = K_SSC,
     .params = {{"UserName", P_USER_NAME, false}, {"ServiceName", P_TEXT, false}, PAGE_PARAMS}},
    {.name = "DeleteServiceSpecificCredential",
     .run = op_delete_item,
     .kind = K_SSC,
     .params = {{"UserName", P_USER_NAME, false}, {"ServiceSpecificCredentialId", P_SSC_ID, true}}},
    {.name = "ListMFADevices",
     .run = op_list_items,
     .result = true,
     .kind = K_MFA,
     .params = {{"UserName", P_EXISTING_USER, false}, PAGE_PARAMS}},
    {.name = "DeactivateMFADevice",
     .run = op_delete_item,
     .kind = K_MFA,
     .params = {{"UserName", P_EXISTING_USER, false}, {"SerialNumber", P_SERIAL, true}}},
    {.name = "DeleteVirtualMFADevice",
     .run = op_delete_virtual_mfa,
     .params = {{"SerialNumber", P_SERIAL, true}}},
    {.name = "ListUserPolicies",
     .run = op_list_items,
     .result = true,
     .kind = K_INLINE,
     .params = {{"UserName", P_EXISTING_USER, true}, PAGE_PARAMS}},
    {.name = "DeleteUserPolicy",
     .run = op_delete_item,
     .kind = K_INLINE,
     .params = {{"UserName", P_EXISTING_USER, true}, {"PolicyName", P_POLICY_NAME, true}}},
    {.name = "ListAttachedUserPolicies",
     .run = op_list_items,
     .result = true,
     .kind = K_ATTACHED,
     .params = {{"UserName", P_USER_NAME, true}, PAGE_PARAMS}},
    {.name = "DetachUserPolicy",
     .run = op_delete_item,
     .kind = K_ATTACHED,
     .params = {{"UserName", P_USER_NAME, true}, {"PolicyArn", P_ARN, true}}},
};

enum iam_charset {
    CS_ANY,
    CS_NAME,
    CS_WORD,
    CS_SERIAL,
    CS_PATH,
    CS_PATH_PREFIX,
    CS_MARKER,
    CS_PASSWORD
};

/* The botocore model's constraints, with its patterns as AWS quotes them. */
struct iam_ptype_info {
    size_t min;
    size_t max;
    enum iam_charset set;
    const char *pattern;
    bool secret; /* never echoed in messages */
};

#define NAME_PATTERN "[\\w+=,.@-]+"
#define WORD_PATTERN "[\\w]+"

static const struct iam_ptype_info ptypes[P__COUNT] = {
    [P_USER_NAME] = {1, 64, CS_NAME, NAME_PATTERN, false},
    [P_EXISTING_USER] = {1, 128, CS_NAME, NAME_PATTERN, false},
    [P_GROUP_NAME] = {1, 128, CS_NAME, NAME_PATTERN, false},
    [P_PATH] = {1, 512, CS_PATH, "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)", false},
    [P_PATH_PREFIX] = {1, 512, CS_PATH_PREFIX, "\\u002F[\\u0021-\\u007F]*", false},
    [P_MARKER] = {1, 320, CS_MARKER, "[\\u0020-\\u00FF]+", false},
    [P_MAX_ITEMS] = {1, 1000, CS_ANY, NULL, false},
    [P_ACCESS_KEY_ID] = {16, 128, CS_WORD, WORD_PATTERN, false},
    [P_CERT_ID] = {24, 128, CS_WORD, WORD_PATTERN, false},
    [P_SSH_ID] = {20, 128, CS_WORD, WORD_PATTERN, false},
    [P_SSC_ID] = {20, 128, CS_WORD, WORD_PATTERN, false},
    [P_SERIAL] = {9, 256, CS_SERIAL, "[\\w+=/:,.@-]+", false},
    [P_POLICY_NAME] = {1, 128, CS_NAME, NAME_PATTERN, false},
    [P_ARN] = {20, 2048, CS_ANY, NULL, false},
    [P_PASSWORD] = {1, 128, CS_PASSWORD, "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+", true},
    [P_BOOL] = {0, SIZE_MAX, CS_ANY, NULL, false},
    [P_TEXT] = {0, SIZE_MAX, CS_ANY, NULL, false},
};

/* Bytes of a multi-byte UTF-8 character pass the classes that reach U+00FF. */
static bool char_ok(enum iam_charset set, unsigned char ch)
{
    switch (set) {
    case CS_NAME:
        return iam_is_name_char(ch);
    case CS_WORD:
        return iam_is_word(ch);
    case CS_SERIAL:
        return iam_is_word(ch) || (ch && strchr("+=/:,.@-", ch));
    case CS_MARKER:
        return ch >= 0x20;
    case CS_PASSWORD:
        return ch >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r';
    default:
        return true;
    }
}

static bool pattern_ok(enum iam_charset set, const char *v)
{
    size_t n = strlen(v);
    if (set == CS_PATH) {
        return iam_path_ok(v);
    }
    if (set == CS_PATH_PREFIX) {
        return v[0] == '/' && iam_all_in(v + 1, n - 1, 0x21, 0x7f);
    }
    for (size_t i = 0; i < n; i++) {
        if (!char_ok(set, (unsigned char)v[i])) {
            return false;
        }
    }
    return true;
}

/* Characters, not bytes, as AWS counts them. */
static size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++) {
        n += ((unsigned char)*s & 0xc0) != 0x80;
    }
    return n;
}

struct iam_check {
    struct idc_dynbuf text;
    int count;
};

/* Adds "Value 'V' at 'member' failed to satisfy constraint: C" as AWS words it. */
static void violation(struct iam_check *ck, const struct iam_param *p, const char *v,
                      const char *constraint)
{
    char member[64];
    snprintf(member, sizeof member, "%s", p->name);
    if (member[0] >= 'A' && member[0] <= 'Z') {
        member[0] = (char)(member[0] - 'A' + 'a');
    }
    if (ck->count++) {
        idc_dynbuf_str(&ck->text, "; ");
    }
    if (!v) {
        idc_dynbuf_printf(&ck->text, "Value null at '%s'", member);
    } else if (ptypes[p->type].secret) {
        idc_dynbuf_printf(&ck->text, "Value at '%s'", member);
    } else {
        idc_dynbuf_printf(&ck->text, "Value '%s' at '%s'", v, member);
    }
    idc_dynbuf_printf(&ck->text, " failed to satisfy constraint: %s", constraint);
}

static void check_number(struct iam_check *ck, const struct iam_param *p, const char *v)
{
    const struct iam_ptype_info *t = &ptypes[p->type];
    char why[96];
    size_t n = strlen(v);
    if (!n || n > 9 || !iam_all_in(v, n, '0', '9')) {
        violation(ck, p, v, "Member must be an integer");
        return;
    }
    unsigned long x = strtoul(v, NULL, 10);
    if (x < t->min || x > t->max) {
        snprintf(why, sizeof why, "Member must have value %s than or equal to %zu",
                 x < t->min ? "greater" : "less", x < t->min ? t->min : t->max);
        violation(ck, p, v, why);
    }
}

static void check_param(struct iam_check *ck, const struct iam_param *p, const char *v)
{
    const struct iam_ptype_info *t = &ptypes[p->type];
    char why[160];
    if (!v) {
        if (p->required) {
            violation(ck, p, NULL, "Member must not be null");
        }
        return;
    }
    if (p->type == P_MAX_ITEMS) {
        check_number(ck, p, v);
        return;
    }
    if (p->type == P_BOOL && strcasecmp(v, "true") && strcasecmp(v, "false")) {
        violation(ck, p, v, "Member must be true or false");
    }
    size_t n = utf8_len(v);
    if (n < t->min || n > t->max) {
        snprintf(why, sizeof why, "Member must have length %s than or equal to %zu",
                 n < t->min ? "greater" : "less", n < t->min ? t->min : t->max);
        violation(ck, p, v, why);
    }
    if (n && t->pattern && !pattern_ok(t->set, v)) {
        snprintf(why, sizeof why, "Member must satisfy regular expression pattern: %s", t->pattern);
        violation(ck, p, v, why);
    }
}

/* Returns 0, or the status of the ValidationError sent. */
static int check_params(struct mock_request *req, const struct iam_op *op)
{
    struct iam_check ck = {{0}, 0};
    for (const struct iam_param *p = op->params; p < op->params + IAM_PARAMS && p->name; p++) {
        check_param(&ck, p, mock_param(req, p->name));
    }
    int rc = 0;
    if (ck.count) {
        rc = mock_reply_error(
            req, 400, "ValidationError", NULL, "%d validation error%s detected: %.*s", ck.count,
            ck.count > 1 ? "s" : "", (int)ck.text.len, ck.text.p ? ck.text.p : "");
    }
    idc_dynbuf_free(&ck.text);
    return rc;
}

int mock_iam_dispatch(struct mock_request *req)
{
    const char *action = mock_param(req, "Action");
    const char *version = mock_param(req, "Version");
    if (!action || !action[0]) {
        return mock_reply_error(req, 400, "MissingAction", NULL, "Missing Action");
    }
    const struct iam_op *op = NULL;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0] && !op; i++) {
        op = strcmp(ops[i].name, action) ? NULL : &ops[i];
    }
    if (!op || !version || strcmp(version, IAM_VERSION)) {
        return mock_reply_error(req, 400, "InvalidAction", NULL,
                                "Could not find operation %s for version %s", action,
                                version ? version : "NO_VERSION_SPECIFIED");
    }
    int rc = check_params(req, op);
    return rc ? rc : op->run(req, op);
}

bool mock_iam_user_id(struct mock_iam *iam, const char *arn, char *out, size_t size)
{
    iam_lock(iam, false);
    const struct iam_user *u = iam_user_find_arn(iam, arn);
    if (u != NULL) {
        snprintf(out, size, "%s", u->id);
    }
    iam_unlock(iam);
    return u != NULL;
}
