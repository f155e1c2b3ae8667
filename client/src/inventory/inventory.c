/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inventory.c - the SQLite inventory: opening it (0700 folder, 0600 file created before
 * SQLite sees it, WAL, migrations), integrations, users, sync runs and the audit trail. The
 * sync itself is in inventory_sync.c. Every statement is constant SQL with bound values.
 */
#include "idc/inventory.h"
#include "inventory_int.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "idc/str.h"

#define DEFAULT_BUSY_MS 5000

/* ---- schema: an ordered list of steps; a version's steps run in one transaction ---------- */

struct schema_step {
    int version;
    const char *sql;
};

static const struct schema_step schema_steps[] = {
    {1, "CREATE TABLE integrations("
        " label TEXT PRIMARY KEY NOT NULL, kind TEXT NOT NULL,"
        " region TEXT NOT NULL DEFAULT '', store_id TEXT NOT NULL DEFAULT '',"
        " endpoint_url TEXT NOT NULL DEFAULT '', profile TEXT NOT NULL DEFAULT '',"
        " access_key_id TEXT NOT NULL DEFAULT '', secret_access_key TEXT NOT NULL DEFAULT '',"
        " session_token TEXT NOT NULL DEFAULT '',"
        " created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
        " last_sync_at INTEGER NOT NULL DEFAULT 0, last_result TEXT NOT NULL DEFAULT '',"
        " last_error TEXT NOT NULL DEFAULT '')"},
    {1, "CREATE TABLE users("
        " integration TEXT NOT NULL REFERENCES integrations(label) ON DELETE CASCADE,"
        " user_id TEXT NOT NULL, user_name TEXT NOT NULL, display_name TEXT, email TEXT,"
        " status TEXT, external INTEGER NOT NULL DEFAULT 0, json TEXT,"
        " console_access INTEGER NOT NULL DEFAULT -1, active_keys INTEGER NOT NULL DEFAULT -1,"
        " content_hash INTEGER NOT NULL, first_seen_at INTEGER NOT NULL,"
        " PRIMARY KEY(integration, user_id))"},
    {1, "CREATE INDEX users_by_name ON users(integration, user_name)"},
    /* Covers a sync's comparison: 100,000 users compare without reading their rows. */
    {1, "CREATE INDEX users_by_hash ON users(integration, user_id, content_hash)"},
    {1, "CREATE TABLE sync_runs("
        " id INTEGER PRIMARY KEY,"
        " integration TEXT NOT NULL REFERENCES integrations(label) ON DELETE CASCADE,"
        " pid INTEGER NOT NULL, started_at INTEGER NOT NULL,"
        " finished_at INTEGER NOT NULL DEFAULT 0, result TEXT NOT NULL,"
        " users INTEGER NOT NULL DEFAULT 0, added INTEGER NOT NULL DEFAULT 0,"
        " removed INTEGER NOT NULL DEFAULT 0, changed INTEGER NOT NULL DEFAULT 0,"
        " error TEXT NOT NULL DEFAULT '')"},
    {1, "CREATE INDEX sync_runs_by_integration ON sync_runs(integration, id)"},
    {1, "CREATE INDEX sync_runs_running ON sync_runs(result) WHERE result = 'running'"},
    /* No foreign key: the audit trail outlives the integrations it mentions. */
    {1, "CREATE TABLE audit("
        " id INTEGER PRIMARY KEY, at INTEGER NOT NULL, integration TEXT, user_id TEXT,"
        " user_name TEXT, action TEXT NOT NULL, result TEXT NOT NULL, detail TEXT)"},
    {1, "CREATE INDEX audit_by_integration ON audit(integration, id)"},
};

#define SCHEMA_STEPS  (sizeof schema_steps / sizeof schema_steps[0])
#define SCHEMA_LATEST (schema_steps[SCHEMA_STEPS - 1].version)

/* ---- SQLite failures and small helpers ----------------------------------------------------- */

int64_t idc_inv_now(void)
{
    return (int64_t)time(NULL);
}

static const char *sqlite_hint(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_FULL:
        return "; free some disk space and try again";
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return "; check the permissions of the folder and the file";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return "; the file is damaged or not an inventory: move it aside and sync again";
    default:
        return "";
    }
}

__attribute__((format(printf, 4, 0))) static idc_err
idc_inv_vfail(struct idc_inventory *inv, int rc, struct idc_error *err, const char *fmt, va_list ap)
{
    idc_err code;
    int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
        code = idc_error_set_native(err, IDC_ERR_BUSY, rc,
                                    "the inventory at %s is busy: another process kept it locked "
                                    "for more than %d ms; try again",
                                    inv->path, inv->busy_ms);
    } else {
        char doing[sizeof err->msg];
        vsnprintf(doing, sizeof doing, fmt, ap);
        const char *why = inv->db ? sqlite3_errmsg(inv->db) : sqlite3_errstr(rc);
        code =
            idc_error_set_native(err, IDC_ERR_IO, rc, "could not %s in the inventory at %s: %s%s",
                                 doing, inv->path, why, sqlite_hint(rc));
    }
    return code;
}

idc_err idc_inv_fail(struct idc_inventory *inv, int rc, struct idc_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    idc_err code = idc_inv_vfail(inv, rc, err, fmt, ap);
    va_end(ap);
    return code;
}

