/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inventory_sync.c - one sync of an integration: users are staged in a TEMP table, in
 * transactions that touch only the temp schema, while the caller talks to AWS; the main
 * tables are written in one BEGIN IMMEDIATE at the end that applies only the differences.
 * A failed, abandoned or killed sync leaves the users as they were and says why in sync_runs.
 */
#include "idc/inventory.h"
#include "inventory_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "idc/str.h"

/* Rows per temp-schema transaction: big enough to amortise the commit, small enough to
 * keep the batch that a crash or failure throws away short. */
#define STAGE_BATCH 1000

enum sync_state {
    SYNC_STAGING,    /* begun: stage, then commit or fail */
    SYNC_UNRECORDED, /* failed, but the lock was held: the failure is still to be written */
    SYNC_DONE,       /* committed, or its failure is recorded */
};

struct idc_sync {
    struct idc_inventory *inv; /* NULL once the inventory is closed */
    sqlite3_stmt *insert;      /* the one staging INSERT, reused for every row */
    int64_t run_id;
    unsigned batch; /* rows in the open temp-schema transaction */
    bool broken;    /* a row was lost: the listing is incomplete and cannot be committed */
    enum sync_state state;
    char label[sizeof((struct idc_integration *)0)->label];
    char cause[sizeof((struct idc_integration *)0)->last_error]; /* the failure to record */
};

/* ---- recording a failure --------------------------------------------------------------- */

/* Copies `cause` whole or cut at a UTF-8 boundary with "...", never silently. */
static void set_cause(struct idc_sync *s, const char *cause)
{
    size_t n = strlen(cause);
    if (n < sizeof s->cause) {
        memcpy(s->cause, cause, n + 1);
        return;
    }
    n = sizeof s->cause - 4;
    while (n > 0 && ((unsigned char)cause[n] & 0xc0) == 0x80) {
        n--;
    }
    memcpy(s->cause, cause, n);
    memcpy(s->cause + n, "...", 4);
}

static idc_err write_failure(void *ctx, struct idc_error *err)
{
    struct idc_sync *s = ctx;
    static const char *const sql[] = {
        "UPDATE sync_runs SET finished_at = ?3, result = 'failed', error = ?2 WHERE id = ?4",
        "UPDATE integrations SET last_result = 'failed', last_error = ?2 WHERE label = ?1",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
        sqlite3_stmt *st = NULL;
        idc_err e = idc_inv_prepare(s->inv, sql[i], &st, "record the failed sync", err);
        if (e != IDC_OK) {
            return e;
        }
        struct idc_inv_binder b = {st, SQLITE_OK};
        idc_inv_bind_text(&b, 1, s->label);
        idc_inv_bind_text(&b, 2, s->cause);
        if (i == 0) {
            idc_inv_bind_int(&b, 3, idc_inv_now());
            idc_inv_bind_int(&b, 4, s->run_id);
        }
        e = idc_inv_finish(s->inv, st, b.rc, err, "record the failed sync of %s", s->label);
        if (e != IDC_OK) {
            return e;
        }
    }
    return IDC_OK;
}

/* Drops the open staging batch: after a failure its rows no longer matter. */
static void discard_batch(struct idc_inventory *inv)
{
    if (inv->temp_open) {
        idc_inv_rollback(inv);
        inv->temp_open = false;
    }
}

/*
 * Writes the pending failure in its own short transaction. `nowait` skips the busy wait:
 * right after a busy commit the lock is most likely still held, and the caller has waited
 * once already; idc_sync_fail and idc_sync_free try again.
 */
static void try_record(struct idc_sync *s, bool nowait)
{
    struct idc_inventory *inv = s->inv;
    discard_batch(inv);
    if (nowait) {
        sqlite3_busy_timeout(inv->db, 0);
    }
    if (idc_inv_transaction(inv, write_failure, s, "record the failed sync", NULL) == IDC_OK) {
        s->state = SYNC_DONE;
    }
    if (nowait) {
        sqlite3_busy_timeout(inv->db, inv->busy_ms);
    }
}

