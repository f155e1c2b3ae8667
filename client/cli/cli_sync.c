/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_sync.c - `idcctl sync` and `idcctl sync-runs`: every user of each integration, status
 * included, into the inventory. Integrations run in parallel (--jobs), each on its own
 * inventory connection and directory; each sync is the library's (idc_sync_directory:
 * staging while listing, one short commit, the inventory intact after a failure or a
 * kill). This file chooses, runs in parallel, shows progress and reports. --every repeats
 * it in the foreground, one run at a time.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "cli_args.h"
#include "cli_home.h"
#include "cli_users.h"
#include "idc/iam.h"
#include "idc/identitystore.h"

static const char sync_usage[] =
    "usage: idcctl sync (--label L | --all) [--jobs N] [--every DURATION] [--output json]\n"
    "                   [--timeout SECONDS] [--connect-timeout SECONDS]\n"
    "                   [--no-progress] [--quiet] [--debug]\n"
    "\n"
    "Pulls every user, with its status, of each integration into the inventory and prints\n"
    "per integration: users, added, removed, changed (status changes named). Integrations run\n"
    "in parallel, at most N at a time (default 4). A failed or interrupted sync leaves the\n"
    "previous inventory as it was and is recorded (`idcctl sync-runs`). IAM users get a\n"
    "derived status: ENABLED with a console password or an active access key, else DISABLED.\n"
    "--every 15m keeps syncing on that period in the foreground (for a service manager or a\n"
    "container), one run at a time under a lock.\n"
    "\n"
    "Exit status: 0 all succeeded, 5 some failed, else the failure's own code.\n";

struct change {
    char *user_id, *user_name, *from, *to;
};

struct job {
    struct idc_integration in;
    /* outcome */
    bool ok;
    int code;
    char error[512];
    struct idc_sync_result res;
    struct change *changes;
    size_t change_count, change_cap;
    size_t changes_lost; /* not kept for want of memory: counted, never silent */
    /* progress */
    long staged;
};

struct run {
    const char *home; /* the state folder: each job opens its own inventory connection */
    const struct cli_conn_opts *conn; /* --debug, --quiet, the timeouts */
    struct job *jobs;
    size_t count, cap;
    bool no_memory; /* an integration could not be added to the run */
    size_t next;    /* the next job to start, under `lock` */
    unsigned workers;
    bool progress;
    pthread_mutex_t lock;
};

/* ---- progress (a TTY only) ---------------------------------------------------------- */

static void show_progress(struct run *r)
{
    char line[256];
    size_t len = 0;
    long total = 0;
    for (size_t i = 0; i < r->count; i++) {
        total += __atomic_load_n(&r->jobs[i].staged, __ATOMIC_RELAXED);
    }
    len = (size_t)snprintf(line, sizeof line, "\rsyncing %zu integration%s: %ld users so far",
                           r->count, r->count == 1 ? "" : "s", total);
    fwrite(line, 1, len < sizeof line ? len : sizeof line - 1, stderr);
    fflush(stderr);
}

/* ---- one integration ---------------------------------------------------------------- */

struct progress {
    struct run *run;
    struct job *job;
};

/* A progress line every 1,000 users or so: the staging thread calls this after each batch. */
static void on_progress(int64_t staged, void *ud)
{
    struct progress *p = ud;
    long before = __atomic_exchange_n(&p->job->staged, (long)staged, __ATOMIC_RELAXED);
    if (p->run->progress && staged / 1000 != before / 1000) {
        pthread_mutex_lock(&p->run->lock);
        show_progress(p->run);
        pthread_mutex_unlock(&p->run->lock);
    }
}

