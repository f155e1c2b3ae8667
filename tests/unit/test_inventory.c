/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_inventory.c - the SQLite inventory (inventory.h): file modes, schema versions,
 * integrations, the sync cycle (added, removed, changed, status changes, no write for an
 * unchanged user), failed, abandoned, busy and killed syncs, user filters, audit and runs.
 * Each test works in its own mkdtemp folder; a second raw SQLite connection plays the
 * other idcctl.
 */
#define _GNU_SOURCE /* nftw's FTW_DEPTH and FTW_PHYS */
#include "unit.h"

#include <ftw.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "idc/error.h"
#include "idc/inventory.h"
#include "idc/str.h"

/* The AWS documentation's example keys: they must never show up in a message. */
#define SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define TOKEN  "AQoDYXdzEJr//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQW"

struct fixture {
    char dir[64];
    char home[96];
    char db[128];
    struct idc_inventory *inv;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    strcpy(f->dir, "/tmp/idc-inventory-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->home, sizeof f->home, "%s/state/idcctl", f->dir);
    snprintf(f->db, sizeof f->db, "%s/%s", f->home, IDC_INVENTORY_FILE);
    *state = f;
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    idc_inventory_close(f->inv);
    nftw(f->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

static struct idc_inventory *open_inv(struct fixture *f, int busy_ms)
{
    struct idc_error err = {0};
    idc_inventory_close(f->inv);
    f->inv = NULL;
    assert_int_equal(idc_inventory_open(&f->inv, f->home, busy_ms, &err), IDC_OK);
    return f->inv;
}

static sqlite3 *raw_open(const struct fixture *f)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 2000);
    return db;
}

static void raw_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        fail_msg("%s: %s", sql, msg ? msg : "?");
    }
}

static int64_t raw_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static mode_t mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 07777;
}

static struct idc_integration make_integration(const char *label)
{
    struct idc_integration in;
    memset(&in, 0, sizeof in);
    snprintf(in.label, sizeof in.label, "%s", label);
    in.kind = IDC_KIND_IDENTITY_CENTER;
    strcpy(in.region, "us-east-1");
    strcpy(in.store_id, "d-1234567890");
    strcpy(in.access_key_id, "AKIAIOSFODNN7EXAMPLE");
    strcpy(in.secret_access_key, SECRET);
    strcpy(in.session_token, TOKEN);
    return in;
}

static void add_integration(struct idc_inventory *inv, const char *label)
{
    struct idc_integration in = make_integration(label);
    struct idc_error err = {0};
    assert_int_equal(idc_inventory_add_integration(inv, &in, &err), IDC_OK);
    idc_integration_wipe(&in);
}

/* ---- users as a sync stages them ------------------------------------------------------- */

struct tuser {
    const char *id, *name, *display, *email, *status;
};

static struct idc_user inv_user(const struct tuser *t, char *json, size_t cap)
{
    int n = snprintf(json, cap, "{\"UserId\":\"%s\",\"UserName\":\"%s\",\"UserStatus\":\"%s\"}",
                     t->id, t->name, t->status ? t->status : "");
    return (struct idc_user){t->id, t->name, t->display, t->email, t->status,
                             true,  json,    (size_t)n,  -1,       -1};
}

struct changes {
    int count;
    char id[8][32];
    char from[8][16];
    char to[8][16];
};

static void on_change(const struct idc_status_change *c, void *ud)
{
    struct changes *ch = ud;
    if (ch->count < 8) {
        snprintf(ch->id[ch->count], sizeof ch->id[0], "%s", c->user_id);
        snprintf(ch->from[ch->count], sizeof ch->from[0], "%s", c->from ? c->from : "(null)");
        snprintf(ch->to[ch->count], sizeof ch->to[0], "%s", c->to ? c->to : "(null)");
    }
    ch->count++;
}

static struct idc_sync *stage_all(struct idc_inventory *inv, const char *label,
                                  const struct tuser *users, size_t n)
{
    struct idc_error err = {0};
    struct idc_sync *s = NULL;
    assert_int_equal(idc_sync_begin(inv, label, &s, &err), IDC_OK);
    for (size_t i = 0; i < n; i++) {
        char json[256];
        struct idc_user u = inv_user(&users[i], json, sizeof json);
        assert_int_equal(idc_sync_stage(s, &u, &err), IDC_OK);
    }
    return s;
}

static struct idc_sync_result sync_all(struct idc_inventory *inv, const char *label,
                                       const struct tuser *users, size_t n, struct changes *ch)
{
    struct idc_error err = {0};
    struct idc_sync_result res = {0};
    struct idc_sync *s = stage_all(inv, label, users, n);
    assert_int_equal(idc_sync_commit(s, on_change, ch, &res, &err), IDC_OK);
    idc_sync_free(s);
    return res;
}

