/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iam.c - mockaws's IAM: users, groups and each user's sub-resources loaded from fixtures,
 * and the awsQuery operations of spec/mockaws/operations.md. server.c calls
 * mock_iam_dispatch. All state sits behind one rwlock, which is never held while a response
 * is sent: mock_admit and mock_reply may wait (--latency-ms, slow faults).
 */
#include "mock.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "idc/timefmt.h"
#include "map.h"

#define IAM_VERSION         "2010-05-08"
#define IAM_ARN_MAX         768 /* "arn:aws:iam::" ACCOUNT ":group" + path (512) + name (128) */
#define IAM_KEY_MAX         128 /* the longest name or sequence number a Marker carries */
#define IAM_FIELDS          4
#define IAM_COLS            6
#define IAM_PARAMS          5
#define IAM_DEFAULT_ITEMS   100
#define IAM_GROUPS_PER_USER 10 /* IAM quota GroupsPerUser */
#define IAM_CONFLICT        "Cannot delete entity, must "

/* ---- the sub-resources of a user, described once ------------------------------------ */

/* In DeleteUser's documented order (aws-protocols.md 2.4): the conflicts are checked so. */
enum iam_kind_id {
    K_ACCESS_KEY,
    K_CERT,
    K_SSH,
    K_SSC,
    K_MFA,
    K_INLINE,
    K_ATTACHED,
    K_GROUP,
    K_TAG,
    K__COUNT
};

enum iam_ftype { FT_STRING = 1, FT_STATUS, FT_JSON };

struct iam_field {
    const char *key; /* the fixture member */
    enum iam_ftype type;
    bool required;
};

enum iam_src { SRC_F0, SRC_F1, SRC_F2, SRC_F3, SRC_USER, SRC_DATE };

struct iam_col {
    const char *xml; /* the child element */
    enum iam_src src;
};

struct iam_kind {
    const char *key;                     /* the user's fixture member */
    const char *what;                    /* what one item is called in fixture errors */
    struct iam_field fields[IAM_FIELDS]; /* kept as f[0..3]; f[0] identifies the item */
    const char *date_key;                /* NULL: no date */
    size_t max;                          /* most items per user; 0: no bound */
    bool nocase;                         /* f[0] compares ignoring case */
    const char *element;                 /* the list's element in the Result */
    bool bare;                           /* each <member> is f[0] itself (PolicyNames) */
    struct iam_col cols[IAM_COLS];       /* a <member>'s children in order; xml NULL ends */
    const char *id_param;                /* the parameter naming the item to delete */
    const char *filter;                  /* an optional list parameter matched against f[2] */
    const char *missing[2];              /* NoSuchEntity message, before and after the id */
    const char *conflict;                /* DeleteUser's message while any remain */
};

