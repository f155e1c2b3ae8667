/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sync.c - one integration's sync (inventory.h): a listing thread walks the directory
 * (network, JSON) and hands batches of users over (handoff.h) to the calling thread, which
 * stages them (SQLite), so the two kinds of work overlap; then one short commit. Any
 * failure records the run as failed and leaves the inventory as it was.
 */
#include "idc/inventory.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "handoff.h"

struct stager {
    struct idc_directory *dir;
    const struct idc_sync_options *opts;
    struct idc_handoff handoff;
    int64_t staged;
    idc_err listed;       /* the lister's result */
    struct idc_error err; /* the lister's error */
};

static int hand_over(const struct idc_user *u, void *ud)
{
    struct stager *s = ud;
    return idc_handoff_put(&s->handoff, u);
}

static void *list_users(void *arg)
{
    struct stager *s = arg;
    s->listed = idc_directory_list_users(s->dir, hand_over, s, &s->err);
    idc_handoff_close(&s->handoff);
    return NULL;
}

/* Stages what the lister hands over until it is done; the first failure stops both. */
static idc_err stage_all(struct stager *s, struct idc_sync *sync, struct idc_error *err)
{
    const struct idc_user_batch *b;
    idc_err rc = IDC_OK;
    while (rc == IDC_OK && (b = idc_handoff_take(&s->handoff)) != NULL) {
        for (size_t i = 0; rc == IDC_OK && i < b->count; i++) {
            rc = idc_sync_stage(sync, &b->rows[i], err);
        }
        s->staged += (int64_t)b->count;
        idc_handoff_release(&s->handoff);
        if (rc == IDC_OK && s->opts->on_progress != NULL) {
            s->opts->on_progress(s->staged, s->opts->progress_ud);
        }
    }
    if (rc != IDC_OK) {
        idc_handoff_abort(&s->handoff);
    }
    return rc;
}

/* Lists into `sync` with the lister on its own thread; the first error in `err`. */
static idc_err list_into(struct stager *s, struct idc_sync *sync, const char *label,
                         struct idc_error *err)
{
    pthread_t lister;
    idc_handoff_init(&s->handoff);
    int started = pthread_create(&lister, NULL, list_users, s);
    if (started != 0) {
        idc_handoff_free(&s->handoff);
        return idc_error_set_native(err, IDC_ERR_IO, started,
                                    "cannot start the listing thread of %s: %s; sync fewer "
                                    "integrations at once",
                                    label, strerror(started));
    }
    idc_err staged = stage_all(s, sync, err);
    pthread_join(lister, NULL);
    bool no_memory = s->handoff.no_memory;
    idc_handoff_free(&s->handoff);
    if (staged != IDC_OK) {
        return staged;
    }
    if (no_memory) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory while listing the users of %s",
                             label);
    }
    if (s->listed != IDC_OK && err != NULL) {
        *err = s->err;
    }
    return s->listed;
}

idc_err idc_sync_directory(struct idc_inventory *inv, const char *label, struct idc_directory *dir,
                           const struct idc_sync_options *opts, struct idc_sync_result *out,
                           struct idc_error *err)
{
    static const struct idc_sync_options none;
    struct idc_error local = {0};
    struct idc_error *e = err ? err : &local;
    struct stager s = {.dir = dir, .opts = opts ? opts : &none};
    struct idc_sync *sync = NULL;
    struct idc_sync_result result = {0};
    if (inv == NULL || label == NULL || dir == NULL) {
        return idc_error_set(e, IDC_ERR_ARG,
                             "idc_sync_directory needs an inventory, a label and "
                             "a directory");
    }
    idc_err rc = idc_sync_begin(inv, label, &sync, e);
    rc = rc ? rc : list_into(&s, sync, label, e);
    if (rc == IDC_OK) {
        rc = idc_sync_commit(sync, s.opts->on_change, s.opts->change_ud, &result, e);
    } else if (sync != NULL) {
        idc_sync_fail(sync, e->msg);
    }
    idc_sync_free(sync);
    if (out != NULL) {
        *out = result;
    }
    return rc;
}
