/* SPDX-License-Identifier: Apache-2.0 */
/*
 * map.h - a string-keyed hash map for mockaws's indexes (user id, user name, ...), and the
 * one FNV-1a every mockaws hash is built on. Keys are borrowed: they must live as long as
 * their entry (they point into the indexed object).
 */
#ifndef MOCK_MAP_H
#define MOCK_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MOCK_FNV1A_BASIS 0xcbf29ce484222325ULL /* the 64-bit offset basis */

/* Continues a 64-bit FNV-1a hash `h` over `n` bytes; start from MOCK_FNV1A_BASIS. */
static inline uint64_t mock_fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 0x100000001b3ULL;
    }
    return h;
}

struct mock_map {
    struct mock_map_slot {
        const char *key; /* NULL: empty */
        size_t hash;
        void *value;
    } * slots;
    size_t cap; /* a power of two, or 0 */
    size_t count;
};

/* Adds or replaces; false when memory runs out (the map is unchanged). */
bool mock_map_put(struct mock_map *m, const char *key, void *value);
void *mock_map_get(const struct mock_map *m, const char *key);
void mock_map_remove(struct mock_map *m, const char *key);
void mock_map_free(struct mock_map *m);

#endif