static const struct tuser base_users[] = {
    {"u-1", "alice", "Alice Liddell", "alice@example.com", "ENABLED"},
    {"u-2", "bob", "Bob Builder", "bob@example.com", "ENABLED"},
    {"u-3", "carol", "Carol Danvers", "carol@example.org", "DISABLED"},
    {"u-4", "dave", NULL, NULL, NULL},
};

#define N_BASE (sizeof base_users / sizeof base_users[0])

/* Counts every write to users, made by any connection (a trigger in the file). */
static void count_user_writes(sqlite3 *db)
{
    raw_exec(db, "CREATE TABLE test_writes(n INTEGER); INSERT INTO test_writes VALUES(0);"
                 "CREATE TRIGGER tw_i AFTER INSERT ON users BEGIN"
                 " UPDATE test_writes SET n = n + 1; END;"
                 "CREATE TRIGGER tw_u AFTER UPDATE ON users BEGIN"
                 " UPDATE test_writes SET n = n + 1; END;"
                 "CREATE TRIGGER tw_d AFTER DELETE ON users BEGIN"
                 " UPDATE test_writes SET n = n + 1; END;");
}

/* The users of an integration as "id:name:status;" in list order. */
struct listing {
    char text[512];
    int count;
};

static int collect_user(const struct idc_inv_user_row *row, void *ud)
{
    struct listing *l = ud;
    size_t len = strlen(l->text);
    snprintf(l->text + len, sizeof l->text - len, "%s:%s:%s;", row->user.user_id,
             row->user.user_name, row->user.status ? row->user.status : "-");
    l->count++;
    return 0;
}

static struct listing list_users(struct idc_inventory *inv, const char *integration,
                                 const char *status, const char *search)
{
    struct listing l = {{0}, 0};
    struct idc_user_filter filter = {integration, status, search};
    struct idc_error err = {0};
    assert_int_equal(idc_inventory_list_users(inv, &filter, collect_user, &l, &err), IDC_OK);
    return l;
}

/* ---- opening ----------------------------------------------------------------------------- */

static void test_inventory_open_creates_private_files(void **state)
{
    struct fixture *f = *state;
    mode_t old = umask(0); /* the modes must not depend on the caller's umask */
    open_inv(f, 0);
    umask(old);
    assert_int_equal(mode_of(f->home), 0700);
    assert_int_equal(mode_of(f->db), 0600);
    char path[160];
    snprintf(path, sizeof path, "%s-wal", f->db);
    assert_int_equal(mode_of(path), 0600);
    snprintf(path, sizeof path, "%s-shm", f->db);
    assert_int_equal(mode_of(path), 0600);
    sqlite3 *db = raw_open(f);
    assert_int_equal(raw_int(db, "PRAGMA user_version"), 1);
    sqlite3_close(db);
}

static void test_inventory_open_tightens_folder(void **state)
{
    struct fixture *f = *state;
    char parent[96];
    snprintf(parent, sizeof parent, "%s/state", f->dir);
    assert_int_equal(mkdir(parent, 0755), 0);
    assert_int_equal(mkdir(f->home, 0755), 0);
    assert_int_equal(chmod(f->home, 0755), 0);
    open_inv(f, 0);
    assert_int_equal(mode_of(f->home), 0700);
}

static void test_inventory_open_refuses_a_file_as_folder(void **state)
{
    struct fixture *f = *state;
    char parent[96];
    snprintf(parent, sizeof parent, "%s/state", f->dir);
    assert_int_equal(mkdir(parent, 0700), 0);
    FILE *fp = fopen(f->home, "w");
    assert_non_null(fp);
    fclose(fp);
    struct idc_error err = {0};
    struct idc_inventory *inv = NULL;
    assert_int_equal(idc_inventory_open(&inv, f->home, 0, &err), IDC_ERR_IO);
    assert_null(inv);
    assert_non_null(strstr(err.msg, "is not a folder"));
    assert_int_equal(idc_inventory_open(&inv, f->home, -1, &err), IDC_ERR_ARG);
}

static void test_inventory_reopen_keeps_data(void **state)
{
    struct fixture *f = *state;
    struct idc_inventory *inv = open_inv(f, 0);
    add_integration(inv, "prod");
    sync_all(inv, "prod", base_users, N_BASE, NULL);
    inv = open_inv(f, 0);
    struct idc_integration in;
    struct idc_error err = {0};
    assert_int_equal(idc_inventory_get_integration(inv, "prod", &in, &err), IDC_OK);
    assert_string_equal(in.secret_access_key, SECRET);
    assert_string_equal(in.session_token, TOKEN);
    assert_int_equal(in.user_count, N_BASE);
    assert_string_equal(in.last_result, "ok");
    assert_true(in.last_sync_at > 0);
    idc_integration_wipe(&in);
    assert_int_equal(in.secret_access_key[0], '\0');
    assert_int_equal(in.session_token[0], '\0');
    assert_int_equal(list_users(inv, "prod", NULL, NULL).count, N_BASE);
}

