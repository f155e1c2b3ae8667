/* SPDX-License-Identifier: Apache-2.0 */
/*
 * map.c - open addressing with linear probing; removal shifts the following entries back,
 * so there are no tombstones and lookups stay short after many deletions.
 */
#include "map.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t hash_key(const char *s)
{
    uint64_t h = mock_fnv1a(MOCK_FNV1A_BASIS, s, strlen(s));
    return (size_t)(h ^ (h >> 32));
}

static size_t find(const struct mock_map *m, const char *key, size_t h)
{
    size_t i = h & (m->cap - 1);
    while (m->slots[i].key != NULL && (m->slots[i].hash != h || strcmp(m->slots[i].key, key))) {
        i = (i + 1) & (m->cap - 1);
    }
    return i;
}

static bool grow(struct mock_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    struct mock_map_slot *slots = calloc(cap, sizeof *slots);
    if (slots == NULL) {
        return false;
    }
    struct mock_map old = *m;
    m->slots = slots;
    m->cap = cap;
    for (size_t i = 0; i < old.cap; i++) {
        if (old.slots[i].key != NULL) {
            m->slots[find(m, old.slots[i].key, old.slots[i].hash)] = old.slots[i];
        }
    }
    free(old.slots);
    return true;
}

bool mock_map_put(struct mock_map *m, const char *key, void *value)
{
    if ((m->count + 1) * 4 > m->cap * 3 && !grow(m)) {
        return false;
    }
    size_t h = hash_key(key);
    size_t i = find(m, key, h);
    if (m->slots[i].key == NULL) {
        m->count++;
    }
    m->slots[i] = (struct mock_map_slot){key, h, value};
    return true;
}

void *mock_map_get(const struct mock_map *m, const char *key)
{
    if (m->cap == 0) {
        return NULL;
    }
    size_t i = find(m, key, hash_key(key));
    return m->slots[i].key ? m->slots[i].value : NULL;
}

void mock_map_remove(struct mock_map *m, const char *key)
{
    if (m->cap == 0) {
        return;
    }
    size_t mask = m->cap - 1;
    size_t i = find(m, key, hash_key(key));
    if (m->slots[i].key == NULL) {
        return;
    }
    /* Backward-shift deletion: move back each later entry that may fill the hole. */
    size_t j = i;
    for (;;) {
        m->slots[i].key = NULL;
        for (;;) {
            j = (j + 1) & mask;
            if (m->slots[j].key == NULL) {
                m->count--;
                return;
            }
            size_t home = m->slots[j].hash & mask;
            bool movable = i <= j ? (home <= i || home > j) : (home <= i && home > j);
            if (movable) {
                break;
            }
        }
        m->slots[i] = m->slots[j];
        i = j;
    }
}

void mock_map_free(struct mock_map *m)
{
    free(m->slots);
    *m = (struct mock_map){0};
}
