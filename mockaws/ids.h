/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ids.h - the Identity Store state shared by ids_store.c (the model: stores, users, groups,
 * memberships, their indexes and their JSON, rendered once) and identitystore.c (the
 * operations). Every item keeps its JSON as served, so a page is assembled by copying.
 */
#ifndef MOCK_IDS_H
#define MOCK_IDS_H

#include "map.h"
#include "mock.h"

/* What users, groups and memberships share; the first member of each. */
struct ids_item {
    uint64_t seq; /* creation order: pagination resumes after a seq, so deletes are safe */
    char *id;
    char *json; /* the object exactly as served, IdentityStoreId included */
    size_t json_len;
};

struct ids_user {
    struct ids_item item;
    char *name;
    char *email;     /* Emails[0].Value, or NULL */
    char **external; /* "Issuer\nId" for each ExternalIds entry */
    size_t external_count;
};

struct ids_group {
    struct ids_item item;
    char *name; /* DisplayName */
};

struct ids_membership {
    struct ids_item item;
    char *group_id;
    char *user_id;
};

/* Items in seq order. */
struct ids_list {
    struct ids_item **v;
    size_t n;
    size_t cap;
};

struct ids_store {
    char *id;
    char *region;
    struct ids_list users, groups, memberships;
    struct mock_map user_by_id, user_by_name, user_by_email;
    struct mock_map group_by_id, group_by_name, membership_by_id;
    uint64_t next_seq;
};

struct mock_ids {
    pthread_rwlock_t lock; /* readers list and describe; writers create and delete */
    struct ids_store **stores;
    size_t count;
};

struct ids_store *ids_find_store(const struct mock_ids *ids, const char *id);

/* Index of the first item whose seq is greater than `seq` (binary search). */
size_t ids_list_after(const struct ids_list *l, uint64_t seq);

/*
 * Why a user or group was refused: the member at fault, relative to the object
 * ("Emails[0].Value"; "" for the object itself), and the problem. A fixture error joins the
 * member to the object's JSON path; CreateUser's message reads "Member: problem".
 */
struct ids_why {
    char member[96];
    char problem[224];
};

/*
 * Builds a user from a JSON object shaped like the API's User (fixture or CreateUser):
 * checks every member, orders them as the API does, renders the JSON. On failure returns
 * NULL and fills `why`.
 */
struct ids_user *ids_user_build(const cJSON *src, const char *store_id, struct ids_why *why);
void ids_user_free(struct ids_user *u);

/* True for a member of the API's User shape (CreateUser ignores the others, as AWS does). */
bool ids_user_member_known(const char *name);

/* Adds to the store (seq, indexes); false, with `why`, when the id, name or memory is a problem. */
bool ids_store_add_user(struct ids_store *s, struct ids_user *u, struct ids_why *why);
/* Removes the user and its group memberships, and frees them. */
void ids_store_delete_user(struct ids_store *s, struct ids_user *u);
void ids_store_delete_membership(struct ids_store *s, struct ids_membership *m);

/* Checks an id against the API's patterns. */
bool ids_valid_store_id(const char *s);
bool ids_valid_resource_id(const char *s);

#endif
