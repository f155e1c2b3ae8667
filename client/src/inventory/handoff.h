/* SPDX-License-Identifier: Apache-2.0 */
/*
 * handoff.h - batches of users passed from a listing thread to a staging thread
 * (handoff.c), so the network and SQLite work of one sync overlap. Two slots: the
 * lister fills one while the stager drains the other, so memory stays at two batches.
 */
#ifndef IDC_HANDOFF_H
#define IDC_HANDOFF_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "idc/directory.h"

#define IDC_HANDOFF_BATCH 100 /* users per batch: one Identity Store page */

/* One batch: the rows, and the bytes their strings point into. */
struct idc_user_batch {
    struct idc_user rows[IDC_HANDOFF_BATCH];
    size_t count;
    char *bytes;
    size_t used, cap;
    size_t offsets[IDC_HANDOFF_BATCH][6]; /* string offsets + 1 (0: NULL) while filling */
};

struct idc_handoff {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    struct idc_user_batch slot[2];
    bool full[2];
    int filling;  /* the lister's slot */
    int draining; /* the stager's next slot */
    bool closed;  /* the lister is done: no more batches */
    bool aborted; /* the stager failed: the lister should stop */
    bool no_memory;
};

void idc_handoff_init(struct idc_handoff *h);
void idc_handoff_free(struct idc_handoff *h);

/* Lister: copies `u` into the filling batch, handing it over when full. Nonzero: stop. */
int idc_handoff_put(struct idc_handoff *h, const struct idc_user *u);

/* Lister: hands over the last, partial batch and says no more will come. */
void idc_handoff_close(struct idc_handoff *h);

/* Stager: the next full batch, waiting for it; NULL once the lister closed and all is taken. */
const struct idc_user_batch *idc_handoff_take(struct idc_handoff *h);

/* Stager: the batch from idc_handoff_take is staged; its slot can be filled again. */
void idc_handoff_release(struct idc_handoff *h);

/* Stager: staging failed; the lister's next put returns nonzero. */
void idc_handoff_abort(struct idc_handoff *h);

#endif