idc_err idc_inv_exec(struct idc_inventory *inv, const char *sql, const char *doing,
                     struct idc_error *err)
{
    int rc = sqlite3_exec(inv->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? IDC_OK : idc_inv_fail(inv, rc, err, "%s", doing);
}

idc_err idc_inv_prepare(struct idc_inventory *inv, const char *sql, sqlite3_stmt **st,
                        const char *doing, struct idc_error *err)
{
    int rc = sqlite3_prepare_v2(inv->db, sql, -1, st, NULL);
    return rc == SQLITE_OK ? IDC_OK : idc_inv_fail(inv, rc, err, "%s", doing);
}

idc_err idc_inv_finish(struct idc_inventory *inv, sqlite3_stmt *st, int bind_rc,
                       struct idc_error *err, const char *fmt, ...)
{
    int rc = bind_rc;
    if (rc == SQLITE_OK) {
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        }
        rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
    }
    idc_err e = IDC_OK;
    if (rc != SQLITE_OK) {
        va_list ap;
        va_start(ap, fmt);
        e = idc_inv_vfail(inv, rc, err, fmt, ap);
        va_end(ap);
    }
    sqlite3_finalize(st);
    return e;
}

void idc_inv_rollback(struct idc_inventory *inv)
{
    if (!sqlite3_get_autocommit(inv->db)) {
        sqlite3_exec(inv->db, "ROLLBACK", NULL, NULL, NULL);
    }
}

idc_err idc_inv_transaction(struct idc_inventory *inv, idc_inv_txn_fn *fn, void *ctx,
                            const char *doing, struct idc_error *err)
{
    idc_err e = idc_inv_exec(inv, "BEGIN IMMEDIATE", doing, err);
    if (e != IDC_OK) {
        return e;
    }
    e = fn(ctx, err);
    if (e == IDC_OK) {
        e = idc_inv_exec(inv, "COMMIT", doing, err);
    }
    if (e != IDC_OK) {
        idc_inv_rollback(inv);
    }
    return e;
}

/* ---- opening: folder, file, connection, schema --------------------------------------------- */

static idc_err folder_fail(const char *path, int errnum, struct idc_error *err)
{
    return idc_error_set_native(err, IDC_ERR_IO, errnum,
                                "could not create the folder %s: %s; create it yourself or set "
                                "IDC_HOME to a writable folder",
                                path, strerror(errnum));
}

/* mkdir -p for the parents of `home`; each one created here is private too. */
static idc_err make_parents(const char *home, struct idc_error *err)
{
    char path[PATH_MAX];
    memcpy(path, home, strlen(home) + 1); /* the caller checked the length */
    for (char *p = path + 1; *p != '\0'; p++) {
        if (*p != '/') {
            continue;
        }
        *p = '\0';
        struct stat st;
        if (mkdir(path, 0700) != 0 && errno != EEXIST &&
            !(stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
            return folder_fail(path, errno, err);
        }
        *p = '/';
    }
    return IDC_OK;
}

/* The folder is 0700; an existing one of ours with looser permissions is tightened. */
static idc_err make_home(const char *home, struct idc_error *err)
{
    idc_err e = make_parents(home, err);
    if (e != IDC_OK) {
        return e;
    }
    bool created = mkdir(home, 0700) == 0;
    if (!created && errno != EEXIST) {
        return folder_fail(home, errno, err);
    }
    struct stat st;
    if (stat(home, &st) != 0) {
        return folder_fail(home, errno, err);
    }
    if (!S_ISDIR(st.st_mode)) {
        return idc_error_set(err, IDC_ERR_IO,
                             "%s is not a folder; move it away or set IDC_HOME to another folder",
                             home);
    }
    bool ours = st.st_uid == geteuid();
    bool loose = (st.st_mode & 077) != 0;
    /* A fresh folder is chmod-ed too: the umask may have taken bits we need. */
    if ((created || (ours && loose)) && (st.st_mode & 0777) != 0700 && chmod(home, 0700) != 0) {
        return idc_error_set(err, IDC_ERR_IO,
                             "could not make the folder %s private (chmod 0700): %s", home,
                             strerror(errno));
    }
    return IDC_OK;
}

/* Created 0600 by us, so the database is never readable by others, not even for an instant. */
static idc_err create_db_file(const char *path, struct idc_error *err)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        return idc_error_set(err, IDC_ERR_IO,
                             "could not open the inventory %s: %s; check the folder's permissions",
                             path, strerror(errno));
    }
    struct stat st;
    idc_err e = IDC_OK;
    if (fstat(fd, &st) != 0) {
        e = idc_error_set(err, IDC_ERR_IO, "could not stat the inventory %s: %s", path,
                          strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
        e = idc_error_set(err, IDC_ERR_IO, "the inventory %s is not a regular file; move it away",
                          path);
    } else if (st.st_uid == geteuid() && (st.st_mode & 077) != 0 && fchmod(fd, 0600) != 0) {
        e = idc_error_set(err, IDC_ERR_IO, "could not make the inventory %s private: %s", path,
                          strerror(errno));
    }
    close(fd);
    return e;
}

