/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pager.c - the listing guard of pager.h: the hashes of the tokens seen so far in an open
 * addressing set kept at most half full, grown by doubling.
 */
#include "pager.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

void idc_pager_init(struct idc_pager *p, const char *token_name)
{
    *p = (struct idc_pager){.token_name = token_name};
    if (getrandom(&p->key, sizeof p->key, GRND_NONBLOCK) != (ssize_t)sizeof p->key) {
        p->key = (uint64_t)(uintptr_t)p ^ 0x9e3779b97f4a7c15u;
    }
}

void idc_pager_free(struct idc_pager *p)
{
    free(p->seen);
    p->seen = NULL;
    p->count = p->cap = 0;
}

/* FNV-1a over the key and the token, then a final mix; never 0 (the free mark). */
static uint64_t token_hash(uint64_t key, const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325u ^ key;
    for (size_t i = 0; i < len; i++) {
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    return h ? h : 1;
}

/* Inserts `h`; false when it was there already. */
static bool insert(uint64_t *slots, size_t cap, uint64_t h)
{
    for (size_t i = (size_t)h & (cap - 1);; i = (i + 1) & (cap - 1)) {
        if (slots[i] == h) {
            return false;
        }
        if (slots[i] == 0) {
            slots[i] = h;
            return true;
        }
    }
}

static bool grow(struct idc_pager *p)
{
    size_t cap = p->cap ? p->cap * 2 : 64;
    uint64_t *slots = calloc(cap, sizeof *slots);
    if (slots == NULL) {
        return false;
    }
    for (size_t i = 0; i < p->cap; i++) {
        if (p->seen[i] != 0) {
            insert(slots, cap, p->seen[i]);
        }
    }
    free(p->seen);
    p->seen = slots;
    p->cap = cap;
    return true;
}

idc_err idc_pager_next(struct idc_pager *p, const char *token, size_t len, size_t items,
                       struct idc_error *err)
{
    p->pages++;
    p->empty_in_a_row = items ? 0 : p->empty_in_a_row + 1;
    if (len == 0) {
        return IDC_OK; /* the last page */
    }
    if (len > IDC_PAGE_TOKEN_MAX) {
        return idc_error_set(err, IDC_ERR_PARSE,
                             "the %s is %zu bytes long, over the %d the API allows; stopping the "
                             "listing",
                             p->token_name, len, IDC_PAGE_TOKEN_MAX);
    }
    if (p->pages >= IDC_PAGES_MAX) {
        return idc_error_set(err, IDC_ERR_LIMIT,
                             "the server still sent a %s after %d pages, the limit of one listing; "
                             "stopping there",
                             p->token_name, IDC_PAGES_MAX);
    }
    if (p->empty_in_a_row >= IDC_EMPTY_PAGES_MAX) {
        return idc_error_set(err, IDC_ERR_LIMIT,
                             "the server sent %d empty pages in a row, each with a %s; stopping "
                             "the listing instead of looping",
                             IDC_EMPTY_PAGES_MAX, p->token_name);
    }
    if ((p->count + 1) * 2 > p->cap && !grow(p)) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory remembering %u %ss", p->pages,
                             p->token_name);
    }
    if (!insert(p->seen, p->cap, token_hash(p->key, token, len))) {
        return idc_error_set(err, IDC_ERR_PARSE,
                             "the server sent a %s it had sent on an earlier page of this "
                             "listing; stopping instead of looping",
                             p->token_name);
    }
    p->count++;
    return IDC_OK;
}
