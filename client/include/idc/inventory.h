/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inventory.h - idcctl's local state in SQLite: integrations (with their keys), the users
 * of each as last synchronised, sync runs and the audit trail. The folder is 0700 and the
 * database 0600; WAL, a busy timeout, a versioned schema with migrations. A sync stages
 * users on its own connection in a TEMP table while it talks to AWS and writes the main
 * tables only in one short BEGIN IMMEDIATE at the end: no write transaction is ever open
 * during network I/O, and a failed or killed sync leaves the previous inventory intact.
 * One `struct idc_inventory` (one SQLite connection) per thread.
 */
#ifndef IDC_INVENTORY_H
#define IDC_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "idc/error.h"

#define IDC_INVENTORY_FILE "inventory.db"

struct idc_inventory;

/*
 * Opens (creating when needed) `home`/inventory.db: the folder is created with mode 0700
 * (parents as needed), the database file gets mode 0600, journal_mode=WAL,
 * busy_timeout=`busy_ms` (0: 5000), and the schema is migrated to the current version.
 * Returns IDC_ERR_IO (naming the path and the reason), IDC_ERR_BUSY (another idcctl holds
 * the database longer than the timeout), IDC_ERR_PARSE (a database from a newer idcctl).
 */
idc_err idc_inventory_open(struct idc_inventory **out, const char *home, int busy_ms,
                           struct idc_error *err);
void idc_inventory_close(struct idc_inventory *inv); /* NULL is fine */

/*
 * The folder idcctl uses: $IDC_HOME, else ${XDG_STATE_HOME:-$HOME/.local/state}/idcctl (a
 * relative XDG_STATE_HOME is ignored, as the XDG spec says). IDC_ERR_ARG when neither
 * IDC_HOME nor HOME is set, IDC_ERR_SPACE when the path does not fit `cap`.
 */
idc_err idc_inventory_default_home(char *out, size_t cap, struct idc_error *err);

/* ---- integrations ------------------------------------------------------------------- */

enum idc_integration_kind {
    IDC_KIND_IDENTITY_CENTER, /* an Identity Store: region + store id */
    IDC_KIND_IAM,             /* the account's IAM users */
};

/* A complete, explicit connection: later syncs never depend on the environment. */
struct idc_integration {
    char label[65];
    enum idc_integration_kind kind;
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
/* IDC_ERR_NOT_FOUND ("no integration labelled X; see idcctl integration list"). */
idc_err idc_inventory_get_integration(struct idc_inventory *inv, const char *label,
                                      struct idc_integration *out, struct idc_error *err);

typedef int idc_integration_fn(void *ud, const struct idc_integration *in); /* nonzero stops */
/* In label order. */
idc_err idc_inventory_list_integrations(struct idc_inventory *inv, idc_integration_fn *fn, void *ud,
                                        struct idc_error *err);

/* Wipes the secrets of an integration struct. */
void idc_integration_wipe(struct idc_integration *in);

/* ---- users -------------------------------------------------------------------------- */

/* A user as a sync stages it. IAM users carry the derived status and its two facts. */
struct idc_inv_user {
    const char *user_id;
    const char *user_name;
    const char *display_name; /* may be NULL */
    const char *email;        /* may be NULL */
    const char *status;       /* "ENABLED", "DISABLED" or NULL (older stores) */
    bool external;            /* has ExternalIds (Identity Center) */
    const char *json;         /* the user as the API returned it (kept verbatim) */
    size_t json_len;
    int console_access; /* IAM: 1 has a password, 0 none; -1 for Identity Center */
    int active_keys;    /* IAM: number of active access keys; -1 for Identity Center */
};

/* A user as the inventory holds it; strings owned by the row passed to the callback. */
struct idc_inv_user_row {
    const char *integration;
    enum idc_integration_kind kind;
    struct idc_inv_user user;
    int64_t first_seen_at; /* when a sync first saw it */
    int64_t last_seen_at;  /* the integration's last successful sync */
};

struct idc_user_filter {
    const char *integration; /* NULL: all */
    const char *status; /* "ENABLED"/"DISABLED", NULL: all; a user without status never matches */
    const char *search; /* case-insensitive substring of name, display name, e-mail, id */
};

typedef int idc_inv_user_fn(void *ud, const struct idc_inv_user_row *row);

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
idc_err idc_sync_stage(struct idc_sync *s, const struct idc_inv_user *u, struct idc_error *err);

struct idc_status_change {
    const char *user_id;
    const char *user_name;
    const char *from; /* NULL when the user had no status */
    const char *to;   /* never NULL: a change to "no status" updates the row unreported */
};

typedef void idc_status_change_fn(void *ud, const struct idc_status_change *change);

struct idc_sync_result {
    int64_t users, added, removed, changed, status_changes;
    int64_t run_id;
};

/*
 * Applies the staged listing in one BEGIN IMMEDIATE: inserts added users (first seen now),
 * deletes removed ones, updates changed ones (an unchanged user costs no write), records
 * the run as ok and the integration's last sync. Status changes are reported through `fn`.
 * Returns IDC_ERR_BUSY when another idcctl kept the database locked past the timeout (the
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

struct idc_sync_run {
    int64_t id;
    const char *integration;
    int64_t started_at, finished_at; /* finished 0 while running */
    const char *result;              /* "running", "ok", "failed" */
    int64_t users, added, removed, changed;
    const char *error; /* "" unless failed */
};

typedef int idc_sync_run_fn(void *ud, const struct idc_sync_run *run);

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

typedef int idc_audit_fn(void *ud, const struct idc_audit_entry *e, int64_t id);

/* Newest first; `integration` NULL for all; at most `limit` (0: 100). */
idc_err idc_inventory_list_audit(struct idc_inventory *inv, const char *integration, unsigned limit,
                                 idc_audit_fn *fn, void *ud, struct idc_error *err);

#endif
