/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_delete.c - `idcctl users show` and `idcctl users delete`: resolve one user, show what
 * a delete will do (status, the group memberships that go with it, a warning for users an
 * external identity provider may re-create), ask on a terminal (refuse without --yes
 * elsewhere), then delete: Identity Center memberships then the user, or IAM's whole
 * cascade step by step. A user already gone is a success with a note. The inventory is
 * updated and every delete is written to the audit trail (`idcctl audit`).
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_args.h"
#include "cli_home.h"
#include "cli_users.h"
#include "idc/iam.h"
#include "idc/identitystore.h"

/* The user being shown or deleted: owned copies, NULL when absent. */
struct target {
    char *user_id, *user_name, *display_name, *email, *status, *json;
    bool external;
    bool no_memory;
};

struct membership {
    char id[129]; /* Identity Center membership id (AWS: at most 47) */
    char group_id[129];
    char group_name[256];
};

struct memberships {
    struct membership *v;
    size_t n, cap;
    bool no_memory;
};

/* ---- the target --------------------------------------------------------------------- */

static char *keep_text(const char *s, size_t len, bool *no_memory)
{
    char *copy = s ? strndup(s, len) : NULL;
    *no_memory |= s != NULL && copy == NULL;
    return copy;
}

static void target_keep(struct target *t, const struct idc_inv_user *u)
{
    const char *const in[] = {u->user_id, u->user_name, u->display_name, u->email, u->status};
    char **const out[] = {&t->user_id, &t->user_name, &t->display_name, &t->email, &t->status};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        free(*out[i]);
        *out[i] = keep_text(in[i], in[i] ? strlen(in[i]) : 0, &t->no_memory);
    }
    free(t->json);
    t->json = keep_text(u->json, u->json_len, &t->no_memory);
    t->external = u->external;
}

static void target_free(struct target *t)
{
    char *const all[] = {t->user_id, t->user_name, t->display_name, t->email, t->status, t->json};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        free(all[i]);
    }
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* ---- resolving the user ------------------------------------------------------------- */

static int keep_ids_user(void *ud, const struct idc_ids_user *u)
{
    struct idc_inv_user row = cli_ids_user_row(u);
    target_keep(ud, &row);
    return 0;
}

/* IAM: --user-id is found in the inventory, else among the IAM users (the name is the key). */
struct id_scan {
    const char *user_id;
    char user_name[IDC_IAM_NAME_MAX + 1];
};

static int find_iam_id(const struct idc_iam_user *u, void *ud)
{
    struct id_scan *s = ud;
    if (strcmp(u->user_id, s->user_id) == 0) {
        snprintf(s->user_name, sizeof s->user_name, "%s", u->user_name);
        return 1;
    }
    return 0;
}

static int keep_inventory_name(void *ud, const struct idc_inv_user_row *row)
{
    struct id_scan *s = ud;
    snprintf(s->user_name, sizeof s->user_name, "%s", row->user.user_name);
    return 1;
}

static idc_err iam_name_of(struct cli_conn *c, struct idc_inventory *inv, const char *user_id,
                           struct id_scan *scan, struct idc_error *err)
{
    struct idc_error ignored = {0};
    if (inv != NULL && !c->ad_hoc &&
        idc_inventory_find_user(inv, c->scope, user_id, false, keep_inventory_name, scan,
                                &ignored) == IDC_OK) {
        return IDC_OK; /* the delete itself finds out if it has gone since */
    }
    idc_err rc = idc_iam_list_users(c->client, NULL, find_iam_id, scan, err);
    if (rc == IDC_OK && scan->user_name[0] == '\0') {
        rc = idc_error_set(err, IDC_ERR_NOT_FOUND, "no IAM user has the id %s", user_id);
    }
    return rc;
}

static idc_err resolve_iam(struct cli_conn *c, struct idc_inventory *inv, const struct cli_args *a,
                           struct target *t, struct idc_error *err)
{
    struct id_scan scan = {.user_id = a->user_id};
    const char *name = a->user_name;
    if (name == NULL) {
        idc_err rc = iam_name_of(c, inv, a->user_id, &scan, err);
        if (rc) {
            return rc;
        }
        name = scan.user_name;
    }
    struct idc_iam_user u;
    idc_err rc = idc_iam_get_user(c->client, name, &u, err);
    struct idc_inv_user row;
    char *json = NULL;
    rc = rc ? rc : cli_iam_user_row(c->client, &u, &row, &json, err);
    if (rc == IDC_OK) {
        target_keep(t, &row);
    }
    free(json);
    return rc;
}