static void record_failed(struct idc_sync *s, const char *cause, bool nowait)
{
    set_cause(s, cause);
    s->state = SYNC_UNRECORDED;
    try_record(s, nowait);
}

/* ---- begin ------------------------------------------------------------------------------- */

static idc_err start_run(void *ctx, struct idc_error *err)
{
    struct idc_sync *s = ctx;
    struct idc_inventory *inv = s->inv;
    idc_err e = idc_inv_require_integration(inv, s->label, err);
    sqlite3_stmt *st = NULL;
    if (e == IDC_OK) {
        e = idc_inv_prepare(inv,
                            "UPDATE sync_runs SET result = 'failed', finished_at = ?1,"
                            " error = " IDC_INV_DEAD_RUN_ERROR " WHERE " IDC_INV_DEAD_RUN,
                            &st, "close interrupted sync runs", err);
    }
    if (e != IDC_OK) {
        return e;
    }
    struct idc_inv_binder b = {st, SQLITE_OK};
    idc_inv_bind_int(&b, 1, idc_inv_now());
    e = idc_inv_finish(inv, st, b.rc, err, "close interrupted sync runs");
    if (e == IDC_OK) {
        e = idc_inv_prepare(inv,
                            "INSERT INTO sync_runs(integration, pid, started_at, result)"
                            " VALUES(?1, ?2, ?3, 'running')",
                            &st, "record the sync run", err);
    }
    if (e != IDC_OK) {
        return e;
    }
    b = (struct idc_inv_binder){st, SQLITE_OK};
    idc_inv_bind_text(&b, 1, s->label);
    idc_inv_bind_int(&b, 2, (int64_t)getpid());
    idc_inv_bind_int(&b, 3, idc_inv_now());
    e = idc_inv_finish(inv, st, b.rc, err, "record the sync run of %s", s->label);
    s->run_id = sqlite3_last_insert_rowid(inv->db);
    return e;
}

/*
 * temp.staging holds the listing; temp.diff, filled at commit, the ids that are new or
 * changed, so the steps under the lock after the one comparison touch only those rows.
 * The temp schema stays a file with a bounded cache (about 700 bytes a user spill to it);
 * 64 KiB pages make that 16 times fewer syscalls and make DROP cheap, and an in-memory
 * journal keeps each batch's commit from writing one.
 */
static idc_err create_staging(struct idc_sync *s, struct idc_error *err)
{
    struct idc_inventory *inv = s->inv;
    idc_err e =
        idc_inv_exec(inv,
                     "PRAGMA temp.page_size = 65536;"
                     " DROP TABLE IF EXISTS temp.staging; DROP TABLE IF EXISTS temp.diff;"
                     " CREATE TEMP TABLE staging(user_id TEXT PRIMARY KEY NOT NULL,"
                     " user_name TEXT NOT NULL, display_name TEXT, email TEXT, status TEXT,"
                     " external INTEGER NOT NULL, json TEXT, console_access INTEGER NOT NULL,"
                     " active_keys INTEGER NOT NULL, content_hash INTEGER NOT NULL);"
                     " CREATE TEMP TABLE diff(user_id TEXT NOT NULL, srow INTEGER NOT NULL,"
                     " added INTEGER NOT NULL);"
                     " PRAGMA temp.journal_mode = MEMORY; PRAGMA temp.cache_size = -16384",
                     "create the staging tables", err);
    if (e != IDC_OK) {
        return e;
    }
    /* OR REPLACE: a user listed twice (a page repeated) counts once, as last seen. */
    return idc_inv_prepare(
        inv,
        "INSERT OR REPLACE INTO temp.staging(user_id, user_name, display_name,"
        " email, status, external, json, console_access, active_keys, content_hash)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        &s->insert, "prepare the staging insert", err);
}

idc_err idc_sync_begin(struct idc_inventory *inv, const char *integration, struct idc_sync **out,
                       struct idc_error *err)
{
    if (inv == NULL || integration == NULL || out == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "a sync needs the inventory and an integration");
    }
    *out = NULL;
    if (inv->sync != NULL) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "a sync of %s is already staging on this connection; commit or "
                             "free it, or open the inventory once more",
                             inv->sync->label);
    }
    struct idc_sync *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory starting the sync of %s",
                             integration);
    }
    s->inv = inv;
    idc_err e = idc_str_copy(idc_str_c(integration), s->label, sizeof s->label,
                             "the integration label", err);
    if (e == IDC_OK) {
        e = idc_inv_transaction(inv, start_run, s, "start the sync", err);
    }
    if (e != IDC_OK) {
        free(s);
        return e;
    }
    e = create_staging(s, err);
    if (e != IDC_OK) {
        record_failed(s, err ? err->msg : "could not create the staging table", false);
        sqlite3_finalize(s->insert);
        free(s);
        return e;
    }
    inv->sync = s;
    *out = s;
    return IDC_OK;
}

