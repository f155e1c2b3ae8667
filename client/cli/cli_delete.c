/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_delete.c - `idcctl users show` and `idcctl users delete`: the library describes the
 * user and plans the deletion (directory.h); this file shows the user and the plan's
 * exact steps, asks on a terminal (refuses without --yes elsewhere), runs the plan with a
 * line per step, and records the outcome in the audit trail (`idcctl audit`). A user
 * already gone is a success with a note; the inventory forgets a deleted user.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_args.h"
#include "cli_home.h"
#include "cli_users.h"
#include "idc/iam.h"

/* ---- what show and delete share ----------------------------------------------------- */

struct user_cmd {
    struct cli_args a;
    struct idc_inventory *inv;
    struct cli_conn c;
    struct idc_user_info *info;
    struct idc_error err;
};

/*
 * Parses `cmd`'s options, opens the inventory (for a label, or always when
 * `always_inventory`: the audit trail lives there) and the connection. CLI_CONTINUE or an
 * exit code.
 */
static int user_cmd_open(struct user_cmd *u, int argc, char **argv, const char *cmd,
                         unsigned long allowed, const char *usage, bool always_inventory)
{
    memset(u, 0, sizeof *u);
    int rc = cli_args_parse(argc, argv, cmd,
                            allowed | CLI_ALLOW_CONN | CLI_ALLOW(CLI_OPT_USER_ID) |
                                CLI_ALLOW(CLI_OPT_USER_NAME) | CLI_ALLOW_COMMON,
                            usage, &u->a);
    if (rc != CLI_CONTINUE) {
        return rc;
    }
    if ((u->a.user_id == NULL) == (u->a.user_name == NULL)) {
        return cli_usage_error("users", "give --user-id or --user-name");
    }
    rc = always_inventory || u->a.conn.label ? cli_home_open(&u->inv) : CLI_CONTINUE;
    rc = rc == CLI_CONTINUE ? cli_conn_open(&u->c, &u->a.conn, u->inv) : rc;
    if (rc != CLI_CONTINUE) {
        idc_inventory_close(u->inv);
        u->inv = NULL;
    }
    return rc;
}

static void user_cmd_close(struct user_cmd *u)
{
    idc_user_info_free(u->info);
    cli_conn_close(&u->c);
    idc_inventory_close(u->inv);
}

static int keep_inventory_name(const struct idc_inv_user_row *row, void *ud)
{
    snprintf(ud, IDC_IAM_NAME_MAX + 1, "%s", row->user.user_name);
    return 1;
}

/*
 * Describes the user asked for. An IAM user given by id is looked up by name in the
 * inventory first (the library would otherwise list every IAM user to find the id); the
 * library then checks that the name still belongs to that id.
 */
static idc_err describe(struct user_cmd *u)
{
    const char *name = u->a.user_name;
    char known[IDC_IAM_NAME_MAX + 1] = "";
    struct idc_error ignored = {0};
    if (name == NULL && u->c.in.kind == IDC_KIND_IAM && u->inv != NULL && !u->c.ad_hoc &&
        idc_inventory_find_user(u->inv, u->c.scope, u->a.user_id, false, keep_inventory_name, known,
                                &ignored) == IDC_OK) {
        name = known;
    }
    return idc_directory_describe_user(u->c.dir, u->a.user_id, name, &u->info, &u->err);
}

/* ---- show --------------------------------------------------------------------------- */

static void print_user(const struct cli_conn *c, const struct idc_user_info *info)
{
    const struct idc_user *t = &info->user;
    const char *where = c->in.kind == IDC_KIND_IAM ? "IAM user" : "Identity Center user";
    /* every value here comes from the service (or an identity provider): lines escaped */
    cli_line(stdout, "%s %s (%s) in %s", where, t->user_name, t->user_id, c->scope);
    if (t->display_name || t->email) {
        cli_line(stdout, "  display name: %s, e-mail: %s", t->display_name ? t->display_name : "-",
                 t->email ? t->email : "-");
    }
    cli_line(stdout, "  status: %s", t->status ? t->status : "- (the store gives no status)");
    size_t groups = 0;
    printf("  groups:");
    for (size_t i = 0; i < info->item_count; i++) {
        if (info->items[i].kind == IDC_ITEM_GROUP) {
            struct cli_text name;
            printf("%s %s", groups++ ? "," : "", cli_text(&name, info->items[i].name));
        }
    }
    printf("%s\n", groups ? "" : " none");
    for (size_t i = 0; i < info->item_count; i++) {
        const struct idc_user_item *it = &info->items[i];
        if (it->kind != IDC_ITEM_GROUP) {
            cli_line(stdout, "  %s: %s%s%s%s", idc_item_kind_name(it->kind), it->name,
                     it->status ? " (" : "", it->status ? it->status : "", it->status ? ")" : "");
        }
    }
    if (t->external) {
        printf("  warning: this user comes from an external identity provider (ExternalIds); "
               "it may re-create the user at its next provisioning run\n");
    }
}

