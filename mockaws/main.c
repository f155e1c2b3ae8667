/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c - mockaws's command line: options, loading the fixtures, starting the server,
 * and a clean stop on SIGINT or SIGTERM (the signals are waited for in this thread only);
 * `mockaws token` mints a test web identity token instead.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "idc/version.h"
#include "timefmt.h"
#include "mock_int.h"
#include "roles.h"

static const char usage[] =
    "usage: mockaws [--fixtures PATH] [options]\n"
    "       mockaws token --fixtures PATH --subject S --audience A [--issuer I]\n"
    "                     [--expires SECONDS]\n"
    "\n"
    "A mock of the AWS Identity Store (awsJson1_1), IAM and STS (awsQuery) APIs over plain\n"
    "HTTP.\n"
    "Every request is authenticated with SigV4 and authorized against the caller's policy,\n"
    "as AWS does; the fixtures are the initial state (spec/mockaws/fixtures.md).\n"
    "\n"
    "Options:\n"
    "  --fixtures PATH       a fixture file, or a folder of *.json files (repeatable);\n"
    "                        none: the installed default world (share/idc/fixtures)\n"
    "  --port N              port to listen on; 0 picks any free port (default 0)\n"
    "  --bind ADDR           address to listen on (default 127.0.0.1)\n"
    "  --ready-file PATH     once listening, write \"PORT\\n\" there (temp file, then rename)\n"
    "  --log PATH            one JSON line per request: time, service, operation, access key\n"
    "                        id, status, error code, fault, latency\n"
    "  --fixed-time YYYYMMDDTHHMMSSZ\n"
    "                        check request dates against this clock and send it as Date\n"
    "                        (replays recorded requests)\n"
    "  --max-skew SECONDS    allowed difference between X-Amz-Date and the clock; default\n"
    "                        300 for Identity Store and 900 for IAM (our reading of AWS)\n"
    "  --synthetic-users N   add N deterministic users to store d-1234567890\n"
    "  --latency-ms N        delay every response by N ms\n"
    "  --faults SPEC         e.g. throttle=0.1,error=0.05,reset=0.02,truncate=0.01,slow=0.01\n"
    "  --seed N              seed for the faults (default 1)\n"
    "  --retry-after SECONDS RetryAfterSeconds sent with fault responses (default 0)\n"
    "  --slow-ms N           how long a slow fault waits (default 1000)\n"
    "  --threads N           worker threads, 1 to 1024 (default 128); each connection holds\n"
    "                        one while it is open, idle or not\n"
    "  --strict-iam-region   IAM requests must be signed for us-east-1, as AWS requires\n"
    "  --version             the version and the libraries it was built with\n"
    "  -h, --help            show this help\n"
    "\n"
    "mockaws token prints a web identity token (a JWT, HS256) signed with the key of the\n"
    "fixtures' first OIDC provider, or of the one whose Url or host is --issuer; it expires\n"
    "after --expires seconds (default 3600; 0 or less mints one already expired).\n";

enum {
    OPT_FIXTURES = 256,
    OPT_PORT,
    OPT_BIND,
    OPT_READY,
    OPT_LOG,
    OPT_FIXED_TIME,
    OPT_MAX_SKEW,
    OPT_SYNTHETIC,
    OPT_LATENCY,
    OPT_FAULTS,
    OPT_SEED,
    OPT_RETRY_AFTER,
    OPT_SLOW_MS,
    OPT_THREADS,
    OPT_STRICT_IAM,
    OPT_VERSION,
};

static const struct option options[] = {
    {"fixtures", required_argument, NULL, OPT_FIXTURES},
    {"port", required_argument, NULL, OPT_PORT},
    {"bind", required_argument, NULL, OPT_BIND},
    {"ready-file", required_argument, NULL, OPT_READY},
    {"log", required_argument, NULL, OPT_LOG},
    {"fixed-time", required_argument, NULL, OPT_FIXED_TIME},
    {"max-skew", required_argument, NULL, OPT_MAX_SKEW},
    {"synthetic-users", required_argument, NULL, OPT_SYNTHETIC},
    {"latency-ms", required_argument, NULL, OPT_LATENCY},
    {"faults", required_argument, NULL, OPT_FAULTS},
    {"seed", required_argument, NULL, OPT_SEED},
    {"retry-after", required_argument, NULL, OPT_RETRY_AFTER},
    {"slow-ms", required_argument, NULL, OPT_SLOW_MS},
    {"threads", required_argument, NULL, OPT_THREADS},
    {"strict-iam-region", no_argument, NULL, OPT_STRICT_IAM},
    {"version", no_argument, NULL, OPT_VERSION},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "mockaws: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\nhint: run 'mockaws --help'\n");
    va_end(ap);
    return 2;
}