/* ---- stage --------------------------------------------------------------------------------- */

/* FNV-1a, 64 bits. */
static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 0x100000001b3ULL;
    }
    return h;
}

/* Each text is hashed with its length, so NULL, "" and shifted boundaries all differ. */
static uint64_t hash_text(uint64_t h, const char *s, size_t n)
{
    int64_t len = s ? (int64_t)n : -1;
    h = fnv1a(h, &len, sizeof len);
    return s ? fnv1a(h, s, n) : h;
}

static int64_t user_hash(const struct idc_user *u)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    h = hash_text(h, u->user_name, u->user_name ? strlen(u->user_name) : 0);
    h = hash_text(h, u->display_name, u->display_name ? strlen(u->display_name) : 0);
    h = hash_text(h, u->email, u->email ? strlen(u->email) : 0);
    h = hash_text(h, u->status, u->status ? strlen(u->status) : 0);
    h = hash_text(h, u->json, u->json_len);
    int32_t facts[3] = {u->external, u->console_access, u->active_keys};
    h = fnv1a(h, facts, sizeof facts);
    int64_t out;
    memcpy(&out, &h, sizeof out); /* SQLite integers are signed */
    return out;
}

static void bind_user(struct idc_inv_binder *b, const struct idc_user *u)
{
    idc_inv_bind_text(b, 1, u->user_id);
    idc_inv_bind_text(b, 2, u->user_name);
    idc_inv_bind_text(b, 3, u->display_name);
    idc_inv_bind_text(b, 4, u->email);
    idc_inv_bind_text(b, 5, u->status);
    idc_inv_bind_int(b, 6, u->external);
    if (b->rc == SQLITE_OK) {
        b->rc = u->json ? sqlite3_bind_text(b->st, 7, u->json, (int)u->json_len, SQLITE_STATIC)
                        : sqlite3_bind_null(b->st, 7);
    }
    idc_inv_bind_int(b, 8, u->console_access);
    idc_inv_bind_int(b, 9, u->active_keys);
    idc_inv_bind_int(b, 10, user_hash(u));
}

static idc_err check_stage(const struct idc_sync *s, const struct idc_user *u,
                           struct idc_error *err)
{
    if (s->inv == NULL || s->state != SYNC_STAGING) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "the sync of %s is over; begin a new one to stage users", s->label);
    }
    if (s->broken) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "staging for %s failed earlier and the listing is incomplete; free "
                             "this sync and start again",
                             s->label);
    }
    if (u->user_id == NULL || u->user_id[0] == '\0' || u->user_name == NULL ||
        u->user_name[0] == '\0') {
        return idc_error_set(err, IDC_ERR_ARG, "a user staged for %s has no id or no user name",
                             s->label);
    }
    if (u->json_len > INT32_MAX) {
        return idc_error_set(err, IDC_ERR_LIMIT, "the JSON of user %s is over 2 GiB", u->user_id);
    }
    return IDC_OK;
}

