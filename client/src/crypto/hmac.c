/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hmac.c - the public face of the crypto backend table (crypto_ops.h): SHA-256 helpers,
 * HMAC-SHA256 (RFC 2104) and the library's name. Shared by both backends: the pads are
 * absorbed once and each MAC forks copies.
 */
#include <string.h>

#include "crypto_ops.h"
#include "idc/str.h"
#include "idc/version.h"

const char *idc_crypto_library(void)
{
    return idc_crypto.version();
}

void idc_sha256(const void *data, size_t len, uint8_t out[IDC_SHA256_LEN])
{
    struct idc_sha256 s;
    idc_crypto.sha256_init(&s);
    idc_crypto.sha256_update(&s, data, len);
    idc_crypto.sha256_final(&s, out);
}

void idc_sha256_hex(const void *data, size_t len, char out[IDC_SHA256_HEX_LEN])
{
    uint8_t digest[IDC_SHA256_LEN];
    idc_sha256(data, len, digest);
    idc_hex_lower(digest, sizeof digest, out);
}

void idc_hmac_key_init(struct idc_hmac_key *k, const void *key, size_t len)
{
    uint8_t block[IDC_SHA256_BLOCK] = {0};
    if (len > IDC_SHA256_BLOCK) {
        idc_sha256(key, len, block);
    } else if (len > 0) {
        memcpy(block, key, len);
    }
    uint8_t pad[IDC_SHA256_BLOCK];
    for (size_t i = 0; i < sizeof pad; i++) {
        pad[i] = block[i] ^ 0x36;
    }
    idc_crypto.sha256_init(&k->inner);
    idc_crypto.sha256_update(&k->inner, pad, sizeof pad);
    for (size_t i = 0; i < sizeof pad; i++) {
        pad[i] = block[i] ^ 0x5c;
    }
    idc_crypto.sha256_init(&k->outer);
    idc_crypto.sha256_update(&k->outer, pad, sizeof pad);
    idc_wipe(block, sizeof block);
    idc_wipe(pad, sizeof pad);
}

void idc_hmac_sha256(const struct idc_hmac_key *k, const void *msg, size_t len,
                     uint8_t out[IDC_SHA256_LEN])
{
    struct idc_sha256 s = k->inner;
    uint8_t inner[IDC_SHA256_LEN];
    idc_crypto.sha256_update(&s, msg, len);
    idc_crypto.sha256_final(&s, inner);
    s = k->outer;
    idc_crypto.sha256_update(&s, inner, sizeof inner);
    idc_crypto.sha256_final(&s, out);
    idc_wipe(&s, sizeof s);
}

void idc_hmac_key_wipe(struct idc_hmac_key *k)
{
    idc_wipe(k, sizeof *k);
}
