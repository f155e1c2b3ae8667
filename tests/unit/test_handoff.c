/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_handoff.c - the batch handoff between a sync's listing and staging threads
 * (client/src/inventory/handoff.h), with real threads: every user arrives once, in order, with
 * its strings intact (NULLs stay NULL, JSON keeps its length); a stager that fails stops
 * the lister; an empty listing ends at once.
 */
#include "unit.h"

#include <pthread.h>
#include <stdlib.h>

#include "handoff.h"

struct producer {
    struct idc_handoff *h;
    int count;
    int put_refused_at; /* the index whose put returned nonzero, -1 */
};

static void *produce(void *arg)
{
    struct producer *p = arg;
    char id[32], name[32], json[64];
    p->put_refused_at = -1;
    for (int i = 0; i < p->count; i++) {
        snprintf(id, sizeof id, "id-%d", i);
        snprintf(name, sizeof name, "user.%d", i);
        int n = snprintf(json, sizeof json, "{\"UserId\":\"id-%d\"}", i);
        struct idc_user u = {
            .user_id = id,
            .user_name = name,
            .display_name = i % 2 ? NULL : "Display",
            .email = NULL,
            .status = i % 3 ? "ENABLED" : NULL,
            .external = i % 5 == 0,
            .json = json,
            .json_len = (size_t)n,
            .console_access = -1,
            .active_keys = i,
        };
        if (idc_handoff_put(p->h, &u) != 0) {
            p->put_refused_at = i;
            break;
        }
    }
    idc_handoff_close(p->h);
    return NULL;
}

static void test_handoff_every_user_in_order(void **state)
{
    (void)state;
    static struct idc_handoff h;
    idc_handoff_init(&h);
    struct producer p = {.h = &h, .count = 1050};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, produce, &p), 0);
    int seen = 0;
    const struct idc_user_batch *b;
    char expect[64];
    while ((b = idc_handoff_take(&h)) != NULL) {
        assert_true(b->count > 0 && b->count <= IDC_HANDOFF_BATCH);
        for (size_t i = 0; i < b->count; i++, seen++) {
            const struct idc_user *u = &b->rows[i];
            snprintf(expect, sizeof expect, "id-%d", seen);
            assert_string_equal(u->user_id, expect);
            snprintf(expect, sizeof expect, "user.%d", seen);
            assert_string_equal(u->user_name, expect);
            if (seen % 2) {
                assert_null(u->display_name);
            } else {
                assert_string_equal(u->display_name, "Display");
            }
            assert_null(u->email);
            if (seen % 3) {
                assert_string_equal(u->status, "ENABLED");
            } else {
                assert_null(u->status);
            }
            assert_int_equal(u->external, seen % 5 == 0);
            assert_int_equal(u->active_keys, seen);
            int n = snprintf(expect, sizeof expect, "{\"UserId\":\"id-%d\"}", seen);
            assert_int_equal(u->json_len, (size_t)n);
            assert_memory_equal(u->json, expect, (size_t)n);
        }
        idc_handoff_release(&h);
    }
    pthread_join(t, NULL);
    assert_int_equal(seen, 1050);
    assert_int_equal(p.put_refused_at, -1);
    idc_handoff_free(&h);
}

static void test_handoff_abort_stops_the_lister(void **state)
{
    (void)state;
    static struct idc_handoff h;
    idc_handoff_init(&h);
    struct producer p = {.h = &h, .count = 100000};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, produce, &p), 0);
    const struct idc_user_batch *b = idc_handoff_take(&h);
    assert_non_null(b);
    assert_int_equal(b->count, IDC_HANDOFF_BATCH);
    idc_handoff_abort(&h); /* staging failed: the lister must not block or go on */
    pthread_join(t, NULL);
    assert_true(p.put_refused_at >= IDC_HANDOFF_BATCH);
    assert_true(p.put_refused_at <= 3 * IDC_HANDOFF_BATCH); /* at most the next slot filled */
    assert_false(h.no_memory);
    idc_handoff_free(&h);
}

static void test_handoff_empty_listing(void **state)
{
    (void)state;
    static struct idc_handoff h;
    idc_handoff_init(&h);
    struct producer p = {.h = &h, .count = 0};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, produce, &p), 0);
    assert_null(idc_handoff_take(&h));
    pthread_join(t, NULL);
    idc_handoff_free(&h);
}

static void test_handoff_exact_batches(void **state)
{
    (void)state;
    static struct idc_handoff h;
    idc_handoff_init(&h);
    struct producer p = {.h = &h, .count = 2 * IDC_HANDOFF_BATCH};
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, produce, &p), 0);
    int batches = 0;
    const struct idc_user_batch *b;
    while ((b = idc_handoff_take(&h)) != NULL) {
        assert_int_equal(b->count, IDC_HANDOFF_BATCH); /* no empty batch after the last */
        batches++;
        idc_handoff_release(&h);
    }
    pthread_join(t, NULL);
    assert_int_equal(batches, 2);
    idc_handoff_free(&h);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_handoff_every_user_in_order),
    cmocka_unit_test(test_handoff_abort_stops_the_lister),
    cmocka_unit_test(test_handoff_empty_listing),
    cmocka_unit_test(test_handoff_exact_batches),
};

UNIT_MAIN(tests)
