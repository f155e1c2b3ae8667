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

/* The user being shown or deleted. */
struct target {
    char user_id[IDC_IAM_ID_MAX + 1];
    char user_name[256];
    char display_name[256];
    char email[256];
    char status[16];
    bool external;
    char *json; /* as the API returned it */
    struct cli_users_out *out;
};

struct membership {
    char id[64];
    char group_id[64];
    char group_name[256];
};

struct memberships {
    struct membership *v;
    size_t n;
};

/* ---- resolving the user ------------------------------------------------------------- */

static int keep_ids_user(void *ud, const struct idc_ids_user *u)
{
    struct target *t = ud;
    snprintf(t->user_id, sizeof t->user_id, "%s", u->user_id);
    snprintf(t->user_name, sizeof t->user_name, "%s", u->user_name ? u->user_name : "");
    snprintf(t->display_name, sizeof t->display_name, "%s", u->display_name ? u->display_name : "");
    snprintf(t->email, sizeof t->email, "%s", u->email ? u->email : "");
    snprintf(t->status, sizeof t->status, "%s", u->status ? u->status : "");
    t->external = u->external;
    t->json = strndup(u->json.p, u->json.len);
    return 0;
}

/* IAM: --user-id is found among the IAM users (their ids are not the key). */
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

static idc_err resolve_iam(struct cli_conn *c, const struct cli_args *a, struct target *t,
                           struct idc_error *err)
{
    struct id_scan scan = {.user_id = a->user_id};
    const char *name = a->user_name;
    if (name == NULL) {
        idc_err rc = idc_iam_list_users(c->client, NULL, find_iam_id, &scan, err);
        if (rc) {
            return rc;
        }
        if (scan.user_name[0] == '\0') {
            return idc_error_set(err, IDC_ERR_NOT_FOUND, "no IAM user has the id %s", a->user_id);
        }
        name = scan.user_name;
    }
    struct idc_iam_user u;
    idc_err rc = idc_iam_get_user(c->client, name, &u, err);
    struct idc_inv_user row;
    char *json = NULL;
    rc = rc ? rc : cli_iam_user_row(c->client, &u, &row, &json, err);
    if (rc == IDC_OK) {
        snprintf(t->user_id, sizeof t->user_id, "%s", u.user_id);
        snprintf(t->user_name, sizeof t->user_name, "%s", u.user_name);
        snprintf(t->status, sizeof t->status, "%s", row.status);
        t->json = json;
    }
    return rc;
}

static idc_err resolve(struct cli_conn *c, const struct cli_args *a, struct target *t,
                       struct idc_error *err)
{
    if (c->in.kind == IDC_KIND_IAM) {
        return resolve_iam(c, a, t, err);
    }
    char id[128];
    const char *user_id = a->user_id;
    if (user_id == NULL) {
        idc_err rc = idc_ids_get_user_id(c->client, c->in.store_id, "userName", a->user_name, id,
                                         sizeof id, err);
        if (rc) {
            return rc;
        }
        user_id = id;
    }
    return idc_ids_describe_user(c->client, c->in.store_id, user_id, keep_ids_user, t, err);
}

static int keep_membership(void *ud, const char *membership_id, const char *group_id)
{
    struct memberships *m = ud;
    struct membership *grown = realloc(m->v, (m->n + 1) * sizeof *grown);
    if (grown == NULL) {
        return 1;
    }
    m->v = grown;
    memset(&m->v[m->n], 0, sizeof m->v[0]);
    snprintf(m->v[m->n].id, sizeof m->v[0].id, "%s", membership_id);
    snprintf(m->v[m->n].group_id, sizeof m->v[0].group_id, "%s", group_id);
    m->n++;
    return 0;
}

static int keep_group_name(const struct idc_iam_group *g, void *ud)
{
    struct memberships *m = ud;
    int rc = keep_membership(m, g->group_name, g->group_id);
    snprintf(m->v[m->n - 1].group_name, sizeof m->v[0].group_name, "%s", g->group_name);
    return rc;
}

/* The groups the user is in, with their names. */
static idc_err groups_of(struct cli_conn *c, const struct target *t, struct memberships *m,
                         struct idc_error *err)
{
    if (c->in.kind == IDC_KIND_IAM) {
        return idc_iam_list_groups_for_user(c->client, t->user_name, keep_group_name, m, err);
    }
    idc_err rc = idc_ids_list_memberships_for_member(c->client, c->in.store_id, t->user_id,
                                                     keep_membership, m, err);
    for (size_t i = 0; rc == IDC_OK && i < m->n; i++) {
        rc = idc_ids_describe_group(c->client, c->in.store_id, m->v[i].group_id, m->v[i].group_name,
                                    sizeof m->v[i].group_name, err);
    }
    return rc;
}

/* ---- show --------------------------------------------------------------------------- */

