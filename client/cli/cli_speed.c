/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_speed.c - `idcctl sigv4 speed`: signatures per second on one core for a typical
 * Identity Store ListUsers request, with the signing-key cache on and off, against the
 * crypto floor (only the hashes and HMACs one signature needs, at the same sizes).
 * Variants run in interleaved slices and each reports its median slice, so machine
 * drift during the run hits every variant alike.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "crypto_ops.h"
#include "idc/sigv4.h"

static const char speed_request[] = "POST / HTTP/1.1\n"
                                    "Host:identitystore.us-east-1.amazonaws.com\n"
                                    "Content-Type:application/x-amz-json-1.1\n"
                                    "X-Amz-Target:AWSIdentityStore.ListUsers\n"
                                    "\n"
                                    "{\"IdentityStoreId\":\"d-1234567890\",\"MaxResults\":100}";

/* The AWS documentation's example keys: the figures do not depend on the key. */
#define SPEED_KEY_ID "AKIAIOSFODNN7EXAMPLE"
#define SPEED_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

struct speed_case {
    struct idc_sigv4_parsed parsed;
    struct idc_sigv4_config cfg;
    struct idc_sigv4_credentials creds;
    struct idc_sigv4_key_cache cache;
    size_t creq_len, sts_len;
    struct idc_hmac_key signing_key; /* for the floor with a cached key */
    volatile unsigned sink;
};

enum variant { V_CACHE_ON, V_CACHE_OFF, V_FLOOR, V_FLOOR_DERIVE, V_COUNT };

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sign_once(struct speed_case *sc, bool cached)
{
    char work[IDC_SIGV4_WORK_SIZE];
    struct idc_buf buf = IDC_BUF(work);
    struct idc_sigv4_result res;
    sc->cfg.cache = cached ? &sc->cache : NULL;
    if (idc_sigv4_sign(&sc->cfg, &sc->creds, &sc->parsed.req, &buf, &res, NULL) == IDC_OK) {
        sc->sink += (unsigned char)res.signature.p[0];
    }
}

/* The same HMAC chain the signer derives, at the same sizes. */
static void derive_floor(struct idc_hmac_key *out)
{
    static const char key[] = "AWS4" SPEED_SECRET;
    uint8_t mac[IDC_SHA256_LEN];
    struct idc_hmac_key k;
    idc_hmac_key_init(&k, key, sizeof key - 1);
    idc_hmac_sha256(&k, "20260101", 8, mac);
    idc_hmac_key_init(&k, mac, sizeof mac);
    idc_hmac_sha256(&k, "us-east-1", 9, mac);
    idc_hmac_key_init(&k, mac, sizeof mac);
    idc_hmac_sha256(&k, "identitystore", 13, mac);
    idc_hmac_key_init(&k, mac, sizeof mac);
    idc_hmac_sha256(&k, "aws4_request", 12, mac);
    idc_hmac_key_init(out, mac, sizeof mac);
}

/* Body hash, canonical-request hash, HMAC of the string to sign, hex of each. */
static void floor_once(struct speed_case *sc, bool derive)
{
    static char creq[2048], sts[512];
    char hex[IDC_SHA256_HEX_LEN];
    uint8_t mac[IDC_SHA256_LEN];
    struct idc_hmac_key derived;
    const struct idc_hmac_key *key = &sc->signing_key;
    idc_sha256_hex(sc->parsed.req.body, sc->parsed.req.body_len, hex);
    creq[0] = hex[0];
    idc_sha256_hex(creq, sc->creq_len, hex);
    sts[0] = hex[0];
    if (derive) {
        derive_floor(&derived);
        key = &derived;
    }
    idc_hmac_sha256(key, sts, sc->sts_len, mac);
    idc_hex_lower(mac, sizeof mac, hex);
    sc->sink += (unsigned char)hex[0];
}

static void run_variant(struct speed_case *sc, enum variant v)
{
    switch (v) {
    case V_CACHE_ON:
        sign_once(sc, true);
        break;
    case V_CACHE_OFF:
        sign_once(sc, false);
        break;
    case V_FLOOR:
        floor_once(sc, false);
        break;
    default:
        floor_once(sc, true);
        break;
    }
}

