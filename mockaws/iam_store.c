/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iam_store.c - the IAM model: users, groups and each user's sub-resources (iam_kinds, described
 * once), loaded and validated from fixtures, found, inserted and removed, and their XML.
 * Callers hold mock_iam.lock (iam.c takes it); fixtures load before the server starts.
 */
#include "iam.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "timefmt.h"

/* ---- the sub-resources of a user, described once ------------------------------------ */

const struct iam_kind iam_kinds[K__COUNT] = {
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

/* ---- small helpers ------------------------------------------------------------------ */

bool iam_grow(void **v, size_t *cap, size_t need, size_t size)
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

bool iam_is_word(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '_';
}

bool iam_is_name_char(unsigned char ch)
{
    return iam_is_word(ch) || (ch && strchr("+=,.@-", ch));
}

bool iam_all_in(const char *s, size_t n, unsigned char lo, unsigned char hi)
{
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] < lo || (unsigned char)s[i] > hi) {
            return false;
        }
    }
    return true;
}

bool iam_path_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 1) {
        return s[0] == '/';
    }
    return n >= 3 && n <= 512 && s[0] == '/' && s[n - 1] == '/' &&
           iam_all_in(s + 1, n - 2, 0x21, 0x7e);
}

static bool name_ok(const char *s, size_t max)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++) {
        if (!iam_is_name_char((unsigned char)s[i])) {
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

void iam_item_free(struct iam_item *it)
{
    for (size_t i = 0; i < IAM_FIELDS; i++) {
        free(it->f[i]);
        it->f[i] = NULL;
    }
}

static void items_free(struct iam_items *items)
{
    for (size_t i = 0; i < items->n; i++) {
        iam_item_free(&items->v[i]);
    }
    free(items->v);
    *items = (struct iam_items){0};
}

size_t iam_items_find(const struct iam_items *items, const struct iam_kind *k, const char *id)
{
    size_t i = 0;
    while (i < items->n && name_cmp(k, items->v[i].f[0], id)) {
        i++;
    }
    return i;
}

bool iam_items_push(struct mock_iam *iam, struct iam_items *items, struct iam_item *it)
{
    if (!iam_grow((void **)&items->v, &items->cap, items->n + 1, sizeof *items->v)) {
        return false;
    }
    it->seq = iam->next_seq++;
    items->v[items->n++] = *it;
    return true;
}

struct iam_item iam_items_take(struct iam_items *items, size_t i)
{
    struct iam_item it = items->v[i];
    memmove(&items->v[i], &items->v[i + 1], (items->n - i - 1) * sizeof *items->v);
    items->n--;
    return it;
}

/* ---- users and groups --------------------------------------------------------------- */

void iam_user_free(struct iam_user *u)
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

struct iam_user *iam_user_new(const struct mock_iam *iam, const char *name, const char *id,
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
        iam_user_free(u);
        return NULL;
    }
    snprintf(u->arn, n, "arn:aws:iam::%s:user%s%s", iam->account, path, name);
    return u;
}

size_t iam_user_bound(const struct mock_iam *iam, const char *name, bool after)
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

struct iam_user *iam_user_find(const struct mock_iam *iam, const char *name)
{
    size_t i = iam_user_bound(iam, name, false);
    return i < iam->user_count && !strcasecmp(iam->users[i]->name, name) ? iam->users[i] : NULL;
}

struct iam_user *iam_user_find_arn(const struct mock_iam *iam, const char *arn)
{
    for (size_t i = 0; i < iam->user_count; i++) {
        if (!strcmp(iam->users[i]->arn, arn)) {
            return iam->users[i];
        }
    }
    return NULL;
}

bool iam_user_insert(struct mock_iam *iam, struct iam_user *u)
{
    if (!iam_grow((void **)&iam->users, &iam->user_cap, iam->user_count + 1, sizeof *iam->users)) {
        return false;
    }
    size_t i = iam_user_bound(iam, u->name, false);
    memmove(&iam->users[i + 1], &iam->users[i], (iam->user_count - i) * sizeof *iam->users);
    iam->users[i] = u;
    iam->user_count++;
    return true;
}

void iam_user_remove(struct mock_iam *iam, struct iam_user *u)
{
    size_t i = iam_user_bound(iam, u->name, false);
    memmove(&iam->users[i], &iam->users[i + 1], (iam->user_count - i - 1) * sizeof *iam->users);
    iam->user_count--;
    iam_user_free(u);
}

struct iam_group *iam_group_find(const struct mock_iam *iam, const char *name)
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

bool iam_group_item(const struct iam_group *g, struct iam_item *it)
{
    *it = (struct iam_item){.date = g->created};
    it->f[0] = strdup(g->name);
    it->f[1] = strdup(g->id);
    it->f[2] = strdup(g->path);
    it->f[3] = strdup(g->arn);
    return it->f[0] && it->f[1] && it->f[2] && it->f[3];
}

bool iam_mfa_assigned(const struct mock_iam *iam, const char *serial)
{
    for (size_t i = 0; i < iam->user_count; i++) {
        const struct iam_items *items = &iam->users[i]->items[K_MFA];
        if (iam_items_find(items, &iam_kinds[K_MFA], serial) < items->n) {
            return true;
        }
    }
    return false;
}

/* ---- XML ---------------------------------------------------------------------------- */

void iam_put_text(struct idc_dynbuf *b, const char *s)
{
    idc_xml_escape(b, s, strlen(s));
}

static void put_elem(struct idc_dynbuf *b, const char *name, const char *text)
{
    idc_dynbuf_printf(b, "<%s>", name);
    iam_put_text(b, text);
    idc_dynbuf_printf(b, "</%s>", name);
}

static void put_date(struct idc_dynbuf *b, const char *name, int64_t t)
{
    char iso[IDC_TIME_ISO_LEN + 1];
    idc_time_format_iso(t, iso);
    idc_dynbuf_printf(b, "<%s>%s</%s>", name, iso, name);
}

void iam_put_bool(struct idc_dynbuf *b, const char *name, bool v)
{
    idc_dynbuf_printf(b, "<%s>%s</%s>", name, v ? "true" : "false", name);
}

bool iam_user_render(struct iam_user *u)
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

void iam_item_render(struct idc_dynbuf *b, const struct iam_kind *k, const struct iam_user *u,
                     const struct iam_item *it)
{
    idc_dynbuf_str(b, "<member>");
    if (k->bare) {
        iam_put_text(b, it->f[0]);
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

void iam_user_render_full(struct idc_dynbuf *b, const struct iam_user *u)
{
    const struct iam_items *tags = &u->items[K_TAG];
    idc_dynbuf_str(b, "<User>");
    idc_dynbuf_put(b, u->xml.p, u->xml.len);
    if (tags->n) {
        idc_dynbuf_str(b, "<Tags>");
        for (size_t i = 0; i < tags->n; i++) {
            iam_item_render(b, &iam_kinds[K_TAG], u, &tags->v[i]);
        }
        idc_dynbuf_str(b, "</Tags>");
    }
    idc_dynbuf_str(b, "</User>");
}

void iam_login_render(struct idc_dynbuf *b, const struct iam_user *u)
{
    idc_dynbuf_str(b, "<LoginProfile>");
    put_elem(b, "UserName", u->name);
    put_date(b, "CreateDate", u->login_created);
    iam_put_bool(b, "PasswordResetRequired", u->login_reset);
    idc_dynbuf_str(b, "</LoginProfile>");
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
    if (!rc && !iam_path_ok(*out)) {
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
    if (iam_group_find(iam, name)) {
        return mock_fx_fail_key(
            fx, path, "GroupName",
            "group \"%s\" is already defined (names are unique across fixtures, ignoring case)",
            name);
    }
    if (!iam_grow((void **)&iam->groups, &iam->group_cap, iam->group_count + 1,
                  sizeof *iam->groups)) {
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
    const struct iam_kind *k = &iam_kinds[kind];
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
    if (!rc && iam_items_find(&u->items[kind], k, it.f[0]) < u->items[kind].n) {
        rc = mock_fx_fail_key(fx, path, k->fields[0].key, "duplicate %s \"%s\"", k->what, it.f[0]);
    }
    if (!rc && !iam_items_push(iam, &u->items[kind], &it)) {
        rc = fx_nomem(fx);
    }
    if (rc) {
        iam_item_free(&it);
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
    const struct iam_group *g = iam_group_find(iam, v->valuestring);
    if (!g) {
        return mock_fx_fail(fx, path, "no group \"%s\" in Iam.Groups", v->valuestring);
    }
    if (iam_items_find(items, &iam_kinds[K_GROUP], g->name) < items->n) {
        return mock_fx_fail(fx, path, "duplicate group \"%s\"", v->valuestring);
    }
    if (!iam_group_item(g, &it) || !iam_items_push(iam, items, &it)) {
        iam_item_free(&it);
        return fx_nomem(fx);
    }
    return IDC_OK;
}

static idc_err load_items(struct mock_iam *iam, const struct mock_fx *fx, const cJSON *obj,
                          const char *path, struct iam_user *u, enum iam_kind_id kind)
{
    const struct iam_kind *k = &iam_kinds[kind];
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

/* A user's own members, then one per kind of sub-resource (iam_kinds[].key). */
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
        known[n++] = iam_kinds[k].key;
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
    if (iam_user_find(iam, name)) {
        return mock_fx_fail_key(
            fx, path, "UserName",
            "user \"%s\" is already defined (names are unique across fixtures, ignoring case)",
            name);
    }
    /* Inserted before its parts are read, so that mock_iam_free frees whatever fails. */
    struct iam_user *u = iam_user_new(iam, name, id, upath, created);
    if (!u || !iam_user_insert(iam, u)) {
        iam_user_free(u);
        return fx_nomem(fx);
    }
    u->password_last_used = used;
    rc = load_login(fx, obj, path, u);
    for (size_t k = 0; !rc && k < K__COUNT; k++) {
        rc = load_items(iam, fx, obj, path, u, (enum iam_kind_id)k);
    }
    return rc ? rc : iam_user_render(u) ? IDC_OK : fx_nomem(fx);
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
    /* Roles and OpenIDConnectProviders are roles.c's (fixtures.c hands them over) */
    static const char *const known[] = {"Users", "Groups", "Roles", "OpenIDConnectProviders", NULL};
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
        iam_user_free(iam->users[i]);
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