static bool number(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    if (s[0] < '0' || s[0] > '9') {
        return false;
    }
    unsigned long long v = strtoull(s, &end, 10);
    if (*end != '\0' || v > max) {
        return false;
    }
    *out = (unsigned long)v;
    return true;
}

/* Parses a numeric option's value; false after telling what is wrong. */
static bool num_opt(const char *name, const char *arg, unsigned long min, unsigned long max,
                    unsigned long *out)
{
    if (!number(arg, max, out) || *out < min) {
        fprintf(stderr, "mockaws: %s takes a number from %lu to %lu, not '%s'\n", name, min, max,
                arg);
        return false;
    }
    return true;
}

/* Returns -1 on success, else the exit status. A flat switch: one case per option. */
static int apply_option(struct mock_options *o, int c, const char *arg)
{
    unsigned long v = 0;
    struct idc_error err = {0};
    switch (c) {
    case OPT_FIXTURES:
        if (o->fixture_count == MOCK_MAX_FIXTURES) {
            return usage_error("at most %d --fixtures (%s)", MOCK_MAX_FIXTURES, arg);
        }
        o->fixtures[o->fixture_count++] = arg;
        return -1;
    case OPT_BIND:
        o->bind = arg;
        return -1;
    case OPT_READY:
        o->ready_file = arg;
        return -1;
    case OPT_LOG:
        o->log_path = arg;
        return -1;
    case OPT_STRICT_IAM:
        o->strict_iam_region = true;
        return -1;
    case OPT_FIXED_TIME:
        if (idc_time_parse_amz(idc_str_c(arg), &o->fixed_time, &err) != IDC_OK) {
            return usage_error("--fixed-time: %s", err.msg);
        }
        o->has_fixed_time = true;
        return -1;
    case OPT_FAULTS:
        if (mock_fault_spec_parse(arg, &o->faults, &err) != IDC_OK) {
            return usage_error("%s", err.msg);
        }
        return -1;
    case OPT_PORT:
        if (!num_opt("--port", arg, 0, 65535, &v)) {
            return 2;
        }
        o->port = (int)v;
        return -1;
    case OPT_MAX_SKEW:
        if (!num_opt("--max-skew", arg, 0, 604800, &v)) {
            return 2;
        }
        o->max_skew = (int64_t)v;
        return -1;
    case OPT_SYNTHETIC:
        if (!num_opt("--synthetic-users", arg, 0, 10000000, &v)) {
            return 2;
        }
        o->synthetic_users = v;
        return -1;
    case OPT_LATENCY:
        if (!num_opt("--latency-ms", arg, 0, 600000, &v)) {
            return 2;
        }
        o->latency_ms = (unsigned)v;
        return -1;
    case OPT_SEED:
        if (!num_opt("--seed", arg, 0, ~0UL, &v)) {
            return 2;
        }
        o->seed = v;
        return -1;
    case OPT_RETRY_AFTER:
        if (!num_opt("--retry-after", arg, 0, 3600, &v)) {
            return 2;
        }
        o->retry_after = (unsigned)v;
        return -1;
    case OPT_SLOW_MS:
        if (!num_opt("--slow-ms", arg, 0, 600000, &v)) {
            return 2;
        }
        o->slow_ms = (unsigned)v;
        return -1;
    case OPT_THREADS:
        if (!num_opt("--threads", arg, 1, MOCK_MAX_THREADS, &v)) {
            return 2;
        }
        o->threads = (unsigned)v;
        return -1;
    default:
        return usage_error("unknown or incomplete option");
    }
}

/*
 * The default world an installed mockaws serves: share/idc/fixtures/default.json beside its
 * bin/, wherever the install was put or moved. NULL when there is none (a build tree: give
 * --fixtures), never another install's.
 */
static const char *installed_fixtures(void)
{
    static char path[PATH_MAX + sizeof MOCK_DEFAULT_FIXTURES_REL];
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash != NULL) {
            *slash = '\0';
            snprintf(path, sizeof path, "%s/%s", exe, MOCK_DEFAULT_FIXTURES_REL);
            if (access(path, R_OK) == 0) {
                return path;
            }
        }
    }
    return NULL;
}