/* Operations per second over one slice of `seconds`. */
static double measure_slice(struct speed_case *sc, enum variant v, double seconds)
{
    double start = now_seconds(), end = start + seconds, t = start;
    unsigned long n = 0;
    while (t < end) {
        for (int i = 0; i < 64; i++) {
            run_variant(sc, v);
        }
        n += 64;
        t = now_seconds();
    }
    return (double)n / (t - start);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int setup(struct speed_case *sc)
{
    struct idc_error err = {0};
    if (idc_sigv4_request_parse(IDC_STR(speed_request), &sc->parsed, &err) != IDC_OK) {
        return cli_fail_err(&err, NULL);
    }
    sc->cfg = (struct idc_sigv4_config){
        .region = IDC_STR("us-east-1"),
        .service = IDC_STR("identitystore"),
        .time = 1767268800, /* 2026-01-01T12:00:00Z */
        .flags = IDC_SIGV4_FLAGS_DEFAULT,
    };
    sc->creds =
        (struct idc_sigv4_credentials){IDC_STR(SPEED_KEY_ID), IDC_STR(SPEED_SECRET), IDC_STR("")};
    idc_sigv4_key_cache_init(&sc->cache);
    char work[IDC_SIGV4_WORK_SIZE];
    struct idc_buf buf = IDC_BUF(work);
    struct idc_sigv4_result res;
    if (idc_sigv4_sign(&sc->cfg, &sc->creds, &sc->parsed.req, &buf, &res, &err) != IDC_OK) {
        return cli_fail_err(&err, NULL);
    }
    sc->creq_len = res.canonical_request.len;
    sc->sts_len = res.string_to_sign.len;
    derive_floor(&sc->signing_key);
    return CLI_CONTINUE;
}

static const char speed_usage[] =
    "usage: idcctl sigv4 speed [--seconds N]\n"
    "\n"
    "Signs a typical Identity Store ListUsers request (POST /, 3 headers, JSON body) on\n"
    "one core with the signing-key cache on and off, and measures the crypto floor: the\n"
    "body hash, the canonical-request hash and the HMAC of the string to sign (plus the\n"
    "key derivation for the second floor), at the same sizes. Variants run in interleaved\n"
    "slices; each figure is the median slice. Default: 3 seconds in all.\n";

int cli_sigv4_speed(int argc, char **argv)
{
    static const struct option opts[] = {
        {"seconds", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    unsigned long seconds = 3;
    int c;
    cli_getopt_reset();
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(speed_usage, stdout);
            return CLI_EXIT_OK;
        }
        if (c != 's') {
            return cli_bad_option("sigv4 speed", argv);
        }
        if (!cli_parse_ulong(optarg, 1, 3600, &seconds)) {
            return cli_usage_error("sigv4 speed", "--seconds takes 1..3600");
        }
    }
    if (optind < argc) {
        return cli_usage_error("sigv4 speed", "unexpected argument '%s'", argv[optind]);
    }
    struct speed_case *sc = calloc(1, sizeof *sc); /* holds derived keys: wiped below */
    if (sc == NULL) {
        return cli_fail(NULL, "out of memory");
    }
    int rc = setup(sc);
    if (rc != CLI_CONTINUE) {
        free(sc);
        return rc;
    }
    enum { ROUNDS = 15 };
    static double rates[V_COUNT][ROUNDS];
    double slice = (double)seconds / (ROUNDS * V_COUNT);
    for (int r = 0; r < ROUNDS; r++) {
        for (int v = 0; v < V_COUNT; v++) {
            rates[v][r] = measure_slice(sc, (enum variant)v, slice);
        }
    }
    double median[V_COUNT];
    for (int v = 0; v < V_COUNT; v++) {
        qsort(rates[v], ROUNDS, sizeof rates[v][0], compare_doubles);
        median[v] = rates[v][ROUNDS / 2];
    }
    printf("backend: %s (%s); request: identitystore ListUsers, canonical request %zu bytes, "
           "string to sign %zu bytes\n",
           idc_crypto.name, idc_crypto.version(), sc->creq_len, sc->sts_len);
    printf("signatures/s: %.0f (key cache on)\n", median[V_CACHE_ON]);
    printf("signatures/s: %.0f (key cache off)\n", median[V_CACHE_OFF]);
    printf("crypto floor/s: %.0f\n", median[V_FLOOR]);
    printf("crypto floor/s: %.0f (key derivation included)\n", median[V_FLOOR_DERIVE]);
    printf("ratio to the floor: %.2f (key cache on), %.2f (key cache off, against the floor "
           "with derivation)\n",
           median[V_CACHE_ON] / median[V_FLOOR], median[V_CACHE_OFF] / median[V_FLOOR_DERIVE]);
    printf("per signature: %.2f us (cache on), %.2f us (cache off), floor %.2f us\n",
           1e6 / median[V_CACHE_ON], 1e6 / median[V_CACHE_OFF], 1e6 / median[V_FLOOR]);
    idc_sigv4_key_cache_cleanup(&sc->cache);
    idc_wipe(sc, sizeof *sc);
    free(sc);
    return CLI_EXIT_OK;
}
