/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inventory.h - a local inventory in SQLite (built with IDC_WITH_INVENTORY, the default):
 * integrations (with their keys), the users of each as last synchronised, sync runs and
 * the audit trail, in a folder the caller chooses. The folder is 0700 and the database
 * 0600; WAL, a busy timeout, a versioned schema with migrations. A sync lists users on one
 * thread while another stages them on its own connection in a TEMP table, and writes the
 * main tables only in one short BEGIN IMMEDIATE at the end: no write transaction is ever
 * open during network I/O, and a failed or killed sync leaves the previous inventory
 * intact. One `struct idc_inventory` (one SQLite connection) per thread.
 */
#ifndef IDC_INVENTORY_H
#define IDC_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "idc/api.h"
#include "idc/client.h"
#include "idc/directory.h"
#include "idc/error.h"

IDC_BEGIN_DECLS

#define IDC_INVENTORY_FILE "inventory.db"

struct idc_inventory;

/*
 * Opens (creating when needed) `home`/inventory.db: the folder is created with mode 0700
 * (parents as needed), the database file gets mode 0600, journal_mode=WAL,
 * busy_timeout=`busy_ms` (0: 5000), and the schema is migrated to the current version.
 *   home  in  the folder, the caller's choice (an application's state folder, such as
 *             ${XDG_STATE_HOME:-~/.local/state}/<application>)
 * Returns IDC_ERR_IO (naming the path and the reason), IDC_ERR_BUSY (another process holds
 * the database longer than the timeout), IDC_ERR_PARSE (a database from a newer libidc).
 */
idc_err idc_inventory_open(struct idc_inventory **out, const char *home, int busy_ms,
                           struct idc_error *err);
void idc_inventory_close(struct idc_inventory *inv); /* NULL is fine */

/* ---- integrations ------------------------------------------------------------------- */

/* A complete, explicit connection: later syncs never depend on the environment. */
struct idc_integration {
    char label[65];
    enum idc_kind kind;
    char region[64];
    char store_id[40]; /* "" for IAM */
    char endpoint_url[513];
    char profile[129];       /* when set, the keys come from this profile at each use */
    char access_key_id[129]; /* "" with a profile */
    char secret_access_key[129];
    char session_token[4097]; /* "" for long-term keys */
    int64_t created_at;       /* epoch seconds */
    int64_t updated_at;
    int64_t last_sync_at; /* the last successful sync, 0 when never */
    char last_result[16]; /* "ok", "failed" or "" */
    char last_error[384]; /* the last failure's cause, "" */
    int64_t user_count;   /* users in the inventory for it */
};

/* Adds; IDC_ERR_ARG when the label exists. The secret is stored in the 0600 database. */
idc_err idc_inventory_add_integration(struct idc_inventory *inv, const struct idc_integration *in,
                                      struct idc_error *err);
/*
 * Replaces the connection settings (keys, endpoint, profile, region); the kind and the
 * store id are what the integration is, so they never change (remove and add instead).
 * IDC_ERR_NOT_FOUND.
 */
idc_err idc_inventory_update_integration(struct idc_inventory *inv,
                                         const struct idc_integration *in, struct idc_error *err);
/* Removes it with its users and sync runs (the audit trail stays); IDC_ERR_NOT_FOUND. */
idc_err idc_inventory_remove_integration(struct idc_inventory *inv, const char *label,
                                         struct idc_error *err);
/* IDC_ERR_NOT_FOUND ("no integration labelled X"). */
idc_err idc_inventory_get_integration(struct idc_inventory *inv, const char *label,
                                      struct idc_integration *out, struct idc_error *err);

typedef int idc_integration_fn(const struct idc_integration *in, void *ud); /* nonzero stops */
/* In label order. */
idc_err idc_inventory_list_integrations(struct idc_inventory *inv, idc_integration_fn *fn, void *ud,
                                        struct idc_error *err);

/* Wipes the secrets of an integration struct. */
void idc_integration_wipe(struct idc_integration *in);

/*
 * Opens the directory of a saved integration: its kind, store, endpoint and region, and its
 * keys, or for an integration that names a profile, that profile's keys read now through
 * the resolver (resolve.h).
 *   base  in  transport, network, trace and retry settings (may be NULL); its service,
 *             endpoint, region and keys are ignored
 * Returns the errors of idc_resolve_credentials and idc_directory_open.
 */
idc_err idc_integration_open(const struct idc_integration *in, const struct idc_client_config *base,
                             struct idc_directory **out, struct idc_error *err);

/* ---- users -------------------------------------------------------------------------- */

/* A user as the inventory holds it; strings owned by the row passed to the callback. */
struct idc_inv_user_row {
    const char *integration;
    enum idc_kind kind;
    struct idc_user user;
    int64_t first_seen_at; /* when a sync first saw it */
    int64_t last_seen_at;  /* the integration's last successful sync */
};

struct idc_user_filter {
    const char *integration; /* NULL: all */
    const char *status; /* "ENABLED"/"DISABLED", NULL: all; a user without status never matches */
    const char *search; /* case-insensitive substring of name, display name, e-mail, id */
};

typedef int idc_inv_user_fn(const struct idc_inv_user_row *row, void *ud);

/* Ordered by integration label, then user name; IDC_ERR_NOT_FOUND for an unknown label. */
idc_err idc_inventory_list_users(struct idc_inventory *inv, const struct idc_user_filter *filter,
                                 idc_inv_user_fn *fn, void *ud, struct idc_error *err);

