/* SPDX-License-Identifier: Apache-2.0 */
/*
 * idc_drive.c - drives libidc's operations from the command line for the integration tests
 * and benchmarks (tests/mockaws/test_libidc.py, tests/bench/client_bench.sh): one
 * operation per run against an endpoint, keys resolved from the environment like the AWS
 * CLI, results and statistics printed one per line. `null-args` and `iam-ids-list-users`
 * misuse the API on purpose, to show the refusals. Not a product: idcctl is.
 *
 *   idc_drive [--transport T] [--ca FILE] [--region R] [--attempts N] [--base-ms N]
 *             [--trace] [--show] ENDPOINT OPERATION ARGS...
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "idc/iam.h"
#include "idc/identitystore.h"
#include "idc/resolve.h"

struct drive {
    struct idc_client_config cfg;
    bool show;
    unsigned long users, pages;
};

static void trace_line(void *ud, const char *line)
{
    (void)ud;
    fprintf(stderr, "%s\n", line);
}

static int on_user(void *ud, const struct idc_ids_user *u)
{
    struct drive *d = ud;
    d->users++;
    if (d->show) {
        printf("user %s %s %s %s %s\n", u->user_id, u->user_name ? u->user_name : "-",
               u->status ? u->status : "-", u->external ? "external" : "local",
               u->email ? u->email : "-");
    }
    return 0;
}

static int on_page(void *ud, unsigned page, size_t users)
{
    struct drive *d = ud;
    (void)users;
    d->pages = page;
    return 0;
}

static int on_membership(void *ud, const char *membership_id, const char *group_id)
{
    (void)ud;
    printf("membership %s group %s\n", membership_id, group_id);
    return 0;
}

static int on_iam_user(const struct idc_iam_user *u, void *ud)
{
    struct drive *d = ud;
    d->users++;
    if (d->show) {
        printf("iam-user %s %s %s\n", u->user_name, u->user_id, u->arn);
    }
    return 0;
}

static int on_group(const struct idc_iam_group *g, void *ud)
{
    (void)ud;
    printf("group %s\n", g->group_name);
    return 0;
}

static void on_step(const struct idc_iam_step *s, void *ud)
{
    static const char *const outcomes[] = {"done", "nothing", "already-done", "failed"};
    (void)ud;
    printf("step %s %s %s\n", s->step, s->item ? s->item : "-", outcomes[s->outcome]);
}

static void print_refusal(const char *call, idc_err rc, const struct idc_error *err)
{
    printf("refused %s %s %s\n", call, idc_err_name(rc), rc ? err->msg : "-");
}

/* Every Identity Store operation with one argument NULL: refused before anything is sent. */
static idc_err run_null_args(struct drive *d, struct idc_client *c, const char *store,
                             struct idc_error *err)
{
    char out[64];
    print_refusal("list-users", idc_ids_list_users(c, NULL, on_user, NULL, d, err), err);
    print_refusal("list-users-client", idc_ids_list_users(NULL, store, on_user, NULL, d, err), err);
    print_refusal("describe-user", idc_ids_describe_user(c, store, NULL, on_user, d, err), err);
    print_refusal("get-user-id",
                  idc_ids_get_user_id(c, store, "userName", NULL, out, sizeof out, err), err);
    print_refusal("get-user-id-out", idc_ids_get_user_id(c, store, "userName", "x", NULL, 0, err),
                  err);
    print_refusal("delete-user", idc_ids_delete_user(c, store, NULL, err), err);
    print_refusal("memberships",
                  idc_ids_list_memberships_for_member(c, store, NULL, on_membership, d, err), err);
    print_refusal("memberships-callback",
                  idc_ids_list_memberships_for_member(c, store, "u-1", NULL, d, err), err);
    print_refusal("describe-group", idc_ids_describe_group(c, store, NULL, out, sizeof out, err),
                  err);
    print_refusal("delete-membership", idc_ids_delete_group_membership(c, store, NULL, err), err);
    return IDC_OK;
}

static idc_err run_ids(struct drive *d, struct idc_client *c, char **a, int n,
                       struct idc_error *err)
{
    const char *op = a[0];
    if (strcmp(op, "list-users") == 0 && n == 2) {
        return idc_ids_list_users(c, a[1], on_user, on_page, d, err);
    }
    if (strcmp(op, "describe-user") == 0 && n == 3) {
        d->show = true;
        return idc_ids_describe_user(c, a[1], a[2], on_user, d, err);
    }
    if (strcmp(op, "get-user-id") == 0 && n == 4) {
        char id[64];
        idc_err rc = idc_ids_get_user_id(c, a[1], a[2], a[3], id, sizeof id, err);
        if (rc == IDC_OK) {
            printf("user-id %s\n", id);
        }
        return rc;
    }
    if (strcmp(op, "delete-user") == 0 && n == 3) {
        return idc_ids_delete_user(c, a[1], a[2], err);
    }
    if (strcmp(op, "memberships") == 0 && n == 3) {
        return idc_ids_list_memberships_for_member(c, a[1], a[2], on_membership, d, err);
    }
    if (strcmp(op, "describe-group") == 0 && n == 3) {
        char name[256];
        idc_err rc = idc_ids_describe_group(c, a[1], a[2], name, sizeof name, err);
        if (rc == IDC_OK) {
            printf("group-name %s\n", name);
        }
        return rc;
    }
    if (strcmp(op, "delete-membership") == 0 && n == 3) {
        return idc_ids_delete_group_membership(c, a[1], a[2], err);
    }
    if (strcmp(op, "null-args") == 0 && n == 2) {
        return run_null_args(d, c, a[1], err);
    }
    return idc_error_set(err, IDC_ERR_ARG, "unknown identitystore operation or arguments: %s", op);
}