/* -wal and -shm exist once WAL is on; SQLite copies the database's mode, we make sure. */
static idc_err tighten_sidecars(const struct idc_inventory *inv, struct idc_error *err)
{
    static const char *const suffixes[] = {"-wal", "-shm"};
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        char path[PATH_MAX + 8];
        snprintf(path, sizeof path, "%s%s", inv->path, suffixes[i]);
        struct stat st;
        if (stat(path, &st) != 0 || st.st_uid != geteuid() || (st.st_mode & 077) == 0) {
            continue;
        }
        if (chmod(path, 0600) != 0) {
            return idc_error_set(err, IDC_ERR_IO, "could not make %s private (chmod 0600): %s",
                                 path, strerror(errno));
        }
    }
    return IDC_OK;
}

/* idc_pid_gone(pid): 1 when no process has that id (kill(pid, 0) fails with ESRCH). */
static void sql_pid_gone(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    sqlite3_int64 pid = sqlite3_value_int64(argv[0]);
    bool gone = pid <= 0 || pid > INT32_MAX || (kill((pid_t)pid, 0) != 0 && errno == ESRCH);
    sqlite3_result_int(ctx, gone);
}

static idc_err use_wal(struct idc_inventory *inv, struct idc_error *err)
{
    sqlite3_stmt *st = NULL;
    idc_err e = idc_inv_prepare(inv, "PRAGMA journal_mode = WAL", &st, "switch to WAL", err);
    if (e != IDC_OK) {
        return e;
    }
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        e = idc_inv_fail(inv, rc, err, "switch to WAL");
    } else if (sqlite3_stricmp(idc_inv_column_str(st, 0), "wal") != 0) {
        e = idc_error_set(err, IDC_ERR_IO,
                          "the inventory at %s cannot use WAL journaling (it stays in %s mode); "
                          "keep IDC_HOME on a local file system",
                          inv->path, idc_inv_column_str(st, 0));
    }
    sqlite3_finalize(st);
    return e;
}

/*
 * A 16 MiB page cache (SQLite's default is 2 MiB) holds the users indexes a sync of 100,000
 * users walks, so its comparison does not read() page by page (about 8 us a call here);
 * memory stays bounded whatever the number of users.
 */
static const char connection_pragmas[] = "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
                                         " PRAGMA cache_size = -16384";

static idc_err connect_db(struct idc_inventory *inv, struct idc_error *err)
{
    /* NOMUTEX: one connection per thread (inventory.h). */
    int rc =
        sqlite3_open_v2(inv->path, &inv->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        return idc_inv_fail(inv, rc, err, "open the database");
    }
    sqlite3_extended_result_codes(inv->db, 1);
    sqlite3_busy_timeout(inv->db, inv->busy_ms);
    /* DIRECTONLY: a hand-made trigger or view in the file cannot call it. */
    rc = sqlite3_create_function_v2(inv->db, "idc_pid_gone", 1, SQLITE_UTF8 | SQLITE_DIRECTONLY,
                                    NULL, sql_pid_gone, NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        return idc_inv_fail(inv, rc, err, "register idc_pid_gone");
    }
    idc_err e = idc_inv_exec(inv, connection_pragmas, "configure the connection", err);
    return e == IDC_OK ? use_wal(inv, err) : e;
}

static idc_err read_version(struct idc_inventory *inv, int *version, struct idc_error *err)
{
    sqlite3_stmt *st = NULL;
    idc_err e = idc_inv_prepare(inv, "PRAGMA user_version", &st, "read the schema version", err);
    if (e != IDC_OK) {
        return e;
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *version = sqlite3_column_int(st, 0);
    } else {
        e = idc_inv_fail(inv, rc, err, "read the schema version");
    }
    sqlite3_finalize(st);
    if (e == IDC_OK && *version > SCHEMA_LATEST) {
        e = idc_error_set(err, IDC_ERR_PARSE,
                          "the inventory at %s was written by a newer libidc (schema %d, this "
                          "one knows %d)",
                          inv->path, *version, SCHEMA_LATEST);
    }
    return e;
}

/* Inside BEGIN IMMEDIATE: another process may have migrated while we waited for the lock. */
static idc_err apply_migrations(void *ctx, struct idc_error *err)
{
    struct idc_inventory *inv = ctx;
    int version = 0;
    idc_err e = read_version(inv, &version, err);
    for (size_t i = 0; e == IDC_OK && i < SCHEMA_STEPS; i++) {
        if (schema_steps[i].version > version) {
            e = idc_inv_exec(inv, schema_steps[i].sql, "upgrade the schema", err);
        }
    }
    if (e != IDC_OK || version == SCHEMA_LATEST) {
        return e;
    }
    char sql[48]; /* our own constant, not a value */
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", SCHEMA_LATEST);
    return idc_inv_exec(inv, sql, "record the schema version", err);
}

static idc_err migrate(struct idc_inventory *inv, struct idc_error *err)
{
    int version = 0;
    idc_err e = read_version(inv, &version, err);
    if (e != IDC_OK || version == SCHEMA_LATEST) {
        return e; /* the usual case takes no write lock */
    }
    return idc_inv_transaction(inv, apply_migrations, inv, "upgrade the schema", err);
}

