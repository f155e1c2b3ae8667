/* SPDX-License-Identifier: Apache-2.0 */
/*
 * embed_flow.c - a program written the way a user of libidc writes one: only <idc/...>
 * headers, linked with the installed form of the library, doing what idcctl does. It
 * lists a directory's users with their status, syncs them into an inventory, describes
 * one user, plans and runs its deletion, and syncs again (tests/mockaws/test_libidc.py
 * runs it against mockaws for both kinds). Output: one line per fact, for the test.
 *
 *   embed_flow identitycenter|iam ENDPOINT STORE_ID|- STATE_DIR USER_NAME
 * Keys, CA bundle and proxy come from the environment, as the aws CLI finds them.
 */
#include <stdio.h>
#include <string.h>

#include <idc/directory.h>
#include <idc/iam.h>
#include <idc/identitystore.h>
#include <idc/inventory.h>
#include <idc/resolve.h>
#include <idc/str.h>
#include <idc/version.h>

struct counts {
    unsigned long users, enabled, disabled, none;
};

static int count_user(const struct idc_user *u, void *ud)
{
    struct counts *c = ud;
    c->users++;
    if (u->status == NULL) {
        c->none++;
    } else if (strcmp(u->status, "ENABLED") == 0) {
        c->enabled++;
    } else {
        c->disabled++;
    }
    return 0;
}

static void print_step(const struct idc_plan_step *s, const struct idc_error *failure, void *ud)
{
    (void)ud;
    printf("ran %s %s %s%s%s\n", s->text, s->item ? s->item : "-", idc_step_state_name(s->state),
           failure ? ": " : "", failure ? failure->msg : "");
}

static int fail(const char *what, const struct idc_error *err)
{
    printf("error %s: %s: %s\n", what, idc_err_name(err->code), err->msg);
    return 1;
}

/* Saves the connection as an integration and syncs it; prints the counts. */
static int sync_once(struct idc_inventory *inv, const struct idc_integration *in,
                     const struct idc_client_config *base)
{
    struct idc_directory *dir = NULL;
    struct idc_sync_result res;
    struct idc_error err = {0};
    idc_err rc = idc_integration_open(in, base, &dir, &err);
    rc = rc ? rc : idc_sync_directory(inv, in->label, dir, NULL, &res, &err);
    idc_directory_free(dir);
    if (rc != IDC_OK) {
        return fail("sync", &err);
    }
    printf("synced users %lld added %lld removed %lld\n", (long long)res.users,
           (long long)res.added, (long long)res.removed);
    return 0;
}

static int delete_user(struct idc_directory *dir, const char *user_name)
{
    struct idc_user_info *info = NULL;
    struct idc_plan *plan = NULL;
    struct idc_error err = {0};
    if (idc_directory_describe_user(dir, NULL, user_name, &info, &err) != IDC_OK) {
        return fail("describe", &err);
    }
    printf("described %s %s items %zu\n", info->user.user_name,
           info->user.status ? info->user.status : "-", info->item_count);
    int rc = 0;
    if (idc_directory_plan_delete(dir, info, &plan, &err) != IDC_OK) {
        rc = fail("plan", &err);
    }
    for (size_t i = 0; rc == 0 && i < plan->step_count; i++) {
        printf("planned %s %s %s\n", plan->steps[i].text,
               plan->steps[i].item ? plan->steps[i].item : "-", plan->steps[i].action);
    }
    if (rc == 0 && idc_directory_execute(dir, plan, print_step, NULL, &err) != IDC_OK) {
        rc = fail("delete", &err);
    }
    idc_plan_free(plan);
    idc_user_info_free(info);
    return rc;
}

/* The saved form of the connection (its keys as resolved: the test gives them in the
 * environment). IDC_ERR_SPACE when a value is longer than the inventory keeps. */
static idc_err integration_of(const struct idc_directory_config *dc, const struct idc_resolved *r,
                              struct idc_integration *in, struct idc_error *err)
{
    memset(in, 0, sizeof *in);
    snprintf(in->label, sizeof in->label, "embedded");
    in->kind = dc->kind;
    const struct {
        const char *value;
        char *out;
        size_t cap;
    } fields[] = {
        {r->endpoint.signing_region, in->region, sizeof in->region},
        {dc->store_id, in->store_id, sizeof in->store_id},
        {r->endpoint.url, in->endpoint_url, sizeof in->endpoint_url},
        {r->creds.access_key_id, in->access_key_id, sizeof in->access_key_id},
        {r->creds.secret_access_key, in->secret_access_key, sizeof in->secret_access_key},
        {r->creds.session_token, in->session_token, sizeof in->session_token},
    };
    idc_err rc = IDC_OK;
    for (size_t i = 0; rc == IDC_OK && i < sizeof fields / sizeof fields[0]; i++) {
        rc = idc_str_copy(idc_str_c(fields[i].value), fields[i].out, fields[i].cap, "a setting",
                          err);
    }
    return rc;
}

static int run(const struct idc_directory_config *dc, const struct idc_resolved *r,
               const char *state, const char *user_name)
{
    struct idc_directory *dir = NULL;
    struct idc_inventory *inv = NULL;
    struct idc_integration in = {0};
    struct counts c = {0};
    struct idc_error err = {0};
    int rc = 0;
    if (idc_directory_open(&dir, dc, &err) != IDC_OK || idc_directory_check(dir, &err) != IDC_OK ||
        idc_directory_list_users(dir, count_user, &c, &err) != IDC_OK) {
        rc = fail("list", &err);
    }
    printf("listed %lu users: %lu enabled, %lu disabled, %lu without status\n", c.users, c.enabled,
           c.disabled, c.none);
    if (rc == 0 && (integration_of(dc, r, &in, &err) != IDC_OK ||
                    idc_inventory_open(&inv, state, 0, &err) != IDC_OK ||
                    idc_inventory_add_integration(inv, &in, &err) != IDC_OK)) {
        rc = fail("inventory", &err);
    }
    rc = rc ? rc : sync_once(inv, &in, &dc->client);
    rc = rc ? rc : delete_user(dir, user_name);
    rc = rc ? rc : sync_once(inv, &in, &dc->client);
    idc_integration_wipe(&in);
    idc_inventory_close(inv);
    idc_directory_free(dir);
    return rc;
}

int main(int argc, char **argv)
{
    struct idc_directory_config dc = {0};
    if (argc != 6 || !idc_kind_parse(argv[1], &dc.kind)) {
        fprintf(stderr, "usage: embed_flow identitycenter|iam ENDPOINT STORE_ID|- STATE_DIR "
                        "USER_NAME\n");
        return 2;
    }
    printf("libidc %s on %s\n", idc_version(), idc_crypto_library());
    static struct idc_resolved r;
    struct idc_resolve_input ri = {.region = "us-east-1", .endpoint_url = argv[2]};
    struct idc_error err = {0};
    if (idc_resolve_all(&ri, idc_kind_service(dc.kind), &r, &err) != IDC_OK) {
        return fail("resolve", &err);
    }
    dc.store_id = strcmp(argv[3], "-") == 0 ? NULL : argv[3];
    dc.client = r.config;
    dc.client.user_agent = "embed_flow/1.0";
    int rc = run(&dc, &r, argv[4], argv[5]);
    idc_resolved_cleanup(&r);
    return rc;
}