static void test_inventory_newer_schema_refused(void **state)
{
    struct fixture *f = *state;
    open_inv(f, 0);
    idc_inventory_close(f->inv);
    f->inv = NULL;
    sqlite3 *db = raw_open(f);
    raw_exec(db, "PRAGMA user_version = 7");
    sqlite3_close(db);
    struct idc_error err = {0};
    struct idc_inventory *inv = NULL;
    assert_int_equal(idc_inventory_open(&inv, f->home, 0, &err), IDC_ERR_PARSE);
    assert_null(inv);
    assert_non_null(strstr(err.msg, "was written by a newer libidc (schema 7, this one knows 1)"));
    assert_non_null(strstr(err.msg, f->db));
}

/* ---- integrations ------------------------------------------------------------------------ */

static int collect_label(const struct idc_integration *in, void *ud)
{
    struct listing *l = ud;
    size_t len = strlen(l->text);
    snprintf(l->text + len, sizeof l->text - len, "%s:%lld;", in->label, (long long)in->user_count);
    l->count++;
    return 0;
}

static void test_inventory_integrations(void **state)
{
    struct fixture *f = *state;
    struct idc_inventory *inv = open_inv(f, 0);
    struct idc_error err = {0};
    add_integration(inv, "prod");
    add_integration(inv, "dev");
    struct idc_integration in = make_integration("prod");
    assert_int_equal(idc_inventory_add_integration(inv, &in, &err), IDC_ERR_ARG);
    assert_non_null(strstr(err.msg, "prod exists already"));
    strcpy(in.region, "eu-west-1");
    strcpy(in.secret_access_key, "another-secret");
    assert_int_equal(idc_inventory_update_integration(inv, &in, &err), IDC_OK);
    struct idc_integration got;
    assert_int_equal(idc_inventory_get_integration(inv, "prod", &got, &err), IDC_OK);
    assert_string_equal(got.region, "eu-west-1");
    assert_string_equal(got.secret_access_key, "another-secret");
    assert_string_equal(got.store_id, "d-1234567890");
    assert_int_equal(got.kind, IDC_KIND_IDENTITY_CENTER);
    assert_true(got.created_at > 0 && got.updated_at >= got.created_at);
    assert_int_equal(got.last_sync_at, 0);
    assert_string_equal(got.last_result, "");
    idc_integration_wipe(&got);
    struct listing l = {{0}, 0};
    assert_int_equal(idc_inventory_list_integrations(inv, collect_label, &l, &err), IDC_OK);
    assert_string_equal(l.text, "dev:0;prod:0;");
    assert_int_equal(idc_inventory_remove_integration(inv, "dev", &err), IDC_OK);
    assert_int_equal(idc_inventory_get_integration(inv, "dev", &got, &err), IDC_ERR_NOT_FOUND);
    assert_non_null(strstr(err.msg, "no integration labelled dev"));
    assert_int_equal(idc_inventory_remove_integration(inv, "dev", &err), IDC_ERR_NOT_FOUND);
    assert_non_null(strstr(err.msg, "dev"));
    strcpy(in.label, "gone");
    assert_int_equal(idc_inventory_update_integration(inv, &in, &err), IDC_ERR_NOT_FOUND);
    assert_non_null(strstr(err.msg, "no integration labelled gone"));
    idc_integration_wipe(&in);
}

static void test_inventory_integration_checks(void **state)
{
    struct fixture *f = *state;
    struct idc_inventory *inv = open_inv(f, 0);
    struct idc_error err = {0};
    struct idc_integration in = make_integration("");
    assert_int_equal(idc_inventory_add_integration(inv, &in, &err), IDC_ERR_ARG);
    assert_non_null(strstr(err.msg, "needs a label"));
    strcpy(in.label, "ic");
    in.store_id[0] = '\0';
    assert_int_equal(idc_inventory_add_integration(inv, &in, &err), IDC_ERR_ARG);
    assert_non_null(strstr(err.msg, "Identity Store id"));
    in.kind = IDC_KIND_IAM; /* IAM needs no store */
    assert_int_equal(idc_inventory_add_integration(inv, &in, &err), IDC_OK);
    memset(in.secret_access_key, 'x', sizeof in.secret_access_key); /* no terminator */
    assert_int_equal(idc_inventory_update_integration(inv, &in, &err), IDC_ERR_ARG);
    assert_non_null(strstr(err.msg, "secret access key is not terminated"));
    idc_integration_wipe(&in);
}

