/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto_mbedtls.c - the Mbed TLS 2.28 crypto backend (SHA-256).
 * mbedtls_sha256_context is plain memory (no ALT implementation in Debian's build),
 * so a struct copy forks a running hash as crypto.h promises.
 */
#include "crypto_ops.h"

#include <mbedtls/sha256.h>
#include <mbedtls/version.h>

#if MBEDTLS_VERSION_NUMBER < 0x021C0000 || MBEDTLS_VERSION_NUMBER >= 0x03000000
#error "libidc's mbedtls backend needs Mbed TLS 2.28 (Debian 12: libmbedtls-dev)"
#endif
#if defined(MBEDTLS_SHA256_ALT)
#error "an ALT SHA-256 may hold pointers; crypto.h needs a copyable state"
#endif

_Static_assert(sizeof(mbedtls_sha256_context) <= IDC_SHA256_STATE_MAX,
               "mbedtls_sha256_context does not fit idc_sha256");

static mbedtls_sha256_context *state(struct idc_sha256 *s)
{
    return (mbedtls_sha256_context *)(void *)s->u.bytes;
}

/* The software implementation returns 0 for valid arguments, so the codes are not kept. */
static void mbedtls_backend_sha256_init(struct idc_sha256 *s)
{
    mbedtls_sha256_init(state(s));
    (void)mbedtls_sha256_starts_ret(state(s), 0);
}

static void mbedtls_backend_sha256_update(struct idc_sha256 *s, const void *data, size_t len)
{
    (void)mbedtls_sha256_update_ret(state(s), data, len);
}

static void mbedtls_backend_sha256_final(struct idc_sha256 *s, uint8_t out[IDC_SHA256_LEN])
{
    (void)mbedtls_sha256_finish_ret(state(s), out);
}

static const char *mbedtls_backend_version(void)
{
    static char text[32];
    if (text[0] == '\0') {
        mbedtls_version_get_string_full(text);
    }
    return text;
}

const struct idc_crypto_ops idc_crypto = {
    .name = "mbedtls",
    .version = mbedtls_backend_version,
    .sha256_init = mbedtls_backend_sha256_init,
    .sha256_update = mbedtls_backend_sha256_update,
    .sha256_final = mbedtls_backend_sha256_final,
};