static idc_err open_steps(struct idc_inventory *inv, const char *home, struct idc_error *err)
{
    int n = snprintf(inv->path, sizeof inv->path, "%s/%s", home, IDC_INVENTORY_FILE);
    if (n < 0 || (size_t)n >= sizeof inv->path) {
        inv->path[0] = '\0';
        return idc_error_set(err, IDC_ERR_ARG,
                             "the inventory folder %s is too long for a path; use a shorter "
                             "IDC_HOME",
                             home);
    }
    idc_err e = make_home(home, err);
    if (e == IDC_OK) {
        e = create_db_file(inv->path, err);
    }
    if (e == IDC_OK) {
        e = connect_db(inv, err);
    }
    if (e == IDC_OK) {
        e = migrate(inv, err);
    }
    return e == IDC_OK ? tighten_sidecars(inv, err) : e;
}

idc_err idc_inventory_open(struct idc_inventory **out, const char *home, int busy_ms,
                           struct idc_error *err)
{
    if (out == NULL || home == NULL || home[0] == '\0' || busy_ms < 0) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "opening the inventory needs a folder and a busy timeout of 0 ms "
                             "(the default) or more");
    }
    *out = NULL;
    struct idc_inventory *inv = calloc(1, sizeof *inv);
    if (inv == NULL) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory opening the inventory in %s", home);
    }
    inv->busy_ms = busy_ms ? busy_ms : DEFAULT_BUSY_MS;
    idc_err e = open_steps(inv, home, err);
    if (e != IDC_OK) {
        idc_inventory_close(inv);
        return e;
    }
    *out = inv;
    return IDC_OK;
}

void idc_inventory_close(struct idc_inventory *inv)
{
    if (inv == NULL) {
        return;
    }
    if (inv->db != NULL) {
        idc_inv_sync_detach(inv);
        sqlite3_close_v2(inv->db);
    }
    free(inv);
}

/* ---- integrations --------------------------------------------------------------------------- */

#define INTEGRATION_SELECT                                                                         \
    "SELECT label, kind, region, store_id, endpoint_url, profile, access_key_id,"                  \
    " secret_access_key, session_token, created_at, updated_at, last_sync_at, last_result,"        \
    " last_error, (SELECT COUNT(*) FROM users u WHERE u.integration = i.label)"                    \
    " FROM integrations i"

/* A text field of struct idc_integration: its column in INTEGRATION_SELECT (and, for the
 * connection settings, its parameter number + 1 in the INSERT and UPDATE). */
struct text_field {
    int col;
    size_t off;
    size_t cap;
    const char *what;
    bool setting; /* a connection setting the caller gives */
};

#define TEXT_FIELD(col, f, what, setting)                                                          \
    {                                                                                              \
        col, offsetof(struct idc_integration, f), sizeof(((struct idc_integration *)0)->f), what,  \
            setting                                                                                \
    }

static const struct text_field integration_fields[] = {
    TEXT_FIELD(0, label, "label", true),
    TEXT_FIELD(2, region, "region", true),
    TEXT_FIELD(3, store_id, "store id", true),
    TEXT_FIELD(4, endpoint_url, "endpoint URL", true),
    TEXT_FIELD(5, profile, "profile", true),
    TEXT_FIELD(6, access_key_id, "access key id", true),
    TEXT_FIELD(7, secret_access_key, "secret access key", true),
    TEXT_FIELD(8, session_token, "session token", true),
    TEXT_FIELD(12, last_result, "last result", false),
    TEXT_FIELD(13, last_error, "last error", false),
};

#define INTEGRATION_FIELDS (sizeof integration_fields / sizeof integration_fields[0])

static const char *kind_name(enum idc_kind kind)
{
    return kind == IDC_KIND_IAM ? "iam" : "identity-center";
}

static bool kind_parse(const char *s, enum idc_kind *kind)
{
    if (s != NULL && strcmp(s, "iam") == 0) {
        *kind = IDC_KIND_IAM;
        return true;
    }
    *kind = IDC_KIND_IDENTITY_CENTER;
    return s != NULL && strcmp(s, "identity-center") == 0;
}

static idc_err no_integration(const char *label, struct idc_error *err)
{
    return idc_error_set(err, IDC_ERR_NOT_FOUND, "no integration labelled %s", label);
}

/* Every setting is NUL-terminated inside its array (the label first: messages use it). */
static idc_err check_integration(const struct idc_integration *in, struct idc_error *err)
{
    for (size_t i = 0; i < INTEGRATION_FIELDS; i++) {
        const struct text_field *f = &integration_fields[i];
        if (f->setting && memchr((const char *)in + f->off, '\0', f->cap) == NULL) {
            return idc_error_set(err, IDC_ERR_ARG,
                                 "the integration's %s is not terminated within its %zu bytes",
                                 f->what, f->cap);
        }
    }
    if (in->label[0] == '\0') {
        return idc_error_set(err, IDC_ERR_ARG, "an integration needs a label");
    }
    if (in->kind != IDC_KIND_IDENTITY_CENTER && in->kind != IDC_KIND_IAM) {
        return idc_error_set(err, IDC_ERR_ARG, "integration %s has an unknown kind %d", in->label,
                             (int)in->kind);
    }
    if (in->kind == IDC_KIND_IDENTITY_CENTER && in->store_id[0] == '\0') {
        return idc_error_set(err, IDC_ERR_ARG,
                             "integration %s is an Identity Center one and needs the Identity "
                             "Store id (d-...)",
                             in->label);
    }
    return IDC_OK;
}

