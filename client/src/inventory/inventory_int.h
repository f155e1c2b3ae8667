/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inventory_int.h - what inventory.c shares with inventory_sync.c: the connection, the
 * translation of SQLite failures into idc errors, and the staging transaction that must be
 * settled before any other statement runs on the connection. Not a public API.
 */
#ifndef IDC_INVENTORY_INT_H
#define IDC_INVENTORY_INT_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include <sqlite3.h>

#include "idc/inventory.h"

struct idc_inventory {
    sqlite3 *db;
    int busy_ms;
    bool temp_open;        /* a staging batch (temp schema only) is open on `db` */
    struct idc_sync *sync; /* the sync staging on this connection, or NULL */
    char path[PATH_MAX];   /* the database file, for messages */
};

/* SQL: a 'running' sync run whose process is gone (killed), and the error it gets. */
#define IDC_INV_DEAD_RUN       "(result = 'running' AND idc_pid_gone(pid))"
#define IDC_INV_DEAD_RUN_ERROR "'interrupted: process ' || pid || ' ended without finishing'"

/*
 * Translates a failed SQLite call: SQLITE_BUSY/SQLITE_LOCKED become IDC_ERR_BUSY, anything
 * else IDC_ERR_IO naming what was being done (`fmt`, "add integration prod") with
 * sqlite3_errmsg. `native` gets the extended result code. Never format a secret into `fmt`.
 */
idc_err idc_inv_fail(struct idc_inventory *inv, int rc, struct idc_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Runs constant SQL (BEGIN, COMMIT, DDL); never SQL built from values. */
idc_err idc_inv_exec(struct idc_inventory *inv, const char *sql, const char *doing,
                     struct idc_error *err);

/* Prepares constant SQL; `doing` names the operation in the message. */
idc_err idc_inv_prepare(struct idc_inventory *inv, const char *sql, sqlite3_stmt **st,
                        const char *doing, struct idc_error *err);

/*
 * Steps a write statement to its end and finalizes it (also on failure). `bind_rc` is the
 * binder's result: a failed bind fails here without stepping.
 */
idc_err idc_inv_finish(struct idc_inventory *inv, sqlite3_stmt *st, int bind_rc,
                       struct idc_error *err, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Commits the open staging batch, if any, so the next statement starts its own transaction. */
idc_err idc_inv_settle(struct idc_inventory *inv, struct idc_error *err);

/* The body of a write transaction; returns IDC_OK to commit. */
typedef idc_err idc_inv_txn_fn(void *ctx, struct idc_error *err);

/* BEGIN IMMEDIATE, `fn`, COMMIT; ROLLBACK when any of them fails. */
idc_err idc_inv_transaction(struct idc_inventory *inv, idc_inv_txn_fn *fn, void *ctx,
                            const char *doing, struct idc_error *err);

/* IDC_ERR_NOT_FOUND unless the integration `label` exists. */
idc_err idc_inv_require_integration(struct idc_inventory *inv, const char *label,
                                    struct idc_error *err);

/* At close: records an unfinished sync as failed and detaches it from the connection. */
void idc_inv_sync_detach(struct idc_inventory *inv);

/* ROLLBACK when a transaction is open; its own failure is not reported (the first one is). */
void idc_inv_rollback(struct idc_inventory *inv);

/* NULL for NULL, else the column's text. */
static inline const char *idc_inv_column_text(sqlite3_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st, col);
}

/* "" for NULL: for fields whose contract promises a string. */
static inline const char *idc_inv_column_str(sqlite3_stmt *st, int col)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    return s ? s : "";
}

/* Binds with a sticky result: the first failure is kept, later binds are skipped. */
struct idc_inv_binder {
    sqlite3_stmt *st;
    int rc;
};

/* Binds NULL for a NULL `s`. The text must outlive the statement's step. */
static inline void idc_inv_bind_text(struct idc_inv_binder *b, int i, const char *s)
{
    if (b->rc == SQLITE_OK) {
        b->rc = s ? sqlite3_bind_text(b->st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(b->st, i);
    }
}

static inline void idc_inv_bind_int(struct idc_inv_binder *b, int i, int64_t v)
{
    if (b->rc == SQLITE_OK) {
        b->rc = sqlite3_bind_int64(b->st, i, v);
    }
}

int64_t idc_inv_now(void);

#endif