static idc_err resolve(struct cli_conn *c, struct idc_inventory *inv, const struct cli_args *a,
                       struct target *t, struct idc_error *err)
{
    idc_err rc;
    if (c->in.kind == IDC_KIND_IAM) {
        rc = resolve_iam(c, inv, a, t, err);
    } else {
        char id[128];
        const char *user_id = a->user_id;
        rc = IDC_OK;
        if (user_id == NULL) {
            rc = idc_ids_get_user_id(c->client, c->in.store_id, "userName", a->user_name, id,
                                     sizeof id, err);
            user_id = id;
        }
        rc = rc ? rc
                : idc_ids_describe_user(c->client, c->in.store_id, user_id, keep_ids_user, t, err);
    }
    if (rc == IDC_OK && t->no_memory) {
        rc = idc_error_set(err, IDC_ERR_NOMEM, "out of memory keeping the user");
    }
    return rc;
}

static struct membership *next_membership(struct memberships *m)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 8;
        struct membership *grown = realloc(m->v, cap * sizeof *grown);
        if (grown == NULL) {
            m->no_memory = true;
            return NULL;
        }
        m->v = grown;
        m->cap = cap;
    }
    struct membership *one = &m->v[m->n++];
    memset(one, 0, sizeof *one);
    return one;
}

static int keep_membership(void *ud, const char *membership_id, const char *group_id)
{
    struct membership *one = next_membership(ud);
    if (one != NULL) {
        snprintf(one->id, sizeof one->id, "%s", membership_id);
        snprintf(one->group_id, sizeof one->group_id, "%s", group_id);
    }
    return one == NULL;
}

static int keep_group_name(const struct idc_iam_group *g, void *ud)
{
    struct membership *one = next_membership(ud);
    if (one != NULL) {
        snprintf(one->group_id, sizeof one->group_id, "%s", g->group_id);
        snprintf(one->group_name, sizeof one->group_name, "%s", g->group_name);
    }
    return one == NULL;
}

/* The groups the user is in, with their names; all of them or an error. */
static idc_err groups_of(struct cli_conn *c, const struct target *t, struct memberships *m,
                         struct idc_error *err)
{
    idc_err rc =
        c->in.kind == IDC_KIND_IAM
            ? idc_iam_list_groups_for_user(c->client, t->user_name, keep_group_name, m, err)
            : idc_ids_list_memberships_for_member(c->client, c->in.store_id, t->user_id,
                                                  keep_membership, m, err);
    if (rc == IDC_OK && m->no_memory) {
        return idc_error_set(err, IDC_ERR_NOMEM, "out of memory listing the groups of %s",
                             t->user_name);
    }
    for (size_t i = 0; rc == IDC_OK && c->in.kind != IDC_KIND_IAM && i < m->n; i++) {
        rc = idc_ids_describe_group(c->client, c->in.store_id, m->v[i].group_id, m->v[i].group_name,
                                    sizeof m->v[i].group_name, err);
    }
    return rc;
}

/* ---- what show and delete share ----------------------------------------------------- */

struct user_cmd {
    struct cli_args a;
    struct idc_inventory *inv;
    struct cli_conn c;
    struct target t;
    struct memberships m;
    struct idc_error err;
};

/*
 * Parses `cmd`'s options, opens the inventory (for a label, or always when
 * `always_inventory`: the audit trail lives there) and the connection. -1 or an exit code.
 */
static int user_cmd_open(struct user_cmd *u, int argc, char **argv, const char *cmd,
                         unsigned long allowed, const char *usage, bool always_inventory)
{
    memset(u, 0, sizeof *u);
    int rc = cli_args_parse(argc, argv, cmd,
                            allowed | CLI_ALLOW_CONN | CLI_ALLOW(CLI_OPT_USER_ID) |
                                CLI_ALLOW(CLI_OPT_USER_NAME) | CLI_ALLOW_COMMON,
                            usage, &u->a);
    if (rc >= 0) {
        return rc;
    }
    if ((u->a.user_id == NULL) == (u->a.user_name == NULL)) {
        return cli_usage_error("users", "give --user-id or --user-name");
    }
    rc = always_inventory || u->a.conn.label ? cli_home_open(&u->inv) : -1;
    rc = rc < 0 ? cli_conn_open(&u->c, &u->a.conn, u->inv) : rc;
    if (rc >= 0) {
        idc_inventory_close(u->inv);
        u->inv = NULL;
    }
    return rc;
}