static void print_show_data(const struct user_cmd *u)
{
    struct cli_users_out o;
    struct idc_inv_user_row row = {
        .integration = u->c.scope, .kind = u->c.in.kind, .user = u->info->user};
    cli_users_out_init(&o, u->a.output);
    cli_users_out_add(&row, &o);
    cli_users_out_finish(&o);
}

int cli_show_main(int argc, char **argv, const char *usage)
{
    struct user_cmd u;
    int rc = user_cmd_open(&u, argc, argv, "users show", CLI_ALLOW(CLI_OPT_OUTPUT), usage, false);
    if (rc != CLI_CONTINUE) {
        return rc;
    }
    if (describe(&u) != IDC_OK) {
        rc = cli_diagnose(&u.err, &u.c.in);
    } else if (u.a.output == CLI_OUTPUT_TABLE) {
        print_user(&u.c, u.info);
        rc = CLI_EXIT_OK;
    } else {
        print_show_data(&u);
        rc = CLI_EXIT_OK;
    }
    user_cmd_close(&u);
    return rc;
}

/* ---- delete ------------------------------------------------------------------------- */

/* "the thing (its id)": a group by its name, a key by its id, a policy by name and ARN. */
static void print_thing(const struct idc_plan_step *s)
{
    if (s->item == NULL) {
        return;
    }
    struct cli_text shown;
    printf(" %s", cli_text(&shown, s->label));
    if (strcmp(s->label, s->item) != 0) {
        printf(" (%s)", cli_text(&shown, s->item));
    }
}

static void print_plan(const struct idc_plan *plan)
{
    printf("  the delete runs %zu step%s:\n", plan->step_count, plan->step_count == 1 ? "" : "s");
    for (size_t i = 0; i < plan->step_count; i++) {
        const struct idc_plan_step *s = &plan->steps[i];
        printf("    %zu. %s", i + 1, s->text);
        print_thing(s);
        printf(", needs %s\n", s->action);
    }
}

static bool confirm(const char *user_name)
{
    FILE *tty = fopen("/dev/tty", "r+");
    char answer[16] = "";
    if (tty == NULL) {
        return false;
    }
    struct cli_text name;
    fprintf(tty, "Delete %s? [y/N] ", cli_text(&name, user_name));
    fflush(tty);
    bool yes = fgets(answer, sizeof answer, tty) != NULL && (answer[0] == 'y' || answer[0] == 'Y');
    fclose(tty);
    return yes;
}

static void audit(struct idc_inventory *inv, const struct cli_conn *c, const char *user_id,
                  const char *user_name, const char *result, const char *detail)
{
    struct idc_audit_entry e = {0, c->scope, user_id, user_name, "delete-user", result, detail};
    struct idc_error err = {0};
    if (inv != NULL && idc_inventory_audit(inv, &e, &err) != IDC_OK) {
        cli_line(stderr, "idcctl: warning: the audit row was not written: %s", err.msg);
    }
}

/* One line per step as it ends: "removed from group Admins", "delete access key AKIA...: done". */
static void print_step(const struct idc_plan_step *s, const struct idc_error *failure, void *ud)
{
    (void)failure;
    (void)ud;
    if (s->kind == IDC_STEP_REMOVE_MEMBERSHIP && s->state != IDC_STEP_FAILED) {
        cli_line(stdout, "  removed from group %s", s->label);
        return;
    }
    cli_line(stdout, "  %s%s%s: %s", s->text, s->item ? " " : "", s->item ? s->item : "",
             s->state == IDC_STEP_FAILED ? "FAILED" : idc_step_state_name(s->state));
}

/*
 * The plan's steps and how each ended, for the audit row: "delete access key AKIA...: done;
 * remove from group Admins: already done; ...", cut with the count of what did not fit.
 */