static void test_inventory_remove_keeps_audit(void **state)
{
    struct fixture *f = *state;
    struct idc_inventory *inv = open_inv(f, 0);
    struct idc_error err = {0};
    add_integration(inv, "prod");
    sync_all(inv, "prod", base_users, N_BASE, NULL);
    struct idc_audit_entry e = {0, "prod", "u-1", "alice", "delete-user", "ok", "test"};
    assert_int_equal(idc_inventory_audit(inv, &e, &err), IDC_OK);
    assert_int_equal(idc_inventory_remove_integration(inv, "prod", &err), IDC_OK);
    sqlite3 *db = raw_open(f);
    assert_int_equal(raw_int(db, "SELECT COUNT(*) FROM users"), 0);
    assert_int_equal(raw_int(db, "SELECT COUNT(*) FROM sync_runs"), 0);
    assert_int_equal(raw_int(db, "SELECT COUNT(*) FROM audit"), 1);
    sqlite3_close(db);
}

/* ---- the sync cycle ---------------------------------------------------------------------- */

static void test_inventory_sync_cycle(void **state)
{
    struct fixture *f = *state;
    struct idc_inventory *inv = open_inv(f, 0);
    add_integration(inv, "prod");
    struct changes ch = {0};
    struct idc_sync_result r = sync_all(inv, "prod", base_users, N_BASE, &ch);
    assert_int_equal(r.users, 4);
    assert_int_equal(r.added, 4);
    assert_int_equal(r.removed + r.changed + r.status_changes, 0);
    assert_int_equal(ch.count, 0);
    assert_true(r.run_id > 0);

    sqlite3 *db = raw_open(f);
    raw_exec(db, "UPDATE users SET first_seen_at = 1000"); /* an older first sighting */
    count_user_writes(db);
    r = sync_all(inv, "prod", base_users, N_BASE, &ch);
    assert_int_equal(r.users, 4);
    assert_int_equal(r.added + r.removed + r.changed + r.status_changes, 0);
    assert_int_equal(raw_int(db, "SELECT n FROM test_writes"), 0); /* no write at all */

    /* dave leaves, erin arrives, bob is disabled. */
    struct tuser next[] = {base_users[0],
                           base_users[1],
                           base_users[2],
                           {"u-5", "erin", "Erin", "erin@example.com", "ENABLED"}};
    next[1].status = "DISABLED";
    r = sync_all(inv, "prod", next, 4, &ch);
    assert_int_equal(r.added, 1);
    assert_int_equal(r.removed, 1);
    assert_int_equal(r.changed, 1);
    assert_int_equal(r.status_changes, 1);
    assert_int_equal(ch.count, 1);
    assert_string_equal(ch.id[0], "u-2");
    assert_string_equal(ch.from[0], "ENABLED");
    assert_string_equal(ch.to[0], "DISABLED");
    assert_int_equal(raw_int(db, "SELECT n FROM test_writes"), 3);
    assert_int_equal(raw_int(db, "SELECT COUNT(*) FROM users WHERE first_seen_at = 1000"), 3);
    assert_true(raw_int(db, "SELECT first_seen_at FROM users WHERE user_id = 'u-5'") > 1000);
    sqlite3_close(db);
    assert_string_equal(list_users(inv, "prod", NULL, NULL).text,
                        "u-1:alice:ENABLED;u-2:bob:DISABLED;u-3:carol:DISABLED;"
                        "u-5:erin:ENABLED;");
}

static int check_seen(const struct idc_inv_user_row *row, void *ud)
{
    const struct idc_integration *in = ud;
    assert_int_equal(row->last_seen_at, in->last_sync_at);
    assert_true(row->first_seen_at > 0);
    assert_int_equal(row->kind, IDC_KIND_IDENTITY_CENTER);
    assert_string_equal(row->integration, "prod");
    assert_non_null(row->user.json);
    assert_int_equal(row->user.json_len, strlen(row->user.json));
    assert_true(row->user.external);
    assert_int_equal(row->user.console_access, -1);
    return 0;
}

static void test_inventory_sync_records_run(void **state)
{
    struct fixture *f = *state;
    struct idc_inventory *inv = open_inv(f, 0);
    struct idc_error err = {0};
    add_integration(inv, "prod");
    sync_all(inv, "prod", base_users, N_BASE, NULL);
    struct idc_integration in;
    assert_int_equal(idc_inventory_get_integration(inv, "prod", &in, &err), IDC_OK);
    assert_string_equal(in.last_result, "ok");
    assert_string_equal(in.last_error, "");
    assert_int_equal(in.user_count, 4);
    idc_integration_wipe(&in);
    struct idc_user_filter all = {NULL, NULL, NULL};
    assert_int_equal(idc_inventory_list_users(inv, &all, check_seen, &in, &err), IDC_OK);
    sqlite3 *db = raw_open(f);
    assert_int_equal(raw_int(db, "SELECT COUNT(*) FROM sync_runs WHERE result = 'ok' AND"
                                 " users = 4 AND added = 4 AND finished_at > 0"),
                     1);
    sqlite3_close(db);
}