static void user_cmd_close(struct user_cmd *u)
{
    target_free(&u->t);
    free(u->m.v);
    cli_conn_close(&u->c);
    idc_inventory_close(u->inv);
}

/* ---- show --------------------------------------------------------------------------- */

static void print_plan(const struct cli_conn *c, const struct target *t,
                       const struct memberships *m)
{
    const char *where = c->in.kind == IDC_KIND_IAM ? "IAM user" : "Identity Center user";
    printf("%s %s (%s) in %s\n", where, t->user_name, t->user_id, c->scope);
    if (t->display_name || t->email) {
        printf("  display name: %s, e-mail: %s\n", t->display_name ? t->display_name : "-",
               t->email ? t->email : "-");
    }
    printf("  status: %s\n", t->status ? t->status : "- (the store gives no status)");
    printf("  groups:");
    for (size_t i = 0; i < m->n; i++) {
        printf("%s %s", i ? "," : "", m->v[i].group_name);
    }
    printf("%s\n", m->n ? "" : " none");
    if (t->external) {
        printf("  warning: this user comes from an external identity provider (ExternalIds); "
               "it may re-create the user at its next provisioning run\n");
    }
}

int cli_show_main(int argc, char **argv, const char *usage)
{
    struct user_cmd u;
    int rc = user_cmd_open(&u, argc, argv, "users show", CLI_ALLOW(CLI_OPT_OUTPUT), usage, false);
    if (rc >= 0) {
        return rc;
    }
    idc_err e = resolve(&u.c, u.inv, &u.a, &u.t, &u.err);
    e = e ? e : groups_of(&u.c, &u.t, &u.m, &u.err);
    if (e) {
        rc = cli_report(&u.err, NULL);
    } else if (u.a.output == CLI_OUTPUT_TABLE) {
        print_plan(&u.c, &u.t, &u.m);
    } else {
        const struct target *t = &u.t;
        struct cli_users_out o;
        struct idc_inv_user_row row = {
            .integration = u.c.scope,
            .kind = u.c.in.kind,
            .user = {t->user_id, or_empty(t->user_name), t->display_name, t->email, t->status,
                     t->external, t->json, t->json ? strlen(t->json) : 0, -1, -1},
        };
        cli_users_out_init(&o, u.a.output);
        cli_users_out_add(&o, &row);
        cli_users_out_finish(&o);
    }
    user_cmd_close(&u);
    return rc < 0 ? CLI_EXIT_OK : rc;
}

/* ---- delete ------------------------------------------------------------------------- */

static bool confirm(const struct target *t)
{
    FILE *tty = fopen("/dev/tty", "r+");
    char answer[16] = "";
    if (tty == NULL) {
        return false;
    }
    fprintf(tty, "Delete %s? [y/N] ", t->user_name);
    fflush(tty);
    bool yes = fgets(answer, sizeof answer, tty) != NULL && (answer[0] == 'y' || answer[0] == 'Y');
    fclose(tty);
    return yes;
}

static void audit(struct idc_inventory *inv, const struct cli_conn *c, const struct target *t,
                  const char *result, const char *detail)
{
    struct idc_audit_entry e = {0,      c->scope, t->user_id, t->user_name, "delete-user",
                                result, detail};
    struct idc_error err = {0};
    if (inv != NULL && idc_inventory_audit(inv, &e, &err) != IDC_OK) {
        fprintf(stderr, "idcctl: warning: the audit row was not written: %s\n", err.msg);
    }
}

static void print_step(const struct idc_iam_step *s, void *ud)
{
    static const char *const outcomes[] = {"done", "nothing to do", "already done", "FAILED"};
    (void)ud;
    printf("  %s%s%s: %s\n", s->step, s->item ? " " : "", s->item ? s->item : "",
           outcomes[s->outcome]);
}