idc_err idc_sync_stage(struct idc_sync *s, const struct idc_user *u, struct idc_error *err)
{
    if (s == NULL || u == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "staging needs a sync and a user");
    }
    idc_err e = check_stage(s, u, err);
    if (e != IDC_OK) {
        return e;
    }
    struct idc_inventory *inv = s->inv;
    /* A deferred BEGIN that then touches only temp.staging: no lock on the inventory. */
    if (!inv->temp_open) {
        e = idc_inv_exec(inv, "BEGIN", "start a staging batch", err);
        if (e != IDC_OK) {
            s->broken = true;
            return e;
        }
        inv->temp_open = true;
    }
    struct idc_inv_binder b = {s->insert, SQLITE_OK};
    bind_user(&b, u);
    int rc = b.rc == SQLITE_OK ? sqlite3_step(s->insert) : b.rc;
    sqlite3_reset(s->insert);
    if (rc != SQLITE_DONE) {
        e = idc_inv_fail(inv, rc, err, "stage user %s of %s", u->user_id, s->label);
        s->broken = true;
        discard_batch(inv);
        return e;
    }
    return ++s->batch >= STAGE_BATCH ? idc_inv_settle(inv, err) : IDC_OK;
}

idc_err idc_inv_settle(struct idc_inventory *inv, struct idc_error *err)
{
    if (!inv->temp_open) {
        return IDC_OK;
    }
    inv->temp_open = false;
    if (inv->sync != NULL) {
        inv->sync->batch = 0;
    }
    int rc = sqlite3_exec(inv->db, "COMMIT", NULL, NULL, NULL);
    if (rc == SQLITE_OK) {
        return IDC_OK;
    }
    idc_err e = idc_inv_fail(inv, rc, err, "save the staged users");
    idc_inv_rollback(inv);
    if (inv->sync != NULL) {
        inv->sync->broken = true;
    }
    return e;
}

/* ---- commit ----------------------------------------------------------------------------- */

struct apply {
    struct idc_sync *s;
    idc_status_change_fn *fn;
    void *ud;
    int64_t now;
    struct idc_sync_result res;
};

/* Runs one statement with ?1 the label and ?2 the time, each when it has them; `*changes`
 * gets the rows it wrote, or the first column of its first row (a COUNT). */
static idc_err apply_step(struct apply *a, const char *sql, int64_t *changes, const char *doing,
                          struct idc_error *err)
{
    struct idc_inventory *inv = a->s->inv;
    sqlite3_stmt *st = NULL;
    idc_err e = idc_inv_prepare(inv, sql, &st, doing, err);
    if (e != IDC_OK) {
        return e;
    }
    struct idc_inv_binder b = {st, SQLITE_OK};
    int params = sqlite3_bind_parameter_count(st);
    if (params >= 1) {
        idc_inv_bind_text(&b, 1, a->s->label);
    }
    if (params >= 2) {
        idc_inv_bind_int(&b, 2, a->now);
    }
    int rc = b.rc == SQLITE_OK ? sqlite3_step(st) : b.rc;
    if (rc == SQLITE_ROW) {
        *changes = sqlite3_column_int64(st, 0);
        rc = sqlite3_step(st);
    } else if (rc == SQLITE_DONE) {
        *changes = sqlite3_changes(inv->db);
    }
    e = rc == SQLITE_DONE ? IDC_OK : idc_inv_fail(inv, rc, err, "%s of %s", doing, a->s->label);
    sqlite3_finalize(st);
    return e;
}