/* One block per change: user_id owns the four strings. */
static void keep_change(const struct idc_status_change *c, void *ud)
{
    struct job *j = ud;
    if (j->change_count == j->change_cap) {
        size_t cap = j->change_cap ? j->change_cap * 2 : 16;
        struct change *grown = realloc(j->changes, cap * sizeof *grown);
        if (grown == NULL) {
            j->changes_lost++;
            return;
        }
        j->changes = grown;
        j->change_cap = cap;
    }
    const char *from = c->from ? c->from : "";
    size_t n[4] = {strlen(c->user_id) + 1, strlen(c->user_name) + 1, strlen(from) + 1,
                   strlen(c->to) + 1};
    char *block = malloc(n[0] + n[1] + n[2] + n[3]);
    if (block == NULL) {
        j->changes_lost++;
        return;
    }
    struct change *k = &j->changes[j->change_count++];
    k->user_id = memcpy(block, c->user_id, n[0]);
    k->user_name = memcpy(block + n[0], c->user_name, n[1]);
    k->from = c->from ? memcpy(block + n[0] + n[1], from, n[2]) : NULL;
    k->to = memcpy(block + n[0] + n[1] + n[2], c->to, n[3]);
}

static void fail_job(struct job *j, const struct idc_error *err)
{
    j->ok = false;
    j->code = cli_exit_code(err);
    snprintf(j->error, sizeof j->error, "%s", err->msg);
}

/* A sync that could not start is recorded as a failed run, like any other. */
static void record_failure(struct idc_inventory *inv, const char *label,
                           const struct idc_error *cause)
{
    struct idc_sync *sync = NULL;
    struct idc_error ignored = {0};
    if (idc_sync_begin(inv, label, &sync, &ignored) == IDC_OK) {
        idc_sync_fail(sync, cause->msg);
    }
    idc_sync_free(sync);
}

static void sync_one(struct run *r, struct job *j)
{
    struct idc_inventory *inv = NULL;
    struct idc_directory *dir = NULL;
    struct idc_error err = {0};
    struct progress p = {r, j};
    struct idc_sync_options opts = {
        .on_change = keep_change, .change_ud = j, .on_progress = on_progress, .progress_ud = &p};
    struct cli_client_base *base = malloc(sizeof *base); /* network, User-Agent, transport */
    const char *profile = j->in.profile[0] ? j->in.profile : NULL;
    idc_err rc = base ? IDC_OK : idc_error_set(&err, IDC_ERR_NOMEM, "out of memory");
    rc = rc ? rc : idc_inventory_open(&inv, r->home, 0, &err);
    rc = rc ? rc : cli_client_base_init(base, r->conn, profile, j->in.label, &err);
    rc = rc ? rc : idc_integration_open(&j->in, &base->cfg, &dir, &err);
    if (rc != IDC_OK && inv != NULL) {
        record_failure(inv, j->in.label, &err); /* a profile without keys, say */
    }
    rc = rc ? rc : idc_sync_directory(inv, j->in.label, dir, &opts, &j->res, &err);
    j->ok = rc == IDC_OK;
    if (!j->ok) {
        fail_job(j, &err);
    }
    idc_directory_free(dir);
    idc_inventory_close(inv);
    free(base);
}

static void *worker(void *arg)
{
    struct run *r = arg;
    for (;;) {
        pthread_mutex_lock(&r->lock);
        size_t i = r->next < r->count ? r->next++ : r->count;
        pthread_mutex_unlock(&r->lock);
        if (i == r->count) {
            return NULL;
        }
        sync_one(r, &r->jobs[i]);
    }
}

/* ---- reporting ---------------------------------------------------------------------- */

/* Failures go to stderr even with --quiet; --quiet drops only the success lines. */
static void print_text(const struct run *r, bool quiet)
{
    for (size_t i = 0; i < r->count; i++) {
        const struct job *j = &r->jobs[i];
        if (!j->ok) {
            cli_line(stderr, "idcctl: %s: sync failed: %s", j->in.label, j->error);
            continue;
        }
        if (quiet) {
            continue;
        }
        printf("%s: %lld users, %lld added, %lld removed, %lld changed\n", j->in.label,
               (long long)j->res.users, (long long)j->res.added, (long long)j->res.removed,
               (long long)j->res.changed);
        for (size_t k = 0; k < j->change_count; k++) {
            const struct change *c = &j->changes[k];
            cli_line(stdout, "  %s: %s -> %s", c->user_name, c->from ? c->from : "-", c->to);
        }
        if (j->changes_lost) {
            printf("  (%zu more status changes not shown: out of memory)\n", j->changes_lost);
        }
    }
}

