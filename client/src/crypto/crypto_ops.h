/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto_ops.h - the crypto backend table (library-internal). Exactly one backend file,
 * crypto_openssl.c or crypto_mbedtls.c, is compiled and defines `idc_crypto`, as curl's
 * vtls does for TLS. Shared code (hmac.c, the signer) calls through it and never names a
 * crypto library; `idcctl sigv4 speed` calls it directly to measure the crypto floor.
 */
#ifndef IDC_CRYPTO_OPS_H
#define IDC_CRYPTO_OPS_H

#include <stddef.h>
#include <stdint.h>

#include "idc/crypto.h"

/*
 * One backend. The software SHA-256 of both libraries cannot fail on valid arguments,
 * so the slots return nothing.
 */
struct idc_crypto_ops {
    const char *name;             /* "openssl" or "mbedtls" */
    const char *(*version)(void); /* the linked library's version text */
    void (*sha256_init)(struct idc_sha256 *s);
    void (*sha256_update)(struct idc_sha256 *s, const void *data, size_t len);
    void (*sha256_final)(struct idc_sha256 *s, uint8_t out[IDC_SHA256_LEN]);
};

extern const struct idc_crypto_ops idc_crypto; /* defined by the one crypto_<lib>.c */

#endif
