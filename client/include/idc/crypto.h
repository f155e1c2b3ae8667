/* SPDX-License-Identifier: Apache-2.0 */
/*
 * crypto.h - SHA-256 and HMAC-SHA256 as the signer uses them, over the crypto library
 * libidc was built with (OpenSSL or Mbed TLS). Nothing here allocates: states live in the
 * caller's storage.
 */
#ifndef IDC_CRYPTO_H
#define IDC_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "idc/api.h"

IDC_BEGIN_DECLS

#define IDC_SHA256_LEN       32
#define IDC_SHA256_HEX_LEN   64
#define IDC_SHA256_BLOCK     64
#define IDC_SHA256_STATE_MAX 128 /* bytes; each backend checks its state fits */

/*
 * A running SHA-256. Both backends keep it as plain memory (no pointers, no heap), so a
 * struct copy forks a hash: HMAC relies on that to start from precomputed pads.
 */
struct idc_sha256 {
    union {
        uint64_t align;
        unsigned char bytes[IDC_SHA256_STATE_MAX];
    } u;
};

/* SHA-256 of one buffer. */
void idc_sha256(const void *data, size_t len, uint8_t out[IDC_SHA256_LEN]);

/* Lowercase hex SHA-256 of one buffer into `out` (64 bytes, no NUL). */
void idc_sha256_hex(const void *data, size_t len, char out[IDC_SHA256_HEX_LEN]);

/*
 * An HMAC-SHA256 key with its pads already absorbed: each MAC costs the message's
 * compressions plus two, never the key setup again. Holds key material: wipe it.
 */
struct idc_hmac_key {
    struct idc_sha256 inner; /* after (key ^ ipad) */
    struct idc_sha256 outer; /* after (key ^ opad) */
};

/* Prepares `k` from `key` (any length; longer than a block is hashed first, RFC 2104). */
void idc_hmac_key_init(struct idc_hmac_key *k, const void *key, size_t len);

/* HMAC-SHA256 of `msg` under the prepared key `k`; `k` is unchanged and reusable. */
void idc_hmac_sha256(const struct idc_hmac_key *k, const void *msg, size_t len,
                     uint8_t out[IDC_SHA256_LEN]);

/* Clears the key state. */
void idc_hmac_key_wipe(struct idc_hmac_key *k);

IDC_END_DECLS

#endif