/* ?1..?9 are the settings (?2 the kind), ?10 created_at, ?11 updated_at. */
static void bind_integration(struct idc_inv_binder *b, const struct idc_integration *in,
                             int64_t now)
{
    for (size_t i = 0; i < INTEGRATION_FIELDS; i++) {
        const struct text_field *f = &integration_fields[i];
        if (f->setting) {
            idc_inv_bind_text(b, f->col + 1, (const char *)in + f->off);
        }
    }
    idc_inv_bind_text(b, 2, kind_name(in->kind));
    idc_inv_bind_int(b, 10, now);
    idc_inv_bind_int(b, 11, now);
}

/* Runs the INSERT or UPDATE `sql`; `*changed` says whether a row was written. */
static idc_err write_integration(struct idc_inventory *inv, const char *sql,
                                 const struct idc_integration *in, bool *changed,
                                 struct idc_error *err)
{
    idc_err e = check_integration(in, err);
    if (e == IDC_OK) {
        e = idc_inv_settle(inv, err);
    }
    sqlite3_stmt *st = NULL;
    if (e == IDC_OK) {
        e = idc_inv_prepare(inv, sql, &st, "save an integration", err);
    }
    if (e != IDC_OK) {
        return e;
    }
    struct idc_inv_binder b = {st, SQLITE_OK};
    bind_integration(&b, in, idc_inv_now());
    e = idc_inv_finish(inv, st, b.rc, err, "save integration %s", in->label);
    *changed = e == IDC_OK && sqlite3_changes(inv->db) > 0;
    return e;
}

idc_err idc_inventory_add_integration(struct idc_inventory *inv, const struct idc_integration *in,
                                      struct idc_error *err)
{
    if (inv == NULL || in == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "adding an integration needs the inventory and it");
    }
    bool added = false;
    idc_err e = write_integration(
        inv,
        "INSERT INTO integrations(label, kind, region, store_id, endpoint_url, profile,"
        " access_key_id, secret_access_key, session_token, created_at, updated_at)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT(label) DO NOTHING",
        in, &added, err);
    if (e == IDC_OK && !added) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "an integration labelled %s exists already; choose another label "
                             "or update that one",
                             in->label);
    }
    return e;
}

idc_err idc_inventory_update_integration(struct idc_inventory *inv,
                                         const struct idc_integration *in, struct idc_error *err)
{
    if (inv == NULL || in == NULL) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "updating an integration needs the inventory and the new settings");
    }
    /* The label, kind and store id say which store the users came from: they stay. */
    bool updated = false;
    idc_err e = write_integration(inv,
                                  "UPDATE integrations SET region = ?3, endpoint_url = ?5,"
                                  " profile = ?6, access_key_id = ?7, secret_access_key = ?8,"
                                  " session_token = ?9, updated_at = ?11 WHERE label = ?1",
                                  in, &updated, err);
    return e == IDC_OK && !updated ? no_integration(in->label, err) : e;
}

idc_err idc_inventory_remove_integration(struct idc_inventory *inv, const char *label,
                                         struct idc_error *err)
{
    if (inv == NULL || label == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "removing an integration needs its label");
    }
    sqlite3_stmt *st = NULL;
    idc_err e = idc_inv_settle(inv, err);
    if (e == IDC_OK) {
        /* The foreign keys' ON DELETE CASCADE takes its users and sync runs along. */
        e = idc_inv_prepare(inv, "DELETE FROM integrations WHERE label = ?1", &st,
                            "remove an integration", err);
    }
    if (e != IDC_OK) {
        return e;
    }
    struct idc_inv_binder b = {st, SQLITE_OK};
    idc_inv_bind_text(&b, 1, label);
    e = idc_inv_finish(inv, st, b.rc, err, "remove integration %s", label);
    return e == IDC_OK && sqlite3_changes(inv->db) == 0 ? no_integration(label, err) : e;
}

static idc_err read_integration(struct idc_inventory *inv, sqlite3_stmt *st,
                                struct idc_integration *out, struct idc_error *err)
{
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < INTEGRATION_FIELDS; i++) {
        const struct text_field *f = &integration_fields[i];
        const char *s = idc_inv_column_str(st, f->col);
        size_t n = (size_t)sqlite3_column_bytes(st, f->col);
        if (n >= f->cap) {
            return idc_error_set(err, IDC_ERR_PARSE,
                                 "the %s of integration %s in %s is %zu bytes long, at most %zu "
                                 "fit; update or remove the integration",
                                 f->what, idc_inv_column_str(st, 0), inv->path, n, f->cap - 1);
        }
        memcpy((char *)out + f->off, s, n);
    }
    if (!kind_parse(idc_inv_column_text(st, 1), &out->kind)) {
        return idc_error_set(err, IDC_ERR_PARSE,
                             "integration %s in %s has an unknown kind \"%s\"; remove it and add "
                             "it again",
                             out->label, inv->path, idc_inv_column_str(st, 1));
    }
    out->created_at = sqlite3_column_int64(st, 9);
    out->updated_at = sqlite3_column_int64(st, 10);
    out->last_sync_at = sqlite3_column_int64(st, 11);
    out->user_count = sqlite3_column_int64(st, 14);
    return IDC_OK;
}