static cJSON *job_json(const struct job *j)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "Label", j->in.label);
    cJSON_AddStringToObject(o, "Result", j->ok ? "ok" : "failed");
    cJSON_AddNumberToObject(o, "Users", (double)j->res.users);
    cJSON_AddNumberToObject(o, "Added", (double)j->res.added);
    cJSON_AddNumberToObject(o, "Removed", (double)j->res.removed);
    cJSON_AddNumberToObject(o, "Changed", (double)j->res.changed);
    cJSON *changes = cJSON_AddArrayToObject(o, "StatusChanges");
    for (size_t k = 0; k < j->change_count; k++) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "UserId", j->changes[k].user_id);
        cJSON_AddStringToObject(c, "UserName", j->changes[k].user_name);
        cJSON_AddItemToObject(c, "From",
                              j->changes[k].from ? cJSON_CreateString(j->changes[k].from)
                                                 : cJSON_CreateNull());
        cJSON_AddStringToObject(c, "To", j->changes[k].to);
        cJSON_AddItemToArray(changes, c);
    }
    cJSON_AddItemToObject(o, "Error", j->ok ? cJSON_CreateNull() : cJSON_CreateString(j->error));
    return o;
}

static void print_json(const struct run *r)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(doc, "Integrations");
    for (size_t i = 0; i < r->count; i++) {
        cJSON_AddItemToArray(list, job_json(&r->jobs[i]));
    }
    cli_json_print(stdout, doc);
    cJSON_Delete(doc);
}

/* 0 all ok, 5 some failed, else the (first) failure's own code. */
static int run_status(const struct run *r)
{
    size_t failed = 0;
    int first = CLI_EXIT_ERROR;
    for (size_t i = 0; i < r->count; i++) {
        if (!r->jobs[i].ok && failed++ == 0) {
            first = r->jobs[i].code;
        }
    }
    return failed == 0 ? CLI_EXIT_OK : failed < r->count ? CLI_EXIT_PARTIAL : first;
}

static void free_jobs(struct run *r)
{
    for (size_t i = 0; i < r->count; i++) {
        for (size_t k = 0; k < r->jobs[i].change_count; k++) {
            free(r->jobs[i].changes[k].user_id); /* the block holding all four */
        }
        free(r->jobs[i].changes);
        idc_integration_wipe(&r->jobs[i].in);
    }
    free(r->jobs);
    r->jobs = NULL;
    r->count = 0;
}

/* ---- choosing and running ----------------------------------------------------------- */

/*
 * Adds a job for `in`. The array grows by hand, not with realloc: the block it leaves holds
 * keys, and is wiped before it is freed.
 */
static int collect(const struct idc_integration *in, void *ud)
{
    struct run *r = ud;
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 4;
        struct job *grown = calloc(cap, sizeof *grown);
        if (grown == NULL) {
            r->no_memory = true;
            return 1;
        }
        if (r->count > 0) {
            memcpy(grown, r->jobs, r->count * sizeof *grown);
            idc_wipe(r->jobs, r->count * sizeof *grown);
        }
        free(r->jobs);
        r->jobs = grown;
        r->cap = cap;
    }
    r->jobs[r->count++].in = *in;
    return 0;
}

/* The integrations to sync: --all, or the one --label names. */
static int choose(const struct cli_args *a, struct idc_inventory *inv, struct run *r)
{
    struct idc_error err = {0};
    int rc = CLI_CONTINUE;
    if (a->all) {
        if (idc_inventory_list_integrations(inv, collect, r, &err) != IDC_OK) {
            rc = cli_report(&err, NULL);
        }
    } else {
        struct idc_integration one;
        if (idc_inventory_get_integration(inv, a->conn.label, &one, &err) == IDC_OK) {
            collect(&one, r);
        } else {
            rc = cli_report(&err, "see `idcctl integration list`");
        }
        idc_integration_wipe(&one);
    }
    if (rc == CLI_CONTINUE && r->no_memory) {
        return cli_fail(NULL, "out of memory listing the integrations to sync");
    }
    if (rc == CLI_CONTINUE && r->count == 0) {
        fprintf(stderr, "idcctl: no integrations to sync\nhint: add one with `idcctl "
                        "integration add`\n");
        return CLI_EXIT_NOT_FOUND;
    }
    return rc;
}