static void print_plan(const struct cli_conn *c, const struct target *t,
                       const struct memberships *m)
{
    const char *where = c->in.kind == IDC_KIND_IAM ? "IAM user" : "Identity Center user";
    printf("%s %s (%s) in %s\n", where, t->user_name, t->user_id, c->scope);
    if (t->display_name[0] || t->email[0]) {
        printf("  display name: %s, e-mail: %s\n", t->display_name[0] ? t->display_name : "-",
               t->email[0] ? t->email : "-");
    }
    printf("  status: %s\n", t->status[0] ? t->status : "- (the store gives no status)");
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
    unsigned long allowed = CLI_ALLOW_CONN | CLI_ALLOW(CLI_OPT_USER_ID) |
                            CLI_ALLOW(CLI_OPT_USER_NAME) | CLI_ALLOW(CLI_OPT_OUTPUT) |
                            CLI_ALLOW_COMMON;
    struct cli_args a;
    int rc = cli_args_parse(argc, argv, "users show", allowed, usage, &a);
    if (rc >= 0) {
        return rc;
    }
    if ((a.user_id == NULL) == (a.user_name == NULL)) {
        return cli_usage_error("users", "give --user-id or --user-name");
    }
    struct idc_inventory *inv = NULL;
    struct cli_conn c;
    struct target t = {0};
    struct memberships m = {0};
    struct idc_error err = {0};
    rc = a.conn.label ? cli_home_open(&inv) : -1;
    rc = rc < 0 ? cli_conn_open(&c, &a.conn, inv) : rc;
    if (rc >= 0) {
        idc_inventory_close(inv);
        return rc;
    }
    idc_err e = resolve(&c, &a, &t, &err);
    e = e ? e : groups_of(&c, &t, &m, &err);
    if (e) {
        rc = cli_report(&err, NULL);
    } else if (a.output == CLI_OUTPUT_TABLE) {
        print_plan(&c, &t, &m);
    } else {
        struct cli_users_out o;
        struct idc_inv_user u = {t.user_id,
                                 t.user_name,
                                 t.display_name,
                                 t.email,
                                 t.status[0] ? t.status : NULL,
                                 t.external,
                                 t.json,
                                 t.json ? strlen(t.json) : 0,
                                 -1,
                                 -1};
        struct idc_inv_user_row row = {c.scope, c.in.kind, u, 0, 0};
        cli_users_out_init(&o, a.output);
        cli_users_out_add(&o, &row);
        cli_users_out_finish(&o);
    }
    free(t.json);
    free(m.v);
    cli_conn_close(&c);
    idc_inventory_close(inv);
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
    if (inv != NULL && !c->ad_hoc) {
        struct idc_error e2 = {0};
        idc_inventory_forget_user(inv, c->scope, t->user_id, &e2);
    }
    return CLI_EXIT_OK;
}

int cli_delete_main(int argc, char **argv, const char *usage)
{
    unsigned long allowed = CLI_ALLOW_CONN | CLI_ALLOW(CLI_OPT_USER_ID) |
                            CLI_ALLOW(CLI_OPT_USER_NAME) | CLI_ALLOW(CLI_OPT_DRY_RUN) |
                            CLI_ALLOW(CLI_OPT_YES) | CLI_ALLOW_COMMON;
    struct cli_args a;
    int rc = cli_args_parse(argc, argv, "users delete", allowed, usage, &a);
    if (rc >= 0) {
        return rc;
    }
    if ((a.user_id == NULL) == (a.user_name == NULL)) {
        return cli_usage_error("users", "give --user-id or --user-name");
    }
    struct idc_inventory *inv = NULL;
    struct cli_conn c;
    struct target t = {0};
    struct memberships m = {0};
    struct idc_error err = {0};
    rc = cli_home_open(&inv); /* the audit trail lives there, ad-hoc deletes included */
    rc = rc < 0 ? cli_conn_open(&c, &a.conn, inv) : rc;
    if (rc >= 0) {
        idc_inventory_close(inv);
        return rc;
    }
    idc_err e = resolve(&c, &a, &t, &err);
    if (e && cli_err_not_found(&err)) {
        printf("no such user in %s: nothing to delete (already gone?)\n", c.scope);
        snprintf(t.user_id, sizeof t.user_id, "%s", a.user_id ? a.user_id : "");
        snprintf(t.user_name, sizeof t.user_name, "%s", a.user_name ? a.user_name : "");
        if (!a.dry_run) {
            audit(inv, &c, &t, "already-gone", err.msg);
        }
        rc = CLI_EXIT_OK;
    } else if (e || (e = groups_of(&c, &t, &m, &err)) != IDC_OK) {
        rc = cli_report(&err, NULL);
    } else {
        print_plan(&c, &t, &m);
        if (c.in.kind == IDC_KIND_IAM) {
            printf("  the IAM delete cascade removes first: login profile, access keys, signing "
                   "certificates, SSH keys, service-specific credentials, MFA devices, inline and "
                   "attached policies, group memberships\n");
        } else {
            printf("  the delete removes the %zu group membership%s above, then the user\n", m.n,
                   m.n == 1 ? "" : "s");
        }
        if (a.dry_run) {
            printf("dry run: nothing deleted\n");
            rc = CLI_EXIT_OK;
        } else if (!a.yes && !(isatty(STDIN_FILENO) && confirm(&t))) {
            rc = isatty(STDIN_FILENO)
                     ? (printf("not deleted\n"), CLI_EXIT_OK)
                     : cli_usage_error("users", "refusing to delete without --yes: standard "
                                                "input is not a terminal to ask on");
        } else {
            rc = run_delete(&c, inv, &t, &m);
        }
    }
    free(t.json);
    free(m.v);
    cli_conn_close(&c);
    idc_inventory_close(inv);
    return rc;
}