idc_err idc_inventory_get_integration(struct idc_inventory *inv, const char *label,
                                      struct idc_integration *out, struct idc_error *err)
{
    if (inv == NULL || label == NULL || out == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "reading an integration needs its label and room");
    }
    sqlite3_stmt *st = NULL;
    idc_err e = idc_inv_settle(inv, err);
    if (e == IDC_OK) {
        e = idc_inv_prepare(inv, INTEGRATION_SELECT " WHERE label = ?1", &st, "read an integration",
                            err);
    }
    if (e != IDC_OK) {
        return e;
    }
    struct idc_inv_binder b = {st, SQLITE_OK};
    idc_inv_bind_text(&b, 1, label);
    int rc = b.rc == SQLITE_OK ? sqlite3_step(st) : b.rc;
    if (rc == SQLITE_ROW) {
        e = read_integration(inv, st, out, err);
    } else if (rc == SQLITE_DONE) {
        e = no_integration(label, err);
    } else {
        e = idc_inv_fail(inv, rc, err, "read integration %s", label);
    }
    sqlite3_finalize(st);
    if (e != IDC_OK) {
        idc_integration_wipe(out);
    }
    return e;
}

idc_err idc_inv_require_integration(struct idc_inventory *inv, const char *label,
                                    struct idc_error *err)
{
    sqlite3_stmt *st = NULL;
    idc_err e = idc_inv_prepare(inv, "SELECT 1 FROM integrations WHERE label = ?1", &st,
                                "look an integration up", err);
    if (e != IDC_OK) {
        return e;
    }
    struct idc_inv_binder b = {st, SQLITE_OK};
    idc_inv_bind_text(&b, 1, label);
    int rc = b.rc == SQLITE_OK ? sqlite3_step(st) : b.rc;
    if (rc == SQLITE_DONE) {
        e = no_integration(label, err);
    } else if (rc != SQLITE_ROW) {
        e = idc_inv_fail(inv, rc, err, "look integration %s up", label);
    }
    sqlite3_finalize(st);
    return e;
}

idc_err idc_inventory_list_integrations(struct idc_inventory *inv, idc_integration_fn *fn, void *ud,
                                        struct idc_error *err)
{
    if (inv == NULL || fn == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "listing integrations needs a callback");
    }
    sqlite3_stmt *st = NULL;
    idc_err e = idc_inv_settle(inv, err);
    if (e == IDC_OK) {
        e = idc_inv_prepare(inv, INTEGRATION_SELECT " ORDER BY label", &st, "list integrations",
                            err);
    }
    if (e != IDC_OK) {
        return e;
    }
    struct idc_integration in;
    int rc = SQLITE_OK;
    while (e == IDC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        e = read_integration(inv, st, &in, err);
        if (e == IDC_OK && fn(&in, ud) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    idc_integration_wipe(&in);
    if (e == IDC_OK && rc != SQLITE_DONE) {
        e = idc_inv_fail(inv, rc, err, "list integrations");
    }
    sqlite3_finalize(st);
    return e;
}

void idc_integration_wipe(struct idc_integration *in)
{
    if (in != NULL) {
        idc_wipe(in->secret_access_key, sizeof in->secret_access_key);
        idc_wipe(in->session_token, sizeof in->session_token);
    }
}

/* ---- users ---------------------------------------------------------------------------------- */

#define USER_COLUMNS                                                                               \
    "u.integration, i.kind, u.user_id, u.user_name, u.display_name, u.email, u.status,"            \
    " u.external, u.json, u.console_access, u.active_keys, u.first_seen_at, i.last_sync_at"

#define USER_FROM " FROM users u JOIN integrations i ON i.label = u.integration"

static void read_user(sqlite3_stmt *st, struct idc_inv_user_row *row)
{
    memset(row, 0, sizeof *row);
    row->integration = idc_inv_column_str(st, 0);
    kind_parse(idc_inv_column_text(st, 1), &row->kind); /* unknown: Identity Center */
    row->user.user_id = idc_inv_column_str(st, 2);
    row->user.user_name = idc_inv_column_str(st, 3);
    row->user.display_name = idc_inv_column_text(st, 4);
    row->user.email = idc_inv_column_text(st, 5);
    row->user.status = idc_inv_column_text(st, 6);
    row->user.external = sqlite3_column_int(st, 7) != 0;
    row->user.json = idc_inv_column_text(st, 8);
    row->user.json_len = (size_t)sqlite3_column_bytes(st, 8);
    row->user.console_access = sqlite3_column_int(st, 9);
    row->user.active_keys = sqlite3_column_int(st, 10);
    row->first_seen_at = sqlite3_column_int64(st, 11);
    row->last_seen_at = sqlite3_column_int64(st, 12);
}

/* Steps the bound statement through `fn`, counts rows in `*seen`, finalizes it. */
static idc_err emit_users(struct idc_inventory *inv, const struct idc_inv_binder *b,
                          idc_inv_user_fn *fn, void *ud, int64_t *seen, struct idc_error *err)
{
    sqlite3_stmt *st = b->st;
    int rc = b->rc;
    *seen = 0;
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        struct idc_inv_user_row row;
        read_user(st, &row);
        ++*seen;
        if (fn(&row, ud) != 0) {
            rc = SQLITE_DONE;
        }
    }
    idc_err e = rc == SQLITE_DONE ? IDC_OK : idc_inv_fail(inv, rc, err, "read users");
    sqlite3_finalize(st);
    return e;
}

