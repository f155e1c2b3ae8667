/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jwt.c - web identity tokens for tests: compact JWS with HS256 (RFC 7515, 7519), minted by
 * `mockaws token` and checked by AssumeRoleWithWebIdentity with an OIDC provider's fixture
 * secret. Only HS256 is accepted: a token naming another algorithm ("none") is refused.
 */
#include "roles.h"

#include <stdlib.h>
#include <string.h>

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void b64url_put(struct idc_dynbuf *out, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        v |= i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0;
        v |= i + 2 < n ? p[i + 2] : 0;
        char q[4] = {b64url[v >> 18], b64url[(v >> 12) & 63], b64url[(v >> 6) & 63],
                     b64url[v & 63]};
        idc_dynbuf_put(out, q, i + 2 < n ? 4 : i + 1 < n ? 3 : 2);
    }
}

static int b64url_value(char c)
{
    const char *at = c ? strchr(b64url, c) : NULL;
    return at ? (int)(at - b64url) : -1;
}

/* Decodes unpadded base64url; false on any other character or a dangling bit. */
static bool b64url_decode(const char *s, size_t n, struct idc_dynbuf *out)
{
    uint32_t acc = 0;
    int bits = 0;
    if (n % 4 == 1) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        int v = b64url_value(s[i]);
        if (v < 0) {
            return false;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            uint8_t byte = (uint8_t)(acc >> bits);
            idc_dynbuf_put(out, &byte, 1);
        }
    }
    return !out->failed;
}

static void hs256(const char *secret, const void *msg, size_t len, uint8_t mac[IDC_SHA256_LEN])
{
    struct idc_hmac_key k;
    idc_hmac_key_init(&k, secret, strlen(secret));
    idc_hmac_sha256(&k, msg, len, mac);
    idc_hmac_key_wipe(&k);
}

bool mock_jwt_mint(const char *secret, const char *iss, const char *sub, const char *aud,
                   int64_t iat, int64_t exp, struct idc_dynbuf *out)
{
    static const char header[] = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    cJSON *claims = cJSON_CreateObject();
    cJSON_AddStringToObject(claims, "iss", iss);
    cJSON_AddStringToObject(claims, "sub", sub);
    cJSON_AddStringToObject(claims, "aud", aud);
    cJSON_AddNumberToObject(claims, "iat", (double)iat);
    cJSON_AddNumberToObject(claims, "exp", (double)exp);
    char *payload = cJSON_PrintUnformatted(claims);
    cJSON_Delete(claims);
    if (payload == NULL) {
        return false;
    }
    b64url_put(out, (const uint8_t *)header, sizeof header - 1);
    idc_dynbuf_put(out, ".", 1);
    b64url_put(out, (const uint8_t *)payload, strlen(payload));
    free(payload);
    uint8_t mac[IDC_SHA256_LEN];
    if (!out->failed) {
        hs256(secret, out->p, out->len, mac);
    }
    idc_dynbuf_put(out, ".", 1);
    b64url_put(out, mac, sizeof mac);
    idc_dynbuf_put(out, "", 1);
    return !out->failed;
}

static cJSON *decode_json(const char *s, size_t n)
{
    struct idc_dynbuf text = {0};
    cJSON *j = NULL;
    if (b64url_decode(s, n, &text) && text.len > 0) {
        j = cJSON_ParseWithLength(text.p, text.len);
    }
    idc_dynbuf_free(&text);
    if (j != NULL && !cJSON_IsObject(j)) {
        cJSON_Delete(j);
        j = NULL;
    }
    return j;
}

bool mock_jwt_decode(const char *token, struct mock_jwt *j, char *why, size_t why_size)
{
    *j = (struct mock_jwt){0};
    const char *dot1 = strchr(token, '.');
    const char *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (dot2 == NULL || strchr(dot2 + 1, '.') != NULL) {
        snprintf(why, why_size, "the token is not a JWT (three base64url parts)");
        return false;
    }
    cJSON *header = decode_json(token, (size_t)(dot1 - token));
    const cJSON *alg = cJSON_GetObjectItemCaseSensitive(header, "alg");
    bool hs = cJSON_IsString(alg) && strcmp(alg->valuestring, "HS256") == 0;
    cJSON_Delete(header);
    if (!hs) {
        snprintf(why, why_size, "the token's header is not a JWS header with alg HS256");
        return false;
    }
    struct idc_dynbuf sig = {0};
    bool sig_ok = b64url_decode(dot2 + 1, strlen(dot2 + 1), &sig) && sig.len == IDC_SHA256_LEN;
    if (sig_ok) {
        memcpy(j->sig, sig.p, IDC_SHA256_LEN);
    }
    idc_dynbuf_free(&sig);
    j->claims = sig_ok ? decode_json(dot1 + 1, (size_t)(dot2 - dot1 - 1)) : NULL;
    if (j->claims == NULL) {
        snprintf(why, why_size, "the token's claims or signature cannot be decoded");
        return false;
    }
    j->signed_part = token;
    j->signed_len = (size_t)(dot2 - token);
    return true;
}

bool mock_jwt_verify(const struct mock_jwt *j, const char *secret)
{
    uint8_t mac[IDC_SHA256_LEN];
    hs256(secret, j->signed_part, j->signed_len, mac);
    return idc_ct_eq(mac, j->sig, sizeof mac);
}

void mock_jwt_cleanup(struct mock_jwt *j)
{
    cJSON_Delete(j->claims);
    *j = (struct mock_jwt){0};
}