static idc_err run_iam(struct drive *d, struct idc_client *c, char **a, int n,
                       struct idc_error *err)
{
    const char *op = a[0];
    if (strcmp(op, "iam-list-users") == 0) {
        return idc_iam_list_users(c, n > 1 ? a[1] : NULL, on_iam_user, d, err);
    }
    if (strcmp(op, "iam-get-user") == 0) {
        struct idc_iam_user u;
        idc_err rc = idc_iam_get_user(c, n > 1 ? a[1] : NULL, &u, err);
        if (rc == IDC_OK) {
            printf("iam-user %s %s %s\n", u.user_name, u.user_id, u.arn);
        }
        return rc;
    }
    if (strcmp(op, "iam-login-profile") == 0 && n == 2) {
        bool has = false;
        idc_err rc = idc_iam_get_login_profile(c, a[1], &has, err);
        if (rc == IDC_OK) {
            printf("password %s\n", has ? "yes" : "no");
        }
        return rc;
    }
    if (strcmp(op, "iam-access-keys") == 0 && n == 2) {
        struct idc_iam_key_counts k;
        idc_err rc = idc_iam_list_access_keys(c, a[1], NULL, NULL, &k, err);
        if (rc == IDC_OK) {
            printf("keys %d active %d\n", k.total, k.active);
        }
        return rc;
    }
    if (strcmp(op, "iam-groups") == 0 && n == 2) {
        return idc_iam_list_groups_for_user(c, a[1], on_group, d, err);
    }
    if (strcmp(op, "iam-delete-user") == 0 && n == 2) {
        return idc_iam_delete_user_cascade(c, a[1], on_step, d, err);
    }
    if (strcmp(op, "iam-ids-list-users") == 0 && n == 2) {
        /* an Identity Store call over this IAM client: refused */
        return idc_ids_list_users(c, a[1], on_user, on_page, d, err);
    }
    return idc_error_set(err, IDC_ERR_ARG, "unknown iam operation or arguments: %s", op);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void print_stats(const struct drive *d, const struct idc_client *c, double ms)
{
    struct idc_client_stats st;
    struct rusage ru;
    idc_client_get_stats(c, &st);
    getrusage(RUSAGE_SELF, &ru);
    printf("stats users %lu pages %lu requests %llu connections %llu retries %llu "
           "wall_ms %.1f peak_rss_kb %ld\n",
           d->users, d->pages, (unsigned long long)st.requests, (unsigned long long)st.connections,
           (unsigned long long)st.retries, ms, ru.ru_maxrss);
}

static int usage(void)
{
    fprintf(stderr, "usage: idc_drive [--transport T] [--ca FILE] [--region R] [--attempts N] "
                    "[--base-ms N] [--trace] [--show] ENDPOINT OPERATION ARGS...\n");
    return 2;
}

static int parse(int argc, char **argv, struct drive *d, const char **region)
{
    static const struct option opts[] = {
        {"transport", required_argument, NULL, 't'},
        {"ca", required_argument, NULL, 'c'},
        {"region", required_argument, NULL, 'r'},
        {"attempts", required_argument, NULL, 'a'},
        {"base-ms", required_argument, NULL, 'b'},
        {"trace", no_argument, NULL, 'T'},
        {"show", no_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    int ch;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 't':
            d->cfg.transport = optarg;
            break;
        case 'c':
            d->cfg.ca_bundle = optarg;
            break;
        case 'r':
            *region = optarg;
            break;
        case 'a':
            d->cfg.max_attempts = atoi(optarg);
            break;
        case 'b':
            d->cfg.base_delay_ms = atoi(optarg);
            break;
        case 'T':
            d->cfg.trace = trace_line;
            break;
        case 's':
            d->show = true;
            break;
        default:
            return usage();
        }
    }
    return argc - optind < 2 ? usage() : -1;
}

int main(int argc, char **argv)
{
    static struct drive d;
    const char *region = "us-east-1";
    int rc = parse(argc, argv, &d, &region);
    if (rc >= 0) {
        return rc;
    }
    const char *endpoint = argv[optind];
    char **op = argv + optind + 1;
    int nargs = argc - optind - 1;
    bool iam = strncmp(op[0], "iam-", 4) == 0;
    struct idc_error err = {0};
    struct idc_resolve_input in = {.region = region};
    static struct idc_resolve_creds creds;
    if (idc_resolve_credentials(&in, &creds, &err) != IDC_OK) {
        fprintf(stderr, "error: %s: %s\n", idc_err_name(err.code), err.msg);
        return 1;
    }
    d.cfg.service = iam ? IDC_SERVICE_IAM : IDC_SERVICE_IDENTITYSTORE;
    d.cfg.endpoint_url = endpoint;
    d.cfg.region = region;
    d.cfg.access_key_id = creds.access_key_id;
    d.cfg.secret_access_key = creds.secret_access_key;
    d.cfg.session_token = creds.has_session_token ? creds.session_token : NULL;
    struct idc_client *c;
    double start = now_ms();
    idc_err e = idc_client_new(&c, &d.cfg, &err);
    idc_resolve_creds_cleanup(&creds);
    if (e == IDC_OK) {
        e = iam ? run_iam(&d, c, op, nargs, &err) : run_ids(&d, c, op, nargs, &err);
        print_stats(&d, c, now_ms() - start);
        idc_client_free(c);
    }
    if (e != IDC_OK) {
        printf("error %s code=%s status=%d retryable=%d request_id=%s\n", idc_err_name(err.code),
               err.aws_code[0] ? err.aws_code : "-", err.http_status, err.retryable,
               err.request_id[0] ? err.request_id : "-");
        fprintf(stderr, "error: %s\n", err.msg);
        return 1;
    }
    return 0;
}