/* Runs the jobs on at most `workers` threads (this one when none can start). */
static void run_jobs(struct run *r)
{
    unsigned n = r->workers < r->count ? r->workers : (unsigned)r->count;
    pthread_t threads[64];
    unsigned started = 0;
    while (started < n && pthread_create(&threads[started], NULL, worker, r) == 0) {
        started++;
    }
    if (started == 0) {
        worker(r);
    }
    for (unsigned i = 0; i < started; i++) {
        pthread_join(threads[i], NULL);
    }
}

static int sync_once(const struct cli_args *a, struct idc_inventory *inv, const char *home)
{
    struct run r = {.home = home, .conn = &a->conn, .workers = a->jobs ? a->jobs : 4};
    pthread_mutex_init(&r.lock, NULL);
    int rc = choose(a, inv, &r);
    if (rc == CLI_CONTINUE) {
        r.progress = isatty(STDERR_FILENO) && !a->no_progress && !a->quiet;
        run_jobs(&r);
        if (r.progress) {
            fputs("\r\033[K", stderr);
        }
        if (a->output == CLI_OUTPUT_JSON) {
            print_json(&r);
        } else {
            print_text(&r, a->quiet);
        }
        rc = run_status(&r);
    }
    free_jobs(&r);
    pthread_mutex_destroy(&r.lock);
    return rc;
}

/* ---- --every ------------------------------------------------------------------------ */

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* One run at a time: an exclusive lock on <home>/sync.lock for the length of a run. */
static int lock_runs(const char *home, int *fd)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/sync.lock", home);
    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (*fd < 0 || flock(*fd, LOCK_EX) != 0) {
        return cli_fail("another `idcctl sync` may be running; it holds this lock",
                        "cannot lock %s: %s", path, strerror(errno));
    }
    return CLI_CONTINUE;
}

/* Locked runs: one, or one every --every until SIGINT or SIGTERM. */
static int run_locked(const struct cli_args *a, struct idc_inventory *inv, const char *home)
{
    if (a->every_seconds > 0) {
        struct sigaction sa = {0};
        sa.sa_handler = on_stop;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
    }
    int last = CLI_EXIT_OK;
    do {
        time_t start = time(NULL);
        int fd = -1;
        int rc = lock_runs(home, &fd);
        if (rc != CLI_CONTINUE) {
            return rc;
        }
        last = sync_once(a, inv, home);
        close(fd);
        fflush(stdout);
        time_t next = start + (time_t)a->every_seconds;
        while (a->every_seconds > 0 && !stop_requested && time(NULL) < next) {
            sleep(1);
        }
    } while (a->every_seconds > 0 && !stop_requested);
    return last;
}

int cli_sync_main(int argc, char **argv)
{
    unsigned long allowed = CLI_ALLOW(CLI_OPT_LABEL) | CLI_ALLOW(CLI_OPT_ALL) |
                            CLI_ALLOW(CLI_OPT_JOBS) | CLI_ALLOW(CLI_OPT_EVERY) |
                            CLI_ALLOW(CLI_OPT_OUTPUT) | CLI_ALLOW_NET | CLI_ALLOW_COMMON;
    struct cli_args a;
    int rc = cli_args_parse(argc, argv, "sync", allowed, sync_usage, &a);
    if (rc != CLI_CONTINUE) {
        return rc;
    }
    if ((a.conn.label == NULL) == !a.all) {
        return cli_usage_error("sync", "give --label L or --all (syncing works on saved "
                                       "integrations: `idcctl integration add`)");
    }
    if (a.output == CLI_OUTPUT_CSV) {
        return cli_usage_error("sync", "--output takes table or json here");
    }
    char home[1024];
    struct idc_inventory *inv = NULL;
    rc = cli_home_path(home, sizeof home);
    rc = rc == CLI_CONTINUE ? cli_home_open(&inv) : rc; /* makes the folder (0700) on first use */
    rc = rc == CLI_CONTINUE ? run_locked(&a, inv, home) : rc;
    idc_inventory_close(inv);
    return rc;
}