static const struct iam_kind kinds[K__COUNT] = {
    [K_ACCESS_KEY] = {.key = "AccessKeys",
                      .what = "access key",
                      .fields = {{"AccessKeyId", FT_STRING, true}, {"Status", FT_STATUS, false}},
                      .date_key = "CreateDate",
                      .max = 2,
                      .element = "AccessKeyMetadata",
                      .cols = {{"UserName", SRC_USER},
                               {"AccessKeyId", SRC_F0},
                               {"Status", SRC_F1},
                               {"CreateDate", SRC_DATE}},
                      .id_param = "AccessKeyId",
                      .missing = {"The Access Key with id ", " cannot be found."},
                      .conflict = IAM_CONFLICT "delete access keys first."},
    [K_CERT] = {.key = "SigningCertificates",
                .what = "signing certificate",
                .fields = {{"CertificateId", FT_STRING, true},
                           {"Status", FT_STATUS, false},
                           {"CertificateBody", FT_STRING, true}},
                .date_key = "UploadDate",
                .element = "Certificates",
                .cols = {{"UserName", SRC_USER},
                         {"CertificateId", SRC_F0},
                         {"CertificateBody", SRC_F2},
                         {"Status", SRC_F1},
                         {"UploadDate", SRC_DATE}},
                .id_param = "CertificateId",
                .missing = {"The Certificate with id ", " cannot be found."},
                .conflict = IAM_CONFLICT "delete certificates first."},
    [K_SSH] = {.key = "SSHPublicKeys",
               .what = "SSH public key",
               .fields = {{"SSHPublicKeyId", FT_STRING, true}, {"Status", FT_STATUS, false}},
               .date_key = "UploadDate",
               .element = "SSHPublicKeys",
               .cols = {{"UserName", SRC_USER},
                        {"SSHPublicKeyId", SRC_F0},
                        {"Status", SRC_F1},
                        {"UploadDate", SRC_DATE}},
               .id_param = "SSHPublicKeyId",
               .missing = {"The Public Key with id ", " cannot be found."},
               .conflict = IAM_CONFLICT "remove referenced objects first."},
    [K_SSC] = {.key = "ServiceSpecificCredentials",
               .what = "service-specific credential",
               .fields = {{"ServiceSpecificCredentialId", FT_STRING, true},
                          {"Status", FT_STATUS, false},
                          {"ServiceName", FT_STRING, true},
                          {"ServiceUserName", FT_STRING, false}},
               .date_key = "CreateDate",
               .element = "ServiceSpecificCredentials",
               .cols = {{"UserName", SRC_USER},
                        {"Status", SRC_F1},
                        {"ServiceUserName", SRC_F3},
                        {"CreateDate", SRC_DATE},
                        {"ServiceSpecificCredentialId", SRC_F0},
                        {"ServiceName", SRC_F2}},
               .id_param = "ServiceSpecificCredentialId",
               .filter = "ServiceName",
               .missing = {"No such credential ", " exists."},
               .conflict = IAM_CONFLICT "remove referenced objects first."},
    [K_MFA] = {.key = "MFADevices",
               .what = "MFA device",
               .fields = {{"SerialNumber", FT_STRING, true}},
               .date_key = "EnableDate",
               .element = "MFADevices",
               .cols = {{"UserName", SRC_USER}, {"SerialNumber", SRC_F0}, {"EnableDate", SRC_DATE}},
               .id_param = "SerialNumber",
               .missing = {"The MFA device with serial number ", " cannot be found."},
               .conflict = IAM_CONFLICT "delete MFA device first."},
    [K_INLINE] = {.key = "InlinePolicies",
                  .what = "inline policy",
                  .fields = {{"PolicyName", FT_STRING, true}, {"PolicyDocument", FT_JSON, true}},
                  .element = "PolicyNames",
                  .bare = true,
                  .id_param = "PolicyName",
                  .missing = {"The user policy with name ", " cannot be found."},
                  .conflict = IAM_CONFLICT "delete policies first."},
    [K_ATTACHED] = {.key = "AttachedPolicies",
                    .what = "attached policy",
                    .fields = {{"PolicyArn", FT_STRING, true}, {"PolicyName", FT_STRING, true}},
                    .element = "AttachedPolicies",
                    .cols = {{"PolicyName", SRC_F1}, {"PolicyArn", SRC_F0}},
                    .id_param = "PolicyArn",
                    .missing = {"Policy ", " was not found."},
                    .conflict = IAM_CONFLICT "detach all policies first."},
    /* A membership copies its group: f[0] name, f[1] id, f[2] path, f[3] ARN. */
    [K_GROUP] = {.key = "Groups",
                 .what = "group",
                 .max = IAM_GROUPS_PER_USER,
                 .nocase = true,
                 .element = "Groups",
                 .cols = {{"Path", SRC_F2},
                          {"GroupName", SRC_F0},
                          {"GroupId", SRC_F1},
                          {"Arn", SRC_F3},
                          {"CreateDate", SRC_DATE}},
                 .conflict = IAM_CONFLICT "remove users from group first."},
    [K_TAG] = {.key = "Tags",
               .what = "tag",
               .fields = {{"Key", FT_STRING, true}, {"Value", FT_STRING, true}},
               .element = "Tags",
               .cols = {{"Key", SRC_F0}, {"Value", SRC_F1}}},
};

/* ---- state -------------------------------------------------------------------------- */

struct iam_item {
    uint64_t seq; /* from mock_iam.next_seq: items are kept in this order, Markers name it */
    int64_t date;
    char *f[IAM_FIELDS];
};

struct iam_items {
    struct iam_item *v;
    size_t n;
    size_t cap;
};

struct iam_user {
    char *name;
    char *id;
    char *path;
    char *arn;
    int64_t created;
    int64_t password_last_used; /* 0: never */
    bool has_login;
    bool login_reset;
    int64_t login_created;
    struct iam_items items[K__COUNT];
    struct idc_dynbuf xml; /* the User members ListUsers sends, rendered once */
};

struct iam_group {
    char *name;
    char *id;
    char *path;
    char *arn;
    int64_t created;
};

struct mock_iam {
    pthread_rwlock_t lock;
    char account[32];
    struct iam_user **users; /* sorted by name ignoring case, as names are unique so */
    size_t user_count;
    size_t user_cap;
    struct iam_group *groups;
    size_t group_count;
    size_t group_cap;
    struct iam_items unassigned_mfa; /* virtual devices deactivated but not deleted */
    uint64_t next_seq;
};

/* ---- small helpers ------------------------------------------------------------------ */

static bool grow(void **v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap) {
        return true;
    }
    size_t n = *cap ? *cap * 2 : 8;
    while (n < need) {
        n *= 2;
    }
    void *p = realloc(*v, n * size);
    if (!p) {
        return false;
    }
    *v = p;
    *cap = n;
    return true;
}