/* Identity Center: the memberships, then the user; a gone membership or user is fine. */
static idc_err delete_ids(struct cli_conn *c, const struct target *t, const struct memberships *m,
                          bool *gone, struct idc_error *err)
{
    for (size_t i = 0; i < m->n; i++) {
        idc_err rc = idc_ids_delete_group_membership(c->client, c->in.store_id, m->v[i].id, err);
        if (rc && !cli_err_not_found(err)) {
            return idc_error_prefix(err, "removing %s from group %s", t->user_name,
                                    m->v[i].group_name);
        }
        printf("  removed from group %s\n", m->v[i].group_name);
    }
    idc_err rc = idc_ids_delete_user(c->client, c->in.store_id, t->user_id, err);
    *gone = rc && cli_err_not_found(err);
    return *gone ? IDC_OK : rc;
}

static int run_delete(struct cli_conn *c, struct idc_inventory *inv, const struct target *t,
                      const struct memberships *m)
{
    struct idc_error err = {0};
    bool gone = false;
    idc_err rc = c->in.kind == IDC_KIND_IAM
                     ? idc_iam_delete_user_cascade(c->client, t->user_name, print_step, NULL, &err)
                     : delete_ids(c, t, m, &gone, &err);
    if (rc && c->in.kind == IDC_KIND_IAM && cli_err_not_found(&err)) {
        gone = true;
        rc = IDC_OK;
    }
    if (rc) {
        audit(inv, c, t, "failed", err.msg);
        return cli_report(&err,
                          cli_err_denied(&err) ? "`idcctl policy` prints what idcctl needs" : NULL);
    }
    printf("%s %s\n", t->user_name, gone ? "was already gone: nothing to delete" : "deleted");
    audit(inv, c, t, gone ? "already-gone" : "ok", m->n ? "group memberships removed" : "");
    struct idc_error forget = {0};
    if (inv != NULL && !c->ad_hoc &&
        idc_inventory_forget_user(inv, c->scope, t->user_id, &forget) != IDC_OK) {
        fprintf(stderr,
                "idcctl: warning: the inventory still lists %s: %s\n"
                "hint: `idcctl sync --label %s` brings it up to date\n",
                t->user_name, forget.msg, c->scope);
    }
    return CLI_EXIT_OK;
}

int cli_delete_main(int argc, char **argv, const char *usage)
{
    struct user_cmd u;
    int rc = user_cmd_open(&u, argc, argv, "users delete",
                           CLI_ALLOW(CLI_OPT_DRY_RUN) | CLI_ALLOW(CLI_OPT_YES), usage, true);
    if (rc >= 0) {
        return rc;
    }
    struct target *t = &u.t;
    idc_err e = resolve(&u.c, u.inv, &u.a, t, &u.err);
    if (e && cli_err_not_found(&u.err)) {
        printf("no such user in %s: nothing to delete (already gone?)\n", u.c.scope);
        if (!u.a.dry_run) {
            struct target asked = {.user_id = (char *)u.a.user_id,
                                   .user_name = (char *)u.a.user_name};
            audit(u.inv, &u.c, &asked, "already-gone", u.err.msg);
        }
        rc = CLI_EXIT_OK;
    } else if (e || (e = groups_of(&u.c, t, &u.m, &u.err)) != IDC_OK) {
        rc = cli_report(&u.err, NULL);
    } else {
        print_plan(&u.c, t, &u.m);
        if (u.c.in.kind == IDC_KIND_IAM) {
            printf("  the IAM delete cascade removes first: login profile, access keys, signing "
                   "certificates, SSH keys, service-specific credentials, MFA devices, inline and "
                   "attached policies, group memberships\n");
        } else {
            printf("  the delete removes the %zu group membership%s above, then the user\n", u.m.n,
                   u.m.n == 1 ? "" : "s");
        }
        if (u.a.dry_run) {
            printf("dry run: nothing deleted\n");
            rc = CLI_EXIT_OK;
        } else if (!u.a.yes && !(isatty(STDIN_FILENO) && confirm(t))) {
            rc = isatty(STDIN_FILENO)
                     ? (printf("not deleted\n"), CLI_EXIT_OK)
                     : cli_usage_error("users", "refusing to delete without --yes: standard "
                                                "input is not a terminal to ask on");
        } else {
            rc = run_delete(&u.c, u.inv, t, &u.m);
        }
    }
    user_cmd_close(&u);
    return rc;
}