static int parse_options(int argc, char **argv, struct mock_options *o)
{
    *o = (struct mock_options){
        .bind = "127.0.0.1", .seed = 1, .slow_ms = 1000, .threads = MOCK_DEFAULT_THREADS};
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c == 'h') {
            fputs(usage, stdout);
            return 0;
        }
        if (c == OPT_VERSION) {
            printf("mockaws %s (built with %s)\n", IDC_VERSION_STRING, MOCK_BUILT_WITH);
            return 0;
        }
        int rc = apply_option(o, c, optarg);
        if (rc >= 0) {
            return rc;
        }
    }
    if (optind < argc) {
        return usage_error("unexpected argument '%s'", argv[optind]);
    }
    if (o->fixture_count == 0 && (o->fixtures[0] = installed_fixtures()) != NULL) {
        o->fixture_count = 1;
    }
    if (o->fixture_count == 0) {
        return usage_error("give at least one --fixtures PATH (for example %s): no default "
                           "world is installed beside this mockaws",
                           "fixtures/default.json");
    }
    return -1;
}

static int run(struct mock_server *s)
{
    struct idc_error err = {0};
    if (mock_world_load(&s->world, &s->opt, &err) != IDC_OK) {
        fprintf(stderr, "mockaws: %s\n", err.msg);
        return 1;
    }
    if (s->opt.log_path != NULL && (s->log = fopen(s->opt.log_path, "a")) == NULL) {
        fprintf(stderr, "mockaws: cannot open the log %s: %s\n", s->opt.log_path, strerror(errno));
        return 1;
    }
    /* Workers inherit this mask, so only sigwait() below sees the stop signals. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    int port = 0;
    if (mock_server_start(s, &port, &err) != IDC_OK) {
        fprintf(stderr, "mockaws: %s\n", err.msg);
        return 1;
    }
    fprintf(stderr, "mockaws: listening on http://%s:%d\n", s->opt.bind, port);
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, "mockaws: stopping (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
    mock_server_stop(s);
    return 0;
}

/* ---- mockaws token ----------------------------------------------------------------- */

static int token_command(int argc, char **argv)
{
    static const struct option token_options[] = {
        {"fixtures", required_argument, NULL, 'f'}, {"subject", required_argument, NULL, 's'},
        {"audience", required_argument, NULL, 'a'}, {"issuer", required_argument, NULL, 'i'},
        {"expires", required_argument, NULL, 'e'},  {NULL, 0, NULL, 0},
    };
    struct mock_options o = {0};
    const char *subject = NULL, *audience = NULL, *issuer = NULL;
    long long expires = 3600;
    int c;
    while ((c = getopt_long(argc, argv, "", token_options, NULL)) != -1) {
        char *end = NULL;
        if (c == 'f' && o.fixture_count < MOCK_MAX_FIXTURES) {
            o.fixtures[o.fixture_count++] = optarg;
        } else if (c == 's' || c == 'a' || c == 'i') {
            *(c == 's' ? &subject : c == 'a' ? &audience : &issuer) = optarg;
        } else if (c == 'e' &&
                   (expires = strtoll(optarg, &end, 10),
                    *end == '\0' && *optarg && expires > -31536000 && expires < 315360000)) {
        } else {
            return usage_error("token: a bad or unknown option");
        }
    }
    if (optind < argc || subject == NULL || audience == NULL || o.fixture_count == 0) {
        return usage_error("token needs --fixtures, --subject and --audience");
    }
    struct mock_world w;
    struct idc_error err = {0};
    if (mock_world_load(&w, &o, &err) != IDC_OK) {
        fprintf(stderr, "mockaws: %s\n", err.msg);
        mock_world_free(&w);
        return 1;
    }
    const struct mock_oidc *p = mock_roles_provider(w.roles, issuer);
    int rc = 1;
    struct idc_dynbuf jwt = {0};
    int64_t now = (int64_t)time(NULL);
    if (p == NULL) {
        fprintf(stderr, "mockaws: token: no OIDC provider %s%sin the fixtures\n",
                issuer ? issuer : "", issuer ? " " : "");
    } else if (!mock_jwt_mint(p->secret, p->url, subject, audience, now, now + expires, &jwt)) {
        fprintf(stderr, "mockaws: token: out of memory\n");
    } else {
        printf("%s\n", jwt.p);
        rc = 0;
    }
    idc_dynbuf_free(&jwt);
    mock_world_free(&w);
    return rc;
}

int main(int argc, char **argv)
{
    static struct mock_server server;
    if (argc > 1 && strcmp(argv[1], "token") == 0) {
        return token_command(argc - 1, argv + 1);
    }
    int rc = parse_options(argc, argv, &server.opt);
    if (rc >= 0) {
        return rc;
    }
    if (getrandom(&server.id_base, sizeof server.id_base, 0) != sizeof server.id_base) {
        server.id_base = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ULL;
    }
    pthread_mutex_init(&server.log_lock, NULL);
    server.faults = mock_faults_new();
    mg_init_library(0);
    rc = server.faults ? run(&server) : 1;
    mg_exit_library();
    mock_world_free(&server.world);
    mock_faults_free(server.faults);
    if (server.log != NULL) {
        fclose(server.log);
    }
    return rc;
}
