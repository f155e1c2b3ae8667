/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_cli.c - idcctl's option parser (cli_args.c), number and secret reading (cli_util.c),
 * output helpers (cli_out.c) and state folder (cli_home.c). Messages and usage text are
 * captured by pointing stdout and stderr at temporary files around each call; the allowed
 * masks below mirror the commands' own, so a case reads as the command line it stands for.
 */
#include "unit.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli_args.h"
#include "cli_home.h"
#include "cli_out.h"
#include "termtext.h"

/* ---- the commands' masks (see each command's cli_args_parse call) ------------------- */

#define SYNC                                                                                       \
    (CLI_ALLOW(CLI_OPT_LABEL) | CLI_ALLOW(CLI_OPT_ALL) | CLI_ALLOW(CLI_OPT_JOBS) |                 \
     CLI_ALLOW(CLI_OPT_EVERY) | CLI_ALLOW(CLI_OPT_OUTPUT) | CLI_ALLOW_NET | CLI_ALLOW_COMMON)
#define AUDIT                                                                                      \
    (CLI_ALLOW(CLI_OPT_LABEL) | CLI_ALLOW(CLI_OPT_LIMIT) | CLI_ALLOW(CLI_OPT_OUTPUT) |             \
     CLI_ALLOW_COMMON)
#define USERS                                                                                      \
    (CLI_ALLOW_CONN | CLI_ALLOW(CLI_OPT_STATUS) | CLI_ALLOW(CLI_OPT_SEARCH) |                      \
     CLI_ALLOW(CLI_OPT_OUTPUT) | CLI_ALLOW(CLI_OPT_LIVE) | CLI_ALLOW_COMMON)
#define USER_CMD                                                                                   \
    (CLI_ALLOW_CONN | CLI_ALLOW(CLI_OPT_USER_ID) | CLI_ALLOW(CLI_OPT_USER_NAME) | CLI_ALLOW_COMMON)
#define USERS_SHOW   (USER_CMD | CLI_ALLOW(CLI_OPT_OUTPUT))
#define USERS_DELETE (USER_CMD | CLI_ALLOW(CLI_OPT_DRY_RUN) | CLI_ALLOW(CLI_OPT_YES))
#define POLICY       (CLI_ALLOW(CLI_OPT_KIND) | CLI_ALLOW(CLI_OPT_READ_ONLY) | CLI_ALLOW_COMMON)
#define INTEGRATION_ADD                                                                            \
    (CLI_ALLOW_CONN | CLI_ALLOW(CLI_OPT_ACCESS_KEY) | CLI_ALLOW(CLI_OPT_SECRET_STDIN) |            \
     CLI_ALLOW_COMMON)
#define INTEGRATION_TEST (CLI_ALLOW_CONN | CLI_ALLOW(CLI_OPT_LABEL_ARG) | CLI_ALLOW_COMMON)
#define INTEGRATION_REMOVE                                                                         \
    (CLI_ALLOW(CLI_OPT_LABEL) | CLI_ALLOW(CLI_OPT_LABEL_ARG) | CLI_ALLOW_COMMON)

static const char usage_text[] = "usage: idcctl test [options]\n  --help  this text\n";

/* ---- capturing stdout and stderr ------------------------------------------------------ */

struct capture {
    int saved_out, saved_err;
    FILE *out, *err;
};

/* What one call printed and returned. */
struct run {
    int rc;
    char out[4096];
    char err[4096];
};

static void capture_begin(struct capture *c)
{
    fflush(stdout);
    fflush(stderr);
    c->out = tmpfile();
    c->err = tmpfile();
    assert_non_null(c->out);
    assert_non_null(c->err);
    c->saved_out = dup(STDOUT_FILENO);
    c->saved_err = dup(STDERR_FILENO);
    assert_true(c->saved_out >= 0 && c->saved_err >= 0);
    assert_true(dup2(fileno(c->out), STDOUT_FILENO) >= 0);
    assert_true(dup2(fileno(c->err), STDERR_FILENO) >= 0);
}