static void test_inventory_sync_misuse(void **state)
{
    struct fixture *f = *state;
    struct idc_inventory *inv = open_inv(f, 0);
    struct idc_error err = {0};
    struct idc_sync *s = NULL;
    assert_int_equal(idc_sync_begin(inv, "nope", &s, &err), IDC_ERR_NOT_FOUND);
    assert_non_null(strstr(err.msg, "no integration labelled nope"));
    /* listing an unknown label is an error too, not an empty list */
    struct idc_user_filter unknown = {"nope", NULL, NULL};
    struct listing none = {{0}, 0};
    assert_int_equal(idc_inventory_list_users(inv, &unknown, collect_user, &none, &err),
                     IDC_ERR_NOT_FOUND);
    assert_int_equal(none.count, 0);
    add_integration(inv, "prod");
    s = stage_all(inv, "prod", base_users, 1);
    struct idc_sync *second = NULL;
    assert_int_equal(idc_sync_begin(inv, "prod", &second, &err), IDC_ERR_ARG);
    assert_non_null(strstr(err.msg, "already staging"));
    struct idc_user nameless = {.user_id = "u-9"};
    assert_int_equal(idc_sync_stage(s, &nameless, &err), IDC_ERR_ARG);
    assert_int_equal(idc_sync_commit(s, NULL, NULL, NULL, &err), IDC_OK);
    char json[256];
    struct idc_user u = inv_user(&base_users[1], json, sizeof json);
    assert_int_equal(idc_sync_stage(s, &u, &err), IDC_ERR_ARG);
    assert_non_null(strstr(err.msg, "is over"));
    assert_int_equal(idc_sync_commit(s, NULL, NULL, NULL, &err), IDC_ERR_ARG);
    idc_sync_free(s);
    idc_sync_free(NULL);
    assert_int_equal(list_users(inv, "prod", NULL, NULL).count, 1);
}

/* A sync that ends any other way than a commit leaves the users exactly as they were. */
static void check_unchanged_after(struct fixture *f, bool fail)
{
    struct idc_inventory *inv = open_inv(f, 0);
    struct idc_error err = {0};
    add_integration(inv, "prod");
    sync_all(inv, "prod", base_users, N_BASE, NULL);
    struct listing before = list_users(inv, "prod", NULL, NULL);
    struct idc_integration in;
    assert_int_equal(idc_inventory_get_integration(inv, "prod", &in, &err), IDC_OK);
    int64_t last_sync = in.last_sync_at;
    struct tuser other[] = {{"u-7", "zed", NULL, NULL, "ENABLED"}};
    struct idc_sync *s = stage_all(inv, "prod", other, 1);
    if (fail) {
        idc_sync_fail(s, "ListUsers: AccessDeniedException");
    }
    idc_sync_free(s);
    assert_string_equal(list_users(inv, "prod", NULL, NULL).text, before.text);
    assert_int_equal(idc_inventory_get_integration(inv, "prod", &in, &err), IDC_OK);
    assert_int_equal(in.last_sync_at, last_sync);
    assert_string_equal(in.last_result, "failed");
    assert_non_null(strstr(in.last_error, fail ? "AccessDenied" : "abandoned"));
    idc_integration_wipe(&in);
}

static int first_run(const struct idc_sync_run *run, void *ud)
{
    struct idc_sync_run *out = ud;
    *out = *run;
    out->result = strdup(run->result);
    out->error = strdup(run->error);
    out->integration = NULL;
    return 1; /* the newest only */
}

static struct idc_sync_run newest_run(struct idc_inventory *inv)
{
    struct idc_sync_run run = {0};
    struct idc_error err = {0};
    assert_int_equal(idc_inventory_list_sync_runs(inv, NULL, 0, first_run, &run, &err), IDC_OK);
    assert_non_null(run.result);
    return run;
}

static void free_run(struct idc_sync_run *run)
{
    free((char *)run->result);
    free((char *)run->error);
}

static void test_inventory_sync_fail_keeps_users(void **state)
{
    struct fixture *f = *state;
    check_unchanged_after(f, true);
    struct idc_sync_run run = newest_run(f->inv);
    assert_string_equal(run.result, "failed");
    assert_string_equal(run.error, "ListUsers: AccessDeniedException");
    assert_true(run.finished_at > 0);
    free_run(&run);
}