/*
 * The search is a LIKE over escaped text, so '%', '_' and '\' in it match themselves.
 * SQLite's LIKE folds case for ASCII letters only: "ALICE" finds "alice", "É" does not
 * find "é".
 */
static const char list_users_sql[] =
    "WITH q(pat) AS (SELECT '%' || replace(replace(replace(?3, '\\', '\\\\'), '%', '\\%'),"
    " '_', '\\_') || '%')"
    " SELECT " USER_COLUMNS USER_FROM ", q"
    " WHERE (?1 IS NULL OR u.integration = ?1) AND (?2 IS NULL OR u.status = ?2)"
    " AND (?3 IS NULL OR u.user_name LIKE q.pat ESCAPE '\\'"
    " OR u.display_name LIKE q.pat ESCAPE '\\' OR u.email LIKE q.pat ESCAPE '\\'"
    " OR u.user_id LIKE q.pat ESCAPE '\\')"
    " ORDER BY u.integration, u.user_name, u.user_id";

idc_err idc_inventory_list_users(struct idc_inventory *inv, const struct idc_user_filter *filter,
                                 idc_inv_user_fn *fn, void *ud, struct idc_error *err)
{
    if (inv == NULL || fn == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "listing users needs a callback");
    }
    static const struct idc_user_filter all = {NULL, NULL, NULL};
    filter = filter ? filter : &all;
    sqlite3_stmt *st = NULL;
    idc_err e = idc_inv_settle(inv, err);
    if (e == IDC_OK) {
        e = idc_inv_prepare(inv, list_users_sql, &st, "list users", err);
    }
    if (e != IDC_OK) {
        return e;
    }
    if (filter->integration != NULL) {
        e = idc_inv_require_integration(inv, filter->integration, err);
    }
    if (e != IDC_OK) {
        sqlite3_finalize(st);
        return e;
    }
    struct idc_inv_binder b = {st, SQLITE_OK};
    idc_inv_bind_text(&b, 1, filter->integration);
    idc_inv_bind_text(&b, 2, filter->status);
    idc_inv_bind_text(&b, 3, filter->search);
    int64_t seen;
    return emit_users(inv, &b, fn, ud, &seen, err);
}

idc_err idc_inventory_find_user(struct idc_inventory *inv, const char *integration, const char *key,
                                bool by_name, idc_inv_user_fn *fn, void *ud, struct idc_error *err)
{
    if (inv == NULL || integration == NULL || key == NULL || fn == NULL) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "finding a user needs the integration, the id or name, a callback");
    }
    const char *sql = by_name ? "SELECT " USER_COLUMNS USER_FROM
                                " WHERE u.integration = ?1 AND u.user_name = ?2 LIMIT 1"
                              : "SELECT " USER_COLUMNS USER_FROM
                                " WHERE u.integration = ?1 AND u.user_id = ?2";
    sqlite3_stmt *st = NULL;
    idc_err e = idc_inv_settle(inv, err);
    if (e == IDC_OK) {
        e = idc_inv_prepare(inv, sql, &st, "find a user", err);
    }
    if (e != IDC_OK) {
        return e;
    }
    struct idc_inv_binder b = {st, SQLITE_OK};
    idc_inv_bind_text(&b, 1, integration);
    idc_inv_bind_text(&b, 2, key);
    int64_t seen = 0;
    e = emit_users(inv, &b, fn, ud, &seen, err);
    if (e == IDC_OK && seen == 0) {
        e = idc_error_set(err, IDC_ERR_NOT_FOUND, "no user %s %s in integration %s",
                          by_name ? "named" : "with id", key, integration);
    }
    return e;
}

idc_err idc_inventory_forget_user(struct idc_inventory *inv, const char *integration,
                                  const char *user_id, struct idc_error *err)
{
    if (inv == NULL || integration == NULL || user_id == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "forgetting a user needs the integration and id");
    }
    sqlite3_stmt *st = NULL;
    idc_err e = idc_inv_settle(inv, err);
    if (e == IDC_OK) {
        e = idc_inv_prepare(inv, "DELETE FROM users WHERE integration = ?1 AND user_id = ?2", &st,
                            "forget a user", err);
    }
    if (e != IDC_OK) {
        return e;
    }
    struct idc_inv_binder b = {st, SQLITE_OK};
    idc_inv_bind_text(&b, 1, integration);
    idc_inv_bind_text(&b, 2, user_id);
    return idc_inv_finish(inv, st, b.rc, err, "forget user %s of %s", user_id, integration);
}

/* ---- sync runs and audit --------------------------------------------------------------------- */

