/* SPDX-License-Identifier: Apache-2.0 */
/*
 * iam.h - the IAM state shared by iam_store.c (the model: users, groups, each user's
 * sub-resources, fixtures and their XML) and iam.c (the awsQuery operations). All of it
 * sits behind mock_iam.lock, which only iam.c takes: nothing declared here locks.
 */
#ifndef MOCK_IAM_H
#define MOCK_IAM_H

#include "mock.h"

#define IAM_FIELDS          4
#define IAM_COLS            6
#define IAM_GROUPS_PER_USER 10 /* IAM quota GroupsPerUser */
#define IAM_CONFLICT        "Cannot delete entity, must "

/* ---- the sub-resources of a user, described once ------------------------------------ */

/* In DeleteUser's documented order (aws-protocols.md 2.4): the conflicts are checked so. */
enum iam_kind_id {
    K_ACCESS_KEY,
    K_CERT,
    K_SSH,
    K_SSC,
    K_MFA,
    K_INLINE,
    K_ATTACHED,
    K_GROUP,
    K_TAG,
    K__COUNT
};

enum iam_ftype { FT_STRING = 1, FT_STATUS, FT_JSON };

struct iam_field {
    const char *key; /* the fixture member */
    enum iam_ftype type;
    bool required;
};

enum iam_src { SRC_F0, SRC_F1, SRC_F2, SRC_F3, SRC_USER, SRC_DATE };

struct iam_col {
    const char *xml; /* the child element */
    enum iam_src src;
};

struct iam_kind {
    const char *key;                     /* the user's fixture member */
    const char *what;                    /* what one item is called in fixture errors */
    struct iam_field fields[IAM_FIELDS]; /* kept as f[0..3]; f[0] identifies the item */
    const char *date_key;                /* NULL: no date */
    size_t max;                          /* most items per user; 0: no bound */
    bool nocase;                         /* f[0] compares ignoring case */
    const char *element;                 /* the list's element in the Result */
    bool bare;                           /* each <member> is f[0] itself (PolicyNames) */
    struct iam_col cols[IAM_COLS];       /* a <member>'s children in order; xml NULL ends */
    const char *id_param;                /* the parameter naming the item to delete */
    const char *filter;                  /* an optional list parameter matched against f[2] */
    const char *missing[2];              /* NoSuchEntity message, before and after the id */
    const char *conflict;                /* DeleteUser's message while any remain */
};

/* Each kind's fixture member, XML and messages, indexed by enum iam_kind_id. */
extern const struct iam_kind iam_kinds[K__COUNT];

/* ---- state -------------------------------------------------------------------------- */

struct iam_item {
    uint64_t seq; /* from mock_iam.next_seq: items are kept in this order, Markers name it */
    int64_t date;
    char *f[IAM_FIELDS];
};

struct iam_items {
    struct iam_item *v;
    size_t n;
    size_t cap;
};

struct iam_user {
    char *name;
    char *id;
    char *path;
    char *arn;
    int64_t created;
    int64_t password_last_used; /* 0: never */
    bool has_login;
    bool login_reset;
    int64_t login_created;
    struct iam_items items[K__COUNT];
    struct idc_dynbuf xml; /* the User members ListUsers sends, rendered once */
};

struct iam_group {
    char *name;
    char *id;
    char *path;
    char *arn;
    int64_t created;
};

struct mock_iam {
    pthread_rwlock_t lock;
    char account[32];
    struct iam_user **users; /* sorted by name ignoring case, as names are unique so */
    size_t user_count;
    size_t user_cap;
    struct iam_group *groups;
    size_t group_count;
    size_t group_cap;
    struct iam_items unassigned_mfa; /* virtual devices deactivated but not deleted */
    uint64_t next_seq;
};

/* ---- helpers ------------------------------------------------------------------------ */

/* Makes room for `need` elements of `size` bytes in *v, doubling; false when out of memory. */
bool iam_grow(void **v, size_t *cap, size_t need, size_t size);

/* The character classes of IAM's patterns: \w, and \w plus "+=,.@-" (names). */
bool iam_is_word(unsigned char ch);
bool iam_is_name_char(unsigned char ch);
/* True when each of the `n` bytes of `s` is within lo..hi. */
bool iam_all_in(const char *s, size_t n, unsigned char lo, unsigned char hi);
/* IAM's pathType: "/" or "/" [\u0021-\u007E]+ "/". */
bool iam_path_ok(const char *s);

/* ---- items (iam_kinds' sub-resources) ----------------------------------------------- */

void iam_item_free(struct iam_item *it);
/* The index of the item whose f[0] is `id` (compared as `k` says), or items->n. */
size_t iam_items_find(const struct iam_items *items, const struct iam_kind *k, const char *id);
/* Appends `it` with the next sequence number; on success the list owns its strings. */
bool iam_items_push(struct mock_iam *iam, struct iam_items *items, struct iam_item *it);
/* Removes item `i` and hands it to the caller, who frees it with iam_item_free. */
struct iam_item iam_items_take(struct iam_items *items, size_t i);

/* ---- users and groups --------------------------------------------------------------- */

/* A user with its ARN built from the account, `path` and `name`; NULL when out of memory. */
struct iam_user *iam_user_new(const struct mock_iam *iam, const char *name, const char *id,
                              const char *path, int64_t created);
void iam_user_free(struct iam_user *u); /* NULL is fine */
/* The index of the first user whose name sorts after `name` (or at it, when !after). */
size_t iam_user_bound(const struct mock_iam *iam, const char *name, bool after);
/* IAM names are unique ignoring case, and a lookup ignores case too. NULL: no such user. */
struct iam_user *iam_user_find(const struct mock_iam *iam, const char *name);
struct iam_user *iam_user_find_arn(const struct mock_iam *iam, const char *arn);
/* Inserts in name order; false when out of memory (the caller still owns `u`). */
bool iam_user_insert(struct mock_iam *iam, struct iam_user *u);
/* Removes the user from the list and frees it with all its items. */
void iam_user_remove(struct mock_iam *iam, struct iam_user *u);

struct iam_group *iam_group_find(const struct mock_iam *iam, const char *name);
/* Fills a membership item from its group; false when out of memory (free it anyway). */
bool iam_group_item(const struct iam_group *g, struct iam_item *it);

/* True when a user still has the device: DeleteVirtualMFADevice refuses it then. */
bool iam_mfa_assigned(const struct mock_iam *iam, const char *serial);

/* ---- XML ---------------------------------------------------------------------------- */

/* Appends `s` escaped as XML text. */
void iam_put_text(struct idc_dynbuf *b, const char *s);
/* Appends <name>true</name> or <name>false</name>. */
void iam_put_bool(struct idc_dynbuf *b, const char *name, bool v);
/* Renders u->xml, the User members ListUsers sends, once; false when out of memory. */
bool iam_user_render(struct iam_user *u);
/* Appends one item of kind `k` as a <member>; `u` supplies the UserName column. */
void iam_item_render(struct idc_dynbuf *b, const struct iam_kind *k, const struct iam_user *u,
                     const struct iam_item *it);
/* The User shape: ListUsers' members plus the tags GetUser adds. */
void iam_user_render_full(struct idc_dynbuf *b, const struct iam_user *u);
/* The LoginProfile shape of GetLoginProfile and CreateLoginProfile. */
void iam_login_render(struct idc_dynbuf *b, const struct iam_user *u);

#endif