static void test_inventory_sync_free_without_commit(void **state)
{
    struct fixture *f = *state;
    check_unchanged_after(f, false);
    struct idc_sync_run run = newest_run(f->inv);
    assert_string_equal(run.result, "failed");
    assert_non_null(strstr(run.error, "abandoned"));
    free_run(&run);
}

static void test_inventory_sync_busy(void **state)
{
    struct fixture *f = *state;
    struct idc_inventory *inv = open_inv(f, 200);
    struct idc_error err = {0};
    add_integration(inv, "prod");
    sync_all(inv, "prod", base_users, 2, NULL);
    struct idc_sync *s = NULL;
    assert_int_equal(idc_sync_begin(inv, "prod", &s, &err), IDC_OK);
    sqlite3 *other = raw_open(f);
    raw_exec(other, "BEGIN IMMEDIATE");
    /* Staging touches only the temp schema: the other writer does not hold it up. */
    for (size_t i = 0; i < N_BASE; i++) {
        char json[256];
        struct idc_user u = inv_user(&base_users[i], json, sizeof json);
        assert_int_equal(idc_sync_stage(s, &u, &err), IDC_OK);
    }
    assert_int_equal(idc_sync_commit(s, NULL, NULL, NULL, &err), IDC_ERR_BUSY);
    assert_non_null(strstr(err.msg, "busy: another process kept it locked for more than 200 ms"));
    assert_non_null(strstr(err.msg, f->db));
    raw_exec(other, "ROLLBACK");
    sqlite3_close(other);
    idc_sync_free(s); /* the lock is gone: the failure is written now */
    struct idc_sync_run run = newest_run(inv);
    assert_string_equal(run.result, "failed");
    assert_non_null(strstr(run.error, "200 ms"));
    free_run(&run);
    assert_string_equal(list_users(inv, "prod", NULL, NULL).text,
                        "u-1:alice:ENABLED;u-2:bob:ENABLED;");
}

static void test_inventory_sync_marks_dead_runs(void **state)
{
    struct fixture *f = *state;
    struct idc_inventory *inv = open_inv(f, 0);
    add_integration(inv, "prod");
    pid_t pid = fork(); /* a pid that surely belonged to a process that is gone */
    assert_true(pid >= 0);
    if (pid == 0) {
        _exit(0);
    }
    assert_int_equal(waitpid(pid, NULL, 0), pid);
    sqlite3 *db = raw_open(f);
    char sql[256];
    snprintf(sql, sizeof sql,
             "INSERT INTO sync_runs(id, integration, pid, started_at, result)"
             " VALUES(99, 'prod', %d, 1, 'running'), (98, 'prod', %d, 1, 'running')",
             (int)pid, (int)getpid());
    raw_exec(db, sql);
    struct idc_sync *s = stage_all(inv, "prod", base_users, 1);
    char want[96];
    snprintf(want, sizeof want, "interrupted: process %d ended without finishing", (int)pid);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT result, error, finished_at FROM sync_runs"
                                        " WHERE id = 99",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "failed");
    assert_string_equal((const char *)sqlite3_column_text(st, 1), want);
    assert_true(sqlite3_column_int64(st, 2) > 0);
    sqlite3_finalize(st);
    /* Our own pid is alive: its run stays running. */
    assert_int_equal(raw_int(db, "SELECT result = 'running' FROM sync_runs WHERE id = 98"), 1);
    sqlite3_close(db);
    idc_sync_free(s);
}

/* ---- users ------------------------------------------------------------------------------- */

static void test_inventory_list_users_filters(void **state)
{
    struct fixture *f = *state;
    struct idc_inventory *inv = open_inv(f, 0);
    add_integration(inv, "prod");
    add_integration(inv, "dev");
    sync_all(inv, "prod", base_users, N_BASE, NULL);
    struct tuser dev[] = {{"d-1", "zoe", "Zo\xc3\xa9 100%", "zoe@example.com", "ENABLED"},
                          {"d-2", "ann_x", "Ann", "ann@EXAMPLE.com", NULL}};
    sync_all(inv, "dev", dev, 2, NULL);
    assert_string_equal(list_users(inv, NULL, NULL, NULL).text,
                        "d-2:ann_x:-;d-1:zoe:ENABLED;u-1:alice:ENABLED;u-2:bob:ENABLED;"
                        "u-3:carol:DISABLED;u-4:dave:-;");
    assert_int_equal(list_users(inv, "prod", NULL, NULL).count, 4);
    assert_string_equal(list_users(inv, NULL, "DISABLED", NULL).text, "u-3:carol:DISABLED;");
    assert_int_equal(list_users(inv, NULL, "ENABLED", NULL).count, 3); /* no NULL status */
    assert_int_equal(list_users(inv, NULL, "enabled", NULL).count, 0); /* exact */
    assert_string_equal(list_users(inv, "prod", NULL, "ALICE").text, "u-1:alice:ENABLED;");
    assert_string_equal(list_users(inv, NULL, NULL, "builder").text, "u-2:bob:ENABLED;");
    assert_string_equal(list_users(inv, NULL, NULL, "example.org").text, "u-3:carol:DISABLED;");
    assert_string_equal(list_users(inv, NULL, NULL, "U-4").text, "u-4:dave:-;");
    assert_int_equal(list_users(inv, NULL, NULL, "example.com").count, 4);
    /* '%', '_' and '\' match themselves, not as wildcards. */
    assert_string_equal(list_users(inv, NULL, NULL, "100%").text, "d-1:zoe:ENABLED;");
    assert_int_equal(list_users(inv, NULL, NULL, "%").count, 1);
    assert_string_equal(list_users(inv, NULL, NULL, "n_").text, "d-2:ann_x:-;");
    assert_int_equal(list_users(inv, NULL, NULL, "\\").count, 0);
    /* SQLite folds ASCII only: "É" does not find "é". */
    assert_int_equal(list_users(inv, NULL, NULL, "zo\xc3\xa9").count, 1);
    assert_int_equal(list_users(inv, NULL, NULL, "ZO\xc3\x89").count, 0);
    assert_int_equal(list_users(inv, NULL, "DISABLED", "bob").count, 0);
}

