/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto_openssl.c - the OpenSSL 3 crypto backend (SHA-256).
 * Uses SHA256_CTX rather than EVP: an EVP_MD_CTX lives on the heap and every copy
 * duplicates provider state, while SHA256_CTX is plain memory that a struct copy forks.
 * OpenSSL 3 deprecates SHA256_Init; the compatibility level is set in this file only.
 */
#define OPENSSL_API_COMPAT 0x10100000L

#include "crypto_ops.h"

#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <openssl/sha.h>

#if OPENSSL_VERSION_MAJOR < 3
#error "libidc needs OpenSSL 3 (Debian 12: libssl-dev)"
#endif

_Static_assert(sizeof(SHA256_CTX) <= IDC_SHA256_STATE_MAX, "SHA256_CTX does not fit idc_sha256");

static SHA256_CTX *state(struct idc_sha256 *s)
{
    return (SHA256_CTX *)(void *)s->u.bytes;
}

static void openssl_sha256_init(struct idc_sha256 *s)
{
    SHA256_Init(state(s));
}

static void openssl_sha256_update(struct idc_sha256 *s, const void *data, size_t len)
{
    SHA256_Update(state(s), data, len);
}

static void openssl_sha256_final(struct idc_sha256 *s, uint8_t out[IDC_SHA256_LEN])
{
    SHA256_Final(out, state(s));
}

static const char *openssl_version(void)
{
    return OpenSSL_version(OPENSSL_VERSION);
}

const struct idc_crypto_ops idc_crypto = {
    .name = "openssl",
    .version = openssl_version,
    .sha256_init = openssl_sha256_init,
    .sha256_update = openssl_sha256_update,
    .sha256_final = openssl_sha256_final,
};