static void read_back(FILE *f, char *buf, size_t cap)
{
    rewind(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static void capture_end(struct capture *c, struct run *r)
{
    fflush(stdout);
    fflush(stderr);
    dup2(c->saved_out, STDOUT_FILENO);
    dup2(c->saved_err, STDERR_FILENO);
    close(c->saved_out);
    close(c->saved_err);
    read_back(c->out, r->out, sizeof r->out);
    read_back(c->err, r->err, sizeof r->err);
}

static void assert_has(const char *text, const char *fragment)
{
    if (strstr(text, fragment) == NULL) {
        fail_msg("expected \"%s\" in \"%s\"", fragment, text);
    }
}

/* ---- running the parser --------------------------------------------------------------- */

#define MAX_ARGS 16

/* cli_args_parse on `argv0` and the NULL-terminated arguments after it, captured into `r`. */
__attribute__((sentinel)) static void parse(struct run *r, struct cli_args *a, const char *cmd,
                                            unsigned long allowed, const char *argv0, ...)
{
    char *argv[MAX_ARGS + 1];
    int argc = 0;
    va_list ap;
    va_start(ap, argv0);
    for (const char *s = argv0; s != NULL; s = va_arg(ap, const char *)) {
        assert_true(argc < MAX_ARGS);
        argv[argc++] = (char *)s; /* getopt_long permutes the pointers, never the strings */
    }
    va_end(ap);
    argv[argc] = NULL;
    struct capture c;
    capture_begin(&c);
    r->rc = cli_args_parse(argc, argv, cmd, allowed, usage_text, a);
    capture_end(&c, r);
}

static void assert_parsed(const struct run *r)
{
    if (r->rc != CLI_CONTINUE) {
        fail_msg("expected CLI_CONTINUE, got %d; stderr: %s", r->rc, r->err);
    }
    assert_string_equal(r->err, "");
    assert_string_equal(r->out, "");
}

/* A usage error: status 2, the message, the --help hint, nothing on stdout. */
static void assert_usage(const struct run *r, const char *cmd, const char *message)
{
    char line[512];
    assert_int_equal(r->rc, CLI_EXIT_USAGE);
    snprintf(line, sizeof line, "idcctl: %s\n", message);
    assert_has(r->err, line);
    snprintf(line, sizeof line, "hint: run 'idcctl %s --help'\n", cmd);
    assert_has(r->err, line);
    assert_string_equal(r->out, "");
}

/* ---- cli_args_parse: accepted options ------------------------------------------------- */

static void test_cli_args_defaults(void **state)
{
    (void)state;
    struct cli_args a, zero;
    struct run r;
    memset(&a, 0x5a, sizeof a); /* parse clears whatever was there */
    memset(&zero, 0, sizeof zero);
    parse(&r, &a, "sync", SYNC, "sync", NULL);
    assert_parsed(&r);
    assert_memory_equal(&a, &zero, sizeof a);
    assert_int_equal(a.output, CLI_OUTPUT_TABLE);
}

/* An option that names a string: the field points at the argument itself. */
struct string_option {
    const char *cmd;
    unsigned long allowed;
    const char *option, *value;
    size_t field; /* offsetof the `const char *` it sets */
};

static const struct string_option string_options[] = {
    {"sync", SYNC, "--label", "prod", offsetof(struct cli_args, conn.label)},
    {"users", USERS, "--region", "eu-west-1", offsetof(struct cli_args, conn.region)},
    {"users", USERS, "--identity-store-id", "d-1234567890",
     offsetof(struct cli_args, conn.store_id)},
    {"users", USERS, "--endpoint-url", "https://127.0.0.1:4443",
     offsetof(struct cli_args, conn.endpoint_url)},
    {"users", USERS, "--profile", "admin", offsetof(struct cli_args, conn.profile)},
    {"integration", INTEGRATION_ADD, "--access-key-id", "AKIAIOSFODNN7EXAMPLE",
     offsetof(struct cli_args, access_key_id)},
    {"users", USERS, "--search", "ali", offsetof(struct cli_args, search)},
    {"users", USERS, "--status", "ENABLED", offsetof(struct cli_args, status)},
    {"users", USERS, "--status", "DISABLED", offsetof(struct cli_args, status)},
    {"users show", USERS_SHOW, "--user-id", "906723c4-1061-70f2-4b34-7c4b7c1e2d3f",
     offsetof(struct cli_args, user_id)},
    {"users delete", USERS_DELETE, "--user-name", "alice@example.com",
     offsetof(struct cli_args, user_name)},
};

static void test_cli_args_string_options(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof string_options / sizeof string_options[0]; i++) {
        const struct string_option *o = &string_options[i];
        struct cli_args a, want;
        struct run r;
        parse(&r, &a, o->cmd, o->allowed, "x", o->option, o->value, NULL);
        assert_parsed(&r);
        memset(&want, 0, sizeof want);
        memcpy((char *)&want + o->field, &o->value, sizeof o->value);
        assert_memory_equal(&a, &want, sizeof a); /* that field and nothing else */

        char joined[128]; /* --option=value is the same option */
        snprintf(joined, sizeof joined, "%s=%s", o->option, o->value);
        parse(&r, &a, o->cmd, o->allowed, "x", joined, NULL);
        assert_parsed(&r);
        const char *got;
        memcpy(&got, (char *)&a + o->field, sizeof got);
        assert_string_equal(got, o->value);
    }
}

/* A flag: sets one bool. */
struct flag_option {
    const char *cmd;
    unsigned long allowed;
    const char *option;
    size_t field; /* offsetof the bool it sets */
};

static const struct flag_option flag_options[] = {
    {"integration", INTEGRATION_ADD, "--secret-stdin", offsetof(struct cli_args, secret_stdin)},
    {"sync", SYNC, "--all", offsetof(struct cli_args, all)},
    {"users", USERS, "--live", offsetof(struct cli_args, live)},
    {"users delete", USERS_DELETE, "--dry-run", offsetof(struct cli_args, dry_run)},
    {"users delete", USERS_DELETE, "--yes", offsetof(struct cli_args, yes)},
    {"policy", POLICY, "--read-only", offsetof(struct cli_args, read_only)},
    {"sync", SYNC, "--debug", offsetof(struct cli_args, conn.debug)},
    {"sync", SYNC, "--quiet", offsetof(struct cli_args, quiet)},
    {"sync", SYNC, "--no-progress", offsetof(struct cli_args, no_progress)},
};

static void test_cli_args_flags(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof flag_options / sizeof flag_options[0]; i++) {
        const struct flag_option *o = &flag_options[i];
        struct cli_args a, want;
        struct run r;
        parse(&r, &a, o->cmd, o->allowed, "x", o->option, NULL);
        assert_parsed(&r);
        memset(&want, 0, sizeof want);
        *(bool *)((char *)&want + o->field) = true;
        want.conn.quiet = want.quiet; /* --quiet also silences the connection's retry notes */
        assert_memory_equal(&a, &want, sizeof a);
    }
}

static void test_cli_args_kind(void **state)
{
    (void)state;
    struct cli_args a;
    struct run r;
    parse(&r, &a, "policy", POLICY, "policy", "--kind", "iam", NULL);
    assert_parsed(&r);
    assert_true(a.conn.iam);
    assert_true(a.kind_given);
    parse(&r, &a, "policy", POLICY, "policy", "--kind=identitycenter", NULL);
    assert_parsed(&r);
    assert_false(a.conn.iam);
    assert_true(a.kind_given);
    parse(&r, &a, "policy", POLICY, "policy", NULL);
    assert_parsed(&r);
    assert_false(a.kind_given);
}

static void test_cli_args_output(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        enum cli_output want;
    } cases[] = {{"table", CLI_OUTPUT_TABLE}, {"json", CLI_OUTPUT_JSON}, {"csv", CLI_OUTPUT_CSV}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cli_args a;
        struct run r;
        parse(&r, &a, "audit", AUDIT, "audit", "--output", cases[i].text, NULL);
        assert_parsed(&r);
        assert_int_equal(a.output, cases[i].want);
    }
}

/* Options combine, in any order, with bare words after them (GNU argument permutation). */
static void test_cli_args_combined(void **state)
{
    (void)state;
    struct cli_args a;
    struct run r;
    parse(&r, &a, "sync", SYNC, "sync", "--all", "--jobs", "8", "--every=15m", "--output", "json",
          "--quiet", "--no-progress", "--debug", NULL);
    assert_parsed(&r);
    assert_true(a.all && a.quiet && a.no_progress && a.conn.debug);
    assert_int_equal(a.jobs, 8);
    assert_int_equal(a.every_seconds, 900);
    assert_int_equal(a.output, CLI_OUTPUT_JSON);

    parse(&r, &a, "integration", INTEGRATION_TEST, "test", "prod", "--region", "us-east-1",
          "--kind", "iam", NULL);
    assert_parsed(&r);
    assert_string_equal(a.conn.label, "prod");
    assert_string_equal(a.conn.region, "us-east-1");
    assert_true(a.conn.iam);
}

/* The last of a repeated option wins. */
static void test_cli_args_repeated_option(void **state)
{
    (void)state;
    struct cli_args a;
    struct run r;
    parse(&r, &a, "sync", SYNC, "sync", "--jobs", "2", "--jobs", "3", "--label", "a", "--label",
          "b", NULL);
    assert_parsed(&r);
    assert_int_equal(a.jobs, 3);
    assert_string_equal(a.conn.label, "b");
}

/* ---- cli_args_parse: numbers and durations -------------------------------------------- */