static int copy_row(const struct idc_inv_user_row *row, void *ud)
{
    snprintf(ud, 64, "%s/%s/%s", row->user.user_id, row->user.user_name,
             row->user.email ? row->user.email : "-");
    return 0;
}

static void test_inventory_find_and_forget_user(void **state)
{
    struct fixture *f = *state;
    struct idc_inventory *inv = open_inv(f, 0);
    struct idc_error err = {0};
    add_integration(inv, "prod");
    sync_all(inv, "prod", base_users, N_BASE, NULL);
    char got[64] = "";
    assert_int_equal(idc_inventory_find_user(inv, "prod", "u-2", false, copy_row, got, &err),
                     IDC_OK);
    assert_string_equal(got, "u-2/bob/bob@example.com");
    assert_int_equal(idc_inventory_find_user(inv, "prod", "dave", true, copy_row, got, &err),
                     IDC_OK);
    assert_string_equal(got, "u-4/dave/-");
    assert_int_equal(idc_inventory_find_user(inv, "prod", "bob", false, copy_row, got, &err),
                     IDC_ERR_NOT_FOUND);
    assert_non_null(strstr(err.msg, "no user with id bob in integration prod"));
    assert_int_equal(idc_inventory_find_user(inv, "dev", "bob", true, copy_row, got, &err),
                     IDC_ERR_NOT_FOUND);
    assert_non_null(strstr(err.msg, "no user named bob in integration dev"));
    assert_int_equal(idc_inventory_forget_user(inv, "prod", "u-2", &err), IDC_OK);
    assert_int_equal(idc_inventory_find_user(inv, "prod", "u-2", false, copy_row, got, &err),
                     IDC_ERR_NOT_FOUND);
    assert_int_equal(idc_inventory_forget_user(inv, "prod", "u-2", &err), IDC_OK); /* no-op */
    assert_int_equal(list_users(inv, "prod", NULL, NULL).count, 3);
}

/* ---- audit and runs ---------------------------------------------------------------------- */

static int collect_audit(const struct idc_audit_entry *e, int64_t id, void *ud)
{
    struct listing *l = ud;
    size_t len = strlen(l->text);
    snprintf(l->text + len, sizeof l->text - len, "%lld:%s:%s:%s:%s;", (long long)id,
             e->integration, e->user_name, e->action, e->result);
    assert_true(e->at > 0);
    l->count++;
    return 0;
}

static void test_inventory_audit(void **state)
{
    struct fixture *f = *state;
    struct idc_inventory *inv = open_inv(f, 0);
    struct idc_error err = {0};
    struct idc_audit_entry entries[] = {
        {0, "prod", "u-1", "alice", "delete-user", "ok", NULL},
        {1700000000, "dev", "u-2", "bob", "remove-membership", "dry-run", "group g-1"},
        {0, "prod", "u-3", "carol", "delete-login-profile", "already-gone", ""},
    };
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(idc_inventory_audit(inv, &entries[i], &err), IDC_OK);
    }
    struct idc_audit_entry bad = {0, "prod", "u-1", "alice", NULL, "ok", NULL};
    assert_int_equal(idc_inventory_audit(inv, &bad, &err), IDC_ERR_ARG);
    struct listing l = {{0}, 0};
    assert_int_equal(idc_inventory_list_audit(inv, NULL, 0, collect_audit, &l, &err), IDC_OK);
    assert_string_equal(l.text, "3:prod:carol:delete-login-profile:already-gone;"
                                "2:dev:bob:remove-membership:dry-run;1:prod:alice:delete-user:ok;");
    memset(&l, 0, sizeof l);
    assert_int_equal(idc_inventory_list_audit(inv, NULL, 2, collect_audit, &l, &err), IDC_OK);
    assert_int_equal(l.count, 2);
    memset(&l, 0, sizeof l);
    assert_int_equal(idc_inventory_list_audit(inv, "prod", 0, collect_audit, &l, &err), IDC_OK);
    assert_string_equal(l.text, "3:prod:carol:delete-login-profile:already-gone;"
                                "1:prod:alice:delete-user:ok;");
}