/* Prepares `sql` with ?1 the integration filter (NULL: all) and ?2 the limit. */
static idc_err prepare_recent(struct idc_inventory *inv, const char *sql, const char *integration,
                              unsigned limit, sqlite3_stmt **st, const char *doing,
                              struct idc_error *err)
{
    idc_err e = idc_inv_settle(inv, err);
    if (e == IDC_OK) {
        e = idc_inv_prepare(inv, sql, st, doing, err);
    }
    if (e != IDC_OK) {
        return e;
    }
    struct idc_inv_binder b = {*st, SQLITE_OK};
    idc_inv_bind_text(&b, 1, integration);
    idc_inv_bind_int(&b, 2, limit);
    if (b.rc != SQLITE_OK) {
        e = idc_inv_fail(inv, b.rc, err, "%s", doing);
        sqlite3_finalize(*st);
        *st = NULL;
    }
    return e;
}

/* A run killed before the next sync closed it (IDC_INV_DEAD_RUN) is listed as failed. */
idc_err idc_inventory_list_sync_runs(struct idc_inventory *inv, const char *integration,
                                     unsigned limit, idc_sync_run_fn *fn, void *ud,
                                     struct idc_error *err)
{
    if (inv == NULL || fn == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "listing sync runs needs a callback");
    }
    sqlite3_stmt *st = NULL;
    idc_err e = prepare_recent(
        inv,
        "SELECT id, integration, started_at, finished_at,"
        " CASE WHEN " IDC_INV_DEAD_RUN " THEN 'failed' ELSE result END, users,"
        " added, removed, changed,"
        " CASE WHEN " IDC_INV_DEAD_RUN " THEN " IDC_INV_DEAD_RUN_ERROR " ELSE error END"
        " FROM sync_runs"
        " WHERE ?1 IS NULL OR integration = ?1 ORDER BY id DESC LIMIT ?2",
        integration, limit ? limit : 50, &st, "list sync runs", err);
    if (e != IDC_OK) {
        return e;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct idc_sync_run run = {
            .id = sqlite3_column_int64(st, 0),
            .integration = idc_inv_column_str(st, 1),
            .started_at = sqlite3_column_int64(st, 2),
            .finished_at = sqlite3_column_int64(st, 3),
            .result = idc_inv_column_str(st, 4),
            .users = sqlite3_column_int64(st, 5),
            .added = sqlite3_column_int64(st, 6),
            .removed = sqlite3_column_int64(st, 7),
            .changed = sqlite3_column_int64(st, 8),
            .error = idc_inv_column_str(st, 9),
        };
        if (fn(&run, ud) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    e = rc == SQLITE_DONE ? IDC_OK : idc_inv_fail(inv, rc, err, "list sync runs");
    sqlite3_finalize(st);
    return e;
}

idc_err idc_inventory_audit(struct idc_inventory *inv, const struct idc_audit_entry *e,
                            struct idc_error *err)
{
    if (inv == NULL || e == NULL || e->action == NULL || e->result == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "an audit entry needs an action and a result");
    }
    sqlite3_stmt *st = NULL;
    idc_err rc = idc_inv_settle(inv, err);
    if (rc == IDC_OK) {
        rc =
            idc_inv_prepare(inv,
                            "INSERT INTO audit(at, integration, user_id, user_name, action, result,"
                            " detail) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                            &st, "add to the audit trail", err);
    }
    if (rc != IDC_OK) {
        return rc;
    }
    struct idc_inv_binder b = {st, SQLITE_OK};
    idc_inv_bind_int(&b, 1, e->at ? e->at : idc_inv_now());
    idc_inv_bind_text(&b, 2, e->integration);
    idc_inv_bind_text(&b, 3, e->user_id);
    idc_inv_bind_text(&b, 4, e->user_name);
    idc_inv_bind_text(&b, 5, e->action);
    idc_inv_bind_text(&b, 6, e->result);
    idc_inv_bind_text(&b, 7, e->detail);
    return idc_inv_finish(inv, st, b.rc, err, "add %s to the audit trail", e->action);
}

idc_err idc_inventory_list_audit(struct idc_inventory *inv, const char *integration, unsigned limit,
                                 idc_audit_fn *fn, void *ud, struct idc_error *err)
{
    if (inv == NULL || fn == NULL) {
        return idc_error_set(err, IDC_ERR_ARG, "listing the audit trail needs a callback");
    }
    sqlite3_stmt *st = NULL;
    idc_err e = prepare_recent(inv,
                               "SELECT id, at, integration, user_id, user_name, action, result,"
                               " detail FROM audit WHERE ?1 IS NULL OR integration = ?1"
                               " ORDER BY id DESC LIMIT ?2",
                               integration, limit ? limit : 100, &st, "list the audit trail", err);
    if (e != IDC_OK) {
        return e;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct idc_audit_entry entry = {
            .at = sqlite3_column_int64(st, 1),
            .integration = idc_inv_column_str(st, 2),
            .user_id = idc_inv_column_str(st, 3),
            .user_name = idc_inv_column_str(st, 4),
            .action = idc_inv_column_str(st, 5),
            .result = idc_inv_column_str(st, 6),
            .detail = idc_inv_column_str(st, 7),
        };
        if (fn(&entry, sqlite3_column_int64(st, 0), ud) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    e = rc == SQLITE_DONE ? IDC_OK : idc_inv_fail(inv, rc, err, "list the audit trail");
    sqlite3_finalize(st);
    return e;
}
