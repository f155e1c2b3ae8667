/* SPDX-License-Identifier: Apache-2.0 */
/*
 * idc_drive.c - drives libidc's operations from the command line for the integration tests
 * and benchmarks (tests/mockaws/test_libidc.py, tests/bench/client_bench.sh): one
 * operation per run against an endpoint, keys and network settings resolved from the
 * environment like the AWS CLI, results and statistics printed one per line. It links the
 * installed form of libidc and includes only its public headers. `null-args` and
 * `iam-ids-list-users` misuse the API on purpose, to show the refusals. Not a product:
 * idcctl is.
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

#include "idc/directory.h"
#include "idc/iam.h"
#include "idc/identitystore.h"
#include "idc/resolve.h"

struct drive {
    struct idc_client_config cfg;
    bool show;
    unsigned long users, pages;
};

static void trace_line(const char *line, void *ud)
{
    (void)ud;
    fprintf(stderr, "%s\n", line);
}

static int on_user(const struct idc_ids_user *u, void *ud)
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

static int on_page(unsigned page, size_t users, void *ud)
{
    struct drive *d = ud;
    (void)users;
    d->pages = page;
    return 0;
}

static int on_membership(const char *membership_id, const char *group_id, void *ud)
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

static void on_step(const struct idc_plan_step *s, const struct idc_error *failure, void *ud)
{
    static const char *const states[] = {"pending", "done", "already-done", "failed"};
    (void)failure;
    (void)ud;
    printf("step %s %s %s\n", s->text, s->item ? s->item : "-", states[s->state]);
}

/* A user with its status from the domain layer: "user ID NAME STATUS [console keys]". */
static int on_directory_user(const struct idc_user *u, void *ud)
{
    struct drive *d = ud;
    d->users++;
    if (d->show) {
        printf("user %s %s %s", u->user_id, u->user_name, u->status ? u->status : "-");
        if (u->console_access >= 0) {
            printf(" console=%d keys=%d", u->console_access, u->active_keys);
        }
        printf("\n");
    }
    return 0;
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

/* A whole deletion through the domain layer: describe, plan, run; each step printed. */
static idc_err delete_user(struct idc_directory *dir, const char *user_name, struct idc_error *err)
{
    struct idc_user_info *info = NULL;
    struct idc_plan *plan = NULL;
    idc_err rc = idc_directory_describe_user(dir, NULL, user_name, &info, err);
    rc = rc ? rc : idc_directory_plan_delete(dir, info, &plan, err);
    for (size_t i = 0; rc == IDC_OK && i < plan->step_count; i++) {
        printf("plan %s %s %s\n", plan->steps[i].text,
               plan->steps[i].item ? plan->steps[i].item : "-", plan->steps[i].action);
    }
    rc = rc ? rc : idc_directory_execute(dir, plan, on_step, NULL, err);
    idc_plan_free(plan);
    idc_user_info_free(info);
    return rc;
}

/*
 * The domain layer's operations (directory.h): "directory-users STORE", "directory-delete
 * STORE NAME", "iam-directory-users", "iam-delete-user NAME".
 */
static bool is_directory_op(const char *op)
{
    return strncmp(op, "directory-", 10) == 0 || strncmp(op, "iam-directory-", 14) == 0 ||
           strcmp(op, "iam-delete-user") == 0;
}

static idc_err run_directory(struct drive *d, const struct idc_client_config *cfg, char **a, int n,
                             struct idc_error *err)
{
    bool iam = strncmp(a[0], "iam-", 4) == 0;
    struct idc_directory_config dc = {
        .kind = iam ? IDC_KIND_IAM : IDC_KIND_IDENTITY_CENTER,
        .store_id = !iam && n > 1 ? a[1] : NULL,
        .client = *cfg,
    };
    struct idc_directory *dir = NULL;
    double start = now_ms();
    idc_err rc = idc_directory_open(&dir, &dc, err);
    if (rc != IDC_OK) {
        return rc;
    }
    const char *op = a[0] + (iam ? 4 : 0);
    if (strcmp(op, "directory-users") == 0) {
        rc = idc_directory_list_users(dir, on_directory_user, d, err);
    } else if (strcmp(op, "delete-user") == 0 && n == 2) {
        rc = delete_user(dir, a[1], err);
    } else if (strcmp(op, "directory-delete") == 0 && n == 3) {
        rc = delete_user(dir, a[2], err);
    } else {
        rc = idc_error_set(err, IDC_ERR_ARG, "unknown directory operation or arguments: %s", a[0]);
    }
    print_stats(d, idc_directory_client(dir), now_ms() - start);
    idc_directory_free(dir);
    return rc;
}

static int report(idc_err e, const struct idc_error *err)
{
    if (e == IDC_OK) {
        return 0;
    }
    printf("error %s code=%s status=%d retryable=%d request_id=%s\n", idc_err_name(err->code),
           err->aws_code[0] ? err->aws_code : "-", err->http_status, err->retryable,
           err->request_id[0] ? err->request_id : "-");
    fprintf(stderr, "error: %s\n", err->msg);
    return 1;
}

int main(int argc, char **argv)
{
    static struct drive d;
    const char *region = "us-east-1";
    int rc = parse(argc, argv, &d, &region);
    if (rc >= 0) {
        return rc;
    }
    char **op = argv + optind + 1;
    int nargs = argc - optind - 1;
    bool iam = strncmp(op[0], "iam-", 4) == 0;
    const struct idc_service *service = iam ? &idc_service_iam : &idc_service_identitystore;
    struct idc_error err = {0};
    /* the endpoint and region given, the keys, CA bundle and proxy as the aws CLI finds them */
    struct idc_resolve_input in = {
        .region = region, .endpoint_url = argv[optind], .ca_bundle = d.cfg.ca_bundle};
    static struct idc_resolved r;
    if (idc_resolve_all(&in, service, &r, &err) != IDC_OK) {
        fprintf(stderr, "error: %s: %s\n", idc_err_name(err.code), err.msg);
        return 1;
    }
    struct idc_client_config cfg = d.cfg;
    idc_resolve_fill_config(&cfg, service, &r.creds, &r.endpoint, &r.network);
    idc_err e;
    if (is_directory_op(op[0])) {
        e = run_directory(&d, &cfg, op, nargs, &err);
    } else {
        struct idc_client *c;
        double start = now_ms();
        e = idc_client_new(&c, &cfg, &err);
        if (e == IDC_OK) {
            e = iam ? run_iam(&d, c, op, nargs, &err) : run_ids(&d, c, op, nargs, &err);
            print_stats(&d, c, now_ms() - start);
            idc_client_free(c);
        }
    }
    idc_resolved_cleanup(&r);
    return report(e, &err);
}
