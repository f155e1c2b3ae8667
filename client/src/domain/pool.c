/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pool.c - owned string copies freed together (domain_int.h): how a user info and a plan
 * keep the text they hand out as `const char *`.
 */
#include <stdlib.h>
#include <string.h>

#include "domain_int.h"

const char *idc_pool_keep(struct idc_pool *p, const char *s, size_t len)
{
    if (s == NULL) {
        return NULL;
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 16;
        char **grown = realloc(p->v, cap * sizeof *grown);
        if (grown == NULL) {
            p->failed = true;
            return NULL;
        }
        p->v = grown;
        p->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (copy == NULL) {
        p->failed = true;
        return NULL;
    }
    memcpy(copy, s, len);
    copy[len] = '\0';
    p->v[p->n++] = copy;
    return copy;
}

const char *idc_pool_str(struct idc_pool *p, const char *s)
{
    return idc_pool_keep(p, s, s ? strlen(s) : 0);
}

void idc_pool_free(struct idc_pool *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i]);
    }
    free(p->v);
    *p = (struct idc_pool){0};
}