static bool is_word(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_';
}

static bool is_name_char(unsigned char ch)
{
    return is_word(ch) || (ch && strchr("+=,.@-", ch));
}

static bool all_in(const char *s, size_t n, unsigned char lo, unsigned char hi)
{
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] < lo || (unsigned char)s[i] > hi) {
            return false;
        }
    }
    return true;
}

/* IAM's pathType: "/" or "/" [\u0021-\u007E]+ "/". */
static bool path_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 1) {
        return s[0] == '/';
    }
    return n >= 3 && n <= 512 && s[0] == '/' && s[n - 1] == '/' && all_in(s + 1, n - 2, 0x21, 0x7e);
}

static bool name_ok(const char *s, size_t max)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++) {
        if (!is_name_char((unsigned char)s[i])) {
            return false;
        }
    }
    return n >= 1 && n <= max;
}

static int name_cmp(const struct iam_kind *k, const char *a, const char *b)
{
    return k->nocase ? strcasecmp(a, b) : strcmp(a, b);
}

/* ---- items -------------------------------------------------------------------------- */

static void item_free(struct iam_item *it)
{
    for (size_t i = 0; i < IAM_FIELDS; i++) {
        free(it->f[i]);
        it->f[i] = NULL;
    }
}

static void items_free(struct iam_items *items)
{
    for (size_t i = 0; i < items->n; i++) {
        item_free(&items->v[i]);
    }
    free(items->v);
    *items = (struct iam_items){0};
}

/* The index of the item whose f[0] is `id`, or items->n. */
static size_t items_find(const struct iam_items *items, const struct iam_kind *k, const char *id)
{
    size_t i = 0;
    while (i < items->n && name_cmp(k, items->v[i].f[0], id)) {
        i++;
    }
    return i;
}

/* Appends `it` with the next sequence number; on success the list owns its strings. */
static bool items_push(struct mock_iam *iam, struct iam_items *items, struct iam_item *it)
{
    if (!grow((void **)&items->v, &items->cap, items->n + 1, sizeof *items->v)) {
        return false;
    }
    it->seq = iam->next_seq++;
    items->v[items->n++] = *it;
    return true;
}

/* Removes item `i` and hands it to the caller. */
static struct iam_item items_take(struct iam_items *items, size_t i)
{
    struct iam_item it = items->v[i];
    memmove(&items->v[i], &items->v[i + 1], (items->n - i - 1) * sizeof *items->v);
    items->n--;
    return it;
}

/* ---- users and groups --------------------------------------------------------------- */

static void user_free(struct iam_user *u)
{
    if (!u) {
        return;
    }
    for (size_t k = 0; k < K__COUNT; k++) {
        items_free(&u->items[k]);
    }
    idc_dynbuf_free(&u->xml);
    free(u->name);
    free(u->id);
    free(u->path);
    free(u->arn);
    free(u);
}

static struct iam_user *user_new(const struct mock_iam *iam, const char *name, const char *id,
                                 const char *path, int64_t created)
{
    struct iam_user *u = calloc(1, sizeof *u);
    if (!u) {
        return NULL;
    }
    u->name = strdup(name);
    u->id = strdup(id);
    u->path = strdup(path);
    u->created = created;
    size_t n = strlen(iam->account) + strlen(path) + strlen(name) + sizeof "arn:aws:iam:::user";
    u->arn = malloc(n);
    if (!u->name || !u->id || !u->path || !u->arn) {
        user_free(u);
        return NULL;
    }
    snprintf(u->arn, n, "arn:aws:iam::%s:user%s%s", iam->account, path, name);
    return u;
}

