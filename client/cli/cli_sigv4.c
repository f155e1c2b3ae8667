/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_sigv4.c - `idcctl sigv4 ...`: the command table and `sigv4 sign`, which signs a
 * raw HTTP request in the suites' request.txt format and prints the signed request.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "idc/sigv4.h"
#include "timefmt.h"

static const char sigv4_usage[] =
    "usage: idcctl sigv4 <sign|verify|speed> [options]\n"
    "\n"
    "  sign [FILE|-]   sign a raw HTTP request and print the signed request\n"
    "  verify DIR...   run SigV4 test-vector folders (aws-c-auth or botocore format)\n"
    "  speed           measure signatures per second against the crypto floor\n";

int cli_sigv4_main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(sigv4_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
    if (strcmp(argv[1], "sign") == 0) {
        return cli_sigv4_sign(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "verify") == 0) {
        return cli_sigv4_verify(argc - 1, argv + 1);
    }
    if (strcmp(argv[1], "speed") == 0) {
        return cli_sigv4_speed(argc - 1, argv + 1);
    }
    return cli_usage_error("sigv4", "unknown sigv4 command '%s'", argv[1]);
}

static const char sign_usage[] =
    "usage: idcctl sigv4 sign [options] [FILE|-]\n"
    "\n"
    "Reads a raw HTTP request (request line, Name:value headers, blank line, body) from\n"
    "FILE or standard input and prints it signed, Authorization on its own line.\n"
    "\n"
    "Options:\n"
    "  --access-key ID, --access-key-id ID\n"
    "                       access key id (default: AWS_ACCESS_KEY_ID)\n"
    "  --secret-key SECRET  secret key on the command line: only for the published test\n"
    "                       keys of the suites (ps shows arguments); otherwise the secret\n"
    "                       comes from AWS_SECRET_ACCESS_KEY or --secret-stdin\n"
    "  --secret-stdin       read the secret from the first line of standard input\n"
    "                       (the request must then come from FILE)\n"
    "  --session-token TOK  session token (default: AWS_SESSION_TOKEN with environment keys)\n"
    "  --omit-session-token add the token after signing, unsigned\n"
    "  --region REGION      signing region (default: from the Host name, then AWS_REGION,\n"
    "                       AWS_DEFAULT_REGION)\n"
    "  --service NAME       signing name (default: the first label of the Host name)\n"
    "  --time YYYYMMDDTHHMMSSZ\n"
    "                       signing time (default: the request's X-Amz-Date, else now)\n"
    "  --presign SECONDS    sign in the query (a presigned URL valid that long)\n"
    "  --no-normalize       do not remove dot segments and empty segments from the path\n"
    "  --s3                 S3 rules: path encoded once, not normalised, x-amz-content-sha256\n"
    "                       (with --presign: UNSIGNED-PAYLOAD, as S3 presigned URLs are)\n"
    "  --content-sha256     add and sign x-amz-content-sha256\n"
    "  --unsigned-payload   sign UNSIGNED-PAYLOAD instead of the body's hash\n"
    "  --explain            print the canonical request, string to sign and signature first\n"
    "  -h, --help           show this help\n";

struct sign_opts {
    const char *file;
    const char *access_key;
    const char *secret_arg;
    bool secret_stdin;
    const char *token;
    const char *region;
    const char *service;
    const char *time_text;
    unsigned long presign;
    unsigned flags;
    bool unsigned_payload;
    bool explain;
};

enum {
    OPT_ACCESS_KEY = 256,
    OPT_SECRET_KEY,
    OPT_SECRET_STDIN,
    OPT_TOKEN,
    OPT_OMIT_TOKEN,
    OPT_REGION,
    OPT_SERVICE,
    OPT_TIME,
    OPT_PRESIGN,
    OPT_NO_NORMALIZE,
    OPT_S3,
    OPT_CONTENT_SHA,
    OPT_UNSIGNED,
    OPT_EXPLAIN,
};