/* Reported before anything is written, while the lock keeps the old statuses stable. */
static idc_err report_status_changes(struct apply *a, struct idc_error *err)
{
    struct idc_inventory *inv = a->s->inv;
    sqlite3_stmt *st = NULL;
    /* CROSS JOIN keeps the order: the few changed ids drive the lookups. */
    idc_err e =
        idc_inv_prepare(inv,
                        "SELECT d.user_id, s.user_name, u.status, s.status FROM temp.diff d"
                        " CROSS JOIN temp.staging s ON s.rowid = d.srow"
                        " CROSS JOIN users u ON u.integration = ?1 AND u.user_id = d.user_id"
                        " WHERE NOT d.added AND s.status IS NOT NULL"
                        " AND u.status IS NOT s.status ORDER BY s.user_name, s.user_id",
                        &st, "compare statuses", err);
    if (e != IDC_OK) {
        return e;
    }
    struct idc_inv_binder b = {st, SQLITE_OK};
    idc_inv_bind_text(&b, 1, a->s->label);
    int rc = b.rc;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        struct idc_status_change change = {
            .user_id = idc_inv_column_str(st, 0),
            .user_name = idc_inv_column_str(st, 1),
            .from = idc_inv_column_text(st, 2),
            .to = idc_inv_column_str(st, 3),
        };
        a->res.status_changes++;
        if (a->fn != NULL) {
            a->fn(&change, a->ud);
        }
    }
    e = rc == SQLITE_DONE ? IDC_OK
                          : idc_inv_fail(inv, rc, err, "compare statuses of %s", a->s->label);
    sqlite3_finalize(st);
    return e;
}

/* One comparison of the whole listing; every later step works from temp.diff. */
static idc_err compare_listing(struct apply *a, struct idc_error *err)
{
    int64_t n = 0;
    idc_err e = apply_step(a, "DELETE FROM temp.diff", &n, "clear the comparison", err);
    if (e == IDC_OK) {
        e = apply_step(a, "SELECT COUNT(*) FROM temp.staging", &a->res.users,
                       "count the staged users", err);
    }
    if (e == IDC_OK) {
        e = apply_step(a,
                       "INSERT INTO temp.diff(user_id, srow, added)"
                       " SELECT s.user_id, s.rowid, u.user_id IS NULL FROM temp.staging s"
                       " LEFT JOIN users u ON u.integration = ?1 AND u.user_id = s.user_id"
                       " WHERE u.user_id IS NULL OR u.content_hash <> s.content_hash",
                       &n, "compare the listing", err);
    }
    return e;
}

static idc_err apply_changes(struct apply *a, struct idc_error *err)
{
    struct {
        const char *sql;
        int64_t *count;
        const char *doing;
    } steps[] = {
        {"UPDATE users SET (user_name, display_name, email, status, external, json,"
         " console_access, active_keys, content_hash) = (SELECT s.user_name, s.display_name,"
         " s.email, s.status, s.external, s.json, s.console_access, s.active_keys,"
         " s.content_hash FROM temp.staging s WHERE s.user_id = users.user_id)"
         " WHERE integration = ?1 AND user_id IN (SELECT user_id FROM temp.diff WHERE NOT added)",
         &a->res.changed, "update changed users"},
        {"DELETE FROM users WHERE integration = ?1 AND NOT EXISTS"
         " (SELECT 1 FROM temp.staging s WHERE s.user_id = users.user_id)",
         &a->res.removed, "delete removed users"},
        /* The SELECT does not read users: SQLite would copy it all to a scratch table. */
        {"INSERT INTO users(integration, user_id, user_name, display_name, email, status,"
         " external, json, console_access, active_keys, content_hash, first_seen_at)"
         " SELECT ?1, s.user_id, s.user_name, s.display_name, s.email, s.status, s.external,"
         " s.json, s.console_access, s.active_keys, s.content_hash, ?2 FROM temp.diff d"
         " CROSS JOIN temp.staging s ON s.rowid = d.srow WHERE d.added",
         &a->res.added, "insert added users"},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        idc_err e = apply_step(a, steps[i].sql, steps[i].count, steps[i].doing, err);
        if (e != IDC_OK) {
            return e;
        }
    }
    return IDC_OK;
}