static int collect_run(const struct idc_sync_run *run, void *ud)
{
    struct listing *l = ud;
    size_t len = strlen(l->text);
    snprintf(l->text + len, sizeof l->text - len, "%s:%s:%lld+%lld-%lld~%lld;", run->integration,
             run->result, (long long)run->added, (long long)run->removed, (long long)run->changed,
             (long long)run->users);
    l->count++;
    return 0;
}

static void test_inventory_sync_runs_list(void **state)
{
    struct fixture *f = *state;
    struct idc_inventory *inv = open_inv(f, 0);
    struct idc_error err = {0};
    add_integration(inv, "prod");
    add_integration(inv, "dev");
    sync_all(inv, "prod", base_users, N_BASE, NULL);
    sync_all(inv, "dev", base_users, 1, NULL);
    sync_all(inv, "prod", base_users, 3, NULL);
    struct listing l = {{0}, 0};
    assert_int_equal(idc_inventory_list_sync_runs(inv, NULL, 0, collect_run, &l, &err), IDC_OK);
    assert_string_equal(l.text, "prod:ok:0+1-0~3;dev:ok:1+0-0~1;prod:ok:4+0-0~4;");
    memset(&l, 0, sizeof l);
    assert_int_equal(idc_inventory_list_sync_runs(inv, "prod", 1, collect_run, &l, &err), IDC_OK);
    assert_string_equal(l.text, "prod:ok:0+1-0~3;");
}

/* ---- secrets ------------------------------------------------------------------------------ */

static void assert_no_secret(const struct idc_error *err)
{
    assert_null(strstr(err->msg, SECRET));
    assert_null(strstr(err->msg, TOKEN));
    assert_null(strstr(err->msg, "wJalrXUtnFEMI"));
}

static void test_inventory_no_secret_in_errors(void **state)
{
    struct fixture *f = *state;
    struct idc_inventory *inv = open_inv(f, 0);
    struct idc_error err = {0};
    add_integration(inv, "prod");
    struct idc_integration in = make_integration("prod");
    assert_int_equal(idc_inventory_add_integration(inv, &in, &err), IDC_ERR_ARG);
    assert_no_secret(&err);
    strcpy(in.label, "missing");
    assert_int_equal(idc_inventory_update_integration(inv, &in, &err), IDC_ERR_NOT_FOUND);
    assert_no_secret(&err);
    memset(in.session_token, 'A', sizeof in.session_token);
    assert_int_equal(idc_inventory_update_integration(inv, &in, &err), IDC_ERR_ARG);
    assert_no_secret(&err);
    assert_null(strstr(err.msg, "AAAA"));
    idc_integration_wipe(&in);
    for (size_t i = 0; i < sizeof in.session_token; i++) {
        assert_int_equal(in.session_token[i], 0);
    }
    /* A damaged row: the secret is too long for the struct. */
    sqlite3 *db = raw_open(f);
    raw_exec(db, "UPDATE integrations SET secret_access_key = printf('%.200c', 'w') ||"
                 " 'wJalrXUtnFEMI'");
    sqlite3_close(db);
    assert_int_equal(idc_inventory_get_integration(inv, "prod", &in, &err), IDC_ERR_PARSE);
    assert_non_null(strstr(err.msg, "secret access key"));
    assert_no_secret(&err);
    assert_int_equal(in.secret_access_key[0], '\0');
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_inventory_open_creates_private_files, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inventory_open_tightens_folder, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inventory_open_refuses_a_file_as_folder, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inventory_reopen_keeps_data, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inventory_newer_schema_refused, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inventory_integrations, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inventory_integration_checks, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inventory_remove_keeps_audit, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inventory_sync_cycle, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inventory_sync_records_run, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inventory_sync_misuse, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inventory_sync_fail_keeps_users, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inventory_sync_free_without_commit, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inventory_sync_busy, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inventory_sync_marks_dead_runs, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inventory_list_users_filters, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inventory_find_and_forget_user, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inventory_audit, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inventory_sync_runs_list, setup, teardown),
    cmocka_unit_test_setup_teardown(test_inventory_no_secret_in_errors, setup, teardown),
};

UNIT_MAIN(tests)