static const struct option sign_options[] = {
    {"access-key", required_argument, NULL, OPT_ACCESS_KEY},
    {"access-key-id", required_argument, NULL, OPT_ACCESS_KEY},
    {"secret-key", required_argument, NULL, OPT_SECRET_KEY},
    {"secret-stdin", no_argument, NULL, OPT_SECRET_STDIN},
    {"session-token", required_argument, NULL, OPT_TOKEN},
    {"omit-session-token", no_argument, NULL, OPT_OMIT_TOKEN},
    {"region", required_argument, NULL, OPT_REGION},
    {"service", required_argument, NULL, OPT_SERVICE},
    {"time", required_argument, NULL, OPT_TIME},
    {"presign", required_argument, NULL, OPT_PRESIGN},
    {"no-normalize", no_argument, NULL, OPT_NO_NORMALIZE},
    {"s3", no_argument, NULL, OPT_S3},
    {"content-sha256", no_argument, NULL, OPT_CONTENT_SHA},
    {"unsigned-payload", no_argument, NULL, OPT_UNSIGNED},
    {"explain", no_argument, NULL, OPT_EXPLAIN},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* CLI_CONTINUE when parsing succeeded, else the exit code. */
static int parse_sign_options(int argc, char **argv, struct sign_opts *o)
{
    bool s3 = false, no_normalize = false, content_sha = false, omit = false;
    int c;
    cli_getopt_reset();
    while ((c = getopt_long(argc, argv, "h", sign_options, NULL)) != -1) {
        switch (c) {
        case OPT_ACCESS_KEY:
            o->access_key = optarg;
            break;
        case OPT_SECRET_KEY:
            o->secret_arg = optarg;
            break;
        case OPT_SECRET_STDIN:
            o->secret_stdin = true;
            break;
        case OPT_TOKEN:
            o->token = optarg;
            break;
        case OPT_OMIT_TOKEN:
            omit = true;
            break;
        case OPT_REGION:
            o->region = optarg;
            break;
        case OPT_SERVICE:
            o->service = optarg;
            break;
        case OPT_TIME:
            o->time_text = optarg;
            break;
        case OPT_PRESIGN:
            if (!cli_parse_ulong(optarg, 1, IDC_SIGV4_MAX_EXPIRES, &o->presign)) {
                return cli_usage_error("sigv4 sign", "--presign takes 1..%d seconds, not '%s'",
                                       IDC_SIGV4_MAX_EXPIRES, optarg);
            }
            break;
        case OPT_NO_NORMALIZE:
            no_normalize = true;
            break;
        case OPT_S3:
            s3 = true;
            break;
        case OPT_CONTENT_SHA:
            content_sha = true;
            break;
        case OPT_UNSIGNED:
            o->unsigned_payload = true;
            break;
        case OPT_EXPLAIN:
            o->explain = true;
            break;
        case 'h':
            fputs(sign_usage, stdout);
            return CLI_EXIT_OK;
        default:
            return cli_bad_option("sigv4 sign", argv);
        }
    }
    if (argc - optind > 1) {
        return cli_usage_error("sigv4 sign", "one request at a time: got %d files", argc - optind);
    }
    o->file = optind < argc ? argv[optind] : "-";
    o->flags = s3 ? IDC_SIGV4_FLAGS_S3 : IDC_SIGV4_FLAGS_DEFAULT;
    o->flags &= no_normalize ? ~(unsigned)IDC_SIGV4_NORMALIZE_PATH : ~0u;
    o->flags |= content_sha ? IDC_SIGV4_CONTENT_SHA256 : 0;
    o->flags |= omit ? IDC_SIGV4_OMIT_SESSION_TOKEN : 0;
    if (o->secret_stdin && strcmp(o->file, "-") == 0) {
        return cli_usage_error("sigv4 sign", "--secret-stdin needs the request in a FILE: both "
                                             "cannot come from standard input");
    }
    if (o->secret_stdin && o->secret_arg != NULL) {
        return cli_usage_error("sigv4 sign", "give the secret once: --secret-key or "
                                             "--secret-stdin");
    }
    return CLI_CONTINUE;
}

/* Region and service from a Host such as identitystore.us-east-1.amazonaws.com. */
static void infer_scope(struct idc_str host, char *service, char *region, size_t cap)
{
    host = idc_str_trim(host);
    const char *colon = memchr(host.p, ':', host.len);
    if (colon != NULL) {
        host.len = (size_t)(colon - host.p);
    }
    const char *dot1 = memchr(host.p, '.', host.len);
    if (dot1 == NULL) {
        return;
    }
    size_t slen = (size_t)(dot1 - host.p);
    if (slen < cap) {
        memcpy(service, host.p, slen);
        service[slen] = '\0';
    }
    struct idc_str rest = idc_str_make(dot1 + 1, host.len - slen - 1);
    if (idc_str_starts_with(rest, IDC_STR("amazonaws.com"))) {
        snprintf(region, cap, "us-east-1"); /* global endpoints such as iam.amazonaws.com */
        return;
    }
    const char *dot2 = memchr(rest.p, '.', rest.len);
    if (dot2 != NULL && (size_t)(dot2 - rest.p) < cap) {
        memcpy(region, rest.p, (size_t)(dot2 - rest.p));
        region[dot2 - rest.p] = '\0';
    }
}

void cli_print_signed_request(FILE *out, const struct idc_sigv4_parsed *p,
                              const struct idc_sigv4_result *res, bool presigned)
{
    const struct idc_sigv4_request *req = &p->req;
    if (presigned) {
        fprintf(out, IDC_STR_FMT " " IDC_STR_FMT "?" IDC_STR_FMT " " IDC_STR_FMT "\n",
                IDC_STR_ARG(req->method), IDC_STR_ARG(req->path), IDC_STR_ARG(res->query),
                IDC_STR_ARG(p->version));
    } else {
        fprintf(out, IDC_STR_FMT " " IDC_STR_FMT " " IDC_STR_FMT "\n", IDC_STR_ARG(req->method),
                IDC_STR_ARG(p->target), IDC_STR_ARG(p->version));
    }
    for (size_t i = 0; i < req->header_count; i++) {
        fprintf(out, IDC_STR_FMT ":" IDC_STR_FMT "\n", IDC_STR_ARG(req->headers[i].name),
                IDC_STR_ARG(req->headers[i].value));
    }
    for (size_t i = 0; i < res->add_count; i++) {
        fprintf(out, IDC_STR_FMT ": " IDC_STR_FMT "\n", IDC_STR_ARG(res->add[i].name),
                IDC_STR_ARG(res->add[i].value));
    }
    fputc('\n', out);
    fwrite(req->body, 1, req->body_len, out);
}

static void print_explanation(const struct idc_sigv4_result *res)
{
    printf("Canonical request:\n" IDC_STR_FMT "\n\n", IDC_STR_ARG(res->canonical_request));
    printf("String to sign:\n" IDC_STR_FMT "\n\n", IDC_STR_ARG(res->string_to_sign));
    printf("Signature:\n" IDC_STR_FMT "\n\n", IDC_STR_ARG(res->signature));
    printf("Signed request:\n");
}

/* Credentials from the options and the environment, the secret never from a prompt. */
static int load_credentials(const struct sign_opts *o, char *secret, size_t cap,
                            struct idc_sigv4_credentials *creds)
{
    const char *akid = o->access_key ? o->access_key : getenv("AWS_ACCESS_KEY_ID");
    if (akid == NULL || *akid == '\0') {
        return cli_usage_error("sigv4 sign", "no access key id: give --access-key or set "
                                             "AWS_ACCESS_KEY_ID");
    }
    struct idc_error err = {0};
    if (o->secret_stdin) {
        if (cli_read_secret_line(secret, cap, &err) != IDC_OK) {
            return cli_fail_err(&err, "put the secret on the first line of standard input");
        }
    } else {
        const char *s = o->secret_arg ? o->secret_arg : getenv("AWS_SECRET_ACCESS_KEY");
        if (s == NULL || *s == '\0') {
            return cli_usage_error("sigv4 sign", "no secret key: set AWS_SECRET_ACCESS_KEY or "
                                                 "use --secret-stdin");
        }
        if (idc_str_copy(idc_str_c(s), secret, cap, "secret key", &err) != IDC_OK) {
            return cli_fail_err(&err, NULL);
        }
    }
    const char *token = o->token;
    if (token == NULL && o->access_key == NULL) {
        token = getenv("AWS_SESSION_TOKEN"); /* the environment's token goes with its keys */
    }
    creds->access_key_id = idc_str_c(akid);
    creds->secret_access_key = idc_str_c(secret);
    creds->session_token = idc_str_c(token);
    return CLI_CONTINUE;
}

/* Fills region, service and time of `cfg` from the options, the request and the clock. */
static int settle_scope(const struct sign_opts *o, const struct idc_sigv4_parsed *p,
                        struct idc_sigv4_config *cfg, char *service, char *region, size_t cap)
{
    const struct idc_sigv4_header *host = idc_sigv4_find_header(&p->req, IDC_STR("Host"));
    if (host != NULL) {
        infer_scope(host->value, service, region, cap);
    }
    const char *env_region = getenv("AWS_REGION");
    if (env_region == NULL || *env_region == '\0') {
        env_region = getenv("AWS_DEFAULT_REGION");
    }
    cfg->service = idc_str_c(o->service ? o->service : service);
    cfg->region = idc_str_c(o->region ? o->region : (*region ? region : env_region));
    if (cfg->service.len == 0 || cfg->region.len == 0) {
        return cli_usage_error("sigv4 sign", "cannot tell the %s from the Host header: give %s",
                               cfg->service.len == 0 ? "service" : "region",
                               cfg->service.len == 0 ? "--service" : "--region");
    }
    struct idc_error err = {0};
    const struct idc_sigv4_header *date = idc_sigv4_find_header(&p->req, IDC_STR("X-Amz-Date"));
    if (o->time_text != NULL) {
        if (idc_time_parse_amz(idc_str_c(o->time_text), &cfg->time, &err) != IDC_OK) {
            return cli_usage_error("sigv4 sign", "--time: %s", err.msg);
        }
    } else if (date != NULL) {
        if (idc_time_parse_amz(idc_str_trim(date->value), &cfg->time, &err) != IDC_OK) {
            return cli_fail_err(&err, "fix the request's X-Amz-Date header or remove it");
        }
    } else {
        cfg->time = (int64_t)time(NULL);
    }
    return CLI_CONTINUE;
}

int cli_sigv4_sign(int argc, char **argv)
{
    struct sign_opts o = {0};
    int rc = parse_sign_options(argc, argv, &o);
    if (rc != CLI_CONTINUE) {
        return rc;
    }
    struct idc_error err = {0};
    struct cli_file file;
    if (cli_read_file(o.file, &file, &err) != IDC_OK) {
        return cli_fail_err(&err, NULL);
    }
    static struct idc_sigv4_parsed parsed;
    static char work[8 * IDC_SIGV4_WORK_SIZE];
    char secret[IDC_SIGV4_SECRET_MAX + 2];
    char service[IDC_SIGV4_NAME_MAX] = "", region[IDC_SIGV4_NAME_MAX] = "";
    struct idc_sigv4_credentials creds;
    struct idc_sigv4_config cfg = {.flags = o.flags};
    struct idc_sigv4_result res;
    struct idc_buf buf = IDC_BUF(work);
    if (idc_sigv4_request_parse(idc_str_make(file.data, file.len), &parsed, &err) != IDC_OK) {
        rc = cli_fail(NULL, "%s: %s", o.file, err.msg);
        goto out;
    }
    rc = load_credentials(&o, secret, sizeof secret, &creds);
    if (rc == CLI_CONTINUE) {
        rc = settle_scope(&o, &parsed, &cfg, service, region, sizeof service);
    }
    if (rc != CLI_CONTINUE) {
        goto out;
    }
    cfg.placement = o.presign ? IDC_SIGV4_IN_QUERY : IDC_SIGV4_IN_HEADERS;
    cfg.expires = (uint32_t)o.presign;
    bool s3_presign = o.presign && !(o.flags & IDC_SIGV4_DOUBLE_ENCODE);
    cfg.signed_body =
        o.unsigned_payload || s3_presign ? IDC_STR(IDC_SIGV4_UNSIGNED_PAYLOAD) : IDC_STR("");
    if (idc_sigv4_sign(&cfg, &creds, &parsed.req, &buf, &res, &err) != IDC_OK) {
        rc = cli_fail_err(&err, NULL);
        goto out;
    }
    if (o.explain) {
        print_explanation(&res);
    }
    cli_print_signed_request(stdout, &parsed, &res, o.presign != 0);
    rc = fflush(stdout) == 0 ? CLI_EXIT_OK : cli_fail(NULL, "cannot write the signed request");
out:
    idc_wipe(secret, sizeof secret);
    free(file.data);
    return rc;
}
