/* SPDX-License-Identifier: Apache-2.0 */
/*
 * handoff.c - the two-slot handoff of user batches between a sync's listing thread and
 * its staging thread (handoff.h). A slot belongs to one side at a time: the lister
 * copies into its slot without a lock, and the mutex only guards the handover.
 */
#include "handoff.h"

#include <stdlib.h>
#include <string.h>

void idc_handoff_init(struct idc_handoff *h)
{
    memset(h, 0, sizeof *h);
    pthread_mutex_init(&h->lock, NULL);
    pthread_cond_init(&h->changed, NULL);
}

void idc_handoff_free(struct idc_handoff *h)
{
    for (int i = 0; i < 2; i++) {
        free(h->slot[i].bytes);
    }
    pthread_cond_destroy(&h->changed);
    pthread_mutex_destroy(&h->lock);
}

/* Copies `s` (`len` bytes) into the batch; returns its offset + 1, 0 for NULL, -1: no memory. */
static long keep(struct idc_user_batch *b, const char *s, size_t len)
{
    if (s == NULL) {
        return 0;
    }
    if (b->used + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64 * 1024;
        while (cap < b->used + len + 1) {
            cap *= 2;
        }
        char *grown = realloc(b->bytes, cap);
        if (grown == NULL) {
            return -1;
        }
        b->bytes = grown;
        b->cap = cap;
    }
    memcpy(b->bytes + b->used, s, len);
    b->bytes[b->used + len] = '\0';
    b->used += len + 1;
    return (long)(b->used - len - 1) + 1;
}

/* Turns the offsets into pointers, now that the bytes no longer move. */
static void seal(struct idc_user_batch *b)
{
    for (size_t i = 0; i < b->count; i++) {
        const char **fields[] = {&b->rows[i].user_id,      &b->rows[i].user_name,
                                 &b->rows[i].display_name, &b->rows[i].email,
                                 &b->rows[i].status,       &b->rows[i].json};
        for (size_t f = 0; f < 6; f++) {
            size_t off = b->offsets[i][f];
            *fields[f] = off ? b->bytes + off - 1 : NULL;
        }
    }
}

int idc_handoff_put(struct idc_handoff *h, const struct idc_user *u)
{
    struct idc_user_batch *b = &h->slot[h->filling];
    if (__atomic_load_n(&h->aborted, __ATOMIC_RELAXED)) {
        return 1;
    }
    const char *strings[] = {u->user_id, u->user_name, u->display_name,
                             u->email,   u->status,    u->json};
    for (size_t f = 0; f < 6; f++) {
        size_t len = f == 5 ? u->json_len : strings[f] ? strlen(strings[f]) : 0;
        long off = keep(b, strings[f], len);
        if (off < 0) {
            h->no_memory = true;
            idc_handoff_abort(h);
            return 1;
        }
        b->offsets[b->count][f] = (size_t)off;
    }
    b->rows[b->count] = *u;
    b->count++;
    if (b->count < IDC_HANDOFF_BATCH) {
        return 0;
    }
    seal(b);
    pthread_mutex_lock(&h->lock);
    h->full[h->filling] = true;
    h->filling ^= 1;
    pthread_cond_broadcast(&h->changed);
    while (h->full[h->filling] && !h->aborted) {
        pthread_cond_wait(&h->changed, &h->lock);
    }
    bool stop = h->aborted;
    pthread_mutex_unlock(&h->lock);
    h->slot[h->filling].count = 0;
    h->slot[h->filling].used = 0;
    return stop;
}

void idc_handoff_close(struct idc_handoff *h)
{
    struct idc_user_batch *b = &h->slot[h->filling];
    seal(b);
    pthread_mutex_lock(&h->lock);
    h->full[h->filling] = b->count > 0;
    h->closed = true;
    pthread_cond_broadcast(&h->changed);
    pthread_mutex_unlock(&h->lock);
}

const struct idc_user_batch *idc_handoff_take(struct idc_handoff *h)
{
    pthread_mutex_lock(&h->lock);
    while (!h->full[h->draining] && !h->closed) {
        pthread_cond_wait(&h->changed, &h->lock);
    }
    const struct idc_user_batch *b = h->full[h->draining] ? &h->slot[h->draining] : NULL;
    pthread_mutex_unlock(&h->lock);
    return b;
}

void idc_handoff_release(struct idc_handoff *h)
{
    pthread_mutex_lock(&h->lock);
    h->full[h->draining] = false;
    h->draining ^= 1;
    pthread_cond_broadcast(&h->changed);
    pthread_mutex_unlock(&h->lock);
}

void idc_handoff_abort(struct idc_handoff *h)
{
    pthread_mutex_lock(&h->lock);
    __atomic_store_n(&h->aborted, true, __ATOMIC_RELAXED);
    pthread_cond_broadcast(&h->changed);
    pthread_mutex_unlock(&h->lock);
}