/* One user by id, or by user name when `by_name`; IDC_ERR_NOT_FOUND. */
idc_err idc_inventory_find_user(struct idc_inventory *inv, const char *integration, const char *key,
                                bool by_name, idc_inv_user_fn *fn, void *ud, struct idc_error *err);

/* After a delete: the user leaves the inventory (no-op when absent). */
idc_err idc_inventory_forget_user(struct idc_inventory *inv, const char *integration,
                                  const char *user_id, struct idc_error *err);

/* ---- sync --------------------------------------------------------------------------- */

struct idc_sync;

/*
 * Starts a sync of `integration`: records a sync run "running" (with this process id)
 * and creates the TEMP staging table. Runs left "running" by a process that no longer
 * exists (SIGKILL, power loss) are first recorded as failed ("interrupted").
 */
idc_err idc_sync_begin(struct idc_inventory *inv, const char *integration, struct idc_sync **out,
                       struct idc_error *err);

/*
 * Stages one user (the TEMP table only: no lock on the inventory). One sync stages at a time
 * per inventory handle (a second begin is IDC_ERR_ARG), and nothing is staged or committed
 * after a commit (IDC_ERR_ARG).
 */
idc_err idc_sync_stage(struct idc_sync *s, const struct idc_user *u, struct idc_error *err);

struct idc_status_change {
    const char *user_id;
    const char *user_name;
    const char *from; /* NULL when the user had no status */
    const char *to;   /* never NULL: a change to "no status" updates the row unreported */
};

typedef void idc_status_change_fn(const struct idc_status_change *change, void *ud);

struct idc_sync_result {
    int64_t users, added, removed, changed, status_changes;
    int64_t run_id;
};

/*
 * Applies the staged listing in one BEGIN IMMEDIATE: inserts added users (first seen now),
 * deletes removed ones, updates changed ones (an unchanged user costs no write), records
 * the run as ok and the integration's last sync. Status changes are reported through `fn`.
 * Returns IDC_ERR_BUSY when another process kept the database locked past the timeout (the
 * run is then recorded as failed and the inventory is unchanged).
 */
idc_err idc_sync_commit(struct idc_sync *s, idc_status_change_fn *fn, void *ud,
                        struct idc_sync_result *out, struct idc_error *err);

/* Records the run as failed with `cause`; the inventory is unchanged. */
void idc_sync_fail(struct idc_sync *s, const char *cause);

/*
 * Drops the staging table; a run neither committed nor failed is recorded as failed
 * ("abandoned"), which may wait up to the busy timeout. NULL is fine. Closing the
 * inventory with a sync still open does the same.
 */
void idc_sync_free(struct idc_sync *s);

/* Called from the staging thread after each batch: users staged so far. */
typedef void idc_sync_progress_fn(int64_t staged, void *ud);

struct idc_sync_options {
    idc_status_change_fn *on_change; /* each status change at commit (may be NULL) */
    void *change_ud;
    idc_sync_progress_fn *on_progress; /* may be NULL */
    void *progress_ud;
};

/*
 * Syncs one integration from its directory: begins a run, lists every user with its
 * status on a second thread while this one stages them (two batches of 100 in flight, so
 * memory stays bounded by them), and commits; on any failure the run is recorded as
 * failed with the cause and the inventory is as it was.
 *   inv    in   this thread's inventory connection
 *   label  in   the integration, as saved
 *   dir    in   its directory (idc_integration_open); used by the listing thread only
 *   opts   in   callbacks, or NULL
 *   out    out  the counts of the committed run
 * Returns the errors of the listing (IDC_ERR_AWS, transport errors...), of idc_sync_begin
 * and idc_sync_commit, IDC_ERR_NOMEM.
 */
idc_err idc_sync_directory(struct idc_inventory *inv, const char *label, struct idc_directory *dir,
                           const struct idc_sync_options *opts, struct idc_sync_result *out,
                           struct idc_error *err);

struct idc_sync_run {
    int64_t id;
    const char *integration;
    int64_t started_at, finished_at; /* finished 0 while running */
    const char *result;              /* "running", "ok", "failed" */
    int64_t users, added, removed, changed;
    const char *error; /* "" unless failed */
};

typedef int idc_sync_run_fn(const struct idc_sync_run *run, void *ud);

/* Newest first; `integration` NULL for all; at most `limit` (0: 50). */
idc_err idc_inventory_list_sync_runs(struct idc_inventory *inv, const char *integration,
                                     unsigned limit, idc_sync_run_fn *fn, void *ud,
                                     struct idc_error *err);

/* ---- audit -------------------------------------------------------------------------- */

struct idc_audit_entry {
    int64_t at;              /* 0: now */
    const char *integration; /* the label, or the store id of an ad-hoc connection */
    const char *user_id;
    const char *user_name;
    const char *action; /* "delete-user", "remove-membership", "delete-login-profile"... */
    const char *result; /* "ok", "already-gone", "failed", "dry-run" */
    const char *detail; /* free text, never a secret */
};

idc_err idc_inventory_audit(struct idc_inventory *inv, const struct idc_audit_entry *e,
                            struct idc_error *err);

typedef int idc_audit_fn(const struct idc_audit_entry *e, int64_t id, void *ud);

/* Newest first; `integration` NULL for all; at most `limit` (0: 100). */
idc_err idc_inventory_list_audit(struct idc_inventory *inv, const char *integration, unsigned limit,
                                 idc_audit_fn *fn, void *ud, struct idc_error *err);

IDC_END_DECLS

#endif
