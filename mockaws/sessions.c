/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sessions.c - the credentials STS issues: an ASIA key id, a secret and a session token
 * for a role session, valid until an expiry. They are kept until mockaws stops and never
 * move, so auth.c may hold a found one for the rest of its request without a lock.
 */
#include "roles.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

struct mock_sessions {
    pthread_mutex_t lock;
    struct mock_credential **v;
    size_t n;
    size_t cap;
};

struct mock_sessions *mock_sessions_new(void)
{
    struct mock_sessions *s = calloc(1, sizeof *s);
    if (s != NULL && pthread_mutex_init(&s->lock, NULL) != 0) {
        free(s);
        return NULL;
    }
    return s;
}

static void credential_free(struct mock_credential *c)
{
    if (c == NULL) {
        return;
    }
    mock_credential_clear(c);
    free(c); /* the policy is the role's */
}

void mock_sessions_free(struct mock_sessions *s)
{
    if (s == NULL) {
        return;
    }
    for (size_t i = 0; i < s->n; i++) {
        credential_free(s->v[i]);
    }
    free(s->v);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

/* `n` characters drawn from `alphabet` (64 or fewer) with the kernel's randomness. */
static char *random_text(const char *alphabet, const char *prefix, size_t n)
{
    size_t plen = strlen(prefix), m = strlen(alphabet);
    uint8_t r[512];
    char *out = malloc(plen + n + 1);
    if (out == NULL || n > sizeof r || getrandom(r, n, 0) != (ssize_t)n) {
        free(out);
        return NULL;
    }
    memcpy(out, prefix, plen);
    for (size_t i = 0; i < n; i++) {
        out[plen + i] = alphabet[r[i] % m];
    }
    out[plen + n] = '\0';
    idc_wipe(r, n);
    return out;
}

static const char upper_digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
static const char base64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

const struct mock_credential *mock_sessions_issue(struct mock_sessions *s,
                                                  const struct mock_role *role, const char *account,
                                                  const char *name, int64_t expires)
{
    struct mock_credential *c = calloc(1, sizeof *c);
    if (c == NULL) {
        return NULL;
    }
    size_t arn_len = strlen(account) + strlen(role->name) + strlen(name) + 40;
    size_t id_len = strlen(role->id) + strlen(name) + 2;
    c->access_key_id = random_text(upper_digits, "ASIA", 16);
    c->secret = random_text(base64, "", 40);
    c->session_token = random_text(base64, "IQoJb3JpZ2luX2VjE", 300);
    c->arn = malloc(arn_len);
    c->user_id = malloc(id_len);
    c->policy = role->policy;
    c->role = role;
    c->expires = expires;
    if (c->access_key_id == NULL || c->secret == NULL || c->session_token == NULL ||
        c->arn == NULL || c->user_id == NULL) {
        credential_free(c);
        return NULL;
    }
    snprintf(c->arn, arn_len, "arn:aws:sts::%s:assumed-role/%s/%s", account, role->name, name);
    snprintf(c->user_id, id_len, "%s:%s", role->id, name);
    pthread_mutex_lock(&s->lock);
    bool room = s->n < s->cap;
    if (!room) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        struct mock_credential **grown = realloc(s->v, cap * sizeof *grown);
        if (grown != NULL) {
            s->v = grown;
            s->cap = cap;
            room = true;
        }
    }
    if (room) {
        s->v[s->n++] = c;
    }
    pthread_mutex_unlock(&s->lock);
    if (!room) {
        credential_free(c);
        return NULL;
    }
    return c;
}

const struct mock_credential *mock_sessions_find(struct mock_sessions *s,
                                                 struct idc_str access_key_id)
{
    const struct mock_credential *found = NULL;
    if (s == NULL) {
        return NULL;
    }
    pthread_mutex_lock(&s->lock);
    for (size_t i = 0; i < s->n && found == NULL; i++) {
        if (idc_str_eq(idc_str_c(s->v[i]->access_key_id), access_key_id)) {
            found = s->v[i];
        }
    }
    pthread_mutex_unlock(&s->lock);
    return found;
}