/* ---- sync-runs ---------------------------------------------------------------------- */

static const char runs_usage[] =
    "usage: idcctl sync-runs [--label L] [--limit N] [--output table|json|csv]\n"
    "\n"
    "Lists the recorded syncs, newest first: when, result, counts, and the cause of a\n"
    "failure (a sync killed mid-way shows as failed, interrupted).\n";

static int one_run(const struct idc_sync_run *run, void *ud)
{
    struct cli_listing *l = ud;
    char started[32], finished[32], n[5][24];
    cli_iso_time(run->started_at, started);
    cli_iso_time(run->finished_at, finished);
    long long v[5] = {run->id, run->users, run->added, run->removed, run->changed};
    for (int i = 0; i < 5; i++) {
        snprintf(n[i], sizeof n[i], "%lld", v[i]);
    }
    const char *row[] = {n[0], run->integration, started, finished, run->result, n[1], n[2], n[3],
                         n[4], run->error};
    cJSON *j = NULL;
    if (cli_listing_json(l)) {
        j = cJSON_CreateObject();
        cJSON_AddNumberToObject(j, "Id", (double)run->id);
        cJSON_AddStringToObject(j, "Label", run->integration);
        cJSON_AddStringToObject(j, "StartedAt", started);
        cJSON_AddItemToObject(j, "FinishedAt",
                              finished[0] ? cJSON_CreateString(finished) : cJSON_CreateNull());
        cJSON_AddStringToObject(j, "Result", run->result);
        cJSON_AddNumberToObject(j, "Users", (double)run->users);
        cJSON_AddNumberToObject(j, "Added", (double)run->added);
        cJSON_AddNumberToObject(j, "Removed", (double)run->removed);
        cJSON_AddNumberToObject(j, "Changed", (double)run->changed);
        cJSON_AddItemToObject(j, "Error",
                              run->error && run->error[0] ? cJSON_CreateString(run->error)
                                                          : cJSON_CreateNull());
    }
    cli_listing_add(l, row, j);
    return 0;
}

int cli_sync_runs_main(int argc, char **argv)
{
    static const char *const headers[] = {"ID",    "LABEL", "STARTED", "FINISHED", "RESULT",
                                          "USERS", "ADDED", "REMOVED", "CHANGED",  "ERROR"};
    static const char *const csv_names[] = {"Id",    "Label", "StartedAt", "FinishedAt", "Result",
                                            "Users", "Added", "Removed",   "Changed",    "Error"};
    struct cli_args a;
    int rc = cli_args_parse(argc, argv, "sync-runs",
                            CLI_ALLOW(CLI_OPT_LABEL) | CLI_ALLOW(CLI_OPT_LIMIT) |
                                CLI_ALLOW(CLI_OPT_OUTPUT) | CLI_ALLOW_COMMON,
                            runs_usage, &a);
    struct idc_inventory *inv = NULL;
    struct idc_error err = {0};
    rc = rc == CLI_CONTINUE ? cli_home_open(&inv) : rc;
    if (rc != CLI_CONTINUE) {
        return rc;
    }
    struct cli_listing l;
    cli_listing_init(&l, a.output, 10, headers, csv_names, "SyncRuns");
    if (idc_inventory_list_sync_runs(inv, a.conn.label, a.limit, one_run, &l, &err) != IDC_OK) {
        rc = cli_report(&err, NULL);
    }
    cli_listing_finish(&l);
    idc_inventory_close(inv);
    return rc == CLI_CONTINUE ? CLI_EXIT_OK : rc;
}