/* `ok`: parsed to `want`; else refused with the value quoted. */
struct number_case {
    const char *text;
    bool ok;
    unsigned long want;
};

/* Shared by --jobs and --limit: every shape a number must not have. */
static const char *const not_numbers[] = {
    "",
    "-1",
    "+1",
    " 1",
    "1 ",
    "0x10",
    "010x",
    "4x",
    "abc",
    "1.0",
    "1e2",
    "1,0",
    "\t1",
    "1\n",
    "\xd9\xa3", /* U+0663, an Arabic-Indic three */
    "99999999999999999999999",
    "18446744073709551616",
};

/* --jobs is checked on `sync`, --limit on `audit`. */
static void check_number_option(const char *option, const char *range,
                                const struct number_case *cases, size_t n)
{
    bool jobs = strcmp(option, "--jobs") == 0;
    const char *cmd = jobs ? "sync" : "audit";
    unsigned long allowed = jobs ? SYNC : AUDIT;
    for (size_t i = 0; i < n; i++) {
        struct cli_args a;
        struct run r;
        parse(&r, &a, cmd, allowed, cmd, option, cases[i].text, NULL);
        if (cases[i].ok) {
            assert_parsed(&r);
            assert_int_equal(jobs ? a.jobs : a.limit, cases[i].want);
            continue;
        }
        char message[256];
        snprintf(message, sizeof message, "%s takes %s, not '%s'", option, range, cases[i].text);
        assert_usage(&r, cmd, message);
    }
    for (size_t i = 0; i < sizeof not_numbers / sizeof not_numbers[0]; i++) {
        struct cli_args a;
        struct run r;
        parse(&r, &a, cmd, allowed, cmd, option, not_numbers[i], NULL);
        char message[256], shown[64]; /* the message shows a tab or newline escaped */
        idc_text_escape_to(idc_str_c(not_numbers[i]), shown, sizeof shown);
        snprintf(message, sizeof message, "%s takes %s, not '%s'", option, range, shown);
        assert_usage(&r, cmd, message);
    }
}

static void test_cli_args_jobs_bounds(void **state)
{
    (void)state;
    static const struct number_case cases[] = {
        {"0", false, 0},  {"1", true, 1},   {"2", true, 2},    {"63", true, 63},
        {"64", true, 64}, {"65", false, 0}, {"100", false, 0}, {"007", true, 7},
    };
    check_number_option("--jobs", "1..64", cases, sizeof cases / sizeof cases[0]);
}

static void test_cli_args_limit_bounds(void **state)
{
    (void)state;
    static const struct number_case cases[] = {
        {"0", false, 0},          {"1", true, 1},           {"50", true, 50},
        {"99999", true, 99999},   {"100000", true, 100000}, {"100001", false, 0},
        {"4294967297", false, 0}, /* would wrap to 1 as an unsigned */
    };
    check_number_option("--limit", "1..100000", cases, sizeof cases / sizeof cases[0]);
}

/* --timeout and --connect-timeout: whole seconds, 1..3600, kept in milliseconds. */
static void test_cli_args_timeouts(void **state)
{
    (void)state;
    static const struct number_case cases[] = {
        {"1", true, 1000},  {"60", true, 60000}, {"3600", true, 3600000}, {"0", false, 0},
        {"3601", false, 0}, {"1.5", false, 0},   {"-1", false, 0},        {"", false, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int which = 0; which < 2; which++) {
            const char *option = which ? "--connect-timeout" : "--timeout";
            struct cli_args a;
            struct run r;
            parse(&r, &a, "sync", SYNC, "sync", option, cases[i].text, NULL);
            if (cases[i].ok) {
                assert_parsed(&r);
                assert_int_equal(which ? a.conn.connect_timeout_ms : a.conn.timeout_ms,
                                 cases[i].want);
                continue;
            }
            char message[256];
            snprintf(message, sizeof message, "%s takes whole seconds, 1..3600, not '%s'", option,
                     cases[i].text);
            assert_usage(&r, "sync", message);
        }
    }
}

static void test_cli_args_every_durations(void **state)
{
    (void)state;
    static const struct number_case cases[] = {
        {"90s", true, 90},
        {"90", true, 90}, /* a bare number is seconds */
        {"1s", true, 1},
        {"15m", true, 900},
        {"2h", true, 7200},
        {"1d", true, 86400},
        {"366d", true, 366UL * 86400},
        {"8784h", true, 366UL * 86400},
        {"527040m", true, 366UL * 86400},
        {"31622400", true, 366UL * 86400},
        {"31622400s", true, 366UL * 86400},
        {"367d", false, 0},
        {"8785h", false, 0},
        {"527041m", false, 0},
        {"31622401", false, 0},
        {"99999999999999999999999d", false, 0},
        {"99999999999999999999999", false, 0},
        {"0", false, 0},
        {"0s", false, 0},
        {"0m", false, 0},
        {"0d", false, 0},
        {"", false, 0},
        {"m", false, 0},
        {"-1h", false, 0},
        {"+1h", false, 0},
        {" 1h", false, 0},
        {"1h ", false, 0},
        {"1 h", false, 0},
        {"1.5h", false, 0},
        {"1w", false, 0},
        {"1H", false, 0},
        {"1D", false, 0},
        {"1hm", false, 0},
        {"1ms", false, 0},
        {"0x10", false, 0},
        {"1h30m", false, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cli_args a;
        struct run r;
        parse(&r, &a, "sync", SYNC, "sync", "--every", cases[i].text, NULL);
        if (cases[i].ok) {
            assert_parsed(&r);
            assert_int_equal(a.every_seconds, cases[i].want);
            continue;
        }
        char message[256];
        snprintf(message, sizeof message,
                 "--every takes a duration such as 15m, 1h or 90s, not '%s'", cases[i].text);
        assert_usage(&r, "sync", message);
    }
}

/* ---- cli_args_parse: refused words ---------------------------------------------------- */

struct bad_word {
    const char *cmd;
    unsigned long allowed;
    const char *option, *value, *message;
};

static const struct bad_word bad_words[] = {
    {"policy", POLICY, "--kind", "IAM", "--kind takes identitycenter or iam, not 'IAM'"},
    {"policy", POLICY, "--kind", "", "--kind takes identitycenter or iam, not ''"},
    {"policy", POLICY, "--kind", "identity-center",
     "--kind takes identitycenter or iam, not 'identity-center'"},
    {"users", USERS, "--status", "enabled", "--status takes ENABLED or DISABLED, not 'enabled'"},
    {"users", USERS, "--status", "ENABLED ", "--status takes ENABLED or DISABLED, not 'ENABLED '"},
    {"users", USERS, "--status", "ACTIVE", "--status takes ENABLED or DISABLED, not 'ACTIVE'"},
    {"users", USERS, "--output", "yaml", "--output takes table, json or csv, not 'yaml'"},
    {"users", USERS, "--output", "JSON", "--output takes table, json or csv, not 'JSON'"},
    {"users", USERS, "--output", "", "--output takes table, json or csv, not ''"},
};

static void test_cli_args_bad_words(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_words / sizeof bad_words[0]; i++) {
        const struct bad_word *b = &bad_words[i];
        struct cli_args a;
        struct run r;
        parse(&r, &a, b->cmd, b->allowed, "x", b->option, b->value, NULL);
        assert_usage(&r, b->cmd, b->message);
    }
}