static void summarize(const struct idc_plan *plan, char *out, size_t cap)
{
    size_t len = 0, i = 0;
    out[0] = '\0';
    for (; i < plan->step_count; i++) {
        const struct idc_plan_step *s = &plan->steps[i];
        int n = snprintf(out + len, cap - len, "%s%s%s%s: %s", i ? "; " : "", s->text,
                         s->item ? " " : "", s->item ? s->item : "", idc_step_state_name(s->state));
        if (n < 0 || (size_t)n >= cap - len - 32) { /* room for the note below */
            out[len] = '\0';
            break;
        }
        len += (size_t)n;
    }
    if (i < plan->step_count) {
        snprintf(out + len, cap - len, "%s(%zu more steps)", len ? "; " : "", plan->step_count - i);
    }
}

static int run_plan(struct user_cmd *u, struct idc_plan *plan)
{
    struct idc_error err = {0};
    idc_err rc = idc_directory_execute(u->c.dir, plan, print_step, NULL, &err);
    const struct idc_plan_step *last = &plan->steps[plan->step_count - 1];
    char steps[1024], detail[sizeof steps + sizeof err.msg + 16];
    summarize(plan, steps, sizeof steps);
    if (rc != IDC_OK) {
        snprintf(detail, sizeof detail, "%s; steps: %s", err.msg, steps);
        audit(u->inv, &u->c, plan->user_id, plan->user_name, "failed", detail);
        return cli_report(&err, err.code == IDC_ERR_AWS && cli_exit_code(&err) == CLI_EXIT_DENIED
                                    ? "`idcctl policy` prints what idcctl needs"
                                    : NULL);
    }
    bool gone = last->state == IDC_STEP_ALREADY_DONE;
    cli_line(stdout, "%s %s", plan->user_name,
             gone ? "was already gone: nothing to delete" : "deleted");
    audit(u->inv, &u->c, plan->user_id, plan->user_name, gone ? "already-gone" : "ok", steps);
    struct idc_error forget = {0};
    if (u->inv != NULL && !u->c.ad_hoc &&
        idc_inventory_forget_user(u->inv, u->c.scope, plan->user_id, &forget) != IDC_OK) {
        cli_line(stderr, "idcctl: warning: the inventory still lists %s: %s", plan->user_name,
                 forget.msg);
        cli_line(stderr, "hint: `idcctl sync --label %s` brings it up to date", u->c.scope);
    }
    return CLI_EXIT_OK;
}

/* The user is not there: nothing to do, which is what a delete wants. */
static int already_gone(struct user_cmd *u)
{
    printf("no such user in %s: nothing to delete (already gone?)\n", u->c.scope);
    if (!u->a.dry_run) {
        audit(u->inv, &u->c, u->a.user_id, u->a.user_name, "already-gone", u->err.msg);
    }
    return CLI_EXIT_OK;
}

/* Asks, or refuses without a terminal; CLI_CONTINUE to go ahead. */
static int agree(const struct user_cmd *u)
{
    if (u->a.yes) {
        return CLI_CONTINUE;
    }
    if (!isatty(STDIN_FILENO)) {
        return cli_usage_error("users", "refusing to delete without --yes: standard input is not "
                                        "a terminal to ask on");
    }
    if (confirm(u->info->user.user_name)) {
        return CLI_CONTINUE;
    }
    printf("not deleted\n");
    return CLI_EXIT_OK;
}

static int plan_and_delete(struct user_cmd *u)
{
    struct idc_plan *plan = NULL;
    if (idc_directory_plan_delete(u->c.dir, u->info, &plan, &u->err) != IDC_OK) {
        return cli_report(&u->err, NULL);
    }
    print_user(&u->c, u->info);
    print_plan(plan);
    int rc;
    if (u->a.dry_run) {
        printf("dry run: nothing deleted\n");
        rc = CLI_EXIT_OK;
    } else {
        rc = agree(u);
        rc = rc == CLI_CONTINUE ? run_plan(u, plan) : rc;
    }
    idc_plan_free(plan);
    return rc;
}

int cli_delete_main(int argc, char **argv, const char *usage)
{
    struct user_cmd u;
    int rc = user_cmd_open(&u, argc, argv, "users delete",
                           CLI_ALLOW(CLI_OPT_DRY_RUN) | CLI_ALLOW(CLI_OPT_YES), usage, true);
    if (rc != CLI_CONTINUE) {
        return rc;
    }
    if (describe(&u) == IDC_OK) {
        rc = plan_and_delete(&u);
    } else if (idc_directory_cause(&u.err, NULL, 0) == IDC_CAUSE_NOT_FOUND) {
        rc = already_gone(&u);
    } else {
        rc = cli_diagnose(&u.err, &u.c.in); /* a missing store is no missing user */
    }
    user_cmd_close(&u);
    return rc;
}