/* The first user whose name sorts after `name` (or at it, when !after). */
static size_t user_bound(const struct mock_iam *iam, const char *name, bool after)
{
    size_t lo = 0;
    size_t hi = iam->user_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcasecmp(iam->users[mid]->name, name);
        if (c < 0 || (after && c == 0)) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* IAM names are unique ignoring case, and a lookup ignores case too. */
static struct iam_user *user_find(const struct mock_iam *iam, const char *name)
{
    size_t i = user_bound(iam, name, false);
    return i < iam->user_count && !strcasecmp(iam->users[i]->name, name) ? iam->users[i] : NULL;
}

static struct iam_user *user_find_arn(const struct mock_iam *iam, const char *arn)
{
    for (size_t i = 0; i < iam->user_count; i++) {
        if (!strcmp(iam->users[i]->arn, arn)) {
            return iam->users[i];
        }
    }
    return NULL;
}

static bool user_insert(struct mock_iam *iam, struct iam_user *u)
{
    if (!grow((void **)&iam->users, &iam->user_cap, iam->user_count + 1, sizeof *iam->users)) {
        return false;
    }
    size_t i = user_bound(iam, u->name, false);
    memmove(&iam->users[i + 1], &iam->users[i], (iam->user_count - i) * sizeof *iam->users);
    iam->users[i] = u;
    iam->user_count++;
    return true;
}

static void user_remove(struct mock_iam *iam, struct iam_user *u)
{
    size_t i = user_bound(iam, u->name, false);
    memmove(&iam->users[i], &iam->users[i + 1], (iam->user_count - i - 1) * sizeof *iam->users);
    iam->user_count--;
    user_free(u);
}

static struct iam_group *group_find(const struct mock_iam *iam, const char *name)
{
    for (size_t i = 0; i < iam->group_count; i++) {
        if (!strcasecmp(iam->groups[i].name, name)) {
            return &iam->groups[i];
        }
    }
    return NULL;
}

static void group_free(struct iam_group *g)
{
    free(g->name);
    free(g->id);
    free(g->path);
    free(g->arn);
}

/* Fills a membership item from its group; false when out of memory (free it anyway). */
static bool group_item(const struct iam_group *g, struct iam_item *it)
{
    *it = (struct iam_item){.date = g->created};
    it->f[0] = strdup(g->name);
    it->f[1] = strdup(g->id);
    it->f[2] = strdup(g->path);
    it->f[3] = strdup(g->arn);
    return it->f[0] && it->f[1] && it->f[2] && it->f[3];
}

/* True when a user still has the device: DeleteVirtualMFADevice refuses it then. */
static bool mfa_assigned(const struct mock_iam *iam, const char *serial)
{
    for (size_t i = 0; i < iam->user_count; i++) {
        const struct iam_items *items = &iam->users[i]->items[K_MFA];
        if (items_find(items, &kinds[K_MFA], serial) < items->n) {
            return true;
        }
    }
    return false;
}

/* A serial number that is an ARN names a virtual device, which outlives its deactivation. */
static bool mfa_is_virtual(const char *serial)
{
    return !strncmp(serial, "arn:", 4) && strstr(serial, ":mfa/");
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

/* ---- XML ---------------------------------------------------------------------------- */

static void put_text(struct idc_dynbuf *b, const char *s)
{
    idc_xml_escape(b, s, strlen(s));
}

static void put_elem(struct idc_dynbuf *b, const char *name, const char *text)
{
    idc_dynbuf_printf(b, "<%s>", name);
    put_text(b, text);
    idc_dynbuf_printf(b, "</%s>", name);
}

static void put_date(struct idc_dynbuf *b, const char *name, int64_t t)
{
    char iso[IDC_TIME_ISO_LEN + 1];
    idc_time_format_iso(t, iso);
    idc_dynbuf_printf(b, "<%s>%s</%s>", name, iso, name);
}

static void put_bool(struct idc_dynbuf *b, const char *name, bool v)
{
    idc_dynbuf_printf(b, "<%s>%s</%s>", name, v ? "true" : "false", name);
}

static bool user_render(struct iam_user *u)
{
    put_elem(&u->xml, "Path", u->path);
    put_elem(&u->xml, "UserName", u->name);
    put_elem(&u->xml, "UserId", u->id);
    put_elem(&u->xml, "Arn", u->arn);
    put_date(&u->xml, "CreateDate", u->created);
    if (u->password_last_used) {
        put_date(&u->xml, "PasswordLastUsed", u->password_last_used);
    }
    return !u->xml.failed;
}

static void item_render(struct idc_dynbuf *b, const struct iam_kind *k, const struct iam_user *u,
                        const struct iam_item *it)
{
    idc_dynbuf_str(b, "<member>");
    if (k->bare) {
        put_text(b, it->f[0]);
    }
    for (const struct iam_col *c = k->cols; !k->bare && c < k->cols + IAM_COLS && c->xml; c++) {
        if (c->src == SRC_DATE) {
            put_date(b, c->xml, it->date);
            continue;
        }
        const char *v = c->src == SRC_USER ? u->name : it->f[c->src];
        if (v) {
            put_elem(b, c->xml, v);
        }
    }
    idc_dynbuf_str(b, "</member>");
}

/* The User shape: ListUsers' members plus the tags GetUser adds. */
static void user_render_full(struct idc_dynbuf *b, const struct iam_user *u)
{
    const struct iam_items *tags = &u->items[K_TAG];
    idc_dynbuf_str(b, "<User>");
    idc_dynbuf_put(b, u->xml.p, u->xml.len);
    if (tags->n) {
        idc_dynbuf_str(b, "<Tags>");
        for (size_t i = 0; i < tags->n; i++) {
            item_render(b, &kinds[K_TAG], u, &tags->v[i]);
        }
        idc_dynbuf_str(b, "</Tags>");
    }
    idc_dynbuf_str(b, "</User>");
}

static void login_render(struct idc_dynbuf *b, const struct iam_user *u)
{
    idc_dynbuf_str(b, "<LoginProfile>");
    put_elem(b, "UserName", u->name);
    put_date(b, "CreateDate", u->login_created);
    put_bool(b, "PasswordResetRequired", u->login_reset);
    idc_dynbuf_str(b, "</LoginProfile>");
}

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
    put_text(b, c->req->request_id);
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
        const struct iam_user *u = user_find(c->iam, c->user_name);
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
        c->user_name ? user_find(c->iam, c->user_name) : user_find_arn(c->iam, arn);
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
        put_bool(&c->out, "IsTruncated", false);
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
    size_t start = after[0] ? user_bound(c->iam, after, true) : 0;
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
    const struct iam_kind *k = &kinds[c->op->kind];
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
        item_render(&c->out, k, u, it);
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
    user_render_full(&c->out, u);
}

static int op_get_user(struct mock_request *req, const struct iam_op *op)
{
    return run_on_user(req, op, false, get_user_core);
}

static void create_user_core(struct iam_call *c, const char *name, const char *path)
{
    char id[22];
    make_user_id(c->iam, name, id);
    struct iam_user *u = user_new(c->iam, name, id, path, mock_now(c->req->server));
    if (!u || !user_render(u) || !user_insert(c->iam, u)) {
        user_free(u);
        fail_nomem(c);
        return;
    }
    user_render_full(&c->out, u);
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
    if (user_find(c.iam, name)) {
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
    const struct iam_group *known = group_find(c.iam, name);
    snprintf(arn, sizeof arn, "arn:aws:iam::%s:group%s%s", c.iam->account,
             known ? known->path : "/", known ? known->name : name);
    iam_unlock(c.iam);
    int rc = admit_one(&c, arn);
    if (rc) {
        return rc;
    }
    iam_lock(c.iam, true);
    struct iam_group *g = group_find(c.iam, name);
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
    if (items_find(items, &kinds[K_GROUP], g->name) < items->n) {
        return; /* already a member: IAM answers success */
    }
    if (items->n >= IAM_GROUPS_PER_USER) {
        fail(c, 409, "LimitExceeded", "Cannot exceed quota for GroupsPerUser: %d.",
             IAM_GROUPS_PER_USER);
        return;
    }
    if (!group_item(g, &it) || !items_push(c->iam, items, &it)) {
        item_free(&it);
        fail_nomem(c);
    }
}

static void remove_from_group_core(struct iam_call *c, struct iam_group *g, struct iam_user *u)
{
    struct iam_items *items = &u->items[K_GROUP];
    size_t i = items_find(items, &kinds[K_GROUP], g->name);
    if (i == items->n) {
        fail(c, 404, "NoSuchEntity", "The user with name %s is not in group %s.", u->name, g->name);
        return;
    }
    struct iam_item it = items_take(items, i);
    item_free(&it);
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
    login_render(&c->out, u);
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
    login_render(&c->out, u);
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

/* DeleteAccessKey, DeactivateMFADevice, DetachUserPolicy and the others: one item of op->kind. */
static void delete_item_core(struct iam_call *c, struct iam_user *u)
{
    const struct iam_kind *k = &kinds[c->op->kind];
    struct iam_items *items = &u->items[c->op->kind];
    struct iam_items *spare = &c->iam->unassigned_mfa;
    const char *id = mock_param(c->req, k->id_param);
    size_t i = items_find(items, k, id);
    if (i == items->n) {
        fail(c, 404, "NoSuchEntity", "%s%s%s", k->missing[0], id, k->missing[1]);
        return;
    }
    bool keep = c->op->kind == K_MFA && mfa_is_virtual(id);
    if (keep && !grow((void **)&spare->v, &spare->cap, spare->n + 1, sizeof *spare->v)) {
        fail_nomem(c);
        return;
    }
    struct iam_item it = items_take(items, i);
    if (keep) {
        spare->v[spare->n++] = it; /* the device stays until DeleteVirtualMFADevice */
    } else {
        item_free(&it);
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
    size_t i = items_find(spare, &kinds[K_MFA], serial);
    if (mfa_assigned(c.iam, serial)) {
        fail(&c, 409, "DeleteConflict", "MFA device is still in use.");
    } else if (i == spare->n) {
        fail(&c, 404, "NoSuchEntity", "VirtualMFADevice with serial number %s doesn't exist.",
             serial);
    } else {
        struct iam_item it = items_take(spare, i);
        item_free(&it);
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
        if (kinds[k].conflict && u->items[k].n) {
            fail(c, 409, "DeleteConflict", "%s", kinds[k].conflict);
            return;
        }
    }
    user_remove(c->iam, u);
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
        return is_name_char(ch);
    case CS_WORD:
        return is_word(ch);
    case CS_SERIAL:
        return is_word(ch) || (ch && strchr("+=/:,.@-", ch));
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
        return path_ok(v);
    }
    if (set == CS_PATH_PREFIX) {
        return v[0] == '/' && all_in(v + 1, n - 1, 0x21, 0x7f);
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
    if (!n || n > 9 || !all_in(v, n, '0', '9')) {
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

/* ---- fixtures ----------------------------------------------------------------------- */

static idc_err fx_nomem(const struct mock_fx *fx)
{
    return idc_error_set(fx->err, IDC_ERR_NOMEM, "%s: out of memory loading IAM fixtures",
                         fx->file);
}

static idc_err fx_object(const struct mock_fx *fx, const cJSON *obj, const char *path,
                         const char *const *known)
{
    if (!cJSON_IsObject(obj)) {
        return mock_fx_fail(fx, path, "expected an object");
    }
    return mock_fx_known_keys(fx, obj, path, known);
}

static idc_err fx_name(const struct mock_fx *fx, const cJSON *obj, const char *path,
                       const char *key, size_t max, const char **out)
{
    idc_err rc = mock_fx_string(fx, obj, path, key, true, out);
    if (!rc && !name_ok(*out, max)) {
        rc = mock_fx_fail_key(fx, path, key, "expected [\\w+=,.@-]{1,%zu}, got \"%s\"", max, *out);
    }
    return rc;
}

static idc_err fx_path(const struct mock_fx *fx, const cJSON *obj, const char *path,
                       const char **out)
{
    idc_err rc = mock_fx_string(fx, obj, path, "Path", false, out);
    if (!rc && !*out) {
        *out = "/";
    }
    if (!rc && !path_ok(*out)) {
        rc = mock_fx_fail_key(fx, path, "Path",
                              "expected \"/\" or \"/a/b/\" (up to 512 printable "
                              "characters), got \"%s\"",
                              *out);
    }
    return rc;
}

static idc_err fx_bool(const struct mock_fx *fx, const cJSON *obj, const char *path,
                       const char *key, bool *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = cJSON_IsTrue(v);
    if (v && !cJSON_IsBool(v)) {
        return mock_fx_fail_key(fx, path, key, "expected true or false");
    }
    return IDC_OK;
}

static idc_err load_group(struct mock_iam *iam, const struct mock_fx *fx, const cJSON *obj,
                          const char *path)
{
    static const char *const known[] = {"GroupName", "GroupId", "Path", "CreateDate", NULL};
    const char *name = NULL;
    const char *id = NULL;
    const char *gpath = NULL;
    int64_t created = 0;
    idc_err rc = fx_object(fx, obj, path, known);
    rc = rc ? rc : fx_name(fx, obj, path, "GroupName", 128, &name);
    rc = rc ? rc : mock_fx_string(fx, obj, path, "GroupId", true, &id);
    rc = rc ? rc : fx_path(fx, obj, path, &gpath);
    rc = rc ? rc : mock_fx_time(fx, obj, path, "CreateDate", true, &created);
    if (rc) {
        return rc;
    }
    if (group_find(iam, name)) {
        return mock_fx_fail_key(
            fx, path, "GroupName",
            "group \"%s\" is already defined (names are unique across fixtures, ignoring case)",
            name);
    }
    if (!grow((void **)&iam->groups, &iam->group_cap, iam->group_count + 1, sizeof *iam->groups)) {
        return fx_nomem(fx);
    }
    struct iam_group *g = &iam->groups[iam->group_count++];
    size_t n = strlen(iam->account) + strlen(gpath) + strlen(name) + sizeof "arn:aws:iam:::group";
    *g = (struct iam_group){strdup(name), strdup(id), strdup(gpath), malloc(n), created};
    if (!g->name || !g->id || !g->path || !g->arn) {
        return fx_nomem(fx);
    }
    snprintf(g->arn, n, "arn:aws:iam::%s:group%s%s", iam->account, gpath, name);
    return IDC_OK;
}

static idc_err load_field(const struct mock_fx *fx, const cJSON *obj, const char *path,
                          const struct iam_field *f, char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, f->key);
    const char *s = NULL;
    char *printed = NULL;
    idc_err rc = IDC_OK;
    if (f->type == FT_JSON && !v) {
        return f->required ? mock_fx_fail_key(fx, path, f->key, "missing required member") : IDC_OK;
    }
    if (f->type == FT_JSON && !cJSON_IsString(v)) {
        if (!cJSON_IsObject(v)) {
            return mock_fx_fail_key(fx, path, f->key, "expected an object or a string");
        }
        s = printed = cJSON_PrintUnformatted(v);
        rc = printed ? IDC_OK : fx_nomem(fx);
    } else {
        rc = mock_fx_string(fx, obj, path, f->key, f->required, &s);
    }
    if (!rc && f->type == FT_STATUS) {
        s = s ? s : "Active";
        if (strcmp(s, "Active") && strcmp(s, "Inactive")) {
            rc = mock_fx_fail_key(fx, path, f->key,
                                  "expected \"Active\" or \"Inactive\", got \"%s\"", s);
        }
    }
    if (!rc && s && !(*out = strdup(s))) {
        rc = fx_nomem(fx);
    }
    cJSON_free(printed);
    return rc;
}

static idc_err load_item(struct mock_iam *iam, const struct mock_fx *fx, const cJSON *obj,
                         const char *path, struct iam_user *u, enum iam_kind_id kind)
{
    const struct iam_kind *k = &kinds[kind];
    const char *known[IAM_FIELDS + 2] = {0};
    struct iam_item it = {.date = u->created};
    size_t nk = 0;
    for (size_t i = 0; i < IAM_FIELDS && k->fields[i].key; i++) {
        known[nk++] = k->fields[i].key;
    }
    known[nk] = k->date_key;
    idc_err rc = fx_object(fx, obj, path, known);
    for (size_t i = 0; !rc && i < IAM_FIELDS && k->fields[i].key; i++) {
        rc = load_field(fx, obj, path, &k->fields[i], &it.f[i]);
    }
    int64_t date = 0;
    if (!rc && k->date_key) {
        rc = mock_fx_time(fx, obj, path, k->date_key, false, &date);
    }
    it.date = date ? date : it.date; /* an absent date is the user's CreateDate */
    if (!rc && items_find(&u->items[kind], k, it.f[0]) < u->items[kind].n) {
        rc = mock_fx_fail_key(fx, path, k->fields[0].key, "duplicate %s \"%s\"", k->what, it.f[0]);
    }
    if (!rc && !items_push(iam, &u->items[kind], &it)) {
        rc = fx_nomem(fx);
    }
    if (rc) {
        item_free(&it);
    }
    return rc;
}

static idc_err load_membership(struct mock_iam *iam, const struct mock_fx *fx, const cJSON *v,
                               const char *path, struct iam_user *u)
{
    struct iam_items *items = &u->items[K_GROUP];
    struct iam_item it;
    if (!cJSON_IsString(v)) {
        return mock_fx_fail(fx, path, "expected a group name (a string)");
    }
    const struct iam_group *g = group_find(iam, v->valuestring);
    if (!g) {
        return mock_fx_fail(fx, path, "no group \"%s\" in Iam.Groups", v->valuestring);
    }
    if (items_find(items, &kinds[K_GROUP], g->name) < items->n) {
        return mock_fx_fail(fx, path, "duplicate group \"%s\"", v->valuestring);
    }
    if (!group_item(g, &it) || !items_push(iam, items, &it)) {
        item_free(&it);
        return fx_nomem(fx);
    }
    return IDC_OK;
}

static idc_err load_items(struct mock_iam *iam, const struct mock_fx *fx, const cJSON *obj,
                          const char *path, struct iam_user *u, enum iam_kind_id kind)
{
    const struct iam_kind *k = &kinds[kind];
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, k->key);
    const cJSON *el = NULL;
    char item_path[280];
    int i = 0;
    idc_err rc = IDC_OK;
    if (!arr) {
        return IDC_OK;
    }
    if (!cJSON_IsArray(arr)) {
        return mock_fx_fail_key(fx, path, k->key, "expected an array");
    }
    if (k->max && (size_t)cJSON_GetArraySize(arr) > k->max) {
        return mock_fx_fail_key(fx, path, k->key, "at most %zu %ss per user, got %d", k->max,
                                k->what, cJSON_GetArraySize(arr));
    }
    cJSON_ArrayForEach(el, arr)
    {
        snprintf(item_path, sizeof item_path, "%s.%s[%d]", path, k->key, i++);
        rc = kind == K_GROUP ? load_membership(iam, fx, el, item_path, u)
                             : load_item(iam, fx, el, item_path, u, kind);
        if (rc) {
            return rc;
        }
    }
    return IDC_OK;
}

static idc_err load_login(const struct mock_fx *fx, const cJSON *obj, const char *path,
                          struct iam_user *u)
{
    static const char *const known[] = {"CreateDate", "PasswordResetRequired", NULL};
    const cJSON *lp = cJSON_GetObjectItemCaseSensitive(obj, "LoginProfile");
    char at[256];
    int64_t created = 0;
    if (!lp) {
        return IDC_OK;
    }
    snprintf(at, sizeof at, "%s.LoginProfile", path);
    idc_err rc = fx_object(fx, lp, at, known);
    rc = rc ? rc : mock_fx_time(fx, lp, at, "CreateDate", false, &created);
    rc = rc ? rc : fx_bool(fx, lp, at, "PasswordResetRequired", &u->login_reset);
    u->has_login = !rc;
    u->login_created = created ? created : u->created;
    return rc;
}

/* A user's own members, then one per kind of sub-resource (kinds[].key). */
static const char *const user_own_keys[] = {"UserName",   "UserId",           "Path",
                                            "CreateDate", "PasswordLastUsed", "LoginProfile"};
#define USER_OWN_KEYS (sizeof user_own_keys / sizeof user_own_keys[0])

static void user_known_keys(const char *known[USER_OWN_KEYS + K__COUNT + 1])
{
    size_t n = 0;
    for (size_t i = 0; i < USER_OWN_KEYS; i++) {
        known[n++] = user_own_keys[i];
    }
    for (size_t k = 0; k < K__COUNT; k++) {
        known[n++] = kinds[k].key;
    }
    known[n] = NULL;
}

static idc_err load_user(struct mock_iam *iam, const struct mock_fx *fx, const cJSON *obj,
                         const char *path)
{
    const char *known[USER_OWN_KEYS + K__COUNT + 1];
    const char *name = NULL;
    const char *id = NULL;
    const char *upath = NULL;
    int64_t created = 0;
    int64_t used = 0;
    user_known_keys(known);
    idc_err rc = fx_object(fx, obj, path, known);
    rc = rc ? rc : fx_name(fx, obj, path, "UserName", 64, &name);
    rc = rc ? rc : mock_fx_string(fx, obj, path, "UserId", true, &id);
    rc = rc ? rc : fx_path(fx, obj, path, &upath);
    rc = rc ? rc : mock_fx_time(fx, obj, path, "CreateDate", true, &created);
    rc = rc ? rc : mock_fx_time(fx, obj, path, "PasswordLastUsed", false, &used);
    if (rc) {
        return rc;
    }
    if (user_find(iam, name)) {
        return mock_fx_fail_key(
            fx, path, "UserName",
            "user \"%s\" is already defined (names are unique across fixtures, ignoring case)",
            name);
    }
    /* Inserted before its parts are read, so that mock_iam_free frees whatever fails. */
    struct iam_user *u = user_new(iam, name, id, upath, created);
    if (!u || !user_insert(iam, u)) {
        user_free(u);
        return fx_nomem(fx);
    }
    u->password_last_used = used;
    rc = load_login(fx, obj, path, u);
    for (size_t k = 0; !rc && k < K__COUNT; k++) {
        rc = load_items(iam, fx, obj, path, u, (enum iam_kind_id)k);
    }
    return rc ? rc : user_render(u) ? IDC_OK : fx_nomem(fx);
}

typedef idc_err iam_load_fn(struct mock_iam *iam, const struct mock_fx *fx, const cJSON *obj,
                            const char *path);

static idc_err load_array(struct mock_iam *iam, const struct mock_fx *fx, const cJSON *node,
                          const char *key, iam_load_fn *load)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(node, key);
    const cJSON *el = NULL;
    char path[64];
    int i = 0;
    if (!arr) {
        return IDC_OK;
    }
    if (!cJSON_IsArray(arr)) {
        return mock_fx_fail_key(fx, "$.Iam", key, "expected an array");
    }
    cJSON_ArrayForEach(el, arr)
    {
        snprintf(path, sizeof path, "$.Iam.%s[%d]", key, i++);
        idc_err rc = load(iam, fx, el, path);
        if (rc) {
            return rc;
        }
    }
    return IDC_OK;
}

/* Groups first: users name them. A failure leaves what was loaded for mock_iam_free. */
idc_err mock_iam_add_fixture(struct mock_iam *iam, const struct mock_fx *fx, const cJSON *node)
{
    static const char *const known[] = {"Users", "Groups", NULL};
    if (!node) {
        return IDC_OK;
    }
    idc_err rc = fx_object(fx, node, "$.Iam", known);
    rc = rc ? rc : load_array(iam, fx, node, "Groups", load_group);
    return rc ? rc : load_array(iam, fx, node, "Users", load_user);
}

/* ---- lifetime ----------------------------------------------------------------------- */

struct mock_iam *mock_iam_new(const char *account_id)
{
    struct mock_iam *iam = calloc(1, sizeof *iam);
    if (!iam) {
        return NULL;
    }
    if (pthread_rwlock_init(&iam->lock, NULL)) {
        free(iam);
        return NULL;
    }
    snprintf(iam->account, sizeof iam->account, "%s", account_id ? account_id : "");
    iam->next_seq = 1;
    return iam;
}

void mock_iam_free(struct mock_iam *iam)
{
    if (!iam) {
        return;
    }
    for (size_t i = 0; i < iam->user_count; i++) {
        user_free(iam->users[i]);
    }
    for (size_t i = 0; i < iam->group_count; i++) {
        group_free(&iam->groups[i]);
    }
    items_free(&iam->unassigned_mfa);
    free(iam->users);
    free(iam->groups);
    pthread_rwlock_destroy(&iam->lock);
    free(iam);
}