/* Every option but --help is refused by a command that allows none of them. */
static void test_cli_args_option_not_allowed(void **state)
{
    (void)state;
    static const struct {
        const char *option, *value; /* NULL: a flag */
    } all[] = {
        {"label", "L"},
        {"kind", "iam"},
        {"region", "us-east-1"},
        {"identity-store-id", "d-1"},
        {"endpoint-url", "http://x"},
        {"profile", "p"},
        {"access-key-id", "AKIAIOSFODNN7EXAMPLE"},
        {"secret-stdin", NULL},
        {"all", NULL},
        {"jobs", "4"},
        {"every", "1h"},
        {"status", "ENABLED"},
        {"search", "a"},
        {"live", NULL},
        {"user-id", "u"},
        {"user-name", "n"},
        {"dry-run", NULL},
        {"yes", NULL},
        {"read-only", NULL},
        {"limit", "5"},
        {"output", "json"},
        {"debug", NULL},
        {"quiet", NULL},
        {"no-progress", NULL},
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        char option[64], message[128];
        snprintf(option, sizeof option, "--%s", all[i].option);
        snprintf(message, sizeof message, "--%s does not apply to `idcctl nothing`", all[i].option);
        struct cli_args a;
        struct run r;
        parse(&r, &a, "nothing", CLI_ALLOW(CLI_OPT_HELP), "nothing", option, all[i].value, NULL);
        assert_usage(&r, "nothing", message);
    }
}

/* The commands' own masks: a misplaced option is named, before its value is looked at. */
static void test_cli_args_option_not_for_command(void **state)
{
    (void)state;
    struct cli_args a;
    struct run r;
    parse(&r, &a, "audit", AUDIT, "audit", "--jobs", "4", NULL);
    assert_usage(&r, "audit", "--jobs does not apply to `idcctl audit`");
    parse(&r, &a, "audit", AUDIT, "audit", "--jobs", "0", NULL);
    assert_usage(&r, "audit", "--jobs does not apply to `idcctl audit`");
    parse(&r, &a, "users show", USERS_SHOW, "show", "--user-id", "u", "--yes", NULL);
    assert_usage(&r, "users show", "--yes does not apply to `idcctl users show`");
    parse(&r, &a, "users delete", USERS_DELETE, "delete", "--output", "json", NULL);
    assert_usage(&r, "users delete", "--output does not apply to `idcctl users delete`");
    parse(&r, &a, "sync", SYNC, "sync", "--limit", "5", NULL);
    assert_usage(&r, "sync", "--limit does not apply to `idcctl sync`");
    parse(&r, &a, "policy", POLICY, "policy", "--region", "us-east-1", NULL);
    assert_usage(&r, "policy", "--region does not apply to `idcctl policy`");
    parse(&r, &a, "integration", INTEGRATION_TEST, "test", "--secret-stdin", NULL);
    assert_usage(&r, "integration", "--secret-stdin does not apply to `idcctl integration`");
}

static void test_cli_args_unknown_option(void **state)
{
    (void)state;
    /* "--li" is ambiguous (--limit, --live); --all takes no value. */
    static const char *const unknown[] = {"--bogus", "-x", "--jobs4", "--all=yes", "--li"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        struct cli_args a;
        struct run r;
        char message[128];
        parse(&r, &a, "sync", SYNC, "sync", unknown[i], NULL);
        snprintf(message, sizeof message, "unknown option or missing value: %s", unknown[i]);
        assert_usage(&r, "sync", message);
    }
}

/* A unique prefix names its option, as getopt_long does; an ambiguous one is refused above. */
static void test_cli_args_abbreviation(void **state)
{
    (void)state;
    struct cli_args a;
    struct run r;
    parse(&r, &a, "sync", SYNC, "sync", "--jo", "5", "--ev=2h", NULL);
    assert_parsed(&r);
    assert_int_equal(a.jobs, 5);
    assert_int_equal(a.every_seconds, 7200);
}

