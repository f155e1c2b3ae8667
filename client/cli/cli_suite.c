/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_suite.c - `idcctl sigv4 verify DIR...`: runs SigV4 test-vector folders in either
 * format (aws-c-auth: context.json + request.txt + header-/query-* files; botocore:
 * <case>.req/.creq/.sts/.authz/.sreq), detected per folder, and compares the canonical
 * request, string to sign, signature and signed request byte for byte (the signed
 * request as a set of headers and canonical query parameters, as the suites' harnesses do).
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "idc/sigv4.h"
#include "timefmt.h"

/* The botocore-format cases carry no context: the suite's README fixes these values. */
#define SUITE_ACCESS_KEY "AKIDEXAMPLE"
#define SUITE_SECRET     "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define SUITE_REGION     "us-east-1"
#define SUITE_SERVICE    "service"

struct verify_run {
    unsigned passed, failed, skipped;
    bool verbose;
    int only; /* -1 both, else enum idc_sigv4_placement */
};

/* One case's signing setup; strings are owned here. */
struct case_setup {
    struct idc_sigv4_parsed parsed;
    struct idc_sigv4_config cfg;
    struct idc_sigv4_credentials creds;
    char akid[128], secret[IDC_SIGV4_SECRET_MAX + 1], token[4096];
    char region[IDC_SIGV4_NAME_MAX], service[IDC_SIGV4_NAME_MAX], body_value[128];
};

/* The files holding one placement's expectations; NULL when the format has none. */
struct expected_files {
    const char *creq, *sts, *signature, *authz, *sreq;
};

static bool path_exists(const char *dir, const char *name)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Reads dir/name; 0 when absent, 1 when read, -1 (with `why`) when unreadable. */
static int read_case_file(const char *dir, const char *name, struct cli_file *f, char *why,
                          size_t cap)
{
    char path[4096];
    struct idc_error err = {0};
    f->data = NULL;
    f->len = 0;
    if (name == NULL || !path_exists(dir, name)) {
        return 0;
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (cli_read_file(path, f, &err) != IDC_OK) {
        snprintf(why, cap, "%s", err.msg);
        return -1;
    }
    return 1;
}

/* Expected canonical text files never end with a line break; some copies carry one. */
static struct idc_str expected_text(const struct cli_file *f)
{
    size_t n = f->len;
    if (n > 0 && f->data[n - 1] == '\n') {
        n--;
    }
    return idc_str_make(f->data, n);
}

static bool compare_lines(const char *what, struct idc_str exp, struct idc_str got, char *why,
                          size_t cap)
{
    char diff[512];
    if (!idc_sigv4_explain_diff(exp, got, diff, sizeof diff)) {
        return true;
    }
    snprintf(why, cap, "%s: %s", what, diff);
    return false;
}

/* ---- signed requests compared as the suites' harnesses do --------------------------- */

static bool canonical_query_of(struct idc_str q, char *out, size_t cap, struct idc_str *view)
{
    struct idc_buf b = {out, 0, cap};
    if (idc_sigv4_canonical_query(q, &b, NULL) != IDC_OK) {
        return false;
    }
    *view = idc_str_make(out, b.len);
    return true;
}

static bool is_authorization(const struct idc_sigv4_header *h)
{
    return idc_str_eq_nocase(h->name, IDC_STR("Authorization"));
}

/* Headers as a multiset of (name in any case, trimmed value); see signed_requests_match. */
static bool headers_match(const struct idc_sigv4_request *a, const struct idc_sigv4_request *b,
                          bool skip_authorization, char *why, size_t cap)
{
    bool used[IDC_SIGV4_MAX_HEADERS] = {false};
    size_t counted_a = 0, counted_b = 0;
    for (size_t j = 0; j < b->header_count; j++) {
        counted_b += !(skip_authorization && is_authorization(&b->headers[j]));
    }
    for (size_t i = 0; i < a->header_count; i++) {
        if (skip_authorization && is_authorization(&a->headers[i])) {
            continue;
        }
        counted_a++;
        bool found = false;
        for (size_t j = 0; j < b->header_count && !found; j++) {
            found =
                !used[j] && idc_str_eq_nocase(a->headers[i].name, b->headers[j].name) &&
                idc_str_eq(idc_str_trim(a->headers[i].value), idc_str_trim(b->headers[j].value));
            used[j] = used[j] || found;
        }
        if (!found) {
            snprintf(
                why, cap,
                "signed request: header '" IDC_STR_FMT ":" IDC_STR_FMT "' expected, not produced",
                IDC_STR_ARG(a->headers[i].name), IDC_STR_ARG(idc_str_trim(a->headers[i].value)));
            return false;
        }
    }
    if (counted_a != counted_b) {
        snprintf(why, cap, "signed request: %zu headers expected, %zu produced", counted_a,
                 counted_b);
        return false;
    }
    return true;
}

/*
 * Method, path, canonical query, headers as a set and body. With `skip_authorization`
 * the Authorization header is left to the .authz expectation: the botocore copy of
 * get-vanilla-with-session-token has a .sreq whose Authorization disagrees with its own
 * .authz (spec/sigv4/README.md, "Suite quirks").
 */
static bool signed_requests_match(struct idc_str exp_text, struct idc_str got_text,
                                  bool skip_authorization, char *why, size_t cap)
{
    static struct idc_sigv4_parsed exp, got;
    static char qe[16384], qg[16384];
    struct idc_error err = {0};
    struct idc_str ce, cg;
    if (idc_sigv4_request_parse(exp_text, &exp, &err) != IDC_OK) {
        snprintf(why, cap, "expected signed request: %s", err.msg);
        return false;
    }
    if (idc_sigv4_request_parse(got_text, &got, &err) != IDC_OK) {
        snprintf(why, cap, "produced signed request: %s", err.msg);
        return false;
    }
    if (!idc_str_eq(exp.req.method, got.req.method) || !idc_str_eq(exp.req.path, got.req.path)) {
        snprintf(why, cap, "signed request line: expected '" IDC_STR_FMT "', got '" IDC_STR_FMT "'",
                 IDC_STR_ARG(exp.target), IDC_STR_ARG(got.target));
        return false;
    }
    if (!canonical_query_of(exp.req.query, qe, sizeof qe, &ce) ||
        !canonical_query_of(got.req.query, qg, sizeof qg, &cg) || !idc_str_eq(ce, cg)) {
        snprintf(why, cap,
                 "signed request query: expected '" IDC_STR_FMT "', got '" IDC_STR_FMT "'",
                 IDC_STR_ARG(exp.req.query), IDC_STR_ARG(got.req.query));
        return false;
    }
    if (!headers_match(&exp.req, &got.req, skip_authorization, why, cap)) {
        return false;
    }
    if (exp.req.body_len != got.req.body_len ||
        memcmp(exp.req.body, got.req.body, exp.req.body_len) != 0) {
        snprintf(why, cap, "signed request body: %zu bytes expected, %zu produced",
                 exp.req.body_len, got.req.body_len);
        return false;
    }
    return true;
}

/* ---- one placement of one case ------------------------------------------------------ */

enum expectation { TEXT, SIGNED_REQUEST, SIGNED_REQUEST_BUT_AUTHORIZATION };

static bool check_expected(const char *dir, const char *name, const char *what, struct idc_str got,
                           enum expectation kind, char *why, size_t cap)
{
    struct cli_file f;
    int r = read_case_file(dir, name, &f, why, cap);
    if (r <= 0) {
        return r == 0;
    }
    bool ok;
    if (kind != TEXT) {
        ok = signed_requests_match(idc_str_make(f.data, f.len), got,
                                   kind == SIGNED_REQUEST_BUT_AUTHORIZATION, why, cap);
    } else {
        ok = compare_lines(what, expected_text(&f), got, why, cap);
    }
    free(f.data);
    return ok;
}

static bool has_any(const char *dir, const struct expected_files *e)
{
    const char *names[] = {e->creq, e->sts, e->signature, e->authz, e->sreq};
    for (size_t i = 0; i < 5; i++) {
        if (names[i] != NULL && path_exists(dir, names[i])) {
            return true;
        }
    }
    return false;
}

/* Signs the case in `placement` and checks every expectation present; false with `why`. */
static bool check_placement(const char *dir, struct case_setup *cs,
                            enum idc_sigv4_placement placement, const struct expected_files *e,
                            char *why, size_t cap)
{
    static char work[8 * IDC_SIGV4_WORK_SIZE];
    struct idc_buf buf = IDC_BUF(work);
    struct idc_sigv4_result res;
    struct idc_error err = {0};
    cs->cfg.placement = placement;
    cs->cfg.expires =
        placement == IDC_SIGV4_IN_QUERY && cs->cfg.expires == 0 ? 3600 : cs->cfg.expires;
    if (idc_sigv4_sign(&cs->cfg, &cs->creds, &cs->parsed.req, &buf, &res, &err) != IDC_OK) {
        snprintf(why, cap, "signing failed: %s", err.msg);
        return false;
    }
    char *text = NULL;
    size_t text_len = 0;
    FILE *mem = open_memstream(&text, &text_len);
    if (mem == NULL) {
        snprintf(why, cap, "out of memory");
        return false;
    }
    cli_print_signed_request(mem, &cs->parsed, &res, placement == IDC_SIGV4_IN_QUERY);
    fclose(mem);
    enum expectation sreq_kind = e->authz ? SIGNED_REQUEST_BUT_AUTHORIZATION : SIGNED_REQUEST;
    bool ok =
        check_expected(dir, e->creq, "canonical request", res.canonical_request, TEXT, why, cap) &&
        check_expected(dir, e->sts, "string to sign", res.string_to_sign, TEXT, why, cap) &&
        check_expected(dir, e->signature, "signature", res.signature, TEXT, why, cap) &&
        check_expected(dir, e->authz, "authorization", res.authorization, TEXT, why, cap) &&
        check_expected(dir, e->sreq, NULL, idc_str_make(text, text_len), sreq_kind, why, cap);
    free(text);
    return ok;
}

/* ---- the two formats ---------------------------------------------------------------- */

static bool json_string(const cJSON *obj, const char *key, char *out, size_t cap, bool required)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (v == NULL && !required) {
        out[0] = '\0';
        return true;
    }
    return cJSON_IsString(v) && snprintf(out, cap, "%s", v->valuestring) < (int)cap;
}

static bool json_bool(const cJSON *obj, const char *key, bool fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsBool(v) ? cJSON_IsTrue(v) : fallback;
}

/* Reads context.json into the setup (spec/sigv4/README.md lists the keys). */
static bool load_context(const char *dir, struct case_setup *cs, char *why, size_t cap)
{
    struct cli_file f;
    if (read_case_file(dir, "context.json", &f, why, cap) <= 0) {
        return false;
    }
    cJSON *root = cJSON_ParseWithLength(f.data, f.len);
    free(f.data);
    const cJSON *cred = cJSON_GetObjectItemCaseSensitive(root, "credentials");
    char stamp[64];
    bool ok =
        root != NULL && cJSON_IsObject(cred) &&
        json_string(cred, "access_key_id", cs->akid, sizeof cs->akid, true) &&
        json_string(cred, "secret_access_key", cs->secret, sizeof cs->secret, true) &&
        json_string(cred, "token", cs->token, sizeof cs->token, false) &&
        json_string(root, "region", cs->region, sizeof cs->region, true) &&
        json_string(root, "service", cs->service, sizeof cs->service, true) &&
        json_string(root, "timestamp", stamp, sizeof stamp, true) &&
        json_string(root, "signed_body_value", cs->body_value, sizeof cs->body_value, false) &&
        idc_time_parse_iso(idc_str_c(stamp), &cs->cfg.time, NULL) == IDC_OK;
    if (ok) {
        bool sign_body = json_bool(root, "sign_body", false);
        const cJSON *exp = cJSON_GetObjectItemCaseSensitive(root, "expiration_in_seconds");
        cs->cfg.expires =
            cJSON_IsNumber(exp) && exp->valuedouble >= 1 ? (uint32_t)exp->valuedouble : 3600;
        cs->cfg.flags =
            (json_bool(root, "double_uri_encode", true) ? IDC_SIGV4_DOUBLE_ENCODE : 0) |
            (json_bool(root, "normalize", true) ? IDC_SIGV4_NORMALIZE_PATH : 0) |
            (json_bool(root, "omit_session_token", false) ? IDC_SIGV4_OMIT_SESSION_TOKEN : 0) |
            (json_bool(root, "add_content_sha256", sign_body) ? IDC_SIGV4_CONTENT_SHA256 : 0);
        cs->cfg.signed_body = cs->body_value[0] ? idc_str_c(cs->body_value)
                              : sign_body       ? IDC_STR("")
                                                : IDC_STR(IDC_SIGV4_EMPTY_SHA256);
    } else {
        snprintf(why, cap,
                 "context.json: malformed or missing a required key "
                 "(credentials, region, service, timestamp)");
    }
    cJSON_Delete(root);
    return ok;
}

static void finish_setup(struct case_setup *cs)
{
    cs->creds.access_key_id = idc_str_c(cs->akid);
    cs->creds.secret_access_key = idc_str_c(cs->secret);
    cs->creds.session_token = idc_str_c(cs->token);
    cs->cfg.region = idc_str_c(cs->region);
    cs->cfg.service = idc_str_c(cs->service);
}

/* Returns 1 passed, 0 failed, -1 skipped (`why` says why in the last two cases). */
static int run_crt_case(const char *dir, struct case_setup *cs, const struct verify_run *run,
                        char *why, size_t cap)
{
    static const struct expected_files header = {
        "header-canonical-request.txt", "header-string-to-sign.txt", "header-signature.txt", NULL,
        "header-signed-request.txt"};
    static const struct expected_files query = {"query-canonical-request.txt",
                                                "query-string-to-sign.txt", "query-signature.txt",
                                                NULL, "query-signed-request.txt"};
    if (path_exists(dir, "public-key.json")) {
        snprintf(why, cap, "SigV4a (ECDSA) is out of scope");
        return -1;
    }
    if (!path_exists(dir, "context.json")) {
        snprintf(why, cap, "no context.json: signing parameters unknown");
        return -1;
    }
    if (!load_context(dir, cs, why, cap)) {
        return 0;
    }
    finish_setup(cs);
    bool ran = false;
    const struct expected_files *sets[2] = {&header, &query};
    for (int p = 0; p < 2; p++) {
        if ((run->only >= 0 && run->only != p) || !has_any(dir, sets[p])) {
            continue;
        }
        ran = true;
        char detail[960];
        if (!check_placement(dir, cs, (enum idc_sigv4_placement)p, sets[p], detail,
                             sizeof detail)) {
            snprintf(why, cap, "[%s] %s", p ? "query" : "header", detail);
            return 0;
        }
    }
    if (!ran) {
        snprintf(why, cap, "no expected files");
        return -1;
    }
    return 1;
}

static int run_botocore_case(const char *dir, const char *base, struct case_setup *cs, char *why,
                             size_t cap)
{
    char names[5][512];
    const char *ext[5] = {"creq", "sts", "authz", "sreq", "req"};
    for (int i = 0; i < 5; i++) {
        snprintf(names[i], sizeof names[i], "%s.%s", base, ext[i]);
    }
    struct expected_files e = {names[0], names[1], NULL, names[2], names[3]};
    snprintf(cs->akid, sizeof cs->akid, SUITE_ACCESS_KEY);
    snprintf(cs->secret, sizeof cs->secret, SUITE_SECRET);
    snprintf(cs->region, sizeof cs->region, SUITE_REGION);
    snprintf(cs->service, sizeof cs->service, SUITE_SERVICE);
    cs->cfg.flags = IDC_SIGV4_FLAGS_DEFAULT;
    const struct idc_sigv4_header *date =
        idc_sigv4_find_header(&cs->parsed.req, IDC_STR("X-Amz-Date"));
    if (date == NULL ||
        idc_time_parse_amz(idc_str_trim(date->value), &cs->cfg.time, NULL) != IDC_OK) {
        snprintf(why, cap, "%s has no valid X-Amz-Date", names[4]);
        return 0;
    }
    /*
     * The session token is not in the .req: it comes from the .sreq, and the .authz tells
     * whether it was signed (get-vanilla-with-session-token) or added after signing
     * (post-sts-header-after).
     */
    struct cli_file sreq, authz;
    static struct idc_sigv4_parsed sp;
    if (read_case_file(dir, names[3], &sreq, why, cap) == 1) {
        const struct idc_sigv4_header *t = NULL;
        if (idc_sigv4_request_parse(idc_str_make(sreq.data, sreq.len), &sp, NULL) == IDC_OK &&
            idc_sigv4_find_header(&cs->parsed.req, IDC_STR("X-Amz-Security-Token")) == NULL) {
            t = idc_sigv4_find_header(&sp.req, IDC_STR("X-Amz-Security-Token"));
        }
        if (t != NULL) {
            snprintf(cs->token, sizeof cs->token, IDC_STR_FMT, IDC_STR_ARG(idc_str_trim(t->value)));
            bool signed_token = read_case_file(dir, names[2], &authz, why, cap) == 1 &&
                                strstr(authz.data, "x-amz-security-token") != NULL;
            cs->cfg.flags |= signed_token ? 0 : IDC_SIGV4_OMIT_SESSION_TOKEN;
            free(authz.data);
        }
        free(sreq.data);
    }
    finish_setup(cs);
    if (!has_any(dir, &e)) {
        snprintf(why, cap, "no expected files");
        return -1;
    }
    return check_placement(dir, cs, IDC_SIGV4_IN_HEADERS, &e, why, cap) ? 1 : 0;
}

/* ---- walking folders ---------------------------------------------------------------- */

static void report(struct verify_run *run, const char *dir, int result, const char *why)
{
    if (result > 0) {
        run->passed++;
        if (run->verbose) {
            printf("ok   %s\n", dir);
        }
    } else if (result == 0) {
        run->failed++;
        printf("FAIL %s: %s\n", dir, why);
    } else {
        run->skipped++;
        if (run->verbose) {
            printf("skip %s: %s\n", dir, why);
        }
    }
}

/* Runs the case in `dir`; false when `dir` is not a case folder. */
static bool run_case_dir(struct verify_run *run, const char *dir)
{
    static struct case_setup cs;
    char why[1024] = "";
    const char *slash = strrchr(dir, '/');
    const char *base = slash && slash[1] ? slash + 1 : dir;
    char req_name[512];
    snprintf(req_name, sizeof req_name, "%s.req", base);
    bool crt = path_exists(dir, "request.txt");
    if (!crt && !path_exists(dir, req_name)) {
        return false;
    }
    memset(&cs, 0, sizeof cs);
    struct cli_file request;
    int result;
    if (read_case_file(dir, crt ? "request.txt" : req_name, &request, why, sizeof why) != 1) {
        result = 0;
    } else {
        struct idc_error err = {0};
        if (idc_sigv4_request_parse(idc_str_make(request.data, request.len), &cs.parsed, &err) !=
            IDC_OK) {
            snprintf(why, sizeof why, "request: %s", err.msg);
            result = 0;
        } else if (crt) {
            result = run_crt_case(dir, &cs, run, why, sizeof why);
        } else {
            result = run_botocore_case(dir, base, &cs, why, sizeof why);
        }
    }
    report(run, dir, result, why);
    free(request.data);
    idc_wipe(cs.secret, sizeof cs.secret);
    return true;
}

static int only_dirs(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

static void walk(struct verify_run *run, const char *dir, int depth)
{
    if (run_case_dir(run, dir) || depth > 16) {
        return;
    }
    struct dirent **list;
    int n = scandir(dir, &list, only_dirs, alphasort);
    for (int i = 0; i < n; i++) {
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", dir, list[i]->d_name);
        if (is_dir(sub)) {
            walk(run, sub, depth + 1);
        }
        free(list[i]);
    }
    if (n >= 0) {
        free(list);
    }
}

static const char verify_usage[] =
    "usage: idcctl sigv4 verify [options] DIR...\n"
    "\n"
    "Runs every SigV4 test case found under each DIR (recursively). A folder with\n"
    "request.txt is an aws-c-auth-format case (context.json, header-* and query-*\n"
    "expectations); a folder with <name>.req is a botocore-format case. A case passes\n"
    "when all its expectations match byte for byte. SigV4a cases are skipped.\n"
    "Prints one line per failing case, then 'N passed, N failed, N skipped'.\n"
    "\n"
    "Options:\n"
    "  --only header|query  check only that placement's expectations\n"
    "  -v, --verbose        also print passing and skipped cases\n"
    "  -h, --help           show this help\n"
    "\n"
    "Exit status: 0 when nothing failed and at least one case ran, 1 otherwise.\n";

int cli_sigv4_verify(int argc, char **argv)
{
    static const struct option opts[] = {
        {"only", required_argument, NULL, 'o'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct verify_run run = {.only = -1};
    int c;
    cli_getopt_reset();
    while ((c = getopt_long(argc, argv, "vh", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(verify_usage, stdout);
            return CLI_EXIT_OK;
        } else if (c == 'v') {
            run.verbose = true;
        } else if (c == 'o' && (strcmp(optarg, "header") == 0 || strcmp(optarg, "query") == 0)) {
            run.only = strcmp(optarg, "header") == 0 ? IDC_SIGV4_IN_HEADERS : IDC_SIGV4_IN_QUERY;
        } else {
            return cli_usage_error("sigv4 verify", "unknown option, or --only not header|query");
        }
    }
    if (optind == argc) {
        return cli_usage_error("sigv4 verify", "give at least one folder of test cases");
    }
    for (int i = optind; i < argc; i++) {
        if (!is_dir(argv[i])) {
            return cli_fail(NULL, "%s is not a folder", argv[i]);
        }
        walk(&run, argv[i], 0);
    }
    printf("%u passed, %u failed, %u skipped\n", run.passed, run.failed, run.skipped);
    if (run.passed + run.failed == 0) {
        return cli_fail("point it at a folder holding request.txt or <name>.req cases",
                        "no test case ran");
    }
    return run.failed ? CLI_EXIT_ERROR : CLI_EXIT_OK;
}
