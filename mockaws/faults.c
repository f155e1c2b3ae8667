/* SPDX-License-Identifier: Apache-2.0 */
/*
 * faults.c - reproducible fault injection. A request's fault depends only on the seed, the
 * request's identity (service, operation and parameters, never its date or signature) and
 * how many times that identity was seen before: the same run gives the same faults
 * whatever the thread timing, and a retry of a failed request draws again.
 */
#include "mock.h"

#include <stdlib.h>
#include <string.h>

static const char *const fault_names[MOCK_FAULT__COUNT] = {
    [MOCK_FAULT_NONE] = "none",   [MOCK_FAULT_THROTTLE] = "throttle", [MOCK_FAULT_ERROR] = "error",
    [MOCK_FAULT_RESET] = "reset", [MOCK_FAULT_TRUNCATE] = "truncate", [MOCK_FAULT_SLOW] = "slow",
};

const char *mock_fault_name(enum mock_fault f)
{
    return (unsigned)f < MOCK_FAULT__COUNT ? fault_names[f] : "?";
}

static idc_err parse_one(const char *item, size_t len, struct mock_fault_spec *out,
                         struct idc_error *err)
{
    const char *eq = memchr(item, '=', len);
    for (int k = MOCK_FAULT_THROTTLE; eq != NULL && k < MOCK_FAULT__COUNT; k++) {
        size_t n = strlen(fault_names[k]);
        if ((size_t)(eq - item) != n || memcmp(item, fault_names[k], n) != 0) {
            continue;
        }
        char num[32];
        size_t vlen = len - n - 1;
        char *end;
        if (vlen == 0 || vlen >= sizeof num) {
            break;
        }
        memcpy(num, eq + 1, vlen);
        num[vlen] = '\0';
        double p = strtod(num, &end);
        if (*end != '\0' || !(p >= 0.0 && p <= 1.0)) {
            break;
        }
        out->p[k] = p;
        return IDC_OK;
    }
    return idc_error_set(err, IDC_ERR_ARG,
                         "--faults: '%.*s' is not KIND=PROBABILITY with KIND one of throttle, "
                         "error, reset, truncate, slow and a probability in 0..1",
                         (int)len, item);
}

idc_err mock_fault_spec_parse(const char *text, struct mock_fault_spec *out, struct idc_error *err)
{
    *out = (struct mock_fault_spec){0};
    const char *p = text;
    while (*p) {
        size_t len = strcspn(p, ",");
        if (len > 0) {
            idc_err rc = parse_one(p, len, out, err);
            if (rc) {
                return rc;
            }
        }
        p += len + (p[len] == ',');
    }
    for (int k = MOCK_FAULT_THROTTLE; k < MOCK_FAULT__COUNT; k++) {
        out->total += out->p[k];
    }
    if (out->total > 1.0 + 1e-9) {
        return idc_error_set(err, IDC_ERR_ARG,
                             "--faults: the probabilities add up to %.3f, more than 1", out->total);
    }
    return IDC_OK;
}

/* ---- counters ----------------------------------------------------------------------- */

struct mock_faults {
    pthread_mutex_t lock;
    uint64_t *keys; /* 0 marks an empty slot (a key of 0 is stored as 1) */
    uint32_t *seen;
    size_t cap;
    size_t used;
};

struct mock_faults *mock_faults_new(void)
{
    struct mock_faults *f = calloc(1, sizeof *f);
    if (f == NULL) {
        return NULL;
    }
    pthread_mutex_init(&f->lock, NULL);
    return f;
}

void mock_faults_free(struct mock_faults *f)
{
    if (f == NULL) {
        return;
    }
    pthread_mutex_destroy(&f->lock);
    free(f->keys);
    free(f->seen);
    free(f);
}

/* splitmix64: a good 64-bit mixer. */
static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static bool grow(struct mock_faults *f)
{
    size_t cap = f->cap ? f->cap * 2 : 1024;
    uint64_t *keys = calloc(cap, sizeof *keys);
    uint32_t *seen = calloc(cap, sizeof *seen);
    if (keys == NULL || seen == NULL) {
        free(keys);
        free(seen);
        return false;
    }
    for (size_t i = 0; i < f->cap; i++) {
        if (f->keys[i] != 0) {
            size_t j = f->keys[i] & (cap - 1);
            while (keys[j] != 0) {
                j = (j + 1) & (cap - 1);
            }
            keys[j] = f->keys[i];
            seen[j] = f->seen[i];
        }
    }
    free(f->keys);
    free(f->seen);
    f->keys = keys;
    f->seen = seen;
    f->cap = cap;
    return true;
}

/* How many times `key` was seen before this call; counts this one. */
static uint32_t count_seen(struct mock_faults *f, uint64_t key)
{
    key = key ? key : 1;
    pthread_mutex_lock(&f->lock);
    if ((f->used + 1) * 2 > f->cap && !grow(f)) {
        pthread_mutex_unlock(&f->lock);
        return 0;
    }
    size_t j = key & (f->cap - 1);
    while (f->keys[j] != 0 && f->keys[j] != key) {
        j = (j + 1) & (f->cap - 1);
    }
    if (f->keys[j] == 0) {
        f->keys[j] = key;
        f->used++;
    }
    uint32_t before = f->seen[j]++;
    pthread_mutex_unlock(&f->lock);
    return before;
}

enum mock_fault mock_faults_draw(struct mock_faults *f, const struct mock_fault_spec *spec,
                                 uint64_t seed, uint64_t identity)
{
    if (spec->total <= 0) {
        return MOCK_FAULT_NONE;
    }
    uint64_t key = mix(identity); /* FNV-1a alone leaves the low bits poorly spread */
    uint32_t seen = count_seen(f, key);
    uint64_t r = mix(mix(seed ^ key) + seen);
    double u = (double)(r >> 11) / 9007199254740992.0; /* uniform in [0, 1) */
    double edge = 0;
    for (int k = MOCK_FAULT_THROTTLE; k < MOCK_FAULT__COUNT; k++) {
        edge += spec->p[k];
        if (u < edge) {
            return (enum mock_fault)k;
        }
    }
    return MOCK_FAULT_NONE;
}