static void test_cli_args_missing_value(void **state)
{
    (void)state;
    static const struct {
        const char *cmd;
        unsigned long allowed;
        const char *option;
    } cases[] = {{"sync", SYNC, "--jobs"},          {"sync", SYNC, "--every"},
                 {"sync", SYNC, "--label"},         {"audit", AUDIT, "--limit"},
                 {"users", USERS, "--output"},      {"users", USERS, "--status"},
                 {"policy", POLICY, "--kind"},      {"users show", USERS_SHOW, "--user-name"},
                 {"users", USERS, "--endpoint-url"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cli_args a;
        struct run r;
        char message[128];
        parse(&r, &a, cases[i].cmd, cases[i].allowed, "x", cases[i].option, NULL);
        snprintf(message, sizeof message, "unknown option or missing value: %s", cases[i].option);
        assert_usage(&r, cases[i].cmd, message);
    }
}

/* ---- cli_args_parse: bare words ------------------------------------------------------- */

static void test_cli_args_bare_label(void **state)
{
    (void)state;
    struct cli_args a;
    struct run r;
    parse(&r, &a, "integration", INTEGRATION_TEST, "test", "prod", NULL);
    assert_parsed(&r);
    assert_string_equal(a.conn.label, "prod");
    parse(&r, &a, "integration", INTEGRATION_REMOVE, "remove", "--debug", "prod", NULL);
    assert_parsed(&r);
    assert_string_equal(a.conn.label, "prod");
    assert_true(a.conn.debug);
    /* After "--" a label may look like an option. */
    parse(&r, &a, "integration", INTEGRATION_REMOVE, "remove", "--", "--odd", NULL);
    assert_parsed(&r);
    assert_string_equal(a.conn.label, "--odd");
}

static void test_cli_args_bare_label_once(void **state)
{
    (void)state;
    struct cli_args a;
    struct run r;
    parse(&r, &a, "integration", INTEGRATION_TEST, "test", "prod", "dev", NULL);
    assert_usage(&r, "integration", "unexpected argument 'dev'");
    /* --label already named it. */
    parse(&r, &a, "integration", INTEGRATION_TEST, "test", "--label", "prod", "dev", NULL);
    assert_usage(&r, "integration", "unexpected argument 'dev'");
    parse(&r, &a, "integration", INTEGRATION_TEST, "test", "dev", "--label", "prod", NULL);
    assert_usage(&r, "integration", "unexpected argument 'dev'");
}

static void test_cli_args_bare_label_not_allowed(void **state)
{
    (void)state;
    struct cli_args a;
    struct run r;
    parse(&r, &a, "sync", SYNC, "sync", "prod", NULL);
    assert_usage(&r, "sync", "unexpected argument 'prod'");
    assert_null(strstr(r.err, "--user-name"));
    parse(&r, &a, "integration", INTEGRATION_ADD, "add", "--label", "prod", "extra", NULL);
    assert_usage(&r, "integration", "unexpected argument 'extra'");
}

/* `users show alice` is a natural guess: the hint says how to name the user. */
static void test_cli_args_stray_user_hint(void **state)
{
    (void)state;
    static const struct {
        const char *cmd, *argv0;
        unsigned long allowed;
    } cases[] = {{"users show", "show", USERS_SHOW}, {"users delete", "delete", USERS_DELETE}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cli_args a;
        struct run r;
        parse(&r, &a, cases[i].cmd, cases[i].allowed, cases[i].argv0, "alice", NULL);
        assert_usage(&r, cases[i].cmd,
                     "unexpected argument 'alice': name the user with --user-name or --user-id");
        parse(&r, &a, cases[i].cmd, cases[i].allowed, cases[i].argv0, "--user-name", "alice", "bob",
              NULL);
        assert_usage(&r, cases[i].cmd,
                     "unexpected argument 'bob': name the user with --user-name or --user-id");
    }
    /* Only for `users <sub>`: the listing has no user to name. */
    struct cli_args a;
    struct run r;
    parse(&r, &a, "users", USERS, "users", "alice", NULL);
    assert_usage(&r, "users", "unexpected argument 'alice'");
    assert_null(strstr(r.err, "--user-name"));
}

/* ---- cli_args_parse: --help and state between calls ----------------------------------- */

static void test_cli_args_help(void **state)
{
    (void)state;
    static const char *const forms[] = {"--help", "-h", "--he"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        struct cli_args a;
        struct run r;
        parse(&r, &a, "sync", SYNC, "sync", "--all", forms[i], "--jobs", "0", "stray", NULL);
        assert_int_equal(r.rc, CLI_EXIT_OK);
        assert_string_equal(r.out, usage_text);
        assert_string_equal(r.err, "");
    }
    /* --help is honoured even where a command's mask leaves it out. */
    struct cli_args a;
    struct run r;
    parse(&r, &a, "nothing", 0, "nothing", "--help", NULL);
    assert_int_equal(r.rc, CLI_EXIT_OK);
    assert_string_equal(r.out, usage_text);
    /* Options are read in order: an error before --help wins. */
    parse(&r, &a, "sync", SYNC, "sync", "--jobs", "0", "--help", NULL);
    assert_usage(&r, "sync", "--jobs takes 1..64, not '0'");
}

static void test_cli_args_parse_twice(void **state)
{
    (void)state;
    struct cli_args a;
    struct run r;
    parse(&r, &a, "sync", SYNC, "sync", "--jobs", "4", "--all", NULL);
    assert_parsed(&r);
    assert_int_equal(a.jobs, 4);
    parse(&r, &a, "sync", SYNC, "sync", "--label", "prod", NULL);
    assert_parsed(&r);
    assert_int_equal(a.jobs, 0); /* nothing carried over */
    assert_false(a.all);
    assert_string_equal(a.conn.label, "prod");
    /* An error mid-list, then --help, then a good line: each starts afresh. */
    parse(&r, &a, "sync", SYNC, "sync", "--bogus", "--all", NULL);
    assert_usage(&r, "sync", "unknown option or missing value: --bogus");
    parse(&r, &a, "sync", SYNC, "sync", "--help", "--all", NULL);
    assert_int_equal(r.rc, CLI_EXIT_OK);
    parse(&r, &a, "sync", SYNC, "sync", "--all", NULL);
    assert_parsed(&r);
    assert_true(a.all);
    /* A bare label permuted behind options, twice in a row. */
    for (int i = 0; i < 2; i++) {
        parse(&r, &a, "integration", INTEGRATION_TEST, "test", "--debug", "prod", "--kind", "iam",
              NULL);
        assert_parsed(&r);
        assert_string_equal(a.conn.label, "prod");
    }
}

/*
 * Clears getopt's state fully (optind 0 reinitialises glibc's and musl's getopt), so a test
 * that leaves it inside a cluster of short options does not leak into the next one.
 */
static int reset_getopt(void **state)
{
    (void)state;
    static char name[] = "x";
    char *argv[] = {name, NULL};
    optind = 0;
    while (getopt_long(1, argv, "", NULL, NULL) != -1) {
    }
    return 0;
}

/*
 * A parse that stops inside a cluster of short options ("-xh", x unknown) leaves getopt
 * inside it: cli_args_parse resets getopt fully (optind = 0), so the next parse on new
 * arguments does not resume at the stale "h" (it used to print the usage and return 0).
 */
static void test_cli_args_parse_twice_after_short_cluster(void **state)
{
    (void)state;
    struct cli_args a;
    struct run r;
    parse(&r, &a, "sync", SYNC, "sync", "-xh", NULL);
    assert_int_equal(r.rc, CLI_EXIT_USAGE);
    parse(&r, &a, "sync", SYNC, "sync", "--all", NULL);
    assert_parsed(&r);
    assert_true(a.all);
}

/*
 * An unknown short option at the head of a cluster ("-xq") is named by its letter: getopt
 * has not moved past the cluster yet, and argv[optind - 1] would name the word before it
 * (`idcctl sync --all -xq` used to say "... missing value: --all").
 */
static void test_cli_args_unknown_short_in_cluster(void **state)
{
    (void)state;
    struct cli_args a;
    struct run r;
    parse(&r, &a, "sync", SYNC, "sync", "--all", "-xq", NULL);
    assert_int_equal(r.rc, CLI_EXIT_USAGE);
    assert_has(r.err, "idcctl: unknown option or missing value: -x");
    assert_null(strstr(r.err, "--all"));
}

/* ---- cli_parse_ulong ------------------------------------------------------------------ */

static void test_cli_parse_ulong(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        unsigned long min, max;
        bool ok;
        unsigned long want;
    } cases[] = {
        {"0", 0, 10, true, 0},
        {"10", 0, 10, true, 10},
        {"11", 0, 10, false, 0},
        {"0", 1, 10, false, 0},
        {"1", 1, 10, true, 1},
        {"5", 5, 5, true, 5},
        {"0005", 0, 10, true, 5},
        {"18446744073709551615", 0, ULONG_MAX, true, ULONG_MAX},
        {"18446744073709551616", 0, ULONG_MAX, false, 0}, /* ERANGE */
        {"99999999999999999999999", 0, ULONG_MAX, false, 0},
        {"", 0, 10, false, 0},
        {"-0", 0, 10, false, 0},
        {"-1", 0, ULONG_MAX, false, 0}, /* strtoul would wrap it */
        {"+1", 0, 10, false, 0},
        {" 1", 0, 10, false, 0},
        {"1 ", 0, 10, false, 0},
        {"0x10", 0, 100, false, 0},
        {"1a", 0, 100, false, 0},
        {"a1", 0, 100, false, 0},
        {"1.5", 0, 100, false, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned long v = 12345; /* untouched when refused */
        bool ok = cli_parse_ulong(cases[i].text, cases[i].min, cases[i].max, &v);
        if (ok != cases[i].ok) {
            fail_msg("cli_parse_ulong(\"%s\", %lu, %lu) gave %d", cases[i].text, cases[i].min,
                     cases[i].max, ok);
        }
        assert_int_equal(v, cases[i].ok ? cases[i].want : 12345);
    }
    unsigned long v = 7;
    assert_false(cli_parse_ulong(NULL, 0, 10, &v));
    assert_int_equal(v, 7);
}

/* ---- cli_read_secret_line ------------------------------------------------------------- */

/*
 * cli_read_secret_line with standard input reading `input`; fd 0 is put back after. stdin is
 * made unbuffered on first use: with no read-ahead, nothing of one input lingers in its
 * buffer to be read in place of the next.
 */
static idc_err read_secret(const char *input, char *out, size_t cap, struct idc_error *err)
{
    static bool unbuffered;
    if (!unbuffered) {
        assert_int_equal(setvbuf(stdin, NULL, _IONBF, 0), 0);
        unbuffered = true;
    }
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(fwrite(input, 1, strlen(input), f), strlen(input));
    assert_int_equal(fflush(f), 0);
    assert_int_equal(lseek(fileno(f), 0, SEEK_SET), 0);
    int saved = dup(STDIN_FILENO);
    assert_true(saved >= 0);
    assert_true(dup2(fileno(f), STDIN_FILENO) >= 0);
    clearerr(stdin);
    idc_err rc = cli_read_secret_line(out, cap, err);
    dup2(saved, STDIN_FILENO);
    close(saved);
    clearerr(stdin);
    fclose(f);
    return rc;
}

static void test_cli_read_secret_line(void **state)
{
    (void)state;
    static const struct {
        const char *input, *want;
    } cases[] = {
        {"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
        {"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\r\n",
         "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
        {"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
        {"first\nsecond\n", "first"}, /* one line only */
        {" spaced out \n", " spaced out "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[64];
        struct idc_error err = {0};
        assert_int_equal(read_secret(cases[i].input, out, sizeof out, &err), IDC_OK);
        assert_string_equal(out, cases[i].want);
    }
}

static void test_cli_read_secret_line_empty(void **state)
{
    (void)state;
    static const char *const empty[] = {"\n", "\r\n", "\r\r\n"};
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
        char out[64];
        struct idc_error err = {0};
        assert_int_equal(read_secret(empty[i], out, sizeof out, &err), IDC_ERR_ARG);
        assert_has(err.msg, "the secret on standard input is empty");
    }
    char out[64];
    struct idc_error err = {0};
    assert_int_equal(read_secret("", out, sizeof out, &err), IDC_ERR_IO);
    assert_has(err.msg, "no secret on standard input");
}

static void test_cli_read_secret_line_limit(void **state)
{
    (void)state;
    char out[8]; /* room for 6 bytes, the line break and the NUL */
    struct idc_error err = {0};
    assert_int_equal(read_secret("abcdef\n", out, sizeof out, &err), IDC_OK);
    assert_string_equal(out, "abcdef");

    static const char *const too_long[] = {"abcdefg\n", "abcdefgh", "abcdefghijklmnop\n",
                                           "abcdefg"};
    for (size_t i = 0; i < sizeof too_long / sizeof too_long[0]; i++) {
        memset(&err, 0, sizeof err);
        memset(out, 'Z', sizeof out);
        assert_int_equal(read_secret(too_long[i], out, sizeof out, &err), IDC_ERR_ARG);
        assert_has(err.msg, "secret on standard input is longer than 6 bytes");
        assert_null(strstr(err.msg, "abc")); /* never the secret */
        for (size_t j = 0; j < sizeof out; j++) {
            assert_int_equal(out[j], 0); /* wiped */
        }
    }
}

/*
 * A secret of the largest size that fits (cap - 2 bytes) is accepted with "\r\n" as with
 * "\n": the CR that fills the buffer is not taken for one byte too many.
 */
static void test_cli_read_secret_line_crlf_at_limit(void **state)
{
    (void)state;
    char out[8];
    struct idc_error err = {0};
    assert_int_equal(read_secret("abcdef\r\n", out, sizeof out, &err), IDC_OK);
    assert_string_equal(out, "abcdef");
}

/* ---- cli_output_parse, cli_csv_field, cli_iso_time ------------------------------------ */

static void test_cli_output_parse(void **state)
{
    (void)state;
    enum cli_output out = CLI_OUTPUT_CSV;
    assert_int_equal(cli_output_parse(NULL, &out), 0);
    assert_int_equal(out, CLI_OUTPUT_TABLE);
    assert_int_equal(cli_output_parse("json", &out), 0);
    assert_int_equal(out, CLI_OUTPUT_JSON);
    assert_int_equal(cli_output_parse("csv", &out), 0);
    assert_int_equal(out, CLI_OUTPUT_CSV);
    assert_int_equal(cli_output_parse("table", &out), 0);
    assert_int_equal(out, CLI_OUTPUT_TABLE);
    static const char *const bad[] = {"", "Table", "JSON", " csv", "csv ", "yaml", "tab"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        out = CLI_OUTPUT_JSON;
        assert_int_equal(cli_output_parse(bad[i], &out), -1);
        assert_int_equal(out, CLI_OUTPUT_JSON); /* untouched */
    }
}

/* What `write` printed to a memory stream, in `buf` (freed by the caller). */
static char *printed(void (*write)(FILE *, const void *), const void *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    write(f, arg);
    fclose(f);
    return buf;
}

struct csv_case {
    const char *field;
    bool last;
    const char *want;
};

static void write_csv(FILE *f, const void *arg)
{
    const struct csv_case *c = arg;
    cli_csv_field(f, c->field, c->last);
}

static void test_cli_csv_field(void **state)
{
    (void)state;
    static const struct csv_case cases[] = {
        {"plain", false, "plain,"},
        {"plain", true, "plain\r\n"},
        {"", false, ","},
        {"", true, "\r\n"},
        {NULL, false, ","},
        {NULL, true, "\r\n"},
        {"a,b", false, "\"a,b\","},
        {"a,b", true, "\"a,b\"\r\n"},
        {"say \"hi\"", false, "\"say \"\"hi\"\"\","},
        {"\"", false, "\"\"\"\","},
        {"two\nlines", false, "\"two\nlines\","},
        {"cr\rhere", false, "\"cr\rhere\","},
        {"crlf\r\n", true, "\"crlf\r\n\"\r\n"},
        {" lead", false, "\" lead\","},
        {"trail ", false, "\"trail \","},
        {"in side", false, "in side,"},
        {"tab\there", false, "tab\there,"},
        {"日本語", false, "日本語,"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = printed(write_csv, &cases[i]);
        assert_string_equal(got, cases[i].want);
        free(got);
    }
}

static void write_row(FILE *f, const void *arg)
{
    const char *const *cells = arg;
    for (size_t c = 0; c < 3; c++) {
        cli_csv_field(f, cells[c], c == 2);
    }
}

static void test_cli_csv_row(void **state)
{
    (void)state;
    static const char *const cells[] = {"alice", "Smith, Alice", NULL};
    char *got = printed(write_row, cells);
    assert_string_equal(got, "alice,\"Smith, Alice\",\r\n");
    free(got);
}

static void test_cli_iso_time(void **state)
{
    (void)state;
    static const struct {
        int64_t t;
        const char *want;
    } cases[] = {
        {0, ""},
        {-1, ""},
        {1, "1970-01-01T00:00:01Z"},
        {951782400, "2000-02-29T00:00:00Z"},
        {1767268800, "2026-01-01T12:00:00Z"},
        {253402300799, "9999-12-31T23:59:59Z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[32];
        memset(out, 'Z', sizeof out);
        assert_ptr_equal(cli_iso_time(cases[i].t, out), out);
        assert_string_equal(out, cases[i].want);
    }
}

/* ---- cli_table ------------------------------------------------------------------------ */

static void test_cli_table_widths(void **state)
{
    (void)state;
    static const struct {
        const char *cell;
        size_t width;
    } cases[] = {
        {"abc", 3},
        {"日本語", 6},             /* CJK: two columns each */
        {"한국", 4},               /* Hangul syllables */
        {"\xef\xbc\xa1", 2},       /* U+FF21 fullwidth A */
        {"\xf0\x9f\x98\x80", 2},   /* U+1F600 emoji */
        {"\xf0\xa0\x80\x80", 2},   /* U+20000 CJK extension B */
        {"\xc3\xa9t\xc3\xa9", 3},  /* precomposed é */
        {"e\xcc\x81t\xc3\xa9", 3}, /* e + U+0301 combining acute */
        {"a\xe2\x80\x8b"
         "b",
         2},                      /* U+200B zero width space */
        {"\xff\xfe", 8},          /* stray bytes: shown as \xff\xfe, four columns each */
        {"\xe6\x97", 8},          /* a cut sequence: the same */
        {"\x1b[31mred", 11},      /* ESC shown as \x1b */
        {"a\nb\xe2\x80\xae", 10}, /* a\nb\u202e */
        {"ab\xe6\x97\xa5"
         "cd",
         6}, /* 日 between ASCII */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        static const char *const headers[] = {"H"};
        struct cli_table t;
        cli_table_init(&t, 1, headers);
        const char *cells[] = {cases[i].cell};
        cli_table_add(&t, cells);
        if (t.width[0] != cases[i].width) {
            fail_msg("case %zu: width %zu, want %zu", i, t.width[0], cases[i].width);
        }
        assert_false(t.failed);
        cli_table_free(&t);
    }
}

static void print_table(FILE *f, const void *arg)
{
    cli_table_print((struct cli_table *)arg, f);
}

static void test_cli_table_print_aligns(void **state)
{
    (void)state;
    static const char *const headers[] = {"NAME", "ID", "NOTE"};
    struct cli_table t;
    cli_table_init(&t, 3, headers);
    const char *row1[] = {"日本語", "1", "x"};
    const char *row2[] = {"ab", NULL, ""};
    const char *row3[] = {"e\xcc\x81", "12345", "last"};
    cli_table_add(&t, row1);
    cli_table_add(&t, row2);
    cli_table_add(&t, row3);
    assert_int_equal(t.rows, 4); /* the header row too */
    assert_int_equal(t.width[0], 6);
    assert_int_equal(t.width[1], 5);
    char *got = printed(print_table, &t);
    /* Each column but the last is padded to its width plus two; missing cells show "-". */
    assert_string_equal(got, "NAME    ID     NOTE\n"
                             "日本語  1      x\n"
                             "ab      -      -\n"
                             "e\xcc\x81       12345  last\n");
    free(got);
    cli_table_free(&t);
    assert_int_equal(t.rows, 0);
    assert_null(t.cells);
}

static void test_cli_table_many_rows(void **state)
{
    (void)state;
    static const char *const headers[] = {"N"};
    struct cli_table t;
    cli_table_init(&t, 1, headers);
    for (int i = 0; i < 300; i++) { /* past the first allocation of 64 rows, twice */
        char n[16];
        snprintf(n, sizeof n, "%d", i);
        const char *cells[] = {n};
        cli_table_add(&t, cells);
    }
    assert_false(t.failed);
    assert_int_equal(t.rows, 301);
    assert_int_equal(t.width[0], 3);
    assert_string_equal(t.cells[300][0], "299");
    cli_table_free(&t);
}

/* ---- cli_home_path -------------------------------------------------------------------- */

static const char *const home_vars[] = {"IDC_HOME", "XDG_STATE_HOME", "HOME"};
#define HOME_VARS (sizeof home_vars / sizeof home_vars[0])

/* The variables as they were before the test (NULL: unset), kept in cmocka's state. */
struct saved_env {
    char *value[HOME_VARS];
};

static int restore_env(void **state)
{
    struct saved_env *s = *state;
    for (size_t i = 0; s != NULL && i < HOME_VARS; i++) {
        if (s->value[i] != NULL) {
            setenv(home_vars[i], s->value[i], 1);
        } else {
            unsetenv(home_vars[i]);
        }
        free(s->value[i]);
    }
    free(s);
    *state = NULL;
    return 0;
}

static int save_env(void **state)
{
    struct saved_env *s = calloc(1, sizeof *s);
    *state = s;
    if (s == NULL) {
        return -1;
    }
    for (size_t i = 0; i < HOME_VARS; i++) {
        const char *v = getenv(home_vars[i]);
        s->value[i] = v ? strdup(v) : NULL;
        if (v != NULL && s->value[i] == NULL) {
            restore_env(state);
            return -1;
        }
    }
    return 0;
}

/* Sets the three variables (NULL: unset) and runs cli_home_path into `out`. */
static void home(struct run *r, const char *idc_home, const char *xdg, const char *home_dir,
                 char *out, size_t cap)
{
    const char *values[HOME_VARS] = {idc_home, xdg, home_dir};
    for (size_t i = 0; i < HOME_VARS; i++) {
        if (values[i] != NULL) {
            setenv(home_vars[i], values[i], 1);
        } else {
            unsetenv(home_vars[i]);
        }
    }
    struct capture c;
    capture_begin(&c);
    r->rc = cli_home_path(out, cap);
    capture_end(&c, r);
}

static void test_cli_home_path(void **state)
{
    (void)state;
    static const struct {
        const char *idc_home, *xdg, *home, *want;
    } cases[] = {
        {"/srv/idc", "/var/state", "/home/u", "/srv/idc"},           /* IDC_HOME first */
        {"relative/idc", NULL, NULL, "relative/idc"},                /* taken as given */
        {"", "/var/state", "/home/u", "/var/state/idcctl"},          /* empty: not set */
        {NULL, "/var/state", "/home/u", "/var/state/idcctl"},        /* then XDG */
        {NULL, "state", "/home/u", "/home/u/.local/state/idcctl"},   /* relative: ignored */
        {NULL, "./state", "/home/u", "/home/u/.local/state/idcctl"}, /* relative: ignored */
        {NULL, "", "/home/u", "/home/u/.local/state/idcctl"},        /* empty: ignored */
        {NULL, NULL, "/home/u", "/home/u/.local/state/idcctl"},      /* then HOME */
        {NULL, "/var/state", NULL, "/var/state/idcctl"},             /* no HOME needed */
        {"", "", "/home/u", "/home/u/.local/state/idcctl"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[256];
        struct run r;
        home(&r, cases[i].idc_home, cases[i].xdg, cases[i].home, out, sizeof out);
        assert_int_equal(r.rc, CLI_CONTINUE);
        assert_string_equal(out, cases[i].want);
        assert_string_equal(r.err, "");
    }
}

static void test_cli_home_path_unset(void **state)
{
    (void)state;
    static const struct {
        const char *idc_home, *xdg, *home;
    } cases[] = {
        {NULL, NULL, NULL},
        {"", "", ""},
        {NULL, "relative", NULL}, /* a relative XDG_STATE_HOME does not count */
        {NULL, "relative", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[256];
        struct run r;
        home(&r, cases[i].idc_home, cases[i].xdg, cases[i].home, out, sizeof out);
        assert_int_equal(r.rc, CLI_EXIT_ERROR);
        assert_has(r.err, "idcctl: neither IDC_HOME nor HOME is set");
        assert_has(r.err, "hint: set IDC_HOME to a folder for idcctl's state\n");
    }
}

static void test_cli_home_path_too_long(void **state)
{
    (void)state;
    static const char idc_home[] = "/srv/idcctl-state";  /* 17 bytes */
    static const char tail[] = "/h/.local/state/idcctl"; /* 22 bytes, HOME "/h" */
    char out[64];
    struct run r;

    home(&r, idc_home, NULL, NULL, out, sizeof idc_home); /* just fits */
    assert_int_equal(r.rc, CLI_CONTINUE);
    assert_string_equal(out, idc_home);
    home(&r, idc_home, NULL, NULL, out, sizeof idc_home - 1);
    assert_int_equal(r.rc, CLI_EXIT_ERROR);
    assert_has(r.err, "idcctl: the state folder /srv/idcctl-state is longer than 16 bytes\n");
    assert_has(r.err, "hint: set IDC_HOME to a shorter folder for idcctl's state\n");

    home(&r, NULL, NULL, "/h", out, sizeof tail);
    assert_int_equal(r.rc, CLI_CONTINUE);
    assert_string_equal(out, tail);
    home(&r, NULL, NULL, "/h", out, sizeof tail - 1);
    assert_int_equal(r.rc, CLI_EXIT_ERROR);
    assert_has(r.err, "the state folder /h/.local/state/idcctl is longer than 21 bytes");

    home(&r, NULL, "/x", NULL, out, 8); /* "/x/idcctl" is 9 bytes */
    assert_int_equal(r.rc, CLI_EXIT_ERROR);
    assert_has(r.err, "the state folder /x/idcctl is longer than 7 bytes");
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_cli_args_defaults),
    cmocka_unit_test(test_cli_args_string_options),
    cmocka_unit_test(test_cli_args_flags),
    cmocka_unit_test(test_cli_args_kind),
    cmocka_unit_test(test_cli_args_output),
    cmocka_unit_test(test_cli_args_combined),
    cmocka_unit_test(test_cli_args_repeated_option),
    cmocka_unit_test(test_cli_args_jobs_bounds),
    cmocka_unit_test(test_cli_args_limit_bounds),
    cmocka_unit_test(test_cli_args_timeouts),
    cmocka_unit_test(test_cli_args_every_durations),
    cmocka_unit_test(test_cli_args_bad_words),
    cmocka_unit_test(test_cli_args_option_not_allowed),
    cmocka_unit_test(test_cli_args_option_not_for_command),
    cmocka_unit_test(test_cli_args_unknown_option),
    cmocka_unit_test(test_cli_args_abbreviation),
    cmocka_unit_test(test_cli_args_missing_value),
    cmocka_unit_test(test_cli_args_bare_label),
    cmocka_unit_test(test_cli_args_bare_label_once),
    cmocka_unit_test(test_cli_args_bare_label_not_allowed),
    cmocka_unit_test(test_cli_args_stray_user_hint),
    cmocka_unit_test(test_cli_args_help),
    cmocka_unit_test(test_cli_args_parse_twice),
    cmocka_unit_test_teardown(test_cli_args_parse_twice_after_short_cluster, reset_getopt),
    cmocka_unit_test_teardown(test_cli_args_unknown_short_in_cluster, reset_getopt),
    cmocka_unit_test(test_cli_parse_ulong),
    cmocka_unit_test(test_cli_read_secret_line),
    cmocka_unit_test(test_cli_read_secret_line_empty),
    cmocka_unit_test(test_cli_read_secret_line_limit),
    cmocka_unit_test(test_cli_read_secret_line_crlf_at_limit),
    cmocka_unit_test(test_cli_output_parse),
    cmocka_unit_test(test_cli_csv_field),
    cmocka_unit_test(test_cli_csv_row),
    cmocka_unit_test(test_cli_iso_time),
    cmocka_unit_test(test_cli_table_widths),
    cmocka_unit_test(test_cli_table_print_aligns),
    cmocka_unit_test(test_cli_table_many_rows),
    cmocka_unit_test_setup_teardown(test_cli_home_path, save_env, restore_env),
    cmocka_unit_test_setup_teardown(test_cli_home_path_unset, save_env, restore_env),
    cmocka_unit_test_setup_teardown(test_cli_home_path_too_long, save_env, restore_env),
};

UNIT_MAIN(tests)