static idc_err finish_run(struct apply *a, struct idc_error *err)
{
    struct idc_inventory *inv = a->s->inv;
    sqlite3_stmt *st = NULL;
    idc_err e = idc_inv_prepare(inv,
                                "UPDATE sync_runs SET finished_at = ?2, result = 'ok', users = ?3,"
                                " added = ?4, removed = ?5, changed = ?6, error = '' WHERE id = ?1",
                                &st, "record the sync run", err);
    if (e != IDC_OK) {
        return e;
    }
    struct idc_inv_binder b = {st, SQLITE_OK};
    idc_inv_bind_int(&b, 1, a->s->run_id);
    idc_inv_bind_int(&b, 2, a->now);
    idc_inv_bind_int(&b, 3, a->res.users);
    idc_inv_bind_int(&b, 4, a->res.added);
    idc_inv_bind_int(&b, 5, a->res.removed);
    idc_inv_bind_int(&b, 6, a->res.changed);
    e = idc_inv_finish(inv, st, b.rc, err, "record the sync run of %s", a->s->label);
    int64_t done = 0;
    return e != IDC_OK ? e
                       : apply_step(a,
                                    "UPDATE integrations SET last_sync_at = ?2,"
                                    " last_result = 'ok', last_error = '' WHERE label = ?1",
                                    &done, "record the last sync", err);
}

static idc_err apply_listing(void *ctx, struct idc_error *err)
{
    struct apply *a = ctx;
    idc_err e = idc_inv_require_integration(a->s->inv, a->s->label, err);
    if (e == IDC_OK) {
        e = compare_listing(a, err);
    }
    if (e == IDC_OK) {
        e = report_status_changes(a, err);
    }
    if (e == IDC_OK) {
        e = apply_changes(a, err);
    }
    return e == IDC_OK ? finish_run(a, err) : e;
}

idc_err idc_sync_commit(struct idc_sync *s, idc_status_change_fn *fn, void *ud,
                        struct idc_sync_result *out, struct idc_error *err)
{
    if (s == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "committing needs a sync");
    }
    struct idc_error local;
    err = err ? err : &local; /* the failure's text is recorded in the run */
    if (s->inv == NULL || s->state != SYNC_STAGING) {
        return idc_error_set(err, IDC_ERR_ARG, "the sync of %s is over; begin a new one", s->label);
    }
    idc_err e = s->broken ? idc_error_set(err, IDC_ERR_ARG,
                                          "the listing of %s is incomplete (staging failed "
                                          "earlier); the inventory is unchanged",
                                          s->label)
                          : idc_inv_settle(s->inv, err);
    struct apply a = {.s = s, .fn = fn, .ud = ud, .now = idc_inv_now()};
    if (e == IDC_OK) {
        e = idc_inv_transaction(s->inv, apply_listing, &a, "apply the sync", err);
    }
    if (e != IDC_OK) {
        record_failed(s, err->msg, e == IDC_ERR_BUSY);
        return e;
    }
    s->state = SYNC_DONE;
    a.res.run_id = s->run_id;
    if (out != NULL) {
        *out = a.res;
    }
    return IDC_OK;
}

/* ---- fail, free, detach ------------------------------------------------------------------ */

void idc_sync_fail(struct idc_sync *s, const char *cause)
{
    if (s == NULL || s->inv == NULL) {
        return;
    }
    if (s->state == SYNC_STAGING) {
        record_failed(s, cause && cause[0] ? cause : "failed (no cause given)", false);
    } else if (s->state == SYNC_UNRECORDED) {
        try_record(s, false); /* the first cause stays */
    }
}

/* Ends the sync on its connection: records it if unfinished, drops the staging table. */
static void sync_end(struct idc_sync *s)
{
    struct idc_inventory *inv = s->inv;
    idc_sync_fail(s, "abandoned: the sync ended without a commit");
    sqlite3_finalize(s->insert);
    s->insert = NULL;
    discard_batch(inv);
    sqlite3_exec(inv->db, "DROP TABLE IF EXISTS temp.staging; DROP TABLE IF EXISTS temp.diff", NULL,
                 NULL, NULL);
    inv->sync = NULL;
    s->inv = NULL;
}

void idc_sync_free(struct idc_sync *s)
{
    if (s == NULL) {
        return;
    }
    if (s->inv != NULL) {
        sync_end(s);
    }
    free(s);
}

void idc_inv_sync_detach(struct idc_inventory *inv)
{
    if (inv->sync != NULL) {
        sync_end(inv->sync);
    }
}
